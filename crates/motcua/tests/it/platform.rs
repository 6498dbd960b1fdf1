//! The platform: health, errors, OpenAPI, metrics, migrations on both backends, a real socket.

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use motcua::error::ErrorCode;
use std::io::{Read, Write};

async fn health_and_errors(b: Backend) {
    let app = TestApp::new(b).await;
    let h = app.get("/healthz", None).await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(h.headers.get("x-request-id").is_some());
    assert_eq!(h.headers.get("x-content-type-options").unwrap(), "nosniff");
    let nf = app.get("/no/such/page", None).await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert_eq!(nf.body["error"]["code"], "route_not_found");
    assert_eq!(
        nf.body["error"]["message"],
        "Không tìm thấy địa chỉ yêu cầu"
    );
    assert_eq!(nf.body["error"]["message_en"], "No such address");
    // The home page searches without JavaScript and escapes what it echoes.
    let home = app
        .request("GET", "/?q=%3Cscript%3Eket%20hon&level=commune", None, None)
        .await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        home.headers.get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    let page = app
        .request("GET", "/?q=ket%20hon&level=commune", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let css = app.request("GET", "/static/app.css", None, None).await;
    assert_eq!(css.status, StatusCode::OK);
}

/// The home page as HTML text (the JSON helper cannot read it).
async fn home_html(b: Backend) {
    let app = TestApp::new(b).await;
    let router = motcua::http::app(app.state.clone());
    let get = |uri: &'static str| {
        let router = router.clone();
        async move {
            let resp = tower::ServiceExt::oneshot(
                router,
                axum::http::Request::get(uri)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
            String::from_utf8(
                http_body_util::BodyExt::collect(resp.into_body())
                    .await
                    .unwrap()
                    .to_bytes()
                    .to_vec(),
            )
            .unwrap()
        }
    };
    let page = get("/?q=ket%20hon&level=commune").await;
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("Tra cứu thủ tục hành chính"));
    assert!(
        page.contains("href=\"/thu-tuc/1.000894\">Thủ tục đăng ký kết hôn</a>"),
        "{page}"
    );
    let hostile = get("/?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    // Escaped by the template engine (numeric character references).
    assert!(
        !hostile.contains("<script>") && hostile.contains("&#60;script&#62;"),
        "{hostile}"
    );
}
both!(home_page, home_html);
both!(health_and_error_format, health_and_errors);

async fn openapi(b: Backend) {
    let app = TestApp::new(b).await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    assert_eq!(doc["openapi"], "3.0.3");
    for (method, path) in motcua::http::openapi::all_routes() {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the document"
        );
        // And the route exists: it does not fall through to route_not_found.
        let concrete = path.replace("{code}", "1.001193");
        let r = app
            .request(&method.to_uppercase(), &concrete, None, None)
            .await;
        assert_ne!(
            r.body["error"]["code"], "route_not_found",
            "{method} {path} is not routed"
        );
        assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|m| m.as_object().unwrap().len())
        .sum();
    assert_eq!(documented, motcua::http::openapi::all_routes().count());
    // And every route the API registers is documented (read from the router's source: axum cannot list them).
    let src = include_str!("../../src/http/api/mod.rs");
    let mut registered = Vec::new();
    for chunk in src.split(".route(").skip(1) {
        let Some(path) = chunk.split('"').nth(1) else {
            continue;
        };
        let end = chunk.find("\n        .route(").unwrap_or(chunk.len());
        for m in ["get", "post", "put", "delete", "patch"] {
            let c = &chunk[..end];
            if c.contains(&format!(" {m}("))
                || c.contains(&format!("({m}("))
                || c.contains(&format!(".{m}("))
                || c.contains(&format!("::{m}("))
            {
                registered.push((m.to_owned(), format!("/api/v1{path}")));
            }
        }
    }
    assert!(registered.len() > 50, "{registered:?}");
    for (m, p) in &registered {
        assert!(
            motcua::http::openapi::all_routes().any(|(dm, dp)| dm == m && dp == p),
            "{m} {p} is routed but not in the OpenAPI document"
        );
    }
    let enum_codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
        ["code"]["enum"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(enum_codes, ErrorCode::ALL.len());
}
both!(openapi_matches_the_router, openapi);

async fn metrics(b: Backend) {
    let app = TestApp::new(b).await;
    app.get("/api/v1/units?level=province", None).await;
    app.get("/api/v1/units?level=bad", None).await;
    let s = app.metrics_text().await;
    assert!(
        s.contains(
            r#"motcua_http_requests_total{method="GET",route="/api/v1/units",status="200"} 1"#
        ),
        "{s}"
    );
    assert!(s.contains(
        r#"motcua_http_requests_total{method="GET",route="/api/v1/units",status="422"} 1"#
    ));
    assert!(
        s.contains(r#"motcua_dossiers{status="1",key="submitted"} 1"#),
        "{s}"
    );
    assert!(s.contains("motcua_http_request_duration_seconds_bucket"));
}
both!(prometheus_metrics, metrics);

/// Both migration histories produce the same tables and columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_agree_between_backends() {
    let Some(_) = crate::support::pg_url() else {
        eprintln!("skipped: set MOTCUA_TEST_PG to compare with PostgreSQL");
        return;
    };
    let (sq, _, _g1) = crate::support::fresh_db(Backend::Sqlite).await;
    let (pg, _, _g2) = crate::support::fresh_db(Backend::Postgres).await;
    let tables: Vec<(String,)> = motcua::on_db!(&sq, |p| sqlx::query_as("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").fetch_all(p).await).unwrap();
    let mut lite = Vec::new();
    for (t,) in &tables {
        let cols: Vec<(String,)> = motcua::on_db!(&sq, |p| sqlx::query_as(&format!(
            "select name from pragma_table_info('{t}') order by name"
        ))
        .fetch_all(p)
        .await)
        .unwrap();
        for (c,) in cols {
            lite.push(format!("{t}.{c}"));
        }
    }
    let pgcols: Vec<(String, String)> = motcua::on_db!(&pg, |p| sqlx::query_as("select table_name::text, column_name::text from information_schema.columns where table_schema = 'public' order by table_name, column_name").fetch_all(p).await).unwrap();
    let mut pgl: Vec<String> = pgcols
        .into_iter()
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    lite.sort();
    pgl.sort();
    assert_eq!(lite, pgl);
    assert!(lite.len() > 100);
}

/// The error catalogue: every code has a status, Vietnamese and English text, and a unique name.
#[test]
fn error_catalogue() {
    let mut names = std::collections::HashSet::new();
    for c in ErrorCode::ALL {
        assert!(names.insert(c.as_str()));
        assert!(
            // A payment gateway that does not answer is 502: upstream, not our fault nor the caller's.
            c.status().is_client_error()
                || c == ErrorCode::Internal
                || c == ErrorCode::PaymentUnavailable,
            "{c:?}"
        );
        assert!(!c.vi().is_empty() && !c.en().is_empty());
        assert_ne!(c.vi(), c.en());
    }
}

/// A real socket: `serve` on port 0, a raw HTTP/1.1 request, graceful shutdown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_on_a_real_socket_and_shuts_down() {
    let app = TestApp::new(Backend::Sqlite).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(motcua::http::serve(listener, app.state.clone(), async {
        let _ = rx.await;
    }));
    let body = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(
            b"GET /api/v1/units?level=province HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    })
    .await
    .unwrap();
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("\"total\":34"));
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// Hostile and malformed inputs get a 4xx in the catalogue's format, never a 500 or a plain-text body.
async fn hostile(b: Backend) {
    let app = TestApp::new(b).await;
    let t = app.login("tiepnhan.haichau").await;
    let gets = [
        "/api/v1/procedures?limit=99999999999999999999",
        "/api/v1/procedures/%FF",
        "/api/v1/units/%00",
        "/api/v1/units?province=%F0%9F%98%80",
        "/api/v1/calendar/due?from=9999-12-31T23:59:59Z&amount=3650&unit=working_days",
        "/api/v1/calendar/due?from=-9999-01-01T00:00:00Z&amount=1&unit=days",
        "/api/v1/calendar/due?from=2026-01-01T00:00:00Z&amount=NaN&unit=days",
        "/api/v1/calendar/due?from=2026-01-01T00:00:00Z&amount=1e308&unit=days",
        "/api/v1/calendar/holidays?year=99999",
        "/api/v1/units/old?code=00000000000",
        "/api/v1/dossiers/a-999999-0001",
        "/api/v1/dossiers/%FF",
        "/api/v1/dossiers?limit=-1",
    ];
    for uri in gets {
        let r = app.get(uri, Some(&t)).await;
        assert!(r.status.is_client_error(), "{uri}: {}", r.status);
        assert!(
            r.body["error"]["code"].is_string() && r.body["error"]["message"].is_string(),
            "{uri}: {}",
            r.body
        );
    }
    for body in [
        "[]",
        "{\"procedure\":1}",
        "null",
        "\"x\"",
        "{\"procedure\":\"1.004222\",\"applicant\":null}",
    ] {
        let r = app
            .request("POST", "/api/v1/dossiers", Some(&t), Some(body.into()))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
    }
    let del = app
        .request("DELETE", "/api/v1/dossiers", Some(&t), None)
        .await;
    assert_eq!(del.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(del.body["error"]["code"], "method_not_allowed");
    let far = app
        .get(
            "/api/v1/calendar/due?from=2090-06-01T09:00:00%2B07:00&amount=3650&unit=working_days",
            None,
        )
        .await;
    assert_eq!(far.status, StatusCode::OK, "{}", far.body);
}
both!(hostile_input_is_always_a_clean_4xx, hostile);

/// Over a real socket the client address reaches the handlers: two loopback addresses get separate tracking budgets
/// (without connect info every client shared one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_socket_limits_per_client_address() {
    let app = TestApp::with_config(Backend::Sqlite, |c| c.tracking_per_minute = 1).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(motcua::http::serve(listener, app.state.clone(), async {
        let _ = rx.await;
    }));
    let get = |from: &'static str| async move {
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind(format!("{from}:0").parse().unwrap()).unwrap();
        let mut s = sock.connect(addr).await.unwrap();
        tokio::io::AsyncWriteExt::write_all(
            &mut s,
            b"GET /api/v1/track?code=20242-261123-0001&proof=00000000000000000000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let mut out = String::new();
        tokio::io::AsyncReadExt::read_to_string(&mut s, &mut out)
            .await
            .unwrap();
        out[9..12].to_owned()
    };
    assert_eq!(get("127.0.0.2").await, "404");
    assert_eq!(
        get("127.0.0.2").await,
        "429",
        "the second look-up from one address"
    );
    assert_eq!(
        get("127.0.0.3").await,
        "404",
        "another address has its own budget"
    );
    tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}
