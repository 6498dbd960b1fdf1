//! Counter intake: find the procedure, fill in the applicant and the checklist, receive the dossier (or refuse with the missing papers listed).

use super::checklist::{raw_table, CheckView};
use super::staff;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppQuery;
use crate::http::web::page::PageResult;
use crate::http::web::{form, see_other, url_enc, Ctx};
use crate::service::dossier::documents;
use crate::service::dossier::dossiers::{self as dsvc, ApplicantInput, CreateDossier};
use crate::service::dossier::rules;
use crate::service::dossier::view as dview;
use crate::state::AppState;
use crate::store::procedures::{self, ProcedureFilter};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct IntakeQuery {
    thu_tuc: String,
    q: String,
    /// The queue ticket of the person at the counter (its kiosk read prefills the form).
    ve: String,
}

#[derive(askama::Template)]
#[template(path = "officer/intake_search.html")]
struct IntakeSearch<'a> {
    ctx: &'a Ctx,
    q: &'a str,
    rows: &'a [procedures::ProcedureRow],
    ve: &'a str,
}

fn intake_search(
    ctx: &Ctx,
    (q, ve): (&str, &str),
    rows: &[procedures::ProcedureRow],
) -> Result<String, AppError> {
    IntakeSearch { ctx, q, rows, ve }
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
    document_case: String,
    /// The queue ticket's id, and its label to show.
    ticket: String,
    ticket_label: String,
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
    check: CheckView,
    /// The time limit the dossier would get, and where from; `None`: none is set, intake would be refused.
    limit: Option<String>,
}

/// The checklist of a procedure at this officer's counter (the province's correction when it made one).
async fn counter_checklist(
    st: &AppState,
    actor: &crate::service::account::session::Actor,
    p: &procedures::ProcedureFull,
) -> Result<Counter, AppError> {
    let province = rules::province_of_actor(st, actor).await?;
    let list = rules::counter_checklist(st, actor, &p.row.code, p.detail.as_deref()).await?;
    let limit = rules::limit_preview(
        st,
        (&p.row.code, &p.row.field),
        p.detail.as_deref(),
        &province,
    )
    .await?;
    Ok(Counter { list, limit })
}

/// What the counter needs besides the form: the checklist in force and the limit a dossier would get.
struct Counter {
    list: motcua_domain::checklist::Checklist,
    limit: Option<(
        motcua_domain::calendar::TimeLimit,
        motcua_domain::workflow::LimitSource,
    )>,
}

fn intake_form(
    ctx: &Ctx,
    (p, c): (&procedures::ProcedureFull, &Counter),
    f: &IntakeForm,
    error: Option<&AppError>,
) -> Result<String, AppError> {
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
                motcua_domain::labels::fee(&c.fee, ctx.lang == crate::http::web::Lang::En),
                motcua_domain::labels::time(
                    c.time.as_ref(),
                    ctx.lang == crate::http::web::Lang::En,
                ),
            )
        });
    let en = ctx.lang == crate::http::web::Lang::En;
    let limit = c.limit.map(|(l, source)| {
        let time = motcua_domain::labels::time(Some(&l), en);
        match source {
            motcua_domain::workflow::LimitSource::Catalog => time,
            s => format!("{time} ({})", ctx.t(s.vi(), s.en())),
        }
    });
    let check = CheckView::new(
        ctx,
        &c.list,
        (&f.document_case, &f.documents),
        raw_table(p.raw.as_deref()),
    );
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
        check,
        limit,
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
    let actor = staff(&ctx)?;
    let mut q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let mut f = IntakeForm::default();
    if let Ok(id) = q.ve.parse::<i64>() {
        let t = crate::service::queue::counter::ticket_of(&st, actor, id.into()).await?;
        if q.thu_tuc.is_empty() {
            q.thu_tuc = t.procedure_code.clone().unwrap_or_default();
        }
        if let Some(person) = crate::service::queue::tickets::person_of(&st, &t)? {
            f.name = person.name;
            f.id_number = person.id_number;
            f.address = person.address;
        }
        f.ticket = t.id.to_string();
        f.ticket_label = t.label();
    }
    if !q.thu_tuc.is_empty() {
        return match procedures::get(&st.db, &q.thu_tuc).await {
            Ok(Some(p)) => {
                let counter = counter_checklist(&st, actor, &p).await?;
                let b = intake_form(&ctx, (&p, &counter), &f, None)?;
                Ok(ctx.page(ctx.t("Tiếp nhận hồ sơ", "Counter intake"), &b))
            }
            Ok(None) => Err(AppError::code(ErrorCode::ProcedureNotFound).into()),
            Err(e) => Err(e.into()),
        };
    }
    let rows = if q.q.trim().is_empty() {
        Vec::new()
    } else {
        match crate::service::catalog::search::find(
            &st.search,
            &st.db,
            &ProcedureFilter {
                q: Some(q.q.clone()),
                limit: 20,
                ..Default::default()
            },
            crate::service::catalog::search::level_of(actor),
        )
        .await
        {
            Ok((_, r)) => r,
            Err(e) => return Err(e.into()),
        }
    };
    Ok(ctx.page(
        ctx.t("Tiếp nhận hồ sơ", "Counter intake"),
        &intake_search(&ctx, (&q.q, &q.ve), &rows)?,
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
    let counter = counter_checklist(&st, &actor, &p).await?;
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
                    // The printed address kept, today's ward beside it (a pre-reform card names the old one).
                    let units =
                        match crate::service::catalog::idcard::resolve(&st, &card.address).await {
                            Ok(u) => u,
                            Err(e) => return Err(e.into()),
                        };
                    let now: Vec<&str> = units
                        .iter()
                        .map(|u| u.name.as_str())
                        .filter(|n| !card.address.contains(n))
                        .collect();
                    f.address = if now.is_empty() {
                        card.address
                    } else {
                        format!("{} (nay: {})", card.address, now.join(" hoặc "))
                    };
                }
            }
            Err(e) => {
                let e = AppError::from(e);
                let body = intake_form(&ctx, (&p, &counter), &f, Some(&e))?;
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
        let body = intake_form(&ctx, (&p, &counter), &f, error.as_ref())?;
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
        document_case: Some(f.document_case.clone()).filter(|c| !c.is_empty()),
        ticket: f.ticket.trim().parse::<i64>().ok().map(Into::into),
    };
    match dsvc::create_with_reuse(&st, &actor, input, &f.reuse, &ctx.rid).await {
        Ok(v) => Ok(see_other(&format!(
            "/can-bo/ho-so/{}?moi=1",
            url_enc(&v.code)
        ))),
        Err(e) => {
            let body = intake_form(&ctx, (&p, &counter), &f, Some(&e))?;
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
            "document_case" => f.document_case = v,
            "ticket" => f.ticket = v,
            "ticket_label" => f.ticket_label = v,
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
