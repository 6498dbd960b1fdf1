//! An officer's dossier page: its state, control sheet, trail and documents, and a form for each allowed action.

use super::checklist::{raw_table, CheckView};
use super::staff;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, url_enc, Ctx};
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

/// `POST /can-bo/ho-so/{code}/xu-ly`: one action (or reuse of a digitized document), then back to the dossier.
pub async fn act(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    let action = get("action").unwrap_or_default();
    let back = format!("/can-bo/ho-so/{}", url_enc(&code));
    if action == "reuse" {
        let input = documents::ReuseInput {
            document_id: get("document_id").and_then(|d| d.parse().ok()).unwrap_or(0),
            component: get("component"),
        };
        return match documents::reuse(&st, &actor, &code, input, &ctx.rid).await {
            Ok(_) => Ok(see_other(&back)),
            Err(e) => Err(e.into()),
        };
    }
    let kept = kept_of(&get, &pairs);
    let input = match read_input(&get, &pairs) {
        Ok(i) => i,
        // A typing mistake comes back on the dossier's page with what was typed, like any other refusal.
        Err(e) => {
            return dossier_page(&st, &ctx, &actor, &code, (false, None), Some((e, kept))).await
        }
    };
    match process::act(&st, &actor, &code, &input, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!("{back}?xong={}", url_enc(&kept.action)))),
        // A dossier out of reach stays the error page; any other refusal comes back on the dossier page.
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => dossier_page(&st, &ctx, &actor, &code, (false, None), Some((e, kept))).await,
    }
}

fn ticked(pairs: &[(String, String)]) -> Vec<u32> {
    pairs
        .iter()
        .filter(|(k, _)| k == "documents")
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

/// What was typed, to show again with a refusal.
fn kept_of(get: &impl Fn(&str) -> Option<String>, pairs: &[(String, String)]) -> Kept {
    let g = |k: &str| get(k).unwrap_or_default();
    Kept {
        action: g("action"),
        note: g("note"),
        assignee: g("assignee"),
        missing: g("missing"),
        amount: g("amount"),
        pages: g("pages"),
        items: g("items"),
        exemption: g("exemption"),
        collection: g("collection"),
        method: String::new(),
        reference: String::new(),
        receiver: g("receiver_name"),
        documents: ticked(pairs),
        document_case: g("document_case"),
    }
}

/// The action's input from the form; a field that cannot be read is refused by name.
fn read_input(
    get: &impl Fn(&str) -> Option<String>,
    pairs: &[(String, String)],
) -> Result<process::ActInput, AppError> {
    let new_due = match (get("new_date"), get("new_time")) {
        (Some(d), Some(t)) if !d.is_empty() => Some(format!("{d}T{t}:00+07:00")),
        _ => None,
    };
    let amount = match get("amount").filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(a.replace(['.', ' '], "").parse::<i64>().map_err(|_| {
            AppError::field(
                "amount",
                "Số tiền là số nguyên (đồng), ví dụ 15000",
                "the amount is a whole number of đồng",
            )
        })?),
    };
    let items = match get("items").filter(|a| !a.is_empty()) {
        None => None,
        Some(n) => Some(n.parse().map_err(|_| {
            AppError::field(
                "items",
                "Số lượng là số nguyên, ví dụ 2",
                "items is a whole number",
            )
        })?),
    };
    let note = get("note").unwrap_or_default();
    if note.chars().count() > 2000 {
        return Err(AppError::field(
            "note",
            "Ghi chú tối đa 2000 ký tự",
            "the note is at most 2000 characters",
        ));
    }
    Ok(process::ActInput {
        action: get("action").unwrap_or_default(),
        note,
        assignee: get("assignee").filter(|a| !a.is_empty()),
        documents: Some(ticked(pairs)),
        missing: get("missing").map(|m| {
            m.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        new_due,
        amount,
        method: get("method"),
        receiver_name: get("receiver_name").filter(|a| !a.is_empty()),
        document_case: get("document_case").filter(|c| !c.is_empty()),
        paper_result: Some(get("paper_result").as_deref() == Some("1")),
        pages: pages_of(get("pages").as_deref())?,
        items,
        exemption: get("exemption").filter(|a| !a.is_empty()),
        collection: get("collection").filter(|a| !a.is_empty()),
        sending: None,
        settles_fee: false,
    })
}

/// "5, 1 3" → `[5, 1, 3]` (pages of each copy); empty → none.
fn pages_of(s: Option<&str>) -> Result<Option<Vec<u32>>, AppError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    s.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u32>().map_err(|_| {
                AppError::field(
                    "pages",
                    format!("«{p}» không phải số trang: ghi số trang của từng bản bằng chữ số, cách nhau bằng dấu phẩy (ví dụ 5, 1)"),
                    "pages of each copy as digits, separated by commas (e.g. 5, 1)",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
