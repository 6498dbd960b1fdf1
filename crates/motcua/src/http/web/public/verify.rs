//! `/xac-minh/{token}`: anyone checks a sealed result — what was issued, by whom, when, whether the signature holds
//! and its key is not revoked — and whether a file they hold is that document.

use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::PageResult;
use crate::http::web::Ctx;
use crate::service::results::{self, SealView};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;

#[derive(Template)]
#[template(path = "public/verify.html")]
struct VerifyPage<'a> {
    ctx: &'a Ctx,
    v: &'a SealView,
    token: &'a str,
    /// After an upload: whether the file is the document.
    checked: Option<bool>,
    error: String,
}

async fn show(
    st: &AppState,
    ctx: &Ctx,
    token: &str,
    checked: Option<bool>,
    error: Option<&AppError>,
) -> PageResult {
    let Some(v) = results::view(st, token).await? else {
        return Err(AppError::with(ErrorCode::RouteNotFound, "no such sealed result").into());
    };
    let b = VerifyPage {
        ctx,
        v: &v,
        token,
        checked,
        error: error
            .map(|e| ctx.error_box(e, "verify-error"))
            .unwrap_or_default(),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        ctx.t("Xác minh kết quả điện tử", "Verify an electronic result"),
        &b,
        error,
    ))
}

/// The page.
pub async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    let Ok(AppPath(token)) = path else {
        return Err(AppError::with(ErrorCode::RouteNotFound, "no such sealed result").into());
    };
    show(&st, &ctx, &token, None, None).await
}

/// `POST` a file: does it match?
pub async fn check(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> PageResult {
    let Ok(AppPath(token)) = path else {
        return Err(AppError::with(ErrorCode::RouteNotFound, "no such sealed result").into());
    };
    let file = match read_file(&ctx, &headers, &body) {
        Ok(f) => f,
        Err(e) => return show(&st, &ctx, &token, None, Some(&e)).await,
    };
    let Some(v) = results::view(&st, &token).await? else {
        return Err(AppError::with(ErrorCode::RouteNotFound, "no such sealed result").into());
    };
    show(&st, &ctx, &token, Some(results::matches(&v, &file)), None).await
}

fn read_file(ctx: &Ctx, headers: &axum::http::HeaderMap, body: &[u8]) -> Result<Vec<u8>, AppError> {
    use crate::http::web::multipart;
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = multipart::boundary(ct)
        .and_then(|b| multipart::parse(body, &b))
        .ok_or_else(|| {
            AppError::with(
                ErrorCode::BadRequest,
                "expected a multipart form with a file",
            )
        })?;
    ctx.check_csrf(multipart::text(&parts, "csrf").unwrap_or(""))?;
    parts
        .into_iter()
        .find(|p| p.name == "file" && p.file_name.is_some() && !p.data.is_empty())
        .map(|p| p.data)
        .ok_or_else(|| {
            AppError::field("file", "Chọn tệp cần đối chiếu", "choose the file to check")
        })
}
