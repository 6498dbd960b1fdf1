//! `motcua reports …`: rebuild the rollups from the dossiers, or check that they agree.

use crate::config::Config;
use clap::Subcommand;

/// Report commands.
#[derive(Debug, Subcommand)]
pub enum ReportsWhat {
    /// Tính lại toàn bộ số liệu tổng hợp từ hồ sơ / recompute every rollup from the dossiers.
    Rebuild,
    /// Đối chiếu số liệu tổng hợp với hồ sơ, không sửa / compare the rollups with the dossiers, changing nothing.
    Check,
    /// Đặt định mức: số bước xử lý một cán bộ làm mỗi ngày làm việc / set the norm: steps per officer per working day.
    Norm {
        /// Ví dụ / e.g. 12
        per_day: f64,
    },
}

/// Runs a report command.
pub async fn run(config: &Config, what: ReportsWhat) -> anyhow::Result<()> {
    let db = super::open(&config.database_url, false).await?;
    match what {
        ReportsWhat::Rebuild => {
            let t = std::time::Instant::now();
            let n = crate::store::reports::rebuild(&db).await?;
            println!(
                "Đã tính lại số liệu từ {n} hồ sơ trong {:.1} s / rebuilt the rollups from {n} dossiers in {:.1} s",
                t.elapsed().as_secs_f64(),
                t.elapsed().as_secs_f64()
            );
        }
        ReportsWhat::Check => {
            let diff = crate::store::reports::check(&db).await?;
            if diff.is_empty() {
                println!("Số liệu tổng hợp khớp với hồ sơ / the rollups agree with the dossiers");
            } else {
                for d in diff.iter().take(20) {
                    println!("{d}");
                }
                anyhow::bail!(
                    "{} ô số liệu không khớp: chạy `motcua reports rebuild` / {} cells disagree: run `motcua reports rebuild`",
                    diff.len(),
                    diff.len()
                );
            }
        }
        ReportsWhat::Norm { per_day } => {
            if !(per_day > 0.0 && per_day <= 1000.0) {
                anyhow::bail!("định mức phải lớn hơn 0 và không quá 1000 / the norm must be above 0 and at most 1000");
            }
            let mut tx = db.begin().await?;
            crate::store::settings::set(
                &mut tx,
                crate::service::reports::staff::NORM_SETTING,
                &per_day.to_string(),
            )
            .await?;
            tx.commit().await?;
            println!("Định mức: {per_day} bước mỗi cán bộ mỗi ngày làm việc / norm set: {per_day} steps per officer per working day");
        }
    }
    db.close().await;
    Ok(())
}
