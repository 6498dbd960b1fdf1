//! Forms 02–07 and the registers as PDFs; uploads, downloads and once-only reuse of documents.

use super::bad;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::http::extract::{AppJson, AppPath, AppQuery, ReqId};
use crate::service::account::session::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

pub(super) fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub(super) async fn form_pdf(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath((code, form)): AppPath<(String, String)>,
) -> AppResult<Response> {
    let bytes = if form == "01.pdf" {
        crate::service::dossier::records::receipt(&st, &actor, &code, &rid).await?
    } else {
        crate::service::dossier::forms::dossier_form(&st, &actor, &code, &form, &rid).await?
    };
    Ok(pdf(bytes, &format!("{code}-mau-{form}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GuidanceBody {
    #[serde(default)]
    documents: Vec<u32>,
    /// The checklist's case that applies, when it has cases.
    #[serde(default)]
    document_case: Option<String>,
}

pub(super) async fn guidance_pdf(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<GuidanceBody>,
) -> AppResult<Response> {
    let bytes = crate::service::dossier::forms::guidance(
        &st,
        &actor,
        &code,
        (b.document_case.as_deref(), &b.documents),
    )
    .await?;
    Ok(pdf(bytes, &format!("huong-dan-{code}.pdf")))
}

/// A `YYYY-MM-DD` query date within the years the working calendar knows (a year like -9999 cannot be turned into a
/// moment at all).
pub(super) fn iso_day(name: &str, v: &str) -> AppResult<time::Date> {
    time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .filter(|d| crate::state::CALENDAR_YEARS.contains(&d.year()))
        .ok_or_else(|| {
            bad(
                name,
                "Ngày theo định dạng YYYY-MM-DD, từ năm 2000 đến 2100",
                "dates are YYYY-MM-DD, from 2000 to 2100",
            )
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PeriodQuery {
    from: String,
    to: String,
}

pub(super) async fn register_pdf(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppQuery(q): AppQuery<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = (iso_day("from", &q.from)?, iso_day("to", &q.to)?);
    let bytes = crate::service::dossier::forms::register(&st, &actor, from, to, &rid).await?;
    Ok(pdf(bytes, &format!("so-theo-doi-{from}-{to}.pdf")))
}

pub(super) async fn upload_document(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppQuery(meta): AppQuery<crate::service::dossier::documents::UploadMeta>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> AppResult<Response> {
    let max = usize::try_from(st.config.max_upload_mb).unwrap_or(10) * 1024 * 1024;
    // Read one byte more than allowed, so that an oversized file is told apart without reading it all.
    let bytes = axum::body::to_bytes(body, max + 1).await.map_err(|_| {
        AppError::with(
            ErrorCode::PayloadTooLarge,
            format!("files are at most {} MiB", st.config.max_upload_mb),
        )
    })?;
    let declared = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let v = crate::service::dossier::documents::upload(
        &st, &actor, &code, meta, declared, &bytes, &rid,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(super) async fn reuse_document(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<crate::service::dossier::documents::ReuseInput>,
) -> AppResult<Response> {
    let v = crate::service::dossier::documents::reuse(&st, &actor, &code, b, &rid).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(super) async fn download_document(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath((code, id)): AppPath<(String, i64)>,
) -> AppResult<Response> {
    let (ct, name, bytes) =
        crate::service::dossier::documents::download(&st, &actor, &code, id, &rid).await?;
    let ascii: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, ct),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

pub(super) async fn reuse_offers(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Vec<crate::service::dossier::documents::Offer>>> {
    Ok(Json(
        crate::service::dossier::documents::offers(&st, &actor, &code).await?,
    ))
}
