//! Failed sign-ins counted per (account, client address), and per account over all clients (`*`), for known and
//! unknown usernames alike; the single use of each TOTP time step.

use super::{utc, Db};
use crate::on_db;
use motcua_domain::ids::UserId;
use time::OffsetDateTime;

/// The client key that counts an account's failures from every address.
pub const ANY_CLIENT: &str = "*";

/// Whether any of the `(account, client)` pairs is locked at `now`.
pub async fn locked(
    db: &Db,
    account: &str,
    clients: &[&str],
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    for client in clients {
        let until: Option<Option<OffsetDateTime>> = on_db!(db, |p| sqlx::query_scalar(
            "select locked_until from login_failures where account = $1 and client = $2"
        )
        .bind(account)
        .bind(*client)
        .fetch_optional(p)
        .await)?;
        if until.flatten().is_some_and(|t| t > now) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Counts one failure of `(account, client)`; at `threshold` failures the pair is locked until `lock_until` and
/// counting starts again. Returns whether the pair is locked now.
pub async fn fail(
    db: &Db,
    account: &str,
    client: &str,
    threshold: i32,
    lock_until: OffsetDateTime,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let locked: Option<OffsetDateTime> = on_db!(db, |p| {
        sqlx::query_scalar(
        "insert into login_failures (account, client, failures, locked_until, updated_at) values ($1, $2, 1, case when 1 >= $3 then $4 end, $5) \
         on conflict (account, client) do update set \
           failures = case when login_failures.failures + 1 >= $3 then 0 else login_failures.failures + 1 end, \
           locked_until = case when login_failures.failures + 1 >= $3 then $4 else login_failures.locked_until end, \
           updated_at = $5 \
         returning locked_until"
    )
    .bind(account)
    .bind(client)
    .bind(threshold)
    .bind(utc(lock_until))
    .bind(utc(now))
    .fetch_one(p)
    .await
    })?;
    Ok(locked.is_some_and(|t| t > now))
}

/// Forgets the failures of `(account, client)` after a successful sign-in.
pub async fn clear(db: &Db, account: &str, client: &str) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "delete from login_failures where account = $1 and client = $2"
    )
    .bind(account)
    .bind(client)
    .execute(p)
    .await
    .map(|_| ()))
}

/// Forgets every failure of an account (an administrator unlocks it).
pub async fn clear_account(db: &Db, account: &str) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "delete from login_failures where account = $1"
    )
    .bind(account)
    .execute(p)
    .await
    .map(|_| ()))
}

/// Takes TOTP step `step` for a user: false when it (or a later one) was used already, so a code works once.
pub async fn take_totp_step(db: &Db, user_id: UserId, step: i64) -> sqlx::Result<bool> {
    let n = on_db!(db, |p| {
        sqlx::query(
        "update users set totp_last_step = $1 where id = $2 and (totp_last_step is null or totp_last_step < $1)"
    )
    .bind(step)
    .bind(user_id)
    .execute(p)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Whether the account is locked for everyone (the slower global back-off), for the administration list.
pub async fn locked_anywhere(db: &Db, account: &str, now: OffsetDateTime) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, |p| sqlx::query_scalar(
        "select count(*) from login_failures where account = $1 and locked_until > $2"
    )
    .bind(account)
    .bind(utc(now))
    .fetch_one(p)
    .await)?;
    Ok(n > 0)
}
