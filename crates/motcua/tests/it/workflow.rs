//! Processing along workflows, end to end on both stores: refusal, supplements, payment, late apology, transfer to the
//! province and back, workflow edits, work lists, the deadline sweep, forms 02–07, and random action sequences.

use crate::api_dossiers::{fetch, pdf_text};
use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};
use time::Duration;

fn intake(procedure: &str, id: &str) -> Value {
    json!({"procedure": procedure, "applicant": {"name": "Người nộp thử (demo)", "id_number": id, "phone": "0900000001", "address": "Số 1 đường thử (demo)"}})
}

async fn act(app: &TestApp, t: &str, code: &str, body: Value) -> crate::support::Resp {
    app.post(&format!("/api/v1/dossiers/{code}/actions"), Some(t), body)
        .await
}

async fn refusal(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let r = app.post("/api/v1/dossiers", Some(&cz), json!({"procedure": "1.001193", "receiving_agency": "20242", "applicant": {"name": "Nguyễn Văn An (demo)", "id_number": "999000001000"}})).await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let hc = app.login("tiepnhan.haichau").await;
    let no_reason = act(&app, &hc, &code, json!({"action": "refuse"})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body["error"]["fields"]["note"]["vi"]
        .as_str()
        .unwrap()
        .contains("lý do"));
    let other = app.login("tiepnhan.benthanh").await;
    assert_eq!(
        act(
            &app,
            &other,
            &code,
            json!({"action": "refuse", "note": "x"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "another ward cannot even see it"
    );
    let r = act(
        &app,
        &hc,
        &code,
        json!({"action": "refuse", "note": "Hồ sơ không thuộc thẩm quyền giải quyết của phường"}),
    )
    .await;
    assert_eq!(r.body["status"]["code"], 3, "{}", r.body);
    assert_eq!(r.body["allowed_actions"], json!([]));
    let (s, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/forms/03.pdf"), &hc).await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
        "{text}"
    );
    assert!(
        text.contains("không thuộc thẩm quyền giải quyết của phường"),
        "{text}"
    );
    let (s, _, _) = fetch(&app, &format!("/api/v1/dossiers/{code}/forms/04.pdf"), &hc).await;
    assert_eq!(s, StatusCode::CONFLICT, "no apology was issued");
    // The citizen is told, through the outbox, in the same transaction.
    let id = dossier_id(&app, &code).await;
    let out = motcua::store::steps::outbox_of(&app.state.db, id)
        .await
        .unwrap();
    assert!(out
        .iter()
        .any(|(k, _, p)| k == "applicant" && p.contains("không được tiếp nhận")));
}
both!(refusal_with_form_03, refusal);

async fn dossier_id(app: &TestApp, code: &str) -> motcua_domain::ids::DossierId {
    motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select id from dossiers where code = $1"
    )
    .bind(code)
    .fetch_one(p)
    .await)
    .unwrap()
}

async fn supplement_twice(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(Some(&hc), intake("1.004222", "999000001100"))
        .await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    assert_eq!(r.body["due_at"], "2026-12-02T09:00:00+07:00");
    let f = act(
        &app,
        &hc,
        &code,
        json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
    )
    .await;
    assert!(
        f.body["current_step"]["assignee_user_id"].is_i64(),
        "{}",
        f.body
    );
    let missing = json!([
        "Bản sao sổ hộ khẩu",
        "Tờ khai thay đổi thông tin cư trú có chữ ký của chủ hộ"
    ]);
    // Mon 23/11 09:00 → stop; Tue 24/11 09:00 → resume (1 working day); Wed 25/11 09:00 → stop; Fri 27/11 09:00 → resume (2).
    let sp = app.login("chuyenvien.haichau").await;
    let s1 = act(
        &app,
        &sp,
        &code,
        json!({"action": "request_supplement", "note": "Thiếu giấy tờ", "missing": missing}),
    )
    .await;
    assert_eq!(s1.body["status"]["code"], 5, "{}", s1.body);
    assert_eq!(
        act(
            &app,
            &sp,
            &code,
            json!({"action": "request_supplement", "note": "x", "missing": ["y"]})
        )
        .await
        .status,
        StatusCode::CONFLICT,
        "already waiting"
    );
    app.clock.advance(Duration::days(1));
    let hc = app.login("tiepnhan.haichau").await;
    let b1 = act(&app, &hc, &code, json!({"action": "receive_supplement"})).await;
    assert_eq!(b1.body["due_at"], "2026-12-03T09:00:00+07:00");
    app.clock.advance(Duration::days(1));
    let sp = app.login("chuyenvien.haichau").await;
    let s2 = act(&app, &sp, &code, json!({"action": "request_supplement", "note": "Chữ ký chưa đúng", "missing": ["Tờ khai có chữ ký của chủ hộ"]})).await;
    assert_eq!(s2.body["status"]["code"], 5);
    app.clock.advance(Duration::days(2));
    let cz_view = app.login("tiepnhan.haichau").await;
    let b2 = act(
        &app,
        &cz_view,
        &code,
        json!({"action": "receive_supplement"}),
    )
    .await;
    // Exactly 3 working days stopped: 02/12 09:00 → 07/12 09:00 (Thu 3, Fri 4, Mon 7).
    assert_eq!(b2.body["due_at"], "2026-12-07T09:00:00+07:00");
    assert_eq!(b2.body["legal_due_at"], "2026-12-07T09:00:00+07:00");
    let notices = b2.body["notices"].as_array().unwrap();
    assert_eq!(notices.iter().filter(|n| n["form"] == "02").count(), 2);
    let (s, _, pdf) = fetch(
        &app,
        &format!("/api/v1/dossiers/{code}/forms/02.pdf"),
        &cz_view,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        "{text}"
    );
    assert!(text.contains("lần thứ 2"), "{text}");
    assert!(text.contains("Tờ khai có chữ ký của chủ hộ"), "{text}");
    // Then on to the leader, signed, returned: on time.
    let sp = app.login("chuyenvien.haichau").await;
    act(&app, &sp, &code, json!({"action": "forward"})).await;
    let ld = app.login("lanhdao.haichau").await;
    // The leader sends it back with a reason: it returns to the same specialist, then comes up again.
    let no_reason = act(&app, &ld, &code, json!({"action": "return_step"})).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let back = act(
        &app,
        &ld,
        &code,
        json!({"action": "return_step", "note": "Đề nghị kiểm tra lại diện tích chỗ ở"}),
    )
    .await;
    assert_eq!(back.body["current_step"]["index"], 1, "{}", back.body);
    assert_eq!(
        back.body["current_step"]["assignee_user_id"],
        f.body["current_step"]["assignee_user_id"]
    );
    let sp = app.login("chuyenvien.haichau").await;
    act(&app, &sp, &code, json!({"action": "forward"})).await;
    let a = act(
        &app,
        &ld,
        &code,
        json!({"action": "approve", "paper_result": true}),
    )
    .await;
    assert_eq!(a.body["status"]["code"], 9);
    assert_eq!(a.body["on_time"], true);
    let hc = app.login("tiepnhan.haichau").await;
    let done = act(
        &app,
        &hc,
        &code,
        json!({"action": "return_result", "method": "online"}),
    )
    .await;
    assert_eq!(done.body["status"]["code"], 10);
    let steps = done.body["steps"].as_array().unwrap();
    // Intake, specialist, leader (sent back), specialist again (due as first set), leader, return.
    assert_eq!(steps.len(), 6, "{steps:?}");
    assert_eq!(steps[2]["outcome"], "returned");
    assert_eq!(
        steps[3]["due_at"], steps[1]["due_at"],
        "a repeated step counts from its first execution"
    );
    assert!(steps.iter().all(|s| !s["finished_at"].is_null()));
    let (s, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/forms/06.pdf"), &hc).await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
        "{text}"
    );
    assert!(text.contains("Thẩm định, xử lý hồ sơ"), "{text}");
    assert!(text.contains("Phê duyệt, ký kết quả"), "{text}");
}
both!(supplement_twice_shifts_due_exactly, supplement_twice);

async fn payment(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let code = app
        .intake(Some(&hc), intake("1.004222", "999000001200"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // The forward form offers those who may take the next step (a specialist of the ward), not every colleague.
    let (s, _, html) = app
        .page(
            &format!("/can-bo/ho-so/{code}"),
            &format!("motcua_session={hc}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let select = html
        .split("id=\"forward-assignee\"")
        .nth(1)
        .and_then(|r| r.split("</select>").next())
        .unwrap_or_else(|| panic!("no forward form: {html}"));
    assert!(
        select.contains("value=\"chuyenvien.haichau\"")
            && !select.contains("value=\"tiepnhan.haichau\"")
            && !select.contains("value=\"giamdoc.haichau\""),
        "{select}"
    );
    act(
        &app,
        &hc,
        &code,
        json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
    )
    .await;
    let sp = app.login("chuyenvien.haichau").await;
    let bad = act(
        &app,
        &sp,
        &code,
        json!({"action": "request_payment", "amount": -1}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = act(
        &app,
        &sp,
        &code,
        json!({"action": "request_payment", "amount": 20000}),
    )
    .await;
    assert_eq!(p.body["status"]["code"], 6, "{}", p.body);
    assert_eq!(p.body["notices"][0]["amount"], 20000);
    assert_eq!(
        act(&app, &sp, &code, json!({"action": "confirm_payment"}))
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the one-stop officer confirms payment"
    );
    app.clock.advance(Duration::days(1));
    let hc = app.login("tiepnhan.haichau").await;
    let waiting = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert!(
        !waiting.body["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("confirm_payment")),
        "an open fee is settled, not confirmed bare: {}",
        waiting.body
    );
    let bare = act(&app, &hc, &code, json!({"action": "confirm_payment"})).await;
    assert_eq!(bare.status, StatusCode::CONFLICT, "{}", bare.body);
    let paid = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments/counter"),
            Some(&hc),
            json!({"method": "cash", "reference": ""}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.body);
    let c = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(c.body["status"]["code"], 4);
    assert_eq!(
        c.body["due_at"], "2026-12-03T09:00:00+07:00",
        "clock stopped one working day"
    );
}
both!(financial_obligation_stops_the_clock, payment);

async fn late_apology(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let code = app
        .intake(Some(&hc), intake("1.004222", "999000001300"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    act(
        &app,
        &hc,
        &code,
        json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
    )
    .await;
    let sp = app.login("chuyenvien.haichau").await;
    let early = act(
        &app,
        &sp,
        &code,
        json!({"action": "extend", "note": "Cần xác minh", "new_due": "2026-12-01T09:00:00+07:00"}),
    )
    .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a new date before the current one"
    );
    let e = act(&app, &sp, &code, json!({"action": "extend", "note": "Cần xác minh thông tin cư trú tại địa phương khác", "new_due": "2026-12-09T09:00:00+07:00"})).await;
    assert_eq!(e.status, StatusCode::OK, "{}", e.body);
    assert_eq!(e.body["due_at"], "2026-12-09T09:00:00+07:00");
    assert_eq!(e.body["legal_due_at"], "2026-12-02T09:00:00+07:00");
    assert_eq!(e.body["extended"], true);
    let (s, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/forms/04.pdf"), &sp).await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(
        text.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
        "{text}"
    );
    assert!(text.contains("09/12/2026"), "{text}");
    // The citizen sees the new date when tracking.
    let t = app
        .post(
            "/api/v1/track",
            None,
            serde_json::json!({"code": code, "proof": "999000001300"}),
        )
        .await;
    assert!(t.body.to_string().contains("09/12/2026"), "{}", t.body);
    let (s, _, page) = app
        .form_post(
            "/tra-cuu",
            None,
            Some(crate::support::CSRF),
            &[("ma", &code), ("so", "999000001300")],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"apology\""), "{page}");
    assert!(page.contains("ngày hẹn ban đầu 02/12/2026 09:00"), "{page}");
    assert!(
        page.contains("Xin lỗi và hẹn lại ngày trả"),
        "the timeline names the apology: {page}"
    );
    assert!(
        !page.contains("Cần xác minh"),
        "officers' notes stay internal"
    );
    // Past the original date: no second apology (it must come before the due date) … but on time for the new one.
    app.clock.advance(Duration::days(10));
    let sp = app.login("chuyenvien.haichau").await;
    act(&app, &sp, &code, json!({"action": "forward"})).await;
    let ld = app.login("lanhdao.haichau").await;
    let a = act(
        &app,
        &ld,
        &code,
        json!({"action": "approve", "paper_result": true}),
    )
    .await;
    assert_eq!(a.body["status"]["code"], 9);
    assert_eq!(
        a.body["on_time"], false,
        "late against the original date, as the law counts it"
    );
    let steps = a.body["steps"].as_array().unwrap();
    assert_eq!(steps[1]["on_time"], false, "the specialist's step was late");
}
both!(late_apology_still_counts_late, late_apology);

async fn transfer(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app.intake(Some(&hc), json!({"procedure": "1.000426", "competent_agency": "48.STP", "applicant": {"name": "Chuyển tỉnh (demo)", "id_number": "999000001400", "address": "Số 5 đường Lê Lợi (demo)"}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_owned();
    let due = r.body["due_at"].clone();
    assert!(code.starts_with("20242-"), "the ward's code, end to end");
    // The officer who received it holds the intake step: it is in their own list, not the pool.
    let mine = app.get("/api/v1/dossiers?list=mine", Some(&hc)).await;
    assert!(mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code.as_str()));
    let pool = app.get("/api/v1/dossiers?list=pool", Some(&hc)).await;
    assert!(!pool.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code.as_str()));
    let f = act(&app, &hc, &code, json!({"action": "forward"})).await;
    assert_eq!(f.body["current_step"]["role"], "specialist");
    let ev = f.body["events"].as_array().unwrap().last().unwrap().clone();
    assert!(
        ev["note"].as_str().unwrap().starts_with("Chuyển hồ sơ từ"),
        "{ev}"
    );
    assert!(ev["note"].as_str().unwrap().contains("Sở Tư pháp"), "{ev}");
    // The ward's specialist has no part in it; the department's specialist sees it in the pool and claims it.
    let wsp = app.login("chuyenvien.haichau").await;
    assert_eq!(
        act(&app, &wsp, &code, json!({"action": "forward"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let sp = app.login("chuyenvien.stp.danang").await;
    let pool = app.get("/api/v1/dossiers?list=pool", Some(&sp)).await;
    assert!(
        pool.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code.as_str()),
        "{}",
        pool.body
    );
    let counts = app.get("/api/v1/worklists", Some(&sp)).await;
    let pool_count = counts
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "pool")
        .unwrap()["count"]
        .as_i64()
        .unwrap();
    assert!(pool_count >= 1);
    let seen = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&sp))
        .await;
    assert_eq!(seen.body["your_roles"], json!(["competent"]));
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
            .await
            .body["your_roles"],
        json!(["receiving"])
    );
    let c = act(&app, &sp, &code, json!({"action": "claim"})).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let mine = app.get("/api/v1/dossiers?list=mine", Some(&sp)).await;
    assert_eq!(mine.body["total"], 1);
    act(&app, &sp, &code, json!({"action": "forward"})).await;
    let ld = app.login("lanhdao.stp.danang").await;
    let a = act(
        &app,
        &ld,
        &code,
        json!({"action": "approve", "paper_result": true}),
    )
    .await;
    assert_eq!(a.body["status"]["code"], 9, "{}", a.body);
    assert_eq!(
        a.body["due_at"], due,
        "the citizen-facing deadline is preserved"
    );
    let ev = a.body["events"].as_array().unwrap().last().unwrap().clone();
    assert!(
        ev["note"]
            .as_str()
            .unwrap()
            .starts_with("Chuyển kết quả từ Sở Tư pháp"),
        "{ev}"
    );
    assert_eq!(a.body["current_step"]["kind"], "return");
    // The transfer slip names both agencies and keeps the citizen's date.
    let (st, _, pdf) = fetch(
        &app,
        &format!("/api/v1/dossiers/{code}/forms/transfer.pdf"),
        &sp,
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("PHIẾU CHUYỂN HỒ SƠ"), "{text}");
    assert!(text.contains("Sở Tư pháp thành phố Đà Nẵng"), "{text}");
    assert!(text.contains("giữ nguyên khi chuyển"), "{text}");
    // The result comes back to the ward, which sends it by post.
    let hc = app.login("tiepnhan.haichau").await;
    let done = act(
        &app,
        &hc,
        &code,
        json!({"action": "return_result", "method": "post"}),
    )
    .await;
    assert_eq!(done.body["status"]["code"], 10);
    let agencies: Vec<String> = done.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["agency"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        agencies[0], agencies[3],
        "received and returned at the ward"
    );
    assert_eq!(agencies[1], agencies[2]);
    assert_ne!(agencies[0], agencies[1]);
    // Counted once: one dossier row, seen by both units.
    let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from dossiers where code = $1"
    )
    .bind(&code)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(n, 1);
}
both!(commune_to_province_and_back, transfer);

async fn boundary_free_routing(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    // The province lists 1.004222 (permanent residence) as boundary-free; Hải Châu receives it for another ward (20194).
    motcua::service::catalog::import::boundary_free_list(&app.state.db, b"1.004222\n", None)
        .await
        .unwrap();
    let r = app.intake(Some(&hc), json!({"procedure": "1.004222", "competent_agency": "20194.UBND", "applicant": {"name": "Phi địa giới (demo)", "id_number": "999000001500"}})).await;
    if r.status != StatusCode::CREATED {
        panic!("{}", r.body);
    }
    let code = r.body["code"].as_str().unwrap().to_owned();
    let f = act(&app, &hc, &code, json!({"action": "forward"})).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    let note = f.body["events"].as_array().unwrap().last().unwrap()["note"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(note.starts_with("Chuyển hồ sơ từ"), "{note}");
    assert_ne!(
        f.body["current_step"]["agency_id"],
        f.body["receiving_agency"]["id"]
    );
}
both!(
    boundary_free_routes_to_the_competent_ward,
    boundary_free_routing
);

async fn workflow_edit(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let old = app
        .intake(Some(&hc), intake("1.004222", "999000001600"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.login("quantri.danang").await;
    let cur = app
        .get("/api/v1/procedures/1.004222/workflow", Some(&admin))
        .await;
    assert_eq!(cur.body["version"], 1, "{}", cur.body);
    assert_eq!(cur.body["total_days"], 7.0);
    assert_eq!(cur.body["limit_days"], 7.0);
    let steps = json!([
        {"name": "Tiếp nhận và chuyển", "role": "receiving_officer", "place": "receiving", "kind": "process", "days": 0.25},
        {"name": "Lãnh đạo xem xét, ký", "role": "leader", "place": "competent", "kind": "approve", "days": 6.5},
        {"name": "Trả kết quả", "role": "receiving_officer", "place": "receiving", "kind": "return", "days": 0.25}
    ]);
    let bad = app.request("PUT", "/api/v1/procedures/1.004222/workflow", Some(&admin), Some(json!({"steps": [{"name": "A", "role": "leader", "place": "competent", "kind": "approve", "days": 1}, {"name": "B", "role": "receiving_officer", "place": "receiving", "kind": "return", "days": 1}]}).to_string())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body["error"]["fields"]["steps"]["vi"]
            .as_str()
            .unwrap()
            .contains("phải bằng thời hạn"),
        "{}",
        bad.body
    );
    let denied = app
        .request(
            "PUT",
            "/api/v1/procedures/1.004222/workflow",
            Some(&hc),
            Some(json!({"steps": steps}).to_string()),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let ok = app
        .request(
            "PUT",
            "/api/v1/procedures/1.004222/workflow",
            Some(&admin),
            Some(json!({"steps": steps, "note": "Rút gọn (thử)"}).to_string()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["version"], 2);
    assert_eq!(ok.body["versions"], json!([2, 1]));
    let new = app
        .intake(Some(&hc), intake("1.004222", "999000001601"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    // The running dossier keeps version 1 (a specialist next); the new one follows version 2 (the leader next).
    let o = act(&app, &hc, &old, json!({"action": "forward"})).await;
    assert_eq!(o.body["current_step"]["role"], "specialist");
    let n = act(&app, &hc, &new, json!({"action": "forward"})).await;
    assert_eq!(n.body["current_step"]["role"], "leader");
    assert_eq!(n.body["current_step"]["kind"], "approve");
    assert_eq!(
        ok.body["province"], "48",
        "the Đà Nẵng administrator wrote Đà Nẵng's own version"
    );
    // A TP.HCM dossier keeps the national workflow: a province administrator never writes national data.
    let bt = app.login("tiepnhan.benthanh").await;
    let hcm = app
        .intake(Some(&bt), intake("1.004222", "999000001602"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let h = act(&app, &bt, &hcm, json!({"action": "forward"})).await;
    assert_eq!(h.body["current_step"]["role"], "specialist", "{}", h.body);
    let seen = app
        .get("/api/v1/procedures/1.004222/workflow", Some(&bt))
        .await;
    assert_eq!(
        (seen.body["version"].clone(), seen.body["province"].clone()),
        (json!(1), json!(""))
    );
    // The system administrator's edit is national, and a province's own version still wins in that province.
    let sa = app.login("quantri.hethong").await;
    let nat = app
        .request(
            "PUT",
            "/api/v1/procedures/1.004222/workflow",
            Some(&sa),
            Some(json!({"steps": steps, "note": "Quốc gia (thử)"}).to_string()),
        )
        .await;
    assert_eq!(nat.status, StatusCode::OK, "{}", nat.body);
    assert_eq!(
        (nat.body["version"].clone(), nat.body["province"].clone()),
        (json!(3), json!(""))
    );
    let dn = app
        .get("/api/v1/procedures/1.004222/workflow", Some(&hc))
        .await;
    assert_eq!(
        (dn.body["version"].clone(), dn.body["province"].clone()),
        (json!(2), json!("48"))
    );
}
both!(workflow_edits_apply_to_new_dossiers, workflow_edit);

async fn province_lists(b: Backend) {
    let app = TestApp::new(b).await;
    let admin = app.login("quantri.danang").await;
    // Đà Nẵng's own boundary-free list: a Hải Châu center receives a dossier of another ward; TP.HCM does not.
    let (s, _, _) = app
        .form_post(
            "/quan-tri/thu-tuc/1.004222",
            Some(&admin),
            Some(crate::support::CSRF),
            &[("online_level", "full"), ("boundary_free", "1")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let national: (String, bool) = motcua::on_db!(&app.state.db, |p| sqlx::query_as(
        "select online_level, boundary_free from procedures where code = '1.004222'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(
        national,
        ("partial".to_owned(), false),
        "the national catalog is unchanged"
    );
    let dn = app
        .get("/api/v1/procedures?q=1.004222&province=48", None)
        .await;
    assert_eq!(dn.body["items"][0]["boundary_free"], true, "{}", dn.body);
    assert_eq!(dn.body["items"][0]["online_level"], "full");
    let hcm = app
        .get("/api/v1/procedures?q=1.004222&province=79", None)
        .await;
    assert_eq!(hcm.body["items"][0]["boundary_free"], false);
    // The national calendar: a province administrator cannot change it.
    let (s, _, _) = app
        .form_post(
            "/quan-tri/ngay-nghi",
            Some(&admin),
            Some(crate::support::CSRF),
            &[
                ("day", "2026-12-31"),
                ("kind", "day_off"),
                ("note", "(demo) thử"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from calendar_overrides"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(n, 0);
}
both!(province_lists_stay_in_the_province, province_lists);

async fn sweep(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let code = app
        .intake(Some(&hc), intake("1.004222", "999000001700"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = dossier_id(&app, &code).await;
    let first = motcua::jobs::sweep::run(&app.state).await.unwrap();
    let again = motcua::jobs::sweep::run(&app.state).await.unwrap();
    assert_eq!(again.raised, 0, "idempotent: {first:?} then {again:?}");
    // The intake step (0.5 day) is late after a working day; the dossier is due within a day after 6 more.
    app.clock.advance(Duration::days(1));
    let r = motcua::jobs::sweep::run(&app.state).await.unwrap();
    assert!(r.raised >= 1, "{r:?}");
    assert_eq!(
        motcua::jobs::sweep::run(&app.state).await.unwrap().raised,
        0
    );
    let out = motcua::store::steps::outbox_of(&app.state.db, id)
        .await
        .unwrap();
    assert!(
        out.iter()
            .any(|(k, _, p)| k == "step_late" && p.contains("quá hạn")),
        "{out:?}"
    );
    let hc = app.login("tiepnhan.haichau").await;
    let overdue = app.get("/api/v1/dossiers?list=overdue", Some(&hc)).await;
    assert!(
        !overdue.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == code.as_str()),
        "the dossier itself is not late yet"
    );
    app.clock.advance(Duration::days(9));
    motcua::jobs::sweep::run(&app.state).await.unwrap();
    let out = motcua::store::steps::outbox_of(&app.state.db, id)
        .await
        .unwrap();
    assert!(out.iter().any(|(k, _, _)| k == "dossier_late"), "{out:?}");
    let hc = app.login("tiepnhan.haichau").await;
    let overdue = app.get("/api/v1/dossiers?list=overdue", Some(&hc)).await;
    assert!(overdue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code.as_str()));
    let bad = app.get("/api/v1/dossiers?list=everything", Some(&hc)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Filters: channel, field and period narrow the list; a day without intake is empty.
    let field = app.get("/api/v1/procedures/1.004222", None).await.body["field"]
        .as_str()
        .unwrap()
        .to_owned();
    let same = app.get(&format!("/api/v1/dossiers?channel=in_person&from=2026-11-23&to=2026-11-23&procedure=1.004222&field={}", urlencode(&field)), Some(&hc)).await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    assert!(same.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code.as_str()));
    let online = app
        .get(
            "/api/v1/dossiers?channel=online&procedure=1.004222",
            Some(&hc),
        )
        .await;
    assert_eq!(online.body["total"], 0);
    let other_day = app
        .get("/api/v1/dossiers?from=2026-11-24&to=2026-11-30", Some(&hc))
        .await;
    assert_eq!(other_day.body["total"], 0);
    assert_eq!(
        app.get("/api/v1/dossiers?from=23/11/2026", Some(&hc))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The register (form 07) of the period lists it.
    let (s, _, pdf) = fetch(
        &app,
        "/api/v1/register.pdf?from=2026-11-23&to=2026-11-23",
        &hc,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(text.contains("SỔ THEO DÕI HỒ SƠ"), "{text}");
    assert!(text.contains(&code), "{text}");
}
both!(deadline_sweep_and_work_lists, sweep);

/// A tiny deterministic generator, so a failing sequence can be replayed from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).unwrap()
    }
}

async fn random_sequences(b: Backend) {
    let app = TestApp::new(b).await;
    let people = [
        "tiepnhan.haichau",
        "chuyenvien.haichau",
        "lanhdao.haichau",
        "tiepnhan.benthanh",
        "congdan.demo",
    ];
    let actions = motcua_domain::status::Action::ALL;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let sequences = 12;
    for seq in 0..sequences {
        let tokens: Vec<String> = {
            let mut v = Vec::new();
            for p in people {
                v.push(app.login(p).await);
            }
            v
        };
        let code = app
            .intake(
                Some(&tokens[0]),
                intake("1.004222", &format!("9990000018{seq:02}")),
            )
            .await
            .body["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let id = dossier_id(&app, &code).await;
        for _ in 0..25 {
            let who = rng.next(people.len());
            let a = actions[rng.next(actions.len())];
            let before = app
                .get(&format!("/api/v1/dossiers/{code}"), Some(&tokens[0]))
                .await
                .body;
            let audit_before = motcua::store::audit::for_dossier(&app.state.db, id)
                .await
                .unwrap()
                .iter()
                .filter(|e| e.action == a.as_str())
                .count();
            let body = json!({"action": a.as_str(), "note": "Kiểm thử ngẫu nhiên", "missing": ["Giấy tờ thử"], "amount": 1000,
                "new_due": "2027-01-29T09:00:00+07:00", "method": "counter", "receiver_name": "Người nhận (demo)",
                "assignee": people[rng.next(3)], "documents": app.all_documents("1.004222").await});
            let r = act(&app, &tokens[who], &code, body).await;
            let after = app
                .get(&format!("/api/v1/dossiers/{code}"), Some(&tokens[0]))
                .await
                .body;
            let offered = before["allowed_actions"]
                .as_array()
                .map(|v| v.contains(&json!(a.as_str())))
                .unwrap_or(false);
            let audit_after = motcua::store::audit::for_dossier(&app.state.db, id)
                .await
                .unwrap()
                .iter()
                .filter(|e| e.action == a.as_str())
                .count();
            if r.status == StatusCode::OK {
                assert_eq!(audit_after, audit_before + 1, "one audit record per action");
                assert_eq!(
                    after["events"].as_array().unwrap().len(),
                    before["events"].as_array().unwrap().len() + 1
                );
                if who == 0 {
                    assert!(
                        offered,
                        "{a:?} done by the officer but not offered: {before}"
                    );
                }
            } else {
                assert!(r.status.is_client_error(), "{}: {}", r.status, r.body);
                assert_eq!(
                    audit_after, audit_before,
                    "a refused action leaves no audit record"
                );
                assert_eq!(
                    after["events"], before["events"],
                    "a refused action changes nothing"
                );
                assert_eq!(after["status"], before["status"]);
                assert_eq!(after["due_at"], before["due_at"]);
                if who == 0 && r.status == StatusCode::CONFLICT {
                    assert!(!offered, "{a:?} offered but refused: {}", r.body);
                }
            }
            // Invariants: a running dossier has exactly one open step; an ended one none.
            let status = after["status"]["code"].as_i64().unwrap();
            let open = after["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["finished_at"].is_null())
                .count();
            match status {
                2 | 4 | 5 | 6 | 9 => assert_eq!(open, 1, "status {status}: {after}"),
                _ => assert_eq!(open, 0, "status {status}: {after}"),
            }
            assert!((1..=10).contains(&status));
            // A step started before the appointment never ends after it.
            let at = |v: &Value| {
                v.as_str().map(|t| {
                    time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                        .unwrap()
                })
            };
            if let Some(appointment) = at(&after["due_at"]) {
                for s in after["steps"].as_array().unwrap() {
                    let (Some(started), Some(due)) = (at(&s["started_at"]), at(&s["due_at"]))
                    else {
                        continue;
                    };
                    if s["finished_at"].is_null() && started < appointment {
                        assert!(due <= appointment, "step after the appointment: {after}");
                    }
                }
            }
        }
        app.clock.advance(Duration::minutes(5));
    }
}
both!(random_action_sequences_stay_valid, random_sequences);

async fn bundle(b: Backend) {
    let app = TestApp::new(b).await;
    // The health-insurance card's record is catalog-only (no time limit): the province's workflow gives it one.
    let admin = app.login("quantri.danang").await;
    let set = app
        .request(
            "PUT",
            "/api/v1/procedures/1.001294/workflow",
            Some(&admin),
            Some(json!({"steps": [
                {"name": "Tiếp nhận", "role": "receiving_officer", "place": "receiving", "kind": "process", "days": 0.5},
                {"name": "Thẩm định", "role": "specialist", "place": "competent", "kind": "process", "days": 3.0},
                {"name": "Ký duyệt", "role": "leader", "place": "competent", "kind": "approve", "days": 1.0},
                {"name": "Trả kết quả", "role": "receiving_officer", "place": "receiving", "kind": "return", "days": 0.5}
            ], "note": "Quy trình thử"}).to_string()),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let hc = app.login("tiepnhan.haichau").await;
    let applicant = json!({"name": "Nguyễn Thị Hoa (demo)", "id_number": "999000001900", "address": "Số 7 đường Hùng Vương (demo)"});
    let mut body = json!({
        "procedure": "2.000986",
        "summary": "Khai sinh, thường trú, thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi (demo)",
        "applicant": applicant,
        "documents": app.all_documents("2.000986").await,
        "children": [
            {"procedure": "1.001193", "competent_agency": "20242.UBND", "documents": app.all_documents("1.001193").await},
            {"procedure": "1.004222", "competent_agency": "20242.CA", "documents": app.all_documents("1.004222").await, "document_case": app.papers("1.004222", None).await.1},
            {"procedure": "1.001294", "competent_agency": "48.BHXH", "documents": app.all_documents("1.001294").await}
        ]
    });
    // One child's checklist incomplete: nothing at all is created.
    let good_docs = body["children"][1]["documents"].clone();
    body["children"][1]["documents"] = json!([]);
    let before: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from dossiers"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let bad = app.post("/api/v1/bundles", Some(&hc), body.clone()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body["error"]["fields"]["children[1].documents"].is_object(),
        "{}",
        bad.body
    );
    let after: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from dossiers"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(after, before);
    body["children"][1]["documents"] = good_docs;
    let r = app.post("/api/v1/bundles", Some(&hc), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let parent = r.body["code"].as_str().unwrap().to_owned();
    let kids: Vec<String> = r.body["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kids.len(), 3);
    assert_eq!(
        r.body["allowed_actions"],
        json!([]),
        "the parent is not processed itself"
    );
    let w = act(&app, &hc, &parent, json!({"action": "withdraw"})).await;
    assert_eq!(w.status, StatusCode::CONFLICT, "{}", w.body);
    // Each child follows its own workflow at its own agency; its own deadline; the parent's is the latest.
    let dues: Vec<Value> = r.body["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["due_at"].clone())
        .collect();
    assert_ne!(dues[0], dues[1], "{dues:?} {}", r.body);
    assert_eq!(
        r.body["due_at"],
        dues.iter().filter_map(|d| d.as_str()).max().unwrap()
    );
    let leaders = [
        "lanhdao.haichau",
        "lanhdao.congan.haichau",
        "lanhdao.bhxh.danang",
    ];
    for (i, (kid, leader)) in kids.iter().zip(leaders).enumerate() {
        let hc = app.login("tiepnhan.haichau").await;
        let v = app.get(&format!("/api/v1/dossiers/{kid}"), Some(&hc)).await;
        assert_eq!(v.body["parent"], parent.as_str());
        act(&app, &hc, kid, json!({"action": "forward"})).await;
        let ld = app.login(leader).await;
        let f = act(&app, &ld, kid, json!({"action": "forward"})).await;
        assert_eq!(f.status, StatusCode::OK, "{leader}: {}", f.body);
        let a = act(
            &app,
            &ld,
            kid,
            json!({"action": "approve", "paper_result": true}),
        )
        .await;
        assert_eq!(a.body["status"]["code"], 9, "{}", a.body);
        let p = app
            .get(&format!("/api/v1/dossiers/{parent}"), Some(&hc))
            .await;
        let done = p.body["children"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"]["code"] == 9)
            .count();
        assert_eq!(done, i + 1, "progress shows per child");
        let want = if i < 2 { 4 } else { 9 };
        assert_eq!(
            p.body["status"]["code"],
            want,
            "parent after {} children: {}",
            i + 1,
            p.body
        );
    }
    let hc = app.login("tiepnhan.haichau").await;
    for kid in &kids {
        act(&app, &hc, kid, json!({"action": "return_result", "method": "counter", "receiver_name": "Nguyễn Thị Hoa (demo)"})).await;
    }
    let p = app
        .get(&format!("/api/v1/dossiers/{parent}"), Some(&hc))
        .await;
    assert_eq!(p.body["status"]["code"], 10, "{}", p.body);
    let progress: Vec<&str> = p.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "bundle_progress")
        .map(|e| e["note"].as_str().unwrap())
        .collect();
    assert_eq!(
        progress,
        [
            "0/3 thủ tục liên thông đã có kết quả",
            "3/3 thủ tục liên thông đã có kết quả",
            "3/3 thủ tục liên thông đã có kết quả"
        ]
    );
}
both!(interlinked_bundle_of_three, bundle);

async fn documents(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let first = app
        .intake(Some(&hc), intake("1.004222", "999000002000"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = b"%PDF-1.4\n% To khai CT01 (demo)\n".to_vec();
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    // The first component the procedure requires, named as the catalog names it.
    let detail = app.get("/api/v1/procedures/1.004222", None).await.body;
    let comp = detail["detail"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["duty"] == "submit")
        .unwrap()["items"][0]["name"]
        .as_str()
        .unwrap()
        .trim_end_matches(['.', ';'])
        .to_owned();
    let comp = comp.as_str();
    let q = |code: &str| {
        format!(
            "/api/v1/dossiers/{code}/documents?component={}&name=to-khai.pdf",
            urlencode(comp)
        )
    };
    // Mislabeled: a PNG sent as a PDF. Not a document type at all. Too large. Nothing is stored.
    let bad = app
        .upload(&q(&first), &hc, "application/pdf", png.clone())
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["error"]["fields"]["file"]["en"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", bad.body))
        .contains("declared as application/pdf but its content is image/png"));
    let exe = app
        .upload(
            &q(&first),
            &hc,
            "application/pdf",
            b"MZ\x90\x00 not a pdf".to_vec(),
        )
        .await;
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let too_big = app.upload(&q(&first), &hc, "application/pdf", big).await;
    assert_eq!(
        too_big.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        too_big.body
    );
    assert_eq!(too_big.body["error"]["code"], "payload_too_large");
    let v = app
        .get(&format!("/api/v1/dossiers/{first}"), Some(&hc))
        .await;
    assert_eq!(v.body["documents"], json!([]));
    // A good one: digitised (state 1), stored encrypted, read back as uploaded.
    let ok = app
        .upload(&q(&first), &hc, "application/pdf", pdf.clone())
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["state"], 1);
    assert_eq!(ok.body["state_vi"], "Đã số hóa");
    let sha = ok.body["sha256"].as_str().unwrap().to_owned();
    let on_disk = std::fs::read(
        std::path::Path::new(&app.state.config.blob_dir)
            .join(&sha[..2])
            .join(&sha),
    )
    .unwrap();
    assert!(
        !on_disk.windows(5).any(|w| w == b"%PDF-"),
        "encrypted at rest"
    );
    let id = ok.body["id"].as_i64().unwrap();
    let (s, ct, bytes) = fetch(
        &app,
        &format!("/api/v1/dossiers/{first}/documents/{id}"),
        &hc,
    )
    .await;
    assert_eq!((s, ct.as_str()), (StatusCode::OK, "application/pdf"));
    assert_eq!(bytes, pdf);
    let other = app.login("tiepnhan.benthanh").await;
    let (s, _, _) = fetch(
        &app,
        &format!("/api/v1/dossiers/{first}/documents/{id}"),
        &other,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another ward cannot read it");
    // Once-only: the same applicant's next dossier is offered the digitised form instead of asking again.
    let second = app
        .intake(Some(&hc), intake("1.004222", "999000002000"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let stranger = app
        .intake(Some(&hc), intake("1.004222", "999000002001"))
        .await
        .body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let offers = app
        .get(
            &format!("/api/v1/dossiers/{second}/reuse-offers"),
            Some(&hc),
        )
        .await;
    assert_eq!(offers.status, StatusCode::OK, "{}", offers.body);
    let offered: Vec<i64> = offers
        .body
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| {
            o["reusable"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap())
        })
        .collect();
    assert!(offered.contains(&id), "{}", offers.body);
    let entry = offers
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|o| search(o["component"].as_str().unwrap(), comp))
        .unwrap();
    assert_eq!(entry["present"], false);
    let none = app
        .get(
            &format!("/api/v1/dossiers/{stranger}/reuse-offers"),
            Some(&hc),
        )
        .await;
    assert!(
        none.body
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["reusable"] == json!([])),
        "another person's documents are never offered"
    );
    let r = app
        .post(
            &format!("/api/v1/dossiers/{second}/documents/reuse"),
            Some(&hc),
            json!({"document_id": id}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["state"], 2);
    assert_eq!(r.body["source"], "reuse_component");
    assert_eq!(r.body["sha256"], sha.as_str());
    let wrong = app
        .post(
            &format!("/api/v1/dossiers/{stranger}/documents/reuse"),
            Some(&hc),
            json!({"document_id": id}),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    // A result reused later counts as state 3.
    let res = app
        .upload(
            &format!(
                "/api/v1/dossiers/{first}/documents?component={}&result=true",
                urlencode("Xác nhận thông tin về cư trú")
            ),
            &hc,
            "image/png",
            png,
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let rid = res.body["id"].as_i64().unwrap();
    let r3 = app
        .post(
            &format!("/api/v1/dossiers/{second}/documents/reuse"),
            Some(&hc),
            json!({"document_id": rid}),
        )
        .await;
    assert_eq!(r3.body["state"], 3, "{}", r3.body);
    let v = app
        .get(&format!("/api/v1/dossiers/{second}"), Some(&hc))
        .await;
    assert_eq!(v.body["documents"].as_array().unwrap().len(), 2);
}
both!(documents_uploads_and_once_only_reuse, documents);

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn search(a: &str, b: &str) -> bool {
    motcua_domain::text::search_key(a) == motcua_domain::text::search_key(b)
}

async fn citizen_supplements_online(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let r = app.post("/api/v1/dossiers", Some(&cz), json!({"procedure": "1.001193", "receiving_agency": "20242", "applicant": {"name": "Nguyễn Văn An (demo)", "id_number": "999000002100"}})).await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let pdf = b"%PDF-1.4\n% ban sao giay chung sinh (demo)\n".to_vec();
    let up = format!("/api/v1/dossiers/{code}/documents?component=Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh&name=chung-sinh.pdf");
    assert_eq!(
        app.upload(&up, &cz, "application/pdf", pdf.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    // The counter finds the checklist short: the guidance slip lists what is missing; nothing is accepted.
    let hc = app.login("tiepnhan.haichau").await;
    let (s, _, slip) = fetch_post_pdf(
        &app,
        "/api/v1/procedures/1.001193/guidance.pdf",
        &hc,
        json!({"documents": [1]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let text = pdf_text(&slip);
    assert!(text.contains("PHIẾU HƯỚNG DẪN HOÀN THIỆN HỒ SƠ"), "{text}");
    assert!(text.contains("Giấy chứng sinh"), "{text}");
    assert!(text.contains("Tờ khai đăng ký khai sinh"), "{text}");
    assert!(
        !text.contains("bị bỏ rơi"),
        "a paper needed only in its case is not asked for: {text}"
    );
    let docs = app.online_papers("1.001193").await;
    let acc = act(
        &app,
        &hc,
        &code,
        json!({"action": "accept", "documents": docs}),
    )
    .await;
    assert_eq!(acc.body["status"]["code"], 2);
    act(&app, &hc, &code, json!({"action": "forward"})).await;
    let sp = app.login("chuyenvien.haichau").await;
    let s = act(&app, &sp, &code, json!({"action": "request_supplement", "note": "Bản chụp mờ", "missing": ["Giấy chứng sinh bản rõ nét"]})).await;
    assert_eq!(s.body["status"]["code"], 5);
    // The citizen answers online: uploads the document and sends the supplement.
    let cz = app.login("congdan.demo").await;
    let mine = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&cz))
        .await;
    assert!(
        mine.body["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("receive_supplement")),
        "{}",
        mine.body["allowed_actions"]
    );
    // Sending under another name does not answer the request: the paper asked for is still missing.
    let early = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&cz),
            json!({"action": "receive_supplement", "note": "Đã bổ sung"}),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert!(
        early
            .body
            .to_string()
            .contains("Giấy chứng sinh bản rõ nét"),
        "{}",
        early.body
    );
    let asked = format!("/api/v1/dossiers/{code}/documents?component=Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh%20b%E1%BA%A3n%20r%C3%B5%20n%C3%A9t&name=ro-net.pdf");
    assert_eq!(
        app.upload(
            &asked,
            &cz,
            "application/pdf",
            b"%PDF-1.4\n% ro net (demo)\n".to_vec()
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let back = act(
        &app,
        &cz,
        &code,
        json!({"action": "receive_supplement", "note": "Đã bổ sung bản rõ nét"}),
    )
    .await;
    assert_eq!(back.body["status"]["code"], 4, "{}", back.body);
    // A citizen cannot add a result, nor documents once processing resumed.
    assert_eq!(
        app.upload(&up, &cz, "application/pdf", pdf).await.status,
        StatusCode::FORBIDDEN
    );
}
both!(
    citizen_answers_a_supplement_online,
    citizen_supplements_online
);

async fn fetch_post_pdf(
    app: &TestApp,
    uri: &str,
    token: &str,
    body: Value,
) -> (StatusCode, String, Vec<u8>) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        ct,
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

async fn on_the_spot(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let w = app
        .get("/api/v1/procedures/2.000815/workflow", Some(&hc))
        .await;
    assert_eq!(w.body["steps"].as_array().unwrap().len(), 2, "{}", w.body);
    let r = app
        .intake(Some(&hc), intake("2.000815", "999000002200"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        r.body["limit_source"], "law",
        "the record states no time; the decree's same-day rule applies"
    );
    let code = r.body["code"].as_str().unwrap().to_owned();
    let v = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await
        .body;
    let appointment = v["due_at"].as_str().unwrap_or_else(|| panic!("{v}"));
    let step_due = v["steps"][0]["due_at"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        step_due <= appointment,
        "the step ends by the appointment ({step_due} > {appointment}): {v}"
    );
    assert!(
        r.body["allowed_actions"]
            .as_array()
            .unwrap()
            .contains(&json!("approve")),
        "{}",
        r.body["allowed_actions"]
    );
    let a = act(
        &app,
        &hc,
        &code,
        json!({"action": "approve", "paper_result": true}),
    )
    .await;
    assert_eq!(a.body["status"]["code"], 9, "{}", a.body);
    let done = act(&app, &hc, &code, json!({"action": "return_result", "method": "counter", "receiver_name": "Người nhận (demo)"})).await;
    assert_eq!(done.body["status"]["code"], 10);
    assert_eq!(
        done.body["steps"].as_array().unwrap().len(),
        2,
        "assessed, signed and returned on the spot"
    );
}
both!(certification_on_the_spot, on_the_spot);

async fn cases(b: Backend) {
    let app = TestApp::new(b).await;
    let admin = app.login("quantri.danang").await;
    // A named case with its own (test) limit of 3 working days and a shorter process.
    let steps = json!([
        {"name": "Tiếp nhận và chuyển", "role": "receiving_officer", "place": "receiving", "kind": "process", "days": 0.25},
        {"name": "Thẩm định", "role": "specialist", "place": "competent", "kind": "process", "days": 1.5},
        {"name": "Ký duyệt", "role": "leader", "place": "competent", "kind": "approve", "days": 1},
        {"name": "Trả kết quả", "role": "receiving_officer", "place": "receiving", "kind": "return", "days": 0.25}
    ]);
    let case = "Trường hợp thử nghiệm (demo)";
    let wrong_sum = app
        .request(
            "PUT",
            "/api/v1/procedures/1.004222/workflow",
            Some(&admin),
            Some(json!({"case": case, "limit_days": 4, "steps": steps}).to_string()),
        )
        .await;
    assert_eq!(wrong_sum.status, StatusCode::UNPROCESSABLE_ENTITY);
    let default_limit = app
        .request(
            "PUT",
            "/api/v1/procedures/1.004222/workflow",
            Some(&admin),
            Some(json!({"limit_days": 3, "steps": steps}).to_string()),
        )
        .await;
    assert_eq!(
        default_limit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the default case follows the catalog"
    );
    let ok = app
        .request(
            "PUT",
            "/api/v1/procedures/1.004222/workflow",
            Some(&admin),
            Some(json!({"case": case, "limit_days": 3, "steps": steps}).to_string()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["case"]["name"], case);
    assert_eq!(ok.body["case"]["version"], 1);
    assert_eq!(ok.body["limit_days"], 3.0);
    let names: Vec<&str> = ok.body["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Trường hợp chung", case]);
    // Intake in that case: its limit (3 working days from Mon 09:00 → Thu 09:00) and its workflow.
    let hc = app.login("tiepnhan.haichau").await;
    let mut body = intake("1.004222", "999000002300");
    body["case"] = json!(case);
    let r = app.intake(Some(&hc), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["due_at"], "2026-11-26T09:00:00+07:00");
    assert_eq!(r.body["case"], motcua_domain::text::search_key(case));
    assert_eq!(r.body["current_step"]["name"], "Tiếp nhận và chuyển");
    let plain = app
        .intake(Some(&hc), intake("1.004222", "999000002301"))
        .await;
    assert_eq!(
        plain.body["due_at"], "2026-12-02T09:00:00+07:00",
        "the default case keeps 7 days"
    );
    let mut unknown = intake("1.004222", "999000002302");
    unknown["case"] = json!("Không có trường hợp này");
    let u = app.intake(Some(&hc), unknown).await;
    assert_eq!(u.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        u.body["error"]["fields"]["case"]["en"],
        "the procedure has no such case"
    );
}
both!(procedure_cases_have_their_own_workflow_and_limit, cases);
