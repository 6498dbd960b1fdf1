//! Agencies' signing keys and the sealed results.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, DossierId};
use time::OffsetDateTime;

/// A signing key as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub key_id: String,
    pub agency_id: AgencyId,
    pub public_key: String,
    pub secret_sealed: String,
    pub created_at: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoke_reason: Option<String>,
}

const KEY_COLS: &str =
    "key_id, agency_id, public_key, secret_sealed, created_at, retired_at, revoked_at, revoke_reason";

/// The agency's key in use (neither retired nor revoked).
pub async fn active(db: &Db, agency: AgencyId) -> sqlx::Result<Option<KeyRow>> {
    let sql = format!("select {KEY_COLS} from seal_keys where agency_id = $1 and retired_at is null and revoked_at is null order by id desc limit 1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(agency)
        .fetch_optional(p)
        .await)
}

/// A key by id.
pub async fn key(db: &Db, key_id: &str) -> sqlx::Result<Option<KeyRow>> {
    let sql = format!("select {KEY_COLS} from seal_keys where key_id = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(key_id)
        .fetch_optional(p)
        .await)
}

/// Every key of an agency, newest first.
pub async fn keys_of(db: &Db, agency: AgencyId) -> sqlx::Result<Vec<KeyRow>> {
    let sql = format!("select {KEY_COLS} from seal_keys where agency_id = $1 order by id desc");
    on_db!(db, |p| sqlx::query_as(&sql).bind(agency).fetch_all(p).await)
}

/// Retires the agency's keys in use and stores a new one (one transaction).
pub async fn replace(
    tx: &mut Tx,
    agency: AgencyId,
    (key_id, public, sealed): (&str, &str, &str),
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("update seal_keys set retired_at = $2 where agency_id = $1 and retired_at is null and revoked_at is null")
            .bind(agency)
            .bind(utc(at))
            .execute(&mut **c)
            .await?;
        sqlx::query("insert into seal_keys (agency_id, key_id, public_key, secret_sealed, created_at) values ($1, $2, $3, $4, $5)")
            .bind(agency)
            .bind(key_id)
            .bind(public)
            .bind(sealed)
            .bind(utc(at))
            .execute(&mut **c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Revokes a key: what it sealed no longer verifies.
pub async fn revoke(
    tx: &mut Tx,
    key_id: &str,
    reason: &str,
    at: OffsetDateTime,
) -> sqlx::Result<bool> {
    on_tx!(tx, |c| {
        sqlx::query(
        "update seal_keys set revoked_at = $2, revoke_reason = $3 where key_id = $1 and revoked_at is null"
    )
    .bind(key_id)
    .bind(utc(at))
    .bind(reason)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// A sealed result as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealRow {
    pub token: String,
    pub dossier_id: DossierId,
    pub document_id: i64,
    pub key_id: String,
    pub sha256: String,
    pub signature: String,
    pub title: String,
    pub result_code: String,
    pub agency_name: String,
    pub issued_at: OffsetDateTime,
}

/// A seal to record.
#[derive(Debug, Clone)]
pub struct NewSeal<'a> {
    pub token: &'a str,
    pub dossier_id: DossierId,
    pub document_id: i64,
    pub key_id: &'a str,
    pub sha256: &'a str,
    pub signature: &'a str,
    pub title: &'a str,
    pub result_code: &'a str,
    pub agency_name: &'a str,
    pub issued_at: OffsetDateTime,
}

pub async fn insert(tx: &mut Tx, s: &NewSeal<'_>) -> sqlx::Result<()> {
    let before = super::reports::snapshot(tx, s.dossier_id).await?;
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into sealed_results (token, dossier_id, document_id, key_id, sha256, signature, title, result_code, agency_name, issued_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(s.token)
    .bind(s.dossier_id)
    .bind(s.document_id)
    .bind(s.key_id)
    .bind(s.sha256)
    .bind(s.signature)
    .bind(s.title)
    .bind(s.result_code)
    .bind(s.agency_name)
    .bind(utc(s.issued_at))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    super::reports::refresh(tx, s.dossier_id, before).await?;
    Ok(())
}

const SEAL_COLS: &str = "token, dossier_id, document_id, key_id, sha256, signature, title, result_code, agency_name, issued_at";

pub async fn by_token(db: &Db, token: &str) -> sqlx::Result<Option<SealRow>> {
    let sql = format!("select {SEAL_COLS} from sealed_results where token = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(token)
        .fetch_optional(p)
        .await)
}

pub async fn of_dossier(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<SealRow>> {
    let sql = format!("select {SEAL_COLS} from sealed_results where dossier_id = $1 order by id");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(dossier_id)
        .fetch_all(p)
        .await)
}
