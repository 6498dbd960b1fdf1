//! Processing a dossier along its workflow: every legal action is checked by `workflow::decide` and committed in one
//! transaction with its step changes, notice, event, audit record and queued notifications.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::catalog::workflows::pin_workflow;
use crate::service::dossier::rules;
use crate::service::dossier::rules::{audit_entry, subject, who};
use crate::service::dossier::view as dview;
use crate::service::dossier::view::DossierView;
use crate::state::AppState;
use crate::store::dossiers::{self, Change, DossierRow};
use crate::store::steps::{self, NewNotice};
use crate::store::{audit, workflows, Tx};
use motcua_domain::calendar::VN;
use motcua_domain::codes::DossierCode;
use motcua_domain::ids::{DossierId, UserId};
use motcua_domain::status::{Action, Status};
use motcua_domain::workflow::{self, Denied, Subject, Workflow};
use serde::Deserialize;
use time::OffsetDateTime;
mod actions;
mod start;
use actions::{
    on_accept, on_assign, on_extend, on_forward, on_refuse, on_request_payment,
    on_request_supplement, on_resume, on_return_result, on_return_step, on_stop, on_withdraw,
};
use start::{agency_of, officer};
pub use start::{next_holder, start_first, start_step, StepStart};

/// An action with what it needs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActInput {
    pub action: String,
    /// Reason or remark (required for refusal, return to the previous step, supplement, extension and stop).
    #[serde(default)]
    pub note: String,
    /// Username of the officer to give the step to (assign; optional on forward).
    pub assignee: Option<String>,
    /// Accept: numbers (1-based) of the checklist's papers the officer checked as present.
    pub documents: Option<Vec<u32>>,
    /// Accept: the key of the checklist's case that applies, when it has cases.
    pub document_case: Option<String>,
    /// Supplement: what is missing or to be corrected, one item each.
    pub missing: Option<Vec<String>>,
    /// Extend: the new date, RFC 3339 (`2026-12-10T09:00:00+07:00`).
    pub new_due: Option<String>,
    /// Payment: the amount in VND (default: the catalog's amount for the counts below; a different amount needs
    /// the reason in `note`).
    pub amount: Option<i64>,
    /// Payment: pages of each copy, for per-page fees (certification of copies).
    pub pages: Option<Vec<u32>>,
    /// Payment: number of items, for per-item fees.
    pub items: Option<u32>,
    /// Payment: `on_time_birth`, `poor_household` or `merit`.
    pub exemption: Option<String>,
    /// Payment: `before` (collected before processing) or `after`.
    pub collection: Option<String>,
    /// Return: `counter`, `online` or `post`.
    pub method: Option<String>,
    /// Return at the counter: the name of the person who received the result.
    pub receiver_name: Option<String>,
    /// Approve: the result is issued on paper only, so no result file is attached (recorded on the step).
    pub paper_result: Option<bool>,
    /// Supplement received online: the paper sent together with this action (set by the use case, never read
    /// from a request).
    #[serde(skip)]
    pub sending: Option<String>,
    /// Confirm payment: the use case settling the open fee request in the same transaction (set by the money use
    /// cases, never read from a request).
    #[serde(skip)]
    pub settles_fee: bool,
}

/// A notice to record: form, reason, items, new date, amount.
type Notice = (
    &'static str,
    String,
    Vec<String>,
    Option<OffsetDateTime>,
    Option<i64>,
);

fn reason(input: &ActInput, what_vi: &str, what_en: &str) -> AppResult<String> {
    let n = input.note.trim();
    if n.is_empty() || n.chars().count() > 2000 {
        return Err(AppError::field(
            "note",
            format!("Nhập {what_vi} (tối đa 2000 ký tự)"),
            format!("give {what_en} (at most 2000 characters)"),
        ));
    }
    Ok(n.to_owned())
}

fn parse_time(s: &str) -> AppResult<OffsetDateTime> {
    OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).map_err(|_| {
        AppError::field(
            "new_due",
            "Ngày hẹn mới theo định dạng 2026-12-10T09:00:00+07:00",
            "new_due is an RFC 3339 date-time such as 2026-12-10T09:00:00+07:00",
        )
    })
}

/// What an action changes, filled in by its `on_…` function.
struct Effects {
    change: Change,
    note: String,
    finish: Option<&'static str>,
    start: Option<StepStart>,
    notice: Option<Notice>,
    assign: Option<UserId>,
    shift: Option<i64>,
    tell_applicant: Option<String>,
    fee: Option<crate::service::money::fees::FeeDraft>,
    seal: Option<crate::service::results::SealDraft>,
}

/// What an action's `on_…` function reads: the dossier, who acts, the input and the time.
struct Cx<'a> {
    st: &'a AppState,
    actor: &'a Actor,
    row: &'a DossierRow,
    input: &'a ActInput,
    action: Action,
    now: OffsetDateTime,
    cal: &'a motcua_domain::calendar::WorkCalendar,
    wf: Option<&'a Workflow>,
    open: Option<&'a steps::StepRow>,
    subj: &'a Subject,
    /// On acceptance: the workflow version the dossier will follow.
    pinned: Option<&'a workflows::WorkflowRow>,
}

/// A validated action, ready to write: everything [`apply`] needs, computed from reads outside any transaction
/// (the dossier's optimistic version makes a concurrent change fail the write with 409).
pub struct Plan {
    pub code: DossierCode,
    pub row: DossierRow,
    pub action: Action,
    pub from: motcua_domain::status::Status,
    pub to: motcua_domain::status::Status,
    pub now: OffsetDateTime,
    change: Change,
    note: String,
    finish: Option<&'static str>,
    start: Option<StepStart>,
    notice: Option<Notice>,
    assign: Option<UserId>,
    shift: Option<i64>,
    tell_applicant: Option<String>,
    fee: Option<crate::service::money::fees::FeeDraft>,
    seal: Option<crate::service::results::SealDraft>,
    pinned: Option<workflows::WorkflowRow>,
    open: Option<steps::StepRow>,
    wf: Option<Workflow>,
}

/// Checks an action on a dossier (scope, status machine, the person, the input) and computes its effects.
pub async fn plan(st: &AppState, actor: &Actor, code: &str, input: &ActInput) -> AppResult<Plan> {
    let code = DossierCode::parse(code).map_err(|_| AppError::code(ErrorCode::DossierNotFound))?;
    let action = Action::parse(&input.action).ok_or_else(|| {
        AppError::field(
            "action",
            "Thao tác không tồn tại",
            format!(
                "unknown action; one of {}",
                Action::ALL.map(Action::as_str).join(", ")
            ),
        )
    })?;
    let row = dossiers::get(&st.db, &actor.scope, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let mut subj = subject(&row);
    subj.fee_open &= !input.settles_fee;
    let from = subj.status;
    let to = workflow::decide(&subj, who(actor), action).map_err(|e| match e {
        Denied::State(t) => AppError::with(ErrorCode::TransitionNotAllowed, t.to_string()),
        Denied::Actor => AppError::with(
            ErrorCode::Forbidden,
            format!(
                "{} is not for role {} at this unit or assignment",
                action.as_str(),
                actor.role.as_str()
            ),
        ),
    })?;
    let now = st.clock.now();
    let cal = st.calendar();
    let wf = match row.workflow_id {
        Some(id) => workflows::by_id(&st.db, id).await?.map(|w| w.workflow),
        None => None,
    };
    let open = steps::open(&st.db, row.id).await?;
    let mut e = Effects {
        change: Change {
            status: to.code(),
            current_step: row.current_step,
            ..Change::default()
        },
        note: input.note.trim().to_owned(),
        finish: None,
        start: None,
        notice: None,
        assign: None,
        tell_applicant: None,
        shift: None,
        fee: None,
        seal: None,
    };
    let pinned = match action {
        Action::Accept => Some(
            pin_workflow(
                st,
                &row.procedure_code,
                row.case_key.as_deref().unwrap_or(""),
                &rules::province_of_unit(st, &row.receiving_unit_code).await?,
                now,
            )
            .await?,
        ),
        _ => None,
    };
    let cx = Cx {
        st,
        actor,
        row: &row,
        input,
        action,
        now,
        cal: &cal,
        wf: wf.as_ref(),
        open: open.as_ref(),
        subj: &subj,
        pinned: pinned.as_ref(),
    };
    match action {
        Action::Accept => on_accept(&cx, &mut e).await?,
        Action::Refuse => on_refuse(&cx, &mut e).await?,
        Action::Forward | Action::Approve => on_forward(&cx, &mut e).await?,
        Action::ReturnStep => on_return_step(&cx, &mut e).await?,
        Action::Assign | Action::Claim => on_assign(&cx, &mut e).await?,
        Action::RequestSupplement => on_request_supplement(&cx, &mut e).await?,
        Action::RequestPayment => on_request_payment(&cx, &mut e).await?,
        Action::ReceiveSupplement | Action::ConfirmPayment => on_resume(&cx, &mut e).await?,
        Action::Extend => on_extend(&cx, &mut e).await?,
        Action::Withdraw => on_withdraw(&cx, &mut e).await?,
        Action::Stop => on_stop(&cx, &mut e).await?,
        Action::ReturnResult => on_return_result(&cx, &mut e).await?,
    }
    let Effects {
        change,
        note,
        finish,
        start,
        notice,
        assign,
        shift,
        tell_applicant,
        fee,
        seal,
    } = e;
    Ok(Plan {
        code,
        row,
        action,
        from,
        to,
        now,
        change,
        note,
        finish,
        start,
        notice,
        assign,
        shift,
        tell_applicant,
        fee,
        seal,
        pinned,
        open,
        wf,
    })
}

/// Writes a planned action inside the caller's transaction: the dossier, its steps, the notice, the event, the
/// audit row, the bundle parent and the queued notifications. Other use cases (a payment confirmation, a queue
/// ticket that becomes a dossier) call it within their own transaction.
pub async fn apply(
    st: &AppState,
    tx: &mut Tx,
    actor: &Actor,
    plan: Plan,
    request_id: &str,
) -> AppResult<()> {
    let Plan {
        code,
        row,
        action,
        from,
        to,
        now,
        mut change,
        note,
        finish,
        start,
        notice,
        assign,
        shift,
        tell_applicant,
        fee,
        seal,
        pinned,
        open,
        wf,
    } = plan;
    let cal = st.calendar();
    if let Some(pinned) = pinned {
        // The workflow version is pinned at acceptance; its first step starts now.
        start_first(
            st,
            tx,
            row.id,
            &pinned.workflow,
            (row.receiving_agency_id, row.competent_agency_id),
            actor,
            (now, change.due_at.or(row.due_at)),
        )
        .await?;
        change.workflow_id = Some(pinned.id);
        change.current_step = Some(0);
    }
    if let Some(s) = &start {
        change.current_step = Some(i32::try_from(s.index).unwrap_or(i32::MAX));
    }
    if !dossiers::update(tx, row.id, row.version, &change, now).await? {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    if let (Some(outcome), Some(o)) = (finish, &open) {
        steps::finish(tx, o.id, now, actor.user_id, outcome).await?;
    }
    if let (Some(s), Some(w)) = (&start, &wf) {
        start_step(tx, row.id, w, s, now, &note).await?;
    }
    if let (Some(u), Some(o)) = (assign, &open) {
        steps::assign(tx, o.id, u).await?;
    }
    if let (Some(p), Some(o)) = (shift, &open) {
        steps::set_due(tx, o.id, cal.add_working_minutes(o.due_at, p)).await?;
    }
    if let Some((form, reason, items, new_due_at, amount)) = &notice {
        steps::add_notice(
            tx,
            &NewNotice {
                dossier_id: row.id,
                form,
                at: now,
                actor: actor.user_id,
                reason,
                items,
                new_due_at: *new_due_at,
                amount: *amount,
            },
        )
        .await?;
    }
    if let Some(s) = &seal {
        crate::service::results::file(tx, s).await?;
        let payload = serde_json::json!({ "code": row.code, "status": to.code() });
        steps::enqueue(
            tx,
            row.id,
            "result_ready",
            &format!("dossier:{}", row.code),
            &payload,
            now,
        )
        .await?;
    }
    if let Some(f) = &fee {
        crate::store::payments::insert_fee(
            tx,
            &crate::store::payments::NewFee {
                dossier_id: row.id,
                amount: f.amount,
                quoted: f.quoted,
                breakdown: &f.breakdown,
                collection: f.collection.as_str(),
                reason: &f.reason,
                at: now,
                by: actor.user_id,
            },
        )
        .await?;
    }
    let event = dossiers::NewEvent {
        dossier_id: row.id,
        at: now,
        actor: Some(actor.user_id),
        action: action.as_str(),
        from: Some(from.code()),
        to: to.code(),
        note: &note,
    };
    dossiers::add_event(tx, &event).await?;
    audit::write_tx(
        tx,
        &audit_entry(
            actor,
            action.as_str(),
            code.as_str(),
            Some(row.id),
            "xử lý hồ sơ",
            request_id,
            now,
        ),
    )
    .await?;
    if let Some(parent) = row.parent_id {
        sync_parent(tx, parent, actor.user_id, now).await?;
    }
    if let Some(msg) = &tell_applicant {
        let payload = serde_json::json!({ "code": row.code, "status": to.code(), "message": msg });
        steps::enqueue(
            tx,
            row.id,
            "applicant",
            &format!("dossier:{}", row.code),
            &payload,
            now,
        )
        .await?;
    }
    if let Some(s) = &start {
        let payload = serde_json::json!({ "code": row.code, "step": s.index, "due": s.due.to_offset(VN).to_string() });
        let to = s
            .assignee
            .map_or_else(|| format!("agency:{}", s.agency), |u| format!("user:{u}"));
        steps::enqueue(tx, row.id, "step_started", &to, &payload, now).await?;
    }
    Ok(())
}

/// Applies an action to a dossier. Out of scope: 404; not this person's: 403; not now: 409; bad input: 422.
pub async fn act(
    st: &AppState,
    actor: &Actor,
    code: &str,
    input: &ActInput,
    request_id: &str,
) -> AppResult<DossierCode> {
    let plan = plan(st, actor, code, input).await?;
    let code = plan.code.clone();
    let mut tx = st.db.begin().await?;
    apply(st, &mut tx, actor, plan, request_id).await?;
    tx.commit().await?;
    Ok(code)
}

/// [`act`], then the dossier as it now stands (the API's answer; a page redirects to the dossier instead).
pub async fn act_and_view(
    st: &AppState,
    actor: &Actor,
    code: &str,
    input: &ActInput,
    request_id: &str,
) -> AppResult<DossierView> {
    let code = act(st, actor, code, input, request_id).await?;
    dview::get(st, actor, code.as_str(), "xử lý hồ sơ", request_id).await
}

/// After a child changed, brings its parent up to date in the same transaction.
pub async fn sync_parent(
    tx: &mut Tx,
    parent_id: DossierId,
    actor_id: UserId,
    now: OffsetDateTime,
) -> AppResult<()> {
    let statuses: Vec<Status> = dossiers::child_statuses(tx, parent_id)
        .await?
        .into_iter()
        .map(Status::try_from)
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::from)?;
    let to = motcua_domain::status::bundle_status(&statuses);
    let completed = matches!(to, Status::Completed | Status::Returned).then_some(now);
    let before = dossiers::set_parent_status(tx, parent_id, to.code(), completed, now).await?;
    if before != Some(to.code()) {
        let done = statuses
            .iter()
            .filter(|s| matches!(s, Status::Completed | Status::Returned))
            .count();
        let note = format!("{done}/{} thủ tục liên thông đã có kết quả", statuses.len());
        dossiers::add_event(
            tx,
            &dossiers::NewEvent {
                dossier_id: parent_id,
                at: now,
                actor: Some(actor_id),
                action: "bundle_progress",
                from: before,
                to: to.code(),
                note: &note,
            },
        )
        .await?;
    }
    Ok(())
}
