//! A procedure's document checklist as the province corrects it: the list in force written one line a paper, a
//! preview of how it reads, and each save a new audited version that wins over the published record's parse.

use super::{admin, TABS};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, url_enc, Ctx};
use crate::service::catalog::checklists::{self, CorrectionInput};
use crate::state::AppState;
use crate::store::procedures;
use askama::Template;
use axum::extract::State;
use motcua_domain::checklist::{Checklist, Need, Source};
use serde::Deserialize;

#[derive(askama::Template)]
#[template(path = "admin/checklist.html")]
struct ChecklistPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    code: &'a str,
    name: String,
    version: Option<i32>,
    parsed: bool,
    error_box: String,
    text: String,
    note: String,
    list: Checklist,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChecklistForm {
    text: String,
    note: String,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    typed: Option<(&ChecklistForm, &AppError)>,
) -> PageResult {
    let (actor, _) = admin(ctx)?;
    let p = procedures::get(&st.db, code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let (list, text, version) = checklists::current(st, actor, &p.row.code).await?;
    let b = ChecklistPage {
        ctx,
        current: "/quan-tri/thu-tuc",
        code: &p.row.code,
        name: p.row.name.clone(),
        version,
        parsed: list.source != Source::Corrected,
        error_box: typed
            .map(|(_, e)| ctx.error_box(e, "checklist-error"))
            .unwrap_or_default(),
        text: typed.map_or(text.text, |(f, _)| f.text.clone()),
        note: typed.map(|(f, _)| f.note.clone()).unwrap_or_default(),
        list,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        ctx.t("Danh sách giấy tờ", "Document checklist"),
        &b,
        typed.map(|(_, e)| e),
    ))
}

/// `GET /quan-tri/giay-to/{code}`: the checklist in force, to correct.
pub async fn checklist_get(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    // A save comes back with `da_luu=1`, confirmed by the layout.
    page(&st, &ctx, &code, None).await
}

/// `POST /quan-tri/giay-to/{code}`: saves the correction as a new version (refused lines come back with the text).
pub async fn checklist_post(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(f): CsrfForm<ChecklistForm>,
) -> PageResult {
    let (actor, _) = admin(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    let input = CorrectionInput {
        text: f.text.clone(),
        note: f.note.clone(),
    };
    match checklists::correct(&st, actor, &code, &input, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!(
            "/quan-tri/giay-to/{}?da_luu=1",
            url_enc(&code)
        ))),
        Err(e @ AppError::Invalid(_)) => page(&st, &ctx, &code, Some((&f, &e))).await,
        Err(e) => Err(e.into()),
    }
}
