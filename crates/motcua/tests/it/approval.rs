//! A leader approves a procedure that issues a result document only with the result attached, or with the statement
//! that it is issued on paper (written on the step).

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::json;

async fn approval(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let sp = app.login("chuyenvien.haichau").await;
    let ld = app.login("lanhdao.haichau").await;
    let act = |t: String, code: String, body: serde_json::Value| {
        let app = &app;
        async move {
            app.post(&format!("/api/v1/dossiers/{code}/actions"), Some(&t), body)
                .await
        }
    };
    let mut codes = Vec::new();
    for id in ["999000009001", "999000009002"] {
        let r = app
            .intake(
                Some(&hc),
                json!({"procedure": "1.004222", "applicant": {"name": "Phan Văn Đức (demo)", "id_number": id}}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let code = r.body["code"].as_str().unwrap().to_owned();
        act(
            hc.clone(),
            code.clone(),
            json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
        )
        .await;
        act(sp.clone(), code.clone(), json!({"action": "forward"})).await;
        codes.push(code);
    }
    // No result file: refused, saying what to do.
    let r = act(ld.clone(), codes[0].clone(), json!({"action": "approve"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["error"]["fields"]["result"]["vi"]
        .as_str()
        .unwrap()
        .contains("tải tệp kết quả lên"));
    // The signed result attached: approved.
    let up = format!(
        "/api/v1/dossiers/{}/documents?component=X%C3%A1c%20nh%E1%BA%ADn%20th%C6%B0%E1%BB%9Dng%20tr%C3%BA&name=ket-qua.pdf&result=true",
        codes[0]
    );
    let u = app
        .upload(
            &up,
            &ld,
            "application/pdf",
            b"%PDF-1.4\n% ket qua (demo)\n".to_vec(),
        )
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{}", u.body);
    let r = act(ld.clone(), codes[0].clone(), json!({"action": "approve"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Issued on paper: approved, and the step says so.
    let r = act(
        ld.clone(),
        codes[1].clone(),
        json!({"action": "approve", "paper_result": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let got = app
        .get(&format!("/api/v1/dossiers/{}", codes[1]), Some(&ld))
        .await;
    assert!(
        got.body["events"]
            .to_string()
            .contains("Kết quả cấp bằng bản giấy"),
        "{}",
        got.body["events"]
    );
}
both!(approval_needs_the_result, approval);
