//! Public tracking answers from a cache keyed by the dossier's revisions: every change the page shows — a step, a
//! fee asked and paid, the result, a rating, a document — is in the next look-up, on both stores.

use crate::both;
use crate::support::{Backend, TestApp};
use serde_json::{json, Value};

async fn track(app: &TestApp, code: &str, proof: &str) -> Value {
    let r = app
        .post("/api/v1/track", None, json!({"code": code, "proof": proof}))
        .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    r.body
}

async fn act(app: &TestApp, t: &str, code: &str, body: Value) -> Value {
    let r = app
        .post(&format!("/api/v1/dossiers/{code}/actions"), Some(t), body)
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    r.body
}

async fn follows_every_change(b: Backend) {
    let app = TestApp::new(b).await;
    let id = "999000001700";
    let hc = app.login("tiepnhan.haichau").await;
    let code = app
        .intake(Some(&hc), json!({"procedure": "1.004222", "applicant": {"name": "Người nộp thử (demo)", "id_number": id}}))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = track(&app, &code, id).await;
    assert_eq!(
        track(&app, &code, id).await,
        first,
        "a repeated look-up answers the same"
    );
    assert_eq!(app.state.track_cache.len(), 1, "the answer is cached");
    let steps = first["steps"].as_array().map_or(0, Vec::len);

    act(
        &app,
        &hc,
        &code,
        json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
    )
    .await;
    let t = track(&app, &code, id).await;
    assert_ne!(t["current_step"], first["current_step"], "{t}");
    assert!(t["steps"].as_array().map_or(0, Vec::len) > steps, "{t}");

    let sp = app.login("chuyenvien.haichau").await;
    act(
        &app,
        &sp,
        &code,
        json!({"action": "request_payment", "amount": 20000}),
    )
    .await;
    let t = track(&app, &code, id).await;
    assert_eq!(t["fee_due"], "20.000 đ", "{t}");
    let paid = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments/counter"),
            Some(&hc),
            json!({"method": "cash", "reference": ""}),
        )
        .await;
    assert!(paid.status.is_success(), "{}", paid.body);
    let t = track(&app, &code, id).await;
    assert_eq!(t["fee_due"], Value::Null, "{t}");
    assert_eq!(t["paid"][0][0], "20.000 đ", "{t}");

    act(&app, &sp, &code, json!({"action": "forward"})).await;
    let ld = app.login("lanhdao.haichau").await;
    act(
        &app,
        &ld,
        &code,
        json!({"action": "approve", "paper_result": true}),
    )
    .await;
    let t = track(&app, &code, id).await;
    assert_eq!(t["status_code"], 9, "{t}");
    assert_eq!(t["can_rate"], true, "{t}");

    let token = t["token"].as_str().unwrap().to_owned();
    motcua::service::dossier::tracking::rate(&app.state, &code, &token, 1, &[], "", "test")
        .await
        .unwrap();
    let t = track(&app, &code, &token).await;
    assert_eq!(t["rating"], 1, "{t}");
    assert_eq!(t["can_rate"], false, "{t}");
    assert_eq!(
        t["result_grant"],
        Value::Null,
        "the receipt token alone grants no result"
    );

    // A wrong proof is refused even while the answer is cached.
    let wrong = app
        .post(
            "/api/v1/track",
            None,
            json!({"code": code, "proof": "999000001701"}),
        )
        .await;
    assert_eq!(
        wrong.status,
        axum::http::StatusCode::NOT_FOUND,
        "{}",
        wrong.body
    );
}
both!(tracking_follows_every_change, follows_every_change);
