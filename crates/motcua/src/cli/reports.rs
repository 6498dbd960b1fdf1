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
    }
    db.close().await;
    Ok(())
}
