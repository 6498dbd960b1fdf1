//! Delivery of the outbox: pending messages turned into one delivery per channel, claimed with a lease, marked
//! sent, retried or dead.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::DossierId;
use time::OffsetDateTime;

/// An outbox row not yet turned into deliveries.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub dossier_id: Option<DossierId>,
    pub kind: String,
    pub recipient: String,
    pub payload: String,
    pub created_at: OffsetDateTime,
}

pub async fn unexpanded(db: &Db, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select id, dossier_id, kind, recipient, payload, created_at from outbox where sent_at is null order by id limit $1"
    )
    .bind(limit)
    .fetch_all(p)
    .await
    })
}

/// How an applicant is reached: (channels, e-mail, phone).
pub async fn contact(
    db: &Db,
    code: &str,
) -> sqlx::Result<Option<(String, Option<String>, Option<String>)>> {
    on_db!(db, |p| sqlx::query_as(
        "select notify_channels, applicant_email, applicant_phone from dossiers where code = $1"
    )
    .bind(code)
    .fetch_optional(p)
    .await)
}

/// A delivery to create.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub outbox_id: i64,
    pub channel: &'a str,
    pub address: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn add(tx: &mut Tx, d: &NewDelivery<'_>, now: OffsetDateTime) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into deliveries (outbox_id, channel, address, subject, body, state, next_at) values ($1, $2, $3, $4, $5, 'pending', $6) \
         on conflict (outbox_id, channel) do nothing"
    )
    .bind(d.outbox_id)
    .bind(d.channel)
    .bind(d.address)
    .bind(d.subject)
    .bind(d.body)
    .bind(utc(now))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn expanded(tx: &mut Tx, outbox_id: i64, now: OffsetDateTime) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update outbox set sent_at = $2 where id = $1"
    )
    .bind(outbox_id)
    .bind(utc(now))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A delivery as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub outbox_id: i64,
    pub channel: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: String,
    pub sent_at: Option<OffsetDateTime>,
}

const COLS: &str =
    "id, outbox_id, channel, address, subject, body, state, attempts, last_error, sent_at";

/// Claims due deliveries for `lease`: no other worker takes them until it passes.
pub async fn claim(
    db: &Db,
    now: OffsetDateTime,
    lease: time::Duration,
    limit: i64,
) -> sqlx::Result<Vec<DeliveryRow>> {
    let sql = format!(
        "update deliveries set leased_until = $2 where id in (select id from deliveries where state in ('pending', 'retrying') \
         and next_at <= $1 and (leased_until is null or leased_until < $1) order by id limit $3) \
         and (leased_until is null or leased_until < $1) returning {COLS}"
    );
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(utc(now))
        .bind(utc(now + lease))
        .bind(limit)
        .fetch_all(p)
        .await)
}

pub async fn sent(db: &Db, id: i64, now: OffsetDateTime) -> sqlx::Result<()> {
    on_db!(db, |p| {
        sqlx::query(
        "update deliveries set state = 'sent', sent_at = $2, attempts = attempts + 1, leased_until = null where id = $1"
    )
    .bind(id)
    .bind(utc(now))
    .execute(p)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn failed(
    db: &Db,
    id: i64,
    dead: bool,
    next: OffsetDateTime,
    error: &str,
) -> sqlx::Result<()> {
    on_db!(db, |p| {
        sqlx::query(
        "update deliveries set state = $2, next_at = $3, last_error = $4, attempts = attempts + 1, leased_until = null where id = $1"
    )
    .bind(id)
    .bind(if dead { "dead" } else { "retrying" })
    .bind(utc(next))
    .bind(error)
    .execute(p)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A dossier's deliveries, for the officer.
pub async fn of_dossier(
    db: &Db,
    dossier_id: DossierId,
) -> sqlx::Result<Vec<(String, String, String, i32, String, Option<OffsetDateTime>)>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select o.kind, d.channel, d.state, d.attempts, d.last_error, d.sent_at from deliveries d join outbox o on o.id = d.outbox_id \
         where o.dossier_id = $1 order by d.id"
    )
    .bind(dossier_id)
    .fetch_all(p)
    .await
    })
}

/// Counts per state.
pub async fn counts(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, |p| sqlx::query_as(
        "select state, count(*) from deliveries group by state order by state"
    )
    .fetch_all(p)
    .await)
}

pub async fn set_contact(
    tx: &mut Tx,
    id: DossierId,
    channels: &str,
    email: Option<&str>,
) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update dossiers set notify_channels = $2, applicant_email = $3 where id = $1"
    )
    .bind(id)
    .bind(channels)
    .bind(email)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
