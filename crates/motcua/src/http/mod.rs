//! The HTTP layer: `app(state)` builds the router (pure), `serve` runs it with graceful shutdown.

pub mod api;
pub mod client;
pub mod extract;
pub mod openapi;
pub mod web;

use crate::error::{AppError, LoggedError};
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
pub use extract::RequestId;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn new_request_id() -> String {
    let mut b = [0u8; 8];
    let _ = getrandom::getrandom(&mut b);
    hex::encode(b)
}

/// Request id, span, one log line per request (with the error, if any, logged once here) and metrics.
async fn observe(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map_or_else(new_request_id, str::to_owned);
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let span = tracing::info_span!("request", request.id = %id, http.method = %method, http.route = %route);
    let mut resp = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let status = resp.status().as_u16();
    span.in_scope(|| match resp.extensions().get::<LoggedError>() {
        Some(e) if status >= 500 => tracing::error!(http.status = status, duration_ms = ms, error.code = e.code, error.detail = %e.detail, "request failed"),
        Some(e) => tracing::info!(http.status = status, duration_ms = ms, error.code = e.code, "request refused"),
        None => tracing::info!(http.status = status, duration_ms = ms, "request done"),
    });
    st.metrics.record(&method, &route, status, ms);
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(REQUEST_ID.clone(), v);
    }
    resp
}

async fn security_headers(State(st): State<AppState>, req: Request, next: Next) -> Response {
    // API answers carry personal data (applicants, ID numbers masked or not, PDFs of forms): never cached.
    let api = req.uri().path().starts_with("/api/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if api && !h.contains_key(axum::http::header::CACHE_CONTROL) {
        h.insert(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
    if st.config.secure_cookies {
        h.insert(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // A response that may be framed by our own pages (the kiosk prints its PDFs from a hidden frame) says so itself.
    let same_origin = h.get("x-frame-options").is_some_and(|v| v == "SAMEORIGIN");
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if same_origin {
        h.insert(
            "content-security-policy",
            HeaderValue::from_static(
                "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
            ),
        );
    } else {
        h.insert("x-frame-options", HeaderValue::from_static("DENY"));
        h.insert(
            "content-security-policy",
            HeaderValue::from_str(&st.csp).unwrap_or_else(|_| {
                HeaderValue::from_static(
                    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                )
            }),
        );
    }
    resp
}

async fn healthz(State(st): State<AppState>) -> Response {
    let ok: Result<i64, _> = crate::on_db!(&st.db, |p| sqlx::query_scalar(
        "select count(*) from motcua_migrations"
    )
    .fetch_one(p)
    .await);
    match ok {
        Ok(_) => (
            axum::http::StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok"})),
        )
            .into_response(),
        Err(e) => AppError::Internal(e.into()).into_response(),
    }
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// Files a form may carry at once (the online submission's papers).
pub const FILES_PER_FORM: usize = 8;

/// The largest request body: a form of [`FILES_PER_FORM`] files of `max_upload_mb` each, and its fields. Each file
/// is then checked against `max_upload_mb` by the use case that stores it.
pub fn upload_body_limit(st: &AppState) -> usize {
    (usize::try_from(st.config.max_upload_mb).unwrap_or(10) * FILES_PER_FORM + 1) * 1024 * 1024
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config.request_timeout_seconds);
    Router::new()
        .route("/healthz", get(healthz))
        .merge(crate::http::web::router(state.clone()))
        .nest("/api/v1", api::router())
        .fallback(web::not_found)
        .method_not_allowed_fallback(web::method_not_allowed)
        .layer(RequestBodyLimitLayer::new(upload_body_limit(&state)))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::web::api_in_browser,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// The metrics listener's router.
pub fn metrics_app(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(st): State<AppState>| async move {
                let by_status = crate::store::dossiers::count_by_status(&st.db)
                    .await
                    .unwrap_or_default();
                let mut text = st.metrics.render(&by_status);
                text.push_str(&crate::metrics::replica_text(
                    st.replica.as_ref().map(|r| r.status()),
                ));
                ([("content-type", "text/plain; version=0.0.4")], text)
            }),
        )
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Client addresses reach the handlers: rate limits and lockouts are per client.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
