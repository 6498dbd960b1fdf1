//! The access log of reads, appended in batches: a public look-up or an officer's read hands its entry to one
//! writer task, which commits whatever has gathered (up to 2,000 entries) in one transaction, so a read never waits
//! for a transaction of its own. Changes keep writing their audit row inside their own transaction.
//!
//! Durability: an entry is on disk within one batch (a few milliseconds under load); a crash of the process loses
//! at most the entries of the batch being gathered. Reading the log flushes it first, so what was read is listed.

use crate::store::audit::{self, AuditEntry};
use crate::store::Db;
use tokio::sync::{mpsc, oneshot};

enum Msg {
    Entry(Box<AuditEntry>),
    Flush(oneshot::Sender<()>),
}

/// The handle the services append through.
#[derive(Debug, Clone)]
pub struct AccessLog {
    tx: mpsc::Sender<Msg>,
}

impl std::fmt::Debug for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("access log message")
    }
}

const BATCH: usize = 2_000;

impl AccessLog {
    /// Starts the writer task on the current runtime.
    pub fn start(db: Db) -> AccessLog {
        let (tx, rx) = mpsc::channel(65_536);
        tokio::spawn(writer(db, rx));
        AccessLog { tx }
    }

    /// Hands an entry to the writer (waits only when 65,536 entries are already queued).
    pub async fn append(&self, e: &AuditEntry) -> sqlx::Result<()> {
        self.tx
            .send(Msg::Entry(Box::new(e.clone())))
            .await
            .map_err(|_| sqlx::Error::PoolClosed)
    }

    /// Returns once everything appended before is committed.
    pub async fn flush(&self) -> sqlx::Result<()> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send(Msg::Flush(done))
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        wait.await.map_err(|_| sqlx::Error::PoolClosed)
    }
}

async fn writer(db: Db, mut rx: mpsc::Receiver<Msg>) {
    let mut entries: Vec<AuditEntry> = Vec::with_capacity(BATCH);
    let mut waiting: Vec<oneshot::Sender<()>> = Vec::new();
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        while let Some(m) = next.take() {
            match m {
                Msg::Entry(e) => entries.push(*e),
                Msg::Flush(done) => waiting.push(done),
            }
            if entries.len() < BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !entries.is_empty() {
            if let Err(e) = audit::write_batch(&db, &entries).await {
                tracing::error!(error = %e, entries = entries.len(), "the access log batch was not written; retrying once");
                if let Err(e) = audit::write_batch(&db, &entries).await {
                    tracing::error!(error = %e, entries = entries.len(), "access log entries lost");
                }
            }
            entries.clear();
        }
        for w in waiting.drain(..) {
            let _ = w.send(());
        }
    }
}
