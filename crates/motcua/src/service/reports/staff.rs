//! Staff and workload of a place: officers per agency with position and specialty, steps handled per officer per
//! working day and backlog, over- and under-staffed agencies against the province's norm, the specialties a
//! commune lacks, a suggested rebalancing, and the director's acceptance of a secondment.

use super::{iso, parse_date, period, place, vn_iso, Ask, Place};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::reports::Filter;
use crate::store::{agencies, audit, settings, staff, users};
use motcua_domain::agency::Tier;
use motcua_domain::calendar::VN;
use motcua_domain::report::staff::{
    standing, suggest, Load, Officer, Specialty, Standing, Suggestion,
};
use motcua_domain::role::Role;
use serde::{Deserialize, Serialize};

/// The setting that holds the norm (steps an officer finishes per working day).
pub const NORM_SETTING: &str = "staff_norm_per_day";
/// The norm used until a province sets its own: a placeholder, not a legal figure.
pub const DEFAULT_NORM: f64 = 10.0;

/// One officer on the report.
#[derive(Debug, Clone, Serialize)]
pub struct OfficerLine {
    pub username: String,
    pub name: String,
    pub position: String,
    pub specialty: Specialty,
    pub specialty_vi: &'static str,
    pub handled: i64,
    pub per_day: Option<f64>,
    pub backlog: i64,
    pub seconded_in: bool,
}

/// One agency on the report.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyLine {
    #[serde(flatten)]
    pub standing: Standing,
    pub missing_vi: Vec<&'static str>,
    pub officers: Vec<OfficerLine>,
}

/// The answer of `GET /api/v1/reports/staff`.
#[derive(Debug, Clone, Serialize)]
pub struct StaffReport {
    pub place: Place,
    pub from: String,
    pub to: String,
    pub working_days: i64,
    pub norm: f64,
    /// True while the norm is motcua's placeholder, not one the province set.
    pub norm_is_placeholder: bool,
    pub units: Vec<AgencyLine>,
    pub suggestions: Vec<Suggestion>,
    pub secondments: Vec<staff::SecondmentRow>,
}

async fn norm(st: &AppState) -> AppResult<(f64, bool)> {
    match settings::get(&st.db, NORM_SETTING).await? {
        Some(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
            .map(|n| (n, false))
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("unreadable setting {NORM_SETTING}: {v}"))
            }),
        None => Ok((DEFAULT_NORM, true)),
    }
}

fn specialty(s: &str) -> AppResult<Specialty> {
    Specialty::parse(s)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("unreadable stored specialty {s}")))
}

/// The loads of the place's agencies.
async fn loads(
    st: &AppState,
    f: &Filter,
    p: super::Period,
    officers: &[staff::OfficerRow],
) -> AppResult<Vec<Load>> {
    let from = p.from.midnight().assume_offset(VN);
    let to = p.to.next_day().unwrap_or(p.to).midnight().assume_offset(VN);
    let handled = staff::handled(&st.db, f, from, to).await?;
    let backlog = staff::backlog(&st.db, f).await?;
    let mut out = Vec::new();
    for a in staff::agencies(&st.db, f).await? {
        let mut list = Vec::new();
        for o in officers.iter().filter(|o| o.agency_id == a.id) {
            let by = |rows: &[(i64, Option<i64>, i64)]| {
                rows.iter()
                    .filter(|r| r.1 == Some(o.user_id))
                    .map(|r| r.2)
                    .sum::<i64>()
            };
            list.push(Officer {
                user_id: o.user_id,
                name: o.display_name.clone(),
                specialty: specialty(&o.specialty)?,
                handled: by(&handled),
                backlog: by(&backlog),
                seconded_in: o.seconded_in,
            });
        }
        let sum = |rows: &[(i64, Option<i64>, i64)]| {
            rows.iter()
                .filter(|r| r.0 == a.id)
                .map(|r| r.2)
                .sum::<i64>()
        };
        let (h, b) = (sum(&handled), sum(&backlog));
        if list.is_empty() && h == 0 && b == 0 {
            continue;
        }
        out.push(Load {
            agency_id: a.id,
            agency: a.name,
            province: a.province,
            commune_tier: matches!(
                a.kind.as_str(),
                "commune_center" | "admin_group" | "commune_pc"
            ),
            officers: list,
            handled: h,
            backlog: b,
        });
    }
    Ok(out)
}

/// The report for the place and period asked for.
pub async fn report(st: &AppState, actor: &Actor, ask: &Ask) -> AppResult<StaffReport> {
    let place = place(st, actor, ask).await?;
    let today = st.clock.now().to_offset(VN).date();
    let p = period(ask, today)?;
    let cal = st.calendar();
    let mut days = 0i64;
    let mut d = p.from;
    while d <= p.to.min(today) {
        if cal.is_working_day(d) {
            days += 1;
        }
        d = d.next_day().unwrap_or(time::Date::MAX);
    }
    let (n, placeholder) = norm(st).await?;
    let rows = staff::officers(&st.db, &place.filter, &iso(today)).await?;
    let names: std::collections::HashMap<i64, (String, String)> = rows
        .iter()
        .map(|r| (r.user_id, (r.username.clone(), r.position.clone())))
        .collect();
    let loads = loads(st, &place.filter, p, &rows).await?;
    let decided = staff::decided(&st.db, &iso(today)).await?;
    let mut suggestions = suggest(&loads, n, days);
    suggestions.retain(|s| !decided.contains(&s.user_id));
    let units = loads
        .iter()
        .map(|l| {
            let s = standing(l, n, days);
            AgencyLine {
                missing_vi: s.missing.iter().map(|m| m.name_vi()).collect(),
                officers: l
                    .officers
                    .iter()
                    .map(|o| OfficerLine {
                        username: names
                            .get(&o.user_id)
                            .map(|n| n.0.clone())
                            .unwrap_or_default(),
                        name: o.name.clone(),
                        position: names
                            .get(&o.user_id)
                            .map(|n| n.1.clone())
                            .unwrap_or_default(),
                        specialty: o.specialty,
                        specialty_vi: o.specialty.name_vi(),
                        handled: o.handled,
                        per_day: (days > 0)
                            .then(|| ((o.handled as f64) / (days as f64) * 10.0).round() / 10.0),
                        backlog: o.backlog,
                        seconded_in: o.seconded_in,
                    })
                    .collect(),
                standing: s,
            }
        })
        .collect::<Vec<_>>();
    Ok(StaffReport {
        secondments: staff::secondments(&st.db, &place.filter).await?,
        place,
        from: iso(p.from),
        to: iso(p.to),
        working_days: days,
        norm: n,
        norm_is_placeholder: placeholder,
        units,
        suggestions,
    })
}

/// A secondment a director accepts (from a suggestion or of their own).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    pub officer: String,
    /// The identifier of the agency the officer goes to.
    pub to_agency: String,
    /// dd/mm/yyyy or YYYY-MM-DD.
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub reason: String,
}

fn may_decide(actor: &Actor) -> bool {
    matches!(
        actor.role,
        Role::CenterDirector | Role::ProvinceAdmin | Role::SystemAdmin
    )
}

fn reaches(actor: &Actor, a: &agencies::AgencyRow, province: &str) -> bool {
    match &actor.scope {
        Scope::All => true,
        Scope::Province(p) => p == province,
        Scope::Unit(u) => *u == a.unit_code,
        Scope::Agency(id) => *id == a.id,
        _ => false,
    }
}

async fn province_of(st: &AppState, a: &agencies::AgencyRow) -> AppResult<String> {
    let u = crate::store::units::get(&st.db, &a.unit_code).await?;
    Ok(u.map(|u| u.province_code.unwrap_or(u.code))
        .unwrap_or_default())
}

/// Records a secondment: the director must reach both agencies (a province administrator within the province).
pub async fn accept(st: &AppState, actor: &Actor, b: &Accept, rid: &str) -> AppResult<i64> {
    if !may_decide(actor) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "center directors and administrators decide secondments",
        ));
    }
    let Some(user) = users::by_username(&st.db, b.officer.trim()).await? else {
        return Err(AppError::field(
            "officer",
            "Không có cán bộ với tên đăng nhập này",
            "no officer with this username",
        ));
    };
    let Some(from) = (match user.agency_id {
        Some(id) => agencies::by_id(&st.db, id).await?,
        None => None,
    }) else {
        return Err(AppError::field(
            "officer",
            "Cán bộ chưa thuộc cơ quan nào",
            "the officer belongs to no agency",
        ));
    };
    let Some(to) = agencies::by_identifier(&st.db, b.to_agency.trim()).await? else {
        return Err(AppError::field(
            "to_agency",
            "Không có cơ quan này",
            "no such agency",
        ));
    };
    let (pf, pt) = (province_of(st, &from).await?, province_of(st, &to).await?);
    if !reaches(actor, &from, &pf) || !reaches(actor, &to, &pt) || pf != pt {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "both agencies must be within the caller's reach and province",
        ));
    }
    if from.id == to.id {
        return Err(AppError::field(
            "to_agency",
            "Cán bộ đang thuộc cơ quan này",
            "the officer already belongs to this agency",
        ));
    }
    let starts = parse_date(&b.starts_on).ok_or_else(|| {
        AppError::field(
            "starts_on",
            "Ngày bắt đầu không đúng dạng ngày/tháng/năm",
            "the start date is not a date",
        )
    })?;
    let ends = match b
        .ends_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(parse_date(s).ok_or_else(|| {
            AppError::field(
                "ends_on",
                "Ngày kết thúc không đúng dạng ngày/tháng/năm",
                "the end date is not a date",
            )
        })?),
    };
    if ends.is_some_and(|e| e < starts) {
        return Err(AppError::field(
            "ends_on",
            "Ngày kết thúc phải sau ngày bắt đầu",
            "the end must not be before the start",
        ));
    }
    let reason = b.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "Ghi lý do điều động (tối đa 500 ký tự)",
            "give the reason (at most 500 characters)",
        ));
    }
    let now = st.clock.now();
    let (s, e) = (iso(starts), ends.map(iso));
    let mut tx = st.db.begin().await?;
    if let Some(since) = staff::overlapping(&mut tx, user.id, &s, e.as_deref()).await? {
        return Err(AppError::field(
            "starts_on",
            format!(
                "Cán bộ này đã có quyết định điều động trùng thời gian (từ {}): không ghi lần nữa",
                vn_iso(&since)
            ),
            format!(
                "this officer already has a secondment over these dates (from {since}): not recorded twice"
            ),
        ));
    }
    let id = staff::insert(
        &mut tx,
        &staff::NewSecondment {
            user_id: user.id,
            from: from.id,
            to: to.id,
            starts_on: &s,
            ends_on: e.as_deref(),
            reason,
            by: actor.user_id,
            at: now,
        },
    )
    .await?;
    audit::write_tx(
        &mut tx,
        &actor.audit(
            ("second_officer", "secondment", id.to_string()),
            "điều động cán bộ",
            rid,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An officer's position and specialty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub position: String,
    pub specialty: String,
}

/// Sets an officer's position and specialty (director or administrator reaching the officer's agency).
pub async fn set_profile(
    st: &AppState,
    actor: &Actor,
    username: &str,
    p: &Profile,
    rid: &str,
) -> AppResult<()> {
    if !may_decide(actor) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "center directors and administrators keep the staff list",
        ));
    }
    let Some(spec) = Specialty::parse(p.specialty.trim()) else {
        let known: Vec<&str> = Specialty::ALL.iter().map(|s| s.as_str()).collect();
        return Err(AppError::field(
            "specialty",
            "Chọn một chuyên môn trong danh sách",
            format!("specialty must be one of {}", known.join(", ")),
        ));
    };
    let position = p.position.trim();
    if position.chars().count() > 120 {
        return Err(AppError::field(
            "position",
            "Chức vụ tối đa 120 ký tự",
            "the position is at most 120 characters",
        ));
    }
    let user = users::by_username(&st.db, username)
        .await?
        .filter(|u| u.role != Role::Citizen);
    let agency = match user.as_ref().and_then(|u| u.agency_id) {
        Some(id) => agencies::by_id(&st.db, id).await?,
        None => None,
    };
    let (Some(user), Some(agency)) = (user, agency) else {
        return Err(AppError::with(ErrorCode::BadRequest, "no such officer"));
    };
    let province = province_of(st, &agency).await?;
    if !reaches(actor, &agency, &province)
        || (agency.tier == Tier::Province && matches!(actor.scope, Scope::Unit(_)))
    {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "outside the caller's reach",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    staff::set_profile(
        &mut tx,
        user.id,
        position,
        if spec == Specialty::General {
            ""
        } else {
            spec.as_str()
        },
    )
    .await?;
    audit::write_tx(
        &mut tx,
        &actor.audit(
            ("set_officer_profile", "user", user.username.clone()),
            "hồ sơ cán bộ",
            rid,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
