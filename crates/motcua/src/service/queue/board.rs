//! The hall's TV display: the current call of each counter and the next numbers.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::queue as qstore;
use motcua_domain::calendar::VN;
use motcua_domain::queue::State;
use serde::Serialize;

/// A counter's current call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardCall {
    pub counter: i32,
    pub label: String,
    pub service: String,
    pub recalls: i32,
    /// Changes with each call and recall (the display chimes when it sees a new one).
    pub key: String,
}

/// What the display shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Board {
    pub center: String,
    /// Newest call first.
    pub calls: Vec<BoardCall>,
    /// The next numbers, in calling order as far as the order of joining tells.
    pub next: Vec<String>,
    pub waiting: usize,
    /// "HH:MM" of the last change.
    pub at: String,
}

/// The board of a center now.
pub async fn board(st: &AppState, center: &AgencyRow) -> AppResult<Board> {
    let now = st.clock.now();
    let day = super::day_of(now);
    let tickets = qstore::tickets_of_day(&st.db, center.id, &day).await?;
    let mut current: Vec<&qstore::TicketRow> = tickets
        .iter()
        .filter(|t| matches!(t.state, State::Called | State::Serving) && t.counter_number.is_some())
        .collect();
    current.sort_by_key(|t| std::cmp::Reverse(t.called_at));
    let calls = current
        .iter()
        .map(|t| BoardCall {
            counter: t.counter_number.unwrap_or_default(),
            label: t.label(),
            service: t.service_name.clone(),
            recalls: t.recalls,
            key: format!(
                "{}-{}-{}",
                t.id,
                t.recalls,
                t.counter_number.unwrap_or_default()
            ),
        })
        .collect();
    let mut waiting: Vec<&qstore::TicketRow> = tickets
        .iter()
        .filter(|t| t.state == State::Waiting && t.since <= now)
        .collect();
    waiting.sort_by_key(|t| (t.since, t.number));
    let l = now.to_offset(VN);
    Ok(Board {
        center: center.name.clone(),
        calls,
        next: waiting.iter().take(10).map(|t| t.label()).collect(),
        waiting: waiting.len(),
        at: format!("{:02}:{:02}", l.hour(), l.minute()),
    })
}
