//! The small rules every dossier use case shares: the audit row of a dossier access, the legal time limit and due
//! date, the province of a unit, who acts and what the dossier is as the workflow rule sees them, and the intake
//! checklist. Everything here reads; nothing here opens a transaction. It sits below the use cases that call it.

use crate::error::{AppError, AppResult};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::dossiers::DossierRow;
use crate::store::units;
use crate::store::workflows::WorkflowRow;
use motcua_domain::calendar::{DueRules, TimeLimit};
use motcua_domain::catalog::{Channel, Detail};
use motcua_domain::checklist::{Checklist, Correction, Refusal, Source};
use motcua_domain::ids::DossierId;
use motcua_domain::role::Role;
use motcua_domain::workflow::{choose_limit, CurrentStep, LimitSource, StepKind, Subject, Who};
use time::OffsetDateTime;

/// The audit row of one access to or change of a dossier.
pub fn audit_entry(
    actor: &Actor,
    action: &str,
    key: &str,
    dossier_id: Option<DossierId>,
    purpose: &str,
    request_id: &str,
    at: OffsetDateTime,
) -> AuditEntry {
    AuditEntry {
        at,
        actor_user_id: Some(actor.user_id),
        actor_role: actor.role.as_str().into(),
        action: action.into(),
        entity: "dossier".into(),
        entity_key: key.into(),
        dossier_id,
        purpose: purpose.into(),
        request_id: request_id.into(),
    }
}

/// The legal time limit of a procedure for a channel, from its parsed detail.
pub fn time_limit(
    detail: Option<&str>,
    channel: Channel,
    disadvantaged: bool,
) -> (Option<TimeLimit>, Option<time::Time>) {
    detail
        .and_then(|s| serde_json::from_str::<Detail>(s).ok())
        .map_or((None, None), |d| d.time_limit(channel, disadvantaged))
}

/// The due date of a dossier validly received `now`, and where its limit comes from: a case's own limit, the
/// channel's published limit (the disadvantaged-area variant when the competent unit is in one), or the total of
/// the workflow an administrator set, all under the procedure's cut-off time. With none of them the dossier cannot
/// be given an appointment date, and the answer says who must set one.
pub async fn legal_due(
    st: &AppState,
    detail: Option<&str>,
    channel: Channel,
    (competent_unit, field): (&str, &str),
    pinned: &WorkflowRow,
    now: OffsetDateTime,
) -> AppResult<(OffsetDateTime, LimitSource)> {
    let hard = units::get(&st.db, competent_unit)
        .await?
        .is_some_and(|u| u.disadvantaged);
    let (published, cutoff) = time_limit(detail, channel, hard);
    let case_minutes = pinned.limit_minutes.filter(|_| !pinned.case_key.is_empty());
    let set = pinned
        .set_by
        .is_some()
        .then(|| pinned.workflow.total_minutes());
    let (limit, source) = choose_limit(
        published,
        &motcua_domain::text::search_key(field),
        case_minutes,
        set,
    )
    .ok_or_else(no_limit)?;
    let due = st.calendar().due(
        now,
        limit,
        &DueRules {
            cutoff,
            pauses: &[],
        },
    );
    Ok((due, source))
}

/// The limit a counter dossier of a procedure would get now in a province, and where it comes from (`None`: nobody
/// has set one, intake would be refused), for the intake page to say before the officer fills anything.
pub async fn limit_preview(
    st: &AppState,
    (code, field): (&str, &str),
    detail: Option<&str>,
    province: &str,
) -> AppResult<Option<(TimeLimit, LimitSource)>> {
    let (published, _) = time_limit(detail, Channel::InPerson, false);
    let set = crate::store::workflows::current(&st.db, code, "", province)
        .await?
        .filter(|w| w.set_by.is_some())
        .map(|w| w.workflow.total_minutes());
    Ok(choose_limit(
        published,
        &motcua_domain::text::search_key(field),
        None,
        set,
    ))
}

/// The refusal when a procedure has no time limit anywhere.
pub fn no_limit() -> AppError {
    AppError::field(
        "procedure",
        "Thủ tục này chưa có thời hạn giải quyết: thủ tục được công bố không ghi thời hạn và tỉnh chưa ban hành quy \
         trình nội bộ. Quản trị viên của tỉnh cần khai báo quy trình (thời gian từng bước) tại Quản trị › Danh mục \
         thủ tục › Quy trình; sau đó hồ sơ được tiếp nhận với ngày hẹn trả.",
        "This procedure has no time limit: its published record states none and the province has not issued an \
         internal workflow. The province administrator must set the workflow (time per step) under Administration › \
         Procedures › Workflow; dossiers can then be received with an appointment date.",
    )
}

/// The province of a unit code (a province's own code for a province).
pub async fn province_of_unit(st: &AppState, unit_code: &str) -> AppResult<String> {
    Ok(units::get(&st.db, unit_code).await?.map_or_else(
        || unit_code.to_owned(),
        |u| u.province_code.unwrap_or(u.code),
    ))
}

/// Who is acting, as the workflow rule sees them.
pub fn who(actor: &Actor) -> Who {
    Who {
        user: actor.user_id,
        role: actor.role,
        agency: actor.agency.as_ref().map(|a| a.id),
    }
}

/// The dossier, as the workflow rule sees it.
pub fn subject(row: &DossierRow) -> Subject {
    let step = match (
        row.step_index,
        row.step_role.as_deref().and_then(Role::parse),
        row.step_kind.as_deref().and_then(StepKind::parse),
        row.step_agency_id,
    ) {
        (Some(i), Some(role), Some(kind), Some(agency)) => Some(CurrentStep {
            index: usize::try_from(i).unwrap_or(0),
            role,
            kind,
            agency,
            assignee: row.step_assignee,
        }),
        _ => None,
    };
    Subject {
        status: row.status,
        receiving_agency: row.receiving_agency_id,
        competent_agency: row.competent_agency_id,
        step,
        bundle: row.is_bundle,
        fee_open: row.fee_open,
    }
}

/// Whether this person may settle the dossier's open fee now (at the counter): the confirmation the bare action may
/// not give while the fee is open.
pub fn may_settle_fee(row: &DossierRow, actor: &Actor) -> bool {
    let subj = Subject {
        fee_open: false,
        ..subject(row)
    };
    row.fee_open
        && motcua_domain::workflow::decide(
            &subj,
            who(actor),
            motcua_domain::status::Action::ConfirmPayment,
        )
        .is_ok()
}

/// The document checklist of a procedure for a channel in a province: the province's correction when it made one
/// (or the national correction), otherwise the parse of the published record.
pub async fn checklist(
    st: &AppState,
    code: &str,
    detail: Option<&str>,
    channel: Channel,
    province: &str,
) -> AppResult<Checklist> {
    checklist_on(&st.db, code, detail, channel, province).await
}

/// [`checklist`] read from the given pool: the public pages read it from the replica (`AppState::reader`), intake
/// from the primary.
pub async fn checklist_on(
    db: &crate::store::Db,
    code: &str,
    detail: Option<&str>,
    channel: Channel,
    province: &str,
) -> AppResult<Checklist> {
    if let Some(c) = crate::store::checklists::current(db, code, province).await? {
        return Correction { text: c.body }.checklist().map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "stored checklist correction of {code} cannot be read: {}",
                e.en
            ))
        });
    }
    Ok(detail
        .and_then(|d| serde_json::from_str::<Detail>(d).ok())
        .map_or_else(
            || Checklist {
                papers: Vec::new(),
                cases: Vec::new(),
                notes: Vec::new(),
                source: Source::Unreadable,
            },
            |d| Checklist::parse(&d, channel).0,
        ))
}

/// The province of a signed-in officer's agency (`""` without one: the national lists).
pub async fn province_of_actor(st: &AppState, actor: &Actor) -> AppResult<String> {
    match &actor.agency {
        Some(a) => province_of_unit(st, &a.unit_code).await,
        None => Ok(String::new()),
    }
}

/// The checklist at this officer's counter: in person, with the officer's province's correction if any.
pub async fn counter_checklist(
    st: &AppState,
    actor: &Actor,
    code: &str,
    detail: Option<&str>,
) -> AppResult<Checklist> {
    let province = province_of_actor(st, actor).await?;
    checklist(st, code, detail, Channel::InPerson, &province).await
}

/// Checks the ticked checklist: the case chosen when there are cases, every required paper of it present. Otherwise
/// the answer lists what is missing (the guidance slip) and nothing is created.
pub fn check_papers(
    c: &Checklist,
    case: Option<&str>,
    given: Option<&[u32]>,
    citizen: bool,
) -> AppResult<()> {
    match c.check(case, given.unwrap_or(&[])) {
        Ok(()) => Ok(()),
        Err(Refusal::NoCase) => Err(AppError::field(
            "document_case",
            "Chọn trường hợp của người nộp: mỗi trường hợp có giấy tờ riêng",
            "choose the applicant's case: each case has its own papers",
        )),
        Err(Refusal::NoSuchCase(k)) => Err(AppError::field(
            "document_case",
            "Thủ tục không có trường hợp này",
            format!("the procedure has no case '{k}'"),
        )),
        Err(Refusal::NoSuchNumber { number, count }) => Err(AppError::field(
            "documents",
            format!(
                "Giấy tờ số {number} không thuộc trường hợp đã chọn (thủ tục có {count} giấy tờ)"
            ),
            format!("paper {number} is not one of the chosen case's (the procedure has {count})"),
        )),
        Err(Refusal::Missing(missing)) if citizen => Err(AppError::field(
            "documents",
            format!(
                "Hồ sơ còn thiếu giấy tờ bắt buộc nên chưa nộp được. Vui lòng tải lên: {}",
                missing.join("; ")
            ),
            format!(
                "required papers are missing, so the application was not submitted; please upload: {}",
                missing.join("; ")
            ),
        )),
        Err(Refusal::Missing(missing)) => Err(AppError::field(
            "documents",
            format!(
                "Hồ sơ chưa đủ thành phần, chưa tiếp nhận. Cần bổ sung: {}",
                missing.join("; ")
            ),
            format!(
                "the dossier is incomplete and was not received; missing: {}",
                missing.join("; ")
            ),
        )),
    }
}

/// What was received, as stored with the dossier and listed on form 01: the case and each ticked paper with its
/// quantity.
pub fn received(c: &Checklist, case: Option<&str>, given: Option<&[u32]>) -> String {
    let case = c
        .cases
        .iter()
        .find(|k| Some(k.key.as_str()) == case)
        .map(|k| k.title.clone());
    let papers: Vec<serde_json::Value> = c
        .ticked(given.unwrap_or(&[]))
        .iter()
        .map(|p| {
            let mut q = Vec::new();
            if p.originals > 0 {
                q.push(format!("{} bản chính", p.originals));
            }
            if p.copies > 0 {
                q.push(format!("{} bản sao", p.copies));
            }
            serde_json::json!({"name": p.name, "quantity": q.join(", "), "shown": p.shown})
        })
        .collect();
    serde_json::json!({"case": case, "papers": papers}).to_string()
}
