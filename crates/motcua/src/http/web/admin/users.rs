//! User accounts of the province: create with a temporary password, enable and disable.

use super::{admin, TABS};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, when, Ctx};
use crate::service::admin::users::NewAccount;
use crate::service::admin::Admin;
use crate::state::AppState;
use crate::store::web as wstore;
use askama::Template;
use axum::extract::State;
use motcua_domain::ids::UserId;
use motcua_domain::role::Role;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UserForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    agency: String,
    password: String,
}

async fn users_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    f: &UserForm,
    note: Option<Created>,
    error: Option<&AppError>,
) -> PageResult {
    let now = st.clock.now();
    let me = ctx.actor.as_ref().map(|a| a.user_id);
    let rows = wstore::users_in(&st.db, prov)
        .await?
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            own: Some(u.id) == me,
            role: Role::parse(&u.role).map_or(u.role.clone(), |r| ctx.t(r.vi(), r.en()).to_owned()),
            state: if u.disabled {
                ctx.t("Đã khóa", "Disabled")
            } else if u.locked_until.is_some_and(|t| t > now) {
                ctx.t("Tạm khóa do nhập sai", "Locked after failures")
            } else {
                ctx.t("Hoạt động", "Active")
            },
            agency: u.agency.unwrap_or_else(|| "—".into()),
            last_login: u.last_login_at.map_or_else(|| "—".to_owned(), when),
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            is_demo: u.is_demo,
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Citizen && !(*r == Role::SystemAdmin && prov.is_some()))
        .collect();
    let b = UsersPage {
        ctx,
        current: "/quan-tri/nguoi-dung",
        note,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        rows,
        roles,
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Người dùng", "Users"), &b, error))
}

/// An account just created: its username and, for an administrator, the TOTP secret and its QR code as SVG (made
/// by the QR library, no user text in its markup).
struct Created {
    username: String,
    enrolment: Option<(String, String)>,
}

/// An account in the list.
struct UserLine {
    id: UserId,
    own: bool,
    username: String,
    display_name: String,
    role: String,
    agency: String,
    last_login: String,
    state: &'static str,
    disabled: bool,
    is_demo: bool,
}

#[derive(askama::Template)]
#[template(path = "admin/users.html")]
struct UsersPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    /// The account just created, with its TOTP enrolment for an administrator (shown once).
    note: Option<Created>,
    error_box: String,
    rows: Vec<UserLine>,
    roles: Vec<Role>,
    f: &'a UserForm,
}

/// `GET /quan-tri/nguoi-dung`.
pub async fn users_get(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, prov) = admin(&ctx)?;
    users_page(&st, &ctx, prov.as_deref(), &UserForm::default(), None, None).await
}

/// `POST /quan-tri/nguoi-dung`: creates a staff account (administrators get a TOTP secret, shown once).
pub async fn users_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<UserForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = NewAccount {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        agency: f.agency.clone(),
        password: f.password.clone(),
    };
    match crate::service::admin::users::create(&st, who, &input, &ctx.rid).await {
        Ok(created) => {
            let note = Created {
                username: created.username.clone(),
                enrolment: created.totp_secret.as_ref().map(|t| {
                    (
                        t.clone(),
                        crate::auth::enrolment_svg(&created.username, t).unwrap_or_default(),
                    )
                }),
            };
            users_page(
                &st,
                &ctx,
                prov.as_deref(),
                &UserForm::default(),
                Some(note),
                None,
            )
            .await
        }
        Err(e) => users_page(&st, &ctx, prov.as_deref(), &f, None, Some(&e)).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserLockForm {
    disabled: String,
}

/// `POST /quan-tri/nguoi-dung/{id}/khoa`: disables or re-enables an account.
pub async fn user_lock(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<UserId>, AppError>,
    CsrfForm(f): CsrfForm<UserLockForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let Ok(AppPath(id)) = path else {
        return Err(AppError::code(ErrorCode::RouteNotFound).into());
    };
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    crate::service::admin::users::set_disabled(&st, who, id, f.disabled == "1", &ctx.rid).await?;
    Ok(see_other("/quan-tri/nguoi-dung?da_luu=1"))
}
