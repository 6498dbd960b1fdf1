//! An officer's dossier page: its state, control sheet, trail and documents, and a form for each allowed action.

use super::checklist::{raw_table, CheckView};
use super::staff;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::http::web::page::PageResult;
use crate::http::web::Ctx;
use crate::service::dossier::rules;
use crate::service::dossier::view as dview;
use crate::service::dossier::view::DossierView;
use crate::service::dossier::{documents, process};
use crate::state::AppState;
use crate::store::procedures::{self};
use askama::Template;
use axum::extract::State;
use motcua_domain::checklist::Checklist;
use motcua_domain::role::Role;
use motcua_domain::status::Action;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DossierQuery {
    moi: String,
    /// The action just done, to confirm it.
    xong: String,
}

/// The fields an action's form asks for (besides the remark or reason).
enum Kind {
    Accept,
    Supplement,
    Forward { assignee_required: bool },
    Payment,
    Extend,
    Return,
    Plain,
}

/// What an officer typed into an action's form, shown again with the refusal so nothing is lost.
#[derive(Debug, Clone, Default)]
pub(super) struct Kept {
    pub(super) action: String,
    pub(super) note: String,
    pub(super) assignee: String,
    pub(super) missing: String,
    pub(super) amount: String,
    pub(super) pages: String,
    pub(super) items: String,
    pub(super) exemption: String,
    pub(super) collection: String,
    /// The counter payment form: method and transfer reference.
    pub(super) method: String,
    pub(super) reference: String,
    pub(super) receiver: String,
    pub(super) documents: Vec<u32>,
    pub(super) document_case: String,
}

#[derive(askama::Template)]
#[template(path = "officer/action.html")]
struct ActionForm<'a> {
    ctx: &'a Ctx,
    /// Open, with the refusal and what was typed, when this action was just refused.
    open: bool,
    error_box: String,
    kept: &'a Kept,
    code: &'a str,
    k: &'static str,
    label: &'a str,
    kind: Kind,
    /// Accepting: the checklist to tick.
    check: Option<CheckView>,
    /// Forwarding or assigning: the officers of the dossier's units to choose from.
    people: &'a [crate::store::users::Colleague],
    /// The note field: its label and whether it is required.
    note: Option<(&'a str, bool)>,
}

/// What the dossier's action forms offer: the checklist in force for its channel (with the raw table when the record
/// is unreadable), the officers of its two units, and the checklist papers the applicant uploaded.
async fn choices_of(
    st: &AppState,
    v: &DossierView,
    pcode: &str,
) -> Result<
    (
        (Checklist, Option<String>),
        Vec<crate::store::users::Colleague>,
        Vec<u32>,
    ),
    AppError,
> {
    let list = {
        let p = procedures::get(&st.db, pcode).await?;
        let unit = v.receiving_agency["unit_code"].as_str().unwrap_or("");
        let province = rules::province_of_unit(st, unit).await?;
        let l = rules::checklist(
            st,
            pcode,
            p.as_ref().and_then(|p| p.detail.as_deref()),
            v.channel_kind()
                .unwrap_or(motcua_domain::catalog::Channel::Online),
            &province,
        )
        .await?;
        (l, raw_table(p.as_ref().and_then(|p| p.raw.as_deref())))
    };
    let units: Vec<motcua_domain::ids::AgencyId> = [&v.receiving_agency, &v.competent_agency]
        .iter()
        .filter_map(|a| a["id"].as_i64().map(motcua_domain::ids::AgencyId))
        .collect();
    let people = crate::store::users::colleagues(&st.db, &units).await?;
    let given: Vec<String> = v
        .documents
        .iter()
        .flatten()
        .filter(|d| !d.is_result)
        .map(|d| motcua_domain::text::search_key(&d.component))
        .collect();
    let uploaded: Vec<u32> = list
        .0
        .all()
        .filter(|p| given.contains(&motcua_domain::text::search_key(&p.name)))
        .map(|p| p.number)
        .collect();
    Ok((list, people, uploaded))
}

/// What an action's form offers to choose from: the checklist (with the record's raw table when unreadable), the
/// units' officers, and the papers the citizen uploaded (ticked for checking).
struct Choices<'a> {
    list: Option<&'a (Checklist, Option<String>)>,
    people: &'a [crate::store::users::Colleague],
    uploaded: &'a [u32],
    /// Who may take the next step (its role and agency), for the forward form.
    next: Option<(Role, motcua_domain::ids::AgencyId)>,
}

fn action_form(
    ctx: &Ctx,
    v: &DossierView,
    a: Action,
    Choices {
        list,
        people,
        uploaded,
        next,
    }: Choices<'_>,
    refused: Option<&(AppError, Kept)>,
) -> Result<String, AppError> {
    let blank = Kept::default();
    let mine = refused.filter(|(_, k)| k.action == a.as_str());
    let kept = mine.map_or(&blank, |(_, k)| k);
    // Before the officer has ticked anything, the papers the citizen uploaded are ticked for checking.
    let ticked = if mine.is_some() {
        &kept.documents[..]
    } else {
        uploaded
    };
    let check = list
        .filter(|_| a == Action::Accept)
        .map(|(l, raw)| CheckView::new(ctx, l, (&kept.document_case, ticked), raw.clone()));
    let reason = Some((ctx.t("Lý do", "Reason"), true));
    let (kind, note) = match a {
        Action::Accept => (Kind::Accept, None),
        Action::Refuse | Action::Stop | Action::ReturnStep | Action::Withdraw => {
            (Kind::Plain, reason)
        }
        Action::RequestSupplement => (Kind::Supplement, reason),
        Action::Forward | Action::Assign => (
            Kind::Forward {
                assignee_required: a == Action::Assign,
            },
            Some((ctx.t("Ý kiến", "Remark"), false)),
        ),
        Action::RequestPayment => (
            Kind::Payment,
            Some((
                ctx.t(
                    "Nội dung, lý do điều chỉnh số tiền (nếu có)",
                    "Details; the reason for another amount (if any)",
                ),
                false,
            )),
        ),
        Action::Extend => (
            Kind::Extend,
            Some((
                ctx.t(
                    "Lý do trễ hạn (ghi trên phiếu xin lỗi)",
                    "Why it is late (printed on the apology)",
                ),
                true,
            )),
        ),
        Action::ReturnResult => (Kind::Return, None),
        _ => (
            Kind::Plain,
            Some((ctx.t("Ý kiến (không bắt buộc)", "Remark (optional)"), false)),
        ),
    };
    // Assign gives the current step, forward the next one, to someone who may hold it: its role (or one standing
    // in) at its agency.
    let step = match a {
        Action::Assign => v
            .current_step
            .as_ref()
            .and_then(|s| Some((Role::parse(s["role"].as_str()?)?, s["agency_id"].as_i64()?))),
        Action::Forward => next.map(|(r, agency)| (r, agency.0)),
        _ => None,
    };
    let holders: Vec<crate::store::users::Colleague> = match step {
        Some((role, agency)) => people
            .iter()
            .filter(|p| p.agency_id.0 == agency && motcua_domain::workflow::covers(p.role, role))
            .cloned()
            .collect(),
        None => people.to_vec(),
    };
    let people = &holders[..];
    ActionForm {
        ctx,
        open: mine.is_some(),
        error_box: mine
            .map(|(e, _)| ctx.error_box(e, "action-error"))
            .unwrap_or_default(),
        kept,
        code: &v.code,
        k: a.as_str(),
        label: ctx.t(a.vi(), a.en()),
        kind,
        check,
        people,
        note,
    }
    .render()
    .map_err(|e| AppError::Internal(e.into()))
}

/// `/can-bo/ho-so/{code}`: the dossier with its timeline, steps, documents, forms and the actions allowed now.
pub async fn dossier(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    q: Result<AppQuery<DossierQuery>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let fresh = q.moi == "1";
    let done = Action::parse(&q.xong).map(|a| ctx.t(a.vi(), a.en()));
    dossier_page(&st, &ctx, actor, &code, (fresh, done), None).await
}

/// The dossier page; after a refused action, that action's form stays open with the refusal and what was typed.
pub(super) async fn dossier_page(
    st: &AppState,
    ctx: &Ctx,
    actor: &crate::service::account::session::Actor,
    code: &str,
    (fresh, done): (bool, Option<&str>),
    refused: Option<(AppError, Kept)>,
) -> PageResult {
    let (st, ctx) = (st.clone(), ctx.clone());
    let v = dview::get(&st, actor, code, "xử lý hồ sơ", &ctx.rid).await?;
    let pcode = v.procedure["code"].as_str().unwrap_or("").to_owned();
    let (list, people, uploaded) = choices_of(&st, &v, &pcode).await?;
    let next = match crate::store::dossiers::get(&st.db, &actor.scope, code).await? {
        Some(row) => process::next_holder(&st, &row).await?,
        None => None,
    };
    let money = super::money::panel(&st, &ctx, actor, &v, refused.as_ref()).await?;
    let required: Vec<String> = list
        .0
        .all()
        .filter(|p| !p.shown)
        .map(|p| p.name.clone())
        .collect();
    // Actions allowed now, from the same rule the API applies.
    let actions = v
        .allowed_actions
        .iter()
        .filter_map(|a| Action::parse(a))
        .map(|a| {
            action_form(
                &ctx,
                &v,
                a,
                Choices {
                    list: Some(&list),
                    people: &people,
                    uploaded: &uploaded,
                    next,
                },
                refused.as_ref(),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let offers = documents::offers(&st, actor, &v.code).await?;
    let reusable = offers
        .iter()
        .filter(|o| !o.present)
        .flat_map(|o| o.reusable.iter().map(move |d| (o.component.as_str(), d)))
        .collect();
    let forms = v
        .notices
        .iter()
        .flatten()
        .filter_map(|n| {
            n["form"]
                .as_str()
                .filter(|f| ["02", "03", "04", "05"].contains(f))
        })
        .map(|f| {
            let label = match f {
                "02" => ctx.t(
                    "Mẫu 02 — Phiếu yêu cầu bổ sung",
                    "Form 02 — supplement request",
                ),
                "03" => ctx.t("Mẫu 03 — Phiếu từ chối tiếp nhận", "Form 03 — refusal"),
                "04" => ctx.t(
                    "Mẫu 04 — Phiếu xin lỗi và hẹn lại",
                    "Form 04 — apology and new date",
                ),
                _ => ctx.t("Mẫu 05 — Phiếu dừng xử lý", "Form 05 — stop notice"),
            };
            (f.to_owned(), label)
        })
        .collect();
    let text = |x: &serde_json::Value, k: &str| x[k].as_str().unwrap_or("").to_owned();
    let steps = v
        .steps
        .iter()
        .flatten()
        .map(|s| StepLine {
            name: text(s, "name"),
            agency: text(s, "agency"),
            assignee: text(s, "assignee"),
            due: text(s, "due_vi"),
            finished: s["finished_at"].is_string(),
            outcome: outcome_label(&ctx, s["outcome"].as_str().unwrap_or("")).to_owned(),
            on_time: match s["on_time"].as_bool() {
                Some(true) => ctx.t("đúng hạn", "on time"),
                Some(false) => ctx.t("trễ hạn", "late"),
                None => "",
            },
        })
        .collect();
    let events = v
        .events
        .iter()
        .flatten()
        .map(|e| EventLine {
            at: e.at_vi.clone(),
            label: event_label(&ctx, &e.action).to_owned(),
            actor: e.actor.clone(),
            note: e.note.clone(),
        })
        .collect();
    let docs = v.documents.clone().unwrap_or_default();
    let queue = crate::service::queue::counter::times_of_code(&st, &v.code)
        .await?
        .map(|(label, wait, served)| {
            let served = served.map_or_else(String::new, |m| {
                format!(
                    " · {} {m} {}",
                    ctx.t("phục vụ", "served"),
                    ctx.t("phút", "min")
                )
            });
            format!(
                "{} {label} · {} {wait} {}{served}",
                ctx.t("Số thứ tự", "Queue ticket"),
                ctx.t("đã chờ", "waited"),
                ctx.t("phút", "min")
            )
        });
    let b = DossierPage {
        ctx: &ctx,
        fresh,
        queue,
        done: done.map(str::to_owned),
        v: &v,
        actions,
        docs,
        can_upload: !v.status.key.is_empty() && !matches!(v.status.code, 3 | 7 | 8 | 10),
        required: &required,
        reusable,
        forms,
        steps,
        events,
        money,
        top_error: refused
            .as_ref()
            .filter(|(_, k)| {
                k.action != "counter_payment" && !v.allowed_actions.contains(&k.action.as_str())
            })
            .map(|(e, _)| ctx.error_box(e, "refused"))
            .unwrap_or_default(),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        &format!("{} {}", ctx.t("Hồ sơ", "Dossier"), v.code),
        &b,
        refused.as_ref().map(|(e, _)| e),
    ))
}

/// How a step ended, in words.
fn outcome_label<'a>(ctx: &Ctx, outcome: &'a str) -> &'a str {
    match outcome {
        "forwarded" => ctx.t("Đã chuyển bước tiếp", "Passed to the next step"),
        "approved" => ctx.t("Đã phê duyệt", "Approved"),
        "returned" => ctx.t("Trả lại bước trước", "Sent back"),
        "withdrawn" => ctx.t("Công dân rút hồ sơ", "Withdrawn"),
        "stopped" => ctx.t("Dừng xử lý", "Stopped"),
        "result_returned" => ctx.t("Đã trả kết quả", "Result handed over"),
        other => other,
    }
}

/// What an event of the timeline was, in words (intake events are not workflow actions).
fn event_label<'a>(ctx: &Ctx, action: &'a str) -> &'a str {
    match (Action::parse(action), action) {
        (Some(a), _) => ctx.t(a.vi(), a.en()),
        (None, "submit") => ctx.t("Nộp trực tuyến", "Submitted online"),
        (None, "receive") => ctx.t("Tiếp nhận tại quầy", "Received at the counter"),
        (None, other) => other,
    }
}

/// A step of the control sheet, as shown.
struct StepLine {
    name: String,
    agency: String,
    assignee: String,
    due: String,
    finished: bool,
    outcome: String,
    on_time: &'static str,
}

/// An event of the timeline, as shown (officers' notes are internal, shown here only).
struct EventLine {
    at: String,
    label: String,
    actor: Option<String>,
    note: String,
}

#[derive(askama::Template)]
#[template(path = "officer/dossier.html")]
struct DossierPage<'a> {
    ctx: &'a Ctx,
    fresh: bool,
    /// The queue ticket the dossier was received from: its wait and service time.
    queue: Option<String>,
    /// The action just done, confirmed at the top.
    done: Option<String>,
    v: &'a DossierView,
    /// Each allowed action's form, rendered by its template.
    actions: Vec<String>,
    docs: Vec<dview::DocumentView>,
    can_upload: bool,
    required: &'a [String],
    reusable: Vec<(&'a str, &'a dview::DocumentView)>,
    forms: Vec<(String, &'static str)>,
    steps: Vec<StepLine>,
    events: Vec<EventLine>,
    /// Fees, payments (with the counter's form), sealed results and notifications, drawn by their template.
    money: String,
    /// A refusal of an action whose form is no longer on the page (the dossier moved meanwhile), shown at the top.
    top_error: String,
}
