//! The catalogue search index held by the application state: the domain's index over the stored catalogue, rebuilt
//! when the catalogue's fingerprint or the everyday names change (checked at most every few seconds, so an import by
//! the CLI or another instance reaches every server). The search itself is `service::catalog::search`.

use crate::error::{AppError, AppResult};
use crate::store::procedures;
use crate::store::{settings, Db};
use motcua_domain::catalog::{Detail, Levels};
use motcua_domain::search::{parse_synonyms, Doc, Index, Synonym};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// The everyday names shipped with motcua (a province administrator edits its own copy).
pub const DEFAULT_SYNONYMS: &str = include_str!("../data/search_synonyms.txt");
/// The setting that holds the edited everyday names.
pub const SYNONYMS_SETTING: &str = "search_synonyms";
const RECHECK: Duration = Duration::from_secs(5);

/// The index in force and what it was built from.
#[derive(Debug, Default)]
pub struct Built {
    pub version: String,
    pub index: Index,
}

/// The shared, self-refreshing index.
#[derive(Debug, Default)]
pub struct SearchIndex {
    built: RwLock<Arc<Built>>,
    checked: Mutex<Option<Instant>>,
}

impl SearchIndex {
    /// The index in force, rebuilt first when the catalogue changed since it was built.
    pub async fn current(&self, db: &Db) -> AppResult<Arc<Built>> {
        let due = {
            let mut c = self.checked.lock().map_err(|_| poisoned())?;
            let due = c.is_none_or(|t| t.elapsed() >= RECHECK);
            if due {
                *c = Some(Instant::now());
            }
            due
        };
        let have = self.built.read().map_err(|_| poisoned())?.clone();
        if !due {
            return Ok(have);
        }
        let version = version(db).await?;
        if version == have.version {
            return Ok(have);
        }
        self.rebuild(db).await
    }

    /// Rebuilds now (after an import or an edit of the everyday names).
    pub async fn rebuild(&self, db: &Db) -> AppResult<Arc<Built>> {
        let built = Arc::new(build(db).await?);
        *self.built.write().map_err(|_| poisoned())? = built.clone();
        Ok(built)
    }
}

fn poisoned() -> AppError {
    AppError::from(anyhow::anyhow!("search index lock poisoned"))
}

async fn version(db: &Db) -> AppResult<String> {
    let synonyms = settings::get(db, SYNONYMS_SETTING)
        .await?
        .unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&synonyms, &mut h);
    Ok(format!(
        "{}/{:x}",
        procedures::version(db).await?,
        std::hash::Hasher::finish(&h)
    ))
}

/// The everyday names in force: the edited ones, or the shipped ones when none were saved (or they no longer read).
pub async fn synonyms_text(db: &Db) -> AppResult<String> {
    Ok(settings::get(db, SYNONYMS_SETTING)
        .await?
        .unwrap_or_else(|| DEFAULT_SYNONYMS.to_owned()))
}

async fn build(db: &Db) -> AppResult<Built> {
    let version = version(db).await?;
    let text = synonyms_text(db).await?;
    let synonyms: Vec<Synonym> = parse_synonyms(&text).unwrap_or_else(|lines| {
        tracing::warn!(
            ?lines,
            "everyday names unreadable; the shipped ones are used"
        );
        parse_synonyms(DEFAULT_SYNONYMS).unwrap_or_default()
    });
    let docs: Vec<Doc> = procedures::search_rows(db)
        .await?
        .into_iter()
        .map(|r| {
            let detail = r
                .detail
                .as_deref()
                .and_then(|d| serde_json::from_str::<Detail>(d).ok());
            let (results, documents) = detail
                .map(|d| {
                    let docs = d
                        .documents
                        .iter()
                        .flat_map(|g| {
                            std::iter::once(g.title.clone())
                                .chain(g.items.iter().map(|i| i.name.clone()))
                        })
                        .collect();
                    (d.results.into_iter().map(|r| r.name).collect(), docs)
                })
                .unwrap_or_default();
            Doc {
                code: r.row.code,
                name: r.row.name,
                field: r.row.field,
                results,
                documents,
                levels: Levels {
                    ministry: r.row.level_ministry,
                    province: r.row.level_province,
                    commune: r.row.level_commune,
                    other: r.row.level_other,
                },
            }
        })
        .collect();
    let index = Index::build(&docs, synonyms);
    tracing::info!(procedures = index.len(), "search index built");
    Ok(Built { version, index })
}
