//! The leaders' figures: what one dossier contributes to the statistics (DOMAIN.md §8), so that the rollups kept in
//! each state change's transaction and a rebuild from the raw dossiers are the same sum of the same function.
//!
//! Rules:
//! - **Received** counts on the day of valid intake (`received_at`), never for an online submission not yet taken
//!   in nor for one refused at intake.
//! - **Completed** counts on the day processing finished, and is early, on time or late by comparing Vietnamese
//!   *dates* (UTC+7) of completion and due date: less is early, equal on time, greater late. A dossier without a
//!   legal time limit is on time.
//! - **Withdrawn, stopped, refused** count on the day the dossier closed that way.
//! - **Online payment** and **digitised / reused papers** count on the dossier's day of receipt.
//! - **Open** dossiers are kept by due date and status, so "in progress within deadline / overdue / waiting for a
//!   supplement" at any reference day is a sum over that set.
//! - **An application is counted once**: the linked children of an interlinked bundle are part of the one
//!   application that the bundle records, so they add nothing (opencps-v2 #1434); a dossier transferred between
//!   agencies is one row, counted under its competent agency.

pub mod index766;
pub mod staff;

use crate::calendar::VN;
use crate::catalog::Channel;
use crate::status::Status;
use time::{Date, OffsetDateTime};

/// One counter of the daily rollup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counter {
    Received = 1,
    Online = 2,
    InPerson = 3,
    Postal = 4,
    CompletedEarly = 5,
    CompletedOnTime = 6,
    CompletedLate = 7,
    Withdrawn = 8,
    Stopped = 9,
    Refused = 10,
    PaidOnline = 11,
    Digitized = 12,
    Reused = 13,
    /// Minutes from valid intake to completion, summed (the average processing time of indicator 2.2).
    ProcessingMinutes = 14,
    /// Completed with an electronic result (indicator 4.1).
    EResult = 15,
    /// Received with a fee other than zero to pay (the denominator of indicator 3.6).
    Charged = 16,
}

impl Counter {
    pub const ALL: [Counter; 16] = [
        Counter::Received,
        Counter::Online,
        Counter::InPerson,
        Counter::Postal,
        Counter::CompletedEarly,
        Counter::CompletedOnTime,
        Counter::CompletedLate,
        Counter::Withdrawn,
        Counter::Stopped,
        Counter::Refused,
        Counter::PaidOnline,
        Counter::Digitized,
        Counter::Reused,
        Counter::ProcessingMinutes,
        Counter::EResult,
        Counter::Charged,
    ];

    /// The stored code.
    pub const fn code(self) -> i16 {
        self as i16
    }

    /// From the stored code; an unknown code is an error.
    pub fn from_code(c: i16) -> Result<Counter, crate::error::UnknownStored> {
        Counter::ALL
            .into_iter()
            .find(|k| k.code() == c)
            .ok_or(crate::error::UnknownStored {
                what: "report counter",
                value: c.to_string(),
            })
    }
}

/// What the statistics need to know of one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub status: Status,
    pub channel: Channel,
    pub received_at: Option<OffsetDateTime>,
    pub due_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
    /// A linked child of an interlinked bundle.
    pub bundle_child: bool,
    pub paid_online: bool,
    pub digitized: bool,
    pub reused: bool,
    pub e_result: bool,
    /// Owes a fee other than zero.
    pub charged: bool,
}

/// One increment of a daily counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cell {
    pub day: Date,
    pub counter: Counter,
    pub n: i64,
}

/// One open dossier: its due date (Vietnamese date) and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Open {
    pub due_day: Option<Date>,
    pub status: Status,
}

/// The Vietnamese date of an instant.
pub fn vn_day(t: OffsetDateTime) -> Date {
    t.to_offset(VN).date()
}

/// How a completion compares with its due date, at date granularity.
pub fn punctuality(completed: OffsetDateTime, due: Option<OffsetDateTime>) -> Counter {
    match due.map(vn_day) {
        None => Counter::CompletedOnTime,
        Some(d) => match vn_day(completed).cmp(&d) {
            std::cmp::Ordering::Less => Counter::CompletedEarly,
            std::cmp::Ordering::Equal => Counter::CompletedOnTime,
            std::cmp::Ordering::Greater => Counter::CompletedLate,
        },
    }
}

/// Whether a status is open (received and not finished).
pub fn is_open(s: Status) -> bool {
    matches!(
        s,
        Status::Accepted
            | Status::Processing
            | Status::AwaitingSupplement
            | Status::AwaitingPayment
    )
}

/// What one dossier contributes: its daily counters and, while open, its place in the open set.
pub fn contribution(f: &Facts) -> (Vec<Cell>, Option<Open>) {
    let mut cells = Vec::new();
    if f.bundle_child {
        return (cells, None);
    }
    let mut add = |day: Date, counter: Counter, n: i64| cells.push(Cell { day, counter, n });
    let received = f.received_at.filter(|_| f.status != Status::Refused);
    if let Some(r) = received {
        let day = vn_day(r);
        add(day, Counter::Received, 1);
        let ch = match f.channel {
            Channel::Online => Counter::Online,
            Channel::InPerson => Counter::InPerson,
            Channel::Postal => Counter::Postal,
        };
        add(day, ch, 1);
        if f.paid_online {
            add(day, Counter::PaidOnline, 1);
        }
        if f.digitized {
            add(day, Counter::Digitized, 1);
        }
        if f.reused {
            add(day, Counter::Reused, 1);
        }
        if f.charged {
            add(day, Counter::Charged, 1);
        }
    }
    match f.status {
        Status::Completed | Status::Returned => {
            if let Some(c) = f.completed_at {
                let day = vn_day(c);
                add(day, punctuality(c, f.due_at), 1);
                if let Some(r) = received {
                    add(
                        day,
                        Counter::ProcessingMinutes,
                        (c - r).whole_minutes().max(0),
                    );
                }
                if f.e_result {
                    add(day, Counter::EResult, 1);
                }
            }
        }
        Status::Withdrawn | Status::Stopped | Status::Refused => {
            let counter = match f.status {
                Status::Withdrawn => Counter::Withdrawn,
                Status::Stopped => Counter::Stopped,
                _ => Counter::Refused,
            };
            if let Some(c) = f.closed_at.or(f.received_at) {
                add(vn_day(c), counter, 1);
            }
        }
        _ => {}
    }
    let open = (received.is_some() && is_open(f.status)).then(|| Open {
        due_day: f.due_at.map(vn_day),
        status: f.status,
    });
    (cells, open)
}

/// The change that moves a dossier's contribution from `before` to `after`: the cells to add (negative to take
/// away), merged by day and counter, without zeros; and the open entries to remove and to add.
pub fn delta(before: Option<&Facts>, after: Option<&Facts>) -> Delta {
    let (b_cells, b_open) = before.map(contribution).unwrap_or_default();
    let (a_cells, a_open) = after.map(contribution).unwrap_or_default();
    let mut m = std::collections::BTreeMap::<(Date, Counter), i64>::new();
    for c in b_cells {
        *m.entry((c.day, c.counter)).or_default() -= c.n;
    }
    for c in a_cells {
        *m.entry((c.day, c.counter)).or_default() += c.n;
    }
    let cells = m
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((day, counter), n)| Cell { day, counter, n })
        .collect();
    let (leave, enter) = if b_open == a_open {
        (None, None)
    } else {
        (b_open, a_open)
    };
    Delta {
        cells,
        leave,
        enter,
    }
}

/// See [`delta`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delta {
    pub cells: Vec<Cell>,
    pub leave: Option<Open>,
    pub enter: Option<Open>,
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.leave.is_none() && self.enter.is_none()
    }
}

/// The headline figures of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub received: i64,
    pub online: i64,
    pub in_person: i64,
    pub postal: i64,
    pub completed: i64,
    pub completed_early: i64,
    pub completed_on_time: i64,
    pub completed_late: i64,
    pub in_progress: i64,
    pub in_progress_on_time: i64,
    pub in_progress_overdue: i64,
    pub supplement_pending: i64,
    pub withdrawn: i64,
    pub stopped: i64,
    pub refused: i64,
    pub paid_online: i64,
    pub digitized: i64,
    pub reused: i64,
    pub e_result: i64,
    pub processing_minutes: i64,
    pub charged: i64,
}

impl Summary {
    /// Adds a counter's sum.
    pub fn add(&mut self, c: Counter, n: i64) {
        let slot = match c {
            Counter::Received => &mut self.received,
            Counter::Online => &mut self.online,
            Counter::InPerson => &mut self.in_person,
            Counter::Postal => &mut self.postal,
            Counter::CompletedEarly => &mut self.completed_early,
            Counter::CompletedOnTime => &mut self.completed_on_time,
            Counter::CompletedLate => &mut self.completed_late,
            Counter::Withdrawn => &mut self.withdrawn,
            Counter::Stopped => &mut self.stopped,
            Counter::Refused => &mut self.refused,
            Counter::PaidOnline => &mut self.paid_online,
            Counter::Digitized => &mut self.digitized,
            Counter::Reused => &mut self.reused,
            Counter::ProcessingMinutes => &mut self.processing_minutes,
            Counter::EResult => &mut self.e_result,
            Counter::Charged => &mut self.charged,
        };
        *slot += n;
        self.completed = self.completed_early + self.completed_on_time + self.completed_late;
    }

    /// Adds open dossiers: within deadline when due on or after the reference day ("trong hạn" if the due date is
    /// not before the period's end), overdue otherwise; a supplement wait is counted apart as well.
    pub fn add_open(&mut self, o: Open, reference: Date, n: i64) {
        self.in_progress += n;
        if o.due_day.is_none_or(|d| d >= reference) {
            self.in_progress_on_time += n;
        } else {
            self.in_progress_overdue += n;
        }
        if o.status == Status::AwaitingSupplement {
            self.supplement_pending += n;
        }
    }

    /// Adds sums already split: within deadline, overdue, waiting for a supplement (among the first two).
    pub fn add_open_counts(&mut self, within: i64, overdue: i64, supplement: i64) {
        self.in_progress += within + overdue;
        self.in_progress_on_time += within;
        self.in_progress_overdue += overdue;
        self.supplement_pending += supplement;
    }

    /// The share completed on or before the due date, of those completed (percent, one decimal); `None` without any.
    pub fn on_time_pct(&self) -> Option<f64> {
        pct(
            self.completed_early + self.completed_on_time,
            self.completed,
        )
    }
}

/// `num / den` as a percentage rounded to one decimal; `None` when the denominator is zero.
pub fn pct(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| ((num as f64) * 1000.0 / (den as f64)).round() / 10.0)
}

#[cfg(test)]
mod tests;
