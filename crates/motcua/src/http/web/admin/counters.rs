//! Counters of the public administrative service centers: add, open and close.

use super::{admin, TABS};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::admin::Admin;
use crate::state::AppState;
use crate::store::web as wstore;
use askama::Template;
use axum::extract::State;
use serde::Deserialize;

/// `GET /quan-tri/quay`: the counters of the province's centers.
pub async fn counters_get(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, prov) = admin(&ctx)?;
    counters_page(
        &st,
        &ctx,
        prov.as_deref(),
        (&CountersPostForm::default(), &ServiceForm::default()),
        None,
    )
    .await
}

async fn counters_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    (f, s): (&CountersPostForm, &ServiceForm),
    error: Option<&AppError>,
) -> PageResult {
    let b = CountersPage {
        ctx,
        current: "/quan-tri/quay",
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        rows: wstore::counters_in(&st.db, prov).await?,
        f,
        services: crate::store::queue::services_in(&st.db, prov).await?,
        mapped: crate::store::queue::counter_services_in(&st.db, prov).await?,
        s,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Quầy giao dịch", "Counters"), &b, error))
}

#[derive(askama::Template)]
#[template(path = "admin/counters.html")]
struct CountersPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    error_box: String,
    rows: Vec<wstore::CounterRow>,
    f: &'a CountersPostForm,
    services: Vec<crate::store::queue::ServiceInRow>,
    mapped: Vec<(i64, i64)>,
    s: &'a ServiceForm,
}

impl CountersPage<'_> {
    fn maps(&self, counter: &i64, service: &i64) -> bool {
        self.mapped.contains(&(*counter, *service))
    }
}

#[derive(Deserialize)]
#[serde(default)]
pub struct ServiceForm {
    center: String,
    letter: String,
    name: String,
    fields: String,
    priority_every: String,
    handling_minutes: String,
}

impl Default for ServiceForm {
    fn default() -> Self {
        ServiceForm {
            center: String::new(),
            letter: String::new(),
            name: String::new(),
            fields: String::new(),
            priority_every: "1".into(),
            handling_minutes: "12".into(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CountersPostForm {
    agency: String,
    number: String,
    name: String,
    fields: String,
}

/// `POST /quan-tri/quay`: declares a counter of a center in the province.
pub async fn counters_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CountersPostForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = crate::service::admin::counters::NewCounter {
        agency: f.agency.clone(),
        number: f.number.clone(),
        name: f.name.clone(),
        fields: f.fields.clone(),
    };
    match crate::service::admin::counters::add(&st, who, &input, &ctx.rid).await {
        Ok(()) => Ok(see_other("/quan-tri/quay?da_luu=1")),
        Err(e) => {
            counters_page(
                &st,
                &ctx,
                prov.as_deref(),
                (&f, &ServiceForm::default()),
                Some(&e),
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CounterToggleForm {
    active: String,
}

/// `POST /quan-tri/quay/{id}`: opens or closes a counter.
pub async fn counter_toggle(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<i64>, AppError>,
    CsrfForm(f): CsrfForm<CounterToggleForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let Ok(AppPath(id)) = path else {
        return Err(AppError::code(ErrorCode::RouteNotFound).into());
    };
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    crate::service::admin::counters::set_active(&st, who, id, f.active == "1", &ctx.rid).await?;
    Ok(see_other("/quan-tri/quay?da_luu=1"))
}

/// `POST /quan-tri/quay/dich-vu`: adds a queue service to a center of the province.
pub async fn service_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<ServiceForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = crate::service::queue::setup::ServiceInput {
        center: f.center.clone(),
        letter: f.letter.clone(),
        name: f.name.clone(),
        fields: f.fields.clone(),
        priority_every: f.priority_every.clone(),
        handling_minutes: f.handling_minutes.clone(),
    };
    match crate::service::queue::setup::add_service(&st, who, &input, &ctx.rid).await {
        Ok(_) => Ok(see_other("/quan-tri/quay?da_luu=1")),
        Err(e) => {
            counters_page(
                &st,
                &ctx,
                prov.as_deref(),
                (&CountersPostForm::default(), &f),
                Some(&e),
            )
            .await
        }
    }
}

/// `POST /quan-tri/quay/{id}/dich-vu`: the services a counter calls.
pub async fn counter_services_post(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<i64>, AppError>,
    body: axum::body::Bytes,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let Ok(AppPath(id)) = path else {
        return Err(AppError::code(ErrorCode::RouteNotFound).into());
    };
    let pairs: Vec<(String, String)> = crate::http::web::form(&body)?;
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    ctx.check_csrf(csrf)?;
    let services: Vec<motcua_domain::ids::QueueServiceId> = pairs
        .iter()
        .filter(|(k, _)| k == "services")
        .filter_map(|(_, v)| v.parse::<i64>().ok().map(Into::into))
        .collect();
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    crate::service::queue::setup::set_counter_services(&st, who, id.into(), &services, &ctx.rid)
        .await?;
    Ok(see_other("/quan-tri/quay?da_luu=1"))
}
