//! The officer's work lists (mine, the unit's pool, due soon, overdue, waiting for the applicant) with counts.

use super::staff;
use crate::error::AppError;
use crate::http::extract::AppQuery;
use crate::http::web::page::PageResult;
use crate::http::web::Ctx;
use crate::service::dossier::worklists::{self, WORK_LISTS};
use crate::state::AppState;
use crate::store::dossiers::DossierFilter;
use askama::Template;
use axum::extract::State;
use motcua_domain::role::Role;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    list: String,
    /// A search: dossier code, ID number or applicant name.
    tim: String,
}

/// `/can-bo`: the work lists with their counts, and the chosen list.
pub async fn worklist(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<ListQuery>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let list = if q.list.is_empty() {
        "mine".to_owned()
    } else {
        q.list.clone()
    };
    let counts = worklists::worklist_counts(&st, actor).await?;
    let searching = !q.tim.trim().is_empty();
    let filter = if searching {
        DossierFilter {
            find: crate::service::dossier::dossiers::find_of(&st, &q.tim)?,
            limit: 100,
            ..DossierFilter::default()
        }
    } else {
        DossierFilter {
            list: Some(worklists::work_list(&st, actor, &list)?),
            limit: 100,
            ..DossierFilter::default()
        }
    };
    let page = crate::service::dossier::dossiers::list(&st, actor, filter, &ctx.rid).await?;
    let tabs = counts
        .iter()
        .map(|c| {
            let label = if c.key == "pool" && actor.role == Role::Leader {
                ctx.t("Chờ phê duyệt", "Awaiting approval")
            } else {
                ctx.t(c.vi, c.en)
            };
            (c.key, label, c.count)
        })
        .collect();
    let rows = page
        .items
        .iter()
        .map(|v| ListRow {
            code: v.code.clone(),
            procedure: v.procedure["name"].as_str().unwrap_or("").to_owned(),
            applicant: v.applicant["name"].as_str().unwrap_or("").to_owned(),
            step: v
                .current_step
                .as_ref()
                .and_then(|s| s["name"].as_str().map(str::to_owned))
                .unwrap_or_default(),
            late: v
                .current_step
                .as_ref()
                .is_some_and(|s| s["late"].as_bool() == Some(true)),
            due: match (&v.due_vi, v.status.code) {
                (Some(d), _) => d.clone(),
                (None, 1) => format!(
                    "{} {}",
                    ctx.t("nộp lúc", "submitted"),
                    motcua_domain::calendar::format_vi(v.submitted_at)
                ),
                (None, _) => "—".into(),
            },
            status_code: v.status.code,
            status: ctx.t(v.status.vi, v.status.en),
        })
        .collect();
    let body = WorklistPage {
        ctx: &ctx,
        actor,
        agency: actor.agency.as_ref().map_or("", |a| a.name.as_str()),
        list: if searching { "" } else { &list },
        tabs,
        title: if searching {
            ctx.t("Kết quả tìm kiếm", "Search results")
        } else {
            WORK_LISTS
                .iter()
                .find(|(k, _, _)| *k == list)
                .map_or("", |(_, vi, en)| ctx.t(vi, en))
        },
        search: q.tim.trim(),
        total: page.total,
        rows,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Việc cần làm", "Work lists"), &body))
}

/// A dossier in a work list.
struct ListRow {
    code: String,
    procedure: String,
    applicant: String,
    step: String,
    late: bool,
    due: String,
    status_code: i16,
    status: &'static str,
}

#[derive(askama::Template)]
#[template(path = "officer/worklist.html")]
struct WorklistPage<'a> {
    ctx: &'a Ctx,
    actor: &'a crate::service::account::session::Actor,
    agency: &'a str,
    list: &'a str,
    tabs: Vec<(&'a str, &'a str, i64)>,
    title: &'a str,
    search: &'a str,
    total: i64,
    rows: Vec<ListRow>,
}
