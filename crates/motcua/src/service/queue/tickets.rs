//! Taking a ticket (kiosk, QR poster, reception desk), booking an appointment, and where a ticket stands.

use super::{announce, audit, center, day_of, service_of, TicketStatus};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::queue::{self as qstore, NewTicket, ServiceRow, TicketRow};
use crate::store::{audit as astore, procedures};
use motcua_domain::calendar::VN;
use motcua_domain::ids::QueueServiceId;
use motcua_domain::queue::{Priority, Source};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// What a kiosk read from the ID card, kept sealed on the ticket so the counter can prefill the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskPerson {
    pub name: String,
    pub id_number: String,
    pub old_id: Option<String>,
    /// dd/mm/yyyy.
    pub birth_date: String,
    pub sex: String,
    /// As printed, with today's ward beside it when the card predates the reform.
    pub address: String,
    pub issued: Option<String>,
}

/// A ticket to take.
#[derive(Debug, Clone)]
pub struct Take<'a> {
    pub center: &'a AgencyRow,
    pub service: QueueServiceId,
    pub source: Source,
    pub priority: Option<Priority>,
    pub procedure: Option<String>,
    pub person: Option<KioskPerson>,
    /// Who filled in for the person at the kiosk ("day without writing").
    pub assisted_by: Option<String>,
    /// The staff member issuing it at the reception desk, or the citizen booking.
    pub actor: Option<&'a Actor>,
    pub appointment_at: Option<OffsetDateTime>,
    /// The client address of a kiosk or a phone (tickets per address and minute are limited).
    pub client: Option<std::net::IpAddr>,
    /// A mobile number to text when the turn is near (given on the phone page; optional).
    pub notify_phone: Option<String>,
}

/// A Vietnamese mobile number as typed ("0905 123 456", "+84905123456") in its 10-digit form, or a refusal.
pub fn mobile(s: &str) -> AppResult<String> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let national = match digits.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    };
    if national.len() == 10
        && national.starts_with('0')
        && national.bytes().all(|b| b.is_ascii_digit())
    {
        Ok(national)
    } else {
        Err(AppError::field(
            "phone",
            "Số điện thoại di động gồm 10 chữ số, ví dụ 0905 123 456",
            "a mobile number has 10 digits, e.g. 0905 123 456",
        ))
    }
}

/// A taken ticket and where it stands.
#[derive(Debug, Clone)]
pub struct Taken {
    pub ticket: TicketRow,
    pub status: TicketStatus,
}

/// The service that takes a procedure's field at a center: the first naming the field, else the first naming none.
pub fn service_for<'a>(services: &'a [ServiceRow], field: &str) -> Option<&'a ServiceRow> {
    let key = motcua_domain::text::search_key(field);
    let names = |s: &ServiceRow| {
        s.fields
            .lines()
            .any(|f| !f.trim().is_empty() && motcua_domain::text::search_key(f.trim()) == key)
    };
    services
        .iter()
        .filter(|s| s.active)
        .find(|s| names(s))
        .or_else(|| {
            services
                .iter()
                .filter(|s| s.active)
                .find(|s| s.fields.trim().is_empty())
        })
}

fn check_assistant(a: Option<&str>) -> AppResult<Option<String>> {
    match a.map(str::trim) {
        None | Some("") => Ok(None),
        Some(a) if a.chars().count() > 120 => Err(AppError::field(
            "assisted_by",
            "Tên người hỗ trợ tối đa 120 ký tự",
            "the assistant's name is at most 120 characters",
        )),
        Some(a) => Ok(Some(a.to_owned())),
    }
}

/// Takes a ticket: the next number of the center's day, in one transaction with its audit row, the display's
/// notification and, when the projected wait passes the threshold, the director's alert.
pub async fn take(st: &AppState, t: Take<'_>, request_id: &str) -> AppResult<Taken> {
    if matches!(t.source, Source::Phone | Source::Kiosk)
        && !st
            .ticket_limit
            .allow(t.client, st.clock.now(), st.config.tickets_per_minute)
    {
        return Err(AppError::code(ErrorCode::RateLimited));
    }
    let service = service_of(st, t.center.id, t.service).await?;
    if let Some(code) = &t.procedure {
        if procedures::get(&st.db, code).await?.is_none() {
            return Err(AppError::code(ErrorCode::ProcedureNotFound));
        }
    }
    let assisted_by = check_assistant(t.assisted_by.as_deref())?;
    let now = st.clock.now();
    let since = t.appointment_at.unwrap_or(now);
    let day = day_of(since);
    let token = crate::auth::new_token()?;
    let person = match &t.person {
        Some(p) => Some(st.data_key.seal(
            &serde_json::to_string(p).map_err(anyhow::Error::from)?,
            &format!("queue_ticket:{token}"),
        )?),
        None => None,
    };
    let notify_phone = match t
        .notify_phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        Some(p) => Some(
            st.data_key
                .seal(&mobile(p)?, &format!("ticket-phone:{token}"))?,
        ),
        None => None,
    };
    let mut tx = st.db.begin().await?;
    let number = qstore::next_number(&mut tx, t.center.id, &day).await?;
    let id = qstore::insert_ticket(
        &mut tx,
        &NewTicket {
            agency_id: t.center.id,
            day: day.clone(),
            number,
            service_id: service.id,
            source: t.source,
            priority: t.priority,
            token,
            taken_at: now,
            since,
            appointment_at: t.appointment_at,
            procedure_code: t.procedure.clone(),
            person,
            assisted_by: assisted_by.clone(),
            booked_by: t.actor.map(|a| a.user_id),
            notify_phone,
        },
    )
    .await?;
    let label = motcua_domain::queue::ticket_label(&service.letter, number);
    let mut entry = audit(
        t.actor,
        "take_ticket",
        format!("{}#{day}#{label}", t.center.identifier),
        request_id,
        now,
    );
    if let Some(a) = &assisted_by {
        entry.purpose = format!("xếp hàng tại Trung tâm; người hỗ trợ: {a}");
    }
    astore::write_tx(&mut tx, &entry).await?;
    super::level::alert_if_needed(st, &mut tx, t.center, &service, now).await?;
    qstore::notify(&mut tx, &st.queue_bus.payload(t.center.id)).await?;
    tx.commit().await?;
    announce(st, t.center.id);
    let ticket = qstore::ticket(&st.db, id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))?;
    let status = status_for(st, &ticket).await?;
    Ok(Taken { ticket, status })
}

/// Where a ticket stands now, from counts (the day's other tickets are not read).
pub async fn status_for(st: &AppState, t: &TicketRow) -> AppResult<TicketStatus> {
    let now = st.clock.now();
    let state = t.state;
    let waiting = state == motcua_domain::queue::State::Waiting;
    let ahead = if waiting {
        qstore::ahead_of(&st.db, t).await?
    } else {
        0
    };
    let scheduled = waiting && t.since > now;
    let wait = if waiting && !scheduled {
        let service = qstore::service(&st.db, t.service_id).await?;
        let counters = qstore::counters_of(&st.db, t.agency_id).await?;
        let open = counters
            .iter()
            .filter(|c| c.active && super::calls(c, t.service_id))
            .count();
        let times = qstore::recent_service_times(&st.db, t.service_id, &t.day).await?;
        let handling = service
            .as_ref()
            .map_or(12.0, |s| super::mean_or_planned(s, &times));
        motcua_domain::queue::estimated_wait(usize::try_from(ahead).unwrap_or(0), open, handling)
    } else {
        0.0
    };
    let called = matches!(
        state,
        motcua_domain::queue::State::Called | motcua_domain::queue::State::Serving
    );
    Ok(TicketStatus {
        label: t.label(),
        service: t.service_name.clone(),
        state: state.code(),
        state_vi: state.label().0,
        state_en: state.label().1,
        ahead: usize::try_from(ahead).unwrap_or(0),
        estimated_wait_minutes: wait.round() as i64,
        counter: t.counter_number.filter(|_| called),
        scheduled,
        taken_at: t.taken_at,
        appointment_at: t.appointment_at,
    })
}

/// A ticket by the token printed on it as a QR (the holder's phone); 404 for anything else.
pub async fn by_token(st: &AppState, token: &str) -> AppResult<(TicketRow, TicketStatus)> {
    if token.len() > 100 {
        return Err(AppError::code(ErrorCode::TicketNotFound));
    }
    let t = qstore::ticket_by_token(&st.db, token)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))?;
    let s = status_for(st, &t).await?;
    Ok((t, s))
}

/// What the kiosk read, opened again (for the declaration it prints and the counter's intake).
pub fn person_of(st: &AppState, t: &TicketRow) -> AppResult<Option<KioskPerson>> {
    match &t.person {
        None => Ok(None),
        Some(sealed) => {
            let plain = st
                .data_key
                .open(sealed, &format!("queue_ticket:{}", t.token))?;
            Ok(Some(
                serde_json::from_str(&plain).map_err(anyhow::Error::from)?,
            ))
        }
    }
}

/// Appointment slots last half an hour.
pub const SLOT_MINUTES: i64 = 30;
/// How far ahead one can book.
pub const BOOK_DAYS: i64 = 14;

/// A slot of a service's appointments.
#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub free: i64,
}

/// The open slots of a service on a day (working hours only, from an hour from now).
pub async fn slots(
    st: &AppState,
    center: &AgencyRow,
    service: QueueServiceId,
    day: time::Date,
) -> AppResult<Vec<Slot>> {
    let service = service_of(st, center.id, service).await?;
    let counters = qstore::counters_of(&st.db, center.id).await?;
    let capacity = counters
        .iter()
        .filter(|c| c.active && super::calls(c, service.id))
        .count()
        .max(1) as i64;
    let taken = qstore::tickets_of_day(&st.db, center.id, &format!("{day}")).await?;
    let cal = st.calendar();
    let now = st.clock.now();
    let mut out = Vec::new();
    let start = day.midnight().assume_offset(VN);
    for k in 0..(24 * 60 / SLOT_MINUTES) {
        let at = start + Duration::minutes(k * SLOT_MINUTES);
        if at < now + Duration::hours(1)
            || !cal.is_working_moment(at)
            || !cal.is_working_moment(at + Duration::minutes(SLOT_MINUTES - 1))
        {
            continue;
        }
        let used = taken
            .iter()
            .filter(|t| t.service_id == service.id && t.appointment_at == Some(at))
            .count() as i64;
        out.push(Slot {
            at,
            free: (capacity - used).max(0),
        });
    }
    Ok(out)
}

/// Books an appointment for a signed-in citizen: a ticket of the slot's day that joins the queue at the slot's start.
pub async fn book(
    st: &AppState,
    actor: &Actor,
    center_id: &str,
    service: QueueServiceId,
    at: OffsetDateTime,
    request_id: &str,
) -> AppResult<Taken> {
    if actor.role != motcua_domain::role::Role::Citizen {
        return Err(AppError::code(ErrorCode::Forbidden));
    }
    let c = center(st, center_id).await?;
    let now = st.clock.now();
    if at > now + Duration::days(BOOK_DAYS) {
        return Err(AppError::field(
            "slot",
            "Chỉ đặt lịch trong 14 ngày tới",
            "book within the next 14 days",
        ));
    }
    let day = at.to_offset(VN).date();
    let open = slots(st, &c, service, day).await?;
    match open.iter().find(|s| s.at == at) {
        None => {
            return Err(AppError::field(
                "slot",
                "Khung giờ này không nhận lịch hẹn (ngoài giờ làm việc hoặc đã qua)",
                "this slot takes no appointments (outside office hours or past)",
            ))
        }
        Some(s) if s.free == 0 => {
            return Err(AppError::field(
                "slot",
                "Khung giờ này đã kín lịch, vui lòng chọn giờ khác",
                "this slot is full; choose another",
            ))
        }
        Some(_) => {}
    }
    let mine = qstore::tickets_of_day(&st.db, c.id, &format!("{day}")).await?;
    if mine.iter().any(|t| {
        t.source == Source::Appointment && t.state.open() && t.booked_by == Some(actor.user_id)
    }) {
        return Err(AppError::field(
            "slot",
            "Bạn đã có lịch hẹn tại Trung tâm trong ngày này",
            "you already have an appointment at this center that day",
        ));
    }
    take(
        st,
        Take {
            notify_phone: None,
            center: &c,
            service,
            source: Source::Appointment,
            priority: None,
            procedure: None,
            person: None,
            assisted_by: None,
            actor: Some(actor),
            appointment_at: Some(at),
            client: None,
        },
        request_id,
    )
    .await
}
