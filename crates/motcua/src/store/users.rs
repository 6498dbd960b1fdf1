//! User accounts, failed-login lockout and sessions (token hashes only; tokens never touch the database).

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, UserId};
use time::OffsetDateTime;

/// A user as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: motcua_domain::ids::UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: motcua_domain::role::Role,
    pub agency_id: Option<motcua_domain::ids::AgencyId>,
    pub totp_secret: Option<String>,
    pub is_demo: bool,
    pub failed_logins: i32,
    pub locked_until: Option<OffsetDateTime>,
    pub disabled: bool,
    pub last_login_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

const COLS: &str = "id, username, display_name, password_hash, role, agency_id, totp_secret, is_demo, failed_logins, locked_until, disabled, last_login_at, created_at";

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub agency_id: Option<AgencyId>,
    pub totp_secret: Option<String>,
    pub is_demo: bool,
}

/// Creates a user; `None` when the username is taken.
pub async fn insert(db: &Db, u: &NewUser, now: OffsetDateTime) -> sqlx::Result<Option<UserId>> {
    let mut tx = db.begin().await?;
    let r = insert_tx(&mut tx, u, now).await?;
    tx.commit().await?;
    Ok(r)
}

/// Creates a user inside a transaction (with its audit row); `None` when the username is taken.
pub async fn insert_tx(
    tx: &mut Tx,
    u: &NewUser,
    now: OffsetDateTime,
) -> sqlx::Result<Option<UserId>> {
    let r = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into users (username, display_name, password_hash, role, agency_id, totp_secret, is_demo, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (username) do nothing returning id"
    )
    .bind(&u.username).bind(&u.display_name).bind(&u.password_hash).bind(&u.role).bind(u.agency_id)
    .bind(&u.totp_secret).bind(u.is_demo).bind(utc(now))
    .fetch_optional(&mut **c)
    .await
    })?;
    Ok(r)
}

/// By username.
pub async fn by_username(db: &Db, username: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = format!("select {COLS} from users where username = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(username)
        .fetch_optional(p)
        .await)
}

/// By id.
pub async fn by_id(db: &Db, id: UserId) -> sqlx::Result<Option<UserRow>> {
    let sql = format!("select {COLS} from users where id = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)
}

/// Disables an account.
pub async fn disable(db: &Db, id: UserId) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "update users set disabled = true where id = $1"
    )
    .bind(id)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a successful login.
pub async fn record_success(db: &Db, id: UserId, now: OffsetDateTime) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "update users set failed_logins = 0, locked_until = null, last_login_at = $1 where id = $2"
    )
    .bind(utc(now))
    .bind(id)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A live session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: UserId,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// Stores a session by the hash of its token.
pub async fn create_session(
    db: &Db,
    token_hash: &str,
    user_id: UserId,
    now: OffsetDateTime,
    expires: OffsetDateTime,
) -> sqlx::Result<()> {
    on_db!(db, |p| {
        sqlx::query("insert into sessions (token_hash, user_id, created_at, last_seen_at, expires_at) values ($1, $2, $3, $3, $4)")
        .bind(token_hash).bind(user_id).bind(utc(now)).bind(utc(expires))
        .execute(p)
        .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A session by token hash.
pub async fn session(db: &Db, token_hash: &str) -> sqlx::Result<Option<SessionRow>> {
    on_db!(db, |p| sqlx::query_as(
        "select user_id, last_seen_at, expires_at from sessions where token_hash = $1"
    )
    .bind(token_hash)
    .fetch_optional(p)
    .await)
}

/// Marks a session as used now.
pub async fn touch_session(db: &Db, token_hash: &str, now: OffsetDateTime) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "update sessions set last_seen_at = $1 where token_hash = $2"
    )
    .bind(utc(now))
    .bind(token_hash)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends a session.
pub async fn delete_session(db: &Db, token_hash: &str) -> sqlx::Result<()> {
    on_db!(db, |p| sqlx::query(
        "delete from sessions where token_hash = $1"
    )
    .bind(token_hash)
    .execute(p)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// An officer as a pick list shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Colleague {
    pub username: String,
    pub display_name: String,
    #[sqlx(try_from = "String")]
    pub role: motcua_domain::role::Role,
    pub agency: String,
    pub agency_id: motcua_domain::ids::AgencyId,
}

/// The active officers of these agencies (for choosing who takes a step), by agency then name.
pub async fn colleagues(
    db: &Db,
    agencies: &[motcua_domain::ids::AgencyId],
) -> sqlx::Result<Vec<Colleague>> {
    if agencies.is_empty() {
        return Ok(Vec::new());
    }
    let list = agencies
        .iter()
        .map(|a| a.0.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "select u.username, u.display_name, u.role, a.name as agency, a.id as agency_id from users u join agencies a on a.id = u.agency_id where u.agency_id in ({list}) and not u.disabled and u.role in ('receiving_officer', 'specialist', 'leader', 'center_director') order by a.name, u.display_name"
    );
    on_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)
}

/// The id of a system account (created once; it has no password and cannot sign in).
pub async fn system_user(
    db: &Db,
    username: &str,
    display_name: &str,
    now: OffsetDateTime,
) -> sqlx::Result<UserId> {
    on_db!(db, |p| {
        sqlx::query(
            "insert into users (username, display_name, password_hash, role, is_demo, disabled, created_at) \
             values ($1, $2, '!', 'receiving_officer', false, true, $3) on conflict (username) do nothing",
        )
        .bind(username)
        .bind(display_name)
        .bind(utc(now))
        .execute(p)
        .await?;
        sqlx::query_scalar("select id from users where username = $1")
            .bind(username)
            .fetch_one(p)
            .await
    })
}
