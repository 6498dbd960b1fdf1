//! Starting a workflow step: its agency, holder and deadline; the officer a step may go to.

use crate::error::{AppError, AppResult};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::steps::{self, NewStep};
use crate::store::{users, Tx};
use motcua_domain::ids::{AgencyId, DossierId, UserId};
use motcua_domain::role::Role;
use motcua_domain::workflow::{covers, Place, Workflow};
use time::OffsetDateTime;

/// The agency that performs a step of a dossier.
pub(super) fn agency_of(place: Place, receiving: AgencyId, competent: AgencyId) -> AgencyId {
    match place {
        Place::Receiving => receiving,
        Place::Competent => competent,
    }
}

/// Who may take the step after the current one of a dossier (its role and agency), for offering only them when
/// forwarding; `None` without a pinned workflow, an open step or a next step.
pub async fn next_holder(
    st: &AppState,
    row: &crate::store::dossiers::DossierRow,
) -> AppResult<Option<(Role, AgencyId)>> {
    let (Some(id), Some(i)) = (row.workflow_id, row.step_index) else {
        return Ok(None);
    };
    let Some(w) = crate::store::workflows::by_id(&st.db, id).await? else {
        return Ok(None);
    };
    let next = usize::try_from(i)
        .ok()
        .and_then(|i| w.workflow.steps.get(i + 1));
    Ok(next.map(|d| {
        (
            d.role,
            agency_of(d.place, row.receiving_agency_id, row.competent_agency_id),
        )
    }))
}

/// A step to start, with its deadline from `now`.
pub struct StepStart {
    pub index: usize,
    pub agency: AgencyId,
    pub assignee: Option<UserId>,
    pub due: OffsetDateTime,
}

/// Starts step `index` of a workflow.
pub async fn start_step(
    tx: &mut Tx,
    dossier_id: DossierId,
    w: &Workflow,
    s: &StepStart,
    now: OffsetDateTime,
    note: &str,
) -> AppResult<()> {
    let def = w
        .steps
        .get(s.index)
        .ok_or_else(|| anyhow::anyhow!("workflow has no step {}", s.index))?;
    steps::start(
        tx,
        &NewStep {
            dossier_id,
            step_index: i32::try_from(s.index).unwrap_or(i32::MAX),
            name: &def.name,
            role: def.role.as_str(),
            kind: def.kind.as_str(),
            agency_id: s.agency,
            assignee: s.assignee,
            budget_minutes: def.minutes(),
            started_at: now,
            due_at: s.due,
            note,
        },
    )
    .await?;
    Ok(())
}

/// Starts the first step of a pinned workflow for a dossier being received. The officer who received it holds the
/// step when it is theirs to do (the intake step); otherwise it goes to the unit's pool.
pub async fn start_first(
    st: &AppState,
    tx: &mut Tx,
    dossier_id: DossierId,
    w: &Workflow,
    (receiving, competent): (AgencyId, AgencyId),
    by: &Actor,
    (now, appointment): (OffsetDateTime, Option<OffsetDateTime>),
) -> AppResult<()> {
    let first = w
        .steps
        .first()
        .ok_or_else(|| anyhow::anyhow!("empty workflow"))?;
    let agency = agency_of(first.place, receiving, competent);
    let holder = (covers(by.role, first.role)
        && by.agency.as_ref().is_some_and(|a| a.id == agency))
    .then_some(by.user_id);
    start_step(
        tx,
        dossier_id,
        w,
        &StepStart {
            index: 0,
            agency,
            assignee: holder,
            due: motcua_domain::workflow::step_due(
                first.kind,
                st.calendar().add_working_minutes(now, first.minutes()),
                appointment,
                now,
            ),
        },
        now,
        "",
    )
    .await
}

pub(super) async fn officer(
    st: &AppState,
    username: &str,
    role: Role,
    agency: AgencyId,
) -> AppResult<UserId> {
    let u = users::by_username(&st.db, username).await?;
    match u {
        Some(u) if u.agency_id == Some(agency) && covers(u.role, role) && !u.disabled => Ok(u.id),
        _ => Err(AppError::field(
            "assignee",
            format!("'{username}' không phải cán bộ đảm nhận bước này tại đơn vị xử lý"),
            format!("'{username}' is not an officer for this step at its unit"),
        )),
    }
}
