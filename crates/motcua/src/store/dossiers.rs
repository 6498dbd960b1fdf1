//! Dossiers: the daily code counter, the dossier row, the agencies it is routed to and its event trail.

use super::{utc, Bind, Db, Tx, Where};
use crate::scope::Scope;
use crate::{bind_all, on_db, on_tx};
use motcua_domain::catalog::Channel;
use motcua_domain::ids::{AgencyId, DossierId, UserId};
use motcua_domain::status::Status;
use motcua_domain::workflow::LimitSource;
use serde::Serialize;
use time::OffsetDateTime;

/// Takes the next serial of a day for an agency: atomic on both backends (`on conflict … returning`).
pub async fn next_serial(tx: &mut Tx, agency_identifier: &str, day: &str) -> sqlx::Result<i64> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into dossier_counters (agency_identifier, day, next) values ($1, $2, 1) on conflict (agency_identifier, day) do update set next = dossier_counters.next + 1 returning next"
    )
    .bind(agency_identifier)
    .bind(day)
    .fetch_one(&mut **c)
    .await
    })
}

/// A dossier to insert.
#[derive(Debug, Clone)]
pub struct NewDossier {
    pub code: String,
    pub procedure_code: String,
    pub receiving_agency_id: AgencyId,
    pub competent_agency_id: AgencyId,
    pub channel: String,
    pub status: i16,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_id_masked: String,
    pub applicant_id_hash: String,
    pub applicant_phone: Option<String>,
    pub applicant_address: Option<String>,
    pub citizen_user_id: Option<UserId>,
    pub summary: String,
    pub submitted_at: OffsetDateTime,
    pub received_at: Option<OffsetDateTime>,
    pub due_at: Option<OffsetDateTime>,
    pub is_demo: bool,
    pub created_by: Option<UserId>,
    /// The bundle (liên thông) this dossier belongs to.
    pub parent_id: Option<DossierId>,
    /// The procedure's case, when not the default.
    pub case_key: Option<String>,
    /// Set when the dossier is received now (counter intake).
    pub limit_source: Option<LimitSource>,
    /// What was received (JSON: the case and the papers ticked); `""` until received.
    pub papers: String,
}

/// Inserts a dossier; returns its id.
pub async fn insert(tx: &mut Tx, d: &NewDossier, now: OffsetDateTime) -> sqlx::Result<DossierId> {
    let id = insert_row(tx, d, now).await?;
    super::reports::refresh(tx, id, None).await?;
    Ok(id)
}

async fn insert_row(tx: &mut Tx, d: &NewDossier, now: OffsetDateTime) -> sqlx::Result<DossierId> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "insert into dossiers (code, procedure_code, receiving_agency_id, competent_agency_id, channel, status, applicant_kind, applicant_name, applicant_id_number, applicant_id_masked, applicant_id_hash, applicant_phone, applicant_address, citizen_user_id, summary, submitted_at, received_at, due_at, is_demo, created_by, created_at, updated_at, version, parent_id, case_key, limit_source, applicant_key, papers) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, 1, $22, $23, $24, $25, $26) returning id"
    )
    .bind(&d.code).bind(&d.procedure_code).bind(d.receiving_agency_id).bind(d.competent_agency_id).bind(&d.channel)
    .bind(d.status).bind(&d.applicant_kind).bind(&d.applicant_name).bind(&d.applicant_id_number)
    .bind(&d.applicant_id_masked).bind(&d.applicant_id_hash).bind(&d.applicant_phone).bind(&d.applicant_address)
    .bind(d.citizen_user_id).bind(&d.summary).bind(utc(d.submitted_at)).bind(d.received_at.map(utc))
    .bind(d.due_at.map(utc)).bind(d.is_demo).bind(d.created_by).bind(utc(now)).bind(d.parent_id).bind(&d.case_key).bind(d.limit_source.map_or("", LimitSource::as_str)).bind(motcua_domain::text::search_key(&d.applicant_name)).bind(&d.papers)
    .fetch_one(&mut **c)
    .await
    })
}

/// Routes a dossier to an agency in a role ("receiving", "competent", "forwarded").
pub async fn add_agency(
    tx: &mut Tx,
    dossier_id: DossierId,
    agency_id: AgencyId,
    role: &str,
    since: OffsetDateTime,
) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("insert into dossier_agencies (dossier_id, agency_id, role, since) values ($1, $2, $3, $4) on conflict do nothing")
        .bind(dossier_id).bind(agency_id).bind(role).bind(utc(since))
        .execute(&mut **c)
        .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// An event to append to a dossier's trail.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub dossier_id: DossierId,
    pub at: OffsetDateTime,
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub from: Option<i16>,
    pub to: i16,
    pub note: &'a str,
}

/// Appends an event to the dossier's trail.
pub async fn add_event(tx: &mut Tx, e: &NewEvent<'_>) -> sqlx::Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("insert into dossier_events (dossier_id, at, actor_user_id, action, from_status, to_status, note) values ($1, $2, $3, $4, $5, $6, $7)")
        .bind(e.dossier_id).bind(utc(e.at)).bind(e.actor).bind(e.action).bind(e.from).bind(e.to).bind(e.note)
        .execute(&mut **c)
        .await.map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A dossier's stored limit source: `''` (not yet received) or a [`LimitSource`]; anything else is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoredLimitSource(pub Option<LimitSource>);

impl TryFrom<String> for StoredLimitSource {
    type Error = motcua_domain::error::UnknownStored;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.is_empty() {
            return Ok(StoredLimitSource(None));
        }
        LimitSource::parse(&s)
            .map(|l| StoredLimitSource(Some(l)))
            .ok_or(motcua_domain::error::UnknownStored {
                what: "limit source",
                value: s,
            })
    }
}

/// A dossier with the names a reader needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DossierRow {
    pub id: DossierId,
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub receiving_agency_id: AgencyId,
    pub receiving_agency: String,
    pub receiving_unit_code: String,
    pub competent_agency_id: AgencyId,
    pub competent_agency: String,
    /// An unknown stored channel or status is a decode error (logged, 500), never a silent default.
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    #[sqlx(try_from = "i16")]
    pub status: Status,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_id_masked: String,
    pub applicant_phone: Option<String>,
    pub applicant_address: Option<String>,
    pub citizen_user_id: Option<UserId>,
    pub summary: String,
    pub submitted_at: OffsetDateTime,
    pub received_at: Option<OffsetDateTime>,
    pub due_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
    pub is_demo: bool,
    pub version: i32,
    pub procedure_field: String,
    pub workflow_id: Option<i64>,
    pub current_step: Option<i32>,
    pub legal_due_at: Option<OffsetDateTime>,
    pub result_method: Option<String>,
    pub result_receiver: Option<String>,
    pub parent_id: Option<DossierId>,
    pub step_seq: Option<i32>,
    pub step_index: Option<i32>,
    pub step_name: Option<String>,
    pub step_role: Option<String>,
    pub step_kind: Option<String>,
    pub step_agency_id: Option<AgencyId>,
    pub step_assignee: Option<UserId>,
    pub step_due_at: Option<OffsetDateTime>,
    pub applicant_id_hash: String,
    pub case_key: Option<String>,
    /// Where the due date's limit comes from (`None` until received).
    #[sqlx(try_from = "String")]
    pub limit_source: StoredLimitSource,
    /// What was received (JSON: the case and the papers ticked); `""` until received.
    pub papers: String,
    /// The parent of an interlinked bundle.
    pub is_bundle: bool,
    /// A fee request is open: only its settlement (online or at the counter) confirms the payment.
    pub fee_open: bool,
}

const SELECT: &str = "select d.id, d.code, d.procedure_code, p.name as procedure_name, d.receiving_agency_id, ra.name as receiving_agency, ra.unit_code as receiving_unit_code, d.competent_agency_id, ca.name as competent_agency, d.channel, d.status, d.applicant_kind, d.applicant_name, d.applicant_id_number, d.applicant_id_masked, d.applicant_phone, d.applicant_address, d.citizen_user_id, d.summary, d.submitted_at, d.received_at, d.due_at, d.completed_at, d.is_demo, d.version, p.field as procedure_field, d.workflow_id, d.current_step, d.legal_due_at, d.result_method, d.result_receiver, d.parent_id, s.seq as step_seq, s.step_index, s.name as step_name, s.role as step_role, s.kind as step_kind, s.agency_id as step_agency_id, s.assignee_user_id as step_assignee, s.due_at as step_due_at, d.applicant_id_hash, d.case_key, d.limit_source, d.papers, exists (select 1 from dossiers c where c.parent_id = d.id) as is_bundle, exists (select 1 from fee_requests f where f.dossier_id = d.id and f.state = 'open') as fee_open from dossiers d join procedures p on p.code = d.procedure_code join agencies ra on ra.id = d.receiving_agency_id join agencies ca on ca.id = d.competent_agency_id left join dossier_steps s on s.dossier_id = d.id and s.finished_at is null";

/// One dossier by code, within the caller's scope (`None` when absent or out of scope alike).
pub async fn get(db: &Db, scope: &Scope, code: &str) -> sqlx::Result<Option<DossierRow>> {
    let mut w = Where::default();
    let a = w.arg(Bind::Text(code.to_owned()));
    w.push(format!("d.code = {a}"));
    scope.restrict(&mut w);
    let sql = format!("{SELECT}{}", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_optional(p)
        .await)
}

/// What a public look-up needs before the rest: the dossier, the keyed hash of the applicant's ID number (the proof),
/// and the revisions the tracking cache is keyed by.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrackKey {
    pub id: DossierId,
    pub applicant_id_hash: String,
    pub version: i32,
    pub public_rev: i64,
}

/// The [`TrackKey`] of a dossier by code.
pub async fn track_key(db: &Db, code: &str) -> sqlx::Result<Option<TrackKey>> {
    on_db!(db, |p| sqlx::query_as(
        "select id, applicant_id_hash, version, public_rev from dossiers where code = $1"
    )
    .bind(code)
    .fetch_optional(p)
    .await)
}

/// List filters.
#[derive(Debug, Clone, Default)]
pub struct DossierFilter {
    pub status: Option<i16>,
    pub procedure: Option<String>,
    /// Field of the procedure, folded (`search_key`).
    pub field: Option<String>,
    pub channel: Option<String>,
    /// Received (or submitted, if not yet received) on or after.
    pub from: Option<OffsetDateTime>,
    /// … and before.
    pub to: Option<OffsetDateTime>,
    pub list: Option<WorkList>,
    /// An officer's search: the dossier code, words of the applicant's name (folded), or the applicant's ID number
    /// as its keyed hash (the number itself is never in a query).
    pub find: Option<Find>,
    pub limit: i64,
    pub offset: i64,
}

/// What an officer searches dossiers by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Find {
    /// A dossier code, or its beginning.
    Code(String),
    /// The words of the applicant's name, folded; each starts a word of the name.
    Name(Vec<String>),
    /// The keyed hash of an ID number.
    IdHash(String),
}

/// The officer's work lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkList {
    /// The open step is assigned to this user.
    Mine(UserId),
    /// The open step is unassigned, at this agency, for one of these roles.
    Pool(AgencyId, &'static [&'static str]),
    /// Running and due at or before this moment (but not yet late).
    DueBy(OffsetDateTime, OffsetDateTime),
    /// Running and past its due date at this moment.
    Overdue(OffsetDateTime),
    /// Waiting for the applicant (supplement or payment).
    WaitingCitizen,
    /// Submitted online to this agency and not yet received (accepted or refused) at its counter.
    OnlineWaiting(AgencyId),
}

impl WorkList {
    fn restrict(self, w: &mut Where) {
        match self {
            WorkList::Mine(u) => {
                let a = w.arg(Bind::Int(u.0));
                w.push(format!("exists (select 1 from dossier_steps s where s.dossier_id = d.id and s.finished_at is null and s.assignee_user_id = {a})"));
            }
            WorkList::Pool(agency, roles) => {
                let a = w.arg(Bind::Int(agency.0));
                let rs: Vec<String> = roles
                    .iter()
                    .map(|r| w.arg(Bind::Text((*r).to_owned())))
                    .collect();
                w.push(format!("exists (select 1 from dossier_steps s where s.dossier_id = d.id and s.finished_at is null and s.assignee_user_id is null and s.agency_id = {a} and s.role in ({}))", rs.join(", ")));
                w.push("d.status in (2, 4, 9)".into());
            }
            WorkList::DueBy(now, by) => {
                let a = w.arg(Bind::Time(utc(now)));
                let b = w.arg(Bind::Time(utc(by)));
                w.push(format!(
                    "d.status in (2, 4) and d.due_at >= {a} and d.due_at <= {b}"
                ));
            }
            WorkList::Overdue(now) => {
                let a = w.arg(Bind::Time(utc(now)));
                w.push(format!("d.status in (2, 4) and d.due_at < {a}"));
            }
            WorkList::WaitingCitizen => w.push("d.status in (5, 6)".into()),
            WorkList::OnlineWaiting(agency) => {
                let a = w.arg(Bind::Int(agency.0));
                w.push(format!("d.status = 1 and d.receiving_agency_id = {a}"));
            }
        }
    }
}

/// How many dossiers within the caller's scope match.
pub async fn count(db: &Db, scope: &Scope, f: &DossierFilter) -> sqlx::Result<i64> {
    let w = filter(scope, f);
    let sql = format!("select count(*) from dossiers d{}", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.binds)
        .fetch_one(p)
        .await)
}

/// Dossiers within the caller's scope, newest first, with the total.
pub async fn list(
    db: &Db,
    scope: &Scope,
    f: &DossierFilter,
) -> sqlx::Result<(i64, Vec<DossierRow>)> {
    let total = count(db, scope, f).await?;
    let mut w = filter(scope, f);
    let lim = w.arg(Bind::Int(f.limit));
    let off = w.arg(Bind::Int(f.offset));
    let sql = format!(
        "{SELECT}{} order by d.submitted_at desc, d.id desc limit {lim} offset {off}",
        w.sql()
    );
    let rows = on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)?;
    Ok((total, rows))
}

fn filter(scope: &Scope, f: &DossierFilter) -> Where {
    let mut w = Where::default();
    if let Some(s) = f.status {
        let a = w.arg(Bind::Int(i64::from(s)));
        w.push(format!("d.status = {a}"));
    }
    if let Some(p) = &f.procedure {
        let a = w.arg(Bind::Text(p.clone()));
        w.push(format!("d.procedure_code = {a}"));
    }
    if let Some(fk) = &f.field {
        let a = w.arg(Bind::Text(fk.clone()));
        w.push(format!(
            "exists (select 1 from procedures pf where pf.code = d.procedure_code and pf.field_key = {a})"
        ));
    }
    if let Some(c) = &f.channel {
        let a = w.arg(Bind::Text(c.clone()));
        w.push(format!("d.channel = {a}"));
    }
    if let Some(t) = f.from {
        let a = w.arg(Bind::Time(utc(t)));
        w.push(format!("coalesce(d.received_at, d.submitted_at) >= {a}"));
    }
    if let Some(t) = f.to {
        let a = w.arg(Bind::Time(utc(t)));
        w.push(format!("coalesce(d.received_at, d.submitted_at) < {a}"));
    }
    if let Some(l) = f.list {
        l.restrict(&mut w);
    }
    match &f.find {
        Some(Find::Code(c)) if !c.contains('-') => {
            // Digits alone: the code's beginning (the unit) or its daily number ("0005").
            let a = w.arg(Bind::Text(format!("{c}%")));
            let b = w.arg(Bind::Text(format!("%-{c}")));
            w.push(format!("(d.code like {a} or d.code like {b})"));
        }
        Some(Find::Code(c)) => {
            let a = w.arg(Bind::Text(format!("{c}%")));
            w.push(format!("d.code like {a}"));
        }
        Some(Find::Name(words)) => {
            for word in words {
                let a = w.arg(Bind::Text(format!("% {word}%")));
                w.push(format!("(' ' || d.applicant_key) like {a}"));
            }
        }
        Some(Find::IdHash(h)) => {
            let a = w.arg(Bind::Text(h.clone()));
            w.push(format!("d.applicant_id_hash = {a}"));
        }
        None => {}
    }
    scope.restrict(&mut w);
    w
}

/// Fills the folded applicant name of dossiers created before the column existed. Returns how many.
pub async fn fill_applicant_keys(db: &Db) -> sqlx::Result<usize> {
    let rows: Vec<(DossierId, String)> = on_db!(db, |p| sqlx::query_as(
        "select id, applicant_name from dossiers where applicant_key = ''"
    )
    .fetch_all(p)
    .await)?;
    for (id, name) in &rows {
        let key = motcua_domain::text::search_key(name);
        on_db!(db, |p| sqlx::query(
            "update dossiers set applicant_key = $1 where id = $2"
        )
        .bind(&key)
        .bind(id)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(rows.len())
}

/// A change of a dossier: the new status, the step it is at, and the dates it sets (`None` keeps the stored value).
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub status: i16,
    /// Always written: the workflow step the dossier is at (`None` once no step is open).
    pub current_step: Option<i32>,
    pub received_at: Option<OffsetDateTime>,
    pub due_at: Option<OffsetDateTime>,
    pub legal_due_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
    pub workflow_id: Option<i64>,
    pub result_method: Option<String>,
    pub result_receiver: Option<String>,
    /// Set once, when the dossier is received and given its due date.
    pub limit_source: Option<LimitSource>,
    /// Set when received: what was received (JSON).
    pub papers: Option<String>,
}

/// Applies a change if the row still has `version` (optimistic lock). Returns false if it changed meanwhile.
pub async fn update(
    tx: &mut Tx,
    id: DossierId,
    version: i32,
    c: &Change,
    now: OffsetDateTime,
) -> sqlx::Result<bool> {
    let before = super::reports::snapshot(tx, id).await?;
    let n = on_tx!(tx, |conn| {
        sqlx::query("update dossiers set closed_at = coalesce(closed_at, case when $1 in (3, 7, 8, 9, 10) then $10 end), status = $1, current_step = $2, received_at = coalesce($3, received_at), due_at = coalesce($4, due_at), legal_due_at = coalesce($5, legal_due_at), completed_at = coalesce($6, completed_at), workflow_id = coalesce($7, workflow_id), result_method = coalesce($8, result_method), result_receiver = coalesce($9, result_receiver), limit_source = coalesce($13, limit_source), papers = coalesce($14, papers), updated_at = $10, version = version + 1 where id = $11 and version = $12")
        .bind(c.status).bind(c.current_step).bind(c.received_at.map(utc)).bind(c.due_at.map(utc)).bind(c.legal_due_at.map(utc))
        .bind(c.completed_at.map(utc)).bind(c.workflow_id).bind(&c.result_method).bind(&c.result_receiver)
        .bind(utc(now)).bind(id).bind(version).bind(c.limit_source.map(LimitSource::as_str)).bind(&c.papers)
        .execute(&mut **conn)
        .await.map(|r| r.rows_affected())
    })?;
    if n == 1 {
        super::reports::refresh(tx, id, before).await?;
    }
    Ok(n == 1)
}

/// An event of the trail.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EventRow {
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub action: String,
    pub from_status: Option<i16>,
    #[sqlx(try_from = "i16")]
    pub to_status: Status,
    pub note: String,
}

/// The trail, oldest first.
pub async fn events(db: &Db, dossier_id: DossierId) -> sqlx::Result<Vec<EventRow>> {
    on_db!(db, |p| {
        sqlx::query_as("select e.at, u.display_name as actor, e.action, e.from_status, e.to_status, e.note from dossier_events e left join users u on u.id = e.actor_user_id where e.dossier_id = $1 order by e.id")
        .bind(dossier_id)
        .fetch_all(p)
        .await
    })
}

/// Dossier counts by status (for metrics and reports).
pub async fn count_by_status(db: &Db) -> sqlx::Result<Vec<(i16, i64)>> {
    on_db!(db, |p| sqlx::query_as(
        "select status, count(*) from dossiers group by status order by status"
    )
    .fetch_all(p)
    .await)
}

/// A child of a bundle (liên thông), as its parent shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ChildRow {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub competent_agency: String,
    #[sqlx(try_from = "i16")]
    pub status: Status,
    pub due_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
}

/// The children of a bundle, in order of creation.
pub async fn children(db: &Db, parent_id: DossierId) -> sqlx::Result<Vec<ChildRow>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select d.code, d.procedure_code, p.name as procedure_name, ca.name as competent_agency, d.status, d.due_at, d.completed_at from dossiers d join procedures p on p.code = d.procedure_code join agencies ca on ca.id = d.competent_agency_id where d.parent_id = $1 order by d.id"
    )
    .bind(parent_id)
    .fetch_all(p)
    .await
    })
}

/// The statuses of a bundle's children, read inside the transaction that changes one of them.
pub async fn child_statuses(tx: &mut Tx, parent_id: DossierId) -> sqlx::Result<Vec<i16>> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "select status from dossiers where parent_id = $1 order by id"
    )
    .bind(parent_id)
    .fetch_all(&mut **c)
    .await)
}

/// A bundle's status and completion time, derived from its children: returns the status it had.
pub async fn set_parent_status(
    tx: &mut Tx,
    id: DossierId,
    status: i16,
    completed_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> sqlx::Result<Option<i16>> {
    let before: Option<i16> = on_tx!(tx, |c| sqlx::query_scalar(
        "select status from dossiers where id = $1"
    )
    .bind(id)
    .fetch_optional(&mut **c)
    .await)?;
    if before == Some(status) {
        return Ok(before);
    }
    let snap = super::reports::snapshot(tx, id).await?;
    on_tx!(tx, |c| {
        sqlx::query(
        "update dossiers set closed_at = coalesce(closed_at, case when $1 in (3, 7, 8, 9, 10) then $3 end), status = $1, completed_at = coalesce($2, completed_at), updated_at = $3, version = version + 1 where id = $4"
    )
    .bind(status)
    .bind(completed_at.map(utc))
    .bind(utc(now))
    .bind(id)
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })?;
    super::reports::refresh(tx, id, snap).await?;
    Ok(before)
}

/// The agency that received a dossier (feedback about a dossier goes to it; nothing personal is read).
pub async fn receiving_agency_of(db: &Db, code: &str) -> sqlx::Result<Option<AgencyId>> {
    on_db!(db, |p| sqlx::query_scalar(
        "select receiving_agency_id from dossiers where code = $1"
    )
    .bind(code)
    .fetch_optional(p)
    .await)
}
