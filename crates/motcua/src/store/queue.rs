//! The queue's tables: services, their counters, the day's ticket numbers, tickets and alerts.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, CounterId, DossierId, QueueServiceId, TicketId, UserId};
use motcua_domain::queue::{Priority, Source, State};
use time::OffsetDateTime;

/// A service of a center's queue.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceRow {
    pub id: QueueServiceId,
    pub agency_id: AgencyId,
    pub letter: String,
    pub name: String,
    /// Procedure fields, one a line ('' = every field).
    pub fields: String,
    pub priority_every: i32,
    pub handling_minutes: i32,
    pub active: bool,
}

const SERVICE: &str =
    "id, agency_id, letter, name, fields, priority_every, handling_minutes, active";

/// The services of a center, by letter.
pub async fn services_of(db: &Db, agency: AgencyId) -> sqlx::Result<Vec<ServiceRow>> {
    on_db!(db, |x| sqlx::query_as(&format!(
        "select {SERVICE} from queue_services where agency_id = $1 order by letter"
    ))
    .bind(agency)
    .fetch_all(x)
    .await)
}

/// One service.
pub async fn service(db: &Db, id: QueueServiceId) -> sqlx::Result<Option<ServiceRow>> {
    on_db!(db, |x| sqlx::query_as(&format!(
        "select {SERVICE} from queue_services where id = $1"
    ))
    .bind(id)
    .fetch_optional(x)
    .await)
}

/// A service to add.
#[derive(Debug, Clone)]
pub struct NewService<'a> {
    pub agency_id: AgencyId,
    pub letter: &'a str,
    pub name: &'a str,
    pub fields: &'a str,
    pub priority_every: i32,
    pub handling_minutes: i32,
}

/// Adds a service; `None` when the letter is taken at the center.
pub async fn add_service(tx: &mut Tx, s: &NewService<'_>) -> sqlx::Result<Option<QueueServiceId>> {
    on_tx!(tx, |x| {
        sqlx::query_scalar(
        "insert into queue_services (agency_id, letter, name, fields, priority_every, handling_minutes) \
         values ($1, $2, $3, $4, $5, $6) on conflict (agency_id, letter) do nothing returning id"
    )
    .bind(s.agency_id)
    .bind(s.letter)
    .bind(s.name)
    .bind(s.fields)
    .bind(s.priority_every)
    .bind(s.handling_minutes)
    .fetch_optional(&mut **x)
    .await
    })
}

/// Sets the services a counter calls (replacing the previous ones).
pub async fn set_counter_services(
    tx: &mut Tx,
    counter: CounterId,
    services: &[QueueServiceId],
) -> sqlx::Result<()> {
    on_tx!(tx, |x| {
        sqlx::query("delete from queue_counter_services where counter_id = $1")
            .bind(counter)
            .execute(&mut **x)
            .await?;
        for s in services {
            sqlx::query(
                "insert into queue_counter_services (counter_id, service_id) values ($1, $2)",
            )
            .bind(counter)
            .bind(*s)
            .execute(&mut **x)
            .await?;
        }
        Ok(())
    })
}

/// A counter of a center with the services it calls (none mapped: all of them).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CounterRow {
    pub id: CounterId,
    pub agency_id: AgencyId,
    pub number: i32,
    pub name: String,
    pub active: bool,
    /// Service ids, comma-separated ('' = every service).
    pub services: String,
}

/// The counters of a center.
pub async fn counters_of(db: &Db, agency: AgencyId) -> sqlx::Result<Vec<CounterRow>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select c.id, c.agency_id, c.number, c.name, c.active, \
         coalesce((select string_agg(cast(s.service_id as text), ',') from queue_counter_services s where s.counter_id = c.id), '') as services \
         from counters c where c.agency_id = $1 order by c.number"
    )
    .bind(agency)
    .fetch_all(x)
    .await
    })
}

/// The next ticket number of a center's day (1, 2, …): one row per center and day, incremented in the caller's
/// transaction, so two tickets never share a number on either backend.
pub async fn next_number(tx: &mut Tx, agency: AgencyId, day: &str) -> sqlx::Result<i64> {
    on_tx!(tx, |x| sqlx::query_scalar::<_, i32>(
        "insert into queue_days (agency_id, day, last_number) values ($1, $2, 1) \
         on conflict (agency_id, day) do update set last_number = queue_days.last_number + 1 returning last_number"
    )
    .bind(agency)
    .bind(day)
    .fetch_one(&mut **x)
    .await)
    .map(i64::from)
}

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
}

/// Inserts a ticket (waiting).
pub async fn insert_ticket(tx: &mut Tx, t: &NewTicket) -> sqlx::Result<TicketId> {
    on_tx!(tx, |x| {
        sqlx::query_scalar(
        "insert into queue_tickets (agency_id, day, number, service_id, source, priority, token, state, taken_at, since, \
         appointment_at, procedure_code, person, assisted_by, booked_by) \
         values ($1, $2, $3, $4, $5, $6, $7, 'waiting', $8, $9, $10, $11, $12, $13, $14) returning id"
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

const TICKET: &str = "t.id, t.agency_id, t.day, t.number, t.service_id, s.letter, s.name as service_name, t.source, \
    t.priority, t.token, t.state, t.taken_at, t.since, t.appointment_at, t.called_at, t.counter_id, \
    c.number as counter_number, t.recalls, t.started_at, t.finished_at, t.procedure_code, t.dossier_id, t.person, \
    t.assisted_by, t.booked_by from queue_tickets t join queue_services s on s.id = t.service_id \
    left join counters c on c.id = t.counter_id";

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

/// Calls a counter made today since its last priority call (for the one-in-N rule).
pub async fn calls_since_priority(tx: &mut Tx, counter: CounterId, day: &str) -> sqlx::Result<u32> {
    let recent: Vec<Option<String>> = on_tx!(tx, |x| {
        sqlx::query_scalar(
        "select priority from queue_tickets where counter_id = $1 and day = $2 and called_at is not null \
         order by called_at desc limit 50"
    )
    .bind(counter)
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
    on_tx!(tx, |x| sqlx::query(
        "update queue_tickets set state = coalesce($1, state), recalls = recalls + $2, \
         started_at = coalesce($3, started_at), finished_at = coalesce($4, finished_at), \
         transferred_from = case when $5 is null then transferred_from else service_id end, \
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
    .map(|r| r.rows_affected() == 1))
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

/// Erases what kiosks read from ID cards for days before `day` (the job runs it).
pub async fn erase_old_persons(db: &Db, day: &str) -> sqlx::Result<u64> {
    on_db!(db, |x| sqlx::query(
        "update queue_tickets set person = null where person is not null and day < $1"
    )
    .bind(day)
    .execute(x)
    .await
    .map(|r| r.rows_affected()))
}

/// Records an alert once an hour per service: true if it is new.
pub async fn alert_once(
    tx: &mut Tx,
    agency: AgencyId,
    service: QueueServiceId,
    hour: &str,
    (projected, waiting): (i32, i32),
    at: OffsetDateTime,
) -> sqlx::Result<bool> {
    on_tx!(tx, |x| {
        sqlx::query(
        "insert into queue_alerts (agency_id, service_id, hour, projected_minutes, waiting, created_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict do nothing"
    )
    .bind(agency)
    .bind(service)
    .bind(hour)
    .bind(projected)
    .bind(waiting)
    .bind(utc(at))
    .execute(&mut **x)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// An alert raised today.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub service_id: QueueServiceId,
    pub hour: String,
    pub projected_minutes: i32,
    pub waiting: i32,
}

/// The alerts of a center whose hour starts with `day`.
pub async fn alerts_of(db: &Db, agency: AgencyId, day: &str) -> sqlx::Result<Vec<AlertRow>> {
    on_db!(db, |x| sqlx::query_as(
        "select service_id, hour, projected_minutes, waiting from queue_alerts \
         where agency_id = $1 and hour like $2 order by hour desc"
    )
    .bind(agency)
    .bind(format!("{day}%"))
    .fetch_all(x)
    .await)
}

/// What history says about a center: one row per finished or abandoned ticket between two days.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub day: String,
    pub service_id: QueueServiceId,
    #[sqlx(try_from = "String")]
    pub state: State,
    pub since: OffsetDateTime,
    pub called_at: Option<OffsetDateTime>,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
    pub counter_id: Option<CounterId>,
    pub priority: Option<String>,
}

/// The tickets of a center from `from` to `to` (days, inclusive).
pub async fn history(
    db: &Db,
    agency: AgencyId,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<HistoryRow>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select day, service_id, state, since, called_at, started_at, finished_at, counter_id, priority from queue_tickets \
         where agency_id = $1 and day >= $2 and day <= $3 order by day, number limit 500000"
    )
    .bind(agency)
    .bind(from)
    .bind(to)
    .fetch_all(x)
    .await
    })
}

/// Sends a notification to the other instances on PostgreSQL (delivered when the transaction commits).
pub async fn notify(tx: &mut Tx, payload: &str) -> sqlx::Result<()> {
    if let Tx::Postgres(x) = tx {
        sqlx::query("select pg_notify('motcua_queue', $1)")
            .bind(payload)
            .execute(&mut **x)
            .await?;
    }
    Ok(())
}

/// Queues the director's alert in the notification outbox (no dossier), in the caller's transaction.
pub async fn enqueue_alert(
    tx: &mut Tx,
    recipient: &str,
    payload: &serde_json::Value,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    on_tx!(tx, |x| {
        sqlx::query(
        "insert into outbox (dossier_id, kind, recipient, payload, created_at) values (null, 'queue_alert', $1, $2, $3)"
    )
    .bind(recipient)
    .bind(payload.to_string())
    .bind(utc(at))
    .execute(&mut **x)
    .await
    .map(|_| ())
    })
}

/// The procedures a center received most since a moment (for the kiosk's "popular first"): code, name, field.
pub async fn popular_procedures(
    db: &Db,
    agency: AgencyId,
    since: OffsetDateTime,
    limit: i64,
) -> sqlx::Result<Vec<(String, String, String)>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select p.code, p.name, p.field from dossiers d join procedures p on p.code = d.procedure_code \
         where d.receiving_agency_id = $1 and d.submitted_at >= $2 \
         group by p.code, p.name, p.field order by count(*) desc, p.name limit $3"
    )
    .bind(agency)
    .bind(utc(since))
    .bind(limit)
    .fetch_all(x)
    .await
    })
}

/// The code of a dossier (for the link from its ticket).
pub async fn dossier_code(db: &Db, id: DossierId) -> sqlx::Result<Option<String>> {
    on_db!(db, |x| sqlx::query_scalar(
        "select code from dossiers where id = $1"
    )
    .bind(id)
    .fetch_optional(x)
    .await)
}

/// Sets the last number of a center's day (the demo's history, written in bulk).
pub async fn set_last_number(tx: &mut Tx, agency: AgencyId, day: &str, n: i64) -> sqlx::Result<()> {
    on_tx!(tx, |x| sqlx::query(
        "insert into queue_days (agency_id, day, last_number) values ($1, $2, $3) \
         on conflict (agency_id, day) do update set last_number = excluded.last_number"
    )
    .bind(agency)
    .bind(day)
    .bind(i32::try_from(n).unwrap_or(i32::MAX))
    .execute(&mut **x)
    .await
    .map(|_| ()))
}

/// The counters of a center, in a transaction (a writer never waits for a second connection).
pub async fn counters_of_tx(tx: &mut Tx, agency: AgencyId) -> sqlx::Result<Vec<CounterRow>> {
    on_tx!(tx, |x| {
        sqlx::query_as(
        "select c.id, c.agency_id, c.number, c.name, c.active, \
         coalesce((select string_agg(cast(s.service_id as text), ',') from queue_counter_services s where s.counter_id = c.id), '') as services \
         from counters c where c.agency_id = $1 order by c.number"
    )
    .bind(agency)
    .fetch_all(&mut **x)
    .await
    })
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
