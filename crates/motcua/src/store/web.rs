//! What the web application keeps: citizens' saved online applications (drafts) and satisfaction ratings.

use super::{utc, Db};
use crate::on_db;
use time::OffsetDateTime;

/// A saved online application; `data` is sealed JSON.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftRow {
    pub id: String,
    pub user_id: i64,
    pub procedure_code: String,
    pub data: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Creates or replaces a draft.
pub async fn save_draft(db: &Db, d: &DraftRow) -> sqlx::Result<()> {
    on_db!(db, |p| {
        sqlx::query(
        "insert into drafts (id, user_id, procedure_code, data, created_at, updated_at) values ($1, $2, $3, $4, $5, $6) \
         on conflict (id) do update set data = excluded.data, updated_at = excluded.updated_at"
    )
    .bind(&d.id)
    .bind(d.user_id)
    .bind(&d.procedure_code)
    .bind(&d.data)
    .bind(utc(d.created_at))
    .bind(utc(d.updated_at))
    .execute(p)
    .await
    .map(|_| ())
    })
}

/// One draft of a user (never another user's).
pub async fn draft(db: &Db, user_id: i64, id: &str) -> sqlx::Result<Option<DraftRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select id, user_id, procedure_code, data, created_at, updated_at from drafts where id = $1 and user_id = $2"
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(p)
    .await
    })
}

/// A user's drafts, latest first.
pub async fn drafts(db: &Db, user_id: i64) -> sqlx::Result<Vec<DraftRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select id, user_id, procedure_code, data, created_at, updated_at from drafts where user_id = $1 order by updated_at desc limit 50"
    )
    .bind(user_id)
    .fetch_all(p)
    .await
    })
}

/// Deletes a draft (submitted or abandoned).
pub async fn delete_draft(db: &Db, user_id: i64, id: &str) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "delete from drafts where id = $1 and user_id = $2"
    )
    .bind(id)
    .bind(user_id)
    .execute(p)
    .await
    .map(|_| ()))
}

/// A satisfaction rating (one per dossier).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RatingRow {
    pub dossier_id: i64,
    pub level: i16,
    pub reasons: String,
    pub comment: String,
    pub rated_at: OffsetDateTime,
}

/// Records a rating; false when the dossier was already rated.
pub async fn rate(db: &Db, r: &RatingRow) -> sqlx::Result<bool> {
    on_db!(db, |p| {
        sqlx::query(
        "insert into ratings (dossier_id, level, reasons, comment, rated_at) values ($1, $2, $3, $4, $5) on conflict (dossier_id) do nothing"
    )
    .bind(r.dossier_id)
    .bind(r.level)
    .bind(&r.reasons)
    .bind(&r.comment)
    .bind(utc(r.rated_at))
    .execute(p)
    .await
    .map(|x| x.rows_affected() == 1)
    })
}

/// The rating of a dossier, if any.
pub async fn rating(db: &Db, dossier_id: i64) -> sqlx::Result<Option<RatingRow>> {
    on_db!(db, |p| sqlx::query_as(
        "select dossier_id, level, reasons, comment, rated_at from ratings where dossier_id = $1"
    )
    .bind(dossier_id)
    .fetch_optional(p)
    .await)
}
