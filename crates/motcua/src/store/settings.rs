//! Named values the system keeps about itself (the ID-hash key's check value), and the re-keying of stored hashes.

use super::{Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{DossierId, UserId};

/// A setting's value.
pub async fn get(db: &Db, name: &str) -> sqlx::Result<Option<String>> {
    on_db!(db, |p| sqlx::query_scalar(
        "select value from settings where name = $1"
    )
    .bind(name)
    .fetch_optional(p)
    .await)
}

/// Sets a setting inside a transaction.
pub async fn set(tx: &mut Tx, name: &str, value: &str) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into settings (name, value) values ($1, $2) on conflict (name) do update set value = excluded.value"
    )
    .bind(name)
    .bind(value)
    .execute(&mut **c)
    .await
    .map(|_| ())
    })
}

/// Every dossier's id with its sealed ID number.
pub async fn sealed_ids(tx: &mut Tx) -> sqlx::Result<Vec<(DossierId, String)>> {
    on_tx!(tx, |c| sqlx::query_as(
        "select id, applicant_id_number from dossiers order by id"
    )
    .fetch_all(&mut **c)
    .await)
}

/// Sets a dossier's ID-number hash.
pub async fn set_id_hash(tx: &mut Tx, dossier_id: DossierId, hash: &str) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update dossiers set applicant_id_hash = $1 where id = $2"
    )
    .bind(hash)
    .bind(dossier_id)
    .execute(&mut **c)
    .await
    .map(|_| ()))
}

/// Copies each dossier's ID-number hash to its documents (the once-only look-up key).
pub async fn rehash_documents(tx: &mut Tx) -> sqlx::Result<u64> {
    on_tx!(tx, |c| {
        sqlx::query(
        "update dossier_documents set applicant_id_hash = (select d.applicant_id_hash from dossiers d where d.id = dossier_documents.dossier_id)"
    )
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Users whose TOTP secret is not sealed yet (written by an older version).
pub async fn plain_totp_secrets(tx: &mut Tx) -> sqlx::Result<Vec<(UserId, String)>> {
    on_tx!(tx, |c| {
        sqlx::query_as(
        "select id, totp_secret from users where totp_secret is not null and totp_secret not like 'x1:%'"
    )
    .fetch_all(&mut **c)
    .await
    })
}

/// Stores a user's sealed TOTP secret.
pub async fn set_totp_secret(tx: &mut Tx, user_id: UserId, sealed: &str) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update users set totp_secret = $1 where id = $2"
    )
    .bind(sealed)
    .bind(user_id)
    .execute(&mut **c)
    .await
    .map(|_| ()))
}
