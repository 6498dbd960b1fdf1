//! Accounts: creating one (administrators get a sealed TOTP secret, shown once) and disabling or re-enabling one.

use super::Admin;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::store::{agencies, audit, users, web as wstore};
use motcua_domain::ids::UserId;
use motcua_domain::role::Role;

/// An account to create.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// The agency's identifier (mã định danh).
    pub agency: String,
    pub password: String,
}

/// A created account: its username and, for an administrator, the TOTP secret to enrol (shown once).
#[derive(Debug, Clone)]
pub struct Created {
    pub username: String,
    pub totp_secret: Option<String>,
}

fn check(who: &Admin<'_>, a: &NewAccount) -> AppResult<Role> {
    let name_ok = (3..=50).contains(&a.username.len())
        && a.username
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if !name_ok {
        return Err(AppError::field(
            "username",
            "Tên đăng nhập 3–50 ký tự: chữ thường, số, . _ -",
            "username: 3–50 of a-z, 0-9, . _ -",
        ));
    }
    if a.display_name.trim().is_empty() || a.display_name.chars().count() > 100 {
        return Err(AppError::field(
            "display_name",
            "Nhập họ và tên",
            "give the full name",
        ));
    }
    let province_admin = who.province().is_some();
    let role = Role::parse(&a.role)
        .filter(|r| *r != Role::Citizen && !(province_admin && *r == Role::SystemAdmin))
        .ok_or_else(|| AppError::field("role", "Vai trò không hợp lệ", "invalid role"))?;
    if a.password.chars().count() < 12 || a.password.len() > 1000 {
        return Err(AppError::field(
            "password",
            "Mật khẩu ít nhất 12 ký tự",
            "the password has at least 12 characters",
        ));
    }
    Ok(role)
}

/// Creates an account within the administrator's province, audited in the same transaction.
pub async fn create(
    st: &AppState,
    who: Admin<'_>,
    a: &NewAccount,
    request_id: &str,
) -> AppResult<Created> {
    let role = check(&who, a)?;
    let agency_id = match a.agency.trim() {
        "" if role == Role::SystemAdmin => None,
        "" => {
            return Err(AppError::field(
                "agency",
                "Nhập mã cơ quan",
                "give the agency's identifier",
            ))
        }
        ident => {
            let agency = agencies::by_identifier(&st.db, ident)
                .await?
                .ok_or_else(|| {
                    AppError::field(
                        "agency",
                        "Không có cơ quan với mã này",
                        "no agency has this identifier",
                    )
                })?;
            if !wstore::agency_in(&st.db, agency.id, who.province()).await? {
                return Err(AppError::field(
                    "agency",
                    "Cơ quan không thuộc tỉnh bạn quản trị",
                    "the agency is outside your province",
                ));
            }
            Some(agency.id)
        }
    };
    let totp = if role.is_admin() {
        let mut raw = [0u8; 20];
        getrandom::getrandom(&mut raw).map_err(|e| anyhow::anyhow!("random: {e}"))?;
        Some(crate::auth::base32_encode(&raw))
    } else {
        None
    };
    let password = a.password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))??;
    let new = users::NewUser {
        username: a.username.clone(),
        display_name: a.display_name.trim().to_owned(),
        password_hash: hash,
        role: role.as_str().into(),
        agency_id,
        totp_secret: totp
            .as_ref()
            .map(|t| st.data_key.seal(t, crate::crypto::TOTP_LABEL))
            .transpose()?,
        is_demo: false,
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    if users::insert_tx(&mut tx, &new, now).await?.is_none() {
        return Err(AppError::field(
            "username",
            "Tên đăng nhập đã có",
            "the username is taken",
        ));
    }
    audit::write_tx(
        &mut tx,
        &who.audit("create_user", "user", &a.username, request_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(Created {
        username: a.username.clone(),
        totp_secret: totp,
    })
}

/// Disables or re-enables an account the administrator manages (never their own); re-enabling clears failed
/// sign-ins. Audited in the same transaction.
pub async fn set_disabled(
    st: &AppState,
    who: Admin<'_>,
    user_id: UserId,
    disabled: bool,
    request_id: &str,
) -> AppResult<()> {
    let u = users::by_id(&st.db, user_id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::RouteNotFound))?;
    let inside = match u.agency_id {
        Some(a) => wstore::agency_in(&st.db, a, who.province()).await?,
        None => who.province().is_none(),
    };
    let own = matches!(who, Admin::Web { actor, .. } if actor.user_id == u.id);
    if !inside || own {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "not an account you manage",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    wstore::set_disabled(&mut tx, u.id, disabled).await?;
    let action = if disabled {
        "disable_user"
    } else {
        "enable_user"
    };
    audit::write_tx(
        &mut tx,
        &who.audit(action, "user", &u.username, request_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
