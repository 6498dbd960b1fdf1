//! Sign-in, and the officer workspace: work lists, counter intake with the ID card QR, the dossier page with only
//! the actions allowed now, documents and printed forms.

use super::multipart;
use super::page::{CsrfForm, PageError, PageResult};
use super::{form, local_path, see_other, session_cookie, url_enc, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::service::account::session;
use crate::service::dossier::dossiers::{self as dsvc, ApplicantInput, CreateDossier, WORK_LISTS};
use crate::service::dossier::rules;
use crate::service::dossier::view as dview;
use crate::service::dossier::view::DossierView;
use crate::service::dossier::{documents, process};
use crate::state::AppState;
use crate::store::dossiers::DossierFilter;
use crate::store::procedures::{self, ProcedureFilter};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use motcua_domain::role::Role;
use motcua_domain::status::Action;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    tiep: String,
}

#[derive(askama::Template)]
#[template(path = "officer/login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    username: &'a str,
    back: &'a str,
    error: Option<&'a str>,
}

fn login_form(ctx: &Ctx, username: &str, back: &str, error: Option<&AppError>) -> Response {
    let message = error.map(|e| ctx.t(e.error_code().vi(), e.error_code().en()));
    let page = LoginPage {
        ctx,
        username,
        back,
        error: message,
    };
    match page.render() {
        Ok(body) => ctx.page(ctx.t("Đăng nhập", "Sign in"), &body),
        Err(e) => ctx.error(&AppError::Internal(e.into())),
    }
}

/// `GET /dang-nhap`.
pub async fn login_page(ctx: Ctx, q: Result<AppQuery<LoginQuery>, AppError>) -> PageResult {
    let back = q.map(|AppQuery(q)| q.tiep).unwrap_or_default();
    Ok(login_form(&ctx, "", &back, None))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    username: String,
    password: String,
    otp: String,
    tiep: String,
}

fn home_of(role: Role) -> &'static str {
    match role {
        Role::Citizen => "/ho-so-cua-toi",
        _ => "/can-bo",
    }
}

/// `POST /dang-nhap`: opens a session (rate-limited per address, accounts lock after failures).
pub async fn login_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> PageResult {
    if f.username.len() > 100 || f.password.len() > 1000 {
        return Ok(login_form(
            &ctx,
            "",
            &f.tiep,
            Some(&AppError::code(ErrorCode::InvalidCredentials)),
        ));
    }
    let otp = Some(f.otp.trim()).filter(|o| !o.is_empty());
    match session::login(&st, &f.username, &f.password, otp, ctx.ip).await {
        Ok(ok) => {
            let to = if f.tiep.is_empty() || f.tiep.starts_with("/dang-nhap") {
                home_of(ok.user.role).to_owned()
            } else {
                local_path(&f.tiep)
            };
            let mut r = see_other(&to);
            if let Ok(v) = HeaderValue::from_str(&session_cookie(
                &st,
                &ok.token,
                st.config.session_max_hours * 3600,
            )) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(e) => {
            let mut r = login_form(&ctx, &f.username, &f.tiep, Some(&e));
            *r.status_mut() = e.error_code().status();
            Ok(r)
        }
    }
}

/// `POST /dang-xuat`.
pub async fn logout(
    State(st): State<AppState>,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<super::page::NoFields>,
) -> PageResult {
    let mut parts = axum::http::Request::new(()).into_parts().0;
    parts.headers = headers;
    if let Some(t) = crate::http::extract::token(&parts) {
        let _ = session::logout(&st, &t).await;
    }
    let mut r = see_other("/");
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&st, "", 0)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

fn staff(ctx: &Ctx) -> Result<&crate::service::account::session::Actor, PageError> {
    let a = ctx.need()?;
    if a.role == Role::Citizen {
        return Err(AppError::with(ErrorCode::Forbidden, "for officers").into());
    }
    Ok(a)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    list: String,
}

/// `/can-bo`: the work lists with their counts, and the chosen list.
pub async fn worklist(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<ListQuery>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let list = q.map(|AppQuery(q)| q.list).unwrap_or_default();
    let list = if list.is_empty() {
        "mine".to_owned()
    } else {
        list
    };
    let counts = dsvc::worklist_counts(&st, actor).await?;
    let wl = dsvc::work_list(&st, actor, &list)?;
    let page = match dsvc::list(
        &st,
        actor,
        DossierFilter {
            list: Some(wl),
            limit: 100,
            ..DossierFilter::default()
        },
        &ctx.rid,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return Err(e.into()),
    };
    let tabs = counts
        .iter()
        .map(|c| {
            let label = if c.key == "pool" && actor.role == Role::Leader {
                ctx.t("Chờ phê duyệt", "Awaiting approval")
            } else {
                ctx.t(c.vi, c.en)
            };
            (c.key, label, c.count)
        })
        .collect();
    let rows = page
        .items
        .iter()
        .map(|v| ListRow {
            code: v.code.clone(),
            procedure: v.procedure["name"].as_str().unwrap_or("").to_owned(),
            applicant: v.applicant["name"].as_str().unwrap_or("").to_owned(),
            step: v
                .current_step
                .as_ref()
                .and_then(|s| s["name"].as_str().map(str::to_owned))
                .unwrap_or_default(),
            late: v
                .current_step
                .as_ref()
                .is_some_and(|s| s["late"].as_bool() == Some(true)),
            due: v.due_vi.clone().unwrap_or_else(|| "—".into()),
            status_code: v.status.code,
            status: ctx.t(v.status.vi, v.status.en),
        })
        .collect();
    let body = WorklistPage {
        ctx: &ctx,
        actor,
        agency: actor.agency.as_ref().map_or("", |a| a.name.as_str()),
        list: &list,
        tabs,
        title: WORK_LISTS
            .iter()
            .find(|(k, _, _)| *k == list)
            .map_or("", |(_, vi, en)| ctx.t(vi, en)),
        rows,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Việc cần làm", "Work lists"), &body))
}

/// A dossier in a work list.
struct ListRow {
    code: String,
    procedure: String,
    applicant: String,
    step: String,
    late: bool,
    due: String,
    status_code: i16,
    status: &'static str,
}

#[derive(askama::Template)]
#[template(path = "officer/worklist.html")]
struct WorklistPage<'a> {
    ctx: &'a Ctx,
    actor: &'a crate::service::account::session::Actor,
    agency: &'a str,
    list: &'a str,
    tabs: Vec<(&'a str, &'a str, i64)>,
    title: &'a str,
    rows: Vec<ListRow>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct IntakeQuery {
    thu_tuc: String,
    q: String,
}

#[derive(askama::Template)]
#[template(path = "officer/intake_search.html")]
struct IntakeSearch<'a> {
    ctx: &'a Ctx,
    q: &'a str,
    rows: &'a [procedures::ProcedureRow],
}

fn intake_search(
    ctx: &Ctx,
    q: &str,
    rows: &[procedures::ProcedureRow],
) -> Result<String, AppError> {
    IntakeSearch { ctx, q, rows }
        .render()
        .map_err(|e| AppError::Internal(e.into()))
}

/// What the intake form holds (kept on errors so nothing typed is lost).
#[derive(Default)]
struct IntakeForm {
    /// "Find digitized documents" was pressed (or Enter in a field): show the offers, create nothing.
    check: bool,
    /// Earlier documents of the applicant chosen for reuse.
    reuse: Vec<i64>,
    offers: Vec<documents::Offer>,
    csrf: String,
    procedure: String,
    qr: String,
    name: String,
    id_number: String,
    phone: String,
    address: String,
    summary: String,
    documents: Vec<u32>,
}

#[derive(askama::Template)]
#[template(path = "officer/intake.html")]
struct IntakePage<'a> {
    ctx: &'a Ctx,
    p: &'a procedures::ProcedureFull,
    f: &'a IntakeForm,
    counter: Option<(String, String)>,
    error_box: String,
    offers: Vec<(&'a str, &'a dview::DocumentView)>,
    required: Vec<String>,
    /// Indexes (0-based) of the ticked checklist items.
    checked: Vec<usize>,
}

fn intake_form(
    ctx: &Ctx,
    p: &procedures::ProcedureFull,
    f: &IntakeForm,
    error: Option<&AppError>,
) -> Result<String, AppError> {
    let required = rules::required_documents(p.detail.as_deref());
    // Fee and time limit at the counter, from the catalog.
    let counter = p
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str::<motcua_domain::catalog::Detail>(d).ok())
        .and_then(|d| {
            d.channels
                .into_iter()
                .find(|c| c.channel == motcua_domain::catalog::Channel::InPerson)
        })
        .map(|c| {
            (
                motcua_domain::labels::fee(&c.fee, ctx.lang == super::Lang::En),
                motcua_domain::labels::time(c.time.as_ref(), ctx.lang == super::Lang::En),
            )
        });
    let checked = (0..required.len())
        .filter(|i| f.documents.contains(&u32::try_from(i + 1).unwrap_or(0)))
        .collect();
    IntakePage {
        ctx,
        p,
        f,
        counter,
        error_box: error
            .map(|e| ctx.error_box(e, "intake-error"))
            .unwrap_or_default(),
        offers: f
            .offers
            .iter()
            .flat_map(|o| o.reusable.iter().map(move |d| (o.component.as_str(), d)))
            .collect(),
        required,
        checked,
    }
    .render()
    .map_err(|e| AppError::Internal(e.into()))
}

/// `GET /can-bo/tiep-nhan`: pick the procedure, then the intake form.
pub async fn intake_page(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<IntakeQuery>, AppError>,
) -> PageResult {
    staff(&ctx)?;
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    if !q.thu_tuc.is_empty() {
        return match procedures::get(&st.db, &q.thu_tuc).await {
            Ok(Some(p)) => {
                let b = intake_form(&ctx, &p, &IntakeForm::default(), None)?;
                Ok(ctx.page(ctx.t("Tiếp nhận hồ sơ", "Counter intake"), &b))
            }
            Ok(None) => Err(AppError::code(ErrorCode::ProcedureNotFound).into()),
            Err(e) => Err(e.into()),
        };
    }
    let rows = if q.q.trim().is_empty() {
        Vec::new()
    } else {
        match procedures::search(
            &st.db,
            &ProcedureFilter {
                q: Some(q.q.clone()),
                limit: 20,
                ..Default::default()
            },
        )
        .await
        {
            Ok((_, r)) => r,
            Err(e) => return Err(e.into()),
        }
    };
    Ok(ctx.page(
        ctx.t("Tiếp nhận hồ sơ", "Counter intake"),
        &intake_search(&ctx, &q.q, &rows)?,
    ))
}

/// `POST /can-bo/tiep-nhan`: receives the dossier (status 2) and opens it, with the receipt ready to print.
pub async fn intake_post(State(st): State<AppState>, ctx: Ctx, body: Bytes) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let mut f: IntakeForm = parse_intake(&body)?;
    if let Err(e) = ctx.check_csrf(&f.csrf) {
        return Err(e.into());
    }
    let p = match procedures::get(&st.db, &f.procedure).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(AppError::code(ErrorCode::ProcedureNotFound).into()),
        Err(e) => return Err(e.into()),
    };
    // The scanner's text fills what the officer left blank (without JavaScript the server reads it).
    if !f.qr.trim().is_empty() {
        match motcua_domain::qr::CardQr::parse(f.qr.trim()) {
            Ok(card) => {
                if f.name.trim().is_empty() {
                    f.name = card.name.clone();
                }
                if f.id_number.trim().is_empty() {
                    f.id_number = card.id.expose().to_owned();
                }
                if f.address.trim().is_empty() {
                    f.address = card.address;
                }
            }
            Err(e) => {
                let e = AppError::from(e);
                let body = intake_form(&ctx, &p, &f, Some(&e))?;
                return Ok(ctx.page_after(
                    ctx.t("Tiếp nhận hồ sơ", "Counter intake"),
                    &body,
                    Some(&e),
                ));
            }
        }
    }
    if f.check {
        let found = documents::offers_for(&st, &actor, &p.row.code, f.id_number.trim()).await;
        let error = match found {
            Ok(o) => {
                f.offers = o;
                None
            }
            Err(e) => Some(e),
        };
        let body = intake_form(&ctx, &p, &f, error.as_ref())?;
        return Ok(ctx.page_after(
            ctx.t("Tiếp nhận hồ sơ", "Counter intake"),
            &body,
            error.as_ref(),
        ));
    }
    let input = CreateDossier {
        procedure: f.procedure.clone(),
        channel: Some("in_person".into()),
        applicant: ApplicantInput {
            kind: None,
            name: f.name.trim().to_owned(),
            id_number: f.id_number.trim().to_owned(),
            phone: Some(f.phone.trim().to_owned()).filter(|s| !s.is_empty()),
            address: Some(f.address.trim().to_owned()).filter(|s| !s.is_empty()),
        },
        summary: Some(f.summary.trim().to_owned()).filter(|s| !s.is_empty()),
        receiving_agency: None,
        competent_agency: None,
        documents: Some(f.documents.clone()),
        case: None,
    };
    match dsvc::create_with_reuse(&st, &actor, input, &f.reuse, &ctx.rid).await {
        Ok(v) => Ok(see_other(&format!(
            "/can-bo/ho-so/{}?moi=1",
            url_enc(&v.code)
        ))),
        Err(e) => {
            let body = intake_form(&ctx, &p, &f, Some(&e))?;
            Ok(ctx.page_after(ctx.t("Tiếp nhận hồ sơ", "Counter intake"), &body, Some(&e)))
        }
    }
}

fn parse_intake(body: &[u8]) -> Result<IntakeForm, AppError> {
    let pairs: Vec<(String, String)> = form(body)?;
    let mut f = IntakeForm::default();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => f.csrf = v,
            "procedure" => f.procedure = v,
            "qr" => f.qr = v,
            "name" => f.name = v,
            "id_number" => f.id_number = v,
            "phone" => f.phone = v,
            "address" => f.address = v,
            "summary" => f.summary = v,
            "documents" => {
                if let Ok(n) = v.parse() {
                    f.documents.push(n);
                }
            }
            "reuse" => {
                if let Ok(n) = v.parse() {
                    f.reuse.push(n);
                }
            }
            "kiem_tra" => f.check = v == "1",
            _ => {}
        }
    }
    Ok(f)
}

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
struct Kept {
    action: String,
    note: String,
    assignee: String,
    missing: String,
    amount: String,
    receiver: String,
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
    required: &'a [String],
    /// The note field: its label and whether it is required.
    note: Option<(&'a str, bool)>,
}

fn action_form(
    ctx: &Ctx,
    v: &DossierView,
    a: Action,
    required: &[String],
    refused: Option<&(AppError, Kept)>,
) -> Result<String, AppError> {
    let blank = Kept::default();
    let mine = refused.filter(|(_, k)| k.action == a.as_str());
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
        Action::RequestPayment => (Kind::Payment, Some((ctx.t("Nội dung", "Details"), false))),
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
    ActionForm {
        ctx,
        open: mine.is_some(),
        error_box: mine
            .map(|(e, _)| ctx.error_box(e, "action-error"))
            .unwrap_or_default(),
        kept: mine.map_or(&blank, |(_, k)| k),
        code: &v.code,
        k: a.as_str(),
        label: ctx.t(a.vi(), a.en()),
        kind,
        required,
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
async fn dossier_page(
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
    let detail = procedures::get(&st.db, &pcode)
        .await?
        .and_then(|p| p.detail);
    let required = rules::required_documents(detail.as_deref());
    // Actions allowed now, from the same rule the API applies.
    let actions = v
        .allowed_actions
        .iter()
        .filter_map(|a| Action::parse(a))
        .map(|a| action_form(&ctx, &v, a, &required, refused.as_ref()))
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
    let b = DossierPage {
        ctx: &ctx,
        fresh,
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
    let new_due = match (get("new_date"), get("new_time")) {
        (Some(d), Some(t)) if !d.is_empty() => Some(format!("{d}T{t}:00+07:00")),
        _ => None,
    };
    let amount = match get("amount").filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => match a.replace(['.', ' '], "").parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                return Err(AppError::field(
                    "amount",
                    "Số tiền là số nguyên (đồng)",
                    "the amount is a whole number of đồng",
                )
                .into())
            }
        },
    };
    let input = process::ActInput {
        action,
        note: get("note").unwrap_or_default(),
        assignee: get("assignee").filter(|a| !a.is_empty()),
        documents: Some(
            pairs
                .iter()
                .filter(|(k, _)| k == "documents")
                .filter_map(|(_, v)| v.parse().ok())
                .collect(),
        ),
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
    };
    if input.note.chars().count() > 2000 {
        return Err(AppError::field(
            "note",
            "Ghi chú tối đa 2000 ký tự",
            "the note is at most 2000 characters",
        )
        .into());
    }
    let kept = Kept {
        action: input.action.clone(),
        note: input.note.clone(),
        assignee: input.assignee.clone().unwrap_or_default(),
        missing: get("missing").unwrap_or_default(),
        amount: get("amount").unwrap_or_default(),
        receiver: input.receiver_name.clone().unwrap_or_default(),
    };
    match process::act(&st, &actor, &code, &input, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!("{back}?xong={}", url_enc(&kept.action)))),
        // A dossier out of reach stays the error page; any other refusal comes back on the dossier page.
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => dossier_page(&st, &ctx, &actor, &code, (false, None), Some((e, kept))).await,
    }
}

/// Reads a multipart upload: CSRF, component, result flag and the file.
pub fn read_upload(
    ctx: &Ctx,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(String, bool, multipart::Part), AppError> {
    let bad = || {
        AppError::with(
            ErrorCode::BadRequest,
            "expected a multipart form with a file",
        )
    };
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multipart::boundary(ct).ok_or_else(bad)?;
    let parts = multipart::parse(body, &boundary).ok_or_else(bad)?;
    ctx.check_csrf(multipart::text(&parts, "csrf").unwrap_or(""))?;
    let component = multipart::text(&parts, "component")
        .unwrap_or("")
        .trim()
        .to_owned();
    if component.is_empty() {
        return Err(AppError::field(
            "component",
            "Chọn hoặc nhập tên thành phần hồ sơ của tệp",
            "choose or type which document the file is",
        ));
    }
    let result = multipart::text(&parts, "result") == Some("1");
    let file = parts
        .into_iter()
        .find(|p| p.name == "file" && p.file_name.is_some() && !p.data.is_empty())
        .ok_or_else(|| {
            AppError::field("file", "Chọn tệp cần tải lên", "choose a file to upload")
        })?;
    Ok((component, result, file))
}

/// `POST /can-bo/ho-so/{code}/tai-lieu`: uploads a component or a result (multipart, no JavaScript needed).
pub async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let (component, result, file) = read_upload(&ctx, &headers, &body)?;
    let meta = documents::UploadMeta {
        component,
        name: file.file_name.clone(),
        result,
    };
    match documents::upload(
        &st,
        &actor,
        &code,
        meta,
        file.content_type.as_deref(),
        &file.data,
        &ctx.rid,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/can-bo/ho-so/{}", url_enc(&code)))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /can-bo/ho-so/{code}/tep/{id}`: a document, shown in the browser; reading it is logged.
pub async fn file(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, i64)>, AppError>,
) -> PageResult {
    let actor = ctx.need()?;
    let Ok(AppPath((code, id))) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    match documents::download(&st, actor, &code, id, &ctx.rid).await {
        Ok((ct, name, bytes)) => Ok((
            [
                (header::CONTENT_TYPE, ct),
                (
                    header::CONTENT_DISPOSITION,
                    super::disposition("inline", &name),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Sign-in and the officers' workspace: work lists, counter intake, dossier actions and files.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/dang-nhap", get(login_page).post(login_post))
        .route("/dang-xuat", post(logout))
        .route("/can-bo", get(worklist))
        .route("/can-bo/tiep-nhan", get(intake_page).post(intake_post))
        .route("/can-bo/ho-so/{code}", get(dossier))
        .route("/can-bo/ho-so/{code}/xu-ly", post(act))
        .route("/can-bo/ho-so/{code}/tai-lieu", post(upload))
        .route("/can-bo/ho-so/{code}/tep/{id}", get(file))
}
