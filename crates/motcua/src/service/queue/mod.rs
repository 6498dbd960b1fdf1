//! The queue of a service center: tickets from the kiosk, the QR poster and appointments; the counters that call
//! them; the hall display; the live service level and the staffing advisor.

pub mod board;
pub mod counter;
pub mod demo;
pub mod kiosk;
pub mod level;
pub mod setup;
pub mod staffing;
pub mod tickets;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::agencies::{self, AgencyRow};
use crate::store::audit::AuditEntry;
use crate::store::queue::{self as qstore, CounterRow, ServiceRow, TicketRow};
use motcua_domain::calendar::VN;
use motcua_domain::ids::{AgencyId, QueueServiceId};
use motcua_domain::role::Role;
use time::OffsetDateTime;

/// A center's day as the tickets name it ("2026-12-01", Vietnam time).
pub fn day_of(t: OffsetDateTime) -> String {
    let l = t.to_offset(VN);
    format!("{:04}-{:02}-{:02}", l.year(), u8::from(l.month()), l.day())
}

/// The hour a moment falls in ("2026-12-01T08").
pub fn hour_of(t: OffsetDateTime) -> String {
    format!("{}T{:02}", day_of(t), t.to_offset(VN).hour())
}

/// A service center by its identifier (404 for anything else).
pub async fn center(st: &AppState, identifier: &str) -> AppResult<AgencyRow> {
    agencies::by_identifier(&st.db, identifier)
        .await?
        .filter(|a| a.kind.is_center())
        .ok_or_else(|| AppError::code(ErrorCode::AgencyNotFound))
}

/// The center a staff member works the queue of: their own agency, when it is a center.
pub fn staff_center(actor: &Actor) -> AppResult<&AgencyRow> {
    let ok = matches!(
        actor.role,
        Role::ReceivingOfficer | Role::CenterDirector | Role::Leader
    );
    actor
        .agency
        .as_ref()
        .filter(|a| ok && a.kind.is_center())
        .ok_or_else(|| AppError::code(ErrorCode::Forbidden))
}

/// A service of the center, active.
pub async fn service_of(
    st: &AppState,
    center: AgencyId,
    id: QueueServiceId,
) -> AppResult<ServiceRow> {
    qstore::service(&st.db, id)
        .await?
        .filter(|s| s.agency_id == center && s.active)
        .ok_or_else(|| {
            AppError::field(
                "service",
                "Chọn một dịch vụ của Trung tâm",
                "choose one of the center's services",
            )
        })
}

/// Whether a counter calls a service (a counter without services calls every one).
pub fn calls(counter: &CounterRow, service: QueueServiceId) -> bool {
    counter.services.is_empty()
        || counter
            .services
            .split(',')
            .any(|s| s.parse::<i64>().ok() == Some(service.0))
}

/// The audit row of a queue change (the actor is absent for a kiosk or a phone).
pub fn audit(
    actor: Option<&Actor>,
    action: &str,
    key: String,
    request_id: &str,
    at: OffsetDateTime,
) -> AuditEntry {
    AuditEntry {
        at,
        actor_user_id: actor.map(|a| a.user_id),
        actor_role: actor.map_or("public", |a| a.role.as_str()).into(),
        action: action.into(),
        entity: "queue_ticket".into(),
        entity_key: key,
        dossier_id: None,
        purpose: "xếp hàng tại Trung tâm".into(),
        request_id: request_id.into(),
    }
}

/// Where a ticket stands, as its holder sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TicketStatus {
    pub label: String,
    pub service: String,
    pub state: &'static str,
    pub state_vi: &'static str,
    pub state_en: &'static str,
    /// Tickets to be called before this one (0 once called).
    pub ahead: usize,
    pub estimated_wait_minutes: i64,
    /// The counter that called it (while it is called or served there).
    pub counter: Option<i32>,
    /// An appointment whose time has not come: it joins the queue at `appointment_at`.
    pub scheduled: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub taken_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub appointment_at: Option<OffsetDateTime>,
}

/// The measured mean handling time of a service today, else its planned one.
pub fn handling_minutes(service: &ServiceRow, today: &[TicketRow]) -> f64 {
    let done: Vec<f64> = today
        .iter()
        .filter(|t| t.service_id == service.id)
        .filter_map(|t| {
            Some((t.finished_at? - t.started_at.or(t.called_at)?).as_seconds_f64() / 60.0)
        })
        .filter(|m| *m > 0.0)
        .collect();
    if done.len() >= 3 {
        done.iter().sum::<f64>() / done.len() as f64
    } else {
        f64::from(service.handling_minutes.max(1))
    }
}

/// The mean of measured service times (three at least), else the service's planned time.
pub fn mean_or_planned(
    service: &ServiceRow,
    times: &[(Option<OffsetDateTime>, Option<OffsetDateTime>)],
) -> f64 {
    let done: Vec<f64> = times
        .iter()
        .filter_map(|(a, b)| Some(((*b)? - (*a)?).as_seconds_f64() / 60.0))
        .filter(|m| *m > 0.0)
        .collect();
    if done.len() >= 3 {
        done.iter().sum::<f64>() / done.len() as f64
    } else {
        f64::from(service.handling_minutes.max(1))
    }
}

/// A waiting ticket as the calling order sees it.
pub fn as_waiting(t: &TicketRow) -> motcua_domain::queue::Waiting {
    motcua_domain::queue::Waiting {
        priority: t.priority().ok().flatten().is_some(),
        since: (t.since.unix_timestamp_nanos() / 1_000_000) as f64,
    }
}

/// A priority class from a form or a body (empty: none).
pub fn parse_priority(p: Option<&str>) -> AppResult<Option<motcua_domain::queue::Priority>> {
    match p.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => motcua_domain::queue::Priority::parse(p)
            .map(Some)
            .ok_or_else(|| {
                AppError::field(
                    "priority",
                    "Đối tượng ưu tiên không hợp lệ",
                    "unknown priority class",
                )
            }),
    }
}

/// After a change of a center's queue: this process's displays now, the other instances' at commit.
pub fn announce(st: &AppState, agency: AgencyId) {
    st.queue_bus.changed(agency);
}
