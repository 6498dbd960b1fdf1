//! The working calendar: holidays and compensatory days (system administrators edit; others read).

use super::{admin, TABS};
use crate::error::AppError;
use crate::http::extract::AppQuery;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::admin::Admin;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use motcua_domain::calendar::OverrideKind;
use motcua_domain::role::Role;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    nam: i32,
}

/// `GET /quan-tri/ngay-nghi?nam=`: the year's statutory holidays and the official overrides, with a form to add one.
pub async fn holidays_get(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<YearQuery>, AppError>,
) -> PageResult {
    admin(&ctx)?;
    let year = q
        .map(|AppQuery(q)| q.nam)
        .ok()
        .filter(|y| crate::state::CALENDAR_YEARS.contains(y))
        .unwrap_or_else(|| st.clock.now().year());
    holidays_page(&st, &ctx, year, &HolidaysPostForm::default(), None).await
}

#[derive(askama::Template)]
#[template(path = "admin/holidays.html")]
struct HolidaysPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    year: i32,
    error_box: String,
    holidays: Vec<(String, String)>,
    overrides: Vec<(String, &'a str, String)>,
    editable: bool,
    f: &'a HolidaysPostForm,
}

async fn holidays_page(
    st: &AppState,
    ctx: &Ctx,
    year: i32,
    f: &HolidaysPostForm,
    error: Option<&AppError>,
) -> PageResult {
    let mut hs = st.calendar().holidays(year);
    hs.sort_by_key(|h| h.date);
    let overrides = crate::store::calendar::list(&st.db)
        .await?
        .into_iter()
        .filter(|o| o.date.year() == year)
        .map(|o| {
            let k = match o.kind {
                OverrideKind::DayOff => ctx.t("nghỉ", "day off"),
                OverrideKind::WorkingDay => ctx.t("làm việc", "working day"),
            };
            (motcua_domain::calendar::format_date_vi(o.date), k, o.note)
        })
        .collect();
    let b = HolidaysPage {
        ctx,
        current: "/quan-tri/ngay-nghi",
        year,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        holidays: hs
            .into_iter()
            .map(|h| (motcua_domain::calendar::format_date_vi(h.date), h.name))
            .collect(),
        overrides,
        // The calendar is national (the Prime Minister's yearly schedule): only the system administrator edits it.
        editable: ctx.actor.as_ref().map(|a| a.role) == Some(Role::SystemAdmin),
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Ngày nghỉ", "Holidays"), &b, error))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HolidaysPostForm {
    day: String,
    kind: String,
    note: String,
}

/// `POST /quan-tri/ngay-nghi`: records an override and rebuilds the working calendar at once.
pub async fn holidays_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<HolidaysPostForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    match crate::service::admin::calendar::add_override(
        &st, who, &f.day, &f.kind, &f.note, &ctx.rid,
    )
    .await
    {
        Ok(date) => Ok(see_other(&format!(
            "/quan-tri/ngay-nghi?nam={}&da_luu=1",
            date.year()
        ))),
        // A refusal of the input comes back on the form; a forbidden change is the error page.
        Err(e @ AppError::Invalid(_)) => {
            // The page of the year being entered, with what was typed.
            let year = f
                .day
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or_else(|| st.clock.now().year());
            holidays_page(&st, &ctx, year, &f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
