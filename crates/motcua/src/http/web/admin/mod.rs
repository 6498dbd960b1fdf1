//! Administration for province and system administrators: users and roles, agencies, the published procedure lists
//! (edit, import), workflows, the holiday calendar and counters. Every change is audited.

use super::page::{PageError, PageResult};
use super::Ctx;
use crate::error::{AppError, ErrorCode};
use crate::scope::Scope;
use crate::service::account::session::Actor;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use motcua_domain::role::Role;
mod agency;
mod calendar;
mod catalog;
mod checklist;
mod counters;
mod search;
mod users;
mod workflow;
pub use agency::{agencies_get, agencies_post, AgenciesPostForm};
pub use calendar::{holidays_get, holidays_post, HolidaysPostForm, YearQuery};
pub use catalog::{catalog, catalog_edit, catalog_import, CatalogEditForm, CatalogQuery};
pub use checklist::{checklist_get, checklist_post, ChecklistForm};
pub use counters::{
    counter_toggle, counters_get, counters_post, CounterToggleForm, CountersPostForm,
};
pub use search::{search_get, search_post, SynonymsForm, TryQuery};
pub use users::{user_lock, users_get, users_post, UserForm, UserLockForm};
pub use workflow::{workflow_get, workflow_post};

pub(super) fn admin(ctx: &Ctx) -> Result<(&Actor, Option<String>), PageError> {
    let a = ctx.need()?;
    match (&a.scope, a.role) {
        (Scope::All, Role::SystemAdmin) => Ok((a, None)),
        (Scope::Province(p), Role::ProvinceAdmin) => Ok((a, Some(p.clone()))),
        _ => Err(AppError::with(ErrorCode::Forbidden, "for administrators").into()),
    }
}

/// The administration tabs: address, Vietnamese, English.
pub(super) const TABS: [(&str, &str, &str); 6] = [
    ("/quan-tri/nguoi-dung", "Người dùng", "Users"),
    ("/quan-tri/co-quan", "Cơ quan, đơn vị", "Agencies"),
    ("/quan-tri/thu-tuc", "Danh mục thủ tục", "Procedure catalog"),
    ("/quan-tri/ngay-nghi", "Ngày nghỉ, ngày làm bù", "Holidays"),
    ("/quan-tri/quay", "Quầy giao dịch", "Counters"),
    ("/quan-tri/tim-kiem", "Tìm kiếm", "Search"),
];

/// `/quan-tri`.
pub async fn index(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    // The province by its name, never by its code.
    let reach = match prov.as_deref() {
        None => ctx.t("Toàn hệ thống", "The whole system").to_owned(),
        Some(p) => crate::store::units::get(&st.db, p)
            .await?
            .map_or_else(|| p.to_owned(), |u| u.name),
    };
    let b = IndexPage {
        ctx: &ctx,
        current: "",
        actor,
        reach,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Quản trị", "Administration"), &b))
}

#[derive(askama::Template)]
#[template(path = "admin/index.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    actor: &'a Actor,
    reach: String,
}

/// Administration: users, agencies, the province's lists, workflows, the calendar, counters.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/quan-tri", get(index))
        .route("/quan-tri/nguoi-dung", get(users_get).post(users_post))
        .route("/quan-tri/nguoi-dung/{id}/khoa", post(user_lock))
        .route("/quan-tri/co-quan", get(agencies_get).post(agencies_post))
        .route("/quan-tri/thu-tuc", get(catalog))
        .route("/quan-tri/thu-tuc/nhap", post(catalog_import))
        .route("/quan-tri/thu-tuc/{code}", post(catalog_edit))
        .route(
            "/quan-tri/quy-trinh/{code}",
            get(workflow_get).post(workflow_post),
        )
        .route(
            "/quan-tri/giay-to/{code}",
            get(checklist_get).post(checklist_post),
        )
        .route("/quan-tri/ngay-nghi", get(holidays_get).post(holidays_post))
        .route("/quan-tri/quay", get(counters_get).post(counters_post))
        .route("/quan-tri/tim-kiem", get(search_get).post(search_post))
        .route("/quan-tri/quay/{id}", post(counter_toggle))
        .route("/quan-tri/quay/dich-vu", post(counters::service_post))
        .route(
            "/quan-tri/quay/{id}/dich-vu",
            post(counters::counter_services_post),
        )
}
