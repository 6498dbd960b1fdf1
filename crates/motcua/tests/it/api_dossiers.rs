//! Dossiers: codes, due dates, concurrency, scope, transitions, the clock stop, the access log.

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;
use time::Duration;

fn intake(procedure: &str, id: &str) -> Value {
    json!({"procedure": procedure, "applicant": {"name": "Người nộp thử (demo)", "id_number": id, "phone": "0900000001", "address": "Số 1 đường thử (demo)"}})
}

async fn create_and_read(b: Backend) {
    let app = TestApp::new(b).await;
    let t = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(Some(&t), intake("1.004222", "999000000100"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_owned();
    // The demo seeded 4 dossiers at this ward today; this is the 5th.
    assert_eq!(code, "20242-261123-0005");
    assert_eq!(r.body["status"]["code"], 2);
    assert_eq!(r.body["status"]["vi"], "Được tiếp nhận");
    // 7 working days from Mon 23/11 09:00.
    assert_eq!(r.body["due_at"], "2026-12-02T09:00:00+07:00");
    assert_eq!(r.body["due_vi"], "02/12/2026 09:00");
    assert_eq!(r.body["remaining"]["vi"], "Còn 7 ngày làm việc");
    assert_eq!(r.body["applicant"]["id_number"], "9990******00", "masked");
    assert!(
        !r.body.to_string().contains("999000000100"),
        "the full ID number never leaves the API"
    );
    let got = app.get(&format!("/api/v1/dossiers/{code}"), Some(&t)).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["procedure"]["name"], "Đăng ký thường trú");
    assert_eq!(got.body["events"][0]["action"], "receive");
    let list = app.get("/api/v1/dossiers?status=accepted", Some(&t)).await;
    assert!(list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code.as_str()));
    assert!(list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"]["code"] == 2));
    let ent = app.intake(Some(&t), json!({"procedure": "1.004222", "applicant": {"kind": "enterprise", "name": "Công ty TNHH Thử nghiệm (demo)", "id_number": "0101234567-001"}})).await;
    assert_eq!(ent.status, StatusCode::CREATED, "{}", ent.body);
    assert_eq!(ent.body["applicant"]["id_number"], "0101234567-001");
    assert_eq!(ent.body["applicant"]["kind"], "enterprise");
    // 1.001193 under the 15:00 rule: same day before 15:00, next working day after.
    let r = app
        .intake(Some(&t), intake("1.001193", "999000000101"))
        .await;
    assert_eq!(r.body["due_at"], "2026-11-23T17:00:00+07:00");
    app.clock.advance(Duration::hours(7));
    let t = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(Some(&t), intake("1.001193", "999000000102"))
        .await;
    assert_eq!(r.body["due_at"], "2026-11-24T17:00:00+07:00");
    // Access to a citizen's data is in the audit table, without the values.
    let id: motcua_domain::ids::DossierId = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select id from dossiers where code = $1"
    )
    .bind(&code)
    .fetch_one(p)
    .await)
    .unwrap();
    let audit = motcua::store::audit::for_dossier(&app.state.db, id)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["create_dossier", "read_dossier"]);
    assert!(audit
        .iter()
        .all(|a| !format!("{a:?}").contains("999000000100")));
}
both!(dossier_create_read_list, create_and_read);

async fn bad_input(b: Backend) {
    let app = TestApp::new(b).await;
    let t = app.login("tiepnhan.haichau").await;
    let cases = [
        (
            json!({"procedure": "1.004222", "applicant": {"name": "A", "id_number": "123"}}),
            "id_number",
        ),
        (
            json!({"procedure": "9.999999", "applicant": {"name": "A", "id_number": "999000000001"}}),
            "procedure",
        ),
        (
            json!({"procedure": "abc", "applicant": {"name": "A", "id_number": "999000000001"}}),
            "procedure",
        ),
        (
            json!({"procedure": "1.004222", "applicant": {"name": " ", "id_number": "999000000001"}}),
            "applicant.name",
        ),
        (
            json!({"procedure": "1.004222", "channel": "fax", "applicant": {"name": "A", "id_number": "999000000001"}}),
            "channel",
        ),
        (
            json!({"procedure": "1.004222", "competent_agency": "26743.UBND", "applicant": {"name": "A", "id_number": "999000000001"}}),
            "competent_agency",
        ),
        (
            json!({"procedure": "1.004222", "competent_agency": "20245.UBND", "applicant": {"name": "A", "id_number": "999000000001"}}),
            "competent_agency",
        ),
    ];
    for (body, field) in cases {
        let r = app.intake(Some(&t), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert!(
            r.body["error"]["fields"][field]["vi"].is_string(),
            "{field}: {}",
            r.body
        );
    }
    // An enterprise applies with its tax code, not a personal number.
    let ent = app.intake(Some(&t), json!({"procedure": "1.004222", "applicant": {"kind": "enterprise", "name": "Công ty TNHH Thử nghiệm (demo)", "id_number": "079012345634"}})).await;
    assert_eq!(
        ent.body["error"]["fields"]["id_number"]["en"],
        "a tax code has 10 digits (dependent unit: 10 digits-3 digits)"
    );
    let r = app.intake(Some(&t), json!({"procedure": "1.004222", "applicant": {"name": "A", "id_number": "999000000001"}, "extra": 1})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .request(
            "POST",
            "/api/v1/dossiers",
            Some(&t),
            Some("{\"procedure\":".into()),
        )
        .await;
    assert_eq!(r.body["error"]["code"], "bad_request");
    let r = app
        .request(
            "POST",
            "/api/v1/dossiers",
            Some(&t),
            Some(format!("{{\"summary\": \"{}\"}}", "x".repeat(2_000_000))),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Nothing was created by any of these.
    let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from dossiers"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(n, 6, "only the demo dossiers");
    let specialist = app.login("chuyenvien.haichau").await;
    let r = app
        .intake(Some(&specialist), intake("1.004222", "999000000001"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.intake(None, intake("1.004222", "999000000001"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/dossiers?status=42", Some(&t)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.get("/api/v1/dossiers/not-a-code", Some(&t)).await.body["error"]["code"],
        "dossier_not_found"
    );
}
both!(dossier_bad_input_changes_nothing, bad_input);

async fn concurrent_codes(b: Backend) {
    let app = TestApp::new(b).await;
    let t = app.login("tiepnhan.benthanh").await;
    let futs = (0..24).map(|i| {
        let app = &app;
        let t = t.clone();
        async move { app.intake(Some(&t), json!({"procedure": "1.004222", "competent_agency": "26743.UBND", "applicant": {"name": "Song song (demo)", "id_number": format!("9990000002{i:02}")}})).await }
    });
    let results = futures_join_all(futs).await;
    let mut codes = HashSet::new();
    for r in &results {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert!(
            codes.insert(r.body["code"].as_str().unwrap().to_owned()),
            "duplicate code {}",
            r.body["code"]
        );
    }
    // Serials 2..=25 (the demo made one at this ward): unique and gap-free.
    let mut serials: Vec<u32> = codes
        .iter()
        .map(|c| c.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    serials.sort_unstable();
    assert_eq!(serials, (2..=25).collect::<Vec<_>>());
}
both!(concurrent_creation_never_repeats_a_code, concurrent_codes);

/// Runs futures concurrently on the multi-threaded runtime.
async fn futures_join_all<F: std::future::Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futs {
        set.push(f);
    }
    let mut out = Vec::new();
    let pinned: Vec<_> = set.into_iter().map(Box::pin).collect();
    let mut pending: Vec<_> = pinned.into_iter().map(Some).collect();
    // A tiny join_all: poll all until each completes.
    std::future::poll_fn(|cx| {
        let mut done = true;
        for slot in pending.iter_mut() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        out.push(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out
}

async fn scope(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(Some(&hc), intake("1.004222", "999000000300"))
        .await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/dossiers/{code}");
    // Another ward's officer: 404, as if it did not exist.
    let bt = app.login("tiepnhan.benthanh").await;
    let other = app.get(&path, Some(&bt)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.body["error"]["code"], "dossier_not_found");
    assert!(
        app.get("/api/v1/dossiers?limit=500", Some(&bt)).await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["receiving_agency"]["unit_code"] == "26743")
    );
    assert_eq!(
        app.post(
            &format!("{path}/actions"),
            Some(&bt),
            json!({"action": "stop"})
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Same ward, People's Committee staff: visible.
    let sp = app.login("chuyenvien.haichau").await;
    assert_eq!(app.get(&path, Some(&sp)).await.status, StatusCode::OK);
    // Province admin of Đà Nẵng sees it; the system admin too; a citizen does not.
    let pa = app.login("quantri.danang").await;
    assert_eq!(app.get(&path, Some(&pa)).await.status, StatusCode::OK);
    let bt_code = app.get("/api/v1/dossiers", Some(&bt)).await.body["items"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{bt_code}"), Some(&pa))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let sa = app.login("quantri.hethong").await;
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{bt_code}"), Some(&sa))
            .await
            .status,
        StatusCode::OK
    );
    let cz = app.login("congdan.demo").await;
    assert_eq!(
        app.get(&path, Some(&cz)).await.status,
        StatusCode::NOT_FOUND
    );
    let own = app.get("/api/v1/dossiers", Some(&cz)).await;
    assert_eq!(
        own.body["total"], 1,
        "the citizen sees only their own online submission"
    );
    assert_eq!(own.body["items"][0]["status"]["code"], 1);
    // A dossier forwarded from the ward to the provincial department is visible to that department, not to
    // another department's staff of the same province.
    let fw = app.intake(Some(&hc), json!({"procedure": "1.000426", "competent_agency": "48.STP", "applicant": {"name": "Chuyển tỉnh (demo)", "id_number": "999000000301"}})).await;
    assert_eq!(fw.status, StatusCode::CREATED, "{}", fw.body);
    let fw_path = format!("/api/v1/dossiers/{}", fw.body["code"].as_str().unwrap());
    let stp = app.login("chuyenvien.stp.danang").await;
    assert_eq!(app.get(&fw_path, Some(&stp)).await.status, StatusCode::OK);
    assert_eq!(
        app.get(&path, Some(&stp)).await.status,
        StatusCode::NOT_FOUND
    );
    let tt = app.login("tiepnhan.tinhdanang").await;
    assert_eq!(
        app.get(&fw_path, Some(&tt)).await.status,
        StatusCode::NOT_FOUND
    );
}
both!(officers_see_only_their_units_dossiers, scope);

async fn access_log(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(Some(&hc), intake("1.004222", "999000000700"))
        .await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    app.request("GET", &format!("/api/v1/dossiers/{code}"), Some(&hc), None)
        .await;
    let path = format!("/api/v1/dossiers/{code}/access-log");
    // Officers cannot read the log; administrators of another province get 404.
    assert_eq!(
        app.get(&path, Some(&hc)).await.status,
        StatusCode::FORBIDDEN
    );
    let pa = app.login("quantri.danang").await;
    let log = app.get(&path, Some(&pa)).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let actions: Vec<&str> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create_dossier", "read_dossier"]);
    assert_eq!(log.body[1]["actor_role"], "receiving_officer");
    assert!(!log.body.to_string().contains("999000000700"));
    // Reading the log is itself logged.
    let again = app.get(&path, Some(&pa)).await;
    assert_eq!(
        again.body.as_array().unwrap().last().unwrap()["action"],
        "read_access_log"
    );
}
both!(access_log_for_administrators, access_log);

async fn transitions(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let sp = app.login("chuyenvien.haichau").await;

    let r = app
        .intake(Some(&hc), intake("1.004222", "999000000400"))
        .await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let act = |t: String, a: &'static str, extra: Value| {
        let app = &app;
        let code = code.clone();
        async move {
            let mut body = json!({"action": a, "note": "kiểm thử"});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            app.post(&format!("/api/v1/dossiers/{code}/actions"), Some(&t), body)
                .await
        }
    };
    assert_eq!(
        r.body["allowed_actions"],
        json!([
            "forward",
            "assign",
            "request_supplement",
            "request_payment",
            "extend",
            "withdraw"
        ]),
        "the receiving officer holds the intake step they received (and may ask for a fee collected before processing)"
    );
    assert_eq!(
        r.body["current_step"]["name"],
        "Tiếp nhận, số hóa và chuyển hồ sơ"
    );
    let forbidden = act(sp.clone(), "forward", json!({})).await;
    assert_eq!(
        forbidden.status,
        StatusCode::FORBIDDEN,
        "not the specialist's step yet"
    );
    let wrong = act(hc.clone(), "return_result", json!({})).await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert_eq!(wrong.body["error"]["code"], "transition_not_allowed");
    assert_eq!(
        act(hc.clone(), "fly", json!({})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let p = act(
        hc.clone(),
        "forward",
        json!({"assignee": "chuyenvien.haichau"}),
    )
    .await;
    assert_eq!(p.body["status"]["code"], 4, "{}", p.body);
    assert_eq!(p.body["current_step"]["index"], 1);
    // Supplement requested Mon 23/11 10:00, answered Wed 25/11 10:00: 2 working days stopped, due moves 2 days.
    let due_before = "2026-12-02T09:00:00+07:00";
    assert_eq!(p.body["due_at"], due_before);
    app.clock.advance(Duration::hours(1));
    // An hour idle ends a session (15 minutes): sign in again, as a person would.
    let sp = app.login("chuyenvien.haichau").await;
    let s = act(
        sp.clone(),
        "request_supplement",
        json!({"missing": ["Bản sao giấy tờ chứng minh chỗ ở hợp pháp"]}),
    )
    .await;
    assert_eq!(s.body["status"]["code"], 5, "{}", s.body);
    assert!(s.body["remaining"].is_object());
    app.clock.advance(Duration::days(2));
    let hc = app.login("tiepnhan.haichau").await;
    let sp = app.login("chuyenvien.haichau").await;
    let ld = app.login("lanhdao.haichau").await;
    let back = act(hc.clone(), "receive_supplement", json!({})).await;
    assert_eq!(back.body["status"]["code"], 4);
    assert_eq!(back.body["due_at"], "2026-12-04T09:00:00+07:00");
    assert_eq!(back.body["legal_due_at"], "2026-12-04T09:00:00+07:00");
    let f = act(sp.clone(), "forward", json!({})).await;
    assert_eq!(f.body["current_step"]["role"], "leader");
    let done = act(ld.clone(), "approve", json!({"paper_result": true})).await;
    assert_eq!(done.body["status"]["code"], 9, "{}", done.body);
    assert!(done.body["remaining"].is_null());
    assert_eq!(done.body["on_time"], true);
    let no_method = act(hc.clone(), "return_result", json!({"method": "counter"})).await;
    assert_eq!(no_method.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ret = act(
        hc.clone(),
        "return_result",
        json!({"method": "counter", "receiver_name": "Người nhận thử (demo)"}),
    )
    .await;
    assert_eq!(ret.body["status"]["code"], 10);
    assert_eq!(ret.body["allowed_actions"], json!([]));
    assert_eq!(ret.body["result"]["receiver_name"], "Người nhận thử (demo)");
    let events: Vec<&str> = ret.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "receive",
            "forward",
            "request_supplement",
            "receive_supplement",
            "forward",
            "approve",
            "return_result"
        ]
    );
    // A refused action left nothing behind: still 7 events after another refused one.
    assert_eq!(
        act(ld.clone(), "stop", json!({})).await.status,
        StatusCode::CONFLICT
    );
    let again = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(again.body["events"].as_array().unwrap().len(), 7);
}
both!(status_transitions_and_clock_stop, transitions);

async fn online_submission(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let r = app.intake(Some(&cz), json!({"procedure": "1.001193", "receiving_agency": "20242", "applicant": {"name": "Nguyễn Văn An (demo)", "id_number": "999000000500"}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["status"]["code"], 1);
    assert!(
        r.body["due_at"].is_null(),
        "the clock starts at valid intake, not submission"
    );
    assert_eq!(r.body["channel"], "online");
    let code = r.body["code"].as_str().unwrap().to_owned();
    let hc = app.login("tiepnhan.haichau").await;
    // The checklist is not complete: the answer lists what is missing (the guidance) and nothing changes.
    // Online, the birth certificate is the one paper to upload (the declaration is the e-form; identity is looked
    // up).
    let docs = app.online_papers("1.001193").await;
    assert_eq!(docs.len(), 1, "{docs:?}");
    let p = app.get("/api/v1/procedures/1.001193", None).await;
    let name = |n: u32| {
        p.body["checklist_online"]["papers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["number"] == n)
            .map(|x| x["name"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let partial = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&hc),
            json!({"action": "accept", "documents": []}),
        )
        .await;
    assert_eq!(partial.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = partial.body["error"]["fields"]["documents"]["vi"]
        .as_str()
        .unwrap();
    assert!(missing.starts_with("Hồ sơ chưa đủ thành phần"), "{missing}");
    assert!(missing.contains(&name(docs[0])), "{missing}");
    let still = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(still.body["status"]["code"], 1);
    assert_eq!(still.body["events"].as_array().unwrap().len(), 1);
    let acc = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&hc),
            json!({"action": "accept", "documents": docs}),
        )
        .await;
    assert_eq!(acc.body["status"]["code"], 2, "{}", acc.body);
    assert_eq!(acc.body["current_step"]["index"], 0);
    assert_eq!(acc.body["due_at"], "2026-11-23T17:00:00+07:00");
    let no = app.intake(Some(&cz), json!({"procedure": "1.001193", "applicant": {"name": "A", "id_number": "999000000500"}})).await;
    assert_eq!(
        no.body["error"]["fields"]["receiving_agency"]["en"],
        "choose where to submit"
    );
}
both!(citizen_submits_online, online_submission);

async fn boundary_free(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let other_ward = json!({"procedure": "2.000815", "competent_agency": "20194.UBND", "applicant": {"name": "Phi địa giới (demo)", "id_number": "999000000600"}});
    // Not on the province's boundary-free list: refused, nothing created.
    let r = app.intake(Some(&hc), other_ward.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.body["error"]["fields"]["competent_agency"]["en"],
        "this procedure is not boundary-free: submit it at the competent commune"
    );
    // Once listed, Phường Hải Châu receives it for Phường Hải Vân (same city) and routes it there.
    motcua::service::catalog::import::boundary_free_list(&app.state.db, b"2.000815\n", None)
        .await
        .unwrap();
    let r = app.intake(Some(&hc), other_ward).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert!(
        r.body["code"].as_str().unwrap().starts_with("20242-"),
        "one code, from the receiving center"
    );
    assert_eq!(
        r.body["competent_agency"]["name"],
        "Ủy ban nhân dân Phường Hải Vân"
    );
    let listed = app
        .get("/api/v1/procedures?boundary_free=true&limit=500", None)
        .await;
    assert_eq!(listed.body["total"], 1);
    // Still never across provinces.
    let r = app.intake(Some(&hc), json!({"procedure": "2.000815", "competent_agency": "26743.UBND", "applicant": {"name": "A", "id_number": "999000000601"}})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
both!(boundary_free_intake_within_the_province, boundary_free);

pub async fn fetch(app: &TestApp, uri: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let router = motcua::http::app(app.state.clone());
    let req = axum::http::Request::get(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(router, req).await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, ct, body)
}

/// The text of a PDF as poppler reads it (scripts/test installs poppler-utils).
pub fn pdf_text(pdf: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "motcua-receipt-{}-{}.pdf",
        std::process::id(),
        pdf.len()
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is required");
    let _ = std::fs::remove_file(&path);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

async fn receipt(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app.intake(Some(&hc), json!({"procedure": "1.004222", "applicant": {"name": "Nguyễn Thị Hồng Nhung (demo)", "id_number": "999000000800", "address": "Số 12 đường Trần Phú (demo)"}})).await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let (status, ct, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/receipt.pdf"), &hc).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "application/pdf");
    assert!(
        pdf.starts_with(b"%PDF-1.7") && pdf.len() < 200_000,
        "{} bytes",
        pdf.len()
    );
    let text = pdf_text(&pdf);
    for want in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        &code,
        "Nguyễn Thị Hồng Nhung (demo)",
        "Đăng ký thường trú",
        "7 ngày làm việc",
        "09 giờ 00 phút, ngày 23/11/2026",
        "09 giờ 00 phút, ngày 02/12/2026",
        "Trần Thị Bích (demo)",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    assert!(
        !text.contains("999000000800"),
        "the ID number is masked on paper too"
    );
    // Out of scope: 404. Not yet accepted (online submission): 409.
    let bt = app.login("tiepnhan.benthanh").await;
    assert_eq!(
        fetch(&app, &format!("/api/v1/dossiers/{code}/receipt.pdf"), &bt)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let online = app
        .get("/api/v1/dossiers?status=submitted", Some(&hc))
        .await
        .body["items"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, _, body) = fetch(&app, &format!("/api/v1/dossiers/{online}/receipt.pdf"), &hc).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "{}",
        String::from_utf8_lossy(&body)
    );
    let id: motcua_domain::ids::DossierId = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select id from dossiers where code = $1"
    )
    .bind(&code)
    .fetch_one(p)
    .await)
    .unwrap();
    let audit = motcua::store::audit::for_dossier(&app.state.db, id)
        .await
        .unwrap();
    assert!(audit.iter().any(|a| a.action == "print_receipt"));
}
both!(receipt_form_01_as_pdf, receipt);

async fn public_tracking(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(Some(&hc), intake("1.004222", "999000000900"))
        .await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    // By code and the applicant's ID number: progress, no personal data.
    let t = app
        .post(
            "/api/v1/track",
            None,
            serde_json::json!({"code": code, "proof": "999000000900"}),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    assert_eq!(t.body["status_vi"], "Được tiếp nhận");
    assert_eq!(t.body["due_vi"], "02/12/2026 09:00");
    assert!(
        !t.body.to_string().contains("Người nộp thử")
            && !t.body.to_string().contains("999000000900")
    );
    // A wrong number and an unknown code look the same.
    let wrong = app
        .post(
            "/api/v1/track",
            None,
            serde_json::json!({"code": code, "proof": "999000000901"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/track",
            None,
            serde_json::json!({"code": "20242-261123-9999", "proof": "999000000900"}),
        )
        .await;
    assert_eq!(
        (wrong.status, unknown.status),
        (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND)
    );
    assert_eq!(wrong.body, unknown.body);
    // The receipt's QR link carries a token that works alone.
    let (_, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/receipt.pdf"), &hc).await;
    let text = pdf_text(&pdf);
    let url = text
        .split_whitespace()
        .find(|w| w.contains("/tra-cuu?ma="))
        .expect("tracking link printed")
        .to_owned();
    let token = url.split("&t=").nth(1).unwrap().to_owned();
    let page = fetch(&app, &format!("/tra-cuu?ma={code}&t={token}"), "").await;
    let html = String::from_utf8(page.2).unwrap();
    assert!(
        html.contains("data-test=\"tracked\"")
            && html.contains("Được tiếp nhận")
            && html.contains("02/12/2026 09:00"),
        "{html}"
    );
    let forged = fetch(
        &app,
        &format!("/tra-cuu?ma={code}&t=0000000000000000000a"),
        "",
    )
    .await;
    assert!(String::from_utf8(forged.2)
        .unwrap()
        .contains("data-test=\"not-found\""));
    let other = app
        .get(
            &format!("/api/v1/track?code=20242-261123-0001&proof={token}"),
            None,
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "a token opens only its own dossier"
    );
    // An ID number never goes in an address: GET refuses it (POST takes it).
    let in_url = app
        .get(
            &format!("/api/v1/track?code={code}&proof=999000000900"),
            None,
        )
        .await;
    assert_eq!(
        in_url.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        in_url.body
    );
    let id: motcua_domain::ids::DossierId = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select id from dossiers where code = $1"
    )
    .bind(&code)
    .fetch_one(p)
    .await)
    .unwrap();
    app.state.access.flush().await.expect("access log");
    let audit = motcua::store::audit::for_dossier(&app.state.db, id)
        .await
        .unwrap();
    assert_eq!(
        audit.iter().filter(|a| a.action == "public_track").count(),
        2
    );
}
both!(
    public_tracking_by_id_number_or_receipt_token,
    public_tracking
);

async fn tracking_limit(b: Backend) {
    let app = TestApp::new(b).await;
    // 20 look-ups a minute per client, whatever their answer: guessing ID numbers against a code is throttled.
    for i in 0..20 {
        let r = app
            .post(
                "/api/v1/track",
                None,
                serde_json::json!({"code": "20242-261123-0001", "proof": format!("9990000{i:05}")}),
            )
            .await;
        assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS, "look-up {}", i + 1);
    }
    let r = app
        .post(
            "/api/v1/track",
            None,
            serde_json::json!({"code": "20242-261123-0001", "proof": "999000000001"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.body["error"]["code"], "rate_limited");
    assert_eq!(
        r.body["error"]["message"],
        "Bạn thử quá nhiều lần, vui lòng thử lại sau một phút"
    );
    let (status, _, page) = app
        .form_post(
            "/tra-cuu",
            None,
            Some(crate::support::CSRF),
            &[("ma", "20242-261123-0001"), ("so", "999000000001")],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("data-test=\"rate-limited\""));
    app.clock.advance(time::Duration::seconds(61));
    let ok = app
        .post(
            "/api/v1/track",
            None,
            serde_json::json!({"code": "20242-261123-0001", "proof": "999000000001"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}
both!(public_tracking_is_rate_limited, tracking_limit);
