//! The holes found by probing the demo as an attacker would, each closed: the shared default hash key, global rate
//! limits, the receipt token downloading results, account enumeration and lockout, TOTP replay and plain secrets,
//! and the smaller ones (a panicking date, missing headers, a police leader seeing the ward, NUL in forms, unknown
//! migrations, BOMs).

use crate::both;
use crate::support::{Backend, NowTs, TestApp, CSRF};
use axum::http::StatusCode;
use hmac::{Hmac, Mac};
use serde_json::json;

/// What the old shipped default key computed (anyone could).
fn old_default_mac(msg: &str) -> String {
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"change-me-per-deployment").unwrap();
    m.update(msg.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

async fn new_dossier(app: &TestApp, id: &str) -> String {
    let officer = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(
            Some(&officer),
            json!({"procedure": "1.001193", "applicant": {"name": "(demo) Bảo Mật", "id_number": id}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["code"].as_str().unwrap().to_owned()
}

async fn default_hash_key(b: Backend) {
    let app = TestApp::new(b).await;
    let code = new_dossier(&app, "999000000701").await;
    // The token the old default key gives opens nothing now.
    let forged = &old_default_mac(&format!("track:{code}"))[..20];
    let r = app
        .get(&format!("/api/v1/track?code={code}&proof={forged}"), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    // The deployment's own token does.
    let own = app.state.id_key.tracking_token(&code);
    let r = app
        .get(&format!("/api/v1/track?code={code}&proof={own}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The key lives in its own private file.
    let file = std::path::PathBuf::from(&app.state.config.id_hash_key_file);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A short configured key (the old default among them) stops the start.
    let mut config = (*app.state.config).clone();
    config.id_hash_key = "change-me-per-deployment".into();
    let clock = std::sync::Arc::new(motcua::clock::FixedClock::new(crate::support::START));
    let e = motcua::state::AppState::new(app.state.db.clone(), clock, config)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("32"), "{e}");
}
both!(no_default_hash_key, default_hash_key);

async fn rekey(b: Backend) {
    let app = TestApp::new(b).await;
    let code = new_dossier(&app, "999000000702").await;
    // Make the database look like one that ran with the old default: hashes from it, no key check recorded.
    let old_hash = old_default_mac("999000000702");
    motcua::on_db!(&app.state.db, |p| {
        sqlx::query("update dossiers set applicant_id_hash = $1 where code = $2")
            .bind(&old_hash)
            .bind(&code)
            .execute(p)
            .await
            .unwrap();
        sqlx::query("delete from settings")
            .execute(p)
            .await
            .unwrap();
    });
    let done = motcua::keys::ensure(&app.state.db, &app.state.id_key, &app.state.data_key)
        .await
        .unwrap();
    assert!(done.dossiers > 0, "{done:?}");
    let stored: String = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select applicant_id_hash from dossiers where code = $1"
    )
    .bind(&code)
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(stored, app.state.id_key.id_hash("999000000702"));
    let r = app
        .post(
            "/api/v1/track",
            None,
            json!({"code": code, "proof": "999000000702"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "tracking by ID number survives the re-key: {}",
        r.body
    );
    // Nothing to do the second time.
    let again = motcua::keys::ensure(&app.state.db, &app.state.id_key, &app.state.data_key)
        .await
        .unwrap();
    assert_eq!(again.dossiers, 0);
}
both!(rekey_from_old_default, rekey);

async fn per_client_limits(b: Backend) {
    let app = TestApp::with_config(b, |c| {
        c.tracking_per_minute = 2;
        c.login_per_minute = 3;
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let track = |peer: &'static str, xff: Option<&'static str>| {
        let app = &app;
        async move {
            let h: Vec<(&str, &str)> = xff.map(|x| ("x-forwarded-for", x)).into_iter().collect();
            app.request_from(
                peer,
                "POST",
                "/api/v1/track",
                &h,
                Some(json!({"code": "20242-261123-0001", "proof": "999000000000"})),
            )
            .await
            .status
        }
    };
    let a = "198.51.100.1:5000";
    let b2 = "198.51.100.2:5000";
    assert_ne!(track(a, None).await, StatusCode::TOO_MANY_REQUESTS);
    assert_ne!(track(a, None).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(track(a, None).await, StatusCode::TOO_MANY_REQUESTS);
    // Another address has its own budget.
    assert_ne!(track(b2, None).await, StatusCode::TOO_MANY_REQUESTS);
    // A forged header from an untrusted peer is ignored: still the peer's (spent) budget.
    assert_eq!(
        track(a, Some("203.0.113.9")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Behind the trusted proxy, each forwarded client counts on its own.
    assert_ne!(
        track("127.0.0.1:4000", Some("203.0.113.10")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_ne!(
        track("127.0.0.1:4000", Some("203.0.113.10")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        track("127.0.0.1:4000", Some("203.0.113.10")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_ne!(
        track("127.0.0.1:4000", Some("203.0.113.11")).await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Wrong passwords from one address lock the account there only; the officer signs in from the counter.
    let login = |peer: &'static str, pw: &'static str| {
        let app = &app;
        async move {
            app.request_from(
                peer,
                "POST",
                "/api/v1/auth/login",
                &[],
                Some(json!({"username": "tiepnhan.haichau", "password": pw})),
            )
            .await
        }
    };
    for i in 0..5 {
        app.clock.advance(time::Duration::seconds(61));
        let r = login("192.0.2.66:1", "sai").await;
        let want = if i < 4 {
            "invalid_credentials"
        } else {
            "account_locked"
        };
        assert_eq!(r.body["error"]["code"], want, "attempt {}", i + 1);
    }
    let right = login("192.0.2.66:1", motcua::service::demo::DEMO_PASSWORD).await;
    assert_eq!(right.status, StatusCode::LOCKED);
    let counter = login("192.0.2.10:1", motcua::service::demo::DEMO_PASSWORD).await;
    assert_eq!(counter.status, StatusCode::OK, "{}", counter.body);
}
both!(rate_limits_per_client, per_client_limits);

async fn accounts(b: Backend) {
    let app = TestApp::new(b).await;
    // An account that does not exist answers exactly like one that does, failure after failure.
    for name in ["chuyenvien.haichau", "khong.ton.tai"] {
        let codes: Vec<String> = {
            let mut v = Vec::new();
            for _ in 0..6 {
                let r = app
                    .post(
                        "/api/v1/auth/login",
                        None,
                        json!({"username": name, "password": "sai"}),
                    )
                    .await;
                v.push(r.body["error"]["code"].as_str().unwrap_or("").to_owned());
            }
            v
        };
        assert_eq!(
            codes,
            [
                "invalid_credentials",
                "invalid_credentials",
                "invalid_credentials",
                "invalid_credentials",
                "account_locked",
                "account_locked"
            ],
            "{name}"
        );
    }
    // The TOTP question only comes after the right password.
    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": "sai"}),
        )
        .await;
    assert_eq!(wrong.body["error"]["code"], "invalid_credentials");
    let pw = motcua::service::demo::DEMO_PASSWORD;
    let ask = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": pw}),
        )
        .await;
    assert_eq!(ask.body["error"]["code"], "mfa_required");
    // A code works once.
    let code = motcua::auth::totp(motcua::service::demo::DEMO_TOTP, app.clock.now_ts()).unwrap();
    let first = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": pw, "otp": code}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let replay = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "quantri.hethong", "password": pw, "otp": code}),
        )
        .await;
    assert_eq!(
        replay.body["error"]["code"], "mfa_required",
        "a replayed code is refused"
    );
    // Secrets are sealed with the data key.
    let secrets: Vec<String> = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select totp_secret from users where totp_secret is not null"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(!secrets.is_empty());
    assert!(secrets
        .iter()
        .all(|s| s.starts_with("x1:") && !s.contains(motcua::service::demo::DEMO_TOTP)));
}
both!(accounts_answer_alike, accounts);

/// A dossier of `congdan.demo`-less counter intake, finished with a result PDF; returns its code.
async fn finished_with_result(app: &TestApp, id: &str) -> String {
    let code = new_dossier(app, id).await;
    let hc = app.login("tiepnhan.haichau").await;
    let spec = app.login("chuyenvien.haichau").await;
    let lead = app.login("lanhdao.haichau").await;
    for (tok, body) in [
        (
            &hc,
            json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
        ),
        (&spec, json!({"action": "forward"})),
    ] {
        let r = app
            .post(&format!("/api/v1/dossiers/{code}/actions"), Some(tok), body)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let up = app
        .upload(
            &format!("/api/v1/dossiers/{code}/documents?component=K%E1%BA%BFt%20qu%E1%BA%A3&result=true&name=ket-qua.pdf"),
            &spec,
            "application/pdf",
            b"%PDF-1.4\n% ket qua (demo)\n".to_vec(),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let r = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(&lead),
            json!({"action": "approve"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    code
}

fn result_href(page: &str) -> Option<String> {
    let i = page.find("data-test=\"result-link\"")?;
    let start = page[..i].rfind("href=\"")? + 6;
    let end = start + page[start..].find('"')?;
    Some(page[start..end].replace("&amp;", "&"))
}

async fn results_need_the_id_number(b: Backend) {
    let app = TestApp::new(b).await;
    let code = finished_with_result(&app, "999000000703").await;
    let token = app.state.id_key.tracking_token(&code);
    // The receipt's QR opens the status page, with the result's name and no link.
    let (s, _, page) = app.page(&format!("/tra-cuu?ma={code}&t={token}"), "").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"result-needs-id\""), "{page}");
    assert!(result_href(&page).is_none());
    // The old link shape (token in the address) downloads nothing.
    let id: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select id from dossier_documents where is_result"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let (s, _, _) = app
        .page(&format!("/tra-cuu/{code}/ket-qua/{id}?t={token}"), "")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // With the ID number, the page links the file for a while.
    let (s, _, page) = app
        .form_post(
            "/tra-cuu",
            None,
            Some(CSRF),
            &[("ma", code.as_str()), ("so", "999000000703")],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let href = result_href(&page).expect("a result link after the ID number");
    let (s, h, _) = app.page(&href, "").await;
    assert_eq!(s, StatusCode::OK, "{href}");
    assert_eq!(h["content-type"], "application/pdf");
    app.clock.advance(time::Duration::minutes(31));
    let (s, _, _) = app.page(&href, "").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the grant expires");
    // The tracking page refuses an ID number in the address, as the API does.
    let (s, _, page) = app
        .page(&format!("/tra-cuu?ma={code}&t=999000000703"), "")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("data-test=\"id-in-address\"") && !page.contains("data-test=\"tracked\"")
    );
}
both!(result_download_needs_id_number, results_need_the_id_number);

async fn smaller_holes(b: Backend) {
    let app = TestApp::with_config(b, |c| c.secure_cookies = true).await;
    let hc = app.login("tiepnhan.haichau").await;
    // A year no calendar knows is a 422, not a panic.
    let r = app
        .get("/api/v1/dossiers?from=-9999-01-01", Some(&hc))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // Personal data and PDFs are never cached; HSTS over HTTPS.
    let r = app.get("/api/v1/dossiers", Some(&hc)).await;
    assert_eq!(r.headers["cache-control"], "no-store");
    assert!(r.headers["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let code = new_dossier(&app, "999000000704").await;
    let pdf = app
        .raw(
            "GET",
            &format!("/api/v1/dossiers/{code}/receipt.pdf"),
            Some(&hc),
            None,
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{:?}", pdf.headers);
    assert_eq!(pdf.headers["cache-control"], "no-store");
    // Unknown methods share one metrics series.
    for m in ["FOO", "BAR", "BAZ"] {
        app.raw(m, "/api/v1/statuses", None, None).await;
    }
    let text = app.state.metrics.render(&[]);
    assert!(
        !text.contains("method=\"FOO\"") && !text.contains("method=\"BAZ\""),
        "{text}"
    );
    assert!(text.contains("method=\"OTHER\""), "{text}");
    // A ward police leader sees what is routed to the police, not the ward's dossiers.
    let police = app.login("lanhdao.congan.haichau").await;
    let mine = app.get("/api/v1/dossiers", Some(&police)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        mine.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != code.as_str()),
        "{}",
        mine.body
    );
    let r = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&police))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // NUL in a page form is refused like in JSON.
    let (s, _, _) = app
        .form_post(
            "/tra-cuu",
            None,
            Some(CSRF),
            &[("ma", "20242\u{0}"), ("so", "1")],
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both!(smaller_holes_closed, smaller_holes);

async fn unknown_migration(b: Backend) {
    let app = TestApp::new(b).await;
    motcua::on_db!(&app.state.db, |p| sqlx::query(
        "insert into motcua_migrations (version, name, checksum) values (999, '0999_future', 'x')"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    let e = motcua::store::migrate::run(&app.state.db)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("999"), "{e}");
}
both!(unknown_migrations_refused, unknown_migration);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boundary_free_list_with_bom() {
    let app = TestApp::new(Backend::Sqlite).await;
    let (n, listed) = motcua::service::catalog::import::boundary_free_list(
        &app.state.db,
        "\u{feff}1.001193\n# ghi chú\n".as_bytes(),
        None,
    )
    .await
    .unwrap();
    assert_eq!((n, listed), (1, 1));
}

/// A browser that opens a wrong address, or a form's address, sees the error page in Vietnamese and English, never
/// JSON; the API keeps answering JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browsers_get_an_error_page() {
    let app = TestApp::new(Backend::Sqlite).await;
    for (method, path, status) in [
        ("GET", "/khong-ton-tai", StatusCode::NOT_FOUND),
        ("GET", "/dang-xuat", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let r = app
            .request_from(
                "192.0.2.1:1",
                method,
                path,
                &[("accept", "text/html,application/xhtml+xml")],
                None,
            )
            .await;
        assert_eq!(r.status, status, "{path}");
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{path}"
        );
    }
    let api = app
        .request_from(
            "192.0.2.1:1",
            "GET",
            "/api/v1/khong-co",
            &[("accept", "text/html")],
            None,
        )
        .await;
    // A browser that opens an API address sees the error page too; programs get JSON (tests/it/web.rs).
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(api.body.is_null(), "{}", api.body);
}

/// An unreadable stored status is an error (logged, 500), never shown as "submitted"; a known one reads back.
async fn unknown_stored_values(b: Backend) {
    let app = TestApp::new(b).await;
    let code = new_dossier(&app, "999000000705").await;
    let hc = app.login("tiepnhan.haichau").await;
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
            .await
            .status,
        StatusCode::OK
    );
    motcua::on_db!(&app.state.db, |p| sqlx::query(
        "update dossiers set status = 42 where code = $1"
    )
    .bind(&code)
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    let r = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert_eq!(r.body["error"]["code"], "internal");
}
both!(unknown_stored_values_are_errors, unknown_stored_values);

/// What a review by hand found: the declaration is checked on the server, a made-up tracking link is told apart
/// from an ID number in the address, an expired form says so, and an upload must say which document it is.
async fn review_findings(b: Backend) {
    let app = TestApp::new(b).await;
    let citizen = app.login("congdan.demo").await;
    let (s, h, _) = app
        .form_post("/nop/1.001193", Some(&citizen), Some(CSRF), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let draft = h["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let before: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from dossiers"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let (s, _, page) = app
        .form_post(&draft, Some(&citizen), Some(CSRF), &[("buoc", "nop")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("cam đoan"), "{page}");
    let after: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from dossiers"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(before, after, "nothing submitted without the declaration");
    // A damaged QR link, and an ID number in the address, get their own messages.
    let (s, _, page) = app.page("/tra-cuu?ma=20242-261123-0001&t=abc", "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(page.contains("data-test=\"bad-link\""));
    let (s, _, page) = app
        .page("/tra-cuu?ma=20242-261123-0001&t=999000000001", "")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("data-test=\"id-in-address\""));
    // A form whose token no longer matches says the form expired (not "you are not allowed").
    let (s, _, page) = app
        .form_post(
            "/tra-cuu",
            None,
            Some("ffffffffffffffffffffffffffffffff"),
            &[("ma", "x"), ("so", "1")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(page.contains("hết hạn"), "{page}");
    // Field names never show as codes in an error box.
    assert!(!page.contains("•:"));
}
both!(review_findings_fixed, review_findings);

/// A refused action comes back on the dossier page, its form open with the reason and what was typed.
async fn refused_action_keeps_input(b: Backend) {
    let app = TestApp::new(b).await;
    let code = new_dossier(&app, "999000000706").await;
    let hc = app.login("tiepnhan.haichau").await;
    let (s, _, page) = app
        .form_post(
            &format!("/can-bo/ho-so/{code}/xu-ly"),
            Some(&hc),
            Some(CSRF),
            &[
                ("action", "forward"),
                ("assignee", "tiepnhan.haichau"),
                ("note", "Ghi chú (demo) không được mất"),
            ],
        )
        .await;
    assert!(s.is_client_error(), "{s} {page}");
    assert!(page.contains("data-test=\"action-error\""), "{page}");
    assert!(page.contains("Ghi chú (demo) không được mất"), "{page}");
    // The refused officer may not take the next step, so the form does not offer them again.
    let select = page
        .split("id=\"forward-assignee\"")
        .nth(1)
        .and_then(|r| r.split("</select>").next())
        .unwrap_or_else(|| panic!("no forward form: {page}"));
    assert!(
        !select.contains("tiepnhan.haichau") && select.contains("chuyenvien.haichau"),
        "{select}"
    );
    assert!(page.contains("<details class=\"action\" open>"));
    // Done right, it is confirmed on the dossier page.
    let (s, h, _) = app
        .form_post(
            &format!("/can-bo/ho-so/{code}/xu-ly"),
            Some(&hc),
            Some(CSRF),
            &[("action", "forward"), ("assignee", "chuyenvien.haichau")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let next = h["location"].to_str().unwrap().to_owned();
    assert!(next.ends_with("?xong=forward"), "{next}");
    let (_, _, page) = app.page(&next, &format!("motcua_session={hc}")).await;
    assert!(page.contains("data-test=\"done\""), "{page}");
}
both!(
    refused_action_keeps_input_on_the_page,
    refused_action_keeps_input
);

/// Counter intake with reuse is one transaction: the reused document arrives with the dossier, and a document of
/// another applicant refuses the intake without creating anything.
async fn intake_reuse_atomic(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let first = new_dossier(&app, "999000000707").await;
    let up = app
        .upload(&format!("/api/v1/dossiers/{first}/documents?component=Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh&name=cs.pdf"), &hc, "application/pdf", b"%PDF-1.4\n% cs\n".to_vec())
        .await;
    let doc = up.body["id"].as_i64().unwrap().to_string();
    let other = new_dossier(&app, "999000000708").await;
    let up2 = app
        .upload(&format!("/api/v1/dossiers/{other}/documents?component=Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh&name=x.pdf"), &hc, "application/pdf", b"%PDF-1.4\n% x\n".to_vec())
        .await;
    let foreign = up2.body["id"].as_i64().unwrap().to_string();
    let count = || async {
        let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
            "select count(*) from dossiers"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        n
    };
    let docs: Vec<String> = app
        .all_documents("1.001193")
        .await
        .iter()
        .map(u32::to_string)
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![
        ("procedure", "1.001193"),
        ("name", "(demo) Dùng Lại"),
        ("id_number", "999000000707"),
    ];
    for d in &docs {
        fields.push(("documents", d));
    }
    let before = count().await;
    let mut bad = fields.clone();
    bad.push(("reuse", &foreign));
    let (s, _, _) = app
        .form_post("/can-bo/tiep-nhan", Some(&hc), Some(CSRF), &bad)
        .await;
    assert!(s.is_client_error(), "{s}");
    assert_eq!(count().await, before, "nothing created");
    let mut good = fields.clone();
    good.push(("reuse", &doc));
    let (s, h, _) = app
        .form_post("/can-bo/tiep-nhan", Some(&hc), Some(CSRF), &good)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let code = h["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/can-bo/ho-so/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let v = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    let reused = v.body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file_name"] == "cs.pdf")
        .count();
    assert_eq!(reused, 1, "{}", v.body);
}
both!(intake_with_reuse_is_one_transaction, intake_reuse_atomic);

/// A saved administrative change is confirmed on the page it returns to.
async fn saved_is_confirmed(b: Backend) {
    let app = TestApp::new(b).await;
    let admin = app.login("quantri.danang").await;
    let (s, h, _) = app
        .form_post(
            "/quan-tri/quay",
            Some(&admin),
            Some(CSRF),
            &[
                ("agency", "20242"),
                ("number", "7"),
                ("name", "Quầy 7 (demo)"),
                ("fields", "Hộ tịch"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let next = h["location"].to_str().unwrap().to_owned();
    let (_, _, page) = app.page(&next, &format!("motcua_session={admin}")).await;
    assert!(
        page.contains("data-test=\"saved\"") && page.contains("Quầy 7 (demo)"),
        "{page}"
    );
}
both!(saved_changes_are_confirmed, saved_is_confirmed);

/// The CSRF token is renewed at sign-in and sign-out: one seen before the session (on a shared computer, in a
/// proxy log) does not work in it.
async fn csrf_renewed(b: Backend) {
    let app = TestApp::new(b).await;
    let (s, h, _) = app
        .form_post(
            "/dang-nhap",
            None,
            Some(CSRF),
            &[
                ("username", "tiepnhan.haichau"),
                ("password", motcua::service::demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let cookies: Vec<&str> = h
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let csrf = cookies
        .iter()
        .find(|c| c.starts_with("motcua_csrf="))
        .expect("a new CSRF cookie at sign-in");
    assert!(!csrf.contains(CSRF), "{csrf}");
    let session = cookies
        .iter()
        .find_map(|c| c.strip_prefix("motcua_session="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let (s, h, _) = app
        .form_post("/dang-xuat", Some(&session), Some(CSRF), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("motcua_csrf=")));
}
both!(csrf_token_renewed_at_sign_in, csrf_renewed);
