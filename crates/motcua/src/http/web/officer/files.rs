//! Uploads to a dossier and downloads of its files, within the officer's scope.

use super::staff;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::multipart;
use crate::http::web::page::PageResult;
use crate::http::web::{see_other, url_enc, Ctx};
use crate::service::dossier::documents;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;

/// Reads a multipart upload: CSRF, component, result flag and the file.
pub fn read_upload(
    ctx: &Ctx,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(String, bool, multipart::Part), AppError> {
    let bad = || {
        AppError::with(
            ErrorCode::BadRequest,
            "expected a multipart form with a file",
        )
    };
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multipart::boundary(ct).ok_or_else(bad)?;
    let parts = multipart::parse(body, &boundary).ok_or_else(bad)?;
    ctx.check_csrf(multipart::text(&parts, "csrf").unwrap_or(""))?;
    // A paper of the checklist, or "khac" with its name typed (the result, or a paper the list lacks).
    let component = match multipart::text(&parts, "component").unwrap_or("").trim() {
        "khac" => multipart::text(&parts, "component_other")
            .unwrap_or("")
            .trim()
            .to_owned(),
        c => c.to_owned(),
    };
    if component.is_empty() {
        return Err(AppError::field(
            "component",
            "Chọn hoặc nhập tên thành phần hồ sơ của tệp",
            "choose or type which document the file is",
        ));
    }
    let result = multipart::text(&parts, "result") == Some("1");
    let file = parts
        .into_iter()
        .find(|p| p.name == "file" && p.file_name.is_some() && !p.data.is_empty())
        .ok_or_else(|| {
            AppError::field("file", "Chọn tệp cần tải lên", "choose a file to upload")
        })?;
    Ok((component, result, file))
}

/// `POST /can-bo/ho-so/{code}/tai-lieu`: uploads a component or a result (multipart, no JavaScript needed).
pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let back = |e: AppError| {
        let kept = super::dossier::Kept {
            action: "upload".into(),
            ..super::dossier::Kept::default()
        };
        (e, kept)
    };
    let (component, result, file) = match read_upload(&ctx, &headers, &body) {
        Ok(x) => x,
        // A CSRF failure is the error page; a mistake in the form comes back on the dossier's page.
        Err(e) if e.error_code() == ErrorCode::FormExpired => return Err(e.into()),
        Err(e) => {
            return super::dossier::dossier_page(
                &st,
                &ctx,
                &actor,
                &code,
                (false, None),
                Some(back(e)),
            )
            .await
        }
    };
    let meta = documents::UploadMeta {
        component,
        name: file.file_name.clone(),
        result,
    };
    match documents::upload(
        &st,
        &actor,
        &code,
        meta,
        file.content_type.as_deref(),
        &file.data,
        &ctx.rid,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/can-bo/ho-so/{}", url_enc(&code)))),
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => {
            super::dossier::dossier_page(&st, &ctx, &actor, &code, (false, None), Some(back(e)))
                .await
        }
    }
}

/// `GET /can-bo/ho-so/{code}/tep/{id}`: a document, shown in the browser; reading it is logged.
pub async fn file(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, i64)>, AppError>,
) -> PageResult {
    let actor = ctx.need()?;
    let Ok(AppPath((code, id))) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    match documents::download(&st, actor, &code, id, &ctx.rid).await {
        Ok((ct, name, bytes)) => Ok((
            [
                (header::CONTENT_TYPE, ct),
                (
                    header::CONTENT_DISPOSITION,
                    crate::http::web::disposition("inline", &name),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
