//! Online dossiers reach the receiving center: their own work list with its count, an officer's search by code,
//! name or ID number (the last one logged), and the dossier page with what the citizen entered.

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::json;

async fn reach(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let hc = app.login("tiepnhan.haichau").await;
    let bt = app.login("tiepnhan.benthanh").await;
    let before = app.get("/api/v1/worklists", Some(&hc)).await;
    let count = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|l| l["key"] == "online")
            .map(|l| l["count"].as_i64().unwrap())
            .unwrap()
    };
    let n0 = count(&before.body);
    let r = app
        .post(
            "/api/v1/dossiers",
            Some(&cz),
            json!({"procedure": "1.001193", "receiving_agency": "20242", "summary": "Đăng ký khai sinh cho con gái Lê Ngọc Diệp",
                   "applicant": {"name": "Lê Thị Mai Anh (demo)", "id_number": "999000007001", "phone": "0905123456", "address": "12 Trần Phú, phường Hải Châu"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_owned();
    // The list and its count.
    let after = app.get("/api/v1/worklists", Some(&hc)).await;
    assert_eq!(count(&after.body), n0 + 1, "{}", after.body);
    let listed = app.get("/api/v1/dossiers?list=online", Some(&hc)).await;
    assert!(
        listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code.as_str()),
        "{}",
        listed.body
    );
    let other = app.get("/api/v1/dossiers?list=online", Some(&bt)).await;
    assert!(
        !other.body.to_string().contains(&code),
        "another ward's list does not show it"
    );
    let (s, _, page) = app
        .page("/can-bo?list=online", &format!("motcua_session={hc}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("data-test=\"open-{code}\"")),
        "{page}"
    );
    assert!(page.contains("Nộp trực tuyến, chờ tiếp nhận"), "{page}");
    // Search by code, by name without diacritics, and by ID number.
    // Its daily number alone ("0005", as read off the receipt) finds it too.
    let tail = code.rsplit('-').next().unwrap().to_owned();
    for q in [
        code.as_str(),
        tail.as_str(),
        "le thi mai anh",
        "Mai Anh",
        "999000007001",
    ] {
        let (s, _, page) = app
            .page(
                &format!("/can-bo?tim={}", urlencoding(q)),
                &format!("motcua_session={hc}"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{q}");
        assert!(
            page.contains(&format!("data-test=\"open-{code}\"")),
            "{q}: {page}"
        );
    }
    let api = app.get("/api/v1/dossiers?q=999000007001", Some(&hc)).await;
    assert_eq!(api.body["total"], 1, "{}", api.body);
    // Outside the ward's scope the same ID number finds nothing.
    let api = app.get("/api/v1/dossiers?q=999000007001", Some(&bt)).await;
    assert_eq!(api.body["total"], 0, "{}", api.body);
    // The ID-number search is logged as one, without the number.
    app.state.access.flush().await.expect("access log");
    let rows: Vec<(String, String)> = motcua::on_db!(&app.state.db, |p| {
        sqlx::query_as(
        "select action, entity_key from audit_log where action = 'search_dossiers_by_id_number'"
    )
    .fetch_all(p)
    .await
    })
    .unwrap();
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(
        rows.iter().all(|(_, k)| !k.contains("999000007001")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|(_, k)| k.contains(&code)), "{rows:?}");
    // The dossier page shows what the citizen entered.
    let (_, _, page) = app
        .page(
            &format!("/can-bo/ho-so/{code}"),
            &format!("motcua_session={hc}"),
        )
        .await;
    for shown in [
        "0905123456",
        "12 Trần Phú, phường Hải Châu",
        "Đăng ký khai sinh cho con gái Lê Ngọc Diệp",
        "Trực tuyến",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
}
both!(online_dossiers_reach_the_counter, reach);

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
