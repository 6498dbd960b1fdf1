//! The web application: server-rendered pages for citizens, officers and administrators, Vietnamese first.

pub mod admin;
pub mod citizen;
pub mod feedback;
pub mod multipart;
pub mod officer;
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
use motcua_domain::role::Role;
use std::fmt::Write as _;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

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

    /// The hidden CSRF field of a form.
    pub fn csrf_field(&self) -> String {
        format!(
            "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
            esc(&self.csrf)
        )
    }

    /// Checks a form's CSRF value against the cookie.
    pub fn check_csrf(&self, given: &str) -> Result<(), AppError> {
        if !self.csrf.is_empty() && crate::auth::same(given, &self.csrf) {
            Ok(())
        } else {
            Err(AppError::with(
                ErrorCode::Forbidden,
                "the form's security token does not match; reload the page",
            ))
        }
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
        Html(layout(self, title, body)).into_response()
    }

    /// A form page shown again after a refusal answers with the refusal's status (422, 409…).
    pub fn page_after(&self, title: &str, body: &str, error: Option<&AppError>) -> Response {
        let mut r = self.page(title, body);
        if let Some(e) = error {
            *r.status_mut() = e.error_code().status();
        }
        r
    }

    /// The message box of a form that was refused: the error and, for invalid input, each field's reason.
    pub fn error_box(&self, e: &AppError, test: &str) -> String {
        let c = e.error_code();
        let mut b = format!(
            "<div class=\"notice\" role=\"alert\" data-test=\"{test}\"><p>{}</p>",
            esc(self.t(c.vi(), c.en()))
        );
        if let AppError::Invalid(fields) = e {
            b.push_str("<ul>");
            for (k, v) in fields {
                let _ = write!(
                    b,
                    "<li><code>{}</code>: {}</li>",
                    esc(k),
                    esc(self.t(&v.vi, &v.en))
                );
            }
            b.push_str("</ul>");
        }
        b.push_str("</div>");
        b
    }

    /// An error page with the status of the error, in both languages.
    pub fn error(&self, e: &AppError) -> Response {
        let code = e.error_code();
        let mut body = format!(
            "<h1>{}</h1><p class=\"notice\" role=\"alert\" data-test=\"error\">{}<br><span lang=\"{}\" class=\"muted\">{}</span></p>",
            self.t("Không thực hiện được", "Could not be done"),
            esc(self.t(code.vi(), code.en())),
            self.t("en", "vi"),
            esc(self.t(code.en(), code.vi())),
        );
        if let AppError::Invalid(fields) = e {
            body.push_str("<ul class=\"errors\">");
            for (k, f) in fields {
                let _ = write!(
                    body,
                    "<li><code>{}</code>: {}</li>",
                    esc(k),
                    esc(self.t(&f.vi, &f.en))
                );
            }
            body.push_str("</ul>");
        }
        let _ = write!(
            body,
            "<p><a href=\"/\">{}</a></p>",
            self.t("Về trang chủ", "Home")
        );
        let mut r = self.page(self.t("Lỗi", "Error"), &body);
        *r.status_mut() = code.status();
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
    req = Request::from_parts(parts, body);
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if fresh && !value.is_empty() {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict{}",
            secure(&st)
        )) {
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

/// The web pages: each audience's router, the shared pages, and the layer that gives every visitor a CSRF cookie.
pub fn router(st: AppState) -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(feedback::router())
        .merge(citizen::router())
        .merge(officer::router())
        .merge(admin::router())
        .route("/ngon-ngu", get(switch_lang))
        .route("/static/app.js", get(js))
        .route("/static/app.css", get(css))
        .layer(middleware::from_fn_with_state(st, web_layer))
}

/// Formats an amount of đồng: `1.234.000 đ`.
pub fn vnd(n: i64) -> String {
    format!("{} đ", motcua_domain::money::group_thousands(n, '.'))
}

/// Formats a moment as dd/mm/yyyy hh:mm (Vietnam time).
pub fn when(t: time::OffsetDateTime) -> String {
    motcua_domain::calendar::format_vi(t)
}

fn nav(ctx: &Ctx) -> String {
    let mut links: Vec<(&str, &str)> = vec![
        ("/", ctx.t("Thủ tục hành chính", "Procedures")),
        ("/tra-cuu", ctx.t("Tra cứu hồ sơ", "Track a dossier")),
        ("/phan-anh", ctx.t("Phản ánh, kiến nghị", "Feedback")),
    ];
    match ctx.actor.as_ref().map(|a| a.role) {
        Some(Role::Citizen) => {
            links.push(("/ho-so-cua-toi", ctx.t("Hồ sơ của tôi", "My dossiers")))
        }
        Some(Role::ReceivingOfficer | Role::CenterDirector) => {
            links.push(("/can-bo", ctx.t("Việc cần làm", "Work lists")));
            links.push((
                "/can-bo/tiep-nhan",
                ctx.t("Tiếp nhận hồ sơ", "Counter intake"),
            ));
            links.push((
                "/can-bo/phan-anh",
                ctx.t("Trả lời phản ánh", "Answer feedback"),
            ));
        }
        Some(Role::ProvinceAdmin | Role::SystemAdmin) => {
            links.push(("/quan-tri", ctx.t("Quản trị", "Administration")));
            links.push((
                "/can-bo/phan-anh",
                ctx.t("Trả lời phản ánh", "Answer feedback"),
            ));
        }
        Some(Role::Leader) => {
            links.push(("/can-bo", ctx.t("Việc cần làm", "Work lists")));
            links.push((
                "/can-bo/phan-anh",
                ctx.t("Trả lời phản ánh", "Answer feedback"),
            ));
        }
        Some(_) => links.push(("/can-bo", ctx.t("Việc cần làm", "Work lists"))),
        None => {}
    }
    // The longest link that starts the current path is the current page.
    let path = ctx.path.split('?').next().unwrap_or("/");
    let current_href = links
        .iter()
        .map(|(h, _)| *h)
        .filter(|h| path == *h || (*h != "/" && path.starts_with(&format!("{h}/"))))
        .max_by_key(|h| h.len());
    let mut s = String::from("<nav aria-label=\"");
    s.push_str(ctx.t("Điều hướng chính", "Main navigation"));
    s.push_str("\"><ul>");
    for (href, label) in links {
        let current = if current_href == Some(href) {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(s, "<li><a href=\"{href}\"{current}>{label}</a></li>");
    }
    s.push_str("</ul></nav>");
    s
}

fn layout(ctx: &Ctx, title: &str, body: &str) -> String {
    let (other, other_label) = match ctx.lang {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    };
    let who = match &ctx.actor {
        Some(a) => format!(
            "<form method=\"post\" action=\"/dang-xuat\" class=\"who\">{csrf}<span data-test=\"signed-in\">{name}</span> <button type=\"submit\" class=\"link\">{out}</button></form>",
            csrf = ctx.csrf_field(),
            name = esc(&a.display_name),
            out = ctx.t("Đăng xuất", "Sign out"),
        ),
        None => format!(
            "<a class=\"signin\" href=\"/dang-nhap?tiep={}\">{}</a>",
            url_enc(&ctx.path),
            ctx.t("Đăng nhập", "Sign in")
        ),
    };
    let expired = if ctx.expired {
        format!(
            "<p class=\"notice\" role=\"status\">{}</p>",
            ctx.t(
                "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.",
                "Your session timed out after a period of inactivity. Please sign in again."
            )
        )
    } else {
        String::new()
    };
    let idle = if ctx.actor.is_some() {
        format!(
            " data-idle-seconds=\"{}\" data-warn-text=\"{}\" data-stay-text=\"{}\"",
            ctx.idle_minutes * 60,
            esc(ctx.t(
                "Phiên làm việc sẽ hết hạn sau 2 phút nếu không có thao tác. Nội dung chưa gửi trên biểu mẫu sẽ bị mất.",
                "Your session ends in 2 minutes without activity. Anything not yet submitted on a form will be lost."
            )),
            esc(ctx.t("Tiếp tục làm việc", "Stay signed in")),
        )
    } else {
        String::new()
    };
    format!(
        r##"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — motcua</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body{idle}>
<a class="skip" href="#main">{skip}</a>
<header><div class="wrap bar"><a class="home" href="/">motcua</a><span class="tag">{tag}</span><span class="tools"><a href="/ngon-ngu?l={other}&amp;tiep={back}" lang="{other}" data-test="lang-switch">{other_label}</a> {who}</span></div>
<div class="wrap">{nav}</div></header>
<main id="main" class="wrap" tabindex="-1">
{expired}{body}
</main>
<footer><div class="wrap">{footer}</div></footer>
</body>
</html>"##,
        lang = ctx.lang.code(),
        title = esc(title),
        skip = ctx.t("Bỏ qua, đến nội dung chính", "Skip to main content"),
        tag = ctx.t("Hệ thống một cửa", "One-stop public service system"),
        back = url_enc(&ctx.path),
        nav = nav(ctx),
        footer = ctx.t(
            "Dữ liệu thủ tục: Cơ sở dữ liệu quốc gia về thủ tục hành chính (bản thu thập). Đơn vị hành chính: Quyết định 19/2025/QĐ-TTg.",
            "Procedures: National database of administrative procedures (collected copy). Units: Decision 19/2025/QĐ-TTg."
        ),
    )
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
