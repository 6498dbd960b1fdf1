//! Versioned workflows per procedure and case: a change adds a version; dossiers keep the version they started
//! with. The default case has the empty key; other cases (trường hợp) carry their own name and time limit. A
//! province issues its own internal workflows: its versions carry its code and win over the national ones (`''`)
//! for its dossiers; version numbers stay unique per procedure and case across provinces.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::UserId;
use motcua_domain::workflow::Workflow;
use time::OffsetDateTime;

/// A stored version.
#[derive(Debug, Clone)]
pub struct WorkflowRow {
    pub id: i64,
    pub procedure_code: String,
    pub case_key: String,
    pub case_name: String,
    /// The case's own statutory limit in working minutes (`None`: the procedure's, from the catalog).
    pub limit_minutes: Option<i64>,
    pub version: i32,
    pub workflow: Workflow,
    pub note: String,
    pub created_at: OffsetDateTime,
    /// The province that issued it (`""`: the national version).
    pub province_code: String,
    /// The administrator who set this version (`None`: the default template, made on first use).
    pub set_by: Option<UserId>,
}

type Raw = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    i32,
    String,
    String,
    OffsetDateTime,
    String,
    Option<UserId>,
);

fn decode(r: Raw) -> sqlx::Result<WorkflowRow> {
    let workflow = serde_json::from_str(&r.6).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    Ok(WorkflowRow {
        id: r.0,
        procedure_code: r.1,
        case_key: r.2,
        case_name: r.3,
        limit_minutes: r.4,
        version: r.5,
        workflow,
        note: r.7,
        created_at: r.8,
        province_code: r.9,
        set_by: r.10,
    })
}

const COLS: &str = "select id, procedure_code, case_key, case_name, limit_minutes, version, steps, note, created_at, province_code, created_by from workflows";

/// The newest version of a procedure's workflow for a case in a province: the province's own when it issued one,
/// else the national one (`province` `""`: the national one only).
pub async fn current(
    db: &Db,
    procedure: &str,
    case_key: &str,
    province: &str,
) -> sqlx::Result<Option<WorkflowRow>> {
    let sql = format!("{COLS} where procedure_code = $1 and case_key = $2 and province_code in ('', $3) order by case when province_code = $3 then 0 else 1 end, version desc limit 1");
    let r: Option<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(procedure)
        .bind(case_key)
        .bind(province)
        .fetch_optional(p)
        .await)?;
    r.map(decode).transpose()
}

/// Every version of a case that a province sees (its own and the national ones), newest first.
pub async fn versions(
    db: &Db,
    procedure: &str,
    case_key: &str,
    province: &str,
) -> sqlx::Result<Vec<WorkflowRow>> {
    let sql = format!("{COLS} where procedure_code = $1 and case_key = $2 and province_code in ('', $3) order by version desc");
    let rows: Vec<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(procedure)
        .bind(case_key)
        .bind(province)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(decode).collect()
}

/// The current version of each case of a procedure in a province (the default case first).
pub async fn cases(db: &Db, procedure: &str, province: &str) -> sqlx::Result<Vec<WorkflowRow>> {
    let sql = format!("{COLS} w where procedure_code = $1 and province_code in ('', $2) and not exists (select 1 from workflows v where v.procedure_code = w.procedure_code and v.case_key = w.case_key and v.province_code in ('', $2) and (case when v.province_code = $2 then 0 else 1 end, -v.version) < (case when w.province_code = $2 then 0 else 1 end, -w.version)) order by case_key");
    let rows: Vec<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(procedure)
        .bind(province)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(decode).collect()
}

/// One version by id.
pub async fn by_id(db: &Db, id: i64) -> sqlx::Result<Option<WorkflowRow>> {
    if let Some(w) = db.remembered_workflow(id) {
        return Ok(Some(w));
    }
    let sql = format!("{COLS} where id = $1");
    let r: Option<Raw> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    let w = r.map(decode).transpose()?;
    if let Some(w) = &w {
        db.remember_workflow(w);
    }
    Ok(w)
}

/// A version to add.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub procedure: &'a str,
    pub case_key: &'a str,
    pub case_name: &'a str,
    pub limit_minutes: Option<i64>,
    pub workflow: &'a Workflow,
    pub note: &'a str,
    pub by: Option<UserId>,
    /// The issuing province (`""`: national).
    pub province: &'a str,
}

/// Adds a version after the newest of its case; returns its id and number. Two editors racing: one gets a unique
/// violation.
pub async fn add(tx: &mut Tx, v: &NewVersion<'_>, now: OffsetDateTime) -> sqlx::Result<(i64, i32)> {
    let steps = serde_json::to_string(v.workflow).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    on_tx!(tx, |c| {
        sqlx::query_as(
        "insert into workflows (procedure_code, case_key, case_name, limit_minutes, version, steps, note, created_by, created_at, province_code) select $1, $2, $3, $4, coalesce(max(version), 0) + 1, $5, $6, $7, $8, $9 from workflows where procedure_code = $1 and case_key = $2 returning id, version"
    )
    .bind(v.procedure)
    .bind(v.case_key)
    .bind(v.case_name)
    .bind(v.limit_minutes)
    .bind(&steps)
    .bind(v.note)
    .bind(v.by)
    .bind(utc(now))
    .bind(v.province)
    .fetch_one(&mut **c)
    .await
    })
}

/// Version 1 of the default case from a template, unless a version exists (concurrent intakes: first one wins). Runs
/// on its own, before the intake's transaction, so that the transaction's first statement is a write (SQLite).
pub async fn ensure(
    db: &Db,
    procedure: &str,
    default: &Workflow,
    now: OffsetDateTime,
) -> sqlx::Result<WorkflowRow> {
    if let Some(r) = current(db, procedure, "", "").await? {
        return Ok(r);
    }
    let steps = serde_json::to_string(default).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    on_db!(db, |p| {
        sqlx::query(
        "insert into workflows (procedure_code, case_key, case_name, limit_minutes, version, steps, note, created_by, created_at) values ($1, '', '', null, 1, $2, $3, null, $4) on conflict (procedure_code, case_key, version) do nothing"
    )
    .bind(procedure)
    .bind(&steps)
    .bind("Mẫu mặc định")
    .bind(utc(now))
    .execute(p)
    .await
    .map(|r| r.rows_affected())
    })?;
    current(db, procedure, "", "")
        .await?
        .ok_or(sqlx::Error::RowNotFound)
}

/// Of these procedures, those with a workflow an administrator set (nationally or for this province), whose total
/// then gives dossiers their limit where the published record states none.
pub async fn set_among(
    db: &Db,
    codes: &[&str],
    province: &str,
) -> sqlx::Result<std::collections::HashSet<String>> {
    if codes.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    let mut w = super::Where::default();
    let list: Vec<String> = codes
        .iter()
        .map(|c| w.arg(super::Bind::Text((*c).to_owned())))
        .collect();
    let p = w.arg(super::Bind::Text(province.to_owned()));
    let sql = format!(
        "select distinct procedure_code from workflows where created_by is not null and case_key = '' and province_code in ('', {p}) and procedure_code in ({})",
        list.join(", ")
    );
    let rows: Vec<String> = on_db!(db, |pool| crate::bind_all!(
        sqlx::query_scalar(&sql),
        w.binds
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().collect())
}
