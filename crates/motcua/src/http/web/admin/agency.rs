//! Agencies of the province (departments, branches, centers, People's Committees): list and add.

use super::{admin, TABS};
use crate::error::AppError;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::admin::Admin;
use crate::state::AppState;
use crate::store::agencies;
use askama::Template;
use axum::extract::State;
use serde::Deserialize;

/// `GET /quan-tri/co-quan`: the agencies of the province, with placeholder identifiers marked.
pub async fn agencies_get(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, prov) = admin(&ctx)?;
    agencies_page(
        &st,
        &ctx,
        prov.as_deref(),
        &AgenciesPostForm::default(),
        None,
    )
    .await
}

async fn agencies_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    f: &AgenciesPostForm,
    error: Option<&AppError>,
) -> PageResult {
    let rows = agencies::listed_in(&st.db, prov)
        .await?
        .into_iter()
        .map(|(id, ph, name, kind, unit)| {
            // The list query reads raw columns: an unknown kind is shown as stored rather than hidden.
            let k = motcua_domain::agency::AgencyKind::parse(&kind)
                .map_or(kind.clone(), |k| ctx.t(k.vi(), k.en()).to_owned());
            (id, ph, name, k, unit)
        })
        .collect();
    let b = AgenciesPage {
        ctx,
        current: "/quan-tri/co-quan",
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        rows,
        kinds: agencies::kinds().collect(),
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Cơ quan, đơn vị", "Agencies"), &b, error))
}

#[derive(askama::Template)]
#[template(path = "admin/agencies.html")]
struct AgenciesPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    error_box: String,
    rows: Vec<(String, bool, String, String, String)>,
    kinds: Vec<(&'static str, &'static str, &'static str)>,
    f: &'a AgenciesPostForm,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgenciesPostForm {
    identifier: String,
    name: String,
    kind: String,
    unit: String,
}

/// `POST /quan-tri/co-quan`: adds an agency to a unit of the administrator's province.
pub async fn agencies_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<AgenciesPostForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = crate::service::admin::agencies::NewAgencyInput {
        identifier: f.identifier.clone(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        unit: f.unit.clone(),
    };
    match crate::service::admin::agencies::add(&st, who, &input, &ctx.rid).await {
        Ok(()) => Ok(see_other("/quan-tri/co-quan?da_luu=1")),
        // A refusal comes back on the form with what was typed.
        Err(e @ (AppError::Invalid(_) | AppError::Coded { .. })) => {
            agencies_page(&st, &ctx, prov.as_deref(), &f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
