//! The catalog, rating and feedback counts behind the Decision 766 index (small tables: read directly).

use super::reports::Filter;
use super::{utc, Bind, Db, Where};
use crate::{bind_all, on_db};
use time::{Date, OffsetDateTime};

/// The catalog counts of the procedures a scope handles.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub total: i64,
    pub online: i64,
    pub complete: i64,
    /// Codes of the procedures offered online (partly or fully).
    pub online_codes: Vec<String>,
}

/// Procedures of the province tier, the commune tier or both, with a province's own online level where set.
pub async fn catalog(
    db: &Db,
    province_tier: bool,
    commune_tier: bool,
    province: Option<&str>,
) -> sqlx::Result<Catalog> {
    let mut w = Where::default();
    let levels = match (province_tier, commune_tier) {
        (true, true) => "(p.level_province or p.level_commune)",
        (true, false) => "p.level_province",
        _ => "p.level_commune",
    };
    w.push(levels.to_owned());
    let prov = w.arg(Bind::Text(province.unwrap_or("").to_owned()));
    let sql = format!("select p.code, coalesce(f.online_level, p.online_level), p.parse_status from procedures p left join procedure_flags f on f.procedure_code = p.code and f.province_code = {prov}{}", w.sql());
    let rows: Vec<(String, String, String)> =
        on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
            .fetch_all(p)
            .await)?;
    let mut c = Catalog::default();
    for (code, online, parse) in rows {
        c.total += 1;
        if parse == "full" {
            c.complete += 1;
        }
        if online == "full" || online == "partial" {
            c.online += 1;
            c.online_codes.push(code);
        }
    }
    Ok(c)
}

fn place(f: &Filter, w: &mut Where, agency_col: &str) {
    match f {
        Filter::All => {}
        Filter::Province(p) => {
            let a = w.arg(Bind::Text(p.clone()));
            w.push(format!("exists (select 1 from agencies a join units u on u.code = a.unit_code where a.id = {agency_col} and (u.code = {a} or u.province_code = {a}))"));
        }
        Filter::Unit(u) => {
            let a = w.arg(Bind::Text(u.clone()));
            w.push(format!(
                "exists (select 1 from agencies a where a.id = {agency_col} and a.unit_code = {a})"
            ));
        }
        Filter::Agency(id) => {
            let a = w.arg(Bind::Int(id.0));
            w.push(format!("{agency_col} = {a}"));
        }
    }
}

/// Ratings given in `[from, to)` for dossiers of the scope (not bundle children), and of them "không hài lòng".
pub async fn ratings(
    db: &Db,
    f: &Filter,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<(i64, i64)> {
    let mut w = Where::default();
    place(f, &mut w, "d.competent_agency_id");
    let a = w.arg(Bind::Time(utc(from)));
    let b = w.arg(Bind::Time(utc(to)));
    w.push(format!("r.rated_at >= {a} and r.rated_at < {b}"));
    let sql = format!("select count(*), coalesce(sum(case when r.level = 3 then 1 else 0 end), 0) from ratings r join dossiers d on d.id = r.dossier_id{}", w.sql());
    let (n, unhappy): (i64, i64) = on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_one(p)
        .await)?;
    Ok((n, unhappy))
}

/// Feedback received in `[from, to)` by agencies of the scope.
pub async fn feedback(
    db: &Db,
    f: &Filter,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> sqlx::Result<i64> {
    let mut w = Where::default();
    place(f, &mut w, "x.agency_id");
    let a = w.arg(Bind::Time(utc(from)));
    let b = w.arg(Bind::Time(utc(to)));
    w.push(format!("x.created_at >= {a} and x.created_at < {b}"));
    let sql = format!("select count(*) from feedback x{}", w.sql());
    on_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.binds)
        .fetch_one(p)
        .await)
}

/// The procedures with at least one dossier counted under `counter` in `[from, to]` (Vietnamese dates): read from
/// the rollups without joining or grouping the other counters (the 766 index asks which online services were used).
pub async fn procedures_counted(
    db: &Db,
    f: &Filter,
    (from, to): (Date, Date),
    counter: motcua_domain::report::Counter,
) -> sqlx::Result<std::collections::HashSet<String>> {
    use super::reports::{agency_ids, split, ym, ymd};
    let (months, days) = split(from, to);
    let mut parts: Vec<(&str, &str, String, String)> = days
        .into_iter()
        .map(|(a, b)| ("report_days", "day", ymd(a), ymd(b)))
        .collect();
    if let Some((a, b)) = months {
        parts.push(("report_months", "month", ym(a), ym(b)));
    }
    let ids = agency_ids(db, f).await?;
    let mut out = std::collections::HashSet::new();
    if ids.is_none() {
        // The whole deployment: each catalog procedure looked up by its counter index, not every agency's rows.
        for (table, col, a, b) in parts {
            let sql = format!("select c.code from procedures c where exists (select 1 from {table} r where r.counter = $1 and r.procedure_code = c.code and r.{col} between $2 and $3 and r.n > 0)");
            let codes: Vec<String> = on_db!(db, |p| sqlx::query_scalar(&sql)
                .bind(counter as i16)
                .bind(&a)
                .bind(&b)
                .fetch_all(p)
                .await)?;
            out.extend(codes);
        }
        return Ok(out);
    }
    for (table, col, a, b) in parts {
        let mut w = Where::default();
        if let Some(ids) = &ids {
            w.push(ids.clone());
        }
        let pc = w.arg(Bind::Int(i64::from(counter as i16)));
        // `+r.counter`: the agencies' rows are found by the primary key (agency first); without the plus SQLite
        // picks the counter index of the whole deployment and reads every agency's rows of that counter.
        w.push(format!("+r.counter = {pc}"));
        let pa = w.arg(Bind::Text(a));
        let pb = w.arg(Bind::Text(b));
        w.push(format!("r.{col} between {pa} and {pb}"));
        w.push("r.procedure_code <> '' and r.n > 0".to_owned());
        let sql = format!("select distinct r.procedure_code from {table} r{}", w.sql());
        let codes: Vec<String> = on_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.binds)
            .fetch_all(p)
            .await)?;
        out.extend(codes);
    }
    Ok(out)
}

/// The agencies of a place, as (identifier, name), for choosing a unit in the report forms; `None` for the whole
/// deployment (thousands: the form then offers those with dossiers).
pub async fn agencies_in(db: &Db, f: &Filter) -> sqlx::Result<Option<Vec<(String, String)>>> {
    if *f == Filter::All {
        return Ok(None);
    }
    let mut w = Where::default();
    f.restrict(&mut w);
    let sql = format!(
        "select a.identifier, a.name from agencies a join units u on u.code = a.unit_code{} order by a.name",
        w.sql()
    );
    let rows: Vec<(String, String)> = on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)?;
    Ok(Some(rows))
}
