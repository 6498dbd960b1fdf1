//! Agencies: provincial departments and branches, the provincial service center, commune People's Committees and
//! commune service centers (or public administration groups).

use super::{Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::agency::{AgencyKind, Tier};
use motcua_domain::ids::AgencyId;
use serde::Serialize;

/// Kinds of agency: stored name, Vietnamese, English (from [`AgencyKind`]).
pub fn kinds() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    AgencyKind::ALL
        .into_iter()
        .map(|k| (k.as_str(), k.vi(), k.en()))
}

/// An agency as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AgencyRow {
    pub id: AgencyId,
    pub identifier: String,
    pub identifier_is_placeholder: bool,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: AgencyKind,
    pub unit_code: String,
    pub parent_id: Option<AgencyId>,
    /// The tier of the unit the agency belongs to.
    #[sqlx(try_from = "String")]
    pub tier: Tier,
}

/// An agency to create.
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub identifier: String,
    pub identifier_is_placeholder: bool,
    pub name: String,
    pub kind: String,
    pub unit_code: String,
    pub parent_id: Option<AgencyId>,
}

const SELECT: &str = "select a.id, a.identifier, a.identifier_is_placeholder, a.name, a.kind, a.unit_code, a.parent_id, u.level as tier from agencies a join units u on u.code = a.unit_code";

/// Inserts agencies that do not exist yet (by identifier).
pub async fn insert_missing(tx: &mut Tx, rows: &[NewAgency]) -> sqlx::Result<u64> {
    let mut n = 0;
    for chunk in rows.chunks(400) {
        n += on_tx!(&mut *tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "insert into agencies (identifier, identifier_is_placeholder, name, kind, unit_code, parent_id, search_key) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(&r.identifier)
                    .push_bind(r.identifier_is_placeholder)
                    .push_bind(&r.name)
                    .push_bind(&r.kind)
                    .push_bind(&r.unit_code)
                    .push_bind(r.parent_id)
                    .push_bind(motcua_domain::text::search_key(&r.name));
            });
            qb.push(" on conflict (identifier) do nothing");
            qb.build().execute(&mut **c).await?.rows_affected()
        });
    }
    Ok(n)
}

/// Gives an agency its official identifier, name and kind (a commune without a center has a public administration
/// group). Dossier codes issued before keep the old identifier.
pub async fn reidentify(tx: &mut Tx, old: &str, new: &NewAgency) -> sqlx::Result<u64> {
    on_tx!(tx, |c| {
        sqlx::query("update agencies set identifier = $1, name = $2, search_key = $3, kind = $4, identifier_is_placeholder = false where identifier = $5")
            .bind(&new.identifier)
            .bind(&new.name)
            .bind(motcua_domain::text::search_key(&new.name))
            .bind(&new.kind)
            .bind(old)
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected())
    })
}

/// One agency by identifier.
pub async fn by_identifier(db: &Db, identifier: &str) -> sqlx::Result<Option<AgencyRow>> {
    let sql = format!("{SELECT} where a.identifier = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(identifier)
        .fetch_optional(p)
        .await)
}

/// One agency by id.
pub async fn by_id(db: &Db, id: AgencyId) -> sqlx::Result<Option<AgencyRow>> {
    let sql = format!("{SELECT} where a.id = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)
}

/// Agencies of a unit (a commune, or a province's own agencies).
pub async fn of_unit(db: &Db, unit_code: &str) -> sqlx::Result<Vec<AgencyRow>> {
    let sql = format!("{SELECT} where a.unit_code = $1 order by a.id");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(unit_code)
        .fetch_all(p)
        .await)
}

/// The first agency of a kind in a unit.
pub async fn of_kind(db: &Db, unit_code: &str, kind: &str) -> sqlx::Result<Option<AgencyRow>> {
    let sql = format!("{SELECT} where a.unit_code = $1 and a.kind = $2 order by a.id limit 1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(unit_code)
        .bind(kind)
        .fetch_optional(p)
        .await)
}

/// Counts agencies.
pub async fn count(db: &Db) -> sqlx::Result<i64> {
    on_db!(db, |p| sqlx::query_scalar("select count(*) from agencies")
        .fetch_one(p)
        .await)
}

/// The service centers of a province (its own center and every commune's), where a citizen may submit.
pub async fn centers_in(db: &Db, province_code: &str) -> sqlx::Result<Vec<AgencyRow>> {
    on_db!(db, |p| {
        sqlx::query_as(&format!(
        "{SELECT} where a.kind in ('province_center', 'commune_center', 'admin_group') and (u.code = $1 or u.province_code = $1) order by u.level desc, a.name"
    ))
    .bind(province_code)
    .fetch_all(p)
    .await
    })
}

/// The agencies of a province (or all, for `None`) for the administration list: identifier, placeholder flag, name,
/// kind and unit name.
pub async fn listed_in(
    db: &Db,
    province: Option<&str>,
) -> sqlx::Result<Vec<(String, bool, String, String, String)>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select a.identifier, a.identifier_is_placeholder, a.name, a.kind, u.name from agencies a join units u on u.code = a.unit_code where ($1 = '' or u.code = $1 or u.province_code = $1) order by u.level desc, u.name, a.kind limit 3000"
    )
    .bind(province.unwrap_or(""))
    .fetch_all(p)
    .await
    })
}
