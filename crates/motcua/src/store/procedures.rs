//! The procedure catalog: national records, their parsed detail (JSON) and the raw text beside it.

use super::{utc, Bind, Db, Tx, Where};
use crate::{bind_all, on_db, on_tx};
use motcua_domain::ids::UserId;
use serde::Serialize;
use time::OffsetDateTime;

/// A catalog row (list view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ProcedureRow {
    pub code: String,
    pub name: String,
    pub field: String,
    pub level_ministry: bool,
    pub level_province: bool,
    pub level_commune: bool,
    pub level_other: bool,
    pub procedure_type: String,
    pub decision: String,
    pub issuing_agency: String,
    pub implementing_agency: String,
    pub online_level: String,
    pub boundary_free: bool,
    pub cutoff: Option<String>,
    pub parse_status: String,
    /// The published record states a time limit (`None` only before the start-up fill).
    pub has_limit: Option<bool>,
}

/// A catalog row with its parsed detail and raw text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProcedureFull {
    #[sqlx(flatten)]
    pub row: ProcedureRow,
    pub detail: Option<String>,
    pub raw: Option<String>,
    pub source: String,
}

/// A procedure to write.
#[derive(Debug, Clone)]
pub struct ProcedureInput {
    pub code: String,
    pub name: String,
    pub field: String,
    pub levels: motcua_domain::catalog::Levels,
    pub procedure_type: String,
    pub decision: String,
    pub issuing_agency: String,
    pub implementing_agency: String,
    pub ministry_group: String,
    pub online_level: String,
    pub cutoff: Option<String>,
    pub parse_status: String,
    /// The parsed record states a time limit (a record without detail: `false`).
    pub has_limit: bool,
    pub detail: Option<String>,
    pub raw: Option<String>,
    pub source: String,
}

const LIST_COLS: &str = "code, name, field, level_ministry, level_province, level_commune, level_other, procedure_type, decision, issuing_agency, implementing_agency, online_level, boundary_free, cutoff, parse_status, has_limit";

/// Inserts or updates procedures. A record without detail never erases detail already imported, and the
/// boundary-free flag (set by the province) is kept.
pub async fn upsert(
    tx: &mut Tx,
    rows: &[ProcedureInput],
    now: OffsetDateTime,
) -> sqlx::Result<usize> {
    let now = utc(now);
    for chunk in rows.chunks(200) {
        on_tx!(&mut *tx, |c| {
            let mut qb = sqlx::QueryBuilder::new("insert into procedures (code, national_code, name, search_key, field, field_key, level_ministry, level_province, level_commune, level_other, procedure_type, decision, issuing_agency, implementing_agency, ministry_group, online_level, boundary_free, cutoff, parse_status, has_limit, detail, raw, source, updated_at) ");
            qb.push_values(chunk, |mut b, r| {
                let key = motcua_domain::text::search_key(&format!("{} {}", r.code, r.name));
                b.push_bind(&r.code)
                    .push_bind(r.code.get(..8).unwrap_or(&r.code).to_owned())
                    .push_bind(&r.name)
                    .push_bind(key)
                    .push_bind(&r.field)
                    .push_bind(motcua_domain::text::search_key(&r.field))
                    .push_bind(r.levels.ministry)
                    .push_bind(r.levels.province)
                    .push_bind(r.levels.commune)
                    .push_bind(r.levels.other)
                    .push_bind(&r.procedure_type)
                    .push_bind(&r.decision)
                    .push_bind(&r.issuing_agency)
                    .push_bind(&r.implementing_agency)
                    .push_bind(&r.ministry_group)
                    .push_bind(&r.online_level)
                    .push_bind(false)
                    .push_bind(&r.cutoff)
                    .push_bind(&r.parse_status)
                    .push_bind(r.has_limit)
                    .push_bind(&r.detail)
                    .push_bind(&r.raw)
                    .push_bind(&r.source)
                    .push_bind(now);
            });
            qb.push(" on conflict (code) do update set name = excluded.name, search_key = excluded.search_key, field = excluded.field, field_key = excluded.field_key, level_ministry = excluded.level_ministry, level_province = excluded.level_province, level_commune = excluded.level_commune, level_other = excluded.level_other, procedure_type = case when excluded.procedure_type = '' then procedures.procedure_type else excluded.procedure_type end, decision = excluded.decision, issuing_agency = case when excluded.issuing_agency = '' then procedures.issuing_agency else excluded.issuing_agency end, implementing_agency = case when excluded.implementing_agency = '' then procedures.implementing_agency else excluded.implementing_agency end, ministry_group = case when excluded.ministry_group = '' then procedures.ministry_group else excluded.ministry_group end, online_level = case when excluded.detail is null then procedures.online_level else excluded.online_level end, cutoff = case when excluded.detail is null then procedures.cutoff else excluded.cutoff end, parse_status = case when excluded.detail is null then procedures.parse_status else excluded.parse_status end, has_limit = case when excluded.detail is null and procedures.detail is not null then procedures.has_limit else excluded.has_limit end, detail = coalesce(excluded.detail, procedures.detail), raw = coalesce(excluded.raw, procedures.raw), source = excluded.source, updated_at = excluded.updated_at");
            qb.build().execute(&mut **c).await?;
        });
    }
    Ok(rows.len())
}

/// Search filters.
#[derive(Debug, Default, Clone)]
pub struct ProcedureFilter {
    /// Free text, diacritics-insensitive; also matches the code.
    pub q: Option<String>,
    /// "province", "commune", "ministry" or "other".
    pub level: Option<String>,
    /// Field name, diacritics-insensitive.
    pub field: Option<String>,
    pub boundary_free: Option<bool>,
    /// Show (and filter on) this province's own online levels and boundary-free flags over the national ones.
    pub province: Option<String>,
    /// Only procedures whose published record states no time limit.
    pub no_limit: bool,
    pub limit: i64,
    pub offset: i64,
}

/// The procedures as a province sees them: its own flags over the national ones (`procedures` itself for none).
fn source(w: &mut Where, province: Option<&str>) -> String {
    match province {
        None => "procedures".into(),
        Some(p) => {
            let a = w.arg(Bind::Text(p.to_owned()));
            format!(
                "(select p.code, p.name, p.field, p.field_key, p.search_key, p.level_ministry, p.level_province, p.level_commune, p.level_other, p.procedure_type, p.decision, p.issuing_agency, p.implementing_agency, coalesce(f.online_level, p.online_level) as online_level, coalesce(f.boundary_free, p.boundary_free) as boundary_free, p.cutoff, p.parse_status, p.has_limit from procedures p left join procedure_flags f on f.procedure_code = p.code and f.province_code = {a}) procedures"
            )
        }
    }
}

fn filter_where(f: &ProcedureFilter) -> (Where, String) {
    let mut w = Where::default();
    let from = source(&mut w, f.province.as_deref());
    if let Some(q) =
        f.q.as_deref()
            .map(motcua_domain::text::search_key)
            .filter(|q| !q.is_empty())
    {
        // Every word must start a word of the name (a prefix, so typing "khai si" works; "hon" does not match
        // inside "thong").
        for word in q.split(' ') {
            let a = w.arg(Bind::Text(format!("% {word}%")));
            w.push(format!("(' ' || search_key) like {a}"));
        }
    }
    match f.level.as_deref() {
        Some("province") => w.push("level_province".into()),
        Some("commune") => w.push("level_commune".into()),
        Some("ministry") => w.push("level_ministry".into()),
        Some("other") => w.push("level_other".into()),
        _ => {}
    }
    if let Some(field) = f
        .field
        .as_deref()
        .map(motcua_domain::text::search_key)
        .filter(|x| !x.is_empty())
    {
        let a = w.arg(Bind::Text(field));
        w.push(format!("field_key = {a}"));
    }
    if let Some(b) = f.boundary_free {
        w.push(if b {
            "boundary_free".into()
        } else {
            "not boundary_free".into()
        });
    }
    if f.no_limit {
        w.push("not coalesce(has_limit, false)".into());
    }
    (w, from)
}

/// Searches the catalog: total matches and one page, phrase matches first.
pub async fn search(db: &Db, f: &ProcedureFilter) -> sqlx::Result<(i64, Vec<ProcedureRow>)> {
    let (mut w, from) = filter_where(f);
    let count_sql = format!("select count(*) from {from}{}", w.sql());
    let total: i64 = on_db!(db, |p| bind_all!(sqlx::query_scalar(&count_sql), w.binds)
        .fetch_one(p)
        .await)?;
    let phrase =
        f.q.as_deref()
            .map(motcua_domain::text::search_key)
            .unwrap_or_default();
    let ph = w.arg(Bind::Text(format!("% {phrase}%")));
    let lim = w.arg(Bind::Int(f.limit));
    let off = w.arg(Bind::Int(f.offset));
    let sql = format!(
        "select {LIST_COLS} from {from}{} order by case when (' ' || search_key) like {ph} then 0 else 1 end, level_commune desc, code limit {lim} offset {off}",
        w.sql()
    );
    let rows = on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)?;
    Ok((total, rows))
}

/// One procedure with detail.
pub async fn get(db: &Db, code: &str) -> sqlx::Result<Option<ProcedureFull>> {
    let sql = format!("select {LIST_COLS}, detail, raw, source from procedures where code = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(p)
        .await)
}

/// One procedure with detail, with a province's own online level and boundary-free flag over the national ones.
pub async fn get_in(db: &Db, code: &str, province: &str) -> sqlx::Result<Option<ProcedureFull>> {
    let cols = LIST_COLS
        .split(", ")
        .map(|c| match c {
            "online_level" => "coalesce(f.online_level, p.online_level) as online_level".to_owned(),
            "boundary_free" => {
                "coalesce(f.boundary_free, p.boundary_free) as boundary_free".to_owned()
            }
            c => format!("p.{c}"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("select {cols}, p.detail, p.raw, p.source from procedures p left join procedure_flags f on f.procedure_code = p.code and f.province_code = $2 where p.code = $1");
    on_db!(db, |p| sqlx::query_as(&sql)
        .bind(code)
        .bind(province)
        .fetch_optional(p)
        .await)
}

/// Whether any province lets this procedure be submitted online (its own level or the national one).
pub async fn online_somewhere(db: &Db, code: &str) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, |p| {
        sqlx::query_scalar(
        "select count(*) from procedures p where p.code = $1 and (p.online_level <> 'none' or exists (select 1 from procedure_flags f where f.procedure_code = p.code and f.online_level <> 'none'))"
    )
    .bind(code)
    .fetch_one(p)
    .await
    })?;
    Ok(n > 0)
}

/// The provinces that set their own online level or boundary-free flag for a procedure: (province name, online
/// level, boundary-free), by name.
pub async fn province_overrides(
    db: &Db,
    code: &str,
) -> sqlx::Result<Vec<(String, Option<String>, Option<bool>)>> {
    on_db!(db, |p| {
        sqlx::query_as(
        "select u.name, f.online_level, f.boundary_free from procedure_flags f join units u on u.code = f.province_code where f.procedure_code = $1 order by u.name"
    )
    .bind(code)
    .fetch_all(p)
    .await
    })
}

/// A province's own flags for a procedure (`None` leaves that flag as it is).
#[derive(Debug, Clone)]
pub struct ProvinceFlags<'a> {
    pub province: &'a str,
    pub procedure: &'a str,
    pub online_level: Option<&'a str>,
    pub boundary_free: Option<bool>,
    pub by: Option<UserId>,
}

/// Sets a province's own online level and/or boundary-free flag for a procedure; returns rows written.
pub async fn set_province_flags(
    tx: &mut Tx,
    f: &ProvinceFlags<'_>,
    now: OffsetDateTime,
) -> sqlx::Result<u64> {
    on_tx!(tx, |c| {
        sqlx::query(
        "insert into procedure_flags (province_code, procedure_code, online_level, boundary_free, updated_by, updated_at) select $1, code, $3, $4, $5, $6 from procedures where code = $2 \
         on conflict (province_code, procedure_code) do update set online_level = coalesce(excluded.online_level, procedure_flags.online_level), boundary_free = coalesce(excluded.boundary_free, procedure_flags.boundary_free), updated_by = excluded.updated_by, updated_at = excluded.updated_at"
    )
    .bind(f.province)
    .bind(f.procedure)
    .bind(f.online_level)
    .bind(f.boundary_free)
    .bind(f.by)
    .bind(utc(now))
    .execute(&mut **c)
    .await
    .map(|r| r.rows_affected())
    })
}

/// Sets the national boundary-free flag inside a transaction.
pub async fn set_boundary_free_tx(tx: &mut Tx, codes: &[String], on: bool) -> sqlx::Result<u64> {
    let mut n = 0;
    for code in codes {
        n += on_tx!(&mut *tx, |c| sqlx::query(
            "update procedures set boundary_free = $1 where code = $2"
        )
        .bind(on)
        .bind(code)
        .execute(&mut **c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(n)
}

/// Sets online levels (full | partial | none) by code.
pub async fn set_online_levels(tx: &mut Tx, pairs: &[(String, String)]) -> sqlx::Result<u64> {
    let mut n = 0;
    for (code, level) in pairs {
        n += on_tx!(&mut *tx, |c| sqlx::query(
            "update procedures set online_level = $1 where code = $2"
        )
        .bind(level)
        .bind(code)
        .execute(&mut **c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(n)
}

/// Distinct fields with their procedure counts.
pub async fn fields(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, |p| sqlx::query_as(
        "select field, count(*) from procedures group by field order by field"
    )
    .fetch_all(p)
    .await)
}

/// Counts procedures by parse status.
pub async fn parse_counts(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, |p| sqlx::query_as(
        "select parse_status, count(*) from procedures group by parse_status order by parse_status"
    )
    .fetch_all(p)
    .await)
}

/// Fills `has_limit` for procedures imported before it existed, from their parsed records. Returns how many.
pub async fn fill_has_limit(db: &Db) -> sqlx::Result<usize> {
    let rows: Vec<(String, Option<String>)> = on_db!(db, |p| sqlx::query_as(
        "select code, detail from procedures where has_limit is null"
    )
    .fetch_all(p)
    .await)?;
    for (code, detail) in &rows {
        let has = motcua_domain::catalog::Detail::states_limit(detail.as_deref());
        on_db!(db, |p| sqlx::query(
            "update procedures set has_limit = $1 where code = $2"
        )
        .bind(has)
        .bind(code)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(rows.len())
}

/// Every procedure's code and parsed record (for reports over the whole catalog).
pub async fn all_details(db: &Db) -> sqlx::Result<Vec<(String, Option<String>)>> {
    on_db!(db, |p| sqlx::query_as(
        "select code, detail from procedures order by code"
    )
    .fetch_all(p)
    .await)
}

/// What the search index reads of a procedure: its list row and parsed record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchRow {
    #[sqlx(flatten)]
    pub row: ProcedureRow,
    pub detail: Option<String>,
}

/// Every procedure, for the search index.
pub async fn search_rows(db: &Db) -> sqlx::Result<Vec<SearchRow>> {
    let sql = format!("select {LIST_COLS}, detail from procedures order by code");
    on_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)
}

/// A cheap fingerprint of the catalog: when it changes, the search index is rebuilt.
pub async fn version(db: &Db) -> sqlx::Result<String> {
    let (n, last): (i64, Option<OffsetDateTime>) = on_db!(db, |p| sqlx::query_as(
        "select count(*), max(updated_at) from procedures"
    )
    .fetch_one(p)
    .await)?;
    Ok(format!(
        "{n}/{}",
        last.map(|t| t.unix_timestamp_nanos()).unwrap_or_default()
    ))
}

/// The rows of the given procedures that pass the filter's other conditions (its free text is ignored), in no
/// particular order.
pub async fn rows_of(
    db: &Db,
    codes: &[&str],
    f: &ProcedureFilter,
) -> sqlx::Result<Vec<ProcedureRow>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let f = ProcedureFilter {
        q: None,
        ..f.clone()
    };
    let (mut w, from) = filter_where(&f);
    let list: Vec<String> = codes
        .iter()
        .map(|c| w.arg(Bind::Text((*c).to_owned())))
        .collect();
    w.push(format!("code in ({})", list.join(", ")));
    let sql = format!("select {LIST_COLS} from {from}{}", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}

/// Every stored procedure's name by code.
pub async fn names(db: &Db) -> sqlx::Result<std::collections::HashMap<String, String>> {
    let rows: Vec<(String, String)> =
        on_db!(db, |p| sqlx::query_as("select code, name from procedures")
            .fetch_all(p)
            .await)?;
    Ok(rows.into_iter().collect())
}
