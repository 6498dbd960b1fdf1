//! The application state shared by handlers, the CLI and jobs: concrete types, no generics.

use crate::clock::Clock;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::store::Db;
use motcua_domain::calendar::{OfficeHours, WorkCalendar};
use std::sync::{Arc, RwLock};
use time::Weekday;

/// Years the working calendar knows holidays for (dates outside are refused at the edge).
pub const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Everything a request needs.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    /// The read-only replica that takes public reads, when `database_read_url` is set.
    pub replica: Option<Arc<crate::jobs::replica::ReadReplica>>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<Config>,
    calendar: Arc<RwLock<Arc<WorkCalendar>>>,
    pub metrics: Arc<Metrics>,
    pub data_key: Arc<crate::crypto::DataKey>,
    /// The secret of the ID-number hash, the receipt token and result grants.
    pub id_key: Arc<crate::crypto::HashKey>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub proxies: Arc<crate::http::client::Proxies>,
    pub tracking_limit: Arc<crate::ratelimit::RateLimiter>,
    /// Public tracking answers, reused while the dossier is unchanged.
    pub track_cache: Arc<crate::service::dossier::tracking::TrackCache>,
    pub login_limit: Arc<crate::ratelimit::RateLimiter>,
    pub blobs: crate::blob::BlobStore,
    /// The catalogue search index (rebuilt when the catalogue changes).
    pub search: Arc<crate::search_index::SearchIndex>,
    /// Changes of the centers' queues, for the hall displays.
    pub queue_bus: Arc<crate::queue_bus::QueueBus>,
    /// Tickets taken per client and minute (phones and kiosks).
    pub ticket_limit: Arc<crate::ratelimit::RateLimiter>,
    /// The pages' content security policy: forms post to this site and to the configured payment gateways.
    pub csp: Arc<str>,
    /// The access log of reads, written in batches.
    pub access: crate::jobs::access_log::AccessLog,
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find('/').unwrap_or(rest.len());
    Some(&url[..url.len() - rest.len() + end])
}

fn csp(config: &Config) -> String {
    let mut targets = vec!["'self'".to_owned()];
    for p in &config.payments {
        if let Some(o) = origin(&p.pay_url) {
            if !targets.iter().any(|t| t == o) && !o.contains([';', ' ', '\'', ',']) {
                targets.push(o.to_owned());
            }
        }
    }
    format!(
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action {}; frame-ancestors 'none'",
        targets.join(" ")
    )
}

impl AppState {
    /// Builds the state and loads the working calendar (statutory holidays plus the stored overrides).
    pub async fn new(db: Db, clock: Arc<dyn Clock>, config: Config) -> anyhow::Result<AppState> {
        let id_key = crate::crypto::HashKey::from_config(
            &config.id_hash_key,
            std::path::Path::new(&config.id_hash_key_file),
        )?;
        let proxies = crate::http::client::Proxies::parse(&config.trusted_proxies)?;
        let data_key =
            crate::crypto::DataKey::load_or_create(std::path::Path::new(&config.data_key_file))?;
        crate::keys::ensure(&db, &id_key, &data_key).await?;
        let keyed = crate::store::dossiers::fill_applicant_keys(&db).await?;
        if keyed > 0 {
            tracing::info!(dossiers = keyed, "applicant names folded for search");
        }
        let filled = crate::store::procedures::fill_has_limit(&db).await?;
        if filled > 0 {
            tracing::info!(
                procedures = filled,
                "time-limit flags filled from the parsed records"
            );
        }
        // Dossiers kept before the rollups existed (version 11) are counted once, on the first start after it.
        if crate::store::settings::get(&db, "reports_built_v2")
            .await?
            .is_none()
        {
            let n = crate::store::reports::rebuild(&db).await?;
            let mut tx = db.begin().await?;
            crate::store::settings::set(&mut tx, "reports_built_v2", "1").await?;
            tx.commit().await?;
            tracing::info!(dossiers = n, "report rollups built from the dossiers");
        }
        let access = crate::jobs::access_log::AccessLog::start(db.clone());
        let replica = if config.database_read_url.trim().is_empty() {
            None
        } else {
            Some(
                crate::jobs::replica::ReadReplica::start(
                    db.clone(),
                    config.database_read_url.trim(),
                    config.read_max_lag_seconds,
                )
                .await?,
            )
        };
        let state = AppState {
            access,
            replica,
            db,
            clock,
            config: Arc::new(config.clone()),
            calendar: Arc::new(RwLock::new(Arc::new(WorkCalendar::vietnam(
                2024..=2024,
                &[],
            )))),
            metrics: Arc::new(Metrics::default()),
            tracking_limit: Arc::default(),
            track_cache: Arc::default(),
            login_limit: Arc::default(),
            blobs: crate::blob::BlobStore::from_config(&config.blob_url, &config.blob_dir, &[])?,
            data_key: Arc::new(data_key),
            id_key: Arc::new(id_key),
            proxies: Arc::new(proxies),
            search: Arc::default(),
            queue_bus: Arc::default(),
            ticket_limit: Arc::default(),
            csp: csp(&config).into(),
        };
        state.reload_calendar().await?;
        state
            .search
            .rebuild(&state.db)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(state)
    }

    /// The pool for public reads (tracking, catalog, search, drill-down lists): the replica while it is usable,
    /// otherwise the primary. Writes, and reads that must see the caller's own write, use `db`.
    pub fn reader(&self) -> &Db {
        match &self.replica {
            Some(r) => r.pick(&self.db),
            None => &self.db,
        }
    }

    /// Rebuilds the calendar after overrides change.
    pub async fn reload_calendar(&self) -> anyhow::Result<()> {
        let hours = OfficeHours::parse(&self.config.office_hours).map_err(|e| {
            anyhow::anyhow!(
                "office_hours sai / invalid office_hours '{}': {e}",
                self.config.office_hours
            )
        })?;
        let overrides = crate::store::calendar::list(&self.db).await?;
        let year = self.clock.now().year();
        let cal = WorkCalendar::new(
            hours,
            [Weekday::Saturday, Weekday::Sunday],
            (year - 3)..=(year + 6),
            &overrides,
        );
        if let Ok(mut c) = self.calendar.write() {
            *c = Arc::new(cal);
        }
        Ok(())
    }

    /// The current working calendar.
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        self.calendar
            .read()
            .map(|c| Arc::clone(&c))
            .unwrap_or_else(|_| Arc::new(WorkCalendar::vietnam(2024..=2030, &[])))
    }
}
