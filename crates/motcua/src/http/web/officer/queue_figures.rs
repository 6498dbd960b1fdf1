//! The center's queue figures: live service level, alerts, daily and monthly figures, and the staffing advisor.

use super::staff;
use crate::error::AppError;
use crate::http::extract::AppQuery;
use crate::http::web::page::PageResult;
use crate::http::web::{when, Ctx};
use crate::service::queue::{self as q, level, staffing};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use motcua_domain::calendar::VN;
use serde::Deserialize;
use time::{Duration, Weekday};

/// A share as "97,8%", or "—".
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(
        || "—".into(),
        |v| format!("{:.1}%", v * 100.0).replace('.', ","),
    )
}

/// Minutes as "12", or "—".
pub fn mins(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{}", v.round()))
}

struct LiveRow {
    name: String,
    waiting: usize,
    current: String,
    projected: String,
    open: usize,
    tickets: usize,
    p50: String,
    p90: String,
    within: String,
    over: usize,
    no_shows: usize,
}

struct AdviceView {
    service: String,
    days: usize,
    handling: String,
    no_show: String,
    hours: Vec<(String, String, String, u32, u32)>,
    advised_share: String,
    open_share: String,
    /// Active counters that call this service.
    available: u32,
}

type PeriodRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// A count as "2.463".
fn count(n: usize) -> String {
    motcua_domain::money::group_thousands(i64::try_from(n).unwrap_or(i64::MAX), '.')
}

#[derive(askama::Template)]
#[template(path = "officer/queue_figures.html")]
struct Figures<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    demo: bool,
    now: String,
    alerts: Vec<String>,
    live: Vec<LiveRow>,
    days: Vec<PeriodRow>,
    months: Vec<PeriodRow>,
    procedures: Vec<(String, usize, String, String)>,
    weekdays: Vec<(&'static str, &'static str, &'static str)>,
    weekday: &'a str,
    target: String,
    target_error: Option<&'a str>,
    advice: Vec<AdviceView>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FiguresQuery {
    thu: String,
    muc_tieu: String,
}

const WEEKDAYS: [(&str, &str, &str, Weekday); 6] = [
    ("2", "Thứ Hai", "Monday", Weekday::Monday),
    ("3", "Thứ Ba", "Tuesday", Weekday::Tuesday),
    ("4", "Thứ Tư", "Wednesday", Weekday::Wednesday),
    ("5", "Thứ Năm", "Thursday", Weekday::Thursday),
    ("6", "Thứ Sáu", "Friday", Weekday::Friday),
    ("7", "Thứ Bảy", "Saturday", Weekday::Saturday),
];

/// "2026-11-23" → "23/11/2026", "2026-11" → "11/2026".
fn period_vi(p: &str) -> String {
    let parts: Vec<&str> = p.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        [y, m] => format!("{m}/{y}"),
        _ => p.to_owned(),
    }
}

fn period_row(p: &level::Period) -> PeriodRow {
    (
        period_vi(&p.period),
        count(p.tickets),
        count(p.called),
        count(p.no_shows),
        mins(p.p50_wait_minutes),
        mins(p.p90_wait_minutes),
        pct(p.within_share),
        mins(p.mean_handling_minutes),
    )
}

fn advice_view(a: &staffing::Advice, available: u32) -> AdviceView {
    AdviceView {
        available,
        service: a.service.clone(),
        days: a.days_seen,
        handling: format!("{:.1}", a.handling_minutes).replace('.', ","),
        no_show: pct(Some(a.no_show_share)),
        hours: a
            .hours
            .iter()
            .filter(|h| h.arrivals > 0.0 || h.open > 0.0)
            .map(|h| {
                (
                    format!("{:02}:00–{:02}:00", h.hour, h.hour + 1),
                    format!("{:.1}", h.arrivals).replace('.', ","),
                    format!("{:.1}", h.open).replace('.', ","),
                    h.erlang,
                    h.advised,
                )
            })
            .collect(),
        advised_share: pct(a.worst_hour_advised),
        open_share: pct(a.worst_hour_open),
    }
}

fn live_row(l: &level::Level) -> LiveRow {
    LiveRow {
        name: l.name.clone(),
        waiting: l.waiting,
        current: mins(Some(l.current_wait_minutes)),
        projected: mins(Some(l.projected_wait_minutes)),
        open: l.open_counters,
        tickets: l.tickets,
        p50: mins(l.p50_wait_minutes),
        p90: mins(l.p90_wait_minutes),
        within: pct(l.within_share),
        over: l.over_minutes,
        no_shows: l.no_shows,
    }
}

/// Today's alerts of the center, as sentences.
async fn alert_lines(
    st: &AppState,
    ctx: &Ctx,
    c: &crate::store::agencies::AgencyRow,
    now: time::OffsetDateTime,
) -> Result<Vec<String>, AppError> {
    let services = crate::store::queue::services_of(&st.db, c.id).await?;
    Ok(
        crate::store::queue::alerts_of(&st.db, c.id, &q::day_of(now))
            .await?
            .iter()
            .map(|a| {
                let name = services
                    .iter()
                    .find(|s| s.id == a.service_id)
                    .map_or("", |s| s.name.as_str());
                format!(
                    "{} {}:00 — {name}: {} {}, {} {} {}",
                    ctx.t("Cảnh báo lúc", "Alert at"),
                    a.hour.get(11..13).unwrap_or(""),
                    a.waiting,
                    ctx.t("người chờ", "waiting"),
                    ctx.t("dự kiến chờ", "projected wait"),
                    a.projected_minutes,
                    ctx.t(
                        "phút. Cân nhắc mở thêm quầy.",
                        "minutes. Consider opening another counter."
                    ),
                )
            })
            .collect(),
    )
}

/// `GET /can-bo/xep-hang/so-lieu`: the figures of the officer's center (`?thu=2…7` adds the advice).
pub async fn figures(
    State(st): State<AppState>,
    ctx: Ctx,
    qy: Result<AppQuery<FiguresQuery>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let c = q::staff_center(actor)?.clone();
    let qy = qy.map(|AppQuery(q)| q).unwrap_or_default();
    let now = st.clock.now();
    let today = now.to_offset(VN).date();
    let live = level::live(&st, &c).await?;
    let alerts = alert_lines(&st, &ctx, &c, now).await?;
    let (days, months) = level::history(
        &st,
        &c,
        &(today - Duration::days(366)).to_string(),
        &today.to_string(),
    )
    .await?;
    let asked: Option<f64> = qy.muc_tieu.trim().replace(',', ".").parse().ok();
    let in_range = |t: &f64| (50.0..=99.0).contains(t);
    let target_error = (!qy.muc_tieu.trim().is_empty() && !asked.as_ref().is_some_and(in_range))
        .then(|| {
            ctx.t(
                "Mục tiêu là một số từ 50 đến 99 (%): đã tính với 90%.",
                "The target is a number from 50 to 99 (%): computed with 90%.",
            )
        });
    let target_pct = asked.filter(in_range).unwrap_or(90.0);
    let counters = crate::store::queue::counters_of(&st.db, c.id).await?;
    let available = |s: motcua_domain::ids::QueueServiceId| {
        counters
            .iter()
            .filter(|k| k.active && q::calls(k, s))
            .count() as u32
    };
    let weekday = WEEKDAYS.iter().find(|w| w.0 == qy.thu);
    let advice = match weekday {
        Some(w) => staffing::advise(&st, &c, w.3, 8, target_pct / 100.0)
            .await?
            .iter()
            .map(|a| advice_view(a, available(a.service_id)))
            .collect(),
        None => Vec::new(),
    };
    let b = Figures {
        ctx: &ctx,
        center: &c.name,
        demo: actor.is_demo,
        now: when(now),
        alerts,
        live: live.iter().map(live_row).collect(),
        procedures: level::by_procedure(
            &st,
            &c,
            &(today - Duration::days(30)).to_string(),
            &today.to_string(),
        )
        .await?
        .into_iter()
        .map(|p| {
            (
                p.name,
                p.dossiers,
                mins(p.mean_wait_minutes),
                mins(p.mean_service_minutes),
            )
        })
        .collect(),
        days: days.iter().take(31).map(period_row).collect(),
        months: months.iter().map(period_row).collect(),
        weekdays: WEEKDAYS.iter().map(|w| (w.0, w.1, w.2)).collect(),
        weekday: weekday.map_or("", |w| w.0),
        target: format!("{target_pct}"),
        target_error,
        advice,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Số liệu xếp hàng", "Queue figures"), &b))
}
