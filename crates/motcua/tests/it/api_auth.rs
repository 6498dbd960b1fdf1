//! Sign-in, lockout after 5 failures, administrator TOTP, idle time-out, cookies.

use crate::both;
use crate::support::{Backend, NowTs, TestApp};
use axum::http::StatusCode;
use serde_json::json;
use time::Duration;

async fn login_flow(b: Backend) {
    let app = TestApp::new(b).await;
    let bad = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "tiepnhan.haichau", "password": "sai"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.body["error"]["code"], "invalid_credentials");
    assert_eq!(
        bad.body["error"]["message"],
        "Tên đăng nhập hoặc mật khẩu không đúng"
    );
    let nobody = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "khong.co", "password": "x"}),
        )
        .await;
    assert_eq!(nobody.body["error"]["code"], "invalid_credentials");

    let ok = app.post("/api/v1/auth/login", None, json!({"username": "tiepnhan.haichau", "password": motcua::service::demo::DEMO_PASSWORD})).await;
    assert_eq!(ok.status, StatusCode::OK);
    let cookie = ok.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let token = ok.body["token"].as_str().unwrap();
    let me = app.get("/api/v1/auth/me", Some(token)).await;
    assert_eq!(me.body["role"], "receiving_officer");
    assert_eq!(me.body["agency"]["identifier"], "20242");

    // Idle for 16 minutes: the session ends (level-3 baseline: 15).
    app.clock.advance(Duration::minutes(16));
    let idle = app.get("/api/v1/auth/me", Some(token)).await;
    assert_eq!(idle.status, StatusCode::UNAUTHORIZED);
    assert_eq!(idle.body["error"]["code"], "session_expired");
    assert_eq!(
        app.get("/api/v1/auth/me", Some(token)).await.body["error"]["code"],
        "unauthenticated"
    );
    assert_eq!(
        app.get("/api/v1/auth/me", Some("nonsense")).await.body["error"]["code"],
        "unauthenticated"
    );
    assert_eq!(
        app.get("/api/v1/auth/me", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Active use keeps a session alive past 15 minutes.
    let t2 = app.login("tiepnhan.haichau").await;
    for _ in 0..3 {
        app.clock.advance(Duration::minutes(10));
        assert_eq!(
            app.get("/api/v1/auth/me", Some(&t2)).await.status,
            StatusCode::OK
        );
    }
    let out = app.post("/api/v1/auth/logout", Some(&t2), json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/auth/me", Some(&t2)).await.status,
        StatusCode::UNAUTHORIZED
    );
}
both!(login_sessions, login_flow);

async fn lockout(b: Backend) {
    let app = TestApp::new(b).await;
    for i in 0..5 {
        let r = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "chuyenvien.haichau", "password": "sai"}),
            )
            .await;
        let want = if i < 4 {
            "invalid_credentials"
        } else {
            "account_locked"
        };
        assert_eq!(r.body["error"]["code"], want, "attempt {}", i + 1);
    }
    let right = app.post("/api/v1/auth/login", None, json!({"username": "chuyenvien.haichau", "password": motcua::service::demo::DEMO_PASSWORD})).await;
    assert_eq!(right.status, StatusCode::LOCKED);
    assert_eq!(right.body["error"]["code"], "account_locked");
    app.clock.advance(Duration::minutes(16));
    app.login("chuyenvien.haichau").await;
}
both!(lockout_after_five_failures, lockout);

async fn idle_accounts(b: Backend) {
    let app = TestApp::new(b).await;
    app.login("tiepnhan.benthanh").await;
    app.clock.advance(Duration::days(44));
    app.login("tiepnhan.benthanh").await;
    // Unused for 46 days: disabled, and it stays disabled even with the right password.
    app.clock.advance(Duration::days(46));
    let pw = motcua::service::demo::DEMO_PASSWORD;
    // A wrong password learns nothing about the account's state.
    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "tiepnhan.benthanh", "password": "sai"}),
        )
        .await;
    assert_eq!(wrong.body["error"]["code"], "invalid_credentials");
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "tiepnhan.benthanh", "password": pw}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["error"]["code"], "account_disabled");
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "tiepnhan.benthanh", "password": pw}),
        )
        .await;
    assert_eq!(r.body["error"]["code"], "invalid_credentials");
}
both!(accounts_unused_45_days_are_disabled, idle_accounts);

async fn admin_mfa(b: Backend) {
    let app = TestApp::new(b).await;
    let pw = motcua::service::demo::DEMO_PASSWORD;
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": pw}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"]["code"], "mfa_required");
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": pw, "otp": "000000"}),
        )
        .await;
    assert_eq!(r.body["error"]["code"], "mfa_required");
    let code = motcua::auth::totp(motcua::service::demo::DEMO_TOTP, app.clock.now_ts()).unwrap();
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": pw, "otp": code}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Officers need no second factor.
    app.login("tiepnhan.benthanh").await;
    let bad = app
        .request(
            "POST",
            "/api/v1/auth/login",
            None,
            Some("{\"username\": 1}".into()),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
both!(admin_needs_totp, admin_mfa);
