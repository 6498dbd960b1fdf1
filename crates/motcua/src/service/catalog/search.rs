//! The one catalogue search of the portal, the counter, the API and the kiosk: the index held in the state
//! (`crate::search_index`), filtered by the caller's conditions in the store; and the everyday names as a system
//! administrator edits them.

use crate::error::{AppError, AppResult};
pub use crate::search_index::{
    synonyms_text, Built, SearchIndex, DEFAULT_SYNONYMS, SYNONYMS_SETTING,
};
use crate::service::account::session::Actor;
use crate::store::procedures::{self, ProcedureFilter, ProcedureRow};
use crate::store::{settings, Db};
use motcua_domain::search::{parse_synonyms, Level};

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
