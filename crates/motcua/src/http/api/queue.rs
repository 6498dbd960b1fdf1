//! `/api/v1/queue/…`: the staffing calculator, a center's services and board, tickets (phone, kiosk, appointment),
//! and the counter's calls and steps.

use super::bad;
use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, AppPath, AppQuery, ClientIp, ReqId};
use crate::service::account::session::Actor;
use crate::service::queue::{self as q, counter, tickets};
use crate::state::AppState;
use crate::store::queue::{self as qstore, TicketRow};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use motcua_domain::queue::{Priority, Source, Step};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub(super) struct StaffingQuery {
    arrivals_per_hour: Option<String>,
    handling_minutes: Option<String>,
    within_minutes: Option<String>,
    target: Option<String>,
    abandon_per_hour: Option<String>,
}

/// A number of the query: its default when absent (`None`: required), a field error when not a number.
fn number(v: Option<&str>, field: &str, default: Option<f64>) -> AppResult<f64> {
    match (v.map(str::trim).filter(|v| !v.is_empty()), default) {
        (None, Some(d)) => Ok(d),
        (None, None) => Err(bad(field, "Bắt buộc", "required")),
        (Some(v), _) => v
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .ok_or_else(|| bad(field, "Phải là một số", "must be a number")),
    }
}

/// `GET /api/v1/queue/staffing`: the counters for a demand (Erlang C; Erlang A with `abandon_per_hour`).
pub(super) async fn staffing(
    q: Result<AppQuery<StaffingQuery>, AppError>,
) -> AppResult<Json<Value>> {
    let AppQuery(q) = q?;
    let arrivals = number(q.arrivals_per_hour.as_deref(), "arrivals_per_hour", None)?;
    let handling = number(q.handling_minutes.as_deref(), "handling_minutes", None)?;
    let within = number(q.within_minutes.as_deref(), "within_minutes", Some(20.0))?;
    let target = number(q.target.as_deref(), "target", Some(0.9))?;
    let abandon = number(q.abandon_per_hour.as_deref(), "abandon_per_hour", Some(0.0))?;
    let s = q::staffing::calculate(arrivals, handling, within, target, abandon)?;
    Ok(Json(json!({
        "counters": s.counters,
        "service_level": s.service_level,
        "mean_wait_minutes": if s.mean_wait_minutes.is_finite() { json!(s.mean_wait_minutes) } else { Value::Null },
        "wait_probability": s.wait_probability,
        "load": s.load,
        "model": if abandon > 0.0 { "erlang_a" } else { "erlang_c" },
    })))
}

/// `GET /api/v1/queue/centers/{center}`: a center's services (for kiosks and phones).
pub(super) async fn center_services(
    State(st): State<AppState>,
    AppPath(id): AppPath<String>,
) -> AppResult<Json<Value>> {
    let c = q::center(&st, &id).await?;
    let services = qstore::services_of(&st.db, c.id).await?;
    Ok(Json(json!({
        "center": c.identifier,
        "name": c.name,
        "services": services.iter().filter(|s| s.active).map(|s| json!({"id": s.id, "letter": s.letter, "name": s.name})).collect::<Vec<_>>(),
        "priority_classes": Priority::ALL.iter().map(|p| json!({"code": p.code(), "vi": p.label().0, "en": p.label().1})).collect::<Vec<_>>(),
    })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TakeBody {
    service: i64,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    procedure: Option<String>,
}

/// `POST /api/v1/queue/centers/{center}/tickets`: a ticket from the phone (the QR poster).
pub(super) async fn take(
    State(st): State<AppState>,
    AppPath(id): AppPath<String>,
    ClientIp(ip): ClientIp,
    ReqId(rid): ReqId,
    AppJson(b): AppJson<TakeBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let c = q::center(&st, &id).await?;
    let taken = tickets::take(
        &st,
        tickets::Take {
            notify_phone: None,
            center: &c,
            service: b.service.into(),
            source: Source::Phone,
            priority: q::parse_priority(b.priority.as_deref())?,
            procedure: b.procedure.filter(|p| !p.trim().is_empty()),
            person: None,
            assisted_by: None,
            actor: None,
            appointment_at: None,
            client: ip,
        },
        &rid,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": taken.ticket.token, "ticket": taken.status})),
    ))
}

/// `GET /api/v1/queue/tickets/{token}`: where a ticket stands (its holder's phone).
pub(super) async fn ticket_status(
    State(st): State<AppState>,
    AppPath(token): AppPath<String>,
) -> AppResult<Json<Value>> {
    let (_, s) = tickets::by_token(&st, &token).await?;
    Ok(Json(json!(s)))
}

/// `GET /api/v1/queue/centers/{center}/board`: what the hall display shows.
pub(super) async fn board(
    State(st): State<AppState>,
    AppPath(id): AppPath<String>,
) -> AppResult<Json<Value>> {
    let c = q::center(&st, &id).await?;
    Ok(Json(json!(q::board::board(&st, &c).await?)))
}

/// `GET /api/v1/queue/level`: the live service level of the caller's center.
pub(super) async fn level(State(st): State<AppState>, actor: Actor) -> AppResult<Json<Value>> {
    let c = q::staff_center(&actor)?.clone();
    Ok(Json(
        json!({"center": c.identifier, "services": q::level::live(&st, &c).await?}),
    ))
}

/// A ticket as staff see it.
pub(crate) fn staff_view(t: &TicketRow) -> Value {
    json!({
        "id": t.id, "label": t.label(), "service_id": t.service_id, "service": t.service_name,
        "state": t.state.code(), "source": t.source.code(),
        "priority": t.priority().ok().flatten().map(Priority::code),
        "counter": t.counter_number, "recalls": t.recalls, "dossier_id": t.dossier_id,
        "has_kiosk_data": t.person.is_some(), "assisted_by": t.assisted_by,
    })
}

/// `POST /api/v1/queue/counters/{id}/call`: calls the next ticket to the counter (`ticket` null: nobody waits).
pub(super) async fn call(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<Value>> {
    let t = counter::call_next(&st, &actor, id.into(), &rid).await?;
    Ok(Json(json!({"ticket": t.as_ref().map(staff_view)})))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StepBody {
    action: String,
    #[serde(default)]
    service: Option<i64>,
}

/// `POST /api/v1/queue/tickets/{id}/actions`: recall, no-show, start, finish or transfer.
pub(super) async fn act(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(id): AppPath<i64>,
    AppJson(b): AppJson<StepBody>,
) -> AppResult<Json<Value>> {
    let step = Step::parse(&b.action).ok_or_else(|| {
        bad(
            "action",
            "Thao tác: recall, no_show, start, finish hoặc transfer",
            "action: recall, no_show, start, finish or transfer",
        )
    })?;
    let t = counter::act(
        &st,
        &actor,
        id.into(),
        step,
        b.service.map(Into::into),
        &rid,
    )
    .await?;
    Ok(Json(staff_view(&t)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BookBody {
    service: i64,
    /// RFC 3339.
    at: String,
}

/// `POST /api/v1/queue/centers/{center}/appointments`: a signed-in citizen books a slot.
pub(super) async fn book(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(id): AppPath<String>,
    AppJson(b): AppJson<BookBody>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let at = time::OffsetDateTime::parse(&b.at, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            bad(
                "at",
                "Thời điểm theo RFC 3339 (2026-12-02T08:00:00+07:00)",
                "a time in RFC 3339 (2026-12-02T08:00:00+07:00)",
            )
        })?;
    let t = tickets::book(&st, &actor, &id, b.service.into(), at, &rid).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"token": t.ticket.token, "ticket": t.status})),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SlotsQuery {
    service: i64,
    day: String,
}

/// `GET /api/v1/queue/centers/{center}/slots`: the free appointment slots of a service on a day.
pub(super) async fn slots(
    State(st): State<AppState>,
    AppPath(id): AppPath<String>,
    q: Result<AppQuery<SlotsQuery>, AppError>,
) -> AppResult<Json<Value>> {
    let AppQuery(sq) = q?;
    let c = q::center(&st, &id).await?;
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(&sq.day, &fmt)
        .map_err(|_| bad("day", "Ngày theo dạng YYYY-MM-DD", "a day as YYYY-MM-DD"))?;
    let s = tickets::slots(&st, &c, sq.service.into(), day).await?;
    Ok(Json(json!({"slots": s})))
}
