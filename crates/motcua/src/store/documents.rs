//! Documents of dossiers: uploaded files and their digitisation state (0 not digitised, 1 digitised, 2 reused from
//! another dossier's component, 3 reused from a result), with the applicant's keyed ID hash for once-only reuse.

use super::{utc, Bind, Db, Tx, Where};
use crate::scope::Scope;
use crate::{bind_all, on_db, on_tx};
use motcua_domain::ids::{DossierId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// A document to record.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub dossier_id: DossierId,
    pub component: String,
    pub component_key: String,
    pub is_result: bool,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub state: i16,
    pub source: String,
    pub source_document_id: Option<i64>,
    pub applicant_id_hash: String,
    pub uploaded_by: UserId,
    pub uploaded_at: OffsetDateTime,
}

/// Records a document; returns its id.
pub async fn insert(tx: &mut Tx, d: &NewDocument) -> sqlx::Result<i64> {
    let before = super::reports::snapshot(tx, d.dossier_id).await?;
    let id = insert_row(tx, d).await?;
    super::reports::refresh(tx, d.dossier_id, before).await?;
    Ok(id)
}

async fn insert_row(tx: &mut Tx, d: &NewDocument) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into dossier_documents (dossier_id, component, component_key, is_result, file_name, content_type, size, sha256, state, source, source_document_id, applicant_id_hash, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id"
    )
    .bind(d.dossier_id).bind(&d.component).bind(&d.component_key).bind(d.is_result).bind(&d.file_name)
    .bind(&d.content_type).bind(d.size).bind(&d.sha256).bind(d.state).bind(&d.source).bind(d.source_document_id)
    .bind(&d.applicant_id_hash).bind(d.uploaded_by).bind(utc(d.uploaded_at))
    .fetch_one(&mut **c)
    .await
    })
}

/// A stored document.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub dossier_id: DossierId,
    pub dossier_code: String,
    pub component: String,
    pub is_result: bool,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub state: i16,
    pub source: String,
    pub source_document_id: Option<i64>,
    pub uploaded_at: OffsetDateTime,
}

const COLS: &str = "select x.id, x.dossier_id, d.code as dossier_code, x.component, x.is_result, x.file_name, x.content_type, x.size, x.sha256, x.state, x.source, x.source_document_id, x.uploaded_at from dossier_documents x join dossiers d on d.id = x.dossier_id";

/// The documents of a dossier.
pub async fn of_dossier(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<DocumentRow>> {
    let sql = format!("{COLS} where x.dossier_id = $1 order by x.id");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(dossier_id)
        .fetch_all(p)
        .await)
}

/// One document, only if its dossier is within the caller's scope.
pub async fn get(db: &Db, scope: &Scope, id: i64) -> sqlx::Result<Option<DocumentRow>> {
    let mut w = Where::default();
    let a = w.arg(Bind::Int(id));
    w.push(format!("x.id = {a}"));
    scope.restrict(&mut w);
    let sql = format!("{COLS}{}", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_optional(p)
        .await)
}

/// Once-only: the applicant's documents of this component in other dossiers the caller may see, newest first.
pub async fn reusable(
    db: &Db,
    scope: &Scope,
    applicant_id_hash: &str,
    component_key: &str,
    except_dossier: DossierId,
) -> sqlx::Result<Vec<DocumentRow>> {
    let mut w = Where::default();
    let a = w.arg(Bind::Text(applicant_id_hash.to_owned()));
    let b = w.arg(Bind::Text(component_key.to_owned()));
    let c = w.arg(Bind::Int(except_dossier.0));
    w.push(format!(
        "x.applicant_id_hash = {a} and x.component_key = {b} and x.dossier_id <> {c} and x.state in (1, 2, 3)"
    ));
    scope.restrict(&mut w);
    let sql = format!("{COLS}{} order by x.uploaded_at desc, x.id desc", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}
