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
    sealed_result_verifies(&app, &codes[0], &ld).await;
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

/// A payment asked for shows the citizen how much, what for and where to pay.
async fn payment_shown(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app
        .post(
            "/api/v1/dossiers",
            Some(&cz),
            json!({"procedure": "1.004222", "receiving_agency": "20242", "applicant": {"name": "Nguyễn Văn An (demo)", "id_number": "999000009201"}}),
        )
        .await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let (docs, case) = app.papers("1.004222", None).await;
    let p = app.get("/api/v1/procedures/1.004222", None).await;
    let online: Vec<u64> = p.body["checklist_online"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == case.as_deref().unwrap_or(""))
        .map(|c| {
            c["papers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|x| x["need"] == "required")
                .map(|x| x["number"].as_u64().unwrap())
                .collect()
        })
        .unwrap_or_default();
    let _ = docs;
    let a = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&hc),
            json!({"action": "accept", "document_case": case, "documents": online}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let f = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&hc),
            json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
        )
        .await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    let sp = app.login("chuyenvien.haichau").await;
    let pay = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&sp),
            json!({"action": "request_payment", "amount": 20000, "note": "Lệ phí đăng ký cư trú (demo)"}),
        )
        .await;
    assert_eq!(pay.status, StatusCode::OK, "{}", pay.body);
    let (s, _, page) = app
        .page(
            &format!("/ho-so-cua-toi/{code}"),
            &format!("motcua_session={cz}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"payment\""), "{page}");
    assert!(page.contains("20.000 đ"), "{page}");
    assert!(page.contains("Lệ phí đăng ký cư trú (demo)"), "{page}");
    assert!(
        page.contains("Trung tâm Phục vụ hành chính công Phường Hải Châu"),
        "{page}"
    );
}
both!(
    a_payment_request_tells_the_citizen_how_to_pay,
    payment_shown
);

/// The approved result is sealed: its page says valid, the file matches, a changed copy does not, a revoked key
/// shows.
async fn sealed_result_verifies(app: &TestApp, code: &str, ld: &str) {
    let seals = app
        .get(&format!("/api/v1/dossiers/{code}/seals"), Some(ld))
        .await;
    let seal = &seals.body[0];
    let token = seal["token"].as_str().expect("a seal").to_owned();
    let page = app.page(&format!("/xac-minh/{token}"), "").await;
    assert!(page.2.contains("data-test=\"seal-valid\""), "{}", page.2);
    let id = seal["document_id"].as_i64().unwrap();
    let (s, _, pdf) =
        crate::api_dossiers::fetch(app, &format!("/api/v1/dossiers/{code}/documents/{id}"), ld)
            .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        crate::api_dossiers::pdf_text(&pdf).contains(&format!("/xac-minh/{token}")),
        "the QR's address is printed"
    );
    let check = |bytes: Vec<u8>| {
        let token = token.clone();
        async move {
            let b = "----motcua7";
            let mut body = format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kq.pdf\"\r\nContent-Type: application/pdf\r\n\r\n", crate::support::CSRF).into_bytes();
            body.extend_from_slice(&bytes);
            body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
            let path = format!("/xac-minh/{token}");
            let headers = [
                ("content-type", format!("multipart/form-data; boundary={b}")),
                ("cookie", format!("motcua_csrf={}", crate::support::CSRF)),
            ];
            app.browser_raw(("POST", &path), &headers, body).await
        }
    };
    let same = check(pdf.clone()).await;
    assert!(same.2.contains("data-test=\"file-match\""), "{}", same.2);
    let mut changed = pdf.clone();
    let at = changed.len() / 2;
    changed[at] ^= 1;
    let other = check(changed).await;
    assert!(
        other.2.contains("data-test=\"file-mismatch\""),
        "{}",
        other.2
    );
    // The sealed result is the applicant's document now: the reuse look-up of any later dossier finds it under
    // the result's name (once-only), as an issued result (state 1; a dossier reusing it records state 3).
    let row = motcua::store::dossiers::get(&app.state.db, &motcua::scope::Scope::All, code)
        .await
        .unwrap()
        .unwrap();
    let key = motcua_domain::text::search_key(seal["title"].as_str().unwrap());
    let found = motcua::store::documents::reusable(
        &app.state.db,
        &motcua::scope::Scope::All,
        &row.applicant_id_hash,
        &key,
        motcua_domain::ids::DossierId(-1),
    )
    .await
    .unwrap();
    assert!(
        found
            .iter()
            .any(|d| d.id == id && d.is_result && d.state == 1),
        "{found:?}"
    );
    let admin = app.login("quantri.hethong").await;
    let key = seal["key_id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/seal-keys/{key}/revoke"),
            Some(&admin),
            json!({"reason": "Khóa bị lộ (demo)"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let page = app.page(&format!("/xac-minh/{token}"), "").await;
    assert!(
        page.2.contains("data-test=\"seal-revoked\"") && page.2.contains("Khóa bị lộ"),
        "{}",
        page.2
    );
}
