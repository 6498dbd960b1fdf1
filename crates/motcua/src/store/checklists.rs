//! Provinces' corrections of procedure checklists, versioned (the newest wins over the published record's parse).

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::UserId;
use time::OffsetDateTime;

/// A stored correction.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CorrectionRow {
    pub procedure_code: String,
    pub province_code: String,
    pub version: i32,
    pub body: String,
    pub note: String,
    pub created_by: Option<UserId>,
    pub created_at: OffsetDateTime,
}

const COLS: &str =
    "select procedure_code, province_code, version, body, note, created_by, created_at from checklist_corrections";

/// The correction in force for a procedure in a province: the province's own newest version, else the national one.
pub async fn current(
    db: &Db,
    procedure: &str,
    province: &str,
) -> sqlx::Result<Option<CorrectionRow>> {
    let sql = format!("{COLS} where procedure_code = $1 and province_code in ('', $2) order by case when province_code = $2 then 0 else 1 end, version desc limit 1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(procedure)
        .bind(province)
        .fetch_optional(p)
        .await)
}

/// Adds a version for a procedure in a province (`""`: national) and returns its number.
pub async fn add(
    tx: &mut Tx,
    (procedure, province): (&str, &str),
    body: &str,
    note: &str,
    by: UserId,
    now: OffsetDateTime,
) -> sqlx::Result<i32> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into checklist_corrections (procedure_code, province_code, version, body, note, created_by, created_at) select $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, $6 from checklist_corrections where procedure_code = $1 and province_code = $2 returning version"
    )
    .bind(procedure)
    .bind(province)
    .bind(body)
    .bind(note)
    .bind(by)
    .bind(utc(now))
    .fetch_one(&mut **c)
    .await
    })
}
