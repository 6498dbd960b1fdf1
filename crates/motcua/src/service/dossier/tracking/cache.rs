//! The tracking cache: the public answer of a dossier, kept while the dossier's revisions are unchanged.
//!
//! The key is the pair (`dossiers.version`, `dossiers.public_rev`): the first moves with every change of the dossier
//! row, the second with every row of the tables the public page shows (events, steps, notices, documents, ratings,
//! fees, payments; database triggers, in the same transaction). A look-up reads the pair first, so an answer is
//! reused only while it is exact. Entries also expire after a minute (a renamed agency or procedure shows soon), and
//! the cache holds at most [`CAPACITY`] dossiers.

use super::Tracked;
use motcua_domain::ids::UserId;
use motcua_domain::status::Status;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// How many dossiers the cache holds.
pub const CAPACITY: usize = 20_000;
/// How long an entry is reused at most.
pub const LIFETIME: Duration = Duration::from_secs(60);

/// What the public sees of a dossier, before the parts that depend on the moment and on the viewer.
#[derive(Debug)]
pub struct Snapshot {
    pub base: Tracked,
    pub due_at: Option<OffsetDateTime>,
    pub status: Status,
    pub citizen: Option<UserId>,
}

/// The revisions an entry was read at.
pub type Rev = (i32, i64);

struct Entry {
    rev: Rev,
    made: Instant,
    snap: Arc<Snapshot>,
}

/// Dossier code → the answer read at a revision.
#[derive(Default)]
pub struct TrackCache {
    map: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for TrackCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrackCache")
    }
}

impl TrackCache {
    /// The answer for `code` if it was read at `rev` less than [`LIFETIME`] ago.
    pub fn get(&self, code: &str, rev: Rev) -> Option<Arc<Snapshot>> {
        let map = self.map.lock().ok()?;
        map.get(code)
            .filter(|e| e.rev == rev && e.made.elapsed() < LIFETIME)
            .map(|e| e.snap.clone())
    }

    /// Keeps an answer; when full, drops the expired entries first and everything if that is not enough.
    pub fn put(&self, code: &str, rev: Rev, snap: Arc<Snapshot>) {
        let Ok(mut map) = self.map.lock() else {
            return;
        };
        if map.len() >= CAPACITY && !map.contains_key(code) {
            map.retain(|_, e| e.made.elapsed() < LIFETIME);
            if map.len() >= CAPACITY {
                map.clear();
            }
        }
        map.insert(
            code.to_owned(),
            Entry {
                rev,
                made: Instant::now(),
                snap,
            },
        );
    }

    /// How many dossiers are cached.
    pub fn len(&self) -> usize {
        self.map.lock().map_or(0, |m| m.len())
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
