//! Officers with their position and specialty, secondments between agencies, and the steps each handled or holds.

use super::reports::Filter;
use super::{utc, Bind, Db, Tx, Where};
use crate::{bind_all, on_db, on_tx};
use motcua_domain::ids::{AgencyId, UserId};
use time::OffsetDateTime;

/// An officer where they serve today.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfficerRow {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub position: String,
    pub specialty: String,
    pub home_agency_id: i64,
    /// Where they serve today: the secondment's agency, or their own.
    pub agency_id: i64,
    pub seconded_in: bool,
}

const ACTIVE: &str = "s.starts_on <= {today} and (s.ends_on is null or s.ends_on >= {today})";

/// Officers serving in the place today (their own agency's, less those seconded away, plus those seconded in).
pub async fn officers(db: &Db, f: &Filter, today: &str) -> sqlx::Result<Vec<OfficerRow>> {
    let mut w = Where::default();
    let t = w.arg(Bind::Text(today.to_owned()));
    let active = ACTIVE.replace("{today}", &t);
    w.push("x.role in ('receiving_officer', 'specialist', 'leader', 'center_director') and not x.disabled and x.agency_id is not null".into());
    f.restrict(&mut w);
    let sql = format!("select x.id as user_id, x.username, x.display_name, x.role, x.position, x.specialty, x.agency_id as home_agency_id, a.id as agency_id, s.id is not null as seconded_in \
        from users x left join secondments s on s.id = (select max(s2.id) from secondments s2 where s2.user_id = x.id and {}) \
        join agencies a on a.id = coalesce(s.to_agency_id, x.agency_id) join units u on u.code = a.unit_code{} order by a.id, x.display_name",
        active.replace("s.", "s2."), w.sql());
    on_db!(db, |p| bind_all!(
        sqlx::query_as::<_, OfficerRow>(&sql),
        w.binds
    )
    .fetch_all(p)
    .await)
}

/// An agency of the place.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlaceAgency {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub province: String,
}

/// The agencies of the place that receive or decide dossiers.
pub async fn agencies(db: &Db, f: &Filter) -> sqlx::Result<Vec<PlaceAgency>> {
    let mut w = Where::default();
    f.restrict(&mut w);
    let sql = format!("select a.id, a.name, a.kind, coalesce(u.province_code, u.code) as province from agencies a join units u on u.code = a.unit_code{} order by a.id", w.sql());
    on_db!(db, |p| bind_all!(
        sqlx::query_as::<_, PlaceAgency>(&sql),
        w.binds
    )
    .fetch_all(p)
    .await)
}

/// Steps finished in `[from, to)` at the place's agencies: agency, officer, count.
pub async fn handled(
    db: &Db,
    f: &Filter,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<Vec<(i64, Option<i64>, i64)>> {
    let mut w = Where::default();
    f.restrict(&mut w);
    let a = w.arg(Bind::Time(utc(from)));
    let b = w.arg(Bind::Time(utc(to)));
    w.push(format!("st.finished_at >= {a} and st.finished_at < {b}"));
    let sql = format!("select st.agency_id, st.finished_by, count(*) from dossier_steps st join agencies a on a.id = st.agency_id join units u on u.code = a.unit_code{} group by st.agency_id, st.finished_by", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}

/// Steps open now at the place's agencies: agency, assignee, count.
pub async fn backlog(db: &Db, f: &Filter) -> sqlx::Result<Vec<(i64, Option<i64>, i64)>> {
    let mut w = Where::default();
    f.restrict(&mut w);
    w.push("st.finished_at is null".into());
    let sql = format!("select st.agency_id, st.assignee_user_id, count(*) from dossier_steps st join agencies a on a.id = st.agency_id join units u on u.code = a.unit_code{} group by st.agency_id, st.assignee_user_id", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}

/// A secondment to record.
#[derive(Debug, Clone)]
pub struct NewSecondment<'a> {
    pub user_id: UserId,
    pub from: AgencyId,
    pub to: AgencyId,
    pub starts_on: &'a str,
    pub ends_on: Option<&'a str>,
    pub reason: &'a str,
    pub by: UserId,
    pub at: OffsetDateTime,
}

/// The officers with a secondment not over on `today` ("YYYY-MM-DD"): decided, so not suggested again.
pub async fn decided(db: &Db, today: &str) -> sqlx::Result<Vec<i64>> {
    on_db!(db, |p| sqlx::query_scalar(
        "select distinct user_id from secondments where ends_on is null or ends_on >= $1"
    )
    .bind(today)
    .fetch_all(p)
    .await)
}

/// The start of a secondment of `user` that overlaps `[starts, ends]` (open-ended when `None`), if any.
pub async fn overlapping(
    tx: &mut Tx,
    user: UserId,
    starts: &str,
    ends: Option<&str>,
) -> sqlx::Result<Option<String>> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "select starts_on from secondments where user_id = $1 and starts_on <= coalesce($3, '9999-12-31') and coalesce(ends_on, '9999-12-31') >= $2 order by starts_on limit 1"
    )
    .bind(user)
    .bind(starts)
    .bind(ends)
    .fetch_optional(&mut **c)
    .await
    })
}

/// Records a secondment; returns its id.
pub async fn insert(tx: &mut Tx, s: &NewSecondment<'_>) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into secondments (user_id, from_agency_id, to_agency_id, starts_on, ends_on, reason, decided_by, decided_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning id"
    )
    .bind(s.user_id).bind(s.from).bind(s.to).bind(s.starts_on).bind(s.ends_on).bind(s.reason).bind(s.by).bind(utc(s.at))
    .fetch_one(&mut **c)
    .await
    })
}

/// A recorded secondment.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct SecondmentRow {
    pub id: i64,
    pub officer: String,
    pub from_agency: String,
    pub to_agency: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub reason: String,
}

/// Secondments into or out of the place's agencies, newest first.
pub async fn secondments(db: &Db, f: &Filter) -> sqlx::Result<Vec<SecondmentRow>> {
    let mut w = Where::default();
    let mut w2 = Where::default();
    f.restrict(&mut w2);
    let cond = w2.sql().trim_start_matches(" where ").to_owned();
    w.binds = w2.binds;
    let place = |alias: &str| {
        if cond.is_empty() {
            "true".to_owned()
        } else {
            format!("exists (select 1 from agencies a join units u on u.code = a.unit_code where a.id = {alias} and {cond})")
        }
    };
    w.push(format!(
        "({} or {})",
        place("s.from_agency_id"),
        place("s.to_agency_id")
    ));
    let sql = format!("select s.id, x.display_name as officer, fa.name as from_agency, ta.name as to_agency, s.starts_on, s.ends_on, s.reason from secondments s join users x on x.id = s.user_id join agencies fa on fa.id = s.from_agency_id join agencies ta on ta.id = s.to_agency_id{} order by s.id desc limit 200", w.sql());
    on_db!(db, |p| bind_all!(
        sqlx::query_as::<_, SecondmentRow>(&sql),
        w.binds
    )
    .fetch_all(p)
    .await)
}

/// Sets an officer's position and specialty.
pub async fn set_profile(
    tx: &mut Tx,
    user: UserId,
    position: &str,
    specialty: &str,
) -> sqlx::Result<bool> {
    on_tx!(tx, |c| sqlx::query(
        "update users set position = $2, specialty = $3 where id = $1"
    )
    .bind(user)
    .bind(position)
    .bind(specialty)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected() == 1))
}
