//! The leaders' figures: the summary of a period for a province, unit or agency, its breakdowns and the previous
//! period beside it, read from the rollups that every change of a dossier keeps in its own transaction.

pub mod export;
pub mod index766;
pub mod staff;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::reports::{self, By, Filter};
use crate::store::{agencies, units};
use motcua_domain::agency::AgencyKind;
use motcua_domain::calendar::VN;
use motcua_domain::report::Summary;
use motcua_domain::role::Role;
use serde::{Deserialize, Serialize};
use time::Date;

/// What a report is asked for (query string of the API and the pages).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    /// A unit code (commune, ward, special zone) or an agency identifier.
    pub unit: Option<String>,
    /// A province code.
    pub province: Option<String>,
    /// YYYY-MM-DD or dd/mm/yyyy; by default the first day of this month.
    pub from: Option<String>,
    /// YYYY-MM-DD or dd/mm/yyyy; by default today.
    pub to: Option<String>,
}

/// The place a report covers.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    #[serde(skip)]
    pub filter: Filter,
    /// "province", "unit", "agency" or "all".
    pub kind: &'static str,
    pub code: String,
    pub name: String,
}

/// A period, both ends included (Vietnamese dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// The period of the same length just before.
    pub fn previous(self) -> Period {
        let days = (self.to - self.from).whole_days();
        let to = self.from.previous_day().unwrap_or(self.from);
        Period {
            from: to - time::Duration::days(days),
            to,
        }
    }
}

/// Reads a date typed as YYYY-MM-DD or dd/mm/yyyy.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let vn = time::macros::format_description!("[day]/[month]/[year]");
    Date::parse(s, iso).or_else(|_| Date::parse(s, vn)).ok()
}

/// dd/mm/yyyy.
pub fn vn_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// The period asked for; by default this month up to today.
pub fn period(ask: &Ask, today: Date) -> AppResult<Period> {
    let read = |v: &Option<String>, name: &str| -> AppResult<Option<Date>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => parse_date(s).map(Some).ok_or_else(|| {
                AppError::field(
                    name,
                    format!("Ngày \"{s}\" không đọc được: ghi theo ngày/tháng/năm và là ngày có thật (ví dụ 01/03/2026)"),
                    format!("\"{s}\" cannot be read: a real date as dd/mm/yyyy or YYYY-MM-DD"),
                )
            }),
        }
    };
    // Both dates are read before refusing, so the form marks every bad one at once.
    let (from, to) = match (read(&ask.from, "from"), read(&ask.to, "to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(a), Err(b)) => return Err(a.and(b)),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let from = from.unwrap_or_else(|| today.replace_day(1).unwrap_or(today));
    let to = to.unwrap_or(today);
    if from > today {
        return Err(AppError::field(
            "from",
            format!(
                "Ngày bắt đầu {} ở sau hôm nay: chưa có số liệu cho kỳ này",
                vn_date(from)
            ),
            format!(
                "the start {} is after today: there are no figures for it yet",
                vn_date(from)
            ),
        ));
    }
    if from > to {
        return Err(AppError::field(
            "to",
            format!(
                "Ngày kết thúc không được trước ngày bắt đầu ({})",
                vn_date(from)
            ),
            format!(
                "the end date must not be before the start date ({})",
                vn_date(from)
            ),
        ));
    }
    if (to - from).whole_days() > 366 * 5 {
        return Err(AppError::field(
            "from",
            "Kỳ báo cáo dài tối đa 5 năm",
            "a report period is at most 5 years",
        ));
    }
    Ok(Period { from, to })
}

fn forbidden() -> AppError {
    AppError::with(ErrorCode::Forbidden, "outside the caller's reach")
}

/// Whether a role reads the figures: leaders, center directors and administrators.
pub fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::Leader | Role::CenterDirector | Role::ProvinceAdmin | Role::SystemAdmin
    )
}

/// The place asked for, checked against the caller's reach; by default the caller's own reach.
pub async fn place(st: &AppState, actor: &Actor, ask: &Ask) -> AppResult<Place> {
    if !may_read(actor.role) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "the figures are for leaders, center directors and administrators",
        ));
    }
    let unit = ask.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let province = ask
        .province
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (unit, province) {
        (Some(_), Some(_)) => Err(AppError::field(
            "unit",
            "Chọn một đơn vị hoặc một tỉnh, không chọn cả hai",
            "give a unit or a province, not both",
        )),
        (None, Some(p)) => province_place(st, actor, p).await,
        (Some(u), None) => unit_place(st, actor, u).await,
        (None, None) => own_place(st, actor).await,
    }
}

async fn province_place(st: &AppState, actor: &Actor, p: &str) -> AppResult<Place> {
    let allowed = match &actor.scope {
        Scope::All => true,
        Scope::Province(mine) => mine == p,
        _ => false,
    };
    let u = units::get(&st.db, p)
        .await?
        .filter(|u| u.level == "province");
    let Some(u) = u else {
        return Err(AppError::with(
            ErrorCode::UnitNotFound,
            format!("no province {p}"),
        ));
    };
    if !allowed {
        return Err(forbidden());
    }
    Ok(Place {
        filter: Filter::Province(u.code.clone()),
        kind: "province",
        code: u.code,
        name: u.name,
    })
}

async fn unit_place(st: &AppState, actor: &Actor, code: &str) -> AppResult<Place> {
    // A ward's center often carries the ward's code as its identifier: the unit wins.
    if let Some(u) = units::get(&st.db, code).await? {
        return unit_of(actor, u);
    }
    let Some(a) = agencies::by_identifier(&st.db, code).await? else {
        return Err(AppError::with(
            ErrorCode::UnitNotFound,
            format!("no unit or agency {code}"),
        ));
    };
    let unit = units::get(&st.db, &a.unit_code).await?;
    let province = unit
        .as_ref()
        .map(|u| u.province_code.clone().unwrap_or_else(|| u.code.clone()));
    let allowed = match &actor.scope {
        Scope::All => true,
        Scope::Province(p) => province.as_deref() == Some(p.as_str()),
        Scope::Unit(u) => *u == a.unit_code,
        Scope::Agency(id) => *id == a.id,
        _ => false,
    };
    if !allowed {
        return Err(forbidden());
    }
    Ok(Place {
        filter: Filter::Agency(a.id),
        kind: "agency",
        code: a.identifier,
        name: a.name,
    })
}

fn unit_of(actor: &Actor, u: units::UnitRow) -> AppResult<Place> {
    let province = u.province_code.clone().unwrap_or_else(|| u.code.clone());
    let allowed = match &actor.scope {
        Scope::All => true,
        Scope::Province(p) => *p == province,
        Scope::Unit(mine) => *mine == u.code,
        // The provincial center receives for the province's departments and branches: its director sees them.
        Scope::Agency(_) => actor
            .agency
            .as_ref()
            .is_some_and(|a| a.kind == AgencyKind::ProvinceCenter && a.unit_code == u.code),
        _ => false,
    };
    if !allowed {
        return Err(forbidden());
    }
    Ok(Place {
        filter: Filter::Unit(u.code.clone()),
        kind: "unit",
        code: u.code,
        name: u.name,
    })
}

async fn own_place(st: &AppState, actor: &Actor) -> AppResult<Place> {
    match &actor.scope {
        Scope::All => Ok(Place {
            filter: Filter::All,
            kind: "all",
            code: String::new(),
            name: "Toàn hệ thống".into(),
        }),
        Scope::Province(p) => province_place(st, actor, p).await,
        Scope::Unit(u) => unit_place(st, actor, u).await,
        Scope::Agency(_) => match &actor.agency {
            Some(a) if a.kind == AgencyKind::ProvinceCenter => {
                unit_place(st, actor, &a.unit_code).await
            }
            Some(a) => unit_place(st, actor, &a.identifier).await,
            None => Err(forbidden()),
        },
        _ => Err(forbidden()),
    }
}

/// The summary of one place and period.
pub async fn figures(st: &AppState, f: &Filter, p: Period) -> AppResult<Summary> {
    let mut s = Summary::default();
    for (_, _, c, n) in reports::counters(&st.db, f, p.from, p.to, By::Total).await? {
        s.add(c, n);
    }
    for (_, _, within, overdue, supplement) in open(st, f, p, By::Total).await? {
        s.add_open_counts(within, overdue, supplement);
    }
    Ok(s)
}

/// The open dossiers at a period's end: from the open set when the period reaches today, from the raw dossiers for
/// a past period.
pub async fn open(
    st: &AppState,
    f: &Filter,
    p: Period,
    by: By,
) -> AppResult<Vec<(String, String, i64, i64, i64)>> {
    let today = st.clock.now().to_offset(VN).date();
    if p.to >= today {
        return Ok(reports::open_now(&st.db, f, today, by).await?);
    }
    let end = p.to.next_day().unwrap_or(p.to).midnight().assume_offset(VN);
    let reference = p.to.midnight().assume_offset(VN);
    Ok(reports::open_at(&st.db, f, end, reference, by).await?)
}

/// The answer of `GET /api/v1/reports/summary`.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryReport {
    pub place: Place,
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub figures: Summary,
    pub on_time_pct: Option<f64>,
    pub previous: Previous,
}

/// The period before, for comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Previous {
    pub from: String,
    pub to: String,
    #[serde(flatten)]
    pub figures: Summary,
    pub on_time_pct: Option<f64>,
}

pub(crate) fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The summary with the previous period.
pub async fn summary(st: &AppState, actor: &Actor, ask: &Ask) -> AppResult<SummaryReport> {
    let place = place(st, actor, ask).await?;
    let today = st.clock.now().to_offset(VN).date();
    let p = period(ask, today)?;
    let now = figures(st, &place.filter, p).await?;
    let q = p.previous();
    let before = figures(st, &place.filter, q).await?;
    Ok(SummaryReport {
        on_time_pct: now.on_time_pct(),
        place,
        from: iso(p.from),
        to: iso(p.to),
        figures: now,
        previous: Previous {
            from: iso(q.from),
            to: iso(q.to),
            on_time_pct: before.on_time_pct(),
            figures: before,
        },
    })
}

/// One line of a breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub figures: Summary,
    pub on_time_pct: Option<f64>,
}

/// The agencies of a place to choose from, as (identifier, name); `None` for the whole deployment.
pub async fn agencies_in(st: &AppState, f: &Filter) -> AppResult<Option<Vec<(String, String)>>> {
    Ok(crate::store::report_inputs::agencies_in(&st.db, f).await?)
}

/// A breakdown of the period by agency, procedure, field, month or day.
pub async fn breakdown(st: &AppState, f: &Filter, p: Period, by: By) -> AppResult<Vec<Line>> {
    let mut m: std::collections::BTreeMap<String, (String, Summary)> = Default::default();
    for (k, l, c, n) in reports::counters(&st.db, f, p.from, p.to, by).await? {
        let e = m.entry(k).or_insert_with(|| (l, Summary::default()));
        e.1.add(c, n);
    }
    // A day or month with nothing received is a zero on the chart and in the table, not a gap.
    for key in calendar_keys(p, by) {
        m.entry(key)
            .or_insert_with(|| (String::new(), Summary::default()));
    }
    if matches!(by, By::Agency | By::Procedure | By::Field) {
        for (k, l, within, overdue, supplement) in open(st, f, p, by).await? {
            let e = m.entry(k).or_insert_with(|| (l, Summary::default()));
            e.1.add_open_counts(within, overdue, supplement);
        }
    }
    Ok(m.into_iter()
        .map(|(key, (label, figures))| Line {
            key,
            label,
            on_time_pct: figures.on_time_pct(),
            figures,
        })
        .collect())
}

/// Every day ("YYYY-MM-DD") or month ("YYYY-MM") of the period, for a breakdown by day or month (at most 3,700).
fn calendar_keys(p: Period, by: By) -> Vec<String> {
    let mut keys = Vec::new();
    let mut d = p.from;
    while d <= p.to && keys.len() < 3_700 {
        let key = match by {
            By::Day => iso(d),
            By::Month => iso(d)[..7].to_owned(),
            By::Agency | By::Procedure | By::Field | By::Total => return Vec::new(),
        };
        if keys.last() != Some(&key) {
            keys.push(key);
        }
        d = match d.next_day() {
            Some(n) => n,
            None => break,
        };
    }
    keys
}

/// Rebuilds every rollup from the dossiers (CLI). Returns how many dossiers were read.
pub async fn rebuild(db: &crate::store::Db) -> AppResult<u64> {
    Ok(reports::rebuild(db).await?)
}

/// A stored date ("YYYY-MM-DD") written dd/mm/yyyy; anything else as it is.
pub fn vn_iso(s: &str) -> String {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        format!("{}/{}/{}", &s[8..10], &s[5..7], &s[0..4])
    } else {
        s.to_owned()
    }
}
