//! The hall's TV display: the current call of each counter and the next numbers.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::queue as qstore;
use motcua_domain::calendar::VN;
use motcua_domain::queue::{pick_next, State, Waiting};
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

/// The waiting tickets in the order they will be called: the priority rule of the center's services (the strictest)
/// applied from the calls made so far today, then the order of joining.
pub fn in_calling_order<'a>(
    mut waiting: Vec<&'a qstore::TicketRow>,
    services: &[qstore::ServiceRow],
    today: &[qstore::TicketRow],
) -> Vec<&'a qstore::TicketRow> {
    let every = services
        .iter()
        .filter_map(|s| u32::try_from(s.priority_every).ok().filter(|e| *e > 0))
        .min()
        .unwrap_or(0);
    let mut called: Vec<&qstore::TicketRow> =
        today.iter().filter(|t| t.called_at.is_some()).collect();
    called.sort_by_key(|t| std::cmp::Reverse(t.called_at));
    let mut since = called
        .iter()
        .take_while(|t| t.priority().ok().flatten().is_none())
        .count() as u32;
    waiting.sort_by_key(|t| (t.since, t.number));
    let mut out = Vec::with_capacity(waiting.len());
    while !waiting.is_empty() {
        let order: Vec<Waiting> = waiting.iter().map(|t| super::as_waiting(t)).collect();
        let Some(i) = pick_next(&order, every, since) else {
            break;
        };
        since = if order[i].priority { 0 } else { since + 1 };
        out.push(waiting.remove(i));
    }
    out
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
    let waiting: Vec<&qstore::TicketRow> = tickets
        .iter()
        .filter(|t| t.state == State::Waiting && t.since <= now)
        .collect();
    let services = qstore::services_of(&st.db, center.id).await?;
    let waiting = in_calling_order(waiting, &services, &tickets);
    let l = now.to_offset(VN);
    Ok(Board {
        center: center.name.clone(),
        calls,
        next: waiting.iter().take(10).map(|t| t.label()).collect(),
        waiting: waiting.len(),
        at: format!("{:02}:{:02}", l.hour(), l.minute()),
    })
}
