//! A procedure's workflow over the API: read (the caller's province) and edit (administrators).

use crate::error::AppResult;
use crate::http::extract::{AppJson, AppPath, AppQuery, ReqId};
use crate::service::account::session::Actor;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseQuery {
    case: Option<String>,
}

pub(super) async fn get_workflow(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
    AppQuery(q): AppQuery<CaseQuery>,
) -> AppResult<Json<crate::service::catalog::workflows::WorkflowView>> {
    let province = crate::service::catalog::workflows::province_of_actor(&st, &actor).await?;
    Ok(Json(
        crate::service::catalog::workflows::get(&st, &code, q.case.as_deref(), &province).await?,
    ))
}

pub(super) async fn edit_workflow(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<crate::service::catalog::workflows::WorkflowEdit>,
) -> AppResult<Json<crate::service::catalog::workflows::WorkflowView>> {
    Ok(Json(
        crate::service::catalog::workflows::edit(&st, &actor, &code, b, &rid).await?,
    ))
}

/// `PUT /procedures/{code}/checklist`: the province's correction of the document checklist (a new version).
pub(super) async fn correct_checklist(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<crate::service::catalog::checklists::CorrectionInput>,
) -> AppResult<Json<serde_json::Value>> {
    let (list, version) =
        crate::service::catalog::checklists::correct(&st, &actor, &code, &b, &rid).await?;
    Ok(Json(
        serde_json::json!({"version": version, "checklist": list}),
    ))
}
