//! Tickets: inserted, read (by id, token, day, dossier), called, changed, linked to their dossier.

use super::super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, CounterId, DossierId, QueueServiceId, TicketId, UserId};
use motcua_domain::queue::{Priority, Source, State};
use time::OffsetDateTime;

/// A ticket to insert.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub agency_id: AgencyId,
    pub day: String,
    pub number: i64,
    pub service_id: QueueServiceId,
    pub source: Source,
    pub priority: Option<Priority>,
    pub token: String,
    pub taken_at: OffsetDateTime,
    pub since: OffsetDateTime,
    pub appointment_at: Option<OffsetDateTime>,
    pub procedure_code: Option<String>,
    /// Sealed with the data key.
    pub person: Option<String>,
    pub assisted_by: Option<String>,
    pub booked_by: Option<UserId>,
    /// Sealed with the data key (aad `ticket-phone:{token}`).
    pub notify_phone: Option<String>,
}

/// Inserts a ticket (waiting).
pub async fn insert_ticket(tx: &mut Tx, t: &NewTicket) -> sqlx::Result<TicketId> {
    on_tx!(tx, |x| {
        sqlx::query_scalar(
        "insert into queue_tickets (agency_id, day, number, service_id, source, priority, token, state, taken_at, since, \
         appointment_at, procedure_code, person, assisted_by, booked_by, notify_phone) \
         values ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $9, $10, $11, $12, $13, $14, $15) returning id"
    )
    .bind(t.agency_id)
    .bind(&t.day)
    .bind(t.number)
    .bind(t.service_id)
    .bind(t.source.code())
    .bind(t.priority.map(Priority::code))
    .bind(&t.token)
    .bind(utc(t.taken_at))
    .bind(utc(t.since))
    .bind(t.appointment_at.map(utc))
    .bind(&t.procedure_code)
    .bind(&t.person)
    .bind(&t.assisted_by)
    .bind(t.booked_by)
    .bind(&t.notify_phone)
    .fetch_one(&mut **x)
    .await
    })
}

/// A ticket as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub id: TicketId,
    pub agency_id: AgencyId,
    pub day: String,
    pub number: i32,
    pub service_id: QueueServiceId,
    pub letter: String,
    pub service_name: String,
    #[sqlx(try_from = "String")]
    pub source: Source,
    /// The priority class code (see [`TicketRow::priority`]).
    priority: Option<String>,
    pub token: String,
    #[sqlx(try_from = "String")]
    pub state: State,
    pub taken_at: OffsetDateTime,
    pub since: OffsetDateTime,
    pub appointment_at: Option<OffsetDateTime>,
    pub called_at: Option<OffsetDateTime>,
    pub counter_id: Option<CounterId>,
    pub counter_number: Option<i32>,
    pub recalls: i32,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    pub procedure_code: Option<String>,
    pub dossier_id: Option<DossierId>,
    pub person: Option<String>,
    pub assisted_by: Option<String>,
    pub booked_by: Option<UserId>,
}

impl TicketRow {
    /// The priority class (an unknown stored code is an error, never "no priority").
    pub fn priority(&self) -> Result<Option<Priority>, motcua_domain::error::UnknownStored> {
        self.priority
            .as_deref()
            .map(|p| {
                Priority::parse(p).ok_or_else(|| motcua_domain::error::UnknownStored {
                    what: "priority class",
                    value: p.to_owned(),
                })
            })
            .transpose()
    }

    /// The label shown and printed ("A007").
    pub fn label(&self) -> String {
        motcua_domain::queue::ticket_label(&self.letter, i64::from(self.number))
    }
}

// The letter stays the one printed on the slip after a transfer (the first service's).
const TICKET: &str = "t.id, t.agency_id, t.day, t.number, t.service_id, coalesce(fs.letter, s.letter) as letter, \
    s.name as service_name, t.source, \
    t.priority, t.token, t.state, t.taken_at, t.since, t.appointment_at, t.called_at, t.counter_id, \
    c.number as counter_number, t.recalls, t.started_at, t.finished_at, t.procedure_code, t.dossier_id, t.person, \
    t.assisted_by, t.booked_by from queue_tickets t join queue_services s on s.id = t.service_id \
    left join counters c on c.id = t.counter_id left join queue_services fs on fs.id = t.transferred_from";

/// A ticket by its id.
pub async fn ticket(db: &Db, id: TicketId) -> sqlx::Result<Option<TicketRow>> {
    on_db!(db, |x| sqlx::query_as(&format!(
        "select {TICKET} where t.id = $1"
    ))
    .bind(id)
    .fetch_optional(x)
    .await)
}

/// A ticket by its id, in a transaction.
pub async fn ticket_tx(tx: &mut Tx, id: TicketId) -> sqlx::Result<Option<TicketRow>> {
    on_tx!(tx, |x| sqlx::query_as(&format!(
        "select {TICKET} where t.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **x)
    .await)
}

/// A ticket by its phone token.
pub async fn ticket_by_token(db: &Db, token: &str) -> sqlx::Result<Option<TicketRow>> {
    on_db!(db, |x| sqlx::query_as(&format!(
        "select {TICKET} where t.token = $1"
    ))
    .bind(token)
    .fetch_optional(x)
    .await)
}

/// The tickets of a center's day, in number order.
pub async fn tickets_of_day(db: &Db, agency: AgencyId, day: &str) -> sqlx::Result<Vec<TicketRow>> {
    on_db!(db, |x| sqlx::query_as(&format!(
        "select {TICKET} where t.agency_id = $1 and t.day = $2 order by t.number"
    ))
    .bind(agency)
    .bind(day)
    .fetch_all(x)
    .await)
}

/// The tickets of a center waiting now for the given services, oldest first.
pub async fn waiting_tx(
    tx: &mut Tx,
    agency: AgencyId,
    day: &str,
    now: OffsetDateTime,
) -> sqlx::Result<Vec<TicketRow>> {
    on_tx!(tx, |x| {
        sqlx::query_as(&format!(
        "select {TICKET} where t.agency_id = $1 and t.day = $2 and t.state = 'waiting' and t.since <= $3 \
         order by t.since, t.number"
    ))
    .bind(agency)
    .bind(day)
    .bind(utc(now))
    .fetch_all(&mut **x)
    .await
    })
}

/// Calls made at a center today since its last priority call (for the one-in-N rule).
pub async fn calls_since_priority(tx: &mut Tx, agency: AgencyId, day: &str) -> sqlx::Result<u32> {
    let recent: Vec<Option<String>> = on_tx!(tx, |x| {
        sqlx::query_scalar(
        "select priority from queue_tickets where agency_id = $1 and day = $2 and called_at is not null \
         order by called_at desc limit 50"
    )
    .bind(agency)
    .bind(day)
    .fetch_all(&mut **x)
    .await
    })?;
    Ok(recent.iter().take_while(|p| p.is_none()).count() as u32)
}

/// Marks a waiting ticket called at a counter; false if someone else called it first.
pub async fn set_called(
    tx: &mut Tx,
    id: TicketId,
    counter: CounterId,
    at: OffsetDateTime,
) -> sqlx::Result<bool> {
    on_tx!(tx, |x| {
        sqlx::query(
        "update queue_tickets set state = 'called', counter_id = $1, called_at = $2 where id = $3 and state = 'waiting'"
    )
    .bind(counter)
    .bind(utc(at))
    .bind(id)
    .execute(&mut **x)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// A change of a ticket after it was called.
#[derive(Debug, Clone, Default)]
pub struct TicketChange {
    pub state: Option<State>,
    pub recall: bool,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    /// Back to the queue of another service (called_at and counter cleared).
    pub transfer_to: Option<QueueServiceId>,
    pub since: Option<OffsetDateTime>,
    pub erase_person: bool,
}

/// Applies a change to a ticket in the expected state; false if it was no longer in it.
pub async fn change(
    tx: &mut Tx,
    id: TicketId,
    from: State,
    c: &TicketChange,
) -> sqlx::Result<bool> {
    on_tx!(tx, |x| {
        sqlx::query(
        "update queue_tickets set state = coalesce($1, state), recalls = recalls + $2, \
         started_at = coalesce($3, started_at), finished_at = coalesce($4, finished_at), \
         transferred_from = case when $5 is null then transferred_from else coalesce(transferred_from, service_id) end, \
         service_id = coalesce($5, service_id), \
         counter_id = case when $5 is null then counter_id else null end, \
         called_at = case when $5 is null then called_at else null end, \
         since = coalesce($6, since), person = case when $7 then null else person end \
         where id = $8 and state = $9"
    )
    .bind(c.state.map(State::code))
    .bind(i32::from(c.recall))
    .bind(c.started_at.map(utc))
    .bind(c.finished_at.map(utc))
    .bind(c.transfer_to)
    .bind(c.since.map(utc))
    .bind(c.erase_person)
    .bind(id)
    .bind(from.code())
    .execute(&mut **x)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// Links the dossier received at the counter to its ticket.
pub async fn link_dossier(tx: &mut Tx, id: TicketId, dossier: DossierId) -> sqlx::Result<bool> {
    on_tx!(tx, |x| sqlx::query(
        "update queue_tickets set dossier_id = $1 where id = $2 and dossier_id is null"
    )
    .bind(dossier)
    .bind(id)
    .execute(&mut **x)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// The ticket a dossier was received from.
pub async fn ticket_of_dossier(db: &Db, dossier: DossierId) -> sqlx::Result<Option<TicketRow>> {
    on_db!(db, |x| sqlx::query_as(&format!(
        "select {TICKET} where t.dossier_id = $1 order by t.id limit 1"
    ))
    .bind(dossier)
    .fetch_optional(x)
    .await)
}

/// The tickets of a center's day, in a transaction.
pub async fn tickets_of_day_tx(
    tx: &mut Tx,
    agency: AgencyId,
    day: &str,
) -> sqlx::Result<Vec<TicketRow>> {
    on_tx!(tx, |x| sqlx::query_as(&format!(
        "select {TICKET} where t.agency_id = $1 and t.day = $2 order by t.number"
    ))
    .bind(agency)
    .bind(day)
    .fetch_all(&mut **x)
    .await)
}

/// The ticket a dossier was received from, by the dossier's code (the caller has read the dossier in its scope).
pub async fn ticket_of_dossier_code(db: &Db, code: &str) -> sqlx::Result<Option<TicketRow>> {
    on_db!(db, |x| {
        sqlx::query_as(&format!(
        "select {TICKET} where t.dossier_id = (select id from dossiers where code = $1) order by t.id limit 1"
    ))
    .bind(code)
    .fetch_optional(x)
    .await
    })
}

/// How many tickets of a service wait before one (joined earlier, or at the same time with a lower number).
pub async fn ahead_of(db: &Db, t: &TicketRow) -> sqlx::Result<i64> {
    on_db!(db, |x| {
        sqlx::query_scalar(
        "select count(*) from queue_tickets where agency_id = $1 and day = $2 and service_id = $3 and state = 'waiting' \
         and (since < $4 or (since = $4 and number < $5))"
    )
    .bind(t.agency_id)
    .bind(&t.day)
    .bind(t.service_id)
    .bind(utc(t.since))
    .bind(t.number)
    .fetch_one(x)
    .await
    })
}

/// How many tickets of a service wait now, in a transaction.
pub async fn waiting_count_tx(
    tx: &mut Tx,
    service: QueueServiceId,
    day: &str,
    now: OffsetDateTime,
) -> sqlx::Result<i64> {
    on_tx!(tx, |x| {
        sqlx::query_scalar(
        "select count(*) from queue_tickets where service_id = $1 and day = $2 and state = 'waiting' and since <= $3"
    )
    .bind(service)
    .bind(day)
    .bind(utc(now))
    .fetch_one(&mut **x)
    .await
    })
}

/// The service times (start, end) of a service's last finished tickets today, newest first.
pub async fn recent_service_times(
    db: &Db,
    service: QueueServiceId,
    day: &str,
) -> sqlx::Result<Vec<(Option<OffsetDateTime>, Option<OffsetDateTime>)>> {
    on_db!(db, |x| sqlx::query_as(
        "select coalesce(started_at, called_at), finished_at from queue_tickets \
         where service_id = $1 and day = $2 and state = 'done' order by finished_at desc limit 30"
    )
    .bind(service)
    .bind(day)
    .fetch_all(x)
    .await)
}

/// The same, in a transaction.
pub async fn recent_service_times_tx(
    tx: &mut Tx,
    service: QueueServiceId,
    day: &str,
) -> sqlx::Result<Vec<(Option<OffsetDateTime>, Option<OffsetDateTime>)>> {
    on_tx!(tx, |x| sqlx::query_as(
        "select coalesce(started_at, called_at), finished_at from queue_tickets \
         where service_id = $1 and day = $2 and state = 'done' order by finished_at desc limit 30"
    )
    .bind(service)
    .bind(day)
    .fetch_all(&mut **x)
    .await)
}

/// Of these tickets, those with a phone to tell and not told yet: (id, token, sealed phone, label parts).
pub async fn near_candidates_tx(
    tx: &mut Tx,
    ids: &[TicketId],
) -> sqlx::Result<Vec<(TicketId, String, String)>> {
    let mut out = Vec::new();
    for id in ids {
        let r: Option<(TicketId, String, String)> = on_tx!(tx, |x| {
            sqlx::query_as(
            "select id, token, notify_phone from queue_tickets where id = $1 and notify_phone is not null and not near_sent"
        )
        .bind(*id)
        .fetch_optional(&mut **x)
        .await
        })?;
        out.extend(r);
    }
    Ok(out)
}

/// Marks a ticket told that its turn is near.
pub async fn near_sent_tx(tx: &mut Tx, id: TicketId) -> sqlx::Result<()> {
    on_tx!(tx, |x| sqlx::query(
        "update queue_tickets set near_sent = true where id = $1"
    )
    .bind(id)
    .execute(&mut **x)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The sealed phone of a ticket, with the token that is its seal's context.
pub async fn phone_of(db: &Db, id: TicketId) -> sqlx::Result<Option<(String, Option<String>)>> {
    on_db!(db, |p| sqlx::query_as(
        "select token, notify_phone from queue_tickets where id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)
}
