//! Tells the hall displays that a center's queue changed: a broadcast inside this process, and on PostgreSQL a
//! `NOTIFY` (sent in the transaction of the change) that the other instances' listeners turn into the same broadcast.

use motcua_domain::ids::AgencyId;
use tokio::sync::broadcast;

/// The PostgreSQL channel.
pub const CHANNEL: &str = "motcua_queue";

/// The bus of one process.
#[derive(Debug)]
pub struct QueueBus {
    tx: broadcast::Sender<AgencyId>,
    /// This process, so its listener skips the notifications it sent itself.
    instance: String,
    /// Changes seen per center, and the board last drawn for a version: every display of a center shares one read.
    boards: tokio::sync::Mutex<std::collections::HashMap<AgencyId, (u64, std::sync::Arc<String>)>>,
    versions: std::sync::Mutex<std::collections::HashMap<AgencyId, u64>>,
}

impl Default for QueueBus {
    fn default() -> Self {
        let mut b = [0u8; 8];
        let _ = getrandom::getrandom(&mut b);
        QueueBus {
            tx: broadcast::channel(1024).0,
            instance: hex::encode(b),
            boards: tokio::sync::Mutex::default(),
            versions: std::sync::Mutex::default(),
        }
    }
}

impl QueueBus {
    /// Announces a change of a center's queue in this process.
    pub fn changed(&self, agency: AgencyId) {
        if let Ok(mut v) = self.versions.lock() {
            *v.entry(agency).or_default() += 1;
        }
        // No display listening is not an error.
        let _ = self.tx.send(agency);
    }

    fn version(&self, agency: AgencyId) -> u64 {
        self.versions
            .lock()
            .map_or(0, |v| v.get(&agency).copied().unwrap_or(0))
    }

    /// The board of a center as of its latest change: drawn by the first display that asks, shared by the others.
    pub async fn board<F, Fut, E>(
        &self,
        agency: AgencyId,
        draw: F,
    ) -> Result<std::sync::Arc<String>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<String, E>>,
    {
        let version = self.version(agency);
        let mut boards = self.boards.lock().await;
        if let Some((v, b)) = boards.get(&agency) {
            if *v == version {
                return Ok(b.clone());
            }
        }
        let b = std::sync::Arc::new(draw().await?);
        boards.insert(agency, (version, b.clone()));
        Ok(b)
    }

    /// A receiver of changes (every center: filter by agency).
    pub fn subscribe(&self) -> broadcast::Receiver<AgencyId> {
        self.tx.subscribe()
    }

    /// The `NOTIFY` payload for a change.
    pub fn payload(&self, agency: AgencyId) -> String {
        format!("{}:{agency}", self.instance)
    }

    /// A notification from another instance: the agency it names (`None` for our own or an unreadable one).
    pub fn foreign(&self, payload: &str) -> Option<AgencyId> {
        let (who, agency) = payload.split_once(':')?;
        if who == self.instance {
            return None;
        }
        agency.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads() {
        let a = QueueBus::default();
        let b = QueueBus::default();
        let p = a.payload(AgencyId(7));
        assert_eq!(a.foreign(&p), None);
        assert_eq!(b.foreign(&p), Some(AgencyId(7)));
        assert_eq!(b.foreign("garbage"), None);
    }
}
