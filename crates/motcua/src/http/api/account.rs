//! Sign-in, sign-out and the signed-in person over the API.

use super::bad;
use crate::error::AppResult;
use crate::http::extract::{AppJson, ClientIp, Token, COOKIE};
use crate::service::account::session::{self, Actor};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginBody {
    username: String,
    password: String,
    otp: Option<String>,
}

pub(crate) fn cookie(st: &AppState, value: &str, max_age: i64) -> String {
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub(super) async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(b): AppJson<LoginBody>,
) -> AppResult<Response> {
    if b.username.len() > 100 || b.password.len() > 1000 {
        return Err(bad(
            "username",
            "Tên đăng nhập hoặc mật khẩu quá dài",
            "username or password too long",
        ));
    }
    let ok = session::login(&st, &b.username, &b.password, b.otp.as_deref(), ip).await?;
    let max_age = st.config.session_max_hours * 3600;
    let c = cookie(&st, &ok.token, max_age);
    Ok(([(header::SET_COOKIE, c)], Json(json!({
        "token": ok.token,
        "expires_at": ok.expires_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "user": ok.user,
    })))
        .into_response())
}

pub(super) async fn logout(
    State(st): State<AppState>,
    _actor: Actor,
    Token(t): Token,
) -> AppResult<Response> {
    session::logout(&st, &t).await?;
    Ok((
        [(header::SET_COOKIE, cookie(&st, "", 0))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

pub(super) async fn me(actor: Actor) -> Json<Actor> {
    Json(actor)
}
