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
}

impl Default for QueueBus {
    fn default() -> Self {
        let mut b = [0u8; 8];
        let _ = getrandom::getrandom(&mut b);
        QueueBus {
            tx: broadcast::channel(1024).0,
            instance: hex::encode(b),
        }
    }
}

impl QueueBus {
    /// Announces a change of a center's queue in this process.
    pub fn changed(&self, agency: AgencyId) {
        // No display listening is not an error.
        let _ = self.tx.send(agency);
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
