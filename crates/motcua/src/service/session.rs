//! Sign-in with lockout and administrator TOTP, sessions with idle and absolute time-outs, and the signed-in actor.

use crate::auth;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::state::AppState;
use crate::store::agencies::{self, AgencyRow};
use crate::store::users;
use motcua_domain::role::Role;
use serde::Serialize;
use time::Duration;

/// The signed-in user, with the reach of their role.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency: Option<AgencyRow>,
    #[serde(skip)]
    pub scope: Scope,
    pub is_demo: bool,
}

/// A hash verified when the username does not exist, so timing does not tell which usernames exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| auth::hash_password("motcua-dummy-password").unwrap_or_default());

async fn verify(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || auth::verify_password(&password, &phc))
        .await
        .unwrap_or(false)
}

/// A successful sign-in.
#[derive(Debug, Serialize)]
pub struct LoginOk {
    pub token: String,
    pub expires_at: time::OffsetDateTime,
    pub user: Actor,
}

/// Checks the credentials (and the TOTP code of administrators) and opens a session.
pub async fn login(
    st: &AppState,
    username: &str,
    password: &str,
    otp: Option<&str>,
    client: Option<std::net::IpAddr>,
) -> AppResult<LoginOk> {
    let now = st.clock.now();
    if !st
        .login_limit
        .allow(client, now, st.config.login_per_minute)
    {
        return Err(AppError::code(ErrorCode::RateLimited));
    }
    let Some(u) = users::by_username(&st.db, username.trim()).await? else {
        verify(password.to_owned(), DUMMY_HASH.clone()).await;
        return Err(AppError::code(ErrorCode::InvalidCredentials));
    };
    if u.locked_until.is_some_and(|t| t > now) {
        return Err(AppError::code(ErrorCode::AccountLocked));
    }
    let lock_until = now + Duration::minutes(st.config.lockout_minutes);
    if u.disabled || !verify(password.to_owned(), u.password_hash.clone()).await {
        users::record_failure(&st.db, u.id, st.config.lockout_threshold, lock_until).await?;
        let after = users::by_id(&st.db, u.id).await?;
        if after.is_some_and(|a| a.locked_until.is_some_and(|t| t > now)) {
            return Err(AppError::code(ErrorCode::AccountLocked));
        }
        return Err(AppError::code(ErrorCode::InvalidCredentials));
    }
    // Only someone who knows the password learns that an account was disabled for disuse.
    let last_use = u.last_login_at.unwrap_or(u.created_at).max(u.created_at);
    if !u.disabled && now - last_use > Duration::days(st.config.account_idle_days) {
        users::disable(&st.db, u.id).await?;
        return Err(AppError::code(ErrorCode::AccountDisabled));
    }
    let role = Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("unknown role {}", u.role))?;
    if role.is_admin() && st.config.admin_mfa {
        let ok = match (&u.totp_secret, otp) {
            (Some(secret), Some(code)) => auth::verify_totp(secret, code, now.unix_timestamp()),
            _ => false,
        };
        if !ok {
            if otp.is_some() {
                users::record_failure(&st.db, u.id, st.config.lockout_threshold, lock_until)
                    .await?;
            }
            return Err(AppError::code(ErrorCode::MfaRequired));
        }
    }
    users::record_success(&st.db, u.id, now).await?;
    let token = auth::new_token()?;
    let expires_at = now + Duration::hours(st.config.session_max_hours);
    users::create_session(&st.db, &auth::token_hash(&token), u.id, now, expires_at).await?;
    let user = actor_of(st, u).await?;
    Ok(LoginOk {
        token,
        expires_at,
        user,
    })
}

/// Ends a session.
pub async fn logout(st: &AppState, token: &str) -> AppResult<()> {
    users::delete_session(&st.db, &auth::token_hash(token)).await?;
    Ok(())
}

/// The actor behind a session token; expired and idle sessions are closed.
pub async fn resolve(st: &AppState, token: &str) -> AppResult<Actor> {
    let now = st.clock.now();
    let hash = auth::token_hash(token);
    let Some(s) = users::session(&st.db, &hash).await? else {
        return Err(AppError::code(ErrorCode::Unauthenticated));
    };
    if now >= s.expires_at
        || now - s.last_seen_at > Duration::minutes(st.config.session_idle_minutes)
    {
        users::delete_session(&st.db, &hash).await?;
        return Err(AppError::code(ErrorCode::SessionExpired));
    }
    if now - s.last_seen_at > Duration::seconds(30) {
        users::touch_session(&st.db, &hash, now).await?;
    }
    let u = users::by_id(&st.db, s.user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::Unauthenticated))?;
    if u.disabled {
        return Err(AppError::code(ErrorCode::Unauthenticated));
    }
    actor_of(st, u).await
}

async fn actor_of(st: &AppState, u: users::UserRow) -> AppResult<Actor> {
    let role = Role::parse(&u.role).ok_or_else(|| anyhow::anyhow!("unknown role {}", u.role))?;
    let agency = match u.agency_id {
        Some(id) => agencies::by_id(&st.db, id).await?,
        None => None,
    };
    let scope = match (role, &agency) {
        (Role::SystemAdmin, _) => Scope::All,
        (Role::Citizen, _) => Scope::Citizen(u.id),
        (Role::ProvinceAdmin, Some(a)) => {
            let unit = crate::store::units::get(&st.db, &a.unit_code).await?;
            Scope::Province(
                unit.and_then(|x| x.province_code)
                    .unwrap_or_else(|| a.unit_code.clone()),
            )
        }
        (_, Some(a)) if a.tier == "commune" => Scope::Unit(a.unit_code.clone()),
        (_, Some(a)) => Scope::Agency(a.id),
        // Staff without an agency reach nothing.
        (_, None) => Scope::Agency(-1),
    };
    Ok(Actor {
        user_id: u.id,
        username: u.username,
        display_name: u.display_name,
        role,
        agency,
        scope,
        is_demo: u.is_demo,
    })
}
