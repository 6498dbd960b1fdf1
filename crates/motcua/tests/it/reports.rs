//! The leaders' figures equal a brute-force recount over the raw dossiers and their event trail, after random
//! histories over several days, on both stores; a rebuild from the dossiers agrees; the reach is the caller's.

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use motcua::on_db;
use serde_json::{json, Value};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

const VN: UtcOffset = time::macros::offset!(+7);

struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// A dossier as stored, with the times of its events by status reached.
struct Raw {
    parent: Option<i64>,
    status: i16,
    channel: String,
    received: Option<OffsetDateTime>,
    due: Option<OffsetDateTime>,
    completed: Option<OffsetDateTime>,
    reached: Vec<(i16, OffsetDateTime)>,
}

async fn raw(app: &TestApp) -> Vec<Raw> {
    type Row = (
        i64,
        Option<i64>,
        i16,
        String,
        Option<OffsetDateTime>,
        Option<OffsetDateTime>,
        Option<OffsetDateTime>,
    );
    let rows: Vec<Row> = on_db!(&app.state.db, |p| sqlx::query_as(
        "select d.id, d.parent_id, d.status, d.channel, d.received_at, d.due_at, d.completed_at from dossiers d join agencies a on a.id = d.competent_agency_id join units u on u.code = a.unit_code where coalesce(u.province_code, u.code) = '48' order by d.id"
    )
    .fetch_all(p)
    .await)
    .expect("dossiers");
    let events: Vec<(i64, i16, OffsetDateTime)> = on_db!(&app.state.db, |p| sqlx::query_as(
        "select dossier_id, to_status, at from dossier_events order by id"
    )
    .fetch_all(p)
    .await)
    .expect("events");
    rows.into_iter()
        .map(
            |(id, parent, status, channel, received, due, completed)| Raw {
                parent,
                status,
                channel,
                received,
                due,
                completed,
                reached: events
                    .iter()
                    .filter(|e| e.0 == id)
                    .map(|e| (e.1, e.2))
                    .collect(),
            },
        )
        .collect()
}

fn day(t: OffsetDateTime) -> Date {
    t.to_offset(VN).date()
}

/// The figures counted the plain way, for `[from, to]` with `today` as the reference of open dossiers.
fn recount(rows: &[Raw], from: Date, to: Date, today: Date) -> Value {
    let inside = |t: Option<OffsetDateTime>| t.is_some_and(|t| (from..=to).contains(&day(t)));
    let mut n = std::collections::BTreeMap::<&str, i64>::new();
    for r in rows.iter().filter(|r| r.parent.is_none()) {
        let taken_in = r.received.is_some() && r.status != 3;
        if taken_in && inside(r.received) {
            *n.entry("received").or_default() += 1;
            if r.channel == "online" {
                *n.entry("online").or_default() += 1;
            }
        }
        if matches!(r.status, 9 | 10) && inside(r.completed) {
            let c = r.completed.map(day);
            let key = match r.due.map(day) {
                Some(d) if c < Some(d) => "completed_early",
                Some(d) if c > Some(d) => "completed_late",
                _ => "completed_on_time",
            };
            *n.entry(key).or_default() += 1;
        }
        if r.status == 7 && inside(r.reached.iter().find(|e| e.0 == 7).map(|e| e.1)) {
            *n.entry("withdrawn").or_default() += 1;
        }
        if taken_in && matches!(r.status, 2 | 4 | 5 | 6) {
            let key = match r.due.map(day) {
                Some(d) if d < today => "in_progress_overdue",
                _ => "in_progress_on_time",
            };
            *n.entry(key).or_default() += 1;
            if r.status == 5 {
                *n.entry("supplement_pending").or_default() += 1;
            }
        }
    }
    json!(n)
}

const KEYS: [&str; 9] = [
    "received",
    "online",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "withdrawn",
    "in_progress_on_time",
    "in_progress_overdue",
    "supplement_pending",
];

fn same(api: &Value, want: &Value, what: &str) {
    for k in KEYS {
        assert_eq!(
            api[k].as_i64().unwrap_or(-1),
            want[k].as_i64().unwrap_or(0),
            "{what}: {k}\napi {api}\nrecount {want}"
        );
    }
}

async fn act(app: &TestApp, t: &str, code: &str, body: Value) -> StatusCode {
    app.post(&format!("/api/v1/dossiers/{code}/actions"), Some(t), body)
        .await
        .status
}

/// Random histories over 12 days: intake, forward, supplements, withdrawals, approval and return, late or not.
async fn histories(app: &TestApp, seed: u64) {
    let mut rng = Rng(seed);
    let mut open: Vec<(String, u8)> = Vec::new();
    for _ in 0..12 {
        // A working day: everyone signs in in the morning.
        let hc = app.login("tiepnhan.haichau").await;
        let sp = app.login("chuyenvien.haichau").await;
        let ld = app.login("lanhdao.haichau").await;
        for _ in 0..(2 + rng.next(3)) {
            let id = format!("9990013{:05}", rng.next(99_999));
            let r = app
                .intake(Some(&hc), json!({"procedure": "1.004222", "applicant": {"name": "Người nộp thử (demo)", "id_number": id}}))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            open.push((r.body["code"].as_str().unwrap_or("").to_owned(), 0));
        }
        for (code, stage) in open.iter_mut() {
            let roll = rng.next(10);
            let (token, body, next) = match (*stage, roll) {
                (0, 0) => (
                    &hc,
                    json!({"action": "withdraw", "note": "Người nộp rút (demo)"}),
                    9,
                ),
                (0, 1..=5) => (
                    &hc,
                    json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
                    1,
                ),
                (1, 0..=1) => (
                    &sp,
                    json!({"action": "request_supplement", "missing": ["Bản sao giấy tờ (demo)"], "note": "Thiếu giấy tờ (demo)"}),
                    2,
                ),
                (1, 2..=6) => (&sp, json!({"action": "forward"}), 3),
                (2, 0..=5) => (&sp, json!({"action": "receive_supplement"}), 1),
                (3, 0..=6) => (&ld, json!({"action": "approve", "paper_result": true}), 4),
                (4, 0..=6) => (
                    &hc,
                    json!({"action": "return_result", "method": "counter", "receiver_name": "Người nộp thử (demo)"}),
                    9,
                ),
                _ => continue,
            };
            let s = act(app, token, code, body).await;
            if s == StatusCode::OK {
                *stage = next;
            }
        }
        open.retain(|(_, s)| *s != 9);
        app.clock
            .advance(Duration::hours(if rng.next(4) == 0 { 72 } else { 24 }));
    }
}

async fn figures_equal_a_recount(b: Backend) {
    let app = TestApp::new(b).await;
    histories(&app, 0x9E37_79B9_7F4A_7C15).await;
    let admin = app.login("quantri.danang").await;
    let today = day(motcua::clock::Clock::now(app.clock.as_ref()));
    let rows = raw(&app).await;
    assert!(rows.iter().filter(|r| r.parent.is_none()).count() > 30);
    // This month and the last: whole months from the monthly rollup, edge days from the daily one.
    for (from, to) in [
        (time::macros::date!(2026 - 11 - 01), today),
        (time::macros::date!(2026 - 11 - 25), today),
        (time::macros::date!(2026 - 10 - 01), today),
        (
            time::macros::date!(2026 - 11 - 23),
            time::macros::date!(2026 - 11 - 23),
        ),
    ] {
        let q = format!("/api/v1/reports/summary?province=48&from={from}&to={to}");
        let r = app.get(&q, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let reference = if to >= today { today } else { to };
        let want = recount(&rows, from, to, reference);
        if to >= today {
            same(&r.body, &want, &q);
        } else {
            for k in &KEYS[..6] {
                assert_eq!(
                    r.body[k].as_i64().unwrap_or(-1),
                    want[k].as_i64().unwrap_or(0),
                    "{q}: {k}"
                );
            }
        }
    }
    let all = recount(&rows, time::macros::date!(2026 - 01 - 01), today, today);
    assert!(
        all["completed_on_time"].as_i64().unwrap_or(0)
            + all["completed_early"].as_i64().unwrap_or(0)
            > 0,
        "{all}"
    );
    assert!(all["withdrawn"].as_i64().unwrap_or(0) > 0, "{all}");
    // The rollups agree with a recount from the dossiers, and a rebuild changes no figure.
    assert_eq!(
        motcua::store::reports::check(&app.state.db)
            .await
            .expect("check"),
        Vec::<String>::new()
    );
    // The procedures used, for the whole deployment (read by the counter index) and for the province (by its
    // agencies), agree: every dossier here is Đà Nẵng's. Whole months and edge days both.
    for (from, to) in [
        (time::macros::date!(2026 - 10 - 01), today),
        (time::macros::date!(2026 - 11 - 25), today),
    ] {
        let counted = |f: motcua::store::reports::Filter| {
            let db = app.state.db.clone();
            async move {
                motcua::store::report_inputs::procedures_counted(
                    &db,
                    &f,
                    (from, to),
                    motcua_domain::report::Counter::Received,
                )
                .await
                .expect("procedures counted")
            }
        };
        let nation = counted(motcua::store::reports::Filter::All).await;
        let province = counted(motcua::store::reports::Filter::Province("48".into())).await;
        assert!(nation.contains("1.004222"), "{nation:?}");
        assert_eq!(nation, province);
    }
    let future = app
        .get(
            "/api/v1/reports/summary?province=48&from=2099-01-01&to=2099-12-31",
            Some(&admin),
        )
        .await;
    assert_eq!(
        future.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        future.body
    );
    let q = format!("/api/v1/reports/summary?province=48&from=2026-11-01&to={today}");
    let before = app.get(&q, Some(&admin)).await.body;
    motcua::store::reports::rebuild(&app.state.db)
        .await
        .expect("rebuild");
    let after = app.get(&q, Some(&admin)).await.body;
    assert_eq!(before, after);
    // Breakdown by procedure adds up to the total.
    let by = app
        .get(
            &format!(
                "/api/v1/reports/breakdown?province=48&from=2026-11-01&to={today}&by=procedure"
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(by.status, StatusCode::OK, "{}", by.body);
    let sum: i64 = by.body["lines"].as_array().map_or(0, |l| {
        l.iter().map(|x| x["received"].as_i64().unwrap_or(0)).sum()
    });
    assert_eq!(sum, before["received"].as_i64().unwrap_or(-1));
}
both!(figures_equal_a_recount, figures_equal_a_recount);

async fn reach_is_the_callers(b: Backend) {
    let app = TestApp::new(b).await;
    let director = app.login("giamdoc.haichau").await;
    let officer = app.login("tiepnhan.haichau").await;
    let own = app.get("/api/v1/reports/summary", Some(&director)).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.body["place"]["kind"], "unit", "{}", own.body);
    let other = app
        .get("/api/v1/reports/summary?province=48", Some(&director))
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    let no = app.get("/api/v1/reports/summary", Some(&officer)).await;
    assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
    let anon = app.get("/api/v1/reports/summary", None).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    let bad = app
        .get("/api/v1/reports/summary?from=31/02/2026", Some(&director))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.to_string().contains("ngày/tháng/năm"),
        "{}",
        bad.body
    );
    let vn = app
        .get(
            "/api/v1/reports/summary?from=01/11/2026&to=30/11/2026",
            Some(&director),
        )
        .await;
    assert_eq!(vn.body["from"], "2026-11-01", "{}", vn.body);
}
both!(reach_is_the_callers, reach_is_the_callers);

async fn staff_and_secondments(b: Backend) {
    let app = TestApp::new(b).await;
    histories(&app, 7).await;
    let admin = app.login("quantri.danang").await;
    let director = app.login("giamdoc.haichau").await;
    let today = day(motcua::clock::Clock::now(app.clock.as_ref()));
    let q = format!("/api/v1/reports/staff?unit=20242&from=2026-11-01&to={today}");
    let r = app.get(&q, Some(&director)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body["working_days"].as_i64().unwrap_or(0) >= 8,
        "{}",
        r.body["working_days"]
    );
    assert_eq!(r.body["norm_is_placeholder"], true);
    let units = r.body["units"].as_array().cloned().unwrap_or_default();
    let handled: i64 = units
        .iter()
        .map(|u| u["handled"].as_i64().unwrap_or(0))
        .sum();
    assert!(handled > 10, "{}", r.body);
    assert!(
        units
            .iter()
            .any(|u| u["missing"].as_array().is_some_and(|m| !m.is_empty())),
        "{}",
        r.body
    );
    // The specialty recorded by the director shows; an unknown one is refused with the choices.
    let p = app
        .request(
            "PUT",
            "/api/v1/reports/staff/officers/chuyenvien.haichau",
            Some(&director),
            Some(json!({"position": "Chuyên viên (demo)", "specialty": "land"}).to_string()),
        )
        .await;
    assert_eq!(p.status, StatusCode::NO_CONTENT, "{}", p.body);
    let bad = app
        .request(
            "PUT",
            "/api/v1/reports/staff/officers/chuyenvien.haichau",
            Some(&director),
            Some(json!({"position": "", "specialty": "astrology"}).to_string()),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    // A ward's director cannot take an officer of a department; the province's administrator can.
    let body = json!({"officer": "chuyenvien.stp.danang", "to_agency": "20242.UBND", "starts_on": "01/12/2026", "ends_on": "28/02/2027", "reason": "Hỗ trợ hộ tịch cuối năm (demo)"});
    let no = app
        .post(
            "/api/v1/reports/staff/secondments",
            Some(&director),
            body.clone(),
        )
        .await;
    assert_eq!(no.status, StatusCode::FORBIDDEN, "{}", no.body);
    let late = app.post("/api/v1/reports/staff/secondments", Some(&admin), json!({"officer": "chuyenvien.stp.danang", "to_agency": "20242.UBND", "starts_on": "01/12/2026", "ends_on": "01/11/2026", "reason": "x"})).await;
    assert_eq!(
        late.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        late.body
    );
    let suggested = |r: &crate::support::Resp| {
        r.body["suggestions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["officer"] == "Bùi Thị Lan (demo)")
    };
    // Suggestions cover the caller's reach: the province administrator's is the province.
    let qp = format!("/api/v1/reports/staff?province=48&from=2026-11-01&to={today}");
    let before = app.get(&qp, Some(&admin)).await;
    assert!(
        suggested(&before),
        "the officer is suggested before the decision: {}",
        before.body
    );
    let ok = app
        .post(
            "/api/v1/reports/staff/secondments",
            Some(&admin),
            body.clone(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let again = app
        .post("/api/v1/reports/staff/secondments", Some(&admin), body)
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the same decision is not recorded twice: {}",
        again.body
    );
    let r = app.get(&qp, Some(&admin)).await;
    assert!(
        !suggested(&r),
        "a decided officer is not suggested again: {}",
        r.body
    );
    let r = app.get(&q, Some(&director)).await;
    let officers: Vec<Value> = r.body["units"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|u| u["officers"].as_array().cloned().unwrap_or_default())
        .collect();
    let sent = officers
        .iter()
        .find(|o| o["username"] == "chuyenvien.stp.danang");
    assert_eq!(
        sent.map(|o| o["seconded_in"].clone()),
        Some(json!(true)),
        "{}",
        r.body
    );
    let cv = officers
        .iter()
        .find(|o| o["username"] == "chuyenvien.haichau");
    assert_eq!(
        cv.map(|o| o["specialty_vi"].clone()),
        Some(json!("Đất đai")),
        "{}",
        r.body
    );
    assert_eq!(
        r.body["secondments"][0]["reason"],
        "Hỗ trợ hộ tịch cuối năm (demo)"
    );
}
both!(staff_and_secondments, staff_and_secondments);

async fn index_766_for_a_ward(b: Backend) {
    let app = TestApp::new(b).await;
    histories(&app, 11).await;
    let director = app.login("giamdoc.haichau").await;
    let today = day(motcua::clock::Clock::now(app.clock.as_ref()));
    let s = app
        .get(
            &format!("/api/v1/reports/summary?from=2026-11-01&to={today}"),
            Some(&director),
        )
        .await
        .body;
    let r = app
        .get(
            &format!("/api/v1/reports/index766?from=2026-11-01&to={today}"),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ind = |id: &str| {
        r.body["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|g| g["indicators"].as_array().cloned().unwrap_or_default())
            .find(|i| i["id"] == id)
            .unwrap_or(Value::Null)
    };
    // 2.1 from the summary's own figures: (early + on time + open within + withdrawn) / (completed + open + withdrawn) × 20.
    let g = |k: &str| s[k].as_i64().unwrap_or(0);
    let num =
        g("completed_early") + g("completed_on_time") + g("in_progress_on_time") + g("withdrawn");
    let den = g("completed") + g("in_progress") + g("withdrawn");
    assert!(den > 0);
    assert_eq!(ind("2.1")["numerator"].as_i64(), Some(num));
    assert_eq!(ind("2.1")["denominator"].as_i64(), Some(den));
    let pts =
        ((num as f64 / den as f64 * 1000.0).round() / 10.0 * 20.0 / 100.0 * 100.0).round() / 100.0;
    assert_eq!(ind("2.1")["points"].as_f64(), Some(pts), "{}", ind("2.1"));
    // 3.2: no online service received a dossier online (all came to the counter).
    assert_eq!(ind("3.2")["numerator"].as_i64(), Some(0), "{}", ind("3.2"));
    assert!(ind("3.2")["denominator"].as_i64().unwrap_or(0) > 0);
    // 3.3: every dossier came to the counter: 0% online, 0 points, and said so.
    assert_eq!(
        (
            ind("3.3")["numerator"].as_i64(),
            ind("3.3")["points"].as_f64()
        ),
        (Some(0), Some(0.0))
    );
    // Data motcua does not hold: no figure, no points, an explanation.
    for id in ["1.1", "1.4", "3.5", "4.4", "5.2"] {
        assert_eq!(ind(id)["standing"], "no_data", "{id}");
        assert!(
            ind(id)["points"].is_null() && ind(id)["numerator"].is_null(),
            "{id}"
        );
        assert!(
            ind(id)["explanation"]
                .as_str()
                .is_some_and(|e| e.contains("Hệ thống")
                    || e.contains("hệ thống")
                    || e.contains("Cần")),
            "{id}"
        );
    }
    assert!(r.body["max_scored"].as_f64().unwrap_or(100.0) < 100.0);
}
both!(index_766_for_a_ward, index_766_for_a_ward);

async fn get_bytes(
    app: &TestApp,
    path: &str,
    token: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(path)
        .header("cookie", format!("motcua_session={token}"))
        .body(axum::body::Body::empty())
        .expect("request");
    let resp = app.router.clone().oneshot(req).await.expect("response");
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, headers, bytes)
}

/// The pages render with their figures and charts; the workbook opens and reads back with Vietnamese headers and
/// the same totals as the API; the CSV starts with a BOM; a bad date keeps what was typed and says why.
async fn pages_and_exports(b: Backend) {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let app = TestApp::new(b).await;
    histories(&app, 23).await;
    let director = app.login("giamdoc.haichau").await;
    let today = day(motcua::clock::Clock::now(app.clock.as_ref()));
    let q = format!(
        "tu=01/11/2026&den={:02}/{:02}/{}",
        today.day(),
        u8::from(today.month()),
        today.year()
    );
    let api = app
        .get(
            &format!("/api/v1/reports/summary?from=2026-11-01&to={today}"),
            Some(&director),
        )
        .await
        .body;
    let (s, _, html) = app
        .page(
            &format!("/can-bo/bao-cao?{q}"),
            &format!("motcua_session={director}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("<svg class=\"chart\"") && html.contains("data-test=\"by-agency\""),
        "{html}"
    );
    assert!(html.contains(&format!("data-test=\"card-received\"><span class=\"card-label\">Tiếp nhận</span> <strong class=\"card-value\">{}</strong>", api["received"])), "{html}");
    for page in ["/can-bo/bao-cao/chi-so-766", "/can-bo/bao-cao/can-bo"] {
        let (s, _, html) = app
            .page(
                &format!("{page}?{q}"),
                &format!("motcua_session={director}"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{page}: {html}");
        assert!(
            html.contains(&format!("<form method=\"get\" action=\"{page}\""))
                && html.contains("<select id=\"don_vi\""),
            "every report tab chooses its own period and unit: {html}"
        );
    }
    let (_, _, html) = app
        .page(
            &format!("/can-bo/bao-cao/chi-so-766?{q}"),
            &format!("motcua_session={director}"),
        )
        .await;
    for abbreviation in ["TTHC", "DVCQG", "PAKN", "DVCTT"] {
        assert!(
            !html.contains(abbreviation),
            "{abbreviation} written out on the 766 page: {html}"
        );
    }
    for group in html.split("<h2>").skip(1) {
        let head = group.split("</h2>").next().unwrap_or_default();
        assert!(
            head.contains("điểm có số liệu")
                || head.contains("chưa có số liệu")
                || head.contains("không có hồ sơ trong kỳ để tính"),
            "a group's heading scores what has data, or says why there is none: {head}"
        );
    }
    let (s, _, html) = app
        .page(
            "/can-bo/bao-cao?tu=31/02/2026",
            &format!("motcua_session={director}"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("value=\"31/02/2026\"") && html.contains("không đọc được"),
        "{html}"
    );
    assert!(
        html.contains("data-test=\"report-hidden\"") && !html.contains("data-test=\"cards\""),
        "a refused period shows no figures (they would read as the answer): {html}"
    );
    // The place is chosen by name from the reader's reach (every agency of it, with dossiers or not), never typed
    // as a code.
    let (_, _, html) = app
        .page(
            &format!("/can-bo/bao-cao?{q}"),
            &format!("motcua_session={director}"),
        )
        .await;
    assert!(
        html.contains("<select id=\"don_vi\"")
            && html.contains("<option value=\"\">Toàn bộ Phường Hải Châu</option>")
            && html
                .contains("<option value=\"20242.UBND\">Ủy ban nhân dân Phường Hải Châu</option>")
            && html.contains(">Trung tâm Phục vụ hành chính công Phường Hải Châu</option>"),
        "{html}"
    );
    let (s, h, xlsx) = get_bytes(&app, &format!("/can-bo/bao-cao.xlsx?{q}"), &director).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap_or("")
        .contains("spreadsheetml"));
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).expect("the workbook opens");
    assert_eq!(
        wb.sheet_names(),
        vec!["Theo đơn vị".to_owned(), "Theo thủ tục".to_owned()]
    );
    let range = wb.worksheet_range("Theo đơn vị").expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[3][2], "Tổng số hồ sơ tiếp nhận");
    assert_eq!(rows[3][9], "Trễ hạn");
    let total = rows
        .iter()
        .find(|r| r.get(1).map(String::as_str) == Some("Tổng cộng"))
        .expect("total row");
    assert_eq!(total[2], api["received"].to_string());
    assert_eq!(total[6], api["completed"].to_string());
    assert_eq!(total[13], api["withdrawn"].to_string());
    let (s, _, csv) = get_bytes(&app, &format!("/can-bo/bao-cao.csv?{q}"), &director).await;
    assert_eq!(s, StatusCode::OK);
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8_lossy(&csv);
    assert_eq!(
        text.matches("Tổng cộng").count(),
        2,
        "both tables, each with its total: {text}"
    );
    let at_agencies = text.find("Theo đơn vị").expect("the agency table");
    let at_procedures = text.find("Theo thủ tục").expect("the procedure table");
    assert!(at_agencies < at_procedures);
    assert!(
        text[at_procedures..].contains(" — "),
        "procedure rows carry their code: {text}"
    );
    // A receiving officer is not given the figures.
    let officer = app.login("tiepnhan.haichau").await;
    let (s, _, html) = app
        .page("/can-bo/bao-cao", &format!("motcua_session={officer}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        html.contains("dành cho lãnh đạo, giám đốc trung tâm"),
        "the refusal says who the reports are for: {html}"
    );
}
both!(pages_and_exports, pages_and_exports);
