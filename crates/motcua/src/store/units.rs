//! Administrative units (34 provinces, 3,321 communes, wards and special zones), their history, and the old→new map.

use super::{Bind, Db, Tx, Where};
use crate::{bind_all, on_db, on_tx};
use serde::Serialize;
use std::collections::HashMap;
use time::Date;

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct UnitRow {
    pub code: String,
    pub level: String,
    pub province_code: Option<String>,
    pub name: String,
    pub short_name: String,
    pub name_en: String,
    pub kind: String,
    pub disadvantaged: bool,
    #[serde(with = "super::iso_date")]
    pub valid_from: Date,
    #[serde(with = "super::iso_date::option")]
    pub valid_to: Option<Date>,
}

/// A unit to import.
#[derive(Debug, Clone)]
pub struct UnitInput {
    pub code: String,
    pub level: &'static str,
    pub province_code: Option<String>,
    pub name: String,
    pub short_name: String,
    pub name_en: String,
    pub kind: String,
}

/// What an import did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnitImport {
    pub inserted: usize,
    pub changed: usize,
    pub unchanged: usize,
}

const COLS: &str = "code, level, province_code, name, short_name, name_en, kind, disadvantaged, valid_from, valid_to";

/// Inserts new units and records changes of name or type as history rows effective from `effective`.
pub async fn import(
    tx: &mut Tx,
    rows: &[UnitInput],
    effective: Date,
    source: &str,
) -> sqlx::Result<UnitImport> {
    let existing: Vec<UnitRow> = on_tx!(&mut *tx, |c| sqlx::query_as(&format!(
        "select {COLS} from units"
    ))
    .fetch_all(&mut **c)
    .await)?;
    let existing: HashMap<String, UnitRow> =
        existing.into_iter().map(|u| (u.code.clone(), u)).collect();
    let mut stats = UnitImport::default();
    let mut new_rows = Vec::new();
    for r in rows {
        match existing.get(&r.code) {
            None => new_rows.push(r),
            Some(e)
                if e.name == r.name && e.kind == r.kind && e.province_code == r.province_code =>
            {
                stats.unchanged += 1
            }
            Some(_) => {
                stats.changed += 1;
                on_tx!(&mut *tx, |c| {
                    sqlx::query("update units set name = $1, short_name = $2, name_en = $3, kind = $4, province_code = $5, search_key = $6 where code = $7")
                        .bind(&r.name).bind(&r.short_name).bind(&r.name_en).bind(&r.kind).bind(&r.province_code)
                        .bind(motcua_domain::text::search_key(&r.name)).bind(&r.code)
                        .execute(&mut **c).await?;
                    sqlx::query("update unit_history set valid_to = $1 where unit_code = $2 and valid_to is null")
                        .bind(effective).bind(&r.code).execute(&mut **c).await?;
                    sqlx::query("insert into unit_history (unit_code, valid_from, name, kind, source) values ($1, $2, $3, $4, $5)")
                        .bind(&r.code).bind(effective).bind(&r.name).bind(&r.kind).bind(source)
                        .execute(&mut **c).await?;
                });
            }
        }
    }
    stats.inserted = new_rows.len();
    for chunk in new_rows.chunks(500) {
        on_tx!(&mut *tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "insert into units (code, level, province_code, name, short_name, name_en, kind, search_key, disadvantaged, valid_from) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(&r.code)
                    .push_bind(r.level)
                    .push_bind(&r.province_code)
                    .push_bind(&r.name)
                    .push_bind(&r.short_name)
                    .push_bind(&r.name_en)
                    .push_bind(&r.kind)
                    .push_bind(motcua_domain::text::search_key(&r.name))
                    .push_bind(false)
                    .push_bind(effective);
            });
            qb.build().execute(&mut **c).await?;
            let mut qb = sqlx::QueryBuilder::new(
                "insert into unit_history (unit_code, valid_from, name, kind, source) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(&r.code)
                    .push_bind(effective)
                    .push_bind(&r.name)
                    .push_bind(&r.kind)
                    .push_bind(source);
            });
            qb.build().execute(&mut **c).await?;
        });
    }
    Ok(stats)
}

/// Filters of a unit listing.
#[derive(Debug, Default, Clone)]
pub struct UnitFilter {
    pub level: Option<String>,
    pub province: Option<String>,
    pub q: Option<String>,
    pub kind: Option<String>,
}

/// Lists units, provinces first by code, then communes by code.
pub async fn list(db: &Db, f: &UnitFilter) -> sqlx::Result<Vec<UnitRow>> {
    let mut w = Where::default();
    if let Some(l) = &f.level {
        let a = w.arg(Bind::Text(l.clone()));
        w.push(format!("level = {a}"));
    }
    if let Some(p) = &f.province {
        let a = w.arg(Bind::Text(p.clone()));
        w.push(format!("province_code = {a}"));
    }
    if let Some(k) = &f.kind {
        let a = w.arg(Bind::Text(k.clone()));
        w.push(format!("kind = {a}"));
    }
    if let Some(q) =
        f.q.as_deref()
            .map(motcua_domain::text::search_key)
            .filter(|q| !q.is_empty())
    {
        let a = w.arg(Bind::Text(format!("%{q}%")));
        w.push(format!("search_key like {a}"));
    }
    let sql = format!(
        "select {COLS} from units{} order by level desc, code",
        w.sql()
    );
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}

/// One unit by code.
pub async fn get(db: &Db, code: &str) -> sqlx::Result<Option<UnitRow>> {
    let sql = format!("select {COLS} from units where code = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(p)
        .await)
}

/// A unit's names and types over time.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HistoryRow {
    #[serde(with = "super::iso_date")]
    pub valid_from: Date,
    #[serde(with = "super::iso_date::option")]
    pub valid_to: Option<Date>,
    pub name: String,
    pub kind: String,
    pub source: String,
}

/// The history of one unit, oldest first.
pub async fn history(db: &Db, code: &str) -> sqlx::Result<Vec<HistoryRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select valid_from, valid_to, name, kind, source from unit_history where unit_code = $1 order by valid_from, id"
    )
    .bind(code)
    .fetch_all(p)
    .await
    })
}

/// Marks a unit as a disadvantaged area (selects the longer legal time limits).
pub async fn set_disadvantaged(db: &Db, code: &str, on: bool) -> sqlx::Result<u64> {
    on_db!(db, |p| sqlx::query(
        "update units set disadvantaged = $1 where code = $2"
    )
    .bind(on)
    .bind(code)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
}

/// A row of the 2025 merge map.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MergeRow {
    pub old_province_code: String,
    pub old_province_name: String,
    pub old_district_code: String,
    pub old_district_name: String,
    pub old_unit_code: String,
    pub old_unit_name: String,
    pub new_province_code: String,
    pub new_unit_code: String,
    pub new_unit_name: String,
    pub merge_type: String,
    pub resolution: String,
}

/// Replaces the merge map.
pub async fn import_merge_map(tx: &mut Tx, rows: &[MergeRow]) -> sqlx::Result<usize> {
    on_tx!(&mut *tx, |c| sqlx::query("delete from merge_map")
        .execute(&mut **c)
        .await
        .map(|r| r.rows_affected()))?;
    for chunk in rows.chunks(400) {
        on_tx!(&mut *tx, |c| {
            let mut qb = sqlx::QueryBuilder::new("insert into merge_map (old_province_code, old_province_name, old_district_code, old_district_name, old_unit_code, old_unit_name, old_search_key, new_province_code, new_unit_code, new_unit_name, merge_type, resolution) ");
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(&r.old_province_code)
                    .push_bind(&r.old_province_name)
                    .push_bind(&r.old_district_code)
                    .push_bind(&r.old_district_name)
                    .push_bind(&r.old_unit_code)
                    .push_bind(&r.old_unit_name)
                    .push_bind(motcua_domain::text::search_key(&r.old_unit_name))
                    .push_bind(&r.new_province_code)
                    .push_bind(&r.new_unit_code)
                    .push_bind(&r.new_unit_name)
                    .push_bind(&r.merge_type)
                    .push_bind(&r.resolution);
            });
            qb.build().execute(&mut **c).await?;
        });
    }
    Ok(rows.len())
}

/// Filters of an old-unit look-up.
#[derive(Debug, Default, Clone)]
pub struct OldFilter {
    /// Old commune name, with or without its type ("Bến Nghé" or "Phường Bến Nghé").
    pub name: Option<String>,
    /// Old commune code.
    pub code: Option<String>,
    /// New province code, or old province name.
    pub province: Option<String>,
    /// Old district name.
    pub district: Option<String>,
}

/// Looks up old communes (as printed on older ID cards) and the new unit(s) they became.
pub async fn lookup_old(db: &Db, f: &OldFilter) -> sqlx::Result<Vec<MergeRow>> {
    let mut w = Where::default();
    if let Some(n) = f
        .name
        .as_deref()
        .map(motcua_domain::text::search_key)
        .filter(|n| !n.is_empty())
    {
        let a = w.arg(Bind::Text(n.clone()));
        let b = w.arg(Bind::Text(format!("% {n}")));
        w.push(format!("(old_search_key = {a} or old_search_key like {b})"));
    }
    if let Some(c) = &f.code {
        let a = w.arg(Bind::Text(format!("{c:0>5}")));
        w.push(format!("old_unit_code = {a}"));
    }
    // A numeric province filters in SQL; a province name is folded and matched below.
    if let Some(p) = f
        .province
        .as_deref()
        .filter(|p| p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let a = w.arg(Bind::Text(format!("{p:0>2}")));
        w.push(format!(
            "(new_province_code = {a} or old_province_code = {a})"
        ));
    }
    if w.binds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select old_province_code, old_province_name, old_district_code, old_district_name, old_unit_code, old_unit_name, new_province_code, new_unit_code, new_unit_name, merge_type, resolution from merge_map{} order by old_unit_code, new_unit_code limit 200",
        w.sql()
    );
    let rows: Vec<MergeRow> = on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)?;
    let fold = motcua_domain::text::search_key;
    let prov = f
        .province
        .as_deref()
        .filter(|p| !p.bytes().all(|b| b.is_ascii_digit()))
        .map(fold);
    let dist = f.district.as_deref().map(fold);
    Ok(rows
        .into_iter()
        .filter(|r| {
            prov.as_deref()
                .is_none_or(|p| fold(&r.old_province_name).contains(p))
        })
        .filter(|r| {
            dist.as_deref()
                .is_none_or(|d| fold(&r.old_district_name).contains(d))
        })
        .collect())
}

/// Counts rows of the merge map.
pub async fn merge_map_count(db: &Db) -> sqlx::Result<i64> {
    on_db!(db, |p| sqlx::query_scalar("select count(*) from merge_map")
        .fetch_one(p)
        .await)
}
