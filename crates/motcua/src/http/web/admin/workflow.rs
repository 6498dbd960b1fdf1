//! A procedure's internal workflow for the province: steps, roles, places and working-time budgets.

use super::{admin, TABS};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, url_enc, Ctx};
use crate::state::AppState;
use crate::store::procedures::{self};
use askama::Template;
use axum::extract::State;
use motcua_domain::role::Role;
use motcua_domain::workflow::{budget_text, parse_budget, Place, StepDef, StepKind, DAY_MINUTES};

/// `GET /quan-tri/quy-trinh/{code}`: the workflow editor (one row per step; budgets must add up to the limit).
pub async fn workflow_get(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    admin(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    workflow_page(&st, &ctx, &code, None, None).await
}

/// Whether the page was reached right after a save.
fn just_saved(ctx: &Ctx) -> bool {
    ctx.path
        .split_once('?')
        .is_some_and(|(_, q)| q.split('&').any(|kv| kv == "luu=phien-ban"))
}

/// A step row of the editor, as typed (kept when the form is refused).
#[derive(Clone)]
struct StepRow {
    name: String,
    role: Role,
    place: Place,
    kind: StepKind,
    days: String,
}

#[derive(askama::Template)]
#[template(path = "admin/workflow.html")]
struct WorkflowPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    code: &'a str,
    name: String,
    version: i32,
    limit: String,
    province: String,
    error_box: String,
    steps: Vec<StepRow>,
    roles: [Role; 4],
    note: String,
    /// The limit in working minutes (none when not counted in working days).
    limit_minutes: Option<i64>,
    /// What the typed budgets leave of the limit, in words ("còn lại 4 giờ", "vượt 1 ngày").
    left: Option<String>,
    saved: bool,
}

fn minutes_of(days: f64) -> i64 {
    #[allow(clippy::cast_possible_truncation)]
    let m = (days * DAY_MINUTES as f64).round() as i64;
    m
}

/// The steps' total, in words, for a procedure whose record states no limit in working days.
fn total_text(ctx: &Ctx, steps: &[StepRow]) -> String {
    let used: i64 = steps
        .iter()
        .filter_map(|s| parse_budget(&s.days).ok())
        .sum();
    format!(
        "{} {}",
        ctx.t("Tổng các bước", "The steps add up to"),
        budget_text(used, ctx.lang != crate::http::web::Lang::En)
    )
}

/// What the budgets leave of the limit, in words.
fn left_text(ctx: &Ctx, limit: i64, steps: &[StepRow]) -> String {
    let vi = ctx.lang != crate::http::web::Lang::En;
    let used: i64 = steps
        .iter()
        .filter_map(|s| parse_budget(&s.days).ok())
        .sum();
    let left = limit - used;
    let given = format!("{} {}", ctx.t("Đã chia", "Assigned"), budget_text(used, vi));
    let rest = match left {
        0 => ctx.t("vừa đủ thời hạn", "exactly the limit").to_owned(),
        l if l > 0 => format!("{} {}", ctx.t("còn lại", "left"), budget_text(l, vi)),
        l => format!("{} {}", ctx.t("vượt", "over by"), budget_text(-l, vi)),
    };
    format!("{given} · {rest}")
}

async fn workflow_page(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    error: Option<&AppError>,
    kept: Option<(Vec<StepRow>, String)>,
) -> PageResult {
    let province = ctx
        .actor
        .as_ref()
        .and_then(|a| crate::service::catalog::workflows::editing_province(a).ok())
        .unwrap_or_default();
    let w = crate::service::catalog::workflows::get(st, code, None, &province).await?;
    let name = procedures::get(&st.db, &w.procedure)
        .await?
        .map(|p| p.row.name)
        .unwrap_or_default();
    let (mut steps, note) = kept.unwrap_or_else(|| {
        let rows = w
            .steps
            .iter()
            .map(|s| StepRow {
                name: s.name.clone(),
                role: s.role,
                place: s.place,
                kind: s.kind,
                days: budget_text(minutes_of(s.days), ctx.lang != crate::http::web::Lang::En),
            })
            .collect();
        (rows, String::new())
    });
    let limit_minutes = w.limit_days.map(minutes_of);
    let left = Some(match limit_minutes {
        Some(l) => left_text(ctx, l, &steps),
        None => total_text(ctx, &steps),
    });
    steps.push(StepRow {
        name: String::new(),
        role: Role::Specialist,
        place: Place::Competent,
        kind: StepKind::Process,
        days: String::new(),
    });
    let b = WorkflowPage {
        ctx,
        current: "/quan-tri/thu-tuc",
        code: &w.procedure,
        name,
        version: w.version,
        limit: w.limit_days.map_or_else(
            || {
                ctx.t(
                    "không ghi bằng ngày làm việc trong thủ tục công bố: tổng thời gian các bước là thời hạn do tỉnh đặt",
                    "not stated in working days by the published record: the steps' total is the limit the province sets",
                )
                .to_owned()
            },
            |d| {
                format!(
                    "{} {}",
                    budget_text(minutes_of(d), ctx.lang != crate::http::web::Lang::En),
                    ctx.t("làm việc", "of working time")
                )
            },
        ),
        province: w.province.clone(),
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        steps,
        roles: [
            Role::ReceivingOfficer,
            Role::Specialist,
            Role::Leader,
            Role::CenterDirector,
        ],
        note,
        limit_minutes,
        left,
        saved: error.is_none() && just_saved(ctx),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Quy trình xử lý", "Workflow"), &b, error))
}

/// `POST /quan-tri/quy-trinh/{code}`: saves a new version (validated by the same rule as the API).
pub async fn workflow_post(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let (actor, _) = admin(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_owned())
            .collect::<Vec<_>>()
    };
    let one = |k: &str| all(k).into_iter().next().unwrap_or_default();
    let (names, roles, places, kinds, days) = (
        all("name"),
        all("role"),
        all("place"),
        all("kind"),
        all("days"),
    );
    // What was typed, to show again if the form is refused.
    let typed: Vec<StepRow> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
        .map(|(i, n)| StepRow {
            name: n.clone(),
            role: roles
                .get(i)
                .and_then(|r| Role::parse(r))
                .unwrap_or(Role::Specialist),
            place: places
                .get(i)
                .and_then(|p| Place::parse(p))
                .unwrap_or(Place::Competent),
            kind: kinds
                .get(i)
                .and_then(|k| StepKind::parse(k))
                .unwrap_or(StepKind::Process),
            days: days.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let kept = || Some((typed.clone(), one("note")));
    let mut steps = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let minutes = match parse_budget(days.get(i).map_or("", String::as_str)) {
            Ok(m) => m,
            Err(b) => {
                let e = AppError::field(
                    &format!("steps[{i}]"),
                    format!("Bước {} ({name}): {}", i + 1, b.vi),
                    format!("step {} ({name}): {}", i + 1, b.en),
                );
                return workflow_page(&st, &ctx, &code, Some(&e), kept()).await;
            }
        };
        let parsed = (
            roles.get(i).and_then(|r| Role::parse(r)),
            places.get(i).and_then(|p| Place::parse(p)),
            kinds.get(i).and_then(|k| StepKind::parse(k)),
        );
        let (Some(role), Some(place), Some(kind)) = parsed else {
            let e = AppError::field(
                &format!("steps[{i}]"),
                "Bước thiếu vai trò, nơi thực hiện hoặc loại",
                "a step lacks its role, place or kind",
            );
            return workflow_page(&st, &ctx, &code, Some(&e), kept()).await;
        };
        #[allow(clippy::cast_precision_loss)]
        let d = minutes as f64 / DAY_MINUTES as f64;
        steps.push(StepDef {
            name: name.clone(),
            role,
            place,
            kind,
            days: d,
        });
    }
    let edit = crate::service::catalog::workflows::WorkflowEdit {
        steps,
        note: one("note"),
        case: None,
        limit_days: None,
    };
    match crate::service::catalog::workflows::edit(&st, actor, &code, edit, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!(
            "/quan-tri/quy-trinh/{}?luu=phien-ban",
            url_enc(&code)
        ))),
        Err(e) => workflow_page(&st, &ctx, &code, Some(&e), kept()).await,
    }
}
