//! The staffing advisor: from a center's arrival history (weekday × hour × service) and measured handling times, the
//! counters to open each hour so that a target share is called within 20 minutes — Erlang C (Erlang A when
//! no-shows are measured) hour by hour, refined by simulating the day — shown against the counters that were open.

use super::level::WITHIN_MINUTES;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::queue::{self as qstore, HistoryRow, ServiceRow};
use motcua_domain::calendar::VN;
use motcua_domain::queue::erlang::{self, Demand, Staffing};
use motcua_domain::queue::sim;
use motcua_domain::queue::State;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use time::{Duration, Weekday};

/// The calculator behind `GET /api/v1/queue/staffing`: the fewest counters for the target.
pub fn calculate(
    arrivals_per_hour: f64,
    handling_minutes: f64,
    within_minutes: f64,
    target: f64,
    abandon_per_hour: f64,
) -> AppResult<Staffing> {
    let bad = |f: &str, vi: &str, en: &str| Err(AppError::field(f, vi, en));
    if !(0.0..=10_000.0).contains(&arrivals_per_hour) {
        return bad(
            "arrivals_per_hour",
            "Số lượt đến mỗi giờ từ 0 đến 10.000",
            "arrivals per hour from 0 to 10,000",
        );
    }
    if !(0.1..=480.0).contains(&handling_minutes) {
        return bad(
            "handling_minutes",
            "Thời gian phục vụ từ 0,1 đến 480 phút",
            "handling time from 0.1 to 480 minutes",
        );
    }
    if !(0.0..=480.0).contains(&within_minutes) {
        return bad(
            "within_minutes",
            "Thời gian chờ mục tiêu từ 0 đến 480 phút",
            "target wait from 0 to 480 minutes",
        );
    }
    if !(0.0..1.0).contains(&target) || target <= 0.0 {
        return bad(
            "target",
            "Tỷ lệ mục tiêu lớn hơn 0 và nhỏ hơn 1 (ví dụ 0.9)",
            "the target share is above 0 and below 1 (e.g. 0.9)",
        );
    }
    if !(0.0..=600.0).contains(&abandon_per_hour) {
        return bad(
            "abandon_per_hour",
            "Tỷ lệ bỏ về mỗi giờ từ 0 đến 600",
            "abandonment per hour from 0 to 600",
        );
    }
    let d = Demand {
        arrivals_per_hour,
        handling_minutes,
        abandon_per_hour,
    };
    erlang::recommend(d, within_minutes, target).ok_or_else(|| {
        AppError::field(
            "arrivals_per_hour",
            format!("Cần hơn {} quầy cho mức này", erlang::MAX_COUNTERS),
            format!(
                "more than {} counters would be needed",
                erlang::MAX_COUNTERS
            ),
        )
    })
}

/// One hour of the advice.
#[derive(Debug, Clone, Serialize)]
pub struct HourAdvice {
    /// The clock hour (8 = 08:00–09:00).
    pub hour: u8,
    pub arrivals: f64,
    /// Erlang's counters for this hour alone.
    pub erlang: u32,
    /// The advice after simulating the day.
    pub advised: u32,
    /// Counters that called someone in this hour, on average over the days seen.
    pub open: f64,
}

/// A service's advice for a weekday.
#[derive(Debug, Clone, Serialize)]
pub struct Advice {
    pub service_id: motcua_domain::ids::QueueServiceId,
    pub service: String,
    pub days_seen: usize,
    pub handling_minutes: f64,
    pub no_show_share: f64,
    pub abandon_per_hour: f64,
    pub hours: Vec<HourAdvice>,
    /// Simulated share called within 20 minutes, worst hour, with the advice and with the counters that were open.
    pub worst_hour_advised: Option<f64>,
    pub worst_hour_open: Option<f64>,
}

/// The first and last clock hours the center works.
fn office_hours(st: &AppState) -> (u8, u8) {
    let cal = st.calendar();
    let p = cal.hours().periods();
    let first = p.first().map_or(7, |(s, _)| s.hour());
    let last = p.last().map_or(17, |(_, e)| {
        if e.minute() > 0 {
            e.hour() + 1
        } else {
            e.hour()
        }
    });
    (first, last.max(first + 1))
}

/// What a service's history says, per clock hour from `first`.
struct Measured {
    /// Mean arrivals per hour over the days seen.
    arrivals: Vec<f64>,
    /// Mean counters that called in each hour.
    opened: Vec<f64>,
    handling: f64,
    abandon: f64,
    no_show_share: f64,
    priority_share: f64,
}

fn measure(s: &ServiceRow, rows: &[&HistoryRow], days: usize, (first, n): (u8, usize)) -> Measured {
    let mut arrivals = vec![0.0f64; n];
    let mut open: Vec<BTreeMap<String, BTreeSet<i64>>> = vec![BTreeMap::new(); n];
    let (mut handled, mut handled_n, mut waited_h, mut no_shows, mut priority) =
        (0.0, 0usize, 0.0, 0usize, 0usize);
    let slot = |t: time::OffsetDateTime| {
        t.to_offset(VN)
            .hour()
            .checked_sub(first)
            .map(usize::from)
            .filter(|i| *i < n)
    };
    for r in rows {
        if let Some(i) = slot(r.since) {
            arrivals[i] += 1.0;
        }
        if let (Some(c), Some(at)) = (r.counter_id, r.called_at) {
            if let Some(i) = slot(at) {
                open[i].entry(r.day.clone()).or_default().insert(c.0);
            }
            waited_h += (at - r.since).as_seconds_f64().max(0.0) / 3600.0;
        }
        if let (Some(a), Some(b), State::Done) =
            (r.started_at.or(r.called_at), r.finished_at, r.state)
        {
            handled += (b - a).as_seconds_f64() / 60.0;
            handled_n += 1;
        }
        no_shows += usize::from(r.state == State::NoShow);
        priority += usize::from(r.priority.is_some());
    }
    let days_f = days.max(1) as f64;
    let total = rows.len().max(1) as f64;
    Measured {
        arrivals: arrivals.iter().map(|a| a / days_f).collect(),
        opened: open
            .iter()
            .map(|d| d.values().map(|c| c.len() as f64).sum::<f64>() / days_f)
            .collect(),
        handling: if handled_n >= 10 {
            handled / handled_n as f64
        } else {
            f64::from(s.handling_minutes.max(1))
        },
        abandon: if waited_h > 0.0 && no_shows > 0 {
            no_shows as f64 / waited_h
        } else {
            0.0
        },
        no_show_share: no_shows as f64 / total,
        priority_share: priority as f64 / total,
    }
}

fn advise_service(
    s: &ServiceRow,
    rows: &[&HistoryRow],
    days: usize,
    (first, last): (u8, u8),
    target: f64,
) -> Advice {
    let n = usize::from(last - first);
    let m = measure(s, rows, days, (first, n));
    let erlang: Vec<u32> =
        erlang::plan_day(&m.arrivals, m.handling, m.abandon, WITHIN_MINUTES, target)
            .map(|p| p.iter().map(|s| s.counters).collect())
            .unwrap_or_else(|| vec![0; n]);
    let plan = |counters: &[u32]| sim::Plan {
        hours: m
            .arrivals
            .iter()
            .zip(counters)
            .map(|(&arrivals, &counters)| sim::Hour { arrivals, counters })
            .collect(),
        handling_minutes: m.handling,
        handling_cv: 1.0,
        priority_share: m.priority_share,
        priority_every: u32::try_from(s.priority_every).unwrap_or(0),
        no_show: m.no_show_share,
        no_show_minutes: 1.0,
        within_minutes: WITHIN_MINUTES,
        seed: 2026,
        days: 100,
    };
    let advised = if days > 0 {
        sim::advise(&plan(&erlang), &erlang, target, 200)
    } else {
        None
    };
    let open_now: Vec<u32> = m.opened.iter().map(|o| o.round() as u32).collect();
    let worst = |c: &[u32]| (days > 0).then(|| sim::simulate(&plan(c)).worst_hour_share);
    let advised = advised.unwrap_or_else(|| erlang.clone());
    Advice {
        service_id: s.id,
        service: s.name.clone(),
        days_seen: days,
        handling_minutes: m.handling,
        no_show_share: m.no_show_share,
        abandon_per_hour: m.abandon,
        hours: (0..n)
            .map(|i| HourAdvice {
                hour: first + i as u8,
                arrivals: m.arrivals[i],
                erlang: erlang[i],
                advised: advised[i],
                open: m.opened[i],
            })
            .collect(),
        worst_hour_advised: worst(&advised),
        worst_hour_open: worst(&open_now),
    }
}

/// The advice for each service of a center, for a weekday, from the last `weeks` weeks.
pub async fn advise(
    st: &AppState,
    center: &AgencyRow,
    weekday: Weekday,
    weeks: i64,
    target: f64,
) -> AppResult<Vec<Advice>> {
    let today = st.clock.now().to_offset(VN).date();
    let from = today - Duration::weeks(weeks.clamp(1, 52));
    let rows = qstore::history(
        &st.db,
        center.id,
        &from.to_string(),
        &(today - Duration::days(1)).to_string(),
    )
    .await?;
    let services = qstore::services_of(&st.db, center.id).await?;
    let hours = office_hours(st);
    let rows: Vec<HistoryRow> = rows
        .into_iter()
        .filter(|r| r.since.to_offset(VN).weekday() == weekday)
        .collect();
    let days = rows
        .iter()
        .map(|r| r.day.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    tokio::task::spawn_blocking(move || {
        services
            .iter()
            .map(|s| {
                let of: Vec<&HistoryRow> = rows.iter().filter(|r| r.service_id == s.id).collect();
                advise_service(s, &of, days, hours, target)
            })
            .collect()
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("advisor: {e}")))
}
