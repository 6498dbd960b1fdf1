//! The Decision 766 index of a place and period: the inputs gathered from the rollups, the catalog, the ratings and
//! the feedback, scored by `motcua_domain::report::index766`.

use super::{period, place, Ask, Period, Place};
use crate::error::AppResult;
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::report_inputs;
use crate::store::reports::Filter;
use crate::store::{agencies, units};
use motcua_domain::agency::Tier;
use motcua_domain::calendar::VN;
use motcua_domain::report::index766::{compute, Index, Inputs};
use motcua_domain::report::Counter;
use serde::Serialize;

/// The answer of `GET /api/v1/reports/index766`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub place: Place,
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub index: Index,
}

/// Which tiers' procedures a place handles, and its province.
async fn tiers(st: &AppState, f: &Filter) -> AppResult<(bool, bool, Option<String>)> {
    Ok(match f {
        Filter::All => (true, true, None),
        Filter::Province(p) => (true, true, Some(p.clone())),
        Filter::Unit(u) => {
            let row = units::get(&st.db, u).await?;
            let province = row
                .as_ref()
                .map(|r| r.province_code.clone().unwrap_or_else(|| r.code.clone()));
            let is_province = row.as_ref().is_some_and(|r| r.level == "province");
            (is_province, !is_province, province)
        }
        Filter::Agency(id) => {
            let a = agencies::by_id(&st.db, *id).await?;
            let unit = match &a {
                Some(a) => units::get(&st.db, &a.unit_code).await?,
                None => None,
            };
            let province = unit.map(|r| r.province_code.clone().unwrap_or(r.code));
            let is_province = a.is_some_and(|a| a.tier == Tier::Province);
            (is_province, !is_province, province)
        }
    })
}

/// The inputs of one place and period.
pub async fn inputs(st: &AppState, f: &Filter, p: Period) -> AppResult<Inputs> {
    let summary = super::figures(st, f, p).await?;
    let (pt, ct, province) = tiers(st, f).await?;
    let cat = report_inputs::catalog(&st.db, pt, ct, province.as_deref()).await?;
    let with_online =
        report_inputs::procedures_counted(&st.db, f, (p.from, p.to), Counter::Online).await?;
    let online_with_dossiers = cat
        .online_codes
        .iter()
        .filter(|c| with_online.contains(*c))
        .count();
    let from = p.from.midnight().assume_offset(VN);
    let to = p.to.next_day().unwrap_or(p.to).midnight().assume_offset(VN);
    let (ratings, ratings_unhappy) = report_inputs::ratings(&st.db, f, from, to).await?;
    let feedback = report_inputs::feedback(&st.db, f, from, to).await?;
    Ok(Inputs {
        summary,
        procedures: cat.total,
        procedures_online: cat.online,
        procedures_complete: cat.complete,
        online_with_dossiers: i64::try_from(online_with_dossiers).unwrap_or(i64::MAX),
        ratings,
        ratings_unhappy,
        feedback,
    })
}

/// The index for the place and period asked for.
pub async fn index(st: &AppState, actor: &Actor, ask: &Ask) -> AppResult<Report> {
    let place = place(st, actor, ask).await?;
    let today = st.clock.now().to_offset(VN).date();
    let p = period(ask, today)?;
    let i = inputs(st, &place.filter, p).await?;
    Ok(Report {
        place,
        from: super::iso(p.from),
        to: super::iso(p.to),
        index: compute(&i),
    })
}
