//! The center floor from outside: the staffing calculator, tickets (phone, kiosk, appointment), the counter's calls
//! and steps, a ticket becoming a dossier, the hall display's events, alerts and figures.

use crate::both;
use crate::support::{Backend, TestApp, CSRF};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::time::Duration;
use tower::ServiceExt;

pub(crate) const QR: &str = "999000001234||Nguyễn Văn Bình (demo)|01011950|Nam|Phường Thạch Thang, Quận Hải Châu, Thành phố Đà Nẵng|15082021";

pub(crate) async fn services(app: &TestApp) -> Vec<Value> {
    let r = app.get("/api/v1/queue/centers/20242", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["services"].as_array().unwrap().clone()
}

pub(crate) fn letter_id(s: &[Value], letter: &str) -> i64 {
    s.iter().find(|s| s["letter"] == letter).unwrap()["id"]
        .as_i64()
        .unwrap()
}

pub(crate) async fn take(app: &TestApp, service: i64, priority: Option<&str>) -> Value {
    let mut body = json!({"service": service});
    if let Some(p) = priority {
        body["priority"] = json!(p);
    }
    let r = app
        .post("/api/v1/queue/centers/20242/tickets", None, body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

async fn call(app: &TestApp, counter: i64, token: &str) -> crate::support::Resp {
    app.post(
        &format!("/api/v1/queue/counters/{counter}/call"),
        Some(token),
        json!({}),
    )
    .await
}

pub(crate) async fn counter_ids(app: &TestApp) -> Vec<i64> {
    let st = &app.state;
    let a = motcua::store::agencies::by_identifier(&st.db, "20242")
        .await
        .unwrap()
        .unwrap();
    motcua::store::queue::counters_of(&st.db, a.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.0)
        .collect()
}

#[tokio::test]
async fn the_staffing_calculator_gives_the_erlang_c_figures() {
    let app = TestApp::new(Backend::Sqlite).await;
    let r = app
        .get("/api/v1/queue/staffing?arrivals_per_hour=36&handling_minutes=12&within_minutes=20&target=0.9", None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["counters"], 9);
    let sl = r.body["service_level"].as_f64().unwrap();
    assert!((sl - 0.978).abs() < 0.001, "{sl}");
    assert!(r.body["mean_wait_minutes"].as_f64().unwrap() > 0.0);
    // A target that 8 counters meet (81.5% ≥ 80%).
    let r = app
        .get(
            "/api/v1/queue/staffing?arrivals_per_hour=36&handling_minutes=12&target=0.8",
            None,
        )
        .await;
    assert_eq!(r.body["counters"], 8);
    let missing = app
        .get("/api/v1/queue/staffing?arrivals_per_hour=36", None)
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body["error"]["fields"]["handling_minutes"]["vi"].is_string(),
        "{}",
        missing.body
    );
    let word = app
        .get(
            "/api/v1/queue/staffing?arrivals_per_hour=abc&handling_minutes=12",
            None,
        )
        .await;
    assert!(
        word.body["error"]["fields"]["arrivals_per_hour"]["en"] == "must be a number",
        "{}",
        word.body
    );
    for bad in ["target=1.5", "target=0", "handling_minutes=0&target=0.9"] {
        let r = app
            .get(
                &format!("/api/v1/queue/staffing?arrivals_per_hour=36&handling_minutes=12&{bad}"),
                None,
            )
            .await;
        assert_eq!(r.status.as_u16() / 100, 4, "{bad}: {}", r.body);
    }
}

async fn numbers_are_unique_under_concurrency(b: Backend) {
    let app = std::sync::Arc::new(TestApp::with_config(b, |c| c.tickets_per_minute = 0).await);
    let s = letter_id(&services(&app).await, "A");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = app.clone();
        let svc = if i % 3 == 0 {
            letter_id(&services(&app).await, "B")
        } else {
            s
        };
        tasks.push(tokio::spawn(async move {
            take(&app, svc, None).await["ticket"]["label"]
                .as_str()
                .unwrap()
                .to_owned()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        let label = t.await.unwrap();
        numbers.push(label[1..].parse::<u32>().unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=40).collect::<Vec<_>>(),
        "one number each, per center and day"
    );
}
both!(
    ticket_numbers_are_unique_under_concurrency,
    numbers_are_unique_under_concurrency
);

async fn a_counter_calls_by_the_rule_and_a_ticket_becomes_a_dossier(b: Backend) {
    let app = TestApp::new(b).await;
    let sv = services(&app).await;
    let a = letter_id(&sv, "A");
    let b_ = letter_id(&sv, "B");
    let t1 = take(&app, a, None).await;
    app.clock.advance(time::Duration::minutes(1));
    take(&app, a, None).await;
    app.clock.advance(time::Duration::minutes(1));
    let t3 = take(&app, a, Some("elderly")).await;
    assert_eq!(t3["ticket"]["ahead"], 2, "{t3}");
    let token = t1["token"].as_str().unwrap();
    let phone = app
        .get(&format!("/api/v1/queue/tickets/{token}"), None)
        .await;
    assert_eq!(phone.body["state"], "waiting");
    assert_eq!(phone.body["ahead"], 0);

    let officer = app.login("tiepnhan.haichau").await;
    let counters = counter_ids(&app).await;
    // Counter 1 calls service A (the demo maps counters 1–2 to A, 3 to B, 4 to C).
    let c1 = counters[0];
    // This center's rule for A: one priority call in every 3 (the demo's default is priority first).
    motcua::on_db!(&app.state.db, |p| sqlx::query(
        "update queue_services set priority_every = 3 where letter = 'A'"
    )
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .unwrap();
    let first = call(&app, c1, &officer).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.body["ticket"]["label"], "A001");
    // One priority call in every 3: after two regular calls the elderly person goes first.
    let second = call(&app, c1, &officer).await;
    assert_eq!(second.body["ticket"]["label"], "A002");
    let third = call(&app, c1, &officer).await;
    assert_eq!(third.body["ticket"]["label"], "A003", "{}", third.body);
    assert_eq!(third.body["ticket"]["priority"], "elderly");
    let phone = app
        .get(&format!("/api/v1/queue/tickets/{token}"), None)
        .await;
    assert_eq!(
        phone.body["state"], "done",
        "calling the next finishes the one before"
    );
    let phone = app
        .get(
            &format!("/api/v1/queue/tickets/{}", t3["token"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(phone.body["state"], "called");
    assert_eq!(phone.body["counter"], 1);
    // Nobody else waits for A at counter 1; counter 3 (B) has nobody either.
    let none = call(&app, c1, &officer).await;
    assert_eq!(none.body["ticket"], Value::Null);
    // The third becomes a dossier at the counter: its wait attaches to the dossier.
    let t4 = take(&app, a, None).await;
    let again = call(&app, c1, &officer).await;
    let id = again.body["ticket"]["id"].as_i64().unwrap();
    assert_eq!(again.body["ticket"]["label"], t4["ticket"]["label"]);
    app.clock.advance(time::Duration::minutes(9));
    let d = app
        .intake(Some(&officer), json!({"procedure": "1.001193", "ticket": id, "applicant": {"name": "Trần Văn Tư (demo)", "id_number": "999000001400"}}))
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let st = &app.state;
    let dossier = motcua::store::queue::ticket(&st.db, id.into())
        .await
        .unwrap()
        .unwrap();
    assert!(dossier.dossier_id.is_some(), "the ticket knows its dossier");
    assert_eq!(dossier.state.code(), "serving");
    // The same ticket cannot take a second dossier.
    let twice = app
        .intake(Some(&officer), json!({"procedure": "1.001193", "ticket": id, "applicant": {"name": "Trần Văn Tư (demo)", "id_number": "999000001400"}}))
        .await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        twice.body
    );
    let fin = app
        .post(
            &format!("/api/v1/queue/tickets/{id}/actions"),
            Some(&officer),
            json!({"action": "finish"}),
        )
        .await;
    assert_eq!(fin.body["state"], "done", "{}", fin.body);
    let times = motcua::service::queue::counter::times_of_dossier(st, dossier.dossier_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(times.2, Some(9), "served 9 minutes: {times:?}");
    // The wait and service time show on the dossier, and the procedure's figures count it.
    let code = d.body["code"].as_str().unwrap();
    let cookie = format!(
        "motcua_csrf={}; motcua_session={officer}",
        crate::support::CSRF
    );
    let (_, _, page) = app.page(&format!("/can-bo/ho-so/{code}"), &cookie).await;
    assert!(
        page.contains("data-test=\"queue-times\"") && page.contains("phục vụ 9 phút"),
        "{page}"
    );
    let (_, _, page) = app.page("/can-bo/xep-hang/so-lieu", &cookie).await;
    let table = page
        .split("data-test=\"by-procedure\"")
        .nth(1)
        .expect("by procedure");
    assert!(table.contains("Thủ tục đăng ký khai sinh"), "{table}");
    // Transfer: a called A ticket goes to B's queue keeping its place; counter 3 then calls it.
    let t5 = take(&app, a, None).await;
    let called = call(&app, c1, &officer).await;
    let id5 = called.body["ticket"]["id"].as_i64().unwrap();
    assert_eq!(called.body["ticket"]["label"], t5["ticket"]["label"]);
    let moved = app
        .post(
            &format!("/api/v1/queue/tickets/{id5}/actions"),
            Some(&officer),
            json!({"action": "transfer", "service": b_}),
        )
        .await;
    assert_eq!(moved.body["state"], "waiting", "{}", moved.body);
    assert_eq!(
        moved.body["label"], t5["ticket"]["label"],
        "the number printed on the slip stays"
    );
    let at_b = call(&app, counters[2], &officer).await;
    assert_eq!(at_b.body["ticket"]["id"], id5);
    // Recall then no-show; a step the state does not allow is refused.
    let rec = app
        .post(
            &format!("/api/v1/queue/tickets/{id5}/actions"),
            Some(&officer),
            json!({"action": "recall"}),
        )
        .await;
    assert_eq!(rec.body["recalls"], 1);
    let ns = app
        .post(
            &format!("/api/v1/queue/tickets/{id5}/actions"),
            Some(&officer),
            json!({"action": "no_show"}),
        )
        .await;
    assert_eq!(ns.body["state"], "no_show");
    let late = app
        .post(
            &format!("/api/v1/queue/tickets/{id5}/actions"),
            Some(&officer),
            json!({"action": "start"}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    // Someone from another center cannot call here.
    let other = app.login("tiepnhan.benthanh").await;
    let foreign = call(&app, c1, &other).await;
    assert_eq!(foreign.status.as_u16() / 100, 4, "{}", foreign.body);
}
both!(
    counter_calls_and_dossier_link,
    a_counter_calls_by_the_rule_and_a_ticket_becomes_a_dossier
);

async fn read_event(body: &mut Body) -> Option<Value> {
    let mut buf = String::new();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(3), body.frame())
            .await
            .ok()??
            .ok()?;
        if let Some(d) = frame.data_ref() {
            buf.push_str(&String::from_utf8_lossy(d));
        }
        if let Some(end) = buf.find("\n\n") {
            let ev = buf[..end].to_owned();
            if let Some(line) = ev.lines().find(|l| l.starts_with("data:")) {
                return serde_json::from_str(line.trim_start_matches("data:").trim()).ok();
            }
            buf = buf[end + 2..].to_owned();
        }
    }
}

async fn events(router: &axum::Router) -> Body {
    let req = Request::get("/man-hinh/20242/su-kien")
        .body(Body::empty())
        .unwrap();
    let resp = router.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    resp.into_body()
}

#[tokio::test]
async fn the_display_hears_a_call_within_a_second() {
    let app = TestApp::new(Backend::Sqlite).await;
    let a = letter_id(&services(&app).await, "A");
    take(&app, a, None).await;
    let mut body = events(&app.router).await;
    let first = read_event(&mut body).await.expect("the board at once");
    assert_eq!(first["next"], json!(["A001"]));
    assert_eq!(first["calls"], json!([]));
    let officer = app.login("tiepnhan.haichau").await;
    let c1 = counter_ids(&app).await[0];
    let started = std::time::Instant::now();
    app.post(
        &format!("/api/v1/queue/counters/{c1}/call"),
        Some(&officer),
        json!({}),
    )
    .await;
    let next = read_event(&mut body).await.expect("the call");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(next["calls"][0]["label"], "A001");
    assert_eq!(next["calls"][0]["counter"], 1);
    assert_eq!(next["next"], json!([]));
}

/// Two instances on one PostgreSQL: a call on one reaches a display connected to the other (LISTEN/NOTIFY).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_on_one_instance_reaches_a_display_on_the_other() {
    if crate::support::pg_url().is_none() {
        eprintln!("MOTCUA_TEST_PG not set: skipped");
        return;
    }
    let app = TestApp::new(Backend::Postgres).await;
    let a = letter_id(&services(&app).await, "A");
    take(&app, a, None).await;
    // The second instance: its own state (its own bus) on the same database, with its listener running.
    let other = motcua::state::AppState::new(
        app.state.db.clone(),
        app.clock.clone(),
        (*app.state.config).clone(),
    )
    .await
    .unwrap();
    tokio::spawn(motcua::jobs::queue_listen::run(other.clone()));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut body = events(&motcua::http::app(other)).await;
    let first = read_event(&mut body).await.expect("the board");
    assert_eq!(first["next"], json!(["A001"]));
    let officer = app.login("tiepnhan.haichau").await;
    let c1 = counter_ids(&app).await[0];
    let started = std::time::Instant::now();
    app.post(
        &format!("/api/v1/queue/counters/{c1}/call"),
        Some(&officer),
        json!({}),
    )
    .await;
    let next = read_event(&mut body)
        .await
        .expect("the call through NOTIFY");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(next["calls"][0]["label"], "A001");
}

async fn appointments_join_at_their_slot_and_alerts_reach_the_director(b: Backend) {
    let app = TestApp::with_config(b, |c| {
        c.queue_alert_minutes = 20;
        c.tickets_per_minute = 0;
    })
    .await;
    let a = letter_id(&services(&app).await, "A");
    let citizen = app.login("congdan.demo").await;
    // START is Monday 23/11/2026 09:00: book 10:00 the same day.
    let slots = app
        .get(
            &format!("/api/v1/queue/centers/20242/slots?service={a}&day=2026-11-23"),
            None,
        )
        .await;
    let free: Vec<&str> = slots.body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["at"].as_str().unwrap())
        .collect();
    assert!(free.contains(&"2026-11-23T10:00:00+07:00"), "{free:?}");
    assert!(
        !free.iter().any(|s| s.starts_with("2026-11-23T09")),
        "not within the hour: {free:?}"
    );
    assert!(
        !free.iter().any(|s| s.starts_with("2026-11-23T12")),
        "not at lunch: {free:?}"
    );
    let booked = app
        .post(
            "/api/v1/queue/centers/20242/appointments",
            Some(&citizen),
            json!({"service": a, "at": "2026-11-23T10:00:00+07:00"}),
        )
        .await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let again = app
        .post(
            "/api/v1/queue/centers/20242/appointments",
            Some(&citizen),
            json!({"service": a, "at": "2026-11-23T10:30:00+07:00"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "one a day");
    let night = app
        .post(
            "/api/v1/queue/centers/20242/appointments",
            Some(&citizen),
            json!({"service": a, "at": "2026-11-23T21:00:00+07:00"}),
        )
        .await;
    assert_eq!(night.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Walk-ins at 9:50 and 10:10; at 10:15 the appointment (10:00) is called between them.
    app.clock.set(time::macros::datetime!(2026-11-23 09:50 +7));
    take(&app, a, None).await;
    app.clock.set(time::macros::datetime!(2026-11-23 10:10 +7));
    let late_walkin = take(&app, a, None).await;
    app.clock.set(time::macros::datetime!(2026-11-23 10:15 +7));
    let officer = app.login("tiepnhan.haichau").await;
    let c1 = counter_ids(&app).await[0];
    let mut order = Vec::new();
    for _ in 0..3 {
        let r = app
            .post(
                &format!("/api/v1/queue/counters/{c1}/call"),
                Some(&officer),
                json!({}),
            )
            .await;
        order.push(r.body["ticket"]["source"].as_str().unwrap().to_owned());
    }
    assert_eq!(order, ["phone", "appointment", "phone"]);
    let _ = late_walkin;
    // 12 more for A with 2 counters at 12 minutes: the projected wait passes 20 minutes → one alert this hour.
    for _ in 0..12 {
        take(&app, a, None).await;
    }
    let db = &app.state.db;
    let center = motcua::store::agencies::by_identifier(db, "20242")
        .await
        .unwrap()
        .unwrap();
    let alerts = motcua::store::queue::alerts_of(db, center.id, "2026-11-23")
        .await
        .unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(alerts[0].projected_minutes > 20);
    let director = app.login("giamdoc.haichau").await;
    let (s, _, page) = app
        .page(
            "/can-bo/xep-hang/so-lieu",
            &format!("motcua_csrf={CSRF}; motcua_session={director}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"queue-alert\""), "{page}");
    let level = app.get("/api/v1/queue/level", Some(&director)).await;
    let a_level = &level.body["services"][0];
    assert_eq!(a_level["waiting"], 12, "{}", level.body);
    assert!(a_level["projected_wait_minutes"].as_f64().unwrap() > 20.0);
}
both!(
    appointments_and_alerts,
    appointments_join_at_their_slot_and_alerts_reach_the_director
);

async fn priority_comes_first_and_the_display_shows_the_calling_order(b: Backend) {
    let app = TestApp::new(b).await;
    let a = letter_id(&services(&app).await, "A");
    take(&app, a, None).await;
    take(&app, a, None).await;
    take(&app, a, Some("pregnant")).await;
    let board = app.get("/api/v1/queue/centers/20242/board", None).await;
    assert_eq!(
        board.body["next"],
        json!(["A003", "A001", "A002"]),
        "{}",
        board.body
    );
    let officer = app.login("tiepnhan.haichau").await;
    let c1 = counter_ids(&app).await[0];
    let r = call(&app, c1, &officer).await;
    assert_eq!(r.body["ticket"]["label"], "A003");
    assert_eq!(r.body["ticket"]["priority"], "pregnant");
}
both!(
    priority_first_by_default,
    priority_comes_first_and_the_display_shows_the_calling_order
);
