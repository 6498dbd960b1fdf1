//! The leaders' figures over the API: the summary, breakdowns, the Decision 766 index and the exports.

use crate::error::{AppError, AppResult};
use crate::http::extract::AppQuery;
use crate::service::account::session::Actor;
use crate::service::reports::{self, index766, Ask};
use crate::state::AppState;
use crate::store::reports::By;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

pub(super) async fn summary(
    State(st): State<AppState>,
    actor: Actor,
    AppQuery(q): AppQuery<Ask>,
) -> AppResult<Json<reports::SummaryReport>> {
    Ok(Json(reports::summary(&st, &actor, &q).await?))
}

pub(super) async fn index(
    State(st): State<AppState>,
    actor: Actor,
    AppQuery(q): AppQuery<Ask>,
) -> AppResult<Json<index766::Report>> {
    Ok(Json(index766::index(&st, &actor, &q).await?))
}

/// A breakdown's query: the report's and the dimension.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BreakdownAsk {
    pub unit: Option<String>,
    pub province: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// agency | procedure | field | month | day
    pub by: String,
}

impl BreakdownAsk {
    pub(crate) fn split(self) -> AppResult<(Ask, By)> {
        let by = parse_by(&self.by)?;
        Ok((
            Ask {
                unit: self.unit,
                province: self.province,
                from: self.from,
                to: self.to,
            },
            by,
        ))
    }
}

/// Reads a breakdown dimension.
pub(crate) fn parse_by(s: &str) -> AppResult<By> {
    Ok(match s {
        "agency" => By::Agency,
        "procedure" => By::Procedure,
        "field" => By::Field,
        "month" => By::Month,
        "day" => By::Day,
        _ => {
            return Err(AppError::field(
                "by",
                "Chọn cách chia: theo cơ quan, thủ tục, lĩnh vực, tháng hoặc ngày",
                "by must be agency, procedure, field, month or day",
            ))
        }
    })
}

#[derive(Debug, Serialize)]
pub(super) struct Breakdown {
    place: reports::Place,
    from: String,
    to: String,
    by: String,
    lines: Vec<reports::Line>,
}

pub(super) async fn breakdown(
    State(st): State<AppState>,
    actor: Actor,
    AppQuery(q): AppQuery<BreakdownAsk>,
) -> AppResult<Json<Breakdown>> {
    let by = q.by.clone();
    let (ask, dim) = q.split()?;
    let place = reports::place(&st, &actor, &ask).await?;
    let today = st.clock.now().to_offset(motcua_domain::calendar::VN).date();
    let p = reports::period(&ask, today)?;
    let lines = reports::breakdown(&st, &place.filter, p, dim).await?;
    Ok(Json(Breakdown {
        place,
        from: reports::iso(p.from),
        to: reports::iso(p.to),
        by,
        lines,
    }))
}

pub(super) async fn staff(
    State(st): State<AppState>,
    actor: Actor,
    AppQuery(q): AppQuery<Ask>,
) -> AppResult<Json<reports::staff::StaffReport>> {
    Ok(Json(reports::staff::report(&st, &actor, &q).await?))
}

#[derive(Debug, Serialize)]
pub(super) struct Created {
    id: i64,
}

pub(super) async fn second(
    State(st): State<AppState>,
    actor: Actor,
    crate::http::extract::ReqId(rid): crate::http::extract::ReqId,
    crate::http::extract::AppJson(b): crate::http::extract::AppJson<reports::staff::Accept>,
) -> AppResult<(axum::http::StatusCode, Json<Created>)> {
    let id = reports::staff::accept(&st, &actor, &b, &rid).await?;
    Ok((axum::http::StatusCode::CREATED, Json(Created { id })))
}

pub(super) async fn profile(
    State(st): State<AppState>,
    actor: Actor,
    crate::http::extract::ReqId(rid): crate::http::extract::ReqId,
    crate::http::extract::AppPath(username): crate::http::extract::AppPath<String>,
    crate::http::extract::AppJson(b): crate::http::extract::AppJson<reports::staff::Profile>,
) -> AppResult<axum::http::StatusCode> {
    reports::staff::set_profile(&st, &actor, &username, &b, &rid).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
