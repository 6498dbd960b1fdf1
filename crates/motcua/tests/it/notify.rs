//! Notifications out of the outbox: 1,000 pending messages, the server process killed (SIGKILL) while delivering
//! them, then started again: every message reaches a local SMTP sink and a local HTTP sink, each under its stable
//! id, none lost; only what was in flight at the kill is sent twice, under the same id.

use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

type Seen = Arc<Mutex<HashMap<String, usize>>>;

/// A minimal SMTP server that records each message's `Message-ID`.
async fn smtp_sink() -> (String, Seen) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", l.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = l.accept().await {
            let seen = s2.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                let _ = w.write_all(b"220 sink ESMTP\r\n").await;
                let mut line = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end().to_ascii_uppercase();
                    if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        let _ = w.write_all(b"250-sink\r\n250 8BITMIME\r\n").await;
                    } else if cmd == "DATA" {
                        let _ = w.write_all(b"354 go\r\n").await;
                        let mut id = String::new();
                        loop {
                            line.clear();
                            if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            if let Some(v) = line.strip_prefix("Message-ID:") {
                                v.trim().clone_into(&mut id);
                            }
                        }
                        *seen.lock().unwrap().entry(id).or_default() += 1;
                        let _ = w.write_all(b"250 queued\r\n").await;
                    } else if cmd == "QUIT" {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        let _ = w.write_all(b"250 ok\r\n").await;
                    }
                }
            });
        }
    });
    (url, seen)
}

/// An HTTP sink recording each `Idempotency-Key`.
async fn http_sink() -> (String, Seen) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", l.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let s2 = seen.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |h: axum::http::HeaderMap| {
            let seen = s2.clone();
            async move {
                let id = h
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                *seen.lock().unwrap().entry(id).or_default() += 1;
                StatusCode::OK
            }
        }),
    );
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, seen)
}

fn total(s: &Seen) -> (usize, usize) {
    let m = s.lock().unwrap();
    (m.len(), m.values().sum())
}

async fn delivery(b: Backend) {
    let (smtp, mails) = smtp_sink().await;
    let (hook, texts) = http_sink().await;
    let app = TestApp::with_config(b, move |c| {
        c.smtp_url = smtp;
        c.sms_webhook_url = hook;
    })
    .await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app.intake(Some(&hc), json!({"procedure": "1.004222", "applicant": {"name": "Người nhận thử (demo)", "id_number": "999000003100", "phone": "0900000031"}})).await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let bad = app
        .request(
            "PUT",
            &format!("/api/v1/dossiers/{code}/contact"),
            Some(&hc),
            Some(json!({"channels": ["email"], "email": "khong-phai-thu"}).to_string()),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = app
        .request(
            "PUT",
            &format!("/api/v1/dossiers/{code}/contact"),
            Some(&hc),
            Some(
                json!({"channels": ["email", "sms"], "email": "nguoinhan@example.invalid"})
                    .to_string(),
            ),
        )
        .await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    // The intake queued its own messages; add 1,000 more, as a busy hour's actions would.
    let row = motcua::store::dossiers::get(&app.state.db, &motcua::scope::Scope::All, &code)
        .await
        .unwrap()
        .unwrap();
    let mut tx = app.state.db.begin().await.unwrap();
    for i in 0..1000 {
        let payload = json!({"code": code, "message": format!("Thông báo thử {i}")});
        motcua::store::steps::enqueue(
            &mut tx,
            row.id,
            "applicant",
            &format!("dossier:{code}"),
            &payload,
            motcua::clock::Clock::now(app.clock.as_ref()),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let senders = motcua::service::notify::Senders::from_config(&app.state).unwrap();
    // The rows are turned into deliveries here so the expected count is known; the process delivers them.
    while motcua::service::notify::expand(&app.state, &senders, 500)
        .await
        .unwrap()
        > 0
    {}
    let expected = motcua::store::deliveries::counts(&app.state.db)
        .await
        .unwrap()
        .iter()
        .map(|(_, n)| *n)
        .sum::<i64>();
    let per_channel = usize::try_from(expected / 2).unwrap();
    assert!(per_channel >= 1000, "{expected}");
    // `motcua serve` starts delivering, and is killed (SIGKILL) midway; then started again.
    let dir = crate::support::target_dir().join(format!("notify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut cfg = (*app.state.config).clone();
    "127.0.0.1:0".clone_into(&mut cfg.bind);
    cfg.delivery_lease_seconds = 2;
    let file = dir.join(format!("{b:?}.toml"));
    std::fs::write(&file, toml::to_string(&cfg).unwrap()).unwrap();
    let start = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["--config", file.to_str().unwrap(), "serve"])
            .env_remove("MOTCUA_DATABASE_URL")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut child = start();
    for _ in 0..1500 {
        if total(&mails).0 + total(&texts).0 >= 600 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let cut = (total(&mails).0, total(&texts).0);
    assert!(
        cut.0 + cut.1 >= 600 && cut.0 + cut.1 < 2 * per_channel,
        "killed midway: {cut:?}"
    );
    let mut child = start();
    for _ in 0..3000 {
        if total(&mails).0 >= per_channel && total(&texts).0 >= per_channel {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Whatever is still arriving (a resend in flight) arrives before we count.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let (m_distinct, m_raw) = total(&mails);
    let (t_distinct, t_raw) = total(&texts);
    eprintln!("cut at {cut:?}; e-mail {m_distinct} distinct / {m_raw} received; webhook {t_distinct} / {t_raw}");
    assert_eq!(m_distinct, per_channel);
    assert_eq!(t_distinct, per_channel);
    assert!(
        m_raw - m_distinct <= 8 && t_raw - t_distinct <= 8,
        "at most the eight in flight when cut are sent again"
    );
    let counts = motcua::store::deliveries::counts(&app.state.db)
        .await
        .unwrap();
    assert_eq!(counts, vec![("sent".to_owned(), expected)], "{counts:?}");
}
crate::both!(a_thousand_notifications_survive_a_cut, delivery);

/// The citizen chooses how to be told, on the dossier's page; a wrong address comes back with what was typed.
async fn channel_choice(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let r = app.post("/api/v1/dossiers", Some(&cz), json!({"procedure": "1.001193", "receiving_agency": "20242", "applicant": {"name": "Nguyễn Văn An (demo)", "id_number": "999000003200", "phone": "0900000032"}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_owned();
    let path = format!("/ho-so-cua-toi/{code}/thong-bao");
    let bad = [("kenh", "email"), ("kenh", "sms"), ("email", "an@@example")];
    let (s, _, page) = app
        .form_post(&path, Some(&cz), Some(crate::support::CSRF), &bad)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("value=\"an@@example\"") && page.contains("Địa chỉ thư điện tử không đúng"),
        "{page}"
    );
    assert!(
        page.contains("value=\"sms\" checked"),
        "the channels chosen are kept"
    );
    let good = [
        ("kenh", "email"),
        ("kenh", "sms"),
        ("email", "an@example.invalid"),
    ];
    let (s, h, _) = app
        .form_post(&path, Some(&cz), Some(crate::support::CSRF), &good)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, page) = app
        .page(
            h["location"].to_str().unwrap(),
            &format!("motcua_session={cz}"),
        )
        .await;
    assert!(
        page.contains("contact-saved") && page.contains("value=\"email\" checked"),
        "{page}"
    );
    let c = motcua::store::deliveries::contact(&app.state.db, &code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.0, "email,sms");
    assert_eq!(c.1.as_deref(), Some("an@example.invalid"));
}
crate::both!(the_citizen_chooses_the_channels, channel_choice);

/// "Your turn is near": a number taken on the phone with a mobile number is texted once, when two numbers remain
/// before it at the counter; a number without one, or further back, is not.
async fn turn_is_near(b: Backend) {
    let (hook, texts) = http_sink().await;
    let app = TestApp::with_config(b, move |c| {
        c.sms_webhook_url = hook;
        c.tickets_per_minute = 0;
    })
    .await;
    let a = crate::queue::letter_id(&crate::queue::services(&app).await, "A");
    crate::queue::take(&app, a, None).await;
    let form = |phone: &'static str| {
        let app = &app;
        async move {
            app.form_post(
                "/xep-hang/20242",
                None,
                Some(crate::support::CSRF),
                &[
                    ("service", &a.to_string()),
                    ("priority", ""),
                    ("phone", phone),
                ],
            )
            .await
        }
    };
    let (s, _, page) = form("12345").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("10 chữ số") && page.contains("value=\"12345\""),
        "{page}"
    );
    for p in ["0905 123 456", "+84905000111", "0905000222", "0905000333"] {
        let (s, _, page) = form(p).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    }
    let hc = app.login("tiepnhan.haichau").await;
    let c1 = crate::queue::counter_ids(&app).await[0];
    let path = format!("/api/v1/queue/counters/{c1}/call");
    let call = || app.post(&path, Some(&hc), json!({}));
    let first = call().await;
    assert_eq!(first.body["ticket"]["label"], "A001", "{}", first.body);
    let senders = motcua::service::notify::Senders::from_config(&app.state).unwrap();
    motcua::jobs::deliver::once(&app.state, &senders)
        .await
        .unwrap();
    assert_eq!(
        total(&texts),
        (3, 3),
        "A002, A003 and A004 are within two of the counter"
    );
    call().await;
    motcua::jobs::deliver::once(&app.state, &senders)
        .await
        .unwrap();
    assert_eq!(total(&texts), (4, 4), "A005 now; nobody twice");
}
crate::both!(your_turn_is_near_by_text, turn_is_near);
