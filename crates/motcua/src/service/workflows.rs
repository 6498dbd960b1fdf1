//! Reading and editing a procedure's workflow. An edit adds a version; running dossiers keep theirs.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::dossiers::time_limit;
use crate::service::session::Actor;
use crate::state::AppState;
use crate::store::{audit, procedures, workflows};
use motcua_domain::catalog::Channel;
use motcua_domain::codes::ProcedureCode;
use motcua_domain::role::Role;
use motcua_domain::workflow::{limit_minutes, Workflow, DAY_MINUTES};
use serde::{Deserialize, Serialize};

/// A workflow version as shown.
#[derive(Debug, Serialize)]
pub struct WorkflowView {
    pub procedure: String,
    pub version: i32,
    pub note: String,
    pub steps: Vec<motcua_domain::workflow::StepDef>,
    pub total_days: f64,
    /// The statutory limit in working days, when it is counted in working time.
    pub limit_days: Option<f64>,
    pub versions: Vec<i32>,
}

/// An edit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowEdit {
    pub steps: Vec<motcua_domain::workflow::StepDef>,
    #[serde(default)]
    pub note: String,
}

#[allow(clippy::cast_precision_loss)]
fn days(m: i64) -> f64 {
    m as f64 / DAY_MINUTES as f64
}

async fn limit_of(
    st: &AppState,
    code: &str,
) -> AppResult<(String, Option<motcua_domain::calendar::TimeLimit>)> {
    let code = ProcedureCode::parse(code)?;
    let p = procedures::get(&st.db, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let (limit, _) = time_limit(p.detail.as_deref(), Channel::InPerson, false);
    Ok((p.row.code, limit))
}

/// The current workflow of a procedure (the default template, stored as version 1, on first use).
pub async fn get(st: &AppState, code: &str) -> AppResult<WorkflowView> {
    let (code, limit) = limit_of(st, code).await?;
    let cur = crate::service::process::pin_workflow(st, &code, st.clock.now()).await?;
    let versions = workflows::versions(&st.db, &code)
        .await?
        .into_iter()
        .map(|v| v.version)
        .collect();
    Ok(WorkflowView {
        procedure: code,
        version: cur.version,
        note: cur.note,
        total_days: days(cur.workflow.total_minutes()),
        limit_days: limit.and_then(limit_minutes).map(days),
        steps: cur.workflow.steps,
        versions,
    })
}

/// Replaces the workflow with a new version (province or system administrators). Budgets must add up to the
/// statutory limit when it is counted in working time.
pub async fn edit(
    st: &AppState,
    actor: &Actor,
    code: &str,
    e: WorkflowEdit,
    request_id: &str,
) -> AppResult<WorkflowView> {
    if !matches!(actor.role, Role::ProvinceAdmin | Role::SystemAdmin) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "only administrators edit workflows",
        ));
    }
    let (code, limit) = limit_of(st, code).await?;
    let w = Workflow { steps: e.steps };
    w.validate(limit)
        .map_err(|err| AppError::field("steps", err.vi, err.en))?;
    let now = st.clock.now();
    let note = e.note.trim().chars().take(500).collect::<String>();
    // Make sure version 1 (the template) exists so the edit is version 2 and the history is complete.
    crate::service::process::pin_workflow(st, &code, now).await?;
    let mut tx = st.db.begin().await?;
    let (_, version) = workflows::add(&mut tx, &code, &w, &note, Some(actor.user_id), now)
        .await
        .map_err(|err| {
            if crate::store::is_unique_violation(&err) {
                AppError::code(ErrorCode::Conflict)
            } else {
                err.into()
            }
        })?;
    audit::write_tx(
        &mut tx,
        &audit::AuditEntry {
            at: now,
            actor_user_id: Some(actor.user_id),
            actor_role: actor.role.as_str().into(),
            action: "edit_workflow".into(),
            entity: "workflow".into(),
            entity_key: format!("{code} v{version}"),
            dossier_id: None,
            purpose: "sửa quy trình nội bộ".into(),
            request_id: request_id.into(),
        },
    )
    .await?;
    tx.commit().await?;
    get(st, &code).await
}
