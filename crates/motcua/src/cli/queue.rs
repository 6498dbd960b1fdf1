//! `motcua queue …`: the staffing calculator, and the simulation of a day so a director can test a counter plan.

use crate::clock::Clock;
use crate::config::Config;
use clap::Subcommand;
use motcua_domain::queue::{erlang, sim};
use std::path::PathBuf;
use std::sync::Arc;

/// Queue commands.
#[derive(Debug, Subcommand)]
pub enum QueueWhat {
    /// Số quầy cần mở cho một mức lượt đến (Erlang C; Erlang A nếu có người bỏ về) / counters for a demand.
    Staffing {
        #[arg(long)]
        arrivals_per_hour: f64,
        #[arg(long)]
        handling_minutes: f64,
        #[arg(long, default_value_t = 20.0)]
        within_minutes: f64,
        #[arg(long, default_value_t = 0.9)]
        target: f64,
        /// Tỷ lệ bỏ về mỗi giờ chờ / abandonment rate per hour waited.
        #[arg(long, default_value_t = 0.0)]
        abandon_per_hour: f64,
    },
    /// Mô phỏng một ngày: p50/p90/max thời gian chờ, tỷ lệ gọi trong 20 phút / simulate a day.
    Simulate(SimulateArgs),
}

/// What a simulated day is made of.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// CSV hour,arrivals[,counters] (xem data/queue_day_busy_ward.csv) / the day's profile.
    #[arg(long)]
    profile: PathBuf,
    /// Số quầy từng giờ, cách nhau bởi dấu phẩy (thay cột counters) / counters per hour, comma-separated.
    #[arg(long)]
    counters: Option<String>,
    /// Tính kế hoạch tư vấn rồi mô phỏng nó / compute the advisor's plan and simulate it.
    #[arg(long)]
    advise: bool,
    #[arg(long, default_value_t = 12.0)]
    handling_minutes: f64,
    /// Hệ số biến thiên thời gian phục vụ (1 = mũ) / coefficient of variation of handling times.
    #[arg(long, default_value_t = 1.0)]
    handling_cv: f64,
    #[arg(long, default_value_t = 0.1)]
    priority_share: f64,
    /// Một lượt ưu tiên trong mỗi N lượt gọi / one priority call in every N.
    #[arg(long, default_value_t = 3)]
    priority_every: u32,
    #[arg(long, default_value_t = 0.0)]
    no_show: f64,
    #[arg(long, default_value_t = 0.9)]
    target: f64,
    #[arg(long, default_value_t = 200)]
    days: u32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn fail(vi: &str, en: &str) -> anyhow::Error {
    anyhow::anyhow!("{vi} / {en}")
}

/// A profile file: (hour, arrivals, counters?) rows.
pub fn read_profile(path: &std::path::Path) -> anyhow::Result<Vec<(u8, f64, Option<u32>)>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(
            &format!("không đọc được {}", path.display()),
            &format!("cannot read it: {e}"),
        )
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("hour") {
            continue;
        }
        let cols: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = || {
            fail(
                &format!("dòng {} sai: '{line}'", i + 1),
                "expected hour,arrivals[,counters]",
            )
        };
        let hour: u8 = cols
            .first()
            .and_then(|h| h.parse().ok())
            .filter(|h| *h < 24)
            .ok_or_else(bad)?;
        let arrivals: f64 = cols
            .get(1)
            .and_then(|a| a.parse().ok())
            .filter(|a: &f64| *a >= 0.0 && a.is_finite())
            .ok_or_else(bad)?;
        let counters = match cols.get(2).filter(|c| !c.is_empty()) {
            Some(c) => Some(c.parse::<u32>().map_err(|_| bad())?),
            None => None,
        };
        if out
            .last()
            .is_some_and(|(h, _, _): &(u8, f64, Option<u32>)| *h + 1 != hour)
        {
            return Err(fail(
                &format!("dòng {}: giờ phải liên tiếp", i + 1),
                "hours must be consecutive",
            ));
        }
        out.push((hour, arrivals, counters));
    }
    if out.is_empty() {
        return Err(fail("tệp không có dòng nào", "the file has no rows"));
    }
    Ok(out)
}

/// Runs a queue command.
pub async fn run(_config: &Config, _clock: Arc<dyn Clock>, what: QueueWhat) -> anyhow::Result<()> {
    match what {
        QueueWhat::Staffing {
            arrivals_per_hour,
            handling_minutes,
            within_minutes,
            target,
            abandon_per_hour,
        } => {
            let s = crate::service::queue::staffing::calculate(
                arrivals_per_hour,
                handling_minutes,
                within_minutes,
                target,
                abandon_per_hour,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("counters\tservice_level\tmean_wait_minutes\twait_probability\tload");
            println!(
                "{}\t{:.4}\t{:.2}\t{:.4}\t{:.2}",
                s.counters, s.service_level, s.mean_wait_minutes, s.wait_probability, s.load
            );
            Ok(())
        }
        QueueWhat::Simulate(a) => simulate(&a),
    }
}

/// The counters per hour the command was given (`--counters` or the file's column), if it was.
fn given_plan(
    a: &SimulateArgs,
    rows: &[(u8, f64, Option<u32>)],
) -> anyhow::Result<Option<Vec<u32>>> {
    let given: Option<Vec<u32>> = match &a.counters {
        Some(c) => Some(
            c.split(',')
                .map(|x| x.trim().parse::<u32>())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    fail(
                        "--counters: các số cách nhau bởi dấu phẩy",
                        "--counters: numbers separated by commas",
                    )
                })?,
        ),
        None => rows.iter().map(|r| r.2).collect(),
    };
    if given.as_ref().is_some_and(|g| g.len() != rows.len()) {
        return Err(fail(
            "--counters phải có đúng một số cho mỗi giờ",
            "--counters needs one number per hour",
        ));
    }
    Ok(given)
}

fn simulate(a: &SimulateArgs) -> anyhow::Result<()> {
    let rows = read_profile(&a.profile)?;
    let arrivals: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let erlang_plan: Vec<u32> =
        erlang::plan_day(&arrivals, a.handling_minutes, 0.0, 20.0, a.target)
            .ok_or_else(|| {
                fail(
                    "giờ cao điểm cần quá nhiều quầy",
                    "an hour needs too many counters",
                )
            })?
            .iter()
            .map(|s| s.counters)
            .collect();
    let mut p = sim::Plan {
        hours: rows
            .iter()
            .map(|r| sim::Hour {
                arrivals: r.1,
                counters: 0,
            })
            .collect(),
        handling_minutes: a.handling_minutes,
        handling_cv: a.handling_cv,
        priority_share: a.priority_share,
        priority_every: a.priority_every,
        no_show: a.no_show,
        no_show_minutes: 1.0,
        within_minutes: 20.0,
        seed: a.seed,
        days: a.days,
    };
    let plan = match (given_plan(a, &rows)?, a.advise) {
        (Some(g), false) => g,
        _ => sim::advise(&p, &erlang_plan, a.target, erlang::MAX_COUNTERS)
            .ok_or_else(|| fail("không tìm được kế hoạch", "no plan meets the target"))?,
    };
    for (h, c) in p.hours.iter_mut().zip(&plan) {
        h.counters = *c;
    }
    let r = sim::simulate(&p);
    println!("hour\tarrivals\terlang\tcounters\tcalled_within_20");
    for (i, row) in rows.iter().enumerate() {
        let share = r
            .hour_shares
            .get(i)
            .copied()
            .flatten()
            .map_or("—".to_owned(), |s| format!("{:.1}%", s * 100.0));
        println!(
            "{:02}:00\t{}\t{}\t{}\t{share}",
            row.0, row.1, erlang_plan[i], plan[i]
        );
    }
    println!(
        "days {} · tickets {} · served {} · no-shows {} · wait p50 {:.1} min · p90 {:.1} min · max {:.1} min · within 20 min {:.1}% (worst hour {:.1}%) · counter-hours {}",
        a.days, r.tickets, r.served, r.no_shows, r.p50_wait_minutes, r.p90_wait_minutes, r.max_wait_minutes,
        r.within_share * 100.0, r.worst_hour_share * 100.0, plan.iter().sum::<u32>()
    );
    Ok(())
}
