//! One dossier over the API: read, act, bundles, work lists, its access log and receipt.

use super::bad;
use crate::error::AppResult;
use crate::http::extract::{AppJson, AppPath, ReqId};
use crate::service::account::session::Actor;
use crate::service::dossier::process;
use crate::service::dossier::view as dview;
use crate::service::dossier::{records, worklists};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub(super) async fn create_bundle(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppJson(b): AppJson<crate::service::dossier::bundles::CreateBundle>,
) -> AppResult<Response> {
    let v = crate::service::dossier::bundles::create(&st, &actor, b, &rid).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

pub(super) async fn worklists(
    State(st): State<AppState>,
    actor: Actor,
) -> AppResult<Json<Vec<worklists::WorkListCount>>> {
    Ok(Json(worklists::worklist_counts(&st, &actor).await?))
}

pub(super) async fn get_dossier(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    headers: HeaderMap,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<dview::DossierView>> {
    let purpose = headers
        .get("x-purpose")
        .and_then(|v| v.to_str().ok())
        .filter(|p| p.len() <= 200)
        .unwrap_or("xem hồ sơ")
        .to_owned();
    Ok(Json(dview::get(&st, &actor, &code, &purpose, &rid).await?))
}

pub(super) async fn act(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<process::ActInput>,
) -> AppResult<Json<dview::DossierView>> {
    if b.note.chars().count() > 2000 {
        return Err(bad(
            "note",
            "Ghi chú tối đa 2000 ký tự",
            "note is at most 2000 characters",
        ));
    }
    Ok(Json(
        process::act_and_view(&st, &actor, &code, &b, &rid).await?,
    ))
}

pub(super) async fn access_log(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Vec<records::AccessView>>> {
    Ok(Json(records::access_log(&st, &actor, &code, &rid).await?))
}

pub(super) async fn receipt(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
) -> AppResult<Response> {
    let pdf = records::receipt(&st, &actor, &code, &rid).await?;
    let disposition = format!("inline; filename=\"{code}-mau01.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}
