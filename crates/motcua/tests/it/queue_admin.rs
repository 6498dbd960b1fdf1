//! Setting up a center's queue from the administration pages: a service, and which counters call it.

use crate::both;
use crate::support::{Backend, TestApp, CSRF};
use axum::http::StatusCode;

async fn a_province_administrator_sets_up_the_queue(b: Backend) {
    let app = TestApp::new(b).await;
    let admin = app.login("quantri.danang").await;
    let fields = [
        ("center", "20242"),
        ("letter", "d"),
        ("name", "Bảo trợ xã hội"),
        ("fields", "Bảo trợ xã hội\nNgười có công"),
        ("priority_every", "1"),
        ("handling_minutes", "15"),
    ];
    let (s, h, page) = app
        .form_post("/quan-tri/quay/dich-vu", Some(&admin), Some(CSRF), &fields)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(h["location"], "/quan-tri/quay?da_luu=1");
    // The letter is taken now: refused on the same form, what was typed kept.
    let (s, _, page) = app
        .form_post("/quan-tri/quay/dich-vu", Some(&admin), Some(CSRF), &fields)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Ký hiệu này đã có") && page.contains("value=\"Bảo trợ xã hội\""),
        "{page}"
    );
    let bad = [
        ("center", "20242"),
        ("letter", "ABC"),
        ("name", "x"),
        ("fields", ""),
        ("priority_every", "3"),
        ("handling_minutes", "12"),
    ];
    let (s, _, _) = app
        .form_post("/quan-tri/quay/dich-vu", Some(&admin), Some(CSRF), &bad)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // Another province's center is out of reach.
    let foreign = [
        ("center", "26743"),
        ("letter", "E"),
        ("name", "x"),
        ("fields", ""),
        ("priority_every", "3"),
        ("handling_minutes", "12"),
    ];
    let (s, _, _) = app
        .form_post("/quan-tri/quay/dich-vu", Some(&admin), Some(CSRF), &foreign)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let sv = app.get("/api/v1/queue/centers/20242", None).await.body;
    let d = sv["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["letter"] == "D")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let db = &app.state.db;
    let center = motcua::store::agencies::by_identifier(db, "20242")
        .await
        .unwrap()
        .unwrap();
    let c4 = motcua::store::queue::counters_of(db, center.id)
        .await
        .unwrap()[3]
        .id
        .0;
    let (s, _, _) = app
        .form_post(
            &format!("/quan-tri/quay/{c4}/dich-vu"),
            Some(&admin),
            Some(CSRF),
            &[("services", &d.to_string())],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let c = motcua::store::queue::counters_of(db, center.id)
        .await
        .unwrap();
    assert_eq!(c[3].services, d.to_string());
    // A ticket for D is called at counter 4 only.
    let t = app
        .post(
            "/api/v1/queue/centers/20242/tickets",
            None,
            serde_json::json!({"service": d}),
        )
        .await;
    assert_eq!(t.body["ticket"]["label"], "D001");
    let officer = app.login("tiepnhan.haichau").await;
    let at1 = app
        .post(
            &format!("/api/v1/queue/counters/{}/call", c[0].id.0),
            Some(&officer),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(at1.body["ticket"], serde_json::Value::Null);
    let at4 = app
        .post(
            &format!("/api/v1/queue/counters/{c4}/call"),
            Some(&officer),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(at4.body["ticket"]["label"], "D001");
    let (s, _, page) = app
        .page(
            "/quan-tri/quay",
            &format!("motcua_csrf={CSRF}; motcua_session={admin}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"queue-services\"") && page.contains("Bảo trợ xã hội"));
}
both!(
    queue_setup_by_the_province,
    a_province_administrator_sets_up_the_queue
);
