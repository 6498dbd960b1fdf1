//! What the queue keeps for its figures: alerts (and the director's message), the history of tickets, the kiosk's
//! popular procedures, a ticket's dossier code, and the erasing of what kiosks read.

use super::super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, CounterId, DossierId, QueueServiceId};
use motcua_domain::queue::State;
use time::OffsetDateTime;

/// Erases what kiosks read from ID cards for days before `day` (the job runs it).
pub async fn erase_old_persons(db: &Db, day: &str) -> sqlx::Result<u64> {
    on_db!(db, |x| {
        sqlx::query(
        "update queue_tickets set person = null, notify_phone = null where (person is not null or notify_phone is not null) and day < $1"
    )
    .bind(day)
    .execute(x)
    .await
    .map(|r| r.rows_affected())
    })
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

/// A ticket that became a dossier, with its procedure (for the waits and service times per procedure).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProcedureTicketRow {
    pub procedure_code: String,
    pub procedure_name: String,
    pub since: OffsetDateTime,
    pub called_at: Option<OffsetDateTime>,
    pub started_at: Option<OffsetDateTime>,
    pub finished_at: Option<OffsetDateTime>,
}

/// The tickets of a center between two days that became dossiers, with the dossier's procedure.
pub async fn procedure_tickets(
    db: &Db,
    agency: AgencyId,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<ProcedureTicketRow>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select d.procedure_code, p.name as procedure_name, t.since, t.called_at, t.started_at, t.finished_at \
         from queue_tickets t join dossiers d on d.id = t.dossier_id join procedures p on p.code = d.procedure_code \
         where t.agency_id = $1 and t.day >= $2 and t.day <= $3 limit 200000"
    )
    .bind(agency)
    .bind(from)
    .bind(to)
    .fetch_all(x)
    .await
    })
}
