//! Sign-in, and the officer workspace: work lists, counter intake with the ID card QR, the dossier page with only
//! the actions allowed now, documents and printed forms.

use super::page::{CsrfForm, PageError, PageResult};
use super::{local_path, see_other, session_cookie, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppQuery;
use crate::service::account::session;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use motcua_domain::role::Role;
use serde::Deserialize;
mod checklist;
mod dossier;
mod dossier_act;
mod files;
mod intake;
pub mod money;
mod queue;
mod queue_figures;
mod worklist;
pub use dossier::{dossier, DossierQuery};
pub use dossier_act::act;
pub use files::{file, read_upload, upload};
pub use intake::{intake_page, intake_post, IntakeQuery};
pub use worklist::{worklist, ListQuery};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    tiep: String,
}

#[derive(askama::Template)]
#[template(path = "officer/login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    username: &'a str,
    back: &'a str,
    error: Option<&'a str>,
}

fn login_form(ctx: &Ctx, username: &str, back: &str, error: Option<&AppError>) -> Response {
    let message = error.map(|e| ctx.t(e.error_code().vi(), e.error_code().en()));
    let page = LoginPage {
        ctx,
        username,
        back,
        error: message,
    };
    match page.render() {
        Ok(body) => ctx.page(ctx.t("Đăng nhập", "Sign in"), &body),
        Err(e) => ctx.error(&AppError::Internal(e.into())),
    }
}

/// `GET /dang-nhap`.
pub async fn login_page(ctx: Ctx, q: Result<AppQuery<LoginQuery>, AppError>) -> PageResult {
    let back = q.map(|AppQuery(q)| q.tiep).unwrap_or_default();
    Ok(login_form(&ctx, "", &back, None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
    otp: String,
    tiep: String,
}

fn home_of(role: Role) -> &'static str {
    match role {
        Role::Citizen => "/ho-so-cua-toi",
        _ => "/can-bo",
    }
}

/// `POST /dang-nhap`: opens a session (rate-limited per address, accounts lock after failures).
pub async fn login_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> PageResult {
    if f.username.len() > 100 || f.password.len() > 1000 {
        return Ok(login_form(
            &ctx,
            "",
            &f.tiep,
            Some(&AppError::code(ErrorCode::InvalidCredentials)),
        ));
    }
    let otp = Some(f.otp.trim()).filter(|o| !o.is_empty());
    match session::login(&st, &f.username, &f.password, otp, ctx.ip).await {
        Ok(ok) => {
            let to = if f.tiep.is_empty() || f.tiep.starts_with("/dang-nhap") {
                home_of(ok.user.role).to_owned()
            } else {
                local_path(&f.tiep)
            };
            let mut r = see_other(&to);
            if let Ok(v) = HeaderValue::from_str(&session_cookie(
                &st,
                &ok.token,
                st.config.session_max_hours * 3600,
            )) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            if let Some(v) = super::fresh_csrf(&st) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(e) => {
            let mut r = login_form(&ctx, &f.username, &f.tiep, Some(&e));
            *r.status_mut() = e.error_code().status();
            Ok(r)
        }
    }
}

/// `POST /dang-xuat`.
pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<super::page::NoFields>,
) -> PageResult {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers;
    if let Some(t) = crate::http::extract::token(&parts) {
        let _ = session::logout(&st, &t).await;
    }
    let mut r = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&st, "", 0)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    if let Some(v) = super::fresh_csrf(&st) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

pub(super) fn staff(ctx: &Ctx) -> Result<&crate::service::account::session::Actor, PageError> {
    let a = ctx.need()?;
    if a.role == Role::Citizen {
        return Err(AppError::with(ErrorCode::Forbidden, "for officers").into());
    }
    Ok(a)
}

/// Sign-in and the officers' workspace: work lists, counter intake, dossier actions and files.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/dang-nhap", get(login_page).post(login_post))
        .route("/dang-xuat", post(logout))
        .route("/can-bo", get(worklist))
        .route("/can-bo/tiep-nhan", get(intake_page).post(intake_post))
        .route("/can-bo/xep-hang", get(queue::desk_get))
        .route("/can-bo/xep-hang/goi", post(queue::call))
        .route("/can-bo/xep-hang/ve/{id}", post(queue::step))
        .route("/can-bo/xep-hang/so-lieu", get(queue_figures::figures))
        .route("/can-bo/ho-so/{code}", get(dossier))
        .route("/can-bo/ho-so/{code}/xu-ly", post(act))
        .route("/can-bo/ho-so/{code}/thu-phi", post(money::take))
        .route("/can-bo/bien-lai/{order}", get(money::receipt))
        .route("/can-bo/thanh-toan", get(money::reconciliation))
        .route("/can-bo/thanh-toan.csv", get(money::reconciliation_csv))
        .route("/can-bo/ho-so/{code}/tai-lieu", post(upload))
        .route("/can-bo/ho-so/{code}/tep/{id}", get(file))
}
