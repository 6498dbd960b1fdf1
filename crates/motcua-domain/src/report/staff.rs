//! Staff and workload: officers' specialties, the load of each agency against a norm, the specialties a commune
//! lacks, and a suggested rebalancing (who could be seconded where) for a director to accept.

use serde::Serialize;

/// An officer's field of expertise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Specialty {
    /// Công nghệ thông tin.
    It,
    /// Tài chính – kế toán.
    FinanceAccounting,
    /// Đất đai.
    Land,
    /// Xây dựng.
    Construction,
    /// Tư pháp – hộ tịch.
    JusticeCivilStatus,
    /// Văn hóa – xã hội.
    CultureSocial,
    /// Khác / chưa ghi.
    General,
}

impl Specialty {
    pub const ALL: [Specialty; 7] = [
        Specialty::It,
        Specialty::FinanceAccounting,
        Specialty::Land,
        Specialty::Construction,
        Specialty::JusticeCivilStatus,
        Specialty::CultureSocial,
        Specialty::General,
    ];

    /// What every commune center needs at least one of (the specialties the two-tier reform's secondments
    /// targeted; a province edits the list in its settings).
    pub const COMMUNE_NEEDS: [Specialty; 5] = [
        Specialty::It,
        Specialty::FinanceAccounting,
        Specialty::Land,
        Specialty::Construction,
        Specialty::JusticeCivilStatus,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Specialty::It => "it",
            Specialty::FinanceAccounting => "finance_accounting",
            Specialty::Land => "land",
            Specialty::Construction => "construction",
            Specialty::JusticeCivilStatus => "justice_civil_status",
            Specialty::CultureSocial => "culture_social",
            Specialty::General => "general",
        }
    }

    pub const fn name_vi(self) -> &'static str {
        match self {
            Specialty::It => "Công nghệ thông tin",
            Specialty::FinanceAccounting => "Tài chính – kế toán",
            Specialty::Land => "Đất đai",
            Specialty::Construction => "Xây dựng",
            Specialty::JusticeCivilStatus => "Tư pháp – hộ tịch",
            Specialty::CultureSocial => "Văn hóa – xã hội",
            Specialty::General => "Chưa ghi chuyên môn",
        }
    }

    pub const fn name_en(self) -> &'static str {
        match self {
            Specialty::It => "IT",
            Specialty::FinanceAccounting => "Finance and accounting",
            Specialty::Land => "Land",
            Specialty::Construction => "Construction",
            Specialty::JusticeCivilStatus => "Justice and civil status",
            Specialty::CultureSocial => "Culture and social affairs",
            Specialty::General => "Not recorded",
        }
    }

    /// From the stored name; `""` is "not recorded". Anything else is an error.
    pub fn parse(s: &str) -> Option<Specialty> {
        if s.is_empty() {
            return Some(Specialty::General);
        }
        Specialty::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One officer as the plan sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Officer {
    pub user_id: i64,
    pub name: String,
    pub specialty: Specialty,
    /// Steps finished in the period.
    pub handled: i64,
    /// Steps open and assigned now.
    pub backlog: i64,
    /// Serving here on secondment from another agency.
    pub seconded_in: bool,
}

/// One agency's load.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Load {
    pub agency_id: i64,
    pub agency: String,
    pub province: String,
    pub commune_tier: bool,
    pub officers: Vec<Officer>,
    /// Steps finished at the agency in the period (by anyone).
    pub handled: i64,
    /// Steps open at the agency now.
    pub backlog: i64,
}

/// One agency's standing against the norm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub agency_id: i64,
    pub agency: String,
    pub officers: i64,
    pub handled: i64,
    pub backlog: i64,
    /// Steps finished per officer per working day.
    pub per_officer_day: Option<f64>,
    pub backlog_per_officer: Option<f64>,
    /// Officers the load needs at the norm (at least one).
    pub needed: i64,
    /// Officers above (positive) or below (negative) what the load needs.
    pub balance: i64,
    /// Specialties a commune center lacks.
    pub missing: Vec<Specialty>,
}

/// A suggested secondment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub user_id: i64,
    pub officer: String,
    pub specialty: Specialty,
    pub from_agency_id: i64,
    pub from_agency: String,
    pub to_agency_id: i64,
    pub to_agency: String,
    /// Why, in Vietnamese.
    pub reason: String,
}

fn ratio(a: i64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| ((a as f64) / b * 10.0).round() / 10.0)
}

/// How each agency stands: `norm` steps per officer per working day, over `working_days`.
pub fn standing(l: &Load, norm: f64, working_days: i64) -> Standing {
    let n = i64::try_from(l.officers.len()).unwrap_or(i64::MAX);
    let per_day = if working_days > 0 {
        l.handled as f64 / working_days as f64
    } else {
        0.0
    };
    // What the load needs: the daily flow at the norm, plus clearing the backlog within a week of working days.
    let needed = if norm > 0.0 {
        ((per_day + l.backlog as f64 / 5.0) / norm).ceil() as i64
    } else {
        n
    }
    .max(1);
    let have: std::collections::BTreeSet<Specialty> =
        l.officers.iter().map(|o| o.specialty).collect();
    let missing = if l.commune_tier {
        Specialty::COMMUNE_NEEDS
            .into_iter()
            .filter(|s| !have.contains(s))
            .collect()
    } else {
        Vec::new()
    };
    Standing {
        agency_id: l.agency_id,
        agency: l.agency.clone(),
        officers: n,
        handled: l.handled,
        backlog: l.backlog,
        per_officer_day: ratio(l.handled, (n * working_days.max(0)) as f64),
        backlog_per_officer: ratio(l.backlog, n as f64),
        needed,
        balance: n - needed,
        missing,
    }
}

/// Suggests secondments within each province: to an agency short of officers or lacking a specialty, from an
/// agency with officers to spare, preferring an officer whose specialty the target lacks and who is not already
/// seconded. Never takes an agency below what its load needs, and never its last officer of a specialty a
/// commune needs.
pub fn suggest(loads: &[Load], norm: f64, working_days: i64) -> Vec<Suggestion> {
    let mut st: Vec<Standing> = loads
        .iter()
        .map(|l| standing(l, norm, working_days))
        .collect();
    let mut out = Vec::new();
    let mut taken = std::collections::HashSet::new();
    let order: Vec<usize> = {
        let mut v: Vec<usize> = (0..st.len()).collect();
        v.sort_by_key(|&i| (st[i].balance, std::cmp::Reverse(st[i].missing.len())));
        v
    };
    for t in order {
        let wants_people = st[t].balance < 0;
        let wants: Vec<Specialty> = st[t].missing.clone();
        if !wants_people && wants.is_empty() {
            continue;
        }
        let mut need = (-st[t].balance).max(if wants.is_empty() { 0 } else { 1 });
        while need > 0 {
            let pick = pick(loads, &st, t, &wants, &taken);
            let Some((s, o)) = pick else { break };
            let (l, off) = (&loads[s], &loads[s].officers[o]);
            taken.insert(off.user_id);
            let why = if wants.contains(&off.specialty) {
                format!(
                    "{} thiếu cán bộ {}; {} còn dư {} người so với khối lượng công việc",
                    st[t].agency,
                    off.specialty.name_vi().to_lowercase(),
                    l.agency,
                    st[s].balance
                )
            } else {
                format!(
                    "{} thiếu {} người so với khối lượng công việc; {} còn dư {} người",
                    st[t].agency, -st[t].balance, l.agency, st[s].balance
                )
            };
            out.push(Suggestion {
                user_id: off.user_id,
                officer: off.name.clone(),
                specialty: off.specialty,
                from_agency_id: l.agency_id,
                from_agency: l.agency.clone(),
                to_agency_id: st[t].agency_id,
                to_agency: st[t].agency.clone(),
                reason: why,
            });
            st[s].balance -= 1;
            st[t].balance += 1;
            st[t].missing.retain(|m| *m != off.specialty);
            need -= 1;
        }
    }
    out
}

fn pick(
    loads: &[Load],
    st: &[Standing],
    t: usize,
    wants: &[Specialty],
    taken: &std::collections::HashSet<i64>,
) -> Option<(usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    for (s, l) in loads.iter().enumerate() {
        if s == t || l.province != loads[t].province || st[s].balance <= 0 {
            continue;
        }
        for (o, off) in l.officers.iter().enumerate() {
            if taken.contains(&off.user_id) || off.seconded_in {
                continue;
            }
            let last_of_kind = l.commune_tier
                && Specialty::COMMUNE_NEEDS.contains(&off.specialty)
                && l.officers
                    .iter()
                    .filter(|x| x.specialty == off.specialty)
                    .count()
                    == 1;
            if last_of_kind {
                continue;
            }
            let fit = if wants.contains(&off.specialty) { 2 } else { 0 } + st[s].balance.min(5);
            let useful = wants.is_empty() || wants.contains(&off.specialty) || st[t].balance < 0;
            if useful && best.is_none_or(|b| fit > b.0) {
                best = Some((fit, s, o));
            }
        }
    }
    best.map(|(_, s, o)| (s, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn officer(id: i64, s: Specialty) -> Officer {
        Officer {
            user_id: id,
            name: format!("Cán bộ {id}"),
            specialty: s,
            handled: 0,
            backlog: 0,
            seconded_in: false,
        }
    }

    #[test]
    fn an_idle_agency_lends_to_an_overloaded_one_in_the_same_province() {
        let busy = Load {
            agency_id: 1,
            agency: "Phường A".into(),
            province: "48".into(),
            commune_tier: true,
            officers: vec![
                officer(1, Specialty::Land),
                officer(2, Specialty::It),
                officer(3, Specialty::FinanceAccounting),
                officer(4, Specialty::JusticeCivilStatus),
            ],
            handled: 22 * 4 * 20,
            backlog: 60,
        };
        let idle = Load {
            agency_id: 2,
            agency: "Xã B".into(),
            province: "48".into(),
            commune_tier: true,
            officers: (10..18)
                .map(|i| {
                    officer(
                        i,
                        if i == 10 {
                            Specialty::Construction
                        } else {
                            Specialty::JusticeCivilStatus
                        },
                    )
                })
                .collect(),
            handled: 22 * 8,
            backlog: 0,
        };
        let far = Load {
            agency_id: 3,
            agency: "Xã C (tỉnh khác)".into(),
            province: "01".into(),
            commune_tier: true,
            officers: (20..30)
                .map(|i| officer(i, Specialty::Construction))
                .collect(),
            handled: 0,
            backlog: 0,
        };
        let s = standing(&busy, 10.0, 22);
        assert_eq!(
            (s.per_officer_day, s.needed, s.balance),
            (Some(20.0), 10, -6)
        );
        assert_eq!(s.missing, vec![Specialty::Construction]);
        let plan = suggest(&[busy, idle, far], 10.0, 22);
        assert!(!plan.is_empty());
        assert!(
            plan.iter()
                .all(|p| p.to_agency_id == 1 && p.from_agency_id == 2),
            "{plan:?}"
        );
        // The idle commune keeps its only construction officer, so the busy ward's lack is told, not solved by it.
        assert!(plan.iter().all(|p| p.user_id != 10));
        // The idle commune keeps what its own load needs (one officer).
        assert!(plan.len() <= 7);
    }
}
