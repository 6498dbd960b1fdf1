//! The web pages without a browser: CSRF, cookies and headers, sign-in limits, language, scope, rating rules and
//! sealed drafts (the journeys themselves run in Chromium, in `browser.rs`).

use crate::both;
use crate::support::{Backend, TestApp, CSRF};
use axum::http::StatusCode;
use serde_json::json;

fn set_cookies(h: &axum::http::HeaderMap) -> Vec<String> {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect()
}

async fn csrf_and_headers(b: Backend) {
    let app = TestApp::new(b).await;
    // A first visit gets the CSRF cookie: HttpOnly, SameSite=Strict; pages are not cached; CSP limits forms.
    let (s, h, page) = app.page("/tra-cuu", "").await;
    assert_eq!(s, StatusCode::OK);
    let c = set_cookies(&h);
    assert!(
        c.iter().any(|c| c.starts_with("motcua_csrf=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Strict")),
        "{c:?}"
    );
    assert_eq!(h["cache-control"], "no-store");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("form-action 'self'"),
        "{csp}"
    );
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(page.contains("name=\"csrf\""), "forms carry the token");
    // The ID number never travels in the address: a GET with it shows no dossier.
    let (_, _, page) = app
        .page("/tra-cuu?ma=20242-261123-0001&so=999000000001", "")
        .await;
    assert!(!page.contains("data-test=\"tracked\""));
    // Without the token, or with another one, the post is refused and nothing is looked up.
    let fields = [("ma", "20242-261123-0001"), ("so", "999000000001")];
    let (s, _, page) = app.form_post("/tra-cuu", None, None, &fields).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        page.contains("Bạn không có quyền") || page.contains("data-test=\"error\""),
        "{page}"
    );
    let (s, _, _) = app
        .form_post(
            "/tra-cuu",
            None,
            Some("ffffffffffffffffffffffffffffffff"),
            &fields,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, page) = app.form_post("/tra-cuu", None, Some(CSRF), &fields).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"tracked\""), "{page}");
    assert!(
        !page.contains("999000000001"),
        "the ID number is not echoed"
    );
    // A look-up that finds nothing keeps what was typed, so a one-digit slip is corrected, not retyped.
    let wrong = [("ma", "20242-261123-0001"), ("so", "999000000009")];
    let (s, _, page) = app.form_post("/tra-cuu", None, Some(CSRF), &wrong).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(page.contains("value=\"999000000009\""), "{page}");
    assert!(page.contains("value=\"20242-261123-0001\""), "{page}");
}
both!(web_csrf_and_headers, csrf_and_headers);

async fn sign_in(b: Backend) {
    let app = TestApp::with_config(b, |c| c.login_per_minute = 4).await;
    // Anonymous officers' pages send to sign-in, and come back after.
    let (s, h, _) = app.page("/can-bo", "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/dang-nhap?tiep=/can-bo");
    let ok = [
        ("username", "tiepnhan.haichau"),
        ("password", motcua::service::demo::DEMO_PASSWORD),
        ("tiep", "/can-bo"),
    ];
    let (s, h, _) = app.form_post("/dang-nhap", None, Some(CSRF), &ok).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/can-bo");
    let session = set_cookies(&h)
        .into_iter()
        .find_map(|c| {
            c.strip_prefix("motcua_session=")
                .map(|v| v.split(';').next().unwrap().to_owned())
        })
        .expect("session cookie");
    let (s, _, page) = app
        .page("/can-bo", &format!("motcua_session={session}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"list-mine\""), "{page}");
    // The idle time-out is announced to the page script (warning 2 minutes before).
    assert!(page.contains(&format!(
        "data-idle-seconds=\"{}\"",
        app.state.config.session_idle_minutes * 60
    )));
    // A form posted after the session ended sends to sign-in, then back to the page the form was on.
    let req = axum::http::Request::post("/can-bo/ho-so/20242-261123-0001/xu-ly")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("motcua_csrf={CSRF}"))
        .header(
            "referer",
            "http://127.0.0.1:8080/can-bo/ho-so/20242-261123-0001",
        )
        .body(axum::body::Body::from(format!("csrf={CSRF}&action=claim")))
        .unwrap();
    let r = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/dang-nhap?tiep=/can-bo/ho-so/20242-261123-0001"
    );
    // A return address elsewhere is ignored.
    let evil = [
        ("username", "congdan.demo"),
        ("password", motcua::service::demo::DEMO_PASSWORD),
        ("tiep", "//evil.example/x"),
    ];
    let (s, h, _) = app.form_post("/dang-nhap", None, Some(CSRF), &evil).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/");
    // A citizen is refused the officers' pages.
    let citizen = app.login("congdan.demo").await;
    let (s, _, _) = app
        .page("/can-bo", &format!("motcua_session={citizen}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Wrong password: the form comes back with the message; the fifth try in a minute (API sign-ins count too) is limited.
    let bad = [("username", "tiepnhan.haichau"), ("password", "wrong")];
    let (s, _, page) = app.form_post("/dang-nhap", None, Some(CSRF), &bad).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(
        page.contains("data-test=\"login-error\"") && page.contains("value=\"tiepnhan.haichau\"")
    );
    let (s, _, _) = app.form_post("/dang-nhap", None, Some(CSRF), &bad).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(time::Duration::seconds(61));
    let (s, _, _) = app.form_post("/dang-nhap", None, Some(CSRF), &ok).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "a new minute");
}
both!(web_sign_in, sign_in);

async fn english(b: Backend) {
    let app = TestApp::new(b).await;
    let (s, h, _) = app.page("/ngon-ngu?l=en&tiep=/tra-cuu", "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/tra-cuu");
    assert!(set_cookies(&h)
        .iter()
        .any(|c| c.starts_with("motcua_lang=en")));
    for path in [
        "/",
        "/thu-tuc/1.001193",
        "/tra-cuu",
        "/dang-nhap",
        "/?q=ket+hon",
    ] {
        let (s, _, en) = app.page(path, "motcua_lang=en").await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(en.contains("<html lang=\"en\">"), "{path}");
        for vi in [
            "Tra cứu hồ sơ",
            "Đăng nhập",
            "Thủ tục hành chính</a>",
            "Tìm kiếm",
        ] {
            assert!(!en.contains(vi), "{path} in English still says {vi}");
        }
        let (_, _, vi) = app.page(path, "").await;
        assert!(
            vi.contains("<html lang=\"vi\">") && vi.contains("Tra cứu hồ sơ"),
            "{path}"
        );
    }
    // Officers' and administrators' pages too.
    let officer = app.login("tiepnhan.haichau").await;
    let admin = app.login("quantri.danang").await;
    for (path, who) in [
        ("/can-bo", &officer),
        ("/can-bo/tiep-nhan?thu_tuc=1.001193", &officer),
        ("/can-bo/ho-so/20242-261123-0001", &officer),
        ("/can-bo/phan-anh", &officer),
        ("/quan-tri/nguoi-dung", &admin),
        ("/quan-tri/thu-tuc?ds=tinh", &admin),
        ("/quan-tri/quy-trinh/1.001193", &admin),
        ("/quan-tri/ngay-nghi", &admin),
        ("/quan-tri/quay", &admin),
        ("/phan-anh", &officer),
    ] {
        let (s, _, en) = app
            .page(path, &format!("motcua_lang=en; motcua_session={who}"))
            .await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(en.contains("<html lang=\"en\">"), "{path}");
        for vi in [
            "Việc cần làm",
            "Đăng xuất",
            "Người dùng",
            "Lưu",
            "Trạng thái",
            "Gửi</button>",
            "Tiếp nhận hồ sơ</a>",
        ] {
            assert!(!en.contains(vi), "{path} in English still says {vi}");
        }
    }
    // Back to Vietnamese; the return address must be local.
    let (_, h, _) = app
        .page("/ngon-ngu?l=vi&tiep=https://evil.example", "motcua_lang=en")
        .await;
    assert_eq!(h["location"], "/");
}
both!(web_english, english);

async fn rating_and_drafts(b: Backend) {
    let app = TestApp::new(b).await;
    let officer = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(
            Some(&officer),
            serde_json::json!({"procedure": "1.001193", "applicant": {"name": "(demo) Lê Văn Đánh Giá", "id_number": "999000000888"}}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_owned();
    let token = app.state.id_key.tracking_token(&code);
    let rate = |level: &'static str, reasons: Vec<&'static str>| {
        let app = &app;
        let code = code.clone();
        let token = token.clone();
        async move {
            let mut f: Vec<(&str, &str)> = vec![("t", token.as_str()), ("level", level)];
            for r in &reasons {
                f.push(("reasons", r));
            }
            let (s, _, page) = app
                .form_post(&format!("/tra-cuu/{code}/danh-gia"), None, Some(CSRF), &f)
                .await;
            (s, page)
        }
    };
    // Not done yet: no rating.
    assert_eq!(rate("1", vec![]).await.0, StatusCode::CONFLICT);
    // Finish it through the API as the officers would.
    let spec = app.login("chuyenvien.haichau").await;
    let lead = app.login("lanhdao.haichau").await;
    let act = |tok: String, body: serde_json::Value| {
        let app = &app;
        let code = code.clone();
        async move {
            app.post(
                &format!("/api/v1/dossiers/{code}/actions"),
                Some(&tok),
                body,
            )
            .await
        }
    };
    let r = act(
        officer.clone(),
        serde_json::json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = act(spec, serde_json::json!({"action": "forward"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = act(
        lead,
        serde_json::json!({"action": "approve", "paper_result": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A wrong token is "not found"; "not satisfied" needs a reason; an unknown reason is refused.
    let (s, _, _) = app
        .form_post(
            &format!("/tra-cuu/{code}/danh-gia"),
            None,
            Some(CSRF),
            &[("t", "x"), ("level", "1")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(rate("3", vec![]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rate("3", vec!["bribe"]).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (s, _) = rate("3", vec!["late", "extra"]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(rate("1", vec![]).await.0, StatusCode::CONFLICT, "once only");
    let stored: Vec<(i16, String)> = motcua::on_db!(&app.state.db, |p| sqlx::query_as(
        "select level, reasons from ratings"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(stored, vec![(3, "[\"late\",\"extra\"]".to_owned())]);
    let (_, _, page) = app.page(&format!("/tra-cuu?ma={code}&t={token}"), "").await;
    assert!(page.contains("data-test=\"rated\"") && !page.contains("data-test=\"rate-form\""));

    // A citizen's saved application is sealed: the ID number is not in the table.
    let citizen = app.login("congdan.demo").await;
    let cookie = format!("motcua_session={citizen}");
    let (s, h, _) = app
        .form_post("/nop/1.001193", Some(&citizen), Some(CSRF), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let next = h["location"].to_str().unwrap().to_owned();
    let draft_path = next.split('?').next().unwrap().to_owned();
    let (s, h, _) = app
        .form_post(
            &draft_path,
            Some(&citizen),
            Some(CSRF),
            &[
                ("buoc", "nguoi-nop"),
                ("name", "(demo) Nguyễn Văn An"),
                ("id_number", "999000000555"),
                ("address", "(demo) 5 Lê Duẩn"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h["location"].to_str().unwrap().ends_with("buoc=noi-nop"));
    let raw: Vec<String> = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select data from drafts"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(raw.len(), 1);
    assert!(
        !raw[0].contains("999000000555") && !raw[0].contains("Lê Duẩn"),
        "sealed"
    );
    // Resuming shows what was typed; another citizen cannot open it.
    let (s, _, page) = app
        .page(&format!("{draft_path}?buoc=nguoi-nop"), &cookie)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("value=\"999000000555\""));
    // A bad ID number keeps the page with the message and keeps what was typed.
    let (s, _, page) = app
        .form_post(
            &draft_path,
            Some(&citizen),
            Some(CSRF),
            &[("buoc", "nguoi-nop"), ("name", "A"), ("id_number", "12ab")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("data-test=\"form-error\"") && page.contains("value=\"12ab\""),
        "{page}"
    );
    // Every mistake at once, each beside its field: no name and a bad ID number.
    let (s, _, page) = app
        .form_post(
            &draft_path,
            Some(&citizen),
            Some(CSRF),
            &[("buoc", "nguoi-nop"), ("name", ""), ("id_number", "12ab")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"name-err\"") && page.contains("id=\"id_number-err\""),
        "{page}"
    );
    assert!(
        page.contains("aria-describedby=\"id_number-err\""),
        "{page}"
    );
    assert!(page.contains("Số định danh cá nhân chưa đúng"), "{page}");
}
both!(web_rating_and_drafts, rating_and_drafts);

async fn api_links_in_a_browser(b: Backend) {
    let app = TestApp::new(b).await;
    let browser = [
        ("sec-fetch-mode", "navigate"),
        ("accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
    ];
    for (path, status) in [
        (
            "/api/v1/dossiers/20242-261123-0001/receipt.pdf",
            StatusCode::UNAUTHORIZED,
        ),
        ("/api/v1/khong-co", StatusCode::NOT_FOUND),
    ] {
        // A browser that follows a PDF link after its session ended sees the error page, not JSON.
        let r = app
            .request_from("127.0.0.9:1000", "GET", path, &browser, None)
            .await;
        assert_eq!(r.status, status, "{path}");
        let ct = r.headers["content-type"].to_str().unwrap();
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(r.body.is_null(), "{path}: no JSON body");
        // A program gets the JSON error as before.
        let r = app
            .request_from("127.0.0.9:1000", "GET", path, &[], None)
            .await;
        assert_eq!(r.status, status);
        assert!(r.body["error"]["code"].is_string(), "{path}: {}", r.body);
    }
}
both!(api_errors_in_a_browser_are_pages, api_links_in_a_browser);

/// A form's fields, as posted.
type Fields = Vec<(&'static str, &'static str)>;

/// A multipart body of files (`field`, bytes) and text fields, as a browser sends the papers form.
fn multipart(fields: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "motcuaBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (k, bytes) in files {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"{k}.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Several photos of 4 MB in one form are taken (each under `max_upload_mb`); a body over the whole limit is the
/// Vietnamese page, not a blank one.
async fn large_uploads(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let (s, h, _) = app
        .form_post("/nop/1.001193", Some(&cz), Some(CSRF), &[])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let draft = h["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    // Applying again for the same procedure continues that application rather than starting a second one.
    let (_, again, _) = app
        .form_post("/nop/1.001193", Some(&cz), Some(CSRF), &[])
        .await;
    assert!(
        again["location"].to_str().unwrap().starts_with(&draft),
        "{again:?}"
    );
    // "Continue" with nothing chosen says what is missing, on the same step.
    let steps: [(Fields, Option<&str>); 5] = [
        (
            vec![
                ("buoc", "nguoi-nop"),
                ("name", "Trần Văn Bảo (demo)"),
                ("id_number", "999000009101"),
            ],
            None,
        ),
        (
            vec![("buoc", "noi-nop"), ("province", ""), ("agency", "")],
            Some("Chọn tỉnh, thành phố"),
        ),
        (
            vec![("buoc", "noi-nop"), ("province", "48"), ("agency", "")],
            None,
        ),
        (
            vec![("buoc", "noi-nop"), ("province", "48"), ("agency", "")],
            Some("Chọn nơi nộp hồ sơ"),
        ),
        (
            vec![("buoc", "noi-nop"), ("province", "48"), ("agency", "20242")],
            None,
        ),
    ];
    for (fields, said) in steps {
        let (s, _, page) = app.form_post(&draft, Some(&cz), Some(CSRF), &fields).await;
        match said {
            None => assert_eq!(s, StatusCode::SEE_OTHER, "{page}"),
            Some(text) => {
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
                assert!(page.contains(text), "{page}");
            }
        }
    }
    let mut photo = b"\x89PNG\r\n\x1a\n".to_vec();
    photo.resize(4 * 1024 * 1024, 0);
    let (ct, body) = multipart(
        &[("csrf", CSRF), ("buoc", "giay-to")],
        &[
            ("file_4", photo.clone()),
            ("file_6", photo.clone()),
            ("file_7", photo.clone()),
        ],
    );
    let cookie = format!("motcua_csrf={CSRF}; motcua_session={cz}");
    let (s, h, page) = app
        .browser_raw(
            ("POST", &draft),
            &[("content-type", ct), ("cookie", cookie.clone())],
            body,
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{page}");
    assert!(h["location"].to_str().unwrap().ends_with("buoc=xem-lai"));
    // Over the whole limit (8 files of 10 MB): the error page in Vietnamese.
    let big = vec![0u8; 82 * 1024 * 1024];
    let (s, h, page) = app
        .browser_raw(
            ("POST", &draft),
            &[
                ("content-type", "multipart/form-data; boundary=x".into()),
                ("cookie", cookie),
                ("sec-fetch-mode", "navigate".into()),
                ("content-length", big.len().to_string()),
            ],
            big,
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        h["content-type"].to_str().unwrap().starts_with("text/html"),
        "{page}"
    );
    assert!(page.contains("<html lang=\"vi\">"), "{page}");
}
both!(large_uploads_are_taken_or_explained, large_uploads);

/// A supplement request for two papers stays open until both are sent from the citizen's page: each send is
/// confirmed with what is still missing, a paper not asked for is refused on the page, the last one resumes
/// processing.
async fn supplement_paper_by_paper(b: Backend) {
    let app = TestApp::new(b).await;
    let cz = app.login("congdan.demo").await;
    let r = app.post("/api/v1/dossiers", Some(&cz), json!({"procedure": "1.001193", "receiving_agency": "20242", "applicant": {"name": "Lê Thị Hoa (demo)", "id_number": "999000009201"}})).await;
    let code = r.body["code"].as_str().unwrap().to_owned();
    let hc = app.login("tiepnhan.haichau").await;
    let docs = app.online_papers("1.001193").await;
    let act = |who: String, body: serde_json::Value| {
        let app = &app;
        let code = code.clone();
        async move {
            app.post(
                &format!("/api/v1/dossiers/{code}/actions"),
                Some(&who),
                body,
            )
            .await
        }
    };
    assert_eq!(
        act(hc.clone(), json!({"action": "accept", "documents": docs}))
            .await
            .status,
        StatusCode::OK
    );
    act(hc.clone(), json!({"action": "forward"})).await;
    let sp = app.login("chuyenvien.haichau").await;
    let s = act(sp, json!({"action": "request_supplement", "note": "Thiếu chữ ký và bản chụp mờ", "missing": ["Tờ khai có chữ ký", "Giấy chứng sinh bản rõ nét"]})).await;
    assert_eq!(s.body["status"]["code"], 5, "{}", s.body);
    let page = |q: &str| {
        let app = &app;
        let url = format!("/ho-so-cua-toi/{code}{q}");
        let cookie = format!("motcua_session={cz}");
        async move { app.page(&url, &cookie).await.2 }
    };
    let p = page("").await;
    assert_eq!(p.matches("data-test=\"paper-missing\"").count(), 2, "{p}");
    let cookie = format!("motcua_csrf={CSRF}; motcua_session={cz}");
    let send = |component: &'static str| {
        let app = &app;
        let url = format!("/ho-so-cua-toi/{code}/bo-sung");
        let cookie = cookie.clone();
        async move {
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.resize(2048, 0);
            let (ct, body) = multipart(
                &[("csrf", CSRF), ("component", component)],
                &[("file", png)],
            );
            app.browser_raw(
                ("POST", &url),
                &[("content-type", ct), ("cookie", cookie)],
                body,
            )
            .await
        }
    };
    let (s, h, _) = send("Tờ khai có chữ ký").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h["location"]
        .to_str()
        .unwrap()
        .ends_with("bo_sung=con-thieu"));
    let p = page("?bo_sung=con-thieu").await;
    assert!(p.contains("data-test=\"supplement-part\""), "{p}");
    assert_eq!(p.matches("data-test=\"paper-sent\"").count(), 1, "{p}");
    assert_eq!(p.matches("data-test=\"paper-missing\"").count(), 1, "{p}");
    let still = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&cz))
        .await;
    assert_eq!(
        still.body["status"]["code"], 5,
        "still waiting for the second paper"
    );
    // The officer sees the same: one paper sent, one still missing.
    let (_, _, officer) = app
        .page(
            &format!("/can-bo/ho-so/{code}"),
            &format!("motcua_session={hc}"),
        )
        .await;
    assert!(
        officer.contains("data-test=\"supplement-open\""),
        "{officer}"
    );
    assert!(
        officer.contains("công dân đã gửi") && officer.contains("còn thiếu"),
        "{officer}"
    );
    let papers = &still.body["supplement"]["papers"];
    assert_eq!(papers[0]["sent"], true, "{}", still.body["supplement"]);
    assert_eq!(papers[1]["sent"], false, "{}", still.body["supplement"]);
    // A paper the agency did not ask for is refused on the page, in Vietnamese, and changes nothing.
    let (s, _, p) = send("Ảnh chân dung").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p.contains("Chọn một giấy tờ còn thiếu"), "{p}");
    assert!(
        p.contains("data-test=\"send-supplement\""),
        "the form again, not a dead end: {p}"
    );
    let (s, h, _) = send("Giấy chứng sinh bản rõ nét").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(h["location"].to_str().unwrap().ends_with("bo_sung=du"));
    let p = page("?bo_sung=du").await;
    assert!(p.contains("data-test=\"supplement-complete\""), "{p}");
    assert!(!p.contains("data-test=\"supplement\""), "{p}");
    let back = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&cz))
        .await;
    assert_eq!(
        back.body["status"]["code"], 4,
        "processing resumed: {}",
        back.body
    );
}
both!(
    a_supplement_stays_open_paper_by_paper,
    supplement_paper_by_paper
);

/// The procedure page as a citizen reads it: the papers first (common, per case, notes apart, nothing from the
/// import files), the steps as the source lists them, one legal reference a row.
async fn procedure_page_shape(b: Backend) {
    let app = TestApp::new(b).await;
    let (s, _, page) = app.page("/thu-tuc/1.001193", "").await;
    assert_eq!(s, StatusCode::OK);
    let bring = page
        .find("data-test=\"papers-to-bring\"")
        .expect("papers section");
    let channels = page.find("<table").expect("channels table");
    let steps = page.find("class=\"proc-steps\"").expect("steps");
    assert!(
        bring < channels && channels < steps,
        "papers, then time and fees, then steps"
    );
    assert!(page.contains("data-test=\"notes\""), "notes apart");
    assert!(!page.contains("số lượng: 0"), "no note listed as a paper");
    assert!(
        !page.contains(".json") && !page.contains(".csv") && !page.contains(".docx"),
        "no file names"
    );
    assert!(
        page.contains("<strong>18/2026/NĐ-CP</strong>"),
        "a reference run into the previous one gets its row"
    );
    // A continuation line of the source ("nộp hồ sơ.") stays with its sentence, not an item of its own.
    assert!(
        !page.contains("<li><p>nộp hồ sơ.</p></li>"),
        "{}",
        &page[steps..steps + 2000]
    );
    // The residence registration's many cases fold away: each is a closed <details>.
    let (_, _, residence) = app.page("/thu-tuc/1.004222", "").await;
    assert!(
        residence.matches("data-test=\"case\"").count() >= 2,
        "cases of 1.004222"
    );
    assert!(!residence.contains("<details class=\"case\" data-test=\"case\" open"));
    // The record repeats one case heading: the two are told apart by their first paper.
    assert!(
        residence.contains("(gồm: "),
        "duplicate case headings told apart"
    );
}
both!(a_procedure_page_puts_the_papers_first, procedure_page_shape);
