//! Versioned workflows per procedure: a change adds a version; dossiers keep the version they started with.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::workflow::Workflow;
use time::OffsetDateTime;

/// A stored version.
#[derive(Debug, Clone)]
pub struct WorkflowRow {
    pub id: i64,
    pub procedure_code: String,
    pub version: i32,
    pub workflow: Workflow,
    pub note: String,
    pub created_at: OffsetDateTime,
}

type Raw = (i64, String, i32, String, String, OffsetDateTime);

fn decode(r: Raw) -> sqlx::Result<WorkflowRow> {
    let workflow = serde_json::from_str(&r.3).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(WorkflowRow {
        id: r.0,
        procedure_code: r.1,
        version: r.2,
        workflow,
        note: r.4,
        created_at: r.5,
    })
}

const COLS: &str = "select id, procedure_code, version, steps, note, created_at from workflows";

/// The newest version of a procedure's workflow.
pub async fn current(db: &Db, procedure: &str) -> sqlx::Result<Option<WorkflowRow>> {
    let sql = format!("{COLS} where procedure_code = $1 order by version desc limit 1");
    let r: Option<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(procedure)
        .fetch_optional(p)
        .await)?;
    r.map(decode).transpose()
}

/// Every version, newest first.
pub async fn versions(db: &Db, procedure: &str) -> sqlx::Result<Vec<WorkflowRow>> {
    let sql = format!("{COLS} where procedure_code = $1 order by version desc");
    let rows: Vec<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(procedure)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(decode).collect()
}

/// One version by id.
pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<WorkflowRow>> {
    let sql = format!("{COLS} where id = $1");
    let r: Option<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    r.map(decode).transpose()
}

/// Adds a version after the newest; returns its id and number. Two editors racing: one gets a unique violation.
pub async fn add(
    tx: &mut Tx,
    procedure: &str,
    w: &Workflow,
    note: &str,
    by: Option<i64>,
    now: OffsetDateTime,
) -> sqlx::Result<(i64, i32)> {
    let steps = serde_json::to_string(w).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    on_tx!(tx, |c| {
        sqlx::query_as(
        "insert into workflows (procedure_code, version, steps, note, created_by, created_at) select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 from workflows where procedure_code = $1 returning id, version"
    )
    .bind(procedure)
    .bind(&steps)
    .bind(note)
    .bind(by)
    .bind(utc(now))
    .fetch_one(&mut **c)
    .await
    })
}

/// Version 1 from a default template, unless a version exists (concurrent intakes: first one wins). Runs on its
/// own, before the intake's transaction, so that the transaction's first statement is a write (SQLite).
pub async fn ensure(
    db: &Db,
    procedure: &str,
    default: &Workflow,
    now: OffsetDateTime,
) -> sqlx::Result<WorkflowRow> {
    if let Some(r) = current(db, procedure).await? {
        return Ok(r);
    }
    let steps = serde_json::to_string(default).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    on_db!(db, |p| {
        sqlx::query(
        "insert into workflows (procedure_code, version, steps, note, created_by, created_at) values ($1, 1, $2, $3, null, $4) on conflict (procedure_code, version) do nothing"
    )
    .bind(procedure)
    .bind(&steps)
    .bind("Mẫu mặc định")
    .bind(utc(now))
    .execute(p)
    .await
    .map(|r| r.rows_affected())
    })?;
    current(db, procedure)
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}
