//! Every documented response schema matches what the handler answers: one real request per operation, its status
//! and media type as documented, and its JSON body validated against the schema (types, required fields, items,
//! enums, references, nullable).

use crate::both;
use crate::support::{Backend, NowTs, TestApp};
use serde_json::{json, Value};

fn resolve<'a>(doc: &'a Value, s: &'a Value) -> &'a Value {
    match s["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        Some(name) => resolve(doc, &doc["components"]["schemas"][name]),
        None => s,
    }
}

/// Checks `v` against an OpenAPI 3.0 schema; the first mismatch with its location.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let s = resolve(doc, schema);
    if v.is_null() {
        return if s["nullable"] == true || s.get("type").is_none() && s.get("allOf").is_none() {
            Ok(())
        } else {
            Err(format!("{at}: null where {s} is wanted"))
        };
    }
    if let Some(all) = s["allOf"].as_array() {
        for sub in all {
            check(doc, sub, v, at)?;
        }
    }
    let ok = match s["type"].as_str() {
        None => true,
        Some("object") => v.is_object(),
        Some("array") => v.is_array(),
        Some("string") => v.is_string(),
        Some("integer") => v.is_i64() || v.is_u64(),
        Some("number") => v.is_number(),
        Some("boolean") => v.is_boolean(),
        Some(t) => return Err(format!("{at}: unknown type {t}")),
    };
    if !ok {
        return Err(format!("{at}: {v} is not {}", s["type"]));
    }
    if let Some(e) = s["enum"].as_array() {
        if !e.contains(v) {
            return Err(format!("{at}: {v} not in {s}"));
        }
    }
    if let Some(req) = s["required"].as_array() {
        for k in req.iter().filter_map(Value::as_str) {
            if v.get(k).is_none() {
                return Err(format!("{at}: missing {k}"));
            }
        }
    }
    if let (Some(props), Some(o)) = (s["properties"].as_object(), v.as_object()) {
        for (k, ps) in props {
            if let Some(x) = o.get(k) {
                check(doc, ps, x, &format!("{at}.{k}"))?;
            }
        }
    }
    if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate().take(20) {
            check(doc, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// One request: method, documented path, concrete path, token, JSON body.
/// A request to check against the document: method, documented path, concrete path, token, body.
pub(crate) type Call<'a> = (&'a str, &'a str, String, Option<&'a str>, Option<Value>);

async fn conformance(b: Backend) {
    let app = TestApp::new(b).await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    let hc = app.login("tiepnhan.haichau").await;
    let admin = app.login("quantri.danang").await;
    let spec = app.login("chuyenvien.haichau").await;
    let created = app
        .intake(Some(&hc), json!({"procedure": "1.001193", "applicant": {"name": "(demo) Lược Đồ", "id_number": "999000000801"}}))
        .await;
    let code = created.body["code"].as_str().unwrap().to_owned();
    let up = app
        .upload(
            &format!("/api/v1/dossiers/{code}/documents?component=T%E1%BB%9D%20khai&name=tk.pdf"),
            &hc,
            "application/pdf",
            b"%PDF-1.4\n% demo\n".to_vec(),
        )
        .await;
    let doc_id = up.body["id"].as_i64().unwrap();
    // A later dossier of the same applicant reuses that document (once-only).
    let later = app
        .intake(Some(&hc), json!({"procedure": "1.001193", "applicant": {"name": "(demo) Lược Đồ", "id_number": "999000000801"}}))
        .await;
    let code2 = later.body["code"].as_str().unwrap().to_owned();
    let token = app.state.id_key.tracking_token(&code);
    let bundle = json!({"procedure": "2.000986", "applicant": {"name": "(demo) Liên Thông", "id_number": "999000000802"},
        "documents": app.all_documents("2.000986").await,
        "children": [
            {"procedure": "1.001193", "competent_agency": "20242.UBND", "documents": app.all_documents("1.001193").await},
            {"procedure": "1.004222", "competent_agency": "20242.CA", "documents": app.all_documents("1.004222").await, "document_case": app.papers("1.004222", None).await.1}]});
    let steps = json!({"steps": [
        {"name": "Tiếp nhận", "role": "receiving_officer", "place": "receiving", "kind": "process", "days": 0.25},
        {"name": "Lãnh đạo ký", "role": "leader", "place": "competent", "kind": "approve", "days": 0.5},
        {"name": "Trả kết quả", "role": "receiving_officer", "place": "receiving", "kind": "return", "days": 0.25}]});
    let due = "/api/v1/calendar/due?from=2026-04-24T10:00:00%2B07:00&amount=3&unit=working_days"
        .to_owned();
    let otp =
        motcua::auth::totp(motcua::service::demo::DEMO_TOTP, app.clock.now_ts() + 30).unwrap();
    // The queue: a ticket taken and called before, so that its token and id are known.
    let center = app.get("/api/v1/queue/centers/20242", None).await.body;
    let svc = center["services"][0]["id"].as_i64().unwrap();
    let taken = app
        .post(
            "/api/v1/queue/centers/20242/tickets",
            None,
            json!({"service": svc}),
        )
        .await
        .body;
    let ticket_token = taken["token"].as_str().unwrap().to_owned();
    let db = &app.state.db;
    let hc_center = motcua::store::agencies::by_identifier(db, "20242")
        .await
        .unwrap()
        .unwrap();
    let counter = motcua::store::queue::counters_of(db, hc_center.id)
        .await
        .unwrap()[0]
        .id
        .0;
    let first_call = app
        .post(
            &format!("/api/v1/queue/counters/{counter}/call"),
            Some(&hc),
            json!({}),
        )
        .await
        .body;
    let ticket_id = first_call["ticket"]["id"].as_i64().unwrap();
    let citizen = app.login("congdan.demo").await;
    let calls: Vec<Call<'_>> = vec![
        (
            "get",
            "/api/v1/openapi.json",
            "/api/v1/openapi.json".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/units",
            "/api/v1/units?level=province".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/units/old",
            "/api/v1/units/old?code=26740".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/units/{code}",
            "/api/v1/units/20242".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/procedures",
            "/api/v1/procedures?q=khai%20sinh".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/procedures/fields",
            "/api/v1/procedures/fields".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/procedures/{code}",
            "/api/v1/procedures/1.001193".into(),
            None,
            None,
        ),
        ("get", "/api/v1/calendar/due", due, None, None),
        (
            "get",
            "/api/v1/calendar/holidays",
            "/api/v1/calendar/holidays?year=2026".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/statuses",
            "/api/v1/statuses".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/track",
            format!("/api/v1/track?code={code}&proof={token}"),
            None,
            None,
        ),
        (
            "post",
            "/api/v1/id-card",
            "/api/v1/id-card".into(),
            Some(&hc),
            Some(
                json!({"qr": "048303001234||LE THI C|15062003|Nữ|Phường Hải Châu, Thành phố Đà Nẵng|01072025"}),
            ),
        ),
        (
            "post",
            "/api/v1/track",
            "/api/v1/track".into(),
            None,
            Some(json!({"code": code, "proof": "999000000801"})),
        ),
        (
            "post",
            "/api/v1/auth/login",
            "/api/v1/auth/login".into(),
            None,
            Some(
                json!({"username": "quantri.hethong", "password": motcua::service::demo::DEMO_PASSWORD, "otp": otp}),
            ),
        ),
        (
            "get",
            "/api/v1/auth/me",
            "/api/v1/auth/me".into(),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/dossiers",
            "/api/v1/dossiers".into(),
            Some(&hc),
            None,
        ),
        (
            "post",
            "/api/v1/dossiers",
            "/api/v1/dossiers".into(),
            Some(&hc),
            Some(
                json!({"procedure": "1.004222", "documents": app.all_documents("1.004222").await, "document_case": app.papers("1.004222", None).await.1, "applicant": {"name": "(demo) Hai", "id_number": "999000000803"}}),
            ),
        ),
        (
            "get",
            "/api/v1/dossiers/{code}",
            format!("/api/v1/dossiers/{code}"),
            Some(&hc),
            None,
        ),
        (
            "post",
            "/api/v1/dossiers/{code}/actions",
            format!("/api/v1/dossiers/{code}/actions"),
            Some(&hc),
            Some(json!({"action": "forward", "assignee": "chuyenvien.haichau"})),
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/access-log",
            format!("/api/v1/dossiers/{code}/access-log"),
            Some(&admin),
            None,
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/receipt.pdf",
            format!("/api/v1/dossiers/{code}/receipt.pdf"),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/forms/{form}",
            format!("/api/v1/dossiers/{code}/forms/06.pdf"),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/register.pdf",
            "/api/v1/register.pdf?from=2026-11-01&to=2026-11-30".into(),
            Some(&hc),
            None,
        ),
        (
            "post",
            "/api/v1/procedures/{code}/guidance.pdf",
            "/api/v1/procedures/1.001193/guidance.pdf".into(),
            Some(&hc),
            Some(json!({"documents": []})),
        ),
        (
            "get",
            "/api/v1/worklists",
            "/api/v1/worklists".into(),
            Some(&spec),
            None,
        ),
        (
            "post",
            "/api/v1/bundles",
            "/api/v1/bundles".into(),
            Some(&hc),
            Some(bundle),
        ),
        (
            "post",
            "/api/v1/dossiers/{code}/documents/reuse",
            format!("/api/v1/dossiers/{code2}/documents/reuse"),
            Some(&hc),
            Some(json!({"document_id": doc_id})),
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/documents/{id}",
            format!("/api/v1/dossiers/{code}/documents/{doc_id}"),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/reuse-offers",
            format!("/api/v1/dossiers/{code}/reuse-offers"),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/procedures/{code}/workflow",
            "/api/v1/procedures/1.001193/workflow".into(),
            Some(&hc),
            None,
        ),
        (
            "put",
            "/api/v1/procedures/{code}/workflow",
            "/api/v1/procedures/1.001193/workflow".into(),
            Some(&admin),
            Some(steps),
        ),
        (
            "put",
            "/api/v1/procedures/{code}/checklist",
            "/api/v1/procedures/1.000894/checklist".into(),
            Some(&admin),
            Some(json!({"text": "+ Tờ khai đăng ký kết hôn\n> Giấy tờ tùy thân", "note": "thử"})),
        ),
        (
            "get",
            "/api/v1/queue/staffing",
            "/api/v1/queue/staffing?arrivals_per_hour=36&handling_minutes=12".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/queue/level",
            "/api/v1/queue/level".into(),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/queue/centers/{center}",
            "/api/v1/queue/centers/20242".into(),
            None,
            None,
        ),
        (
            "post",
            "/api/v1/queue/centers/{center}/tickets",
            "/api/v1/queue/centers/20242/tickets".into(),
            None,
            Some(json!({"service": svc, "priority": "pregnant"})),
        ),
        (
            "get",
            "/api/v1/queue/centers/{center}/board",
            "/api/v1/queue/centers/20242/board".into(),
            None,
            None,
        ),
        (
            "get",
            "/api/v1/queue/centers/{center}/slots",
            format!("/api/v1/queue/centers/20242/slots?service={svc}&day=2026-11-24"),
            None,
            None,
        ),
        (
            "post",
            "/api/v1/queue/centers/{center}/appointments",
            "/api/v1/queue/centers/20242/appointments".into(),
            Some(&citizen),
            Some(json!({"service": svc, "at": "2026-11-24T08:00:00+07:00"})),
        ),
        (
            "get",
            "/api/v1/queue/tickets/{ticket}",
            format!("/api/v1/queue/tickets/{ticket_token}"),
            None,
            None,
        ),
        (
            "post",
            "/api/v1/queue/tickets/{ticket}/actions",
            format!("/api/v1/queue/tickets/{ticket_id}/actions"),
            Some(&hc),
            Some(json!({"action": "recall"})),
        ),
        (
            "post",
            "/api/v1/queue/counters/{id}/call",
            format!("/api/v1/queue/counters/{counter}/call"),
            Some(&hc),
            Some(json!({})),
        ),
        (
            "post",
            "/api/v1/auth/logout",
            "/api/v1/auth/logout".into(),
            Some(&spec),
            Some(json!({})),
        ),
    ];
    let mut seen: Vec<(&str, &str)> = vec![("post", "/api/v1/dossiers/{code}/documents")];
    seen.extend(run_calls(&app, &doc, &calls).await);
    // The upload was the first request: documented as 201 with a Document.
    assert!(
        check(
            &doc,
            &json!({"$ref": "#/components/schemas/Document"}),
            &up.body,
            "$"
        )
        .is_ok(),
        "{}",
        up.body
    );
    assert_eq!(up.status.as_u16(), 201);
    for route in motcua::http::openapi::ROUTES {
        assert!(seen.contains(route), "{route:?} has no conformance request");
    }
}
both!(openapi_responses_match, conformance);

/// Makes each call and checks its answer against the documented success response; returns the operations seen.
pub(crate) async fn run_calls<'a>(
    app: &TestApp,
    doc: &Value,
    calls: &[Call<'a>],
) -> Vec<(&'a str, &'a str)> {
    let mut seen = Vec::new();
    for (method, path, concrete, tok, body) in calls {
        let r = app
            .request(
                &method.to_uppercase(),
                concrete,
                *tok,
                body.as_ref().map(Value::to_string),
            )
            .await;
        let responses = &doc["paths"][path][method]["responses"];
        let (status, ok) = responses
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.starts_with('2'))
            .unwrap();
        assert_eq!(r.status.as_str(), status, "{method} {concrete}: {}", r.body);
        let media = ok["content"]
            .as_object()
            .and_then(|c| c.keys().next().cloned());
        match media.as_deref() {
            Some("application/json") => {
                if let Err(e) = check(
                    doc,
                    &ok["content"]["application/json"]["schema"],
                    &r.body,
                    "$",
                ) {
                    panic!("{method} {path}: {e}\n{}", r.body);
                }
            }
            Some(m) => {
                let ct = r.headers["content-type"].to_str().unwrap();
                assert!(
                    m == "application/octet-stream" || ct.starts_with(m),
                    "{method} {path}: {ct} is not {m}"
                );
            }
            None => assert!(r.body.is_null(), "{method} {path}: no content documented"),
        }
        seen.push((*method, *path));
    }
    seen
}

/// The checker itself refuses what does not match (a test that cannot fail would prove nothing).
#[test]
fn the_checker_refuses_mismatches() {
    let doc = motcua::http::openapi::document();
    let dossier = json!({"$ref": "#/components/schemas/Dossier"});
    assert!(
        check(&doc, &dossier, &json!({"code": "x"}), "$").is_err(),
        "missing fields"
    );
    let mut d = json!({"code": "x", "procedure": {"code": "1", "name": "n"}, "channel": "fax", "status": {"code": 1, "key": "k", "vi": "v", "en": "e"}, "applicant": {}, "submitted_at": "t", "allowed_actions": []});
    assert!(
        check(&doc, &dossier, &d, "$").unwrap_err().contains("fax"),
        "enum"
    );
    d["channel"] = json!("online");
    assert!(check(&doc, &dossier, &d, "$").is_ok());
    d["status"]["code"] = json!("1");
    assert!(check(&doc, &dossier, &d, "$").is_err(), "type");
}
