//! The access log that the personal data law asks for: who read or changed which citizen record, when and why —
//! never the values themselves.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{DossierId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// One access.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub actor_user_id: Option<UserId>,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_key: String,
    pub dossier_id: Option<DossierId>,
    pub purpose: String,
    pub request_id: String,
}

const INSERT: &str = "insert into audit_log (at, actor_user_id, actor_role, action, entity, entity_key, dossier_id, purpose, request_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Writes an entry inside a transaction (with the change it records).
pub async fn write_tx(tx: &mut Tx, e: &AuditEntry) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(utc(e.at))
        .bind(e.actor_user_id)
        .bind(&e.actor_role)
        .bind(&e.action)
        .bind(&e.entity)
        .bind(&e.entity_key)
        .bind(e.dossier_id)
        .bind(&e.purpose)
        .bind(&e.request_id)
        .execute(&mut **c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes an entry on its own (reads).
pub async fn write(db: &Db, e: &AuditEntry) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    write_tx(&mut tx, e).await?;
    tx.commit().await
}

/// Writes many entries in one transaction (the batched access log of reads).
pub async fn write_batch(db: &Db, entries: &[AuditEntry]) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    for e in entries {
        write_tx(&mut tx, e).await?;
    }
    tx.commit().await
}

/// Entries about one dossier, oldest first.
pub async fn for_dossier(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<AuditEntry>> {
    on_db!(db, |p| {
        sqlx::query_as("select at, actor_user_id, actor_role, action, entity, entity_key, dossier_id, purpose, request_id from audit_log where dossier_id = $1 order by id")
        .bind(dossier_id)
        .fetch_all(p)
        .await
    })
}
