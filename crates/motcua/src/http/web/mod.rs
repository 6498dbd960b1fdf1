//! The web application: server-rendered pages for citizens, officers and administrators, Vietnamese first.

pub mod admin;
pub mod charts;
pub mod citizen;
pub mod feedback;
pub mod floor;
pub mod leader;
pub mod multipart;
pub mod officer;
pub mod page;
pub mod public;

use crate::error::{AppError, ErrorCode};
use crate::http::extract::token;
use crate::service::account::session::{self, Actor};
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::fmt::Write as _;

/// The CSRF cookie (double submit: every form carries the same value in a hidden field).
pub const CSRF_COOKIE: &str = "motcua_csrf";
const LANG_COOKIE: &str = "motcua_lang";

/// The page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// The `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// What every page needs: language, CSRF token, the signed-in person, where we are.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub csrf: String,
    pub actor: Option<Actor>,
    /// The session cookie was there but the session has timed out.
    pub expired: bool,
    /// Path and query of this request (for the language switch and sign-in returns).
    pub path: String,
    pub ip: Option<std::net::IpAddr>,
    pub rid: String,
    pub idle_minutes: i64,
    /// Where a sign-in should return to: this page for a GET, the page the form was on for a POST.
    pub back: String,
}

impl Ctx {
    /// The text in the page language.
    pub fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Checks a form's CSRF value against the cookie.
    pub fn check_csrf(&self, given: &str) -> Result<(), AppError> {
        page::check_csrf(&self.csrf, given)
    }

    /// The signed-in staff member or citizen; else the page answers with a redirect to sign in (and back).
    pub fn need(&self) -> Result<&Actor, page::PageError> {
        self.require().map_err(page::PageError::Respond)
    }

    /// The signed-in staff member or citizen, or a redirect to the sign-in page.
    pub fn require(&self) -> Result<&Actor, Box<Response>> {
        self.actor.as_ref().ok_or_else(|| {
            Box::new(
                Redirect::to(&format!("/dang-nhap?tiep={}", url_enc(&self.back))).into_response(),
            )
        })
    }

    /// A full page.
    pub fn page(&self, title: &str, body: &str) -> Response {
        match page::layout(self, title, body) {
            Ok(html) => Html(html).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "the layout did not render");
                (StatusCode::INTERNAL_SERVER_ERROR, Html("<!doctype html><html lang=\"vi\"><title>Lỗi / Error</title><p>Lỗi hệ thống / System error</p></html>")).into_response()
            }
        }
    }

    /// A form page shown again after a refusal answers with the refusal's status (422, 409…).
    pub fn page_after(&self, title: &str, body: &str, error: Option<&AppError>) -> Response {
        let mut r = self.page(title, body);
        if let Some(e) = error {
            *r.status_mut() = e.error_code().status();
        }
        r
    }

    /// A form page shown again with its refusal (`Ok`: the page is the answer).
    pub fn page_refused(&self, title: &str, body: &str, error: &AppError) -> page::PageResult {
        Ok(self.page_after(title, body, Some(error)))
    }

    /// The message box of a form that was refused: the error and, for invalid input, each field's reason.
    pub fn error_box(&self, e: &AppError, test: &str) -> String {
        page::error_box(self, e, test).unwrap_or_default()
    }

    /// An error page with the status of the error, in both languages.
    pub fn error(&self, e: &AppError) -> Response {
        let body = page::error_body(self, e).unwrap_or_default();
        let mut r = self.page(self.t("Lỗi", "Error"), &body);
        *r.status_mut() = e.error_code().status();
        r
    }
}

/// A Content-Disposition header for a file name in any script (RFC 6266: ASCII fallback plus UTF-8).
pub fn disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        url_enc(name)
    )
}

/// Percent-encodes a query value.
pub fn url_enc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            o.push(char::from(b));
        } else {
            let _ = write!(o, "%{b:02X}");
        }
    }
    o
}

/// A local path to return to (never another site).
pub fn local_path(p: &str) -> String {
    if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && !p.contains("://") {
        p.to_owned()
    } else {
        "/".to_owned()
    }
}

fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[derive(Clone)]
struct CsrfToken(String);

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let lang = match cookie_value(parts, LANG_COOKIE).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        };
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        let (actor, expired) = match token(parts) {
            Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => {
                match session::resolve(st, &t).await {
                    Ok(a) => (Some(a), false),
                    Err(e) => (None, e.error_code() == ErrorCode::SessionExpired),
                }
            }
            _ => (None, false),
        };
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        let ip = crate::http::client::of(parts, &st.proxies);
        let rid = parts
            .extensions
            .get::<crate::http::extract::RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        // A form posted after the session ended returns to the page it was on (a POST address cannot be reopened).
        let back = if parts.method == axum::http::Method::GET {
            path.clone()
        } else {
            parts
                .headers
                .get(header::REFERER)
                .and_then(|r| r.to_str().ok())
                .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
                .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
                .map_or_else(|| "/".to_owned(), |p| local_path(&p))
        };
        Ok(Ctx {
            back,
            lang,
            csrf,
            actor,
            expired,
            path,
            ip,
            rid,
            idle_minutes: st.config.session_idle_minutes,
        })
    }
}

fn secure(st: &AppState) -> &'static str {
    if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    }
}

/// Gives every visitor a CSRF cookie, and keeps pages out of shared caches.
/// For the API: a browser navigating to an API address (a PDF link, typed or followed after the session ended) gets
/// the error page in its language instead of the JSON error body that programs get.
pub async fn api_in_browser(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let navigating = req
        .headers()
        .get("sec-fetch-mode")
        .is_some_and(|v| v == "navigate")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("text/html"));
    if !navigating {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let (method, uri, headers, extensions) = (
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
        parts.extensions.clone(),
    );
    let resp = next.run(Request::from_parts(parts, body)).await;
    let failed = resp
        .extensions()
        .get::<crate::error::Failed>()
        .map(|f| f.0.clone())
        .or_else(|| {
            // A body over the size limit is refused before any handler: drawn as the page too.
            (resp.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE
                && resp.extensions().get::<page::PageFailure>().is_none())
            .then(|| std::sync::Arc::new(AppError::code(crate::error::ErrorCode::PayloadTooLarge)))
        });
    let Some(e) = failed else {
        return resp;
    };
    let mut p = Request::new(()).into_parts().0;
    (p.method, p.uri, p.headers, p.extensions) = (method, uri, headers, extensions);
    let Ok(ctx) = Ctx::from_request_parts(&mut p, &st).await;
    let mut page = ctx.error(&e);
    if let Some(l) = resp
        .extensions()
        .get::<crate::error::LoggedError>()
        .cloned()
    {
        page.extensions_mut().insert(l);
    }
    page
}

fn csrf_cookie(st: &AppState, value: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict{}",
        secure(st)
    ))
    .ok()
}

/// A new CSRF cookie, given at sign-in and sign-out, so that a token seen before does not outlive the session.
pub fn fresh_csrf(st: &AppState) -> Option<HeaderValue> {
    let t = crate::auth::new_token().ok()?;
    csrf_cookie(st, t.get(..32)?)
}

async fn web_layer(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let existing = cookie_value(&parts, CSRF_COOKIE)
        .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let (value, fresh) = match existing {
        Some(v) => (v, false),
        None => (
            crate::auth::new_token()
                .map(|t| t[..32].to_owned())
                .unwrap_or_default(),
            true,
        ),
    };
    parts.extensions.insert(CsrfToken(value.clone()));
    // Kept to draw the error page if the handler fails (its language, the signed-in person, where it was).
    let (method, uri, headers, extensions) = (
        parts.method.clone(),
        parts.uri.clone(),
        parts.headers.clone(),
        parts.extensions.clone(),
    );
    req = Request::from_parts(parts, body);
    let mut resp = next.run(req).await;
    if let Some(page::PageFailure(e)) = resp.extensions().get::<page::PageFailure>().cloned() {
        let mut p = Request::new(()).into_parts().0;
        (p.method, p.uri, p.headers, p.extensions) = (method, uri, headers, extensions);
        let Ok(ctx) = Ctx::from_request_parts(&mut p, &st).await;
        let logged = resp
            .extensions()
            .get::<crate::error::LoggedError>()
            .cloned();
        resp = ctx.error(&e);
        if let Some(l) = logged {
            resp.extensions_mut().insert(l);
        }
    }
    let h = resp.headers_mut();
    if fresh && !value.is_empty() {
        if let Some(v) = csrf_cookie(&st, &value) {
            h.append(header::SET_COOKIE, v);
        }
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

#[derive(serde::Deserialize)]
struct LangQuery {
    l: String,
    #[serde(default)]
    tiep: String,
}

/// `/ngon-ngu?l=en&tiep=/path`: switches the language and goes back.
async fn switch_lang(
    State(st): State<AppState>,
    crate::http::extract::AppQuery(q): crate::http::extract::AppQuery<LangQuery>,
) -> Response {
    let l = if q.l == "en" { "en" } else { "vi" };
    let back = local_path(&q.tiep);
    let mut r = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={l}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        secure(&st)
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

/// The session cookie after sign-in (or its removal with max_age 0).
pub fn session_cookie(st: &AppState, value: &str, max_age: i64) -> String {
    crate::http::api::cookie(st, value, max_age)
}

const JS: &str = include_str!("../../../static/app.js");
const CSS: &str = include_str!("../../../static/app.css");
const FLOOR_JS: &str = include_str!("../../../static/floor.js");

async fn css() -> Response {
    (
        [
            ("content-type", "text/css; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            ("content-type", "text/javascript; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        JS,
    )
        .into_response()
}

async fn floor_js() -> Response {
    (
        [
            ("content-type", "text/javascript; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        FLOOR_JS,
    )
        .into_response()
}

/// The web pages: each audience's router, the shared pages, and the layer that gives every visitor a CSRF cookie.
pub fn router(st: AppState) -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(feedback::router())
        .merge(floor::router())
        .merge(
            citizen::router().layer(axum::extract::DefaultBodyLimit::max(
                crate::http::upload_body_limit(&st),
            )),
        )
        .merge(
            officer::router().layer(axum::extract::DefaultBodyLimit::max(
                crate::http::upload_body_limit(&st),
            )),
        )
        .merge(leader::router())
        .merge(admin::router())
        .route("/ngon-ngu", get(switch_lang))
        .route("/static/app.js", get(js))
        .route("/static/app.css", get(css))
        .route("/static/floor.js", get(floor_js))
        .layer(middleware::from_fn_with_state(st, web_layer))
}

/// Formats an amount of đồng: `1.234.000 đ`.
pub fn vnd(n: i64) -> String {
    format!("{} đ", motcua_domain::money::group_thousands(n, '.'))
}

/// Formats a number the Vietnamese way, at most two decimals, a comma before them and dots between thousands:
/// `1.234,5`, `12`, `0,25`.
pub fn dec(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    let whole = r.trunc();
    let frac = ((r - whole).abs() * 100.0).round() as i64;
    // The whole part is far below i64's range for any figure a page shows.
    #[allow(clippy::cast_possible_truncation)]
    let mut out = motcua_domain::money::group_thousands(whole as i64, '.');
    if r < 0.0 && whole == 0.0 {
        out.insert(0, '-');
    }
    match frac {
        0 => {}
        f if f % 10 == 0 => out.push_str(&format!(",{}", f / 10)),
        f => out.push_str(&format!(",{f:02}")),
    }
    out
}

/// Formats a moment as dd/mm/yyyy hh:mm (Vietnam time).
pub fn when(t: time::OffsetDateTime) -> String {
    motcua_domain::calendar::format_vi(t)
}

/// A browser (it asks for HTML) outside the API gets the bilingual error page; the API and scripts get JSON.
fn refusal(ctx: &Ctx, headers: &axum::http::HeaderMap, path: &str, e: &AppError) -> Response {
    let html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if html && !path.starts_with("/api/") {
        ctx.error(e)
    } else {
        AppError::code(e.error_code()).into_response()
    }
}

/// The fallback for an address no route has.
pub async fn not_found(ctx: Ctx, headers: axum::http::HeaderMap, uri: axum::http::Uri) -> Response {
    refusal(
        &ctx,
        &headers,
        uri.path(),
        &AppError::code(ErrorCode::RouteNotFound),
    )
}

/// The fallback for a method a route does not take (a form's address opened as a link).
pub async fn method_not_allowed(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    refusal(
        &ctx,
        &headers,
        uri.path(),
        &AppError::code(ErrorCode::MethodNotAllowed),
    )
}

/// A `303 See Other` after a form post.
pub fn see_other(path: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, path.to_owned())]).into_response()
}

/// Reads a urlencoded form body.
pub fn form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    // PostgreSQL refuses NUL in text, and no field of ours needs one (raw or percent-encoded).
    if body.contains(&0) || body.windows(3).any(|w| w.eq_ignore_ascii_case(b"%00")) {
        return Err(AppError::with(
            ErrorCode::BadRequest,
            "the form contains a NUL character",
        ));
    }
    serde_urlencoded::from_bytes(body)
        .map_err(|e| AppError::with(ErrorCode::BadRequest, format!("malformed form: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn decimals_are_written_the_vietnamese_way() {
        assert_eq!(super::dec(12.0), "12");
        assert_eq!(super::dec(12.5), "12,5");
        assert_eq!(super::dec(0.254), "0,25");
        assert_eq!(super::dec(1234.06), "1.234,06");
        assert_eq!(super::dec(-0.5), "-0,5");
        assert_eq!(super::dec(-3.25), "-3,25");
    }
}
