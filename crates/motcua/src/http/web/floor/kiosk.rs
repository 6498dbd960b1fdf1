//! The kiosk: scan the card (or type the number) → choose the procedure → the ticket, with the queue slip and the
//! declaration prefilled to print. Every page goes back to the start after a minute untouched; the person's data
//! travels in the page's own form fields and is kept on the ticket only sealed.

use super::{other_lang, page, Frame};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, ClientIp};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{disposition, url_enc, Ctx};
use crate::service::queue::{self as q, kiosk, tickets};
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::procedures::ProcedureRow;
use crate::store::queue::{self as qstore, ServiceRow};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use motcua_domain::queue::{Priority, Source};
use serde::Deserialize;

/// What the kiosk's forms carry from page to page.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct Carry {
    csrf: String,
    qr: String,
    id_number: String,
    name: String,
    assisted_by: String,
    q: String,
    field: String,
    procedure: String,
    service: String,
    priority: String,
}

#[derive(Default)]
struct StartForm {
    id_number: String,
    name: String,
    assisted_by: String,
    typed: bool,
}

#[derive(askama::Template)]
#[template(path = "floor/kiosk_start.html")]
struct Start<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    center_id: &'a str,
    other: &'a str,
    other_label: &'a str,
    here: String,
    error_box: String,
    f: &'a StartForm,
}

fn frame(c: &AgencyRow, reset: bool) -> Frame<'static> {
    Frame {
        class: "kiosk",
        // The next person starts in Vietnamese.
        reset: reset.then(|| format!("/ngon-ngu?l=vi&tiep=/ki-ot/{}", url_enc(&c.identifier))),
        data: Vec::new(),
    }
}

fn start_page(ctx: &Ctx, c: &AgencyRow, f: &StartForm, error: Option<&AppError>) -> PageResult {
    let (other, other_label) = other_lang(ctx);
    let body = Start {
        ctx,
        center: &c.name,
        center_id: &c.identifier,
        other,
        other_label,
        here: url_enc(&format!("/ki-ot/{}", c.identifier)),
        error_box: error
            .map(|e| ctx.error_box(e, "kiosk-error"))
            .unwrap_or_default(),
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    // The start page resets too when someone left a helper's name or a refusal on it.
    let dirty = error.is_some() || !f.assisted_by.is_empty();
    let mut r = page(ctx, ctx.t("Ki-ốt lấy số", "Kiosk"), &frame(c, dirty), &body);
    if let Some(e) = error {
        *r.status_mut() = e.error_code().status();
    }
    Ok(r)
}

/// `GET /ki-ot/{center}`: the kiosk's start.
pub async fn start(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    start_page(&ctx, &c, &StartForm::default(), None)
}

/// `POST /ki-ot/{center}/ho-tro`: records who helps the person (kept in the page's forms, never in the address).
pub async fn helper(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
    CsrfForm(f): CsrfForm<Carry>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    let assisted_by: String = f.assisted_by.trim().chars().take(120).collect();
    start_page(
        &ctx,
        &c,
        &StartForm {
            assisted_by,
            ..StartForm::default()
        },
        None,
    )
}

async fn person_of(st: &AppState, f: &Carry) -> Result<Option<tickets::KioskPerson>, AppError> {
    if !f.qr.trim().is_empty() {
        return kiosk::from_qr(st, &f.qr).await.map(Some);
    }
    if !f.id_number.trim().is_empty() || !f.name.trim().is_empty() {
        return kiosk::from_typed(&f.id_number, &f.name).map(Some);
    }
    Ok(None)
}

#[derive(askama::Template)]
#[template(path = "floor/kiosk_pick.html")]
struct Pick<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    center_id: &'a str,
    person: Option<tickets::KioskPerson>,
    error_box: String,
    c: &'a Carry,
    q: &'a str,
    field: &'a str,
    fields: Vec<String>,
    rows: Vec<ProcedureRow>,
    services: Vec<ServiceRow>,
    priorities: Vec<(&'static str, &'static str, &'static str)>,
    elderly_suggested: bool,
}

async fn pick_page(
    st: &AppState,
    ctx: &Ctx,
    c: &AgencyRow,
    f: &Carry,
    error: Option<&AppError>,
) -> PageResult {
    let person = person_of(st, f).await.ok().flatten();
    // The card says the person is 60 or more (Law on the Elderly, art. 2): the priority is offered already chosen.
    let elderly_suggested = person
        .as_ref()
        .is_some_and(|p| kiosk::is_elderly(&p.birth_date, st.clock.now()));
    let mut f = f.clone();
    if elderly_suggested && f.priority.is_empty() && f.q.is_empty() && f.field.is_empty() {
        f.priority = Priority::Elderly.code().into();
    }
    let f = &f;
    let rows = kiosk::offer(st, c, &f.q, &f.field).await?;
    let body = Pick {
        ctx,
        center: &c.name,
        center_id: &c.identifier,
        person,
        error_box: error
            .map(|e| ctx.error_box(e, "kiosk-error"))
            .unwrap_or_default(),
        c: f,
        q: &f.q,
        field: &f.field,
        fields: kiosk::fields(st, c).await?,
        rows,
        services: qstore::services_of(&st.db, c.id)
            .await?
            .into_iter()
            .filter(|s| s.active)
            .collect(),
        priorities: Priority::ALL
            .iter()
            .map(|p| (p.code(), p.label().0, p.label().1))
            .collect(),
        elderly_suggested,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    let mut r = page(
        ctx,
        ctx.t("Chọn thủ tục", "Choose the procedure"),
        &frame(c, true),
        &body,
    );
    if let Some(e) = error {
        *r.status_mut() = e.error_code().status();
    }
    Ok(r)
}

/// `POST /ki-ot/{center}/nguoi`: the card scanned (or the number typed) → the procedures.
pub async fn person(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
    CsrfForm(f): CsrfForm<Carry>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    let read = match person_of(&st, &f).await {
        Ok(None) => Err(AppError::field(
            "qr",
            "Chưa đọc được thẻ: đặt mặt có mã QR của thẻ vào đầu đọc, hoặc nhập số định danh",
            "no card read yet: hold the QR side of the card to the reader, or type your ID number",
        )),
        other => other,
    };
    match read {
        Ok(_) => pick_page(&st, &ctx, &c, &f, None).await,
        Err(e) => {
            // The typed number and name stay; a scan that failed is scanned again.
            let typed = f.qr.trim().is_empty();
            let back = StartForm {
                id_number: f.id_number.clone(),
                name: f.name.clone(),
                assisted_by: f.assisted_by.clone(),
                typed,
            };
            start_page(&ctx, &c, &back, Some(&e))
        }
    }
}

/// `GET /ki-ot/{center}/chon`: the procedures without a card (a number only).
pub async fn pick_get(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    pick_page(&st, &ctx, &c, &Carry::default(), None).await
}

/// `POST /ki-ot/{center}/chon`: search or a field chosen.
pub async fn pick_post(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
    CsrfForm(f): CsrfForm<Carry>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    pick_page(&st, &ctx, &c, &f, None).await
}

#[derive(askama::Template)]
#[template(path = "floor/kiosk_ticket.html")]
struct TicketPage<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    center_id: &'a str,
    s: &'a q::TicketStatus,
    token: &'a str,
    declaration: bool,
    priority: Option<&'a str>,
}

/// `POST /ki-ot/{center}/ve`: takes the ticket for the procedure's service (or the service chosen).
pub async fn take(
    State(st): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    AppPath(id): AppPath<String>,
    CsrfForm(f): CsrfForm<Carry>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    let result = take_for(&st, &ctx, &c, &f, ip).await;
    match result {
        Ok(r) => Ok(r),
        Err(e) if e.error_code() == ErrorCode::Internal => Err(e.into()),
        Err(e) => pick_page(&st, &ctx, &c, &f, Some(&e)).await,
    }
}

async fn take_for(
    st: &AppState,
    ctx: &Ctx,
    c: &AgencyRow,
    f: &Carry,
    ip: Option<std::net::IpAddr>,
) -> Result<Response, AppError> {
    let person = person_of(st, f).await?;
    let services = qstore::services_of(&st.db, c.id).await?;
    let procedure = Some(f.procedure.trim().to_owned()).filter(|p| !p.is_empty());
    let service = match (&procedure, f.service.trim().parse::<i64>().ok()) {
        (_, Some(s)) => s.into(),
        (Some(code), None) => {
            let p = crate::store::procedures::get(&st.db, code)
                .await?
                .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
            tickets::service_for(&services, &p.row.field)
                .or_else(|| services.iter().find(|s| s.active))
                .map(|s| s.id)
                .ok_or_else(|| {
                    AppError::field(
                        "service",
                        "Trung tâm chưa có dịch vụ xếp hàng",
                        "the center has no queue service yet",
                    )
                })?
        }
        (None, None) => {
            return Err(AppError::field(
                "procedure",
                "Chọn thủ tục hoặc dịch vụ",
                "choose a procedure or a service",
            ))
        }
    };
    let priority = q::parse_priority(Some(f.priority.as_str()))?;
    let has_declaration =
        person.as_ref().is_some_and(|p| !p.birth_date.is_empty()) && procedure.is_some();
    let taken = tickets::take(
        st,
        tickets::Take {
            notify_phone: None,
            center: c,
            service,
            source: Source::Kiosk,
            priority,
            procedure,
            person,
            assisted_by: Some(f.assisted_by.clone()),
            actor: None,
            appointment_at: None,
            client: ip,
        },
        &ctx.rid,
    )
    .await?;
    let body = TicketPage {
        ctx,
        center: &c.name,
        center_id: &c.identifier,
        s: &taken.status,
        token: &taken.ticket.token,
        declaration: has_declaration,
        priority: priority.map(|p| ctx.t(p.label().0, p.label().1)),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(page(
        ctx,
        ctx.t("Số thứ tự", "Your number"),
        &frame(c, true),
        &body,
    ))
}

fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            ("content-type", "application/pdf".to_owned()),
            ("content-disposition", disposition("inline", name)),
            ("cache-control", "no-store".to_owned()),
            // The kiosk's page prints it from a hidden frame of its own, and stays on its page.
            ("x-frame-options", "SAMEORIGIN".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn printable(st: &AppState, token: &str) -> Result<(AgencyRow, qstore::TicketRow), AppError> {
    let t = kiosk::printable(st, token).await?;
    let c = crate::store::agencies::by_id(&st.db, t.agency_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))?;
    Ok((c, t))
}

/// `GET /ki-ot/ve/{token}/so.pdf`: the queue slip.
pub async fn ticket_pdf(State(st): State<AppState>, AppPath(token): AppPath<String>) -> PageResult {
    let (c, t) = printable(&st, &token).await?;
    let b = kiosk::ticket_pdf(&st, &c, &t).await?;
    Ok(pdf(b, &format!("so-thu-tu-{}.pdf", t.label())))
}

/// `GET /ki-ot/ve/{token}/to-khai.pdf`: the declaration, prefilled from the card.
pub async fn declaration_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(token): AppPath<String>,
) -> PageResult {
    let (c, t) = printable(&st, &token).await?;
    let b = kiosk::declaration_pdf(&st, &c, &t, &ctx.rid).await?;
    Ok(pdf(b, &format!("to-khai-{}.pdf", t.label())))
}
