//! The queue's tables: services, their counters and the day's ticket numbers here; tickets.rs the tickets,
//! figures.rs what the figures read.

mod figures;
mod tickets;

pub use figures::*;
pub use tickets::*;

use super::{Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, CounterId, QueueServiceId};

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

/// A service with its center, for the administration of a province (or all).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ServiceInRow {
    pub id: QueueServiceId,
    pub agency_id: AgencyId,
    pub agency: String,
    pub letter: String,
    pub name: String,
    pub fields: String,
    pub priority_every: i32,
    pub handling_minutes: i32,
}

/// The queue services of the centers of a province (or all).
pub async fn services_in(db: &Db, province: Option<&str>) -> sqlx::Result<Vec<ServiceInRow>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select s.id, s.agency_id, a.name as agency, s.letter, s.name, s.fields, s.priority_every, s.handling_minutes \
         from queue_services s join agencies a on a.id = s.agency_id join units u on u.code = a.unit_code \
         where $1 = '' or u.code = $1 or u.province_code = $1 order by a.name, s.letter limit 2000"
    )
    .bind(province.unwrap_or(""))
    .fetch_all(x)
    .await
    })
}

/// Which counters call which services (counter id, service id), for a province (or all).
pub async fn counter_services_in(db: &Db, province: Option<&str>) -> sqlx::Result<Vec<(i64, i64)>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select m.counter_id, m.service_id from queue_counter_services m join counters c on c.id = m.counter_id \
         join agencies a on a.id = c.agency_id join units u on u.code = a.unit_code \
         where $1 = '' or u.code = $1 or u.province_code = $1"
    )
    .bind(province.unwrap_or(""))
    .fetch_all(x)
    .await
    })
}
