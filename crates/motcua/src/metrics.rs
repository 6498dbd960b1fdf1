//! Prometheus metrics in the text exposition format: request counts and latencies per route, dossiers by status.
//! Served on a separate listener so they are never public by accident.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

const BUCKETS_MS: [f64; 10] = [
    1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 1000.0, 5000.0,
];

#[derive(Debug, Default, Clone)]
struct Hist {
    buckets: [u64; 10],
    count: u64,
    sum_ms: f64,
}

/// Counters kept in memory.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Hist>>,
    dossiers_created: AtomicU64,
}

impl Metrics {
    /// Records one request.
    pub fn record(&self, method: &str, route: &str, status: u16, ms: f64) {
        // Any method may be sent; only the standard ones get their own series.
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "OTHER",
        };
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((method.to_owned(), route.to_owned(), status))
                .or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let h = l.entry(route.to_owned()).or_default();
            for (i, b) in BUCKETS_MS.iter().enumerate() {
                if ms <= *b {
                    h.buckets[i] += 1;
                }
            }
            h.count += 1;
            h.sum_ms += ms;
        }
    }

    /// Counts a created dossier.
    pub fn dossier_created(&self) {
        self.dossiers_created.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text, with dossier counts by status read from the database by the caller.
    pub fn render(&self, by_status: &[(i16, i64)]) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP motcua_http_requests_total HTTP requests by method, route and status."
        );
        let _ = writeln!(out, "# TYPE motcua_http_requests_total counter");
        if let Ok(m) = self.requests.lock() {
            for ((method, route, status), n) in m.iter() {
                let _ = writeln!(out, "motcua_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}");
            }
        }
        let _ = writeln!(
            out,
            "# HELP motcua_http_request_duration_seconds Request latency by route."
        );
        let _ = writeln!(out, "# TYPE motcua_http_request_duration_seconds histogram");
        if let Ok(l) = self.latency.lock() {
            for (route, h) in l.iter() {
                for (i, b) in BUCKETS_MS.iter().enumerate() {
                    let _ = writeln!(out, "motcua_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{}\"}} {}", b / 1000.0, h.buckets[i]);
                }
                let _ = writeln!(out, "motcua_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(
                    out,
                    "motcua_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum_ms / 1000.0
                );
                let _ = writeln!(
                    out,
                    "motcua_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP motcua_dossiers Dossiers by national status code."
        );
        let _ = writeln!(out, "# TYPE motcua_dossiers gauge");
        for (s, n) in by_status {
            let key =
                motcua_domain::status::Status::from_code(*s).map_or("unknown", |x| x.as_str());
            let _ = writeln!(out, "motcua_dossiers{{status=\"{s}\",key=\"{key}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP motcua_dossiers_created_total Dossiers created since start."
        );
        let _ = writeln!(out, "# TYPE motcua_dossiers_created_total counter");
        let _ = writeln!(
            out,
            "motcua_dossiers_created_total {}",
            self.dossiers_created.load(Ordering::Relaxed)
        );
        out
    }
}

/// The read replica's series: whether public reads use it, how far behind it is, and how many reads went where.
pub fn replica_text(status: Option<(bool, i64, f64, u64, u64)>) -> String {
    let mut out = String::new();
    let Some((usable, bytes, seconds, reads, fallbacks)) = status else {
        return out;
    };
    let series: [(&str, &str, &str, String); 5] = [
        (
            "motcua_read_replica_up",
            "gauge",
            "1 while public reads go to the read replica, 0 while they go to the primary.",
            u8::from(usable).to_string(),
        ),
        (
            "motcua_read_replica_lag_seconds",
            "gauge",
            "Seconds since the last transaction the replica replayed (0 when it has replayed all it received).",
            seconds.to_string(),
        ),
        (
            "motcua_read_replica_lag_bytes",
            "gauge",
            "Bytes of the primary's write-ahead log the replica has not replayed.",
            bytes.to_string(),
        ),
        (
            "motcua_read_replica_reads_total",
            "counter",
            "Public reads served by the replica.",
            reads.to_string(),
        ),
        (
            "motcua_read_replica_fallbacks_total",
            "counter",
            "Public reads sent to the primary because the replica was behind or unreachable.",
            fallbacks.to_string(),
        ),
    ];
    for (name, kind, help, value) in series {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        let _ = writeln!(out, "{name} {value}");
    }
    out
}
