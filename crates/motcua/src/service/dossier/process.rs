//! Processing a dossier along its workflow: every legal action is checked by `workflow::decide` and committed in one
//! transaction with its step changes, notice, event, audit record and queued notifications.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::catalog::workflows::pin_workflow;
use crate::service::dossier::rules;
use crate::service::dossier::rules::{
    audit_entry, check_documents, required_documents, subject, who,
};
use crate::service::dossier::view as dview;
use crate::service::dossier::view::DossierView;
use crate::state::AppState;
use crate::store::dossiers::{self, Change, DossierRow};
use crate::store::steps::{self, NewNotice, NewStep};
use crate::store::{agencies, audit, procedures, users, workflows, Tx};
use motcua_domain::calendar::{format_vi, VN};
use motcua_domain::codes::DossierCode;
use motcua_domain::ids::{AgencyId, DossierId, UserId};
use motcua_domain::role::Role;
use motcua_domain::status::{Action, Status};
use motcua_domain::workflow::{self, covers, Denied, Place, Subject, Workflow};
use serde::Deserialize;
use time::OffsetDateTime;

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
    /// Accept: numbers (1-based) of the required documents the officer checked as present.
    pub documents: Option<Vec<u32>>,
    /// Supplement: what is missing or to be corrected, one item each.
    pub missing: Option<Vec<String>>,
    /// Extend: the new date, RFC 3339 (`2026-12-10T09:00:00+07:00`).
    pub new_due: Option<String>,
    /// Payment: the amount in VND.
    pub amount: Option<i64>,
    /// Return: `counter`, `online` or `post`.
    pub method: Option<String>,
    /// Return at the counter: the name of the person who received the result.
    pub receiver_name: Option<String>,
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

/// The agency that performs a step of a dossier.
fn agency_of(place: Place, receiving: AgencyId, competent: AgencyId) -> AgencyId {
    match place {
        Place::Receiving => receiving,
        Place::Competent => competent,
    }
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
    now: OffsetDateTime,
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
            due: st.calendar().add_working_minutes(now, first.minutes()),
        },
        now,
        "",
    )
    .await
}

async fn officer(st: &AppState, username: &str, role: Role, agency: AgencyId) -> AppResult<UserId> {
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
    let subj = subject(&row);
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
    } = e;
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
            now,
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
) -> AppResult<DossierView> {
    let plan = plan(st, actor, code, input).await?;
    let code = plan.code.clone();
    let mut tx = st.db.begin().await?;
    apply(st, &mut tx, actor, plan, request_id).await?;
    tx.commit().await?;
    dview::get(st, actor, code.as_str(), "xử lý hồ sơ", request_id).await
}

/// The effects of `Action::Accept`.
async fn on_accept(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let proc = procedures::get(&cx.st.db, &cx.row.procedure_code).await?;
    let detail = proc.as_ref().and_then(|p| p.detail.as_deref());
    check_documents(&required_documents(detail), cx.input.documents.as_deref())?;
    let channel = cx.row.channel;
    let competent_unit = agencies::by_id(&cx.st.db, cx.row.competent_agency_id)
        .await?
        .map(|a| a.unit_code)
        .unwrap_or_default();
    let province = rules::province_of_unit(cx.st, &cx.row.receiving_unit_code).await?;
    let case_limit = match cx.row.case_key.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => workflows::current(&cx.st.db, &cx.row.procedure_code, k, &province)
            .await?
            .and_then(|w| w.limit_minutes),
        None => None,
    };
    let due = rules::legal_due(cx.st, detail, channel, &competent_unit, case_limit, cx.now).await?;
    e.change.received_at = Some(cx.now);
    e.change.due_at = due;
    e.change.legal_due_at = due;
    e.tell_applicant = Some(format!(
        "Hồ sơ {} đã được tiếp nhận; hẹn trả kết quả {}",
        cx.row.code,
        due.map(format_vi).unwrap_or_default()
    ));
    Ok(())
}

/// The effects of `Action::Refuse`.
async fn on_refuse(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do từ chối", "the reason for refusal")?;
    e.notice = Some(("03", r.clone(), vec![], None, None));
    e.tell_applicant = Some(format!("Hồ sơ {} không được tiếp nhận: {r}", cx.row.code));
    Ok(())
}

/// The effects of `Action::Forward | Action::Approve`.
async fn on_forward(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let (Some(w), Some(s), Some(o)) = (&cx.wf, cx.subj.step, &cx.open) else {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "no cx.open step",
        ));
    };
    let next = s.index + 1;
    let def = w
        .steps
        .get(next)
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no next step"))?;
    let agency = agency_of(
        def.place,
        cx.row.receiving_agency_id,
        cx.row.competent_agency_id,
    );
    let assignee = match &cx.input.assignee {
        Some(u) if cx.action == Action::Forward => Some(officer(cx.st, u, def.role, agency).await?),
        _ => None,
    };
    if agency != o.agency_id {
        let target = agencies::by_id(&cx.st.db, agency).await?;
        let moved = format!(
            "{} từ {} đến {}",
            if cx.action == Action::Approve {
                "Chuyển kết quả"
            } else {
                "Chuyển hồ sơ"
            },
            o.agency,
            target.map(|a| a.name).unwrap_or_default()
        );
        e.note = if e.note.is_empty() {
            moved
        } else {
            format!("{moved}. {}", e.note)
        };
    }
    e.finish = Some(if cx.action == Action::Approve {
        "approved"
    } else {
        "forwarded"
    });
    e.start = Some(StepStart {
        index: next,
        agency,
        assignee,
        due: cx.cal.add_working_minutes(cx.now, def.minutes()),
    });
    if cx.action == Action::Approve {
        e.change.completed_at = Some(cx.now);
        e.tell_applicant = Some(format!("Hồ sơ {} đã có kết quả", cx.row.code));
    }
    Ok(())
}

/// The effects of `Action::ReturnStep`.
async fn on_return_step(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do trả lại", "the reason for sending it back")?;
    e.note = r;
    let (Some(w), Some(s)) = (&cx.wf, cx.subj.step) else {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "no cx.open step",
        ));
    };
    let prev = s.index.saturating_sub(1);
    let def = w
        .steps
        .get(prev)
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no previous step"))?;
    let agency = agency_of(
        def.place,
        cx.row.receiving_agency_id,
        cx.row.competent_agency_id,
    );
    // Back cx.to whoever did the step before; a repeated step counts cx.from its first execution.
    let history = steps::of_dossier(&cx.st.db, cx.row.id).await?;
    let first = history
        .iter()
        .find(|h| usize::try_from(h.step_index).ok() == Some(prev));
    let last = history
        .iter()
        .rev()
        .find(|h| usize::try_from(h.step_index).ok() == Some(prev));
    let by = last.and_then(|h| h.assignee_user_id);
    e.finish = Some("returned");
    e.start = Some(StepStart {
        index: prev,
        agency,
        assignee: by,
        due: first.map_or_else(
            || cx.cal.add_working_minutes(cx.now, def.minutes()),
            |f| f.due_at,
        ),
    });
    Ok(())
}

/// The effects of `Action::Assign | Action::Claim`.
async fn on_assign(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let s = cx
        .subj
        .step
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no cx.open step"))?;
    let user = if cx.action == Action::Claim {
        cx.actor.user_id
    } else {
        let name = cx.input.assignee.as_deref().unwrap_or("").trim();
        if name.is_empty() {
            return Err(AppError::field(
                "assignee",
                "Chọn cán bộ được giao",
                "name the officer cx.to e.assign",
            ));
        }
        officer(cx.st, name, s.role, s.agency).await?
    };
    e.assign = Some(user);
    Ok(())
}

/// The effects of `Action::RequestSupplement`.
async fn on_request_supplement(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let items: Vec<String> = cx
        .input
        .missing
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect();
    if items.is_empty() || items.len() > 50 || items.iter().any(|i| i.chars().count() > 500) {
        return Err(AppError::field(
            "missing",
            "Liệt kê giấy tờ cần bổ sung, hoàn thiện (1–50 mục, mỗi mục tối đa 500 ký tự)",
            "list what must be supplemented (1–50 items of at most 500 characters)",
        ));
    }
    let r = reason(
        cx.input,
        "lý do yêu cầu bổ sung",
        "the reason for the request",
    )?;
    e.tell_applicant = Some(format!(
        "Hồ sơ {} cần bổ sung: {}",
        cx.row.code,
        items.join("; ")
    ));
    e.notice = Some(("02", r, items, None, None));
    Ok(())
}

/// The effects of `Action::RequestPayment`.
async fn on_request_payment(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let amount = cx
        .input
        .amount
        .filter(|a| *a > 0 && *a < 1_000_000_000_000)
        .ok_or_else(|| {
            AppError::field(
                "amount",
                "Nhập số tiền phải nộp (đồng)",
                "give the amount cx.to pay in VND",
            )
        })?;
    e.tell_applicant = Some(format!(
        "Hồ sơ {} chờ thực hiện nghĩa vụ tài chính: {}",
        cx.row.code,
        motcua_domain::money::Vnd(amount)
    ));
    e.notice = Some(("payment", e.note.clone(), vec![], None, Some(amount)));
    Ok(())
}

/// The effects of `Action::ReceiveSupplement | Action::ConfirmPayment`.
async fn on_resume(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    // The clock restarts: dates move by the working time it was stopped (each stop counted once).
    let events = dossiers::events(&cx.st.db, cx.row.id).await?;
    let since = events
        .iter()
        .rev()
        .find(|e| e.to_status == cx.row.status && e.from_status != Some(cx.row.status.code()))
        .map(|e| e.at);
    if let Some(since) = since {
        let paused = cx.cal.working_minutes_between(since, cx.now).max(0);
        e.shift = Some(paused);
        e.change.due_at = cx.row.due_at.map(|d| cx.cal.add_working_minutes(d, paused));
        e.change.legal_due_at = cx
            .row
            .legal_due_at
            .map(|d| cx.cal.add_working_minutes(d, paused));
    }
    Ok(())
}

/// The effects of `Action::Extend`.
async fn on_extend(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do chậm trễ", "the reason for the delay")?;
    let new_due = parse_time(cx.input.new_due.as_deref().unwrap_or(""))?;
    let due = cx.row.due_at.ok_or_else(|| {
        AppError::with(
            ErrorCode::TransitionNotAllowed,
            "the dossier has no due date",
        )
    })?;
    if cx.now >= due {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "an apology with a new date must be issued before the due date",
        ));
    }
    if new_due <= due {
        return Err(AppError::field(
            "new_due",
            "Ngày hẹn mới phải sau ngày hẹn hiện tại",
            "the new date must be after the current due date",
        ));
    }
    e.change.due_at = Some(new_due);
    e.tell_applicant = Some(format!(
        "Xin lỗi: hồ sơ {} được hẹn lại ngày trả kết quả {}",
        cx.row.code,
        format_vi(new_due)
    ));
    e.notice = Some(("04", r, vec![], Some(new_due), None));
    Ok(())
}

/// The effects of `Action::Withdraw`.
async fn on_withdraw(_: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    e.finish = Some("withdrawn");
    e.change.current_step = None;
    Ok(())
}

/// The effects of `Action::Stop`.
async fn on_stop(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do dừng xử lý", "the reason for stopping")?;
    e.tell_applicant = Some(format!("Hồ sơ {} bị dừng xử lý: {r}", cx.row.code));
    e.notice = Some(("05", r, vec![], None, None));
    e.finish = Some("stopped");
    e.change.current_step = None;
    Ok(())
}

/// The effects of `Action::ReturnResult`.
async fn on_return_result(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let method = cx.input.method.as_deref().unwrap_or("");
    let receiver = cx
        .input
        .receiver_name
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_owned();
    match method {
        "counter" if receiver.is_empty() || receiver.chars().count() > 200 => {
            return Err(AppError::field(
                "receiver_name",
                "Nhập họ tên người nhận kết quả",
                "give the name of the person who received the result",
            ))
        }
        "counter" | "online" | "post" => {}
        _ => return Err(AppError::field(
            "method",
            "Hình thức trả kết quả: counter (tại quầy), online (trực tuyến) hoặc post (bưu chính)",
            "method is counter, online or post",
        )),
    }
    e.change.result_method = Some(method.to_owned());
    e.change.result_receiver = (!receiver.is_empty()).then_some(receiver);
    e.finish = Some("result_returned");
    e.change.current_step = None;
    Ok(())
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
