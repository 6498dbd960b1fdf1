//! The read replica's watcher: every two seconds it reads how far the replica is behind the primary, publishes that
//! on the metrics listener, and sends the public reads back to the primary while the replica is unreachable, not a
//! replica, or more than `read_max_lag_seconds` behind. They return to the replica once it has caught up.

use crate::store::replica::{self, ReplicaLag};
use crate::store::Db;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How often the lag is read.
const EVERY: Duration = Duration::from_secs(2);

/// A read-only replica and what was last seen of it.
#[derive(Debug)]
pub struct ReadReplica {
    /// The replica's pool.
    pub db: Db,
    usable: AtomicBool,
    lag_bytes: AtomicI64,
    /// Seconds behind, as `f64` bits.
    lag_seconds: AtomicU64,
    reads: AtomicU64,
    fallbacks: AtomicU64,
}

impl ReadReplica {
    /// Connects to the replica, checks it is one, and starts watching it on the current runtime.
    pub async fn start(
        primary: Db,
        url: &str,
        max_lag_seconds: u64,
    ) -> anyhow::Result<Arc<ReadReplica>> {
        if primary.backend() != crate::store::Backend::Postgres
            || crate::store::Backend::of(url) != Some(crate::store::Backend::Postgres)
        {
            anyhow::bail!(
                "database_read_url chỉ dùng với PostgreSQL (bản sao đồng bộ luồng của máy chủ chính) / database_read_url needs PostgreSQL: a streaming replica of the primary"
            );
        }
        let db = Db::connect(url).await.map_err(|e| {
            anyhow::anyhow!(
                "không kết nối được bản sao đọc {} / cannot reach the read replica: {e}",
                crate::store::redact_url(url)
            )
        })?;
        let r = Arc::new(ReadReplica {
            db,
            usable: AtomicBool::new(false),
            lag_bytes: AtomicI64::new(0),
            lag_seconds: AtomicU64::new(0),
            reads: AtomicU64::new(0),
            fallbacks: AtomicU64::new(0),
        });
        let seen = replica::lag(&primary, &r.db).await?;
        if seen.is_none() {
            anyhow::bail!(
                "database_read_url không phải bản sao đang phục hồi / database_read_url is not a replica in recovery"
            );
        }
        r.observe(seen, max_lag_seconds);
        tokio::spawn(watch(primary, Arc::clone(&r), max_lag_seconds));
        Ok(r)
    }

    fn observe(&self, seen: Option<ReplicaLag>, max_lag_seconds: u64) {
        let usable = match &seen {
            Some(l) => {
                self.lag_bytes.store(l.bytes, Ordering::Relaxed);
                self.lag_seconds
                    .store(l.seconds.to_bits(), Ordering::Relaxed);
                l.seconds <= max_lag_seconds as f64
            }
            None => false,
        };
        let was = self.usable.swap(usable, Ordering::Relaxed);
        if was != usable {
            match &seen {
                Some(l) if usable => {
                    tracing::info!(lag_s = l.seconds, "public reads go to the replica")
                }
                Some(l) => tracing::warn!(
                    lag_s = l.seconds,
                    "replica behind: public reads go to the primary"
                ),
                None => tracing::warn!("replica unreachable: public reads go to the primary"),
            }
        }
    }

    /// The pool a public read should use: the replica while it is usable.
    pub fn pick<'a>(&'a self, primary: &'a Db) -> &'a Db {
        if self.usable.load(Ordering::Relaxed) {
            self.reads.fetch_add(1, Ordering::Relaxed);
            &self.db
        } else {
            self.fallbacks.fetch_add(1, Ordering::Relaxed);
            primary
        }
    }

    /// (usable, bytes behind, seconds behind, reads served, reads sent to the primary instead).
    pub fn status(&self) -> (bool, i64, f64, u64, u64) {
        (
            self.usable.load(Ordering::Relaxed),
            self.lag_bytes.load(Ordering::Relaxed),
            f64::from_bits(self.lag_seconds.load(Ordering::Relaxed)),
            self.reads.load(Ordering::Relaxed),
            self.fallbacks.load(Ordering::Relaxed),
        )
    }
}

async fn watch(primary: Db, r: Arc<ReadReplica>, max_lag_seconds: u64) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        // Only the watcher and the state hold it: when the state is gone, stop.
        if Arc::strong_count(&r) == 1 {
            break;
        }
        let seen = match replica::lag(&primary, &r.db).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "replica lag not read");
                None
            }
        };
        r.observe(seen, max_lag_seconds);
    }
}
