//! The deadline sweep: warns before a step or a dossier is late and when it is. Idempotent (each warning is
//! recorded once), isolated (one dossier's failure does not stop the rest) and driven by the clock it is given.

use crate::state::AppState;
use crate::store::steps;
use motcua_domain::calendar::format_vi;
use motcua_domain::workflow::DAY_MINUTES;
use serde::Serialize;

/// Working minutes before a step's deadline when its holder is warned.
pub const STEP_WARNING_MINUTES: i64 = 120;

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    /// Open steps and running dossiers looked at.
    pub examined: usize,
    /// Warnings raised for the first time (each also queued as a notification).
    pub raised: usize,
    /// Dossiers whose warnings could not be written (logged; retried next sweep).
    pub failed: usize,
}

/// Runs one sweep at the state's clock time.
pub async fn run(st: &AppState) -> anyhow::Result<SweepReport> {
    let now = st.clock.now();
    let cal = st.calendar();
    let step_soon = cal.add_working_minutes(now, STEP_WARNING_MINUTES);
    let dossier_soon = cal.add_working_minutes(now, DAY_MINUTES);
    let pending = steps::pending(&st.db, dossier_soon.max(step_soon)).await?;
    let mut report = SweepReport {
        examined: pending.len(),
        ..SweepReport::default()
    };
    for (dossier_id, code, seq, step_due, due, assignee, agency) in pending {
        let mut kinds: Vec<(i32, &str, String)> = Vec::new();
        if step_due < now {
            kinds.push((
                seq,
                "step_late",
                format!(
                    "Bước xử lý hồ sơ {code} đã quá hạn ({})",
                    format_vi(step_due)
                ),
            ));
        } else if step_due <= step_soon {
            kinds.push((
                seq,
                "step_due_soon",
                format!(
                    "Bước xử lý hồ sơ {code} sắp đến hạn ({})",
                    format_vi(step_due)
                ),
            ));
        }
        if let Some(d) = due {
            if d < now {
                kinds.push((
                    0,
                    "dossier_late",
                    format!("Hồ sơ {code} đã quá hạn trả kết quả ({})", format_vi(d)),
                ));
            } else if d <= dossier_soon {
                kinds.push((
                    0,
                    "dossier_due_soon",
                    format!(
                        "Hồ sơ {code} đến hạn trả kết quả trong 1 ngày làm việc ({})",
                        format_vi(d)
                    ),
                ));
            }
        }
        if kinds.is_empty() {
            continue;
        }
        let to = assignee.map_or_else(|| format!("agency:{agency}"), |u| format!("user:{u}"));
        let result: anyhow::Result<usize> = async {
            let mut tx = st.db.begin().await?;
            let mut n = 0;
            for (s, kind, msg) in &kinds {
                if steps::warn_once(&mut tx, dossier_id, *s, kind, now).await? {
                    let payload = serde_json::json!({ "code": code, "kind": kind, "message": msg });
                    steps::enqueue(&mut tx, dossier_id, kind, &to, &payload, now).await?;
                    n += 1;
                }
            }
            tx.commit().await?;
            Ok(n)
        }
        .await;
        match result {
            Ok(n) => report.raised += n,
            Err(e) => {
                report.failed += 1;
                tracing::warn!(dossier = %code, error = %e, "deadline sweep failed for one dossier");
            }
        }
    }
    Ok(report)
}

/// Sweeps every `every` until the process ends.
pub async fn every(st: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match run(&st).await {
            Ok(r) if r.raised > 0 || r.failed > 0 => {
                tracing::info!(
                    examined = r.examined,
                    raised = r.raised,
                    failed = r.failed,
                    "deadline sweep"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "deadline sweep failed"),
        }
        // What kiosks read from ID cards does not outlive its day.
        let today = crate::service::queue::day_of(st.clock.now());
        match crate::store::queue::erase_old_persons(&st.db, &today).await {
            Ok(n) if n > 0 => tracing::info!(tickets = n, "kiosk card reads erased"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "erasing kiosk card reads failed"),
        }
    }
}
