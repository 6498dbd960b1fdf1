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
        &CountersPostForm::default(),
        None,
    )
    .await
}

async fn counters_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    f: &CountersPostForm,
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
        Err(e) => counters_page(&st, &ctx, prov.as_deref(), &f, Some(&e)).await,
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
