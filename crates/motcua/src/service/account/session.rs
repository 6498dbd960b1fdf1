//! Sign-in with lockout and administrator TOTP, sessions with idle and absolute time-outs, and the signed-in actor.

use crate::auth;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::state::AppState;
use crate::store::agencies::{self, AgencyRow};
use crate::store::{logins, users};
use motcua_domain::agency::Tier;
use motcua_domain::ids::AgencyId;
use motcua_domain::role::Role;
use serde::Serialize;
use time::Duration;

/// The signed-in user, with the reach of their role.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub user_id: motcua_domain::ids::UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency: Option<AgencyRow>,
    #[serde(skip)]
    pub scope: Scope,
    pub is_demo: bool,
}

impl Actor {
    /// The audit row of a change this person made to something other than a dossier (a workflow, a checklist…).
    pub fn audit(
        &self,
        (action, entity, key): (&str, &str, String),
        purpose: &str,
        request_id: &str,
        at: time::OffsetDateTime,
    ) -> crate::store::audit::AuditEntry {
        crate::store::audit::AuditEntry {
            at,
            actor_user_id: Some(self.user_id),
            actor_role: self.role.as_str().into(),
            action: action.into(),
            entity: entity.into(),
            entity_key: key,
            dossier_id: None,
            purpose: purpose.into(),
            request_id: request_id.into(),
        }
    }
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

/// How many times the per-client threshold an account may fail from all clients together before it is locked for
/// everyone (the slower global back-off against an attack spread over many addresses).
const GLOBAL_FACTOR: i32 = 4;

/// Checks the credentials (and the TOTP code of administrators) and opens a session. Unknown and known usernames
/// are answered alike (the same failures lock both); failures lock the account for the client address they came
/// from, and, many more of them from anywhere, for everyone. The TOTP question is asked only after the right
/// password, and a code is taken once.
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
    let account = username.trim().to_lowercase();
    let from = client.map_or_else(|| "-".to_owned(), |c| c.to_string());
    let pairs = [from.as_str(), logins::ANY_CLIENT];
    if logins::locked(&st.db, &account, &pairs, now).await? {
        return Err(AppError::code(ErrorCode::AccountLocked));
    }
    let user = users::by_username(&st.db, username.trim()).await?;
    let phc = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let password_ok = verify(password.to_owned(), phc).await;
    let u = match user {
        Some(u) if password_ok && !u.disabled => u,
        _ => return Err(failure(st, &account, &from, now).await?),
    };
    // Only someone who knows the password learns that an account was disabled for disuse.
    let last_use = u.last_login_at.unwrap_or(u.created_at).max(u.created_at);
    if now - last_use > Duration::days(st.config.account_idle_days) {
        users::disable(&st.db, u.id).await?;
        return Err(AppError::code(ErrorCode::AccountDisabled));
    }
    let role = u.role;
    if role.is_admin() && st.config.admin_mfa {
        let Some(code) = otp.filter(|c| !c.trim().is_empty()) else {
            return Err(AppError::code(ErrorCode::MfaRequired));
        };
        let secret = match &u.totp_secret {
            Some(s) => Some(st.data_key.open(s, crate::crypto::TOTP_LABEL)?),
            None => None,
        };
        let step = secret
            .as_deref()
            .and_then(|s| auth::totp_step(s, code, now.unix_timestamp()));
        let fresh = match step {
            Some(step) => logins::take_totp_step(&st.db, u.id, step).await?,
            None => false,
        };
        if !fresh {
            let e = failure(st, &account, &from, now).await?;
            return Err(if e.error_code() == ErrorCode::AccountLocked {
                e
            } else {
                AppError::code(ErrorCode::MfaRequired)
            });
        }
    }
    logins::clear(&st.db, &account, &from).await?;
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

/// Counts a failed sign-in for the client and for the account everywhere; the refusal to give.
async fn failure(
    st: &AppState,
    account: &str,
    from: &str,
    now: time::OffsetDateTime,
) -> AppResult<AppError> {
    let threshold = st.config.lockout_threshold.max(1);
    let until = now + Duration::minutes(st.config.lockout_minutes);
    let here = logins::fail(&st.db, account, from, threshold, until, now).await?;
    let everywhere = logins::fail(
        &st.db,
        account,
        logins::ANY_CLIENT,
        threshold.saturating_mul(GLOBAL_FACTOR),
        until,
        now,
    )
    .await?;
    Ok(AppError::code(if here || everywhere {
        ErrorCode::AccountLocked
    } else {
        ErrorCode::InvalidCredentials
    }))
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

/// The signed-in person a stored user is: role, agency and scope.
pub async fn actor_of(st: &AppState, u: users::UserRow) -> AppResult<Actor> {
    let role = u.role;
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
        // The ward's center and People's Committee see the ward; another agency of the ward (its police, say) sees
        // what is routed to it.
        (_, Some(a))
            if a.tier == Tier::Commune
                && matches!(
                    a.kind.as_str(),
                    "commune_center" | "admin_group" | "commune_pc"
                ) =>
        {
            Scope::Unit(a.unit_code.clone())
        }
        (_, Some(a)) => Scope::Agency(a.id),
        // Staff without an agency reach nothing.
        (_, None) => Scope::Agency(AgencyId(-1)),
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
