//! The legal-time engine: working days of 8 hours inside office hours, weekends, statutory holidays (solar and
//! lunar, UTC+7) with compensation, yearly official overrides, the 15:00 cut-off, clock stops and calendar-day limits.
//!
//! Pure: every function takes its "now" as an argument.

pub mod lunar;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::macros::{offset, time};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};
mod limits;
pub use limits::{
    format_date_vi, format_vi, DueRules, Pause, ProcedureTime, TimeLimit, TimeUnit, WorkingDuration,
};

/// Vietnam's time zone (ICT, no daylight saving).
pub const VN: UtcOffset = offset!(+7);

/// Minutes in one working day (Decree-practice: 1 working day = 8 hours).
pub const DAY_MINUTES: i64 = 480;

/// Office periods of a working day, e.g. 07:00–11:30 and 13:30–17:00.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours(Vec<(Time, Time)>);

/// A calendar configuration that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// Periods empty, reversed or overlapping.
    #[error("office hours must be non-empty, ordered, non-overlapping periods")]
    BadHours,
}

impl OfficeHours {
    /// Validates ordered, non-overlapping, non-empty periods.
    pub fn new(periods: Vec<(Time, Time)>) -> Result<Self, CalendarError> {
        if periods.is_empty() {
            return Err(CalendarError::BadHours);
        }
        let mut prev_end = Time::MIDNIGHT;
        for (i, (s, e)) in periods.iter().enumerate() {
            if s >= e || (i > 0 && *s < prev_end) {
                return Err(CalendarError::BadHours);
            }
            prev_end = *e;
        }
        Ok(Self(periods))
    }

    /// Parses "07:00-11:30,13:30-17:00".
    pub fn parse(s: &str) -> Result<Self, CalendarError> {
        let fmt = time::macros::format_description!("[hour]:[minute]");
        let mut periods = Vec::new();
        for part in s.split(',') {
            let (a, b) = part.trim().split_once('-').ok_or(CalendarError::BadHours)?;
            let a = Time::parse(a.trim(), fmt).map_err(|_| CalendarError::BadHours)?;
            let b = Time::parse(b.trim(), fmt).map_err(|_| CalendarError::BadHours)?;
            periods.push((a, b));
        }
        Self::new(periods)
    }

    /// The periods.
    pub fn periods(&self) -> &[(Time, Time)] {
        &self.0
    }

    /// Working minutes in a full working day.
    pub fn minutes_per_day(&self) -> i64 {
        self.0.iter().map(|(s, e)| (*e - *s).whole_minutes()).sum()
    }
}

impl Default for OfficeHours {
    fn default() -> Self {
        Self(vec![
            (time!(07:00), time!(11:30)),
            (time!(13:30), time!(17:00)),
        ])
    }
}

impl std::fmt::Display for OfficeHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (s, e)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(
                f,
                "{:02}:{:02}-{:02}:{:02}",
                s.hour(),
                s.minute(),
                e.hour(),
                e.minute()
            )?;
        }
        Ok(())
    }
}

/// A yearly official change to the calendar (the Prime Minister's schedule, swapped working days).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOverride {
    /// The day.
    pub date: Date,
    /// Day off or working day.
    pub kind: OverrideKind,
    /// Why (e.g. "Nghỉ bù Tết theo Thông báo …").
    pub note: String,
}

/// Whether an override adds a day off or a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// No work that day.
    DayOff,
    /// Work that day even if it is a weekend or a computed holiday.
    WorkingDay,
}

impl OverrideKind {
    /// Stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            OverrideKind::DayOff => "day_off",
            OverrideKind::WorkingDay => "working_day",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "day_off" => Some(Self::DayOff),
            "working_day" => Some(Self::WorkingDay),
            _ => None,
        }
    }
}

/// A holiday as the calendar knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The day off.
    pub date: Date,
    /// Vietnamese name.
    pub name: String,
    /// statutory, compensation or override.
    pub source: &'static str,
}

/// The working calendar of a unit: office hours, weekly rest days, holidays and overrides.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    hours: OfficeHours,
    weekend: [bool; 7],
    days_off: BTreeMap<Date, Holiday>,
    working: BTreeSet<Date>,
}

/// The statutory holidays of a year under Labor Code 2019 art. 112(1), before compensation.
///
/// Tết is taken as the last day of the lunar year plus the first four days of the new one, and the second National
/// Day holiday as the adjacent day that joins a weekend (1/9 when 2/9 is a Tuesday, Friday or Saturday, else 3/9).
/// Both are defaults: the Prime Minister fixes the exact days every year (art. 112(3)); enter them as overrides.
pub fn statutory_holidays(year: i32) -> Vec<(Date, String)> {
    let mut out = Vec::new();
    let d = |m: time::Month, day: u8| Date::from_calendar_date(year, m, day).ok();
    if let Some(x) = d(time::Month::January, 1) {
        out.push((x, "Tết Dương lịch".to_owned()));
    }
    if let Some(tet) = lunar::lunar_to_solar(1, 1, year) {
        out.push((
            tet - Duration::days(1),
            "Tết Nguyên đán (ngày cuối năm âm lịch)".to_owned(),
        ));
        for i in 0..4 {
            out.push((
                tet + Duration::days(i),
                format!("Tết Nguyên đán (mùng {})", i + 1),
            ));
        }
    }
    if let Some(x) = lunar::lunar_to_solar(10, 3, year) {
        out.push((x, "Giỗ Tổ Hùng Vương (10/3 âm lịch)".to_owned()));
    }
    if let Some(x) = d(time::Month::April, 30) {
        out.push((x, "Ngày Chiến thắng (30/4)".to_owned()));
    }
    if let Some(x) = d(time::Month::May, 1) {
        out.push((x, "Ngày Quốc tế lao động (1/5)".to_owned()));
    }
    if let Some(x) = d(time::Month::September, 2) {
        out.push((x, "Quốc khánh (2/9)".to_owned()));
        let extra = match x.weekday() {
            Weekday::Tuesday | Weekday::Friday | Weekday::Saturday => x - Duration::days(1),
            _ => x + Duration::days(1),
        };
        out.push((extra, "Quốc khánh (ngày liền kề)".to_owned()));
    }
    out.sort();
    out
}

impl WorkCalendar {
    /// Vietnam's calendar for the given years: Monday–Friday, default office hours, statutory holidays, a holiday on a
    /// weekly rest day moved to the next working day, then the official overrides.
    pub fn vietnam(years: std::ops::RangeInclusive<i32>, overrides: &[DayOverride]) -> Self {
        Self::new(
            OfficeHours::default(),
            [Weekday::Saturday, Weekday::Sunday],
            years,
            overrides,
        )
    }

    /// A calendar with chosen office hours and weekly rest days.
    pub fn new(
        hours: OfficeHours,
        rest_days: [Weekday; 2],
        years: std::ops::RangeInclusive<i32>,
        overrides: &[DayOverride],
    ) -> Self {
        let mut weekend = [false; 7];
        for w in rest_days {
            weekend[usize::from(w.number_days_from_monday())] = true;
        }
        let mut cal = WorkCalendar {
            hours,
            weekend,
            days_off: BTreeMap::new(),
            working: BTreeSet::new(),
        };
        for year in years {
            let stat = statutory_holidays(year);
            for (date, name) in &stat {
                cal.days_off.insert(
                    *date,
                    Holiday {
                        date: *date,
                        name: name.clone(),
                        source: "statutory",
                    },
                );
            }
            for (date, name) in &stat {
                if cal.weekend[usize::from(date.weekday().number_days_from_monday())] {
                    let mut c = *date + Duration::days(1);
                    while cal.is_rest_day(c) || cal.days_off.contains_key(&c) {
                        c += Duration::days(1);
                    }
                    cal.days_off.insert(
                        c,
                        Holiday {
                            date: c,
                            name: format!("Nghỉ bù: {name}"),
                            source: "compensation",
                        },
                    );
                }
            }
        }
        for o in overrides {
            match o.kind {
                OverrideKind::DayOff => {
                    cal.working.remove(&o.date);
                    cal.days_off.insert(
                        o.date,
                        Holiday {
                            date: o.date,
                            name: o.note.clone(),
                            source: "override",
                        },
                    );
                }
                OverrideKind::WorkingDay => {
                    cal.days_off.remove(&o.date);
                    cal.working.insert(o.date);
                }
            }
        }
        cal
    }

    /// The office hours.
    pub fn hours(&self) -> &OfficeHours {
        &self.hours
    }

    /// Days off of a year (holidays, compensation days and overrides; not ordinary weekends).
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        self.days_off
            .values()
            .filter(|h| h.date.year() == year)
            .cloned()
            .collect()
    }

    fn is_rest_day(&self, d: Date) -> bool {
        self.weekend[usize::from(d.weekday().number_days_from_monday())]
    }

    /// Whether the office works on that date.
    pub fn is_working_day(&self, d: Date) -> bool {
        self.working.contains(&d) || (!self.is_rest_day(d) && !self.days_off.contains_key(&d))
    }

    fn periods_on(&self, d: Date) -> &[(Time, Time)] {
        if self.is_working_day(d) {
            &self.hours.0
        } else {
            &[]
        }
    }

    /// Whether a moment lies inside office hours of a working day (period ends included).
    pub fn is_working_moment(&self, t: OffsetDateTime) -> bool {
        let l = t.to_offset(VN);
        self.periods_on(l.date())
            .iter()
            .any(|(s, e)| l.time() >= *s && l.time() <= *e)
    }

    /// The first moment at or after `t` at which the office works (a period end counts as the next start).
    pub fn next_working_moment(&self, t: OffsetDateTime) -> OffsetDateTime {
        let l = t.to_offset(VN);
        let mut date = l.date();
        let mut at = l.time();
        for _ in 0..3660 {
            for (s, e) in self.periods_on(date) {
                if at < *e {
                    let m = if at < *s { *s } else { at };
                    return PrimitiveDateTime::new(date, m).assume_offset(VN);
                }
            }
            match date.next_day() {
                Some(n) => date = n,
                None => break,
            }
            at = Time::MIDNIGHT;
        }
        l
    }

    /// Adds working minutes to a start: the result is always a working moment, never a weekend or holiday.
    pub fn add_working_minutes(&self, start: OffsetDateTime, minutes: i64) -> OffsetDateTime {
        let start = self.next_working_moment(start);
        let mut left = minutes.max(0);
        let mut date = start.date();
        let mut at = start.time();
        for _ in 0..36600 {
            for (s, e) in self.periods_on(date) {
                if at >= *e {
                    continue;
                }
                let from = if at < *s { *s } else { at };
                let avail = (*e - from).whole_minutes();
                if left <= avail {
                    return PrimitiveDateTime::new(date, from + Duration::minutes(left))
                        .assume_offset(VN);
                }
                left -= avail;
            }
            match date.next_day() {
                Some(n) => date = n,
                None => break,
            }
            at = Time::MIDNIGHT;
        }
        start
    }

    /// Working minutes from `a` to `b`; negative when `b` is before `a`.
    pub fn working_minutes_between(&self, a: OffsetDateTime, b: OffsetDateTime) -> i64 {
        if b < a {
            return -self.working_minutes_between(b, a);
        }
        let (a, b) = (a.to_offset(VN), b.to_offset(VN));
        let mut total = 0;
        let mut date = a.date();
        while date <= b.date() {
            for (s, e) in self.periods_on(date) {
                let lo = if date == a.date() && a.time() > *s {
                    a.time()
                } else {
                    *s
                };
                let hi = if date == b.date() && b.time() < *e {
                    b.time()
                } else {
                    *e
                };
                if hi > lo {
                    total += (hi - lo).whole_minutes();
                }
            }
            match date.next_day() {
                Some(n) => date = n,
                None => break,
            }
        }
        total
    }

    /// The end of office hours on the working day of `t` (after moving `t` to a working moment).
    fn end_of_day(&self, t: OffsetDateTime) -> OffsetDateTime {
        let w = self.next_working_moment(t);
        let end = self.hours.0.last().map_or(w.time(), |(_, e)| *e);
        PrimitiveDateTime::new(w.date(), end).assume_offset(VN)
    }

    fn first_moment_of_next_working_day(&self, t: OffsetDateTime) -> OffsetDateTime {
        let mut d = t.date();
        loop {
            match d.next_day() {
                Some(n) => d = n,
                None => return t,
            }
            if self.is_working_day(d) {
                let s = self.hours.0.first().map_or(Time::MIDNIGHT, |(s, _)| *s);
                return PrimitiveDateTime::new(d, s).assume_offset(VN);
            }
        }
    }

    fn roll_to_working_day(&self, t: OffsetDateTime) -> OffsetDateTime {
        let mut t = t.to_offset(VN);
        let mut n = 0;
        while !self.is_working_day(t.date()) && n < 3660 {
            t += Duration::days(1);
            n += 1;
        }
        if self.is_working_moment(t) {
            t
        } else {
            self.next_working_moment(t)
        }
    }

    /// The due moment of a time limit counted from a valid intake at `start`.
    ///
    /// The clock starts at the next working moment; with a cut-off (15:00 rule), an intake after it counts from the
    /// next working day. Each pause (supplement, financial obligation) pushes the due date by the working time it
    /// covered (calendar time for calendar-day limits).
    pub fn due(
        &self,
        start: OffsetDateTime,
        limit: TimeLimit,
        rules: &DueRules<'_>,
    ) -> OffsetDateTime {
        let mut s = self.next_working_moment(start);
        if let Some(cut) = rules.cutoff {
            if s.time() > cut {
                s = self.first_moment_of_next_working_day(s);
            }
        }
        match limit.unit {
            TimeUnit::WorkingDays | TimeUnit::Hours => {
                let paused: i64 = rules
                    .pauses
                    .iter()
                    .map(|p| self.working_minutes_between(p.from.max(s), p.to).max(0))
                    .sum();
                self.add_working_minutes(s, limit.working_minutes() + paused)
            }
            TimeUnit::SameDay => {
                let paused: i64 = rules
                    .pauses
                    .iter()
                    .map(|p| self.working_minutes_between(p.from.max(s), p.to).max(0))
                    .sum();
                let end = self.end_of_day(s);
                if paused > 0 {
                    self.add_working_minutes(end, paused)
                } else {
                    end
                }
            }
            TimeUnit::Days | TimeUnit::Months => {
                let paused: Duration = rules
                    .pauses
                    .iter()
                    .map(|p| (p.to - p.from.max(s)).max(Duration::ZERO))
                    .sum();
                let base = if limit.unit == TimeUnit::Days {
                    s + Duration::minutes((limit.amount * 1440.0).round() as i64)
                } else {
                    add_months(s, limit.amount.round() as i64)
                };
                self.roll_to_working_day(base + paused)
            }
        }
    }

    /// Deadlines of consecutive steps with fractional working-day budgets (0.25 day = 2 hours).
    pub fn step_deadlines(
        &self,
        start: OffsetDateTime,
        budgets_days: &[f64],
    ) -> Vec<OffsetDateTime> {
        let mut total = 0.0;
        budgets_days
            .iter()
            .map(|b| {
                total += b;
                self.add_working_minutes(start, (total * DAY_MINUTES as f64).round() as i64)
            })
            .collect()
    }
}

fn add_months(t: OffsetDateTime, months: i64) -> OffsetDateTime {
    let total = i64::from(t.year()) * 12 + i64::from(u8::from(t.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(t.year());
    let month = u8::try_from(total.rem_euclid(12) + 1)
        .ok()
        .and_then(|m| time::Month::try_from(m).ok());
    let Some(month) = month else { return t };
    let last = month.length(year);
    Date::from_calendar_date(year, month, t.day().min(last))
        .map(|d| PrimitiveDateTime::new(d, t.time()).assume_offset(t.offset()))
        .unwrap_or(t)
}

#[cfg(test)]
mod tests;
