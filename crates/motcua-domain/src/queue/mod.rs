//! The queue of a service center: tickets, priority classes, the order in which counters call, the ticket number,
//! and the models that size the counters ([`erlang`], [`sim`]).

pub mod erlang;
pub mod sim;

/// Who may be called before their turn (Decision 468/QĐ-TTg and the centers' rules: the elderly, people with
/// disabilities, pregnant women, people carrying children under 6, people with merit to the revolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Priority {
    Elderly,
    Disability,
    Pregnant,
    YoungChild,
    Merit,
}

impl Priority {
    /// All classes, in the order a form lists them.
    pub const ALL: [Priority; 5] = [
        Priority::Elderly,
        Priority::Disability,
        Priority::Pregnant,
        Priority::YoungChild,
        Priority::Merit,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Priority::Elderly => "elderly",
            Priority::Disability => "disability",
            Priority::Pregnant => "pregnant",
            Priority::YoungChild => "child_under_6",
            Priority::Merit => "merit",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == s)
    }

    /// Vietnamese and English names.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Priority::Elderly => ("Người cao tuổi", "Elderly person"),
            Priority::Disability => ("Người khuyết tật", "Person with a disability"),
            Priority::Pregnant => ("Phụ nữ mang thai", "Pregnant woman"),
            Priority::YoungChild => ("Người đưa theo trẻ dưới 6 tuổi", "With a child under 6"),
            Priority::Merit => ("Người có công với cách mạng", "Person with merit"),
        }
    }
}

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Kiosk,
    /// The QR poster: self-service on the citizen's phone.
    Phone,
    Appointment,
    /// Issued by an officer (reception desk).
    Counter,
}

impl Source {
    /// All sources.
    pub const ALL: [Source; 4] = [
        Source::Kiosk,
        Source::Phone,
        Source::Appointment,
        Source::Counter,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Source::Kiosk => "kiosk",
            Source::Phone => "phone",
            Source::Appointment => "appointment",
            Source::Counter => "counter",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|p| p.code() == s)
    }

    /// Vietnamese and English names.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Source::Kiosk => ("Ki-ốt", "Kiosk"),
            Source::Phone => ("Điện thoại (mã QR)", "Phone (QR poster)"),
            Source::Appointment => ("Đặt lịch hẹn", "Appointment"),
            Source::Counter => ("Bàn hướng dẫn", "Reception desk"),
        }
    }
}

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Waiting,
    Called,
    Serving,
    Done,
    NoShow,
}

impl State {
    /// All states.
    pub const ALL: [State; 5] = [
        State::Waiting,
        State::Called,
        State::Serving,
        State::Done,
        State::NoShow,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            State::Waiting => "waiting",
            State::Called => "called",
            State::Serving => "serving",
            State::Done => "done",
            State::NoShow => "no_show",
        }
    }

    /// From the stored code.
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|p| p.code() == s)
    }

    /// Vietnamese and English names.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            State::Waiting => ("Đang chờ", "Waiting"),
            State::Called => ("Đã gọi", "Called"),
            State::Serving => ("Đang phục vụ", "Being served"),
            State::Done => ("Đã xong", "Done"),
            State::NoShow => ("Vắng mặt", "Did not come"),
        }
    }

    /// Whether the ticket is still in the hall (waiting or at a counter).
    pub fn open(self) -> bool {
        matches!(self, State::Waiting | State::Called | State::Serving)
    }
}

macro_rules! stored {
    ($t:ty, $what:literal) => {
        impl TryFrom<String> for $t {
            type Error = crate::error::UnknownStored;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$t>::parse(&s).ok_or(crate::error::UnknownStored {
                    what: $what,
                    value: s,
                })
            }
        }
    };
}
stored!(Priority, "priority class");
stored!(Source, "ticket source");
stored!(State, "ticket state");

/// What the counter does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Recall,
    NoShow,
    Start,
    Finish,
    Transfer,
}

impl Step {
    /// From the API's and the forms' action names.
    pub fn parse(s: &str) -> Option<Step> {
        Some(match s {
            "recall" => Step::Recall,
            "no_show" => Step::NoShow,
            "start" => Step::Start,
            "finish" => Step::Finish,
            "transfer" => Step::Transfer,
            _ => return None,
        })
    }
}

/// Whether `step` may be taken from `state`.
pub fn allowed(state: State, step: Step) -> bool {
    match step {
        Step::Recall | Step::NoShow | Step::Start => state == State::Called,
        Step::Finish => matches!(state, State::Called | State::Serving),
        Step::Transfer => matches!(state, State::Called | State::Serving),
    }
}

/// A ticket waiting to be called, as the order sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waiting {
    pub priority: bool,
    /// When it joined the queue: taken for a walk-in, the slot's start for an appointment (so an appointment goes
    /// ahead of everyone who came after its time and after everyone who came before it). Any ordered clock.
    pub since: f64,
}

/// The index of the ticket to call next. `every`: one priority call in every N (0 no priority, 1 priority always
/// first); `since_priority`: calls made since the last priority call.
pub fn pick_next(waiting: &[Waiting], every: u32, since_priority: u32) -> Option<usize> {
    let oldest = |want: Option<bool>| {
        waiting
            .iter()
            .enumerate()
            .filter(|(_, w)| want.is_none_or(|p| w.priority == p))
            .min_by(|a, b| a.1.since.total_cmp(&b.1.since))
            .map(|(i, _)| i)
    };
    if every == 0 {
        return oldest(None);
    }
    let priority = oldest(Some(true));
    if priority.is_some() && since_priority + 1 >= every {
        return priority;
    }
    oldest(Some(false)).or(priority)
}

/// The number shown and printed: the service's letter and the center's number of the day ("A007").
pub fn ticket_label(letter: &str, number: i64) -> String {
    format!("{letter}{number:03}")
}

/// A service letter: one or two capital Latin letters.
pub fn valid_letter(s: &str) -> bool {
    (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The estimated wait of someone `position` places from the front (1 = next) when every one of `open` counters is
/// busy and takes `handling_minutes` on average: a counter frees every `handling / open` minutes.
pub fn estimated_wait(position: usize, open: usize, handling_minutes: f64) -> f64 {
    position as f64 * handling_minutes / open.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(priority: bool, since: f64) -> Waiting {
        Waiting { priority, since }
    }

    #[test]
    fn priority_rule() {
        let q = [w(false, 1.0), w(true, 3.0), w(false, 2.0)];
        assert_eq!(pick_next(&q, 0, 0), Some(0));
        assert_eq!(pick_next(&q, 1, 0), Some(1));
        // One in three: two regular calls, then the priority.
        assert_eq!(pick_next(&q, 3, 0), Some(0));
        assert_eq!(pick_next(&q, 3, 1), Some(0));
        assert_eq!(pick_next(&q, 3, 2), Some(1));
        // Nobody regular: the priority is called anyway.
        assert_eq!(pick_next(&[w(true, 5.0)], 3, 0), Some(0));
        assert_eq!(pick_next(&[], 3, 0), None);
    }

    #[test]
    fn an_appointment_joins_at_its_slot() {
        // Walk-ins at 8:50 and 9:10; an appointment for 9:00 taken the day before.
        let q = [w(false, 8.50), w(false, 9.10), w(false, 9.00)];
        assert_eq!(pick_next(&q, 0, 0), Some(0));
        assert_eq!(pick_next(&q[1..], 0, 0), Some(1));
    }

    #[test]
    fn codes_round_trip() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.code()), Some(p));
        }
        for s in Source::ALL {
            assert_eq!(Source::parse(s.code()), Some(s));
        }
        for s in State::ALL {
            assert_eq!(State::parse(s.code()), Some(s));
        }
        assert!(State::parse("late").is_none());
        assert_eq!(ticket_label("A", 7), "A007");
        assert_eq!(ticket_label("B", 1234), "B1234");
        assert!(
            valid_letter("A") && valid_letter("HT") && !valid_letter("a") && !valid_letter("ABC")
        );
    }

    #[test]
    fn steps() {
        assert!(allowed(State::Called, Step::Recall));
        assert!(!allowed(State::Serving, Step::NoShow));
        assert!(allowed(State::Serving, Step::Finish));
        assert!(!allowed(State::Done, Step::Transfer));
    }

    #[test]
    fn waits_estimated() {
        assert_eq!(estimated_wait(0, 3, 12.0), 0.0);
        assert_eq!(estimated_wait(1, 3, 12.0), 4.0);
        assert_eq!(estimated_wait(6, 3, 12.0), 24.0);
        assert_eq!(estimated_wait(2, 0, 12.0), 24.0);
    }
}
