//! The kiosk and the phone from outside: the card scanned, the ticket and the prefilled declaration printed, the
//! kiosk's read prefilling the counter's intake and erased after; a number taken on the phone and its position.

use crate::api_dossiers::pdf_text;
use crate::both;
use crate::queue::{counter_ids, letter_id, services, take, QR};
use crate::support::{Backend, TestApp, CSRF};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

async fn get_bytes(app: &TestApp, path: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::get(path).body(Body::empty()).unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let s = resp.status();
    (
        s,
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

async fn kiosk_prints_the_prefilled_declaration_and_the_ticket(b: Backend) {
    let app = TestApp::new(b).await;
    let (s, _, page) = app.page("/ki-ot/20242", "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Quét mã QR"), "{page}");
    // A malformed scan: the start page again, 422, nothing lost but the scan.
    let (s, _, page) = app
        .form_post(
            "/ki-ot/20242/nguoi",
            None,
            Some(CSRF),
            &[("qr", "not a card"), ("assisted_by", "")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("kiosk-error"), "{page}");
    let (s, _, page) = app
        .form_post(
            "/ki-ot/20242/nguoi",
            None,
            Some(CSRF),
            &[
                ("qr", QR),
                ("assisted_by", "Lê Thị Mai, tình nguyện viên (demo)"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("Nguyễn Văn Bình (demo)"),
        "the person is greeted"
    );
    assert!(
        page.contains("nay: Phường Hải Châu"),
        "today's ward beside the printed one"
    );
    assert!(
        page.contains("data-reset-url=\"/ngon-ngu?l=vi&#38;tiep=/ki-ot/20242\""),
        "the page resets after a minute: {}",
        page.split("<body")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(300)
            .collect::<String>()
    );
    let fields = [
        ("qr", QR),
        ("assisted_by", "Lê Thị Mai, tình nguyện viên (demo)"),
        ("procedure", "1.001193"),
        ("priority", "elderly"),
    ];
    let (s, _, page) = app
        .form_post("/ki-ot/20242/ve", None, Some(CSRF), &fields)
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("A001"), "{page}");
    let token = page
        .split("/ki-ot/ve/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let (s, pdf) = get_bytes(&app, &format!("/ki-ot/ve/{token}/to-khai.pdf")).await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    for want in [
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "Nguyễn Văn Bình (demo)",
        "01/01/1950",
        "999000001234",
        "Phường Hải Châu",
        "Lê Thị Mai",
    ] {
        assert!(text.contains(want), "{want} missing in:\n{text}");
    }
    let (s, pdf) = get_bytes(&app, &format!("/ki-ot/ve/{token}/so.pdf")).await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(text.contains("A001") && text.contains("Hộ tịch"), "{text}");
    // Who assisted is recorded (in the audit, without the person's number).
    app.state.access.flush().await.expect("access log");
    let audit: Vec<String> = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select purpose from audit_log where action = 'take_ticket'"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(audit.iter().any(|p| p.contains("Lê Thị Mai")), "{audit:?}");
    // The counter sees the kiosk's read and prefills the intake from it.
    let officer = app.login("tiepnhan.haichau").await;
    let c1 = counter_ids(&app).await[0];
    let called = app
        .post(
            &format!("/api/v1/queue/counters/{c1}/call"),
            Some(&officer),
            json!({}),
        )
        .await;
    assert_eq!(called.body["ticket"]["has_kiosk_data"], true);
    let id = called.body["ticket"]["id"].as_i64().unwrap();
    let (s, _, page) = app
        .page(
            &format!("/can-bo/tiep-nhan?ve={id}"),
            &format!("motcua_csrf={CSRF}; motcua_session={officer}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("value=\"Nguyễn Văn Bình (demo)\"")
            && page.contains("value=\"999000001234\""),
        "{page}"
    );
    // Once finished, nothing personal stays on the ticket and the declaration no longer prints.
    app.post(
        &format!("/api/v1/queue/tickets/{id}/actions"),
        Some(&officer),
        json!({"action": "finish"}),
    )
    .await;
    let t = motcua::store::queue::ticket(&app.state.db, id.into())
        .await
        .unwrap()
        .unwrap();
    assert!(t.person.is_none());
    let (s, _) = get_bytes(&app, &format!("/ki-ot/ve/{token}/to-khai.pdf")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
both!(
    kiosk_declaration_and_ticket,
    kiosk_prints_the_prefilled_declaration_and_the_ticket
);

#[tokio::test]
async fn the_phone_page_shows_the_position() {
    let app = TestApp::new(Backend::Sqlite).await;
    let a = letter_id(&services(&app).await, "A");
    take(&app, a, None).await;
    let (s, h, page) = app
        .form_post(
            "/xep-hang/20242",
            None,
            Some(CSRF),
            &[("service", &a.to_string()), ("priority", "")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    let to = h["location"].to_str().unwrap().to_owned();
    let (s, _, page) = app.page(&to, "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("A002") && page.contains("data-k=\"ahead\">1<"),
        "{page}"
    );
    // No service chosen: the same form again with the reason.
    let (s, _, page) = app
        .form_post(
            "/xep-hang/20242",
            None,
            Some(CSRF),
            &[("service", ""), ("priority", "")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Chọn một dịch vụ"));
    let (s, _, _) = app.page("/xep-hang/ve/nonexistent", "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
