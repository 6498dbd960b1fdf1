//! The one catalogue search of the portal, the counter, the API and the kiosk: the domain's index over the stored
//! catalogue, rebuilt when the catalogue or the everyday names change (checked at most every few seconds, so an
//! import by the CLI or another instance reaches every server), filtered by the caller's conditions in the store.

use crate::error::{AppError, AppResult};
use crate::service::account::session::Actor;
use crate::store::procedures::{self, ProcedureFilter, ProcedureRow};
use crate::store::{settings, Db};
use motcua_domain::catalog::{Detail, Levels};
use motcua_domain::search::{parse_synonyms, Doc, Index, Level, Synonym};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// The everyday names shipped with motcua (a province administrator edits its own copy).
pub const DEFAULT_SYNONYMS: &str = include_str!("../../../data/search_synonyms.txt");
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
                code: r.code,
                name: r.name,
                field: r.field,
                results,
                documents,
                levels: Levels {
                    ministry: r.level_ministry,
                    province: r.level_province,
                    commune: r.level_commune,
                    other: false,
                },
            }
        })
        .collect();
    let index = Index::build(&docs, synonyms);
    tracing::info!(procedures = index.len(), "search index built");
    Ok(Built { version, index })
}

/// The level an officer searches from: the tier of the officer's unit.
pub fn level_of(actor: &Actor) -> Option<Level> {
    actor.agency.as_ref().map(|a| match a.tier {
        motcua_domain::agency::Tier::Province => Level::Province,
        _ => Level::Commune,
    })
}

/// Searches: the total and one page of rows, best first. Without free text, the catalogue in code order.
pub async fn find(
    index: &SearchIndex,
    db: &Db,
    f: &ProcedureFilter,
    near: Option<Level>,
) -> AppResult<(i64, Vec<ProcedureRow>)> {
    let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) else {
        return Ok(procedures::search(db, f).await?);
    };
    let built = index.current(db).await?;
    let near = near.or_else(|| f.level.as_deref().and_then(Level::parse));
    let hits = built.index.search(q, near, !q.ends_with(' '));
    let codes: Vec<&str> = hits.iter().map(|h| h.code).collect();
    let mut rows = procedures::rows_of(db, &codes, f).await?;
    let rank: std::collections::HashMap<&str, usize> =
        codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    rows.sort_by_key(|r| rank.get(r.code.as_str()).copied().unwrap_or(usize::MAX));
    let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(f.offset.max(0)).unwrap_or(usize::MAX);
    let take = usize::try_from(f.limit.max(0)).unwrap_or(0);
    Ok((total, rows.into_iter().skip(start).take(take).collect()))
}

/// Saves the everyday names (system administrators: they shape every search of the deployment), with the audit
/// row, and rebuilds the index. Lines that cannot be read are refused, naming them.
pub async fn set_synonyms(
    st: &crate::state::AppState,
    actor: &Actor,
    text: &str,
    request_id: &str,
) -> AppResult<usize> {
    if actor.role != motcua_domain::role::Role::SystemAdmin {
        return Err(AppError::with(
            crate::error::ErrorCode::Forbidden,
            "the everyday names shape every search of the deployment: system administrators edit them",
        ));
    }
    if text.len() > 100_000 {
        return Err(AppError::field(
            "text",
            "Tối đa 100.000 ký tự",
            "at most 100,000 characters",
        ));
    }
    let n = parse_synonyms(text)
        .map_err(|lines| {
            // Each refused line with its text, so it can be found in a long list.
            let shown: Vec<String> = lines
                .iter()
                .take(5)
                .map(|&n| {
                    let l: String = text
                        .lines()
                        .nth(n - 1)
                        .unwrap_or("")
                        .chars()
                        .take(80)
                        .collect();
                    format!("{n} «{}»", l.trim())
                })
                .collect();
            let list = shown.join("; ");
            AppError::field(
                "text",
                format!("Dòng {list}: cần dạng «tên thường gọi = từ chính thức»"),
                format!("line {list}: write «everyday name = official words»"),
            )
        })?
        .len();
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    settings::set(&mut tx, SYNONYMS_SETTING, text.trim()).await?;
    crate::store::audit::write_tx(
        &mut tx,
        &actor.audit(
            (
                "set_search_synonyms",
                "setting",
                SYNONYMS_SETTING.to_owned(),
            ),
            "sửa từ đồng nghĩa tìm kiếm",
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    st.search.rebuild(&st.db).await?;
    Ok(n)
}
