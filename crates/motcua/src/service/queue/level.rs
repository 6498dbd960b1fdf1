//! The live service level of a center (waiting now, current and projected wait, p50/p90 today, share called within
//! 20 minutes, tickets over 20 minutes), the director's alert, and the daily and monthly figures.

use super::{calls, day_of, handling_minutes, hour_of};
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::queue::{self as qstore, CounterRow, ServiceRow, TicketRow};
use crate::store::Tx;
use motcua_domain::ids::QueueServiceId;
use motcua_domain::queue::{estimated_wait, State};
use serde::Serialize;
use time::OffsetDateTime;

/// Minutes within which a citizen should be called.
pub const WITHIN_MINUTES: f64 = 20.0;

/// One service's figures (or the whole center's, with `service_id` `None`).
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub service_id: Option<QueueServiceId>,
    pub name: String,
    pub waiting: usize,
    /// How long the longest-waiting ticket has waited.
    pub current_wait_minutes: f64,
    /// How long a ticket taken now would wait.
    pub projected_wait_minutes: f64,
    pub open_counters: usize,
    pub handling_minutes: f64,
    /// Tickets taken today (of those whose time has come).
    pub tickets: usize,
    pub called: usize,
    pub p50_wait_minutes: Option<f64>,
    pub p90_wait_minutes: Option<f64>,
    /// Of the tickets called or waiting past 20 minutes, the share called within 20 minutes.
    pub within_share: Option<f64>,
    /// Called after 20 minutes, or still waiting after 20.
    pub over_minutes: usize,
    pub no_shows: usize,
}

fn minutes(a: OffsetDateTime, b: OffsetDateTime) -> f64 {
    (b - a).as_seconds_f64() / 60.0
}

fn quantile(v: &[f64], q: f64) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let i = ((v.len() - 1) as f64 * q).round() as usize;
    v.get(i).copied()
}

/// Figures of a set of tickets of one day at `now`.
pub fn figures(
    name: &str,
    service: Option<&ServiceRow>,
    tickets: &[&TicketRow],
    open_counters: usize,
    handling: f64,
    now: OffsetDateTime,
) -> Level {
    let due: Vec<&&TicketRow> = tickets.iter().filter(|t| t.since <= now).collect();
    let waiting: Vec<&&&TicketRow> = due.iter().filter(|t| t.state == State::Waiting).collect();
    let mut waits: Vec<f64> = due
        .iter()
        .filter_map(|t| t.called_at.map(|c| minutes(t.since, c).max(0.0)))
        .collect();
    waits.sort_by(f64::total_cmp);
    let late_waiting = waiting
        .iter()
        .filter(|t| minutes(t.since, now) > WITHIN_MINUTES)
        .count();
    let called_late = waits.iter().filter(|w| **w > WITHIN_MINUTES).count();
    let judged = waits.len() + late_waiting;
    Level {
        service_id: service.map(|s| s.id),
        name: name.to_owned(),
        waiting: waiting.len(),
        current_wait_minutes: waiting
            .iter()
            .map(|t| minutes(t.since, now))
            .fold(0.0, f64::max),
        projected_wait_minutes: estimated_wait(waiting.len(), open_counters, handling),
        open_counters,
        handling_minutes: handling,
        tickets: due.len(),
        called: waits.len(),
        p50_wait_minutes: quantile(&waits, 0.5),
        p90_wait_minutes: quantile(&waits, 0.9),
        within_share: (judged > 0).then(|| (waits.len() - called_late) as f64 / judged as f64),
        over_minutes: called_late + late_waiting,
        no_shows: due.iter().filter(|t| t.state == State::NoShow).count(),
    }
}

fn open_for(counters: &[CounterRow], s: &ServiceRow) -> usize {
    counters
        .iter()
        .filter(|c| c.active && calls(c, s.id))
        .count()
}

/// The center's live figures: each service, then the whole center.
pub async fn live(st: &AppState, center: &AgencyRow) -> AppResult<Vec<Level>> {
    let now = st.clock.now();
    let today = qstore::tickets_of_day(&st.db, center.id, &day_of(now)).await?;
    let services = qstore::services_of(&st.db, center.id).await?;
    let counters = qstore::counters_of(&st.db, center.id).await?;
    let mut out = Vec::new();
    for s in &services {
        let of: Vec<&TicketRow> = today.iter().filter(|t| t.service_id == s.id).collect();
        out.push(figures(
            &s.name,
            Some(s),
            &of,
            open_for(&counters, s),
            handling_minutes(s, &today),
            now,
        ));
    }
    let all: Vec<&TicketRow> = today.iter().collect();
    let open = counters.iter().filter(|c| c.active).count();
    let mean = if out.is_empty() {
        12.0
    } else {
        out.iter().map(|l| l.handling_minutes).sum::<f64>() / out.len() as f64
    };
    out.push(figures("Toàn Trung tâm", None, &all, open, mean, now));
    Ok(out)
}

/// In the transaction of a new ticket: when the service's projected wait passes the threshold, alert the center's
/// director (once an hour per service): a row the director's page shows and a message in the outbox.
pub async fn alert_if_needed(
    st: &AppState,
    tx: &mut Tx,
    center: &AgencyRow,
    service: &ServiceRow,
    now: OffsetDateTime,
) -> AppResult<()> {
    let threshold = f64::from(st.config.queue_alert_minutes);
    if threshold <= 0.0 {
        return Ok(());
    }
    let day = day_of(now);
    let waiting =
        usize::try_from(qstore::waiting_count_tx(tx, service.id, &day, now).await?).unwrap_or(0);
    let counters = qstore::counters_of_tx(tx, center.id).await?;
    let times = qstore::recent_service_times_tx(tx, service.id, &day).await?;
    let projected = estimated_wait(
        waiting,
        open_for(&counters, service),
        super::mean_or_planned(service, &times),
    );
    if projected <= threshold {
        return Ok(());
    }
    let fresh = qstore::alert_once(
        tx,
        center.id,
        service.id,
        &hour_of(now),
        (
            projected.round() as i32,
            i32::try_from(waiting).unwrap_or(i32::MAX),
        ),
        now,
    )
    .await?;
    if fresh {
        let payload = serde_json::json!({
            "center": center.identifier,
            "service": service.name,
            "waiting": waiting,
            "projected_wait_minutes": projected.round(),
            "text_vi": format!("{}: {} người đang chờ, dự kiến chờ {} phút (ngưỡng {} phút). Cân nhắc mở thêm quầy.", service.name, waiting, projected.round(), threshold),
            "text_en": format!("{}: {} waiting, projected wait {} minutes (threshold {}). Consider opening another counter.", service.name, waiting, projected.round(), threshold),
        });
        qstore::enqueue_alert(
            tx,
            &format!("center_director:{}", center.identifier),
            &payload,
            now,
        )
        .await?;
    }
    Ok(())
}

/// A day's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// "2026-12-01" or "2026-12".
    pub period: String,
    pub tickets: usize,
    pub called: usize,
    pub no_shows: usize,
    pub p50_wait_minutes: Option<f64>,
    pub p90_wait_minutes: Option<f64>,
    pub within_share: Option<f64>,
    pub mean_handling_minutes: Option<f64>,
}

fn period_of(name: String, rows: &[&qstore::HistoryRow]) -> Period {
    let mut waits: Vec<f64> = rows
        .iter()
        .filter_map(|r| r.called_at.map(|c| minutes(r.since, c).max(0.0)))
        .collect();
    waits.sort_by(f64::total_cmp);
    let handled: Vec<f64> = rows
        .iter()
        .filter(|r| r.state == State::Done)
        .filter_map(|r| Some(minutes(r.started_at.or(r.called_at)?, r.finished_at?)))
        .collect();
    Period {
        period: name,
        tickets: rows.len(),
        called: waits.len(),
        no_shows: rows.iter().filter(|r| r.state == State::NoShow).count(),
        p50_wait_minutes: quantile(&waits, 0.5),
        p90_wait_minutes: quantile(&waits, 0.9),
        within_share: (!waits.is_empty()).then(|| {
            waits.iter().filter(|w| **w <= WITHIN_MINUTES).count() as f64 / waits.len() as f64
        }),
        mean_handling_minutes: (!handled.is_empty())
            .then(|| handled.iter().sum::<f64>() / handled.len() as f64),
    }
}

/// Figures per day and per month between two days (inclusive, "YYYY-MM-DD").
pub async fn history(
    st: &AppState,
    center: &AgencyRow,
    from: &str,
    to: &str,
) -> AppResult<(Vec<Period>, Vec<Period>)> {
    let rows = qstore::history(&st.db, center.id, from, to).await?;
    let mut days: std::collections::BTreeMap<String, Vec<&qstore::HistoryRow>> = Default::default();
    let mut months: std::collections::BTreeMap<String, Vec<&qstore::HistoryRow>> =
        Default::default();
    for r in &rows {
        days.entry(r.day.clone()).or_default().push(r);
        months
            .entry(r.day.chars().take(7).collect())
            .or_default()
            .push(r);
    }
    Ok((
        days.into_iter()
            .rev()
            .map(|(k, v)| period_of(k, &v))
            .collect(),
        months
            .into_iter()
            .rev()
            .map(|(k, v)| period_of(k, &v))
            .collect(),
    ))
}

/// Waits and service times of the dossiers received from tickets, per procedure.
#[derive(Debug, Clone, Serialize)]
pub struct ByProcedure {
    pub code: String,
    pub name: String,
    pub dossiers: usize,
    pub mean_wait_minutes: Option<f64>,
    pub mean_service_minutes: Option<f64>,
}

/// Per procedure between two days (inclusive), most dossiers first.
pub async fn by_procedure(
    st: &AppState,
    center: &AgencyRow,
    from: &str,
    to: &str,
) -> AppResult<Vec<ByProcedure>> {
    let rows = qstore::procedure_tickets(&st.db, center.id, from, to).await?;
    let mut by: std::collections::BTreeMap<&str, Vec<&qstore::ProcedureTicketRow>> =
        Default::default();
    for r in &rows {
        by.entry(r.procedure_code.as_str()).or_default().push(r);
    }
    let mean = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    let mut out: Vec<ByProcedure> = by
        .into_values()
        .map(|v| ByProcedure {
            code: v[0].procedure_code.clone(),
            name: v[0].procedure_name.clone(),
            dossiers: v.len(),
            mean_wait_minutes: mean(
                v.iter()
                    .filter_map(|r| Some(minutes(r.since, r.called_at?)))
                    .collect(),
            ),
            mean_service_minutes: mean(
                v.iter()
                    .filter_map(|r| Some(minutes(r.started_at.or(r.called_at)?, r.finished_at?)))
                    .collect(),
            ),
        })
        .collect();
    out.sort_by(|a, b| {
        b.dossiers
            .cmp(&a.dossiers)
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(out)
}
