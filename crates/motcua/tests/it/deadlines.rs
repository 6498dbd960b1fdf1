//! Every received dossier has a due date: where the published record states no time limit, the province's workflow
//! gives it (and the dossier says so); where nobody has set one, intake refuses and says who must.

use crate::api_dossiers::{fetch, pdf_text};
use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::json;

/// "Thủ tục đăng ký kết hôn": its published record gives the time as a bare "1" with no unit.
const MARRIAGE: &str = "1.000894";

fn applicant(id: &str) -> serde_json::Value {
    json!({"name": "Trần Thị Bình (demo)", "id_number": id, "phone": "0900000002"})
}

async fn limits(b: Backend) {
    let app = TestApp::new(b).await;
    // TP.HCM has issued no workflow for marriage registration; Đà Nẵng has (the demo's).
    let bt = app.login("tiepnhan.benthanh").await;
    let hc = app.login("tiepnhan.haichau").await;
    let cz = app.login("congdan.demo").await;
    let danang = app.login("quantri.danang").await;
    let (s, _, page) = app
        .page(
            "/quan-tri/thu-tuc?ds=thieu-han",
            &format!("motcua_session={danang}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"missing-limits\""), "{page}");
    assert!(page.contains("data-test=\"limit-missing\""), "{page}");
    let (_, _, page) = app
        .page(
            "/quan-tri/thu-tuc?ds=thieu-han&q=1.000894",
            &format!("motcua_session={danang}"),
        )
        .await;
    assert!(page.contains(MARRIAGE), "{page}");
    assert!(
        page.contains("data-test=\"limit-province\""),
        "Đà Nẵng set it: {page}"
    );
    // Counter intake in TP.HCM refuses, saying who must act, and creates nothing.
    let refused = app
        .intake(
            Some(&bt),
            json!({"procedure": MARRIAGE, "applicant": applicant("999000005001")}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let why = &refused.body["error"]["fields"]["procedure"];
    assert!(
        why["vi"]
            .as_str()
            .unwrap()
            .contains("Quản trị viên của tỉnh"),
        "{why}"
    );
    assert!(
        why["en"]
            .as_str()
            .unwrap()
            .contains("province administrator"),
        "{why}"
    );
    let listed = app
        .get(&format!("/api/v1/dossiers?procedure={MARRIAGE}"), Some(&bt))
        .await;
    assert_eq!(listed.body["total"], 0, "nothing was created");
    // An online dossier to TP.HCM waits; accepting it is refused the same way.
    let me = app.get("/api/v1/auth/me", Some(&bt)).await;
    let ward = me.body["agency"]["identifier"].as_str().unwrap().to_owned();
    let online = app
        .post(
            "/api/v1/dossiers",
            Some(&cz),
            json!({"procedure": MARRIAGE, "receiving_agency": ward, "applicant": applicant("999000005002")}),
        )
        .await;
    assert_eq!(online.status, StatusCode::CREATED, "{}", online.body);
    let online = online.body["code"].as_str().unwrap().to_owned();
    let docs = app.online_papers(MARRIAGE).await;
    let accept = |t: String| {
        let app = &app;
        let (online, docs) = (online.clone(), docs.clone());
        async move {
            app.post(
                &format!("/api/v1/dossiers/{online}/actions"),
                Some(&t),
                json!({"action": "accept", "documents": docs}),
            )
            .await
        }
    };
    let r = accept(bt.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // In Đà Nẵng the province's workflow (3 steps in one working day) gives the limit, and the dossier says so.
    let ok = app
        .intake(
            Some(&hc),
            json!({"procedure": MARRIAGE, "applicant": applicant("999000005003")}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(
        ok.body["due_at"], "2026-11-24T09:00:00+07:00",
        "one working day from Mon 23/11 09:00"
    );
    assert_eq!(ok.body["limit_source"], "workflow");
    let code = ok.body["code"].as_str().unwrap().to_owned();
    let (s, _, page) = app
        .page(
            &format!("/can-bo/ho-so/{code}"),
            &format!("motcua_session={hc}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"limit-source\""), "{page}");
    assert!(page.contains("theo quy trình nội bộ đã ban hành"), "{page}");
    let (s, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/receipt.pdf"), &hc).await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("1 ngày làm việc (theo quy trình nội bộ đã ban hành"),
        "{text}"
    );
    // The system administrator issues a national workflow of 3 working days: TP.HCM can now receive.
    let national = app.login("quantri.hethong").await;
    let steps = json!([
        {"name": "Tiếp nhận, kiểm tra", "role": "receiving_officer", "place": "receiving", "kind": "process", "days": 0.5},
        {"name": "Công chức tư pháp - hộ tịch thẩm định", "role": "specialist", "place": "competent", "kind": "process", "days": 1.5},
        {"name": "Lãnh đạo ký", "role": "leader", "place": "competent", "kind": "approve", "days": 0.75},
        {"name": "Trả kết quả", "role": "receiving_officer", "place": "receiving", "kind": "return", "days": 0.25}
    ]);
    let set = app
        .request(
            "PUT",
            &format!("/api/v1/procedures/{MARRIAGE}/workflow"),
            Some(&national),
            Some(json!({"steps": steps, "note": "Quy trình thử"}).to_string()),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let r = accept(bt.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["limit_source"], "workflow");
    assert_eq!(r.body["due_at"], "2026-11-26T09:00:00+07:00");
    // A procedure whose record states its limit keeps it, marked as the published one.
    let residence = app
        .intake(
            Some(&hc),
            json!({"procedure": "1.004222", "applicant": applicant("999000005004")}),
        )
        .await;
    assert_eq!(residence.body["limit_source"], "catalog");
    assert_eq!(residence.body["due_at"], "2026-12-02T09:00:00+07:00");
}
both!(procedures_without_a_published_limit, limits);

/// The administration catalogue pages through every record (50 a page): the next page holds other procedures and
/// the last page has no "next".
async fn catalog_pages(b: Backend) {
    let app = TestApp::new(b).await;
    let admin = app.login("quantri.danang").await;
    let cookie = format!("motcua_session={admin}");
    let codes = |page: &str| -> Vec<String> {
        page.match_indices("data-code=\"")
            .map(|(i, m)| {
                page[i + m.len()..]
                    .split('"')
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    };
    let (s, _, first) = app.page("/quan-tri/thu-tuc?ds=xa", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(first.contains("data-test=\"next-page\""), "{first}");
    let (_, _, second) = app.page("/quan-tri/thu-tuc?ds=xa&trang=2", &cookie).await;
    let (a, b2) = (codes(&first), codes(&second));
    assert!(!a.is_empty() && !b2.is_empty(), "rows carry their codes");
    assert!(
        a.iter().all(|c| !b2.contains(c)),
        "page 2 lists other procedures"
    );
    let (_, _, last) = app.page("/quan-tri/thu-tuc?ds=xa&trang=8", &cookie).await;
    assert!(
        !last.contains("data-test=\"next-page\""),
        "392 commune procedures end on page 8"
    );
}
both!(the_catalogue_pages_through_every_record, catalog_pages);
