//! Storage over SQLite (embedded default) and PostgreSQL (province or nation): one code path, two pools.
//!
//! Every query is written once; [`on_db!`] and [`on_tx!`] run the same body on whichever backend is connected.

pub mod agencies;
pub mod audit;
pub mod bench;
pub mod calendar;
pub mod checklists;
pub mod deliveries;
pub mod documents;
pub mod dossiers;
pub mod logins;
pub mod migrate;
pub mod payments;
pub mod procedures;
pub mod queue;
pub mod replica;
pub mod report_check;
pub mod report_inputs;
pub mod report_provinces;
pub mod reports;
pub mod seals;
pub mod settings;
pub mod staff;
pub mod steps;
pub mod units;
pub mod users;
pub mod web;
pub mod workflows;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

/// A connection pool to one of the two backends.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool, Shared),
    Postgres(PgPool, Shared),
}

/// What the handles to one database share: SQLite's write lane, and the workflow versions already read (a version
/// is never changed once written: an edit adds the next one, so a version read once stays true).
#[derive(Clone, Debug, Default)]
pub struct Shared {
    lane: WriteLane,
    workflows:
        std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, workflows::WorkflowRow>>>,
}

/// SQLite takes one writer at a time. Its busy handler makes a second writer sleep and retry (1, 2, 5, 10 ms …),
/// which under load spends more time asleep than writing; the lane queues writers in the process instead, first
/// come first served, so each `BEGIN IMMEDIATE` finds the database free and the next writer starts the moment the
/// last one commits. The busy timeout still covers writers from another process (a CLI beside the server).
#[derive(Clone, Debug, Default)]
pub struct WriteLane(std::sync::Arc<tokio::sync::Mutex<()>>);

/// An open transaction on one of the two backends (on SQLite, holding the write lane until it ends; the
/// transaction is dropped, and so rolled back, before the lane is released).
#[must_use = "a transaction rolls back unless committed"]
pub enum Tx {
    Sqlite(
        Transaction<'static, Sqlite>,
        tokio::sync::OwnedMutexGuard<()>,
    ),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$p` bound to the concrete pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($p, _) => $body,
            $crate::store::Db::Postgres($p, _) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the concrete transaction (`&mut **$c` is the connection).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite($c, _) => $body,
            $crate::store::Tx::Postgres($c) => $body,
        }
    };
}

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// From the URL scheme.
    pub fn of(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A database URL with its password hidden from `Debug` and `Display`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Db {
    /// Connects by URL scheme: `sqlite://path` (created if missing, WAL) or `postgres://…`.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        match Backend::of(url) {
            Some(Backend::Sqlite) => {
                let opts = SqliteConnectOptions::from_str(url)?;
                // The database holds personal data: 0600 in a private folder (SQLite gives the WAL the same mode).
                if opts.get_filename() != std::path::Path::new(":memory:") {
                    crate::fsperm::private_sqlite_file(opts.get_filename())?;
                }
                let opts = opts
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // 1 MB of page cache a connection (SQLite's default is 2 MB): the hot pages are the rollups'
                    // and the open dossiers', and the system's file cache holds the rest.
                    .pragma("cache_size", "-1024");
                // A connection left idle for 30 s is closed, and with it its page cache and prepared statements
                // (most of what the process holds at idle).
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .idle_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await?;
                Ok(Db::Sqlite(pool, Shared::default()))
            }
            Some(Backend::Postgres) => {
                let opts = PgConnectOptions::from_str(url)?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(3))
                    .connect_with(opts)
                    .await?;
                Ok(Db::Postgres(pool, Shared::default()))
            }
            None => anyhow::bail!(
                "URL cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres:// / the database URL must start with sqlite:// or postgres://"
            ),
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(..) => Backend::Postgres,
        }
    }

    /// Begins a write transaction (`BEGIN IMMEDIATE` on SQLite, so concurrent writers queue instead of failing).
    pub async fn begin(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Db::Sqlite(p, shared) => {
                let turn = shared.lane.0.clone().lock_owned().await;
                Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?, turn)
            }
            Db::Postgres(p, _) => Tx::Postgres(p.begin().await?),
        })
    }

    /// A workflow version read before.
    pub(crate) fn remembered_workflow(&self, id: i64) -> Option<workflows::WorkflowRow> {
        let (Db::Sqlite(_, s) | Db::Postgres(_, s)) = self;
        s.workflows.lock().ok()?.get(&id).cloned()
    }

    /// Remembers a workflow version (up to 10,000; then the memory starts again).
    pub(crate) fn remember_workflow(&self, w: &workflows::WorkflowRow) {
        let (Db::Sqlite(_, s) | Db::Postgres(_, s)) = self;
        if let Ok(mut m) = s.workflows.lock() {
            if m.len() >= 10_000 {
                m.clear();
            }
            m.insert(w.id, w.clone());
        }
    }

    /// Closes the pool.
    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

impl Tx {
    /// Commits.
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(t, _turn) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// Serialises a `Date` as "YYYY-MM-DD" (and `iso_date::option` an `Option<Date>`).
pub mod iso_date {
    use serde::Serializer;
    use time::Date;

    /// `#[serde(with = "iso_date")]`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!(
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        ))
    }

    /// For `Option<Date>`.
    pub mod option {
        use serde::Serializer;
        use time::Date;

        /// `#[serde(with = "iso_date::option")]`.
        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// Times are stored in UTC so that they sort as text on SQLite.
pub fn utc(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(time::UtcOffset::UTC)
}

/// Whether an error is a unique-constraint violation (same meaning on both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(Backend::of("sqlite://x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of("postgres://localhost/test"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of("mysql://x"), None);
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("sqlite://a.db"), "sqlite://a.db");
    }
}

/// A value bound into a dynamically built query.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
    Time(OffsetDateTime),
}

/// A `where` clause built from optional filters, numbering `$n` placeholders for both backends.
#[derive(Debug, Default)]
pub struct Where {
    parts: Vec<String>,
    /// The values, in placeholder order.
    pub binds: Vec<Bind>,
}

impl Where {
    /// The next placeholder, e.g. `$3`, registering its value.
    pub fn arg(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }
    /// Adds a condition (use [`Where::arg`] for its values).
    pub fn push(&mut self, cond: String) {
        self.parts.push(cond);
    }
    /// `where a and b …` or an empty string.
    pub fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" where {}", self.parts.join(" and "))
        }
    }
}

/// Binds every value of a [`Where`] (or any `Vec<Bind>`) to a query.
#[macro_export]
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds.iter().cloned() {
            q = match b {
                $crate::store::Bind::Text(s) => q.bind(s),
                $crate::store::Bind::Int(i) => q.bind(i),
                $crate::store::Bind::Time(t) => q.bind(t),
            };
        }
        q
    }};
}
