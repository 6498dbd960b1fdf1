//! On PostgreSQL, turns the other instances' queue notifications into this process's broadcast, reconnecting after
//! a lost connection (a display connected here then sees a call made on another instance).

use crate::state::AppState;
use crate::store::Db;
use std::time::Duration;

/// Listens until the process ends (returns at once on SQLite: one process, nothing to hear).
pub async fn run(st: AppState) {
    let Db::Postgres(pool, _) = &st.db else {
        return;
    };
    let mut backoff = Duration::from_millis(200);
    loop {
        match sqlx::postgres::PgListener::connect_with(pool).await {
            Ok(mut l) => {
                if let Err(e) = l.listen(crate::queue_bus::CHANNEL).await {
                    tracing::warn!(error = %e, "queue listener could not listen");
                } else {
                    backoff = Duration::from_millis(200);
                    loop {
                        match l.recv().await {
                            Ok(n) => {
                                if let Some(a) = st.queue_bus.foreign(n.payload()) {
                                    st.queue_bus.changed(a);
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "queue listener lost its connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "queue listener could not connect"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}
