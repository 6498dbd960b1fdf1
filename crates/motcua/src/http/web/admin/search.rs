//! The everyday names the catalogue search understands ("sổ đỏ" → "giấy chứng nhận quyền sử dụng đất"): read by
//! every administrator, with a box to try a query; edited by the deployment's system administrators.

use super::{admin, TABS};
use crate::error::AppError;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::catalog::search::{self, DEFAULT_SYNONYMS};
use crate::state::AppState;
use crate::store::procedures;
use askama::Template;
use axum::extract::State;
use motcua_domain::role::Role;
use serde::Deserialize;

#[derive(askama::Template)]
#[template(path = "admin/search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    can_edit: bool,
    shipped: bool,
    entries: usize,
    error_box: String,
    text: String,
    tried: String,
    found: Vec<(String, String)>,
}

/// `?thu=`: a query to try.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TryQuery {
    thu: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SynonymsForm {
    text: String,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    tried: &str,
    typed: Option<(&str, &AppError)>,
) -> PageResult {
    let (actor, _) = admin(ctx)?;
    let text = search::synonyms_text(&st.db).await?;
    let entries = motcua_domain::search::parse_synonyms(&text).map_or(0, |s| s.len());
    let mut found = Vec::new();
    if !tried.trim().is_empty() {
        let f = procedures::ProcedureFilter {
            q: Some(tried.to_owned()),
            limit: 8,
            ..Default::default()
        };
        let (_, rows) = search::find(&st.search, &st.db, &f, None).await?;
        found = rows.into_iter().map(|r| (r.code, r.name)).collect();
    }
    let b = SearchPage {
        ctx,
        current: "/quan-tri/tim-kiem",
        can_edit: actor.role == Role::SystemAdmin,
        shipped: text == DEFAULT_SYNONYMS,
        entries,
        error_box: typed
            .map(|(_, e)| ctx.error_box(e, "synonyms-error"))
            .unwrap_or_default(),
        text: typed.map_or(text, |(t, _)| t.to_owned()),
        tried: tried.to_owned(),
        found,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        ctx.t("Tìm kiếm thủ tục", "Procedure search"),
        &b,
        typed.map(|(_, e)| e),
    ))
}

/// `GET /quan-tri/tim-kiem`.
pub async fn search_get(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<crate::http::extract::AppQuery<TryQuery>, AppError>,
) -> PageResult {
    let q = q
        .map(|crate::http::extract::AppQuery(q)| q)
        .unwrap_or_default();
    page(&st, &ctx, &q.thu, None).await
}

/// `POST /quan-tri/tim-kiem`: saves the everyday names (refused lines come back with the text as typed).
pub async fn search_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SynonymsForm>,
) -> PageResult {
    let (actor, _) = admin(&ctx)?;
    match search::set_synonyms(&st, actor, &f.text, &ctx.rid).await {
        Ok(_) => Ok(see_other("/quan-tri/tim-kiem?da_luu=1")),
        Err(e @ AppError::Invalid(_)) => page(&st, &ctx, "", Some((&f.text, &e))).await,
        Err(e) => Err(e.into()),
    }
}
