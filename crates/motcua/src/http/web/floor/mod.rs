//! The center floor: the kiosk, the QR poster's pages on the citizen's phone, and the hall's TV display. These pages
//! have their own frame (no navigation: a kiosk and a TV are not for browsing).

mod display;
mod kiosk;
mod phone;

use super::{Ctx, Lang};
use crate::state::AppState;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};

#[derive(askama::Template)]
#[template(path = "floor/layout.html")]
struct Layout<'a> {
    lang: &'a str,
    title: &'a str,
    class: &'a str,
    reset: Option<&'a str>,
    reset_seconds: u32,
    warn: &'a str,
    /// Extra `data-` attributes of the body (already escaped).
    data: String,
    body: &'a str,
}

/// How a floor page is framed.
pub struct Frame<'a> {
    pub class: &'a str,
    /// Where the page goes back to after [`IDLE_SECONDS`] untouched (the kiosk).
    pub reset: Option<String>,
    pub data: Vec<(&'a str, String)>,
}

/// A kiosk page goes back to its start after this long untouched.
pub const IDLE_SECONDS: u32 = 60;

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A whole floor page.
pub fn page(ctx: &Ctx, title: &str, frame: &Frame<'_>, body: &str) -> Response {
    let data: String = frame
        .data
        .iter()
        .map(|(k, v)| format!(" data-{k}=\"{}\"", attr(v)))
        .collect();
    let l = Layout {
        lang: ctx.lang.code(),
        title,
        class: frame.class,
        reset: frame.reset.as_deref(),
        reset_seconds: IDLE_SECONDS,
        warn: ctx.t(
            "Không có thao tác: màn hình sẽ trở về đầu sau 10 giây. Chạm để tiếp tục.",
            "No activity: the screen returns to the start in 10 seconds. Touch to continue.",
        ),
        data,
        body,
    };
    match l.render() {
        Ok(h) => Html(h).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the floor layout did not render");
            ctx.page(title, body)
        }
    }
}

/// The other language's switch, for the kiosk's corner.
pub fn other_lang(ctx: &Ctx) -> (&'static str, &'static str) {
    match ctx.lang {
        Lang::Vi => ("en", "English"),
        Lang::En => ("vi", "Tiếng Việt"),
    }
}

/// The floor's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/ki-ot/{center}", get(kiosk::start))
        .route("/ki-ot/{center}/nguoi", post(kiosk::person))
        .route("/ki-ot/{center}/ho-tro", post(kiosk::helper))
        .route(
            "/ki-ot/{center}/chon",
            get(kiosk::pick_get).post(kiosk::pick_post),
        )
        .route("/ki-ot/{center}/ve", post(kiosk::take))
        .route("/ki-ot/ve/{token}/so.pdf", get(kiosk::ticket_pdf))
        .route("/ki-ot/ve/{token}/to-khai.pdf", get(kiosk::declaration_pdf))
        .route("/xep-hang/{center}", get(phone::choose).post(phone::take))
        .route(
            "/xep-hang/{center}/dat-lich",
            get(phone::book_get).post(phone::book_post),
        )
        .route("/xep-hang/ve/{token}", get(phone::ticket))
        .route("/man-hinh/{center}", get(display::show))
        .route("/man-hinh/{center}/su-kien", get(display::events))
}
