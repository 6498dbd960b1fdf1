//! Legal time limits as procedure records write them, pauses and due-date rules, working durations, and dates as shown.

use super::*;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};

/// The unit of a legal time limit, as procedure records write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// "Ngày làm việc": 8 working hours each.
    WorkingDays,
    /// "Ngày": calendar days; never ends on a weekend or holiday.
    Days,
    /// "Giờ": working hours.
    Hours,
    /// "Trong ngày": by the end of the working day.
    SameDay,
    /// "Tháng": calendar months.
    Months,
}

impl TimeUnit {
    /// API name.
    pub const fn as_str(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working_days",
            TimeUnit::Days => "days",
            TimeUnit::Hours => "hours",
            TimeUnit::SameDay => "same_day",
            TimeUnit::Months => "months",
        }
    }
    /// Parses the API name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::WorkingDays,
            Self::Days,
            Self::Hours,
            Self::SameDay,
            Self::Months,
        ]
        .into_iter()
        .find(|u| u.as_str() == s)
    }
    /// Vietnamese label.
    pub const fn vi(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "ngày làm việc",
            TimeUnit::Days => "ngày",
            TimeUnit::Hours => "giờ",
            TimeUnit::SameDay => "trong ngày",
            TimeUnit::Months => "tháng",
        }
    }
    /// English label.
    pub const fn en(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working days",
            TimeUnit::Days => "days",
            TimeUnit::Hours => "hours",
            TimeUnit::SameDay => "within the day",
            TimeUnit::Months => "months",
        }
    }
}

/// A legal time limit: an amount and its unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeLimit {
    /// The amount (fractions allowed for working days: 0.25 day).
    pub amount: f64,
    /// The unit.
    pub unit: TimeUnit,
}

impl TimeLimit {
    /// Working days.
    pub const fn working_days(amount: f64) -> Self {
        Self {
            amount,
            unit: TimeUnit::WorkingDays,
        }
    }
    /// Working minutes, for working-day and hour limits.
    pub fn working_minutes(&self) -> i64 {
        match self.unit {
            TimeUnit::WorkingDays => (self.amount * DAY_MINUTES as f64).round() as i64,
            TimeUnit::Hours => (self.amount * 60.0).round() as i64,
            _ => 0,
        }
    }
}

/// A procedure's time limit with its disadvantaged-area variant ("15 ngày (25 ngày đối với vùng khó khăn)").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProcedureTime {
    /// The ordinary limit.
    pub normal: TimeLimit,
    /// The limit in units flagged as disadvantaged areas, if the procedure has one.
    pub disadvantaged: Option<TimeLimit>,
}

impl ProcedureTime {
    /// The limit that applies in a unit.
    pub fn for_unit(&self, unit_is_disadvantaged: bool) -> TimeLimit {
        match (unit_is_disadvantaged, self.disadvantaged) {
            (true, Some(d)) => d,
            _ => self.normal,
        }
    }
}

/// An interval during which the legal clock was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    /// When the clock stopped.
    pub from: OffsetDateTime,
    /// When it restarted.
    pub to: OffsetDateTime,
}

/// Per-procedure rules that shift a due date.
#[derive(Debug, Clone, Copy, Default)]
pub struct DueRules<'a> {
    /// Intake after this local time counts from the next working day (the 15:00 rule).
    pub cutoff: Option<Time>,
    /// Clock stops.
    pub pauses: &'a [Pause],
}

/// Working time left (positive) or overdue (negative), shown in 8-hour working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WorkingDuration {
    /// Signed working minutes.
    pub minutes: i64,
}

impl WorkingDuration {
    /// Working days, hours and minutes; up to one working day is told in hours ("Còn 8 giờ", not "Còn 1 ngày" for
    /// a result due this afternoon).
    fn parts(&self) -> (i64, i64, i64) {
        let m = self.minutes.abs();
        if m <= DAY_MINUTES {
            return (0, m / 60, m % 60);
        }
        (m / DAY_MINUTES, (m % DAY_MINUTES) / 60, m % 60)
    }

    /// "Còn 2 ngày làm việc 3 giờ" or "Quá hạn 1 ngày làm việc 4 giờ 30 phút" (days of 8 working hours).
    pub fn vi(&self) -> String {
        let (d, h, m) = self.parts();
        let mut s = String::from(if self.minutes < 0 {
            "Quá hạn"
        } else {
            "Còn"
        });
        if d > 0 {
            s.push_str(&format!(" {d} ngày làm việc"));
        }
        if h > 0 || d == 0 {
            s.push_str(&format!(" {h} giờ"));
        }
        if m > 0 {
            s.push_str(&format!(" {m} phút"));
        }
        s
    }

    /// "2 working days 3 hours left" or "overdue by 1 working day 4 hours 30 minutes".
    pub fn en(&self) -> String {
        let (d, h, m) = self.parts();
        let plural = |n: i64, w: &str| {
            if n == 1 {
                format!("{n} {w}")
            } else {
                format!("{n} {w}s")
            }
        };
        let mut parts = Vec::new();
        if d > 0 {
            parts.push(plural(d, "working day"));
        }
        if h > 0 || d == 0 {
            parts.push(plural(h, "hour"));
        }
        if m > 0 {
            parts.push(plural(m, "minute"));
        }
        if self.minutes < 0 {
            format!("overdue by {}", parts.join(" "))
        } else {
            format!("{} left", parts.join(" "))
        }
    }
}

/// Formats a moment as Vietnamese users read it: "04/05/2026 10:00" (UTC+7).
pub fn format_vi(t: OffsetDateTime) -> String {
    let l = t.to_offset(VN);
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        l.day(),
        u8::from(l.month()),
        l.year(),
        l.hour(),
        l.minute()
    )
}

/// Formats a date as dd/mm/yyyy.
pub fn format_date_vi(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}
