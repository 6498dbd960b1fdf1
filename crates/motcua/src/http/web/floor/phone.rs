//! The QR poster's pages on the citizen's phone: take a number, follow it live, or book a time.

use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery, ClientIp};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, url_enc, when, Ctx};
use crate::service::queue::{self as q, tickets};
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::queue::{self as qstore, ServiceRow};
use askama::Template;
use axum::extract::State;
use motcua_domain::calendar::VN;
use motcua_domain::queue::{Priority, Source};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TakeForm {
    csrf: String,
    service: String,
    priority: String,
    phone: String,
}

#[derive(askama::Template)]
#[template(path = "floor/phone_choose.html")]
struct Choose<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    center_id: &'a str,
    error_box: String,
    services: Vec<(ServiceRow, String)>,
    priorities: Vec<(&'static str, &'static str, &'static str)>,
    f: &'a TakeForm,
}

async fn choose_page(
    st: &AppState,
    ctx: &Ctx,
    c: &AgencyRow,
    f: &TakeForm,
    error: Option<&AppError>,
) -> PageResult {
    let services: Vec<ServiceRow> = qstore::services_of(&st.db, c.id)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let live = q::level::live(st, c).await?;
    let waits: Vec<String> = services
        .iter()
        .map(|s| {
            let l = live.iter().find(|l| l.service_id == Some(s.id));
            let (n, w) = l.map_or((0, 0.0), |l| (l.waiting, l.projected_wait_minutes));
            format!(
                "{} {} · {} {} {}",
                n,
                ctx.t("người chờ", "waiting"),
                ctx.t("khoảng", "about"),
                w.round(),
                ctx.t("phút", "min")
            )
        })
        .collect();
    let b = Choose {
        ctx,
        center: &c.name,
        center_id: &c.identifier,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        services: services.into_iter().zip(waits).collect(),
        priorities: Priority::ALL
            .iter()
            .map(|p| (p.code(), p.label().0, p.label().1))
            .collect(),
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Lấy số thứ tự", "Take a number"), &b, error))
}

/// `GET /xep-hang/{center}`: the services, each with its wait now.
pub async fn choose(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    choose_page(&st, &ctx, &c, &TakeForm::default(), None).await
}

/// `POST /xep-hang/{center}`: takes the number and opens its live page.
pub async fn take(
    State(st): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    AppPath(id): AppPath<String>,
    CsrfForm(f): CsrfForm<TakeForm>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    let Ok(service) = f.service.trim().parse::<i64>() else {
        let e = AppError::field("service", "Chọn một dịch vụ", "choose a service");
        return choose_page(&st, &ctx, &c, &f, Some(&e)).await;
    };
    let priority = match q::parse_priority(Some(&f.priority)) {
        Ok(p) => p,
        Err(e) => return choose_page(&st, &ctx, &c, &f, Some(&e)).await,
    };
    let t = tickets::Take {
        center: &c,
        service: service.into(),
        source: Source::Phone,
        priority,
        procedure: None,
        person: None,
        assisted_by: None,
        actor: None,
        appointment_at: None,
        client: ip,
        notify_phone: Some(f.phone.clone()),
    };
    match tickets::take(&st, t, &ctx.rid).await {
        Ok(t) => Ok(see_other(&format!(
            "/xep-hang/ve/{}",
            url_enc(&t.ticket.token)
        ))),
        Err(e) if e.error_code() == ErrorCode::Internal => Err(e.into()),
        Err(e) => choose_page(&st, &ctx, &c, &f, Some(&e)).await,
    }
}

#[derive(askama::Template)]
#[template(path = "floor/phone_ticket.html")]
struct TicketPage<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    s: &'a q::TicketStatus,
    token: &'a str,
    appointment: Option<String>,
}

/// `GET /xep-hang/ve/{token}`: the number, its position and expected wait, updated live.
pub async fn ticket(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(token): AppPath<String>,
) -> PageResult {
    let (t, s) = tickets::by_token(&st, &token).await?;
    let c = crate::store::agencies::by_id(&st.db, t.agency_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))?;
    let b = TicketPage {
        ctx: &ctx,
        center: &c.name,
        s: &s,
        token: &t.token,
        appointment: t.appointment_at.map(when),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Số thứ tự của bạn", "Your number"), &b))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct BookQuery {
    dich_vu: String,
    ngay: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct BookForm {
    csrf: String,
    service: String,
    day: String,
    at: String,
}

#[derive(askama::Template)]
#[template(path = "floor/phone_book.html")]
struct Book<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    center_id: &'a str,
    error_box: String,
    services: Vec<ServiceRow>,
    service: &'a str,
    service_name: String,
    day: &'a str,
    slots: Vec<(String, String, i64)>,
}

fn parse_day(s: &str) -> Option<time::Date> {
    let mut it = s.trim().split(['/', '-', '.']);
    let (d, m, y) = (
        it.next()?.parse().ok()?,
        it.next()?.parse::<u8>().ok()?,
        it.next()?.parse().ok()?,
    );
    time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// Why a day has no free appointment time, in the citizen's terms.
fn why_no_slot(st: &AppState, d: time::Date, any: bool) -> AppError {
    let today = st.clock.now().to_offset(VN).date();
    let (vi, en) = if d < today {
        ("Ngày này đã qua", "this day is past")
    } else if d > today + time::Duration::days(tickets::BOOK_DAYS) {
        (
            "Chỉ đặt lịch trong 14 ngày tới",
            "book within the next 14 days",
        )
    } else if !st.calendar().is_working_day(d) {
        (
            "Ngày này Trung tâm nghỉ (thứ Bảy, Chủ nhật hoặc ngày lễ)",
            "the center is closed that day (weekend or holiday)",
        )
    } else if any {
        (
            "Ngày này đã kín lịch hẹn, vui lòng chọn ngày khác",
            "that day is fully booked; choose another",
        )
    } else {
        (
            "Ngày này không còn giờ nhận lịch hẹn (giờ làm việc đã qua)",
            "no appointment times left that day (office hours are over)",
        )
    };
    AppError::field("day", vi, en)
}

async fn book_page(
    st: &AppState,
    ctx: &Ctx,
    c: &AgencyRow,
    (service, day): (&str, &str),
    error: Option<&AppError>,
) -> PageResult {
    let services: Vec<ServiceRow> = qstore::services_of(&st.db, c.id)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let mut slots = Vec::new();
    let mut error_owned = None;
    let searched = !day.trim().is_empty() || !service.is_empty();
    if searched && day.trim().is_empty() {
        error_owned = Some(AppError::field(
            "day",
            "Nhập ngày muốn đến (dd/mm/yyyy)",
            "type the day you want to come (dd/mm/yyyy)",
        ));
    } else if searched {
        match (service.parse::<i64>(), parse_day(day)) {
            (Ok(s), Some(d)) => {
                for slot in tickets::slots(st, c, s.into(), d).await? {
                    let l = slot.at.to_offset(VN);
                    let value = slot
                        .at
                        .format(&time::format_description::well_known::Rfc3339)
                        .map_err(anyhow::Error::from)?;
                    slots.push((
                        value,
                        format!("{:02}:{:02}", l.hour(), l.minute()),
                        slot.free,
                    ));
                }
                if slots.iter().all(|s| s.2 == 0) {
                    error_owned = Some(why_no_slot(st, d, !slots.is_empty()));
                    slots.clear();
                }
            }
            (_, None) => error_owned = Some(AppError::field(
                "day",
                "Ngày không đúng hoặc không có thật; nhập theo dạng dd/mm/yyyy, ví dụ 03/12/2026",
                "not a real day; type it as dd/mm/yyyy, e.g. 03/12/2026",
            )),
            (Err(_), _) => {
                error_owned = Some(AppError::field(
                    "service",
                    "Chọn một dịch vụ",
                    "choose a service",
                ))
            }
        }
    }
    let error = error.or(error_owned.as_ref());
    let b = Book {
        ctx,
        center: &c.name,
        center_id: &c.identifier,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        service_name: services
            .iter()
            .find(|s| s.id.to_string() == service)
            .map(|s| format!("{} · {}", s.letter, s.name))
            .unwrap_or_default(),
        services,
        service,
        day,
        slots,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Đặt lịch hẹn", "Book an appointment"), &b, error))
}

/// `GET /xep-hang/{center}/dat-lich`: a signed-in citizen picks a service, a day and a free time.
pub async fn book_get(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
    qy: Result<AppQuery<BookQuery>, AppError>,
) -> PageResult {
    ctx.need()?;
    let c = q::center(&st, &id).await?;
    let qy = qy.map(|AppQuery(q)| q).unwrap_or_default();
    book_page(&st, &ctx, &c, (&qy.dich_vu, &qy.ngay), None).await
}

/// `POST /xep-hang/{center}/dat-lich`: books the time and opens the ticket's page.
pub async fn book_post(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
    CsrfForm(f): CsrfForm<BookForm>,
) -> PageResult {
    let actor = ctx.need()?.clone();
    let c = q::center(&st, &id).await?;
    let at = time::OffsetDateTime::parse(&f.at, &time::format_description::well_known::Rfc3339)
        .map_err(|_| AppError::field("slot", "Chọn một giờ còn trống", "choose a free time"));
    let result = match (at, f.service.parse::<i64>()) {
        (Ok(at), Ok(s)) => tickets::book(&st, &actor, &c.identifier, s.into(), at, &ctx.rid).await,
        (Err(e), _) => Err(e),
        (_, Err(_)) => Err(AppError::field(
            "service",
            "Chọn một dịch vụ",
            "choose a service",
        )),
    };
    match result {
        Ok(t) => Ok(see_other(&format!(
            "/xep-hang/ve/{}",
            url_enc(&t.ticket.token)
        ))),
        Err(e) if e.error_code() == ErrorCode::Internal => Err(e.into()),
        Err(e) => book_page(&st, &ctx, &c, (&f.service, &f.day), Some(&e)).await,
    }
}
