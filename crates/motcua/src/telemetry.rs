//! Logging: `tracing` with an env filter (`RUST_LOG`), text for people or JSON for a SIEM. No personal data is ever a
//! field: ID numbers are masked by their type, and the access log is a table, not a log line.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (once; later calls are ignored, as in tests).
pub fn init(format: LogFormat) {
    init_at(format, "info,sqlx=warn");
}

/// As [`init`], with another default level when `RUST_LOG` is not set (the benchmarks log warnings only: a line a
/// request would be the load being measured).
pub fn init_at(format: LogFormat, default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
