//! `GET /can-bo/bao-cao/chi-so-766`: the Decision 766 index of the place and period, indicator by indicator.

use super::dashboard::{asked, choices, PageAsk};
use crate::error::AppError;
use crate::http::extract::AppQuery;
use crate::http::web::page::PageResult;
use crate::http::web::Ctx;
use crate::service::reports::{self as rs, index766, Place};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use motcua_domain::report::index766::{Group, Standing};

#[derive(Template)]
#[template(path = "officer/index766.html")]
struct Page<'a> {
    ctx: &'a Ctx,
    place: &'a Place,
    q: &'a PageAsk,
    query: String,
    from: String,
    to: String,
    error_box: String,
    /// The query was refused: the form and the reason only.
    hide: bool,
    form_action: &'static str,
    own: String,
    choices: Vec<(String, String)>,
    points: f64,
    max_points: f64,
    max_scored: f64,
    groups: Vec<Group>,
}

/// A number as the template holds it (by value or behind references).
trait Num {
    fn get(&self) -> f64;
}

impl Num for f64 {
    fn get(&self) -> f64 {
        *self
    }
}

impl<T: Num + ?Sized> Num for &T {
    fn get(&self) -> f64 {
        (**self).get()
    }
}

impl Page<'_> {
    /// Why a group has no points to show: motcua holds none of its data, or the period has nothing to count.
    fn unscored(&self, g: &Group) -> &'static str {
        if g.indicators.iter().any(|i| i.standing == Standing::Empty) {
            self.ctx.t(
                "không có hồ sơ trong kỳ để tính",
                "nothing to count in the period",
            )
        } else {
            self.ctx.t("chưa có số liệu", "no data yet")
        }
    }

    /// A figure with a decimal comma.
    fn d(&self, v: impl Num) -> String {
        crate::http::web::dec(v.get())
    }
}

/// The page.
pub async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<PageAsk>, AppError>,
) -> PageResult {
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let (place, p, bad) = asked(&st, &ctx, &q).await?;
    let i =
        motcua_domain::report::index766::compute(&index766::inputs(&st, &place.filter, p).await?);
    let (own, choices) = choices(&st, &ctx, &place, p, &q).await?;
    let b = Page {
        ctx: &ctx,
        place: &place,
        q: &q,
        query: q.query(&q.don_vi),
        from: rs::vn_date(p.from),
        to: rs::vn_date(p.to),
        error_box: bad
            .as_ref()
            .map(|e| ctx.error_box(e, "report-error"))
            .unwrap_or_default(),
        hide: bad.is_some(),
        form_action: "/can-bo/bao-cao/chi-so-766",
        own,
        choices,
        points: i.points,
        max_points: i.max_points,
        max_scored: i.max_scored,
        groups: i.groups,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Chỉ số 766", "Decision 766 index"), &b, bad.as_ref()))
}
