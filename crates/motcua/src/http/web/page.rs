//! What a page handler returns and how a page is drawn: `PageResult`, whose error renders the bilingual error page
//! in the request's language (never JSON in a browser); `CsrfForm<T>`, the one extractor every urlencoded form goes
//! through (size, NUL bytes, CSRF); and the layout, an askama template that escapes what it is given.

use super::{url_enc, Ctx, Lang};
use crate::error::{AppError, ErrorCode, LoggedError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use motcua_domain::role::Role;
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Why a page could not be shown: a refusal or failure (drawn as the error page by the web layer, which knows the
/// request's language and the signed-in person), or another answer to give instead (a redirect to sign in).
#[derive(Debug)]
pub enum PageError {
    Fail(AppError),
    Respond(Box<Response>),
}

/// What page handlers return.
pub type PageResult = Result<Response, PageError>;

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::Fail(e)
    }
}

impl From<sqlx::Error> for PageError {
    fn from(e: sqlx::Error) -> Self {
        PageError::Fail(e.into())
    }
}

impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> Self {
        PageError::Fail(e.into())
    }
}

impl From<motcua_domain::DomainError> for PageError {
    fn from(e: motcua_domain::DomainError) -> Self {
        PageError::Fail(e.into())
    }
}

/// The failure a page handler gave, carried in the response to the web layer, which draws the error page.
#[derive(Debug, Clone)]
pub struct PageFailure(pub Arc<AppError>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Respond(r) => *r,
            PageError::Fail(e) => {
                let status = e.error_code().status();
                let mut r = status.into_response();
                let detail = match &e {
                    AppError::Coded { detail, .. } => detail.clone(),
                    AppError::Invalid(f) => format!("{:?}", f.keys().collect::<Vec<_>>()),
                    AppError::Internal(err) => format!("{err:#}"),
                };
                r.extensions_mut().insert(LoggedError {
                    code: e.error_code().as_str(),
                    detail,
                });
                r.extensions_mut().insert(PageFailure(Arc::new(e)));
                r
            }
        }
    }
}

/// A urlencoded form, read once for every page: at most 1 MiB, no NUL byte (raw or `%00`), and the CSRF field
/// equal to the visitor's CSRF cookie. `T` is the form's fields (`csrf` itself need not be one of them).
pub struct CsrfForm<T>(pub T);

/// The largest form body.
pub const FORM_LIMIT: usize = 1024 * 1024;

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;
    async fn from_request(req: Request, _: &AppState) -> Result<Self, PageError> {
        let cookie = req
            .extensions()
            .get::<super::CsrfToken>()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
            .await
            .map_err(|_| AppError::code(ErrorCode::PayloadTooLarge))?;
        let pairs: Vec<(String, String)> = super::form(&bytes)?;
        let given = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str());
        check_csrf(&cookie, given)?;
        Ok(CsrfForm(super::form(&bytes)?))
    }
}

/// Whether a form's CSRF value is the visitor's cookie.
pub fn check_csrf(cookie: &str, given: &str) -> Result<(), AppError> {
    if !cookie.is_empty() && crate::auth::same(given, cookie) {
        Ok(())
    } else {
        Err(AppError::with(
            ErrorCode::FormExpired,
            "the form's security token does not match; reload the page",
        ))
    }
}

struct Idle<'a> {
    seconds: i64,
    warn: &'a str,
    stay: &'a str,
}

enum Who<'a> {
    SignedIn {
        csrf: &'a str,
        name: &'a str,
        out: &'a str,
    },
    SignedOut {
        back: String,
        label: &'a str,
    },
}

struct Link<'a> {
    href: &'static str,
    label: &'a str,
    current: bool,
}

#[derive(Template)]
#[template(path = "layout.html")]
struct Layout<'a> {
    lang: &'static str,
    title: &'a str,
    idle: Option<Idle<'a>>,
    skip: &'a str,
    tag: &'a str,
    other: &'static str,
    other_label: &'static str,
    back: String,
    who: Who<'a>,
    nav_label: &'a str,
    links: Vec<Link<'a>>,
    expired: Option<&'a str>,
    /// A change was just saved (the page was reached with `da_luu=1` after a form).
    saved: Option<&'a str>,
    /// The page's own content, already rendered (and escaped) by its template or builder.
    body: &'a str,
    footer: &'a str,
}

fn links(ctx: &Ctx) -> Vec<Link<'static>> {
    let t = |vi: &'static str, en: &'static str| ctx.t(vi, en);
    let mut l: Vec<(&'static str, &'static str)> = vec![
        ("/", t("Thủ tục hành chính", "Procedures")),
        ("/tra-cuu", t("Tra cứu hồ sơ", "Track a dossier")),
        ("/phan-anh", t("Phản ánh, kiến nghị", "Feedback")),
    ];
    let work = ("/can-bo", t("Việc cần làm", "Work lists"));
    let answer = ("/can-bo/phan-anh", t("Trả lời phản ánh", "Answer feedback"));
    match ctx.actor.as_ref().map(|a| a.role) {
        Some(Role::Citizen) => l.push(("/ho-so-cua-toi", t("Hồ sơ của tôi", "My dossiers"))),
        Some(Role::ReceivingOfficer | Role::CenterDirector) => {
            l.push(work);
            l.push(("/can-bo/tiep-nhan", t("Tiếp nhận hồ sơ", "Counter intake")));
            l.push(("/can-bo/xep-hang", t("Gọi số", "Queue")));
            l.push(("/can-bo/thanh-toan", t("Đối soát thu phí", "Payments")));
            l.push(answer);
            if ctx
                .actor
                .as_ref()
                .is_some_and(|a| a.role == Role::CenterDirector)
            {
                l.push(("/can-bo/bao-cao", t("Báo cáo", "Reports")));
            }
        }
        Some(Role::ProvinceAdmin | Role::SystemAdmin) => {
            l.push(("/quan-tri", t("Quản trị", "Administration")));
            l.push(answer);
            l.push(("/can-bo/bao-cao", t("Báo cáo", "Reports")));
        }
        Some(Role::Leader) => {
            l.push(work);
            l.push(answer);
            l.push(("/can-bo/bao-cao", t("Báo cáo", "Reports")));
        }
        Some(_) => l.push(work),
        None => {}
    }
    // The longest link that starts the current path is the current page.
    let path = ctx.path.split('?').next().unwrap_or("/");
    let current = l
        .iter()
        .map(|(h, _)| *h)
        .filter(|h| path == *h || (*h != "/" && path.starts_with(&format!("{h}/"))))
        .max_by_key(|h| h.len());
    l.into_iter()
        .map(|(href, label)| Link {
            href,
            label,
            current: current == Some(href),
        })
        .collect()
}

/// The whole page around `body` (HTML the page's own code produced).
pub fn layout(ctx: &Ctx, title: &str, body: &str) -> Result<String, askama::Error> {
    let (other, other_label) = match ctx.lang {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    };
    let who = match &ctx.actor {
        Some(a) => Who::SignedIn {
            csrf: &ctx.csrf,
            name: &a.display_name,
            out: ctx.t("Đăng xuất", "Sign out"),
        },
        None => Who::SignedOut {
            back: url_enc(&ctx.path),
            label: ctx.t("Đăng nhập", "Sign in"),
        },
    };
    Layout {
        lang: ctx.lang.code(),
        title,
        idle: ctx.actor.as_ref().map(|_| Idle {
            seconds: ctx.idle_minutes * 60,
            warn: ctx.t(
                "Phiên làm việc sẽ hết hạn sau 2 phút nếu không có thao tác. Nội dung chưa gửi trên biểu mẫu sẽ bị mất.",
                "Your session ends in 2 minutes without activity. Anything not yet submitted on a form will be lost.",
            ),
            stay: ctx.t("Tiếp tục làm việc", "Stay signed in"),
        }),
        skip: ctx.t("Bỏ qua, đến nội dung chính", "Skip to main content"),
        tag: ctx.t("Hệ thống một cửa", "One-stop public service system"),
        other,
        other_label,
        back: url_enc(&ctx.path),
        who,
        nav_label: ctx.t("Điều hướng chính", "Main navigation"),
        links: links(ctx),
        expired: ctx.expired.then(|| {
            ctx.t(
                "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.",
                "Your session timed out after a period of inactivity. Please sign in again.",
            )
        }),
        saved: ctx
            .path
            .split_once('?')
            .is_some_and(|(_, q)| q.split('&').any(|kv| kv == "da_luu=1"))
            .then(|| ctx.t("Đã lưu thay đổi.", "Your change is saved.")),
        body,
        footer: ctx.t(
            "Dữ liệu thủ tục: Cơ sở dữ liệu quốc gia về thủ tục hành chính (bản thu thập). Đơn vị hành chính: Quyết định 19/2025/QĐ-TTg.",
            "Procedures: National database of administrative procedures (collected copy). Units: Decision 19/2025/QĐ-TTg.",
        ),
    }
    .render()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    heading: &'a str,
    message: &'a str,
    other_lang: &'static str,
    other_message: &'a str,
    fields: Vec<String>,
    home: &'a str,
}

#[derive(Template)]
#[template(path = "error_box.html")]
struct ErrorBox<'a> {
    test: &'a str,
    message: &'a str,
    fields: Vec<String>,
}

/// Each field's reason in the page language, with the field's label when the reason alone may not say which field
/// (field names themselves stay off the screen).
fn field_lines(ctx: &Ctx, e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|(k, f)| {
                let reason = ctx.t(f.vi.as_str(), f.en.as_str());
                match label_of(k) {
                    Some((vi, en)) => format!("{}: {reason}", ctx.t(vi, en)),
                    None => reason.to_owned(),
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The label of a field whose reason is generic ("the value is not valid").
fn label_of(key: &str) -> Option<(&'static str, &'static str)> {
    match key.split('.').next_back().unwrap_or(key) {
        "id_number" => Some(("Số định danh", "ID number")),
        "phone" => Some(("Số điện thoại", "Phone")),
        "file" => Some(("Tệp", "File")),
        _ => None,
    }
}

/// The error page's body for an error, in both languages.
pub fn error_body(ctx: &Ctx, e: &AppError) -> Result<String, askama::Error> {
    let code = e.error_code();
    ErrorPage {
        heading: ctx.t("Không thực hiện được", "Could not be done"),
        message: ctx.t(code.vi(), code.en()),
        other_lang: ctx.t("en", "vi"),
        other_message: ctx.t(code.en(), code.vi()),
        fields: field_lines(ctx, e),
        home: ctx.t("Về trang chủ", "Home"),
    }
    .render()
}

/// The message box of a form that was refused: the error and, for invalid input, each field's reason.
pub fn error_box(ctx: &Ctx, e: &AppError, test: &str) -> Result<String, askama::Error> {
    let code = e.error_code();
    ErrorBox {
        test,
        // On a form, what to look at rather than the catalogue's "input not valid".
        message: if code == ErrorCode::InvalidInput {
            ctx.t("Vui lòng xem lại:", "Please check:")
        } else {
            ctx.t(code.vi(), code.en())
        },
        fields: field_lines(ctx, e),
    }
    .render()
}

/// A form with no fields of its own (only the CSRF token): sign-out, start an application.
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoFields {}
