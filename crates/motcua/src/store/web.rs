//! What the web application keeps: citizens' saved online applications (drafts) and satisfaction ratings.

use super::{utc, Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::ids::{AgencyId, DossierId, UserId};
use time::OffsetDateTime;

/// A saved online application; `data` is sealed JSON.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftRow {
    pub id: String,
    pub user_id: UserId,
    pub procedure_code: String,
    pub data: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// Creates or replaces a draft.
pub async fn save_draft(tx: &mut Tx, d: &DraftRow) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into drafts (id, user_id, procedure_code, data, created_at, updated_at) values ($1, $2, $3, $4, $5, $6) \
         on conflict (id) do update set data = excluded.data, updated_at = excluded.updated_at"
    )
    .bind(&d.id)
    .bind(d.user_id)
    .bind(&d.procedure_code)
    .bind(&d.data)
    .bind(utc(d.created_at))
    .bind(utc(d.updated_at))
    .execute(&mut **c)
    .await
    .map(|_| ())
    })
}

/// One draft of a user (never another user's).
pub async fn draft(db: &Db, user_id: UserId, id: &str) -> sqlx::Result<Option<DraftRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select id, user_id, procedure_code, data, created_at, updated_at from drafts where id = $1 and user_id = $2"
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(p)
    .await
    })
}

/// A user's drafts, latest first.
pub async fn drafts(db: &Db, user_id: UserId) -> sqlx::Result<Vec<DraftRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select id, user_id, procedure_code, data, created_at, updated_at from drafts where user_id = $1 order by updated_at desc limit 50"
    )
    .bind(user_id)
    .fetch_all(p)
    .await
    })
}

/// Deletes a draft (submitted or abandoned).
pub async fn delete_draft(tx: &mut Tx, user_id: UserId, id: &str) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "delete from drafts where id = $1 and user_id = $2"
    )
    .bind(id)
    .bind(user_id)
    .execute(&mut **c)
    .await
    .map(|_| ()))
}

/// A satisfaction rating (one per dossier).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RatingRow {
    pub dossier_id: DossierId,
    pub level: i16,
    pub reasons: String,
    pub comment: String,
    pub rated_at: OffsetDateTime,
}

/// Records a rating; false when the dossier was already rated.
pub async fn rate(tx: &mut Tx, r: &RatingRow) -> sqlx::Result<bool> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into ratings (dossier_id, level, reasons, comment, rated_at) values ($1, $2, $3, $4, $5) on conflict (dossier_id) do nothing"
    )
    .bind(r.dossier_id)
    .bind(r.level)
    .bind(&r.reasons)
    .bind(&r.comment)
    .bind(utc(r.rated_at))
    .execute(&mut **c)
    .await
    .map(|x| x.rows_affected() == 1)
    })
}

/// The rating of a dossier, if any.
pub async fn rating(db: &Db, dossier_id: DossierId) -> sqlx::Result<Option<RatingRow>> {
    on_db!(db, |p| sqlx::query_as(
        "select dossier_id, level, reasons, comment, rated_at from ratings where dossier_id = $1"
    )
    .bind(dossier_id)
    .fetch_optional(p)
    .await)
}

/// A feedback item (phản ánh, kiến nghị); `sender` is sealed JSON (name and contact).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub agency_id: AgencyId,
    pub agency: String,
    pub dossier_code: Option<String>,
    pub title: String,
    pub body: String,
    pub sender: String,
    pub created_at: OffsetDateTime,
    pub answer: Option<String>,
    pub answered_at: Option<OffsetDateTime>,
    pub published: bool,
}

const FEEDBACK: &str = "select f.id, f.agency_id, a.name as agency, f.dossier_code, f.title, f.body, f.sender, f.created_at, f.answer, f.answered_at, f.published from feedback f join agencies a on a.id = f.agency_id";

/// Records a feedback item; returns its number.
pub async fn add_feedback(
    tx: &mut Tx,
    agency_id: AgencyId,
    dossier_code: Option<&str>,
    title: &str,
    body: &str,
    sender: &str,
    at: OffsetDateTime,
) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into feedback (agency_id, dossier_code, title, body, sender, created_at) values ($1, $2, $3, $4, $5, $6) returning id"
    )
    .bind(agency_id)
    .bind(dossier_code)
    .bind(title)
    .bind(body)
    .bind(sender)
    .bind(utc(at))
    .fetch_one(&mut **c)
    .await
    })
}

/// Published answers, latest first.
pub async fn published_feedback(db: &Db, limit: i64) -> sqlx::Result<Vec<FeedbackRow>> {
    on_db!(db, |p| sqlx::query_as(&format!(
        "{FEEDBACK} where f.published order by f.answered_at desc limit $1"
    ))
    .bind(limit)
    .fetch_all(p)
    .await)
}

/// The feedback addressed to some agencies, unanswered first.
pub async fn feedback_for(db: &Db, agency_ids: &[AgencyId]) -> sqlx::Result<Vec<FeedbackRow>> {
    if agency_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = agency_ids
        .iter()
        .map(AgencyId::to_string)
        .collect::<Vec<_>>()
        .join(",");
    on_db!(db, |p| {
        sqlx::query_as(&format!(
        "{FEEDBACK} where f.agency_id in ({list}) order by (f.answer is not null), f.created_at desc limit 200"
    ))
    .fetch_all(p)
    .await
    })
}

/// Answers a feedback item of one of these agencies; false when it is not theirs.
pub async fn answer_feedback(
    tx: &mut Tx,
    id: i64,
    agency_ids: &[AgencyId],
    answer: &str,
    publish: bool,
    by: UserId,
    at: OffsetDateTime,
) -> sqlx::Result<bool> {
    if agency_ids.is_empty() {
        return Ok(false);
    }
    let list = agency_ids
        .iter()
        .map(AgencyId::to_string)
        .collect::<Vec<_>>()
        .join(",");
    on_tx!(tx, |c| {
        sqlx::query(&format!(
        "update feedback set answer = $1, published = $2, answered_by = $3, answered_at = $4 where id = $5 and agency_id in ({list})"
    ))
    .bind(answer)
    .bind(publish)
    .bind(by)
    .bind(utc(at))
    .bind(id)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// A user as administrators see it (no secrets).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserListRow {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub agency: Option<String>,
    pub disabled: bool,
    pub locked_until: Option<OffsetDateTime>,
    pub last_login_at: Option<OffsetDateTime>,
    pub is_demo: bool,
}

/// Staff of a province (every agency of its units), or everyone when `province` is `None`.
pub async fn users_in(db: &Db, province: Option<&str>) -> sqlx::Result<Vec<UserListRow>> {
    on_db!(db, |c| {
        sqlx::query_as(
        "select u.id, u.username, u.display_name, u.role, a.name as agency, u.disabled, (select max(f.locked_until) from login_failures f where f.account = lower(u.username)) as locked_until, u.last_login_at, u.is_demo \
         from users u left join agencies a on a.id = u.agency_id left join units un on un.code = a.unit_code \
         where $1 = '' or un.code = $1 or un.province_code = $1 order by a.name, u.username limit 2000"
    )
    .bind(province.unwrap_or(""))
    .fetch_all(c)
    .await
    })
}

/// Whether an agency belongs to a province (or any, for `None`).
pub async fn agency_in(db: &Db, agency_id: AgencyId, province: Option<&str>) -> sqlx::Result<bool> {
    let Some(p) = province else {
        return Ok(true);
    };
    let n: i64 = on_db!(db, |c| {
        sqlx::query_scalar(
        "select count(*) from agencies a join units u on u.code = a.unit_code where a.id = $1 and (u.code = $2 or u.province_code = $2)"
    )
    .bind(agency_id)
    .bind(p)
    .fetch_one(c)
    .await
    })?;
    Ok(n > 0)
}

/// Locks or unlocks an account by an administrator (unlocking also clears failed sign-ins).
pub async fn set_disabled(tx: &mut Tx, user_id: UserId, disabled: bool) -> sqlx::Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "update users set disabled = $1, failed_logins = 0, locked_until = null where id = $2"
    )
    .bind(disabled)
    .bind(user_id)
    .execute(&mut **c)
    .await
    .map(|_| ()))?;
    on_tx!(tx, |c| {
        sqlx::query(
        "delete from login_failures where account = (select lower(username) from users where id = $1) and $2 = false"
    )
    .bind(user_id)
    .bind(disabled)
    .execute(&mut **c)
    .await
    .map(|_| ())
    })
}

/// A counter of a center.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CounterRow {
    pub id: i64,
    pub agency_id: AgencyId,
    pub agency: String,
    pub number: i32,
    pub name: String,
    pub fields: String,
    pub active: bool,
}

/// Counters of the agencies of a province (or all).
pub async fn counters_in(db: &Db, province: Option<&str>) -> sqlx::Result<Vec<CounterRow>> {
    on_db!(db, |x| {
        sqlx::query_as(
        "select c.id, c.agency_id, a.name as agency, c.number, c.name, c.fields, c.active \
         from counters c join agencies a on a.id = c.agency_id join units u on u.code = a.unit_code \
         where $1 = '' or u.code = $1 or u.province_code = $1 order by a.name, c.number limit 2000"
    )
    .bind(province.unwrap_or(""))
    .fetch_all(x)
    .await
    })
}

/// Adds a counter; false when the number is taken at that agency.
pub async fn add_counter(
    tx: &mut Tx,
    agency_id: AgencyId,
    number: i32,
    name: &str,
    fields: &str,
) -> sqlx::Result<bool> {
    on_tx!(tx, |x| {
        sqlx::query(
        "insert into counters (agency_id, number, name, fields) values ($1, $2, $3, $4) on conflict (agency_id, number) do nothing"
    )
    .bind(agency_id)
    .bind(number)
    .bind(name)
    .bind(fields)
    .execute(&mut **x)
    .await
    .map(|r| r.rows_affected() == 1)
    })
}

/// Opens or closes a counter.
pub async fn set_counter_active(tx: &mut Tx, id: i64, active: bool) -> sqlx::Result<()> {
    on_tx!(tx, |x| sqlx::query(
        "update counters set active = $1 where id = $2"
    )
    .bind(active)
    .bind(id)
    .execute(&mut **x)
    .await
    .map(|_| ()))
}

/// The agency of a counter.
pub async fn counter_agency(db: &Db, id: i64) -> sqlx::Result<Option<AgencyId>> {
    on_db!(db, |x| sqlx::query_scalar(
        "select agency_id from counters where id = $1"
    )
    .bind(id)
    .fetch_optional(x)
    .await)
}
