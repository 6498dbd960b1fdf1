//! Reading and editing a procedure's workflows, one per case (trường hợp). An edit adds a version; running dossiers
//! keep theirs. The default case follows the catalog's time limit; another case may carry its own.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::dossier::rules::time_limit;
use crate::state::AppState;
use crate::store::{audit, procedures, workflows};
use motcua_domain::calendar::{TimeLimit, TimeUnit};
use motcua_domain::catalog::Channel;
use motcua_domain::codes::ProcedureCode;
use motcua_domain::role::Role;
use motcua_domain::workflow::{limit_minutes, Workflow, DAY_MINUTES};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A case of a procedure, as listed.
#[derive(Debug, Serialize)]
pub struct CaseView {
    pub key: String,
    pub name: String,
    pub limit_days: Option<f64>,
    pub version: i32,
}

/// A workflow version as shown.
#[derive(Debug, Serialize)]
pub struct WorkflowView {
    pub procedure: String,
    pub case: CaseView,
    pub note: String,
    pub steps: Vec<motcua_domain::workflow::StepDef>,
    pub total_days: f64,
    /// The statutory limit in working days, when it is counted in working time.
    pub limit_days: Option<f64>,
    pub version: i32,
    pub versions: Vec<i32>,
    /// Every case of the procedure with its current version.
    pub cases: Vec<CaseView>,
    /// The province that issued this version (`""`: the national one).
    pub province: String,
}

/// An edit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowEdit {
    pub steps: Vec<motcua_domain::workflow::StepDef>,
    #[serde(default)]
    pub note: String,
    /// The case's name; absent for the default case.
    pub case: Option<String>,
    /// The case's own statutory limit in working days (only for a named case).
    pub limit_days: Option<f64>,
}

#[allow(clippy::cast_precision_loss)]
fn days(m: i64) -> f64 {
    m as f64 / DAY_MINUTES as f64
}

/// The key of a case name ("" for the default case).
pub fn case_key(name: Option<&str>) -> AppResult<String> {
    Ok(motcua_domain::workflow::case_key(name)?)
}

async fn limit_of(st: &AppState, code: &str) -> AppResult<(String, Option<TimeLimit>)> {
    let code = ProcedureCode::parse(code)?;
    let p = procedures::get(&st.db, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let (limit, _) = time_limit(p.detail.as_deref(), Channel::InPerson, false);
    Ok((p.row.code, limit))
}

fn case_view(w: &workflows::WorkflowRow) -> CaseView {
    CaseView {
        key: w.case_key.clone(),
        name: if w.case_key.is_empty() {
            "Trường hợp chung".into()
        } else {
            w.case_name.clone()
        },
        limit_days: w.limit_minutes.map(days),
        version: w.version,
    }
}

/// The province whose workflows an administrator edits: a province administrator's own, `""` (national) for the
/// system administrator; anyone else edits none.
pub fn editing_province(actor: &Actor) -> AppResult<String> {
    match (actor.role, &actor.scope) {
        (Role::SystemAdmin, _) => Ok(String::new()),
        (Role::ProvinceAdmin, crate::scope::Scope::Province(p)) => Ok(p.clone()),
        _ => Err(AppError::with(
            ErrorCode::Forbidden,
            "only administrators edit workflows",
        )),
    }
}

/// The province whose workflows a signed-in person sees: an administrator's as [`editing_province`], staff their
/// agency's province.
pub async fn province_of_actor(st: &AppState, actor: &Actor) -> AppResult<String> {
    if let Ok(p) = editing_province(actor) {
        return Ok(p);
    }
    crate::service::dossier::rules::province_of_actor(st, actor).await
}

/// The current workflow of a procedure's case in a province (`""`: the national one; the default template, stored
/// as version 1, on first use).
pub async fn get(
    st: &AppState,
    code: &str,
    case: Option<&str>,
    province: &str,
) -> AppResult<WorkflowView> {
    let (code, limit) = limit_of(st, code).await?;
    let key = case_key(case)?;
    let cur = pin_workflow(st, &code, &key, province, st.clock.now()).await?;
    let versions = workflows::versions(&st.db, &code, &key, province)
        .await?
        .into_iter()
        .map(|v| v.version)
        .collect();
    let cases = workflows::cases(&st.db, &code, province)
        .await?
        .iter()
        .map(case_view)
        .collect();
    Ok(WorkflowView {
        procedure: code,
        case: case_view(&cur),
        note: cur.note,
        total_days: days(cur.workflow.total_minutes()),
        limit_days: cur
            .limit_minutes
            .or_else(|| limit.and_then(limit_minutes))
            .map(days),
        version: cur.version,
        steps: cur.workflow.steps,
        versions,
        cases,
        province: cur.province_code,
    })
}

/// Replaces a case's workflow with a new version (province or system administrators). Budgets must add up to the
/// statutory limit when it is counted in working time.
pub async fn edit(
    st: &AppState,
    actor: &Actor,
    code: &str,
    e: WorkflowEdit,
    request_id: &str,
) -> AppResult<WorkflowView> {
    // A province administrator writes the province's own version; national ones are the system administrator's.
    let province = editing_province(actor)?;
    let (code, catalog_limit) = limit_of(st, code).await?;
    let key = case_key(e.case.as_deref())?;
    let own_limit = match (key.is_empty(), e.limit_days) {
        (true, Some(_)) => return Err(AppError::field(
            "limit_days",
            "Trường hợp chung theo thời hạn của thủ tục; chỉ trường hợp riêng có thời hạn riêng",
            "the default case follows the procedure's limit; only a named case has its own",
        )),
        (_, None) => None,
        (false, Some(d)) if d.is_finite() && d > 0.0 && d <= 3650.0 => Some(TimeLimit {
            amount: d,
            unit: TimeUnit::WorkingDays,
        }),
        (false, Some(_)) => {
            return Err(AppError::field(
                "limit_days",
                "Thời hạn từ 0 đến 3650 ngày làm việc",
                "the limit is 0 to 3650 working days",
            ))
        }
    };
    let w = Workflow { steps: e.steps };
    w.validate(own_limit.or(catalog_limit))
        .map_err(|err| AppError::field("steps", err.vi, err.en))?;
    let now = st.clock.now();
    let note = e.note.trim().chars().take(500).collect::<String>();
    // Version 1 of the default case (the template) exists first so that the history is complete.
    pin_workflow(st, &code, "", "", now).await?;
    let case_name = e.case.as_deref().map(str::trim).unwrap_or("").to_owned();
    let mut tx = st.db.begin().await?;
    let (_, version) = workflows::add(
        &mut tx,
        &workflows::NewVersion {
            procedure: &code,
            case_key: &key,
            case_name: &case_name,
            limit_minutes: own_limit.and_then(limit_minutes),
            workflow: &w,
            note: &note,
            by: Some(actor.user_id),
            province: &province,
        },
        now,
    )
    .await
    .map_err(crate::error::conflict_or_db)?;
    let entity_key = if province.is_empty() {
        format!("{code} [{key}] v{version}")
    } else {
        format!("{code} [{key}] v{version} tỉnh {province}")
    };
    audit::write_tx(
        &mut tx,
        &actor.audit(
            ("edit_workflow", "workflow", entity_key),
            "sửa quy trình nội bộ",
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    get(st, &code, Some(&case_name), &province).await
}

/// The workflow a new dossier of a procedure's case follows (for the default case, version 1 comes from the
/// default template on first use; a named case must have been defined).
pub async fn pin_workflow(
    st: &AppState,
    procedure_code: &str,
    case_key: &str,
    province: &str,
    now: OffsetDateTime,
) -> AppResult<workflows::WorkflowRow> {
    if !case_key.is_empty() {
        return workflows::current(&st.db, procedure_code, case_key, province)
            .await?
            .ok_or_else(|| {
                AppError::field(
                    "case",
                    "Thủ tục không có trường hợp này",
                    "the procedure has no such case",
                )
            });
    }
    if !province.is_empty() {
        if let Some(own) = workflows::current(&st.db, procedure_code, "", province).await? {
            return Ok(own);
        }
    }
    let proc = procedures::get(&st.db, procedure_code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let (limit, _) = time_limit(proc.detail.as_deref(), Channel::InPerson, false);
    let default = Workflow::default_for(&motcua_domain::text::search_key(&proc.row.field), limit);
    Ok(workflows::ensure(&st.db, procedure_code, &default, now).await?)
}
