//! The notification job: every two seconds, outbox rows become deliveries and due deliveries are sent.

use crate::service::notify::{deliver, expand, Senders};
use crate::state::AppState;

/// Runs forever (spawned by `serve`).
pub async fn every(st: AppState, period: std::time::Duration) {
    let senders = match Senders::from_config(&st) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "notification senders not configured; notifications wait in the outbox");
            return;
        }
    };
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        if let Err(e) = once(&st, &senders).await {
            tracing::warn!(error = %e, "notification delivery round failed");
        }
    }
}

/// One round: expand, then deliver until nothing is due.
pub async fn once(st: &AppState, senders: &Senders) -> anyhow::Result<usize> {
    while expand(st, senders, 500).await? > 0 {}
    let mut total = 0;
    loop {
        let (ok, bad) = deliver(st, senders, 100).await?;
        total += ok;
        if ok + bad == 0 {
            return Ok(total);
        }
    }
}
