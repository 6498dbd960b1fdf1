//! The counter officer's side of the queue: call the next ticket, recall, no-show, start, finish, transfer to another
//! service, and the dossier received from a ticket.

use super::{announce, audit, calls, day_of, staff_center};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::audit as astore;
use crate::store::queue::{self as qstore, CounterRow, ServiceRow, TicketChange, TicketRow};
use crate::store::Tx;
use motcua_domain::ids::{AgencyId, CounterId, DossierId, QueueServiceId, TicketId};
use motcua_domain::queue::{allowed, pick_next, State, Step, Waiting};
use time::OffsetDateTime;

async fn counter_of(st: &AppState, actor: &Actor, id: CounterId) -> AppResult<CounterRow> {
    let center = staff_center(actor)?;
    qstore::counters_of(&st.db, center.id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            AppError::field(
                "counter",
                "Quầy không thuộc Trung tâm của bạn",
                "the counter is not at your center",
            )
        })
}

/// The open ticket at a counter (called or being served).
pub async fn at_counter(st: &AppState, counter: &CounterRow) -> AppResult<Option<TicketRow>> {
    let day = day_of(st.clock.now());
    Ok(qstore::tickets_of_day(&st.db, counter.agency_id, &day)
        .await?
        .into_iter()
        .find(|t| t.counter_id == Some(counter.id) && t.state.open() && t.state != State::Waiting))
}

fn finish_change(t: &TicketRow, now: OffsetDateTime) -> TicketChange {
    TicketChange {
        state: Some(State::Done),
        started_at: Some(t.started_at.or(t.called_at).unwrap_or(now)),
        finished_at: Some(now),
        erase_person: true,
        ..TicketChange::default()
    }
}

/// Calls the next ticket to a counter (finishing the one it had), by the priority rule of its services and the
/// order of joining; `None` when nobody waits. Two counters calling at once never get the same ticket.
pub async fn call_next(
    st: &AppState,
    actor: &Actor,
    counter: CounterId,
    request_id: &str,
) -> AppResult<Option<TicketRow>> {
    let c = counter_of(st, actor, counter).await?;
    if !c.active {
        return Err(AppError::field(
            "counter",
            "Quầy đang đóng",
            "the counter is closed",
        ));
    }
    let services = qstore::services_of(&st.db, c.agency_id).await?;
    let mine: Vec<&ServiceRow> = services.iter().filter(|s| calls(&c, s.id)).collect();
    let every = mine
        .iter()
        .map(|s| u32::try_from(s.priority_every).unwrap_or(0))
        .filter(|e| *e > 0)
        .min()
        .unwrap_or(0);
    let current = at_counter(st, &c).await?;
    let now = st.clock.now();
    let day = day_of(now);
    let mut tx = st.db.begin().await?;
    if let Some(t) = &current {
        qstore::change(&mut tx, t.id, t.state, &finish_change(t, now)).await?;
    }
    let since_priority = qstore::calls_since_priority(&mut tx, c.agency_id, &day).await?;
    let mut waiting: Vec<TicketRow> = qstore::waiting_tx(&mut tx, c.agency_id, &day, now)
        .await?
        .into_iter()
        .filter(|t| calls(&c, t.service_id))
        .collect();
    let mut called = None;
    while !waiting.is_empty() {
        let order: Vec<Waiting> = waiting.iter().map(super::as_waiting).collect();
        let Some(i) = pick_next(&order, every, since_priority) else {
            break;
        };
        let t = waiting.remove(i);
        t.priority().map_err(anyhow::Error::from)?;
        if qstore::set_called(&mut tx, t.id, c.id, now).await? {
            called = Some(t.id);
            break;
        }
    }
    if let Some(id) = called {
        let was_priority = qstore::ticket_tx(&mut tx, id)
            .await?
            .is_some_and(|t| t.priority().ok().flatten().is_some());
        let since = if was_priority { 0 } else { since_priority + 1 };
        tell_near(&mut tx, waiting.clone(), (every, since), now).await?;
        astore::write_tx(
            &mut tx,
            &audit(
                Some(actor),
                "call_ticket",
                format!("{id}@{}", c.number),
                request_id,
                now,
            ),
        )
        .await?;
    }
    qstore::notify(&mut tx, &st.queue_bus.payload(c.agency_id)).await?;
    tx.commit().await?;
    announce(st, c.agency_id);
    match called {
        Some(id) => Ok(qstore::ticket(&st.db, id).await?),
        None => Ok(None),
    }
}

/// How many numbers ahead "your turn is near" is sent: when two remain before yours at this counter.
const NEAR: usize = 2;

/// Texts the people whose number comes within [`NEAR`] calls at this counter, once each (those who left a phone
/// number), in the call's transaction.
async fn tell_near(
    tx: &mut crate::store::Tx,
    mut waiting: Vec<TicketRow>,
    (every, mut since): (u32, u32),
    now: time::OffsetDateTime,
) -> AppResult<()> {
    let mut next = Vec::new();
    while next.len() < NEAR + 1 && !waiting.is_empty() {
        let order: Vec<Waiting> = waiting.iter().map(super::as_waiting).collect();
        let Some(i) = pick_next(&order, every, since) else {
            break;
        };
        let t = waiting.remove(i);
        since = if order[i].priority { 0 } else { since + 1 };
        next.push(t);
    }
    let ids: Vec<_> = next.iter().map(|t| t.id).collect();
    for (id, _, _) in qstore::near_candidates_tx(tx, &ids).await? {
        let Some(t) = next.iter().find(|t| t.id == id) else {
            continue;
        };
        let payload = serde_json::json!({ "label": t.label(), "service": t.service_name });
        crate::store::steps::enqueue_free(
            tx,
            "queue_near",
            &format!("ticket:{}", id.0),
            &payload,
            now,
        )
        .await?;
        qstore::near_sent_tx(tx, id).await?;
    }
    Ok(())
}

/// A ticket of the officer's center.
pub async fn ticket_of(st: &AppState, actor: &Actor, id: TicketId) -> AppResult<TicketRow> {
    let center = staff_center(actor)?;
    qstore::ticket(&st.db, id)
        .await?
        .filter(|t| t.agency_id == center.id)
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))
}

/// Recall, no-show, start, finish or transfer (to `to`), audited; 409 when the ticket is not in a state that allows it.
pub async fn act(
    st: &AppState,
    actor: &Actor,
    id: TicketId,
    step: Step,
    to: Option<QueueServiceId>,
    request_id: &str,
) -> AppResult<TicketRow> {
    let t = ticket_of(st, actor, id).await?;
    if !allowed(t.state, step) {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            format!("the ticket is {}", t.state.code()),
        ));
    }
    let now = st.clock.now();
    let change = match step {
        Step::Recall => TicketChange {
            recall: true,
            ..TicketChange::default()
        },
        Step::NoShow => TicketChange {
            state: Some(State::NoShow),
            finished_at: Some(now),
            erase_person: true,
            ..TicketChange::default()
        },
        Step::Start => TicketChange {
            state: Some(State::Serving),
            started_at: Some(now),
            ..TicketChange::default()
        },
        Step::Finish => finish_change(&t, now),
        Step::Transfer => {
            let to = to.ok_or_else(|| {
                AppError::field(
                    "service",
                    "Chọn dịch vụ chuyển đến",
                    "choose the service to transfer to",
                )
            })?;
            let s = super::service_of(st, t.agency_id, to).await?;
            if s.id == t.service_id {
                return Err(AppError::field(
                    "service",
                    "Vé đã ở dịch vụ này",
                    "the ticket is already in this service",
                ));
            }
            // The ticket keeps its place: it joins the other service's queue as of when it first joined.
            TicketChange {
                state: Some(State::Waiting),
                transfer_to: Some(s.id),
                ..TicketChange::default()
            }
        }
    };
    let action = match step {
        Step::Recall => "recall_ticket",
        Step::NoShow => "no_show_ticket",
        Step::Start => "start_ticket",
        Step::Finish => "finish_ticket",
        Step::Transfer => "transfer_ticket",
    };
    let mut tx = st.db.begin().await?;
    if !qstore::change(&mut tx, t.id, t.state, &change).await? {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    astore::write_tx(
        &mut tx,
        &audit(Some(actor), action, t.id.to_string(), request_id, now),
    )
    .await?;
    qstore::notify(&mut tx, &st.queue_bus.payload(t.agency_id)).await?;
    tx.commit().await?;
    announce(st, t.agency_id);
    qstore::ticket(&st.db, t.id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))
}

/// Checks, before a counter intake, that a ticket can take its dossier: at the receiving center, called or being
/// served, and without a dossier yet.
pub async fn check_for_dossier(
    st: &AppState,
    ticket: TicketId,
    receiving: AgencyId,
) -> AppResult<TicketRow> {
    let t = qstore::ticket(&st.db, ticket)
        .await?
        .filter(|t| t.agency_id == receiving)
        .ok_or_else(|| {
            AppError::field(
                "ticket",
                "Số thứ tự không thuộc Trung tâm tiếp nhận",
                "the ticket is not of the receiving center",
            )
        })?;
    if !matches!(t.state, State::Called | State::Serving) || t.dossier_id.is_some() {
        return Err(AppError::field(
            "ticket",
            "Số thứ tự này chưa được gọi hoặc đã có hồ sơ",
            "this ticket has not been called or already has a dossier",
        ));
    }
    Ok(t)
}

/// The ticket a counter intake names, checked before the intake's transaction (a citizen's online dossier has none).
pub async fn for_intake(
    st: &AppState,
    ticket: Option<TicketId>,
    (online, receiving): (bool, AgencyId),
) -> AppResult<Option<TicketRow>> {
    match ticket {
        None => Ok(None),
        Some(_) if online => Err(AppError::field(
            "ticket",
            "Chỉ cán bộ tiếp nhận gắn số thứ tự",
            "only a receiving officer attaches a ticket",
        )),
        Some(t) => Ok(Some(check_for_dossier(st, t, receiving).await?)),
    }
}

/// Links the dossier just received to its ticket, in the intake's transaction (the displays hear of it at commit);
/// the ticket is then being served.
pub async fn attach_dossier(
    st: &AppState,
    tx: &mut Tx,
    t: &TicketRow,
    dossier: DossierId,
) -> AppResult<()> {
    let now = st.clock.now();
    if !qstore::link_dossier(tx, t.id, dossier).await? {
        return Err(AppError::code(ErrorCode::Conflict));
    }
    if t.state == State::Called {
        let change = TicketChange {
            state: Some(State::Serving),
            started_at: Some(t.called_at.unwrap_or(now)),
            ..TicketChange::default()
        };
        qstore::change(tx, t.id, State::Called, &change).await?;
    }
    qstore::notify(tx, &st.queue_bus.payload(t.agency_id)).await?;
    Ok(())
}

fn times(t: &TicketRow) -> (String, i64, Option<i64>) {
    let wait = t
        .called_at
        .map_or(0, |c| (c - t.since).whole_minutes().max(0));
    let served = match (t.started_at.or(t.called_at), t.finished_at) {
        (Some(a), Some(b)) => Some((b - a).whole_minutes().max(0)),
        _ => None,
    };
    (t.label(), wait, served)
}

/// The wait and the service time of the ticket a dossier came from, in minutes (`None`: not from a ticket).
pub async fn times_of_dossier(
    st: &AppState,
    dossier: DossierId,
) -> AppResult<Option<(String, i64, Option<i64>)>> {
    Ok(qstore::ticket_of_dossier(&st.db, dossier)
        .await?
        .as_ref()
        .map(times))
}

/// The same, by the dossier's code (for a dossier the caller has already read in its scope).
pub async fn times_of_code(
    st: &AppState,
    code: &str,
) -> AppResult<Option<(String, i64, Option<i64>)>> {
    Ok(qstore::ticket_of_dossier_code(&st.db, code)
        .await?
        .as_ref()
        .map(times))
}
