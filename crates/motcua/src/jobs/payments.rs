//! Asks the gateways about online orders whose callback never came (every five minutes).

use crate::state::AppState;

pub async fn every(st: AppState, period: std::time::Duration) {
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        match crate::service::money::reconcile::query_stale(&st).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(moved = n, "payment orders settled by status query"),
            Err(e) => tracing::warn!(error = %e, "payment status query round failed"),
        }
    }
}
