//! What happened inside a dossier: the workflow steps it went through (the control sheet, form 06), the notices
//! it was sent (forms 02–05), deadline warnings and the notification outbox.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, DossierId, UserId};
use serde::Serialize;
use time::OffsetDateTime;

/// A step being started.
#[derive(Debug, Clone)]
pub struct NewStep<'a> {
    pub dossier_id: DossierId,
    pub step_index: i32,
    pub name: &'a str,
    pub role: &'a str,
    pub kind: &'a str,
    pub agency_id: AgencyId,
    pub assignee: Option<UserId>,
    pub budget_minutes: i64,
    pub started_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub note: &'a str,
}

/// Starts a step (the next `seq` of the dossier); returns its id.
pub async fn start(tx: &mut Tx, s: &NewStep<'_>) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into dossier_steps (dossier_id, seq, step_index, name, role, kind, agency_id, assignee_user_id, budget_minutes, started_at, due_at, note) select $1, coalesce(max(seq), 0) + 1, $2, $3, $4, $11, $5, $6, $7, $8, $9, $10 from dossier_steps where dossier_id = $1 returning id"
    )
    .bind(s.dossier_id).bind(s.step_index).bind(s.name).bind(s.role).bind(s.agency_id).bind(s.assignee)
    .bind(s.budget_minutes).bind(utc(s.started_at)).bind(utc(s.due_at)).bind(s.note).bind(s.kind)
    .fetch_one(&mut **c)
    .await
    })
}

/// Closes the open step with its outcome ("forwarded", "returned", "approved", "result_returned", "stopped"…).
pub async fn finish(
    tx: &mut Tx,
    step_id: i64,
    at: OffsetDateTime,
    by: UserId,
    outcome: &str,
) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "update dossier_steps set finished_at = $1, finished_by = $2, outcome = $3 where id = $4 and finished_at is null"
    )
    .bind(utc(at)).bind(by).bind(outcome).bind(step_id)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Gives the open step to an officer.
pub async fn assign(tx: &mut Tx, step_id: i64, user: UserId) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update dossier_steps set assignee_user_id = $1 where id = $2"
    )
    .bind(user)
    .bind(step_id)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Moves the open step's deadline (after a clock stop).
pub async fn set_due(tx: &mut Tx, step_id: i64, due: OffsetDateTime) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update dossier_steps set due_at = $1 where id = $2"
    )
    .bind(utc(due))
    .bind(step_id)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A step as the control sheet shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StepRow {
    pub id: i64,
    pub seq: i32,
    pub step_index: i32,
    pub name: String,
    pub role: String,
    pub kind: String,
    pub agency_id: AgencyId,
    pub agency: String,
    pub assignee_user_id: Option<UserId>,
    pub assignee: Option<String>,
    pub budget_minutes: i64,
    pub started_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
    pub finished_by: Option<String>,
    pub outcome: Option<String>,
    pub note: String,
}

const STEP_COLS: &str = "select s.id, s.seq, s.step_index, s.name, s.role, s.kind, s.agency_id, a.name as agency, s.assignee_user_id, ua.display_name as assignee, s.budget_minutes, s.started_at, s.due_at, s.finished_at, uf.display_name as finished_by, s.outcome, s.note from dossier_steps s join agencies a on a.id = s.agency_id left join users ua on ua.id = s.assignee_user_id left join users uf on uf.id = s.finished_by";

/// Every step of a dossier, in order.
pub async fn of_dossier(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<StepRow>> {
    let sql = format!("{STEP_COLS} where s.dossier_id = $1 order by s.seq");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(dossier_id)
        .fetch_all(p)
        .await)
}

/// The open step, if any.
pub async fn open(db: &Db, dossier_id: DossierId) -> sqlx::Result<Option<StepRow>> {
    let sql = format!(
        "{STEP_COLS} where s.dossier_id = $1 and s.finished_at is null order by s.seq desc limit 1"
    );
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(dossier_id)
        .fetch_optional(p)
        .await)
}

/// A notice sent to the applicant (form 02 supplement, 03 refusal, 04 apology and new date, 05 stop) or a request
/// for payment ("payment").
#[derive(Debug, Clone)]
pub struct NewNotice<'a> {
    pub dossier_id: DossierId,
    pub form: &'a str,
    pub at: OffsetDateTime,
    pub actor: UserId,
    pub reason: &'a str,
    pub items: &'a [String],
    pub new_due_at: Option<OffsetDateTime>,
    pub amount: Option<i64>,
}

/// Records a notice.
pub async fn add_notice(tx: &mut Tx, n: &NewNotice<'_>) -> sqlx::Result<()> {
    let items = serde_json::to_string(n.items).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into dossier_notices (dossier_id, form, at, actor_user_id, reason, items, new_due_at, amount) values ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(n.dossier_id).bind(n.form).bind(utc(n.at)).bind(n.actor).bind(n.reason).bind(&items)
    .bind(n.new_due_at.map(utc)).bind(n.amount)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A stored notice.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NoticeRow {
    pub form: String,
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub reason: String,
    pub items: String,
    pub new_due_at: Option<OffsetDateTime>,
    pub amount: Option<i64>,
}

/// A dossier's notices, oldest first.
pub async fn notices(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<NoticeRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select n.form, n.at, u.display_name as actor, n.reason, n.items, n.new_due_at, n.amount from dossier_notices n left join users u on u.id = n.actor_user_id where n.dossier_id = $1 order by n.id"
    )
    .bind(dossier_id)
    .fetch_all(p)
    .await
    })
}

/// Queues a notification in the same transaction as the change it announces.
pub async fn enqueue(
    tx: &mut Tx,
    dossier_id: DossierId,
    kind: &str,
    recipient: &str,
    payload: &serde_json::Value,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into outbox (dossier_id, kind, recipient, payload, created_at) values ($1, $2, $3, $4, $5)"
    )
    .bind(dossier_id).bind(kind).bind(recipient).bind(payload.to_string()).bind(utc(at))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Queues a message that belongs to no dossier (a queue ticket's "your turn is near").
pub async fn enqueue_free(
    tx: &mut Tx,
    kind: &str,
    recipient: &str,
    payload: &serde_json::Value,
    at: OffsetDateTime,
) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "insert into outbox (kind, recipient, payload, created_at) values ($1, $2, $3, $4)"
    )
    .bind(kind)
    .bind(recipient)
    .bind(payload.to_string())
    .bind(utc(at))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a warning once: true if it is new (the sweep is idempotent).
pub async fn warn_once(
    tx: &mut Tx,
    dossier_id: DossierId,
    step_seq: i32,
    kind: &str,
    at: OffsetDateTime,
) -> sqlx::Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "insert into warnings (dossier_id, step_seq, kind, at) values ($1, $2, $3, $4) on conflict (dossier_id, step_seq, kind) do nothing"
    )
    .bind(dossier_id).bind(step_seq).bind(kind).bind(utc(at))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(n == 1)
}

/// Running work whose step or dossier deadline falls before `by`: (dossier id, code, step seq, step due, dossier
/// due, assignee, agency).
pub type Pending = (
    DossierId,
    String,
    i32,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<UserId>,
    AgencyId,
);

/// Open steps of running dossiers due before `by`, or whose dossier is due before `by`.
pub async fn pending(db: &Db, by: OffsetDateTime) -> sqlx::Result<Vec<Pending>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select d.id, d.code, s.seq, s.due_at, d.due_at, s.assignee_user_id, s.agency_id from dossier_steps s join dossiers d on d.id = s.dossier_id where s.finished_at is null and d.status in (2, 4) and (s.due_at <= $1 or d.due_at <= $1) order by d.id"
    )
    .bind(utc(by))
    .fetch_all(p)
    .await
    })
}

/// Queued notifications of a dossier: (kind, recipient, payload).
pub async fn outbox_of(
    db: &Db,
    dossier_id: DossierId,
) -> sqlx::Result<Vec<(String, String, String)>> {
    on_db!(db, |p| sqlx::query_as(
        "select kind, recipient, payload from outbox where dossier_id = $1 order by id"
    )
    .bind(dossier_id)
    .fetch_all(p)
    .await)
}
