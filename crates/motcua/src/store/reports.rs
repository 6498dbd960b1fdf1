//! The rollups behind the leaders' figures: daily and monthly counters and the open set per competent agency and
//! procedure, kept in the transaction of each change of a dossier (see `motcua_domain::report`), and their reads.

use super::{Bind, Db, Tx, Where};
use crate::{bind_all, on_db, on_tx};
use motcua_domain::catalog::Channel;
use motcua_domain::ids::{AgencyId, DossierId};
use motcua_domain::report::{delta, Counter, Delta, Facts};
use motcua_domain::status::Status;
use time::{Date, OffsetDateTime};

/// A dossier's facts with the key it is counted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub agency_id: AgencyId,
    pub procedure_code: String,
    pub facts: Facts,
}

pub(super) type FactsRow = (
    i64,
    i64,
    String,
    i16,
    String,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    bool,
    bool,
    bool,
    bool,
    bool,
    bool,
);

pub(super) const FACTS: &str = "select d.id, d.competent_agency_id, d.procedure_code, d.status, d.channel, d.received_at, d.due_at, d.completed_at, d.closed_at, \
 d.parent_id is not null, \
 exists (select 1 from payments p where p.dossier_id = d.id and p.state = 'paid' and p.method in ('vnpay', 'dvcqg')), \
 exists (select 1 from dossier_documents x where x.dossier_id = d.id and not x.is_result), \
 exists (select 1 from dossier_documents x where x.dossier_id = d.id and not x.is_result and x.source_document_id is not null), \
 exists (select 1 from sealed_results s where s.dossier_id = d.id), \
 exists (select 1 from fee_requests f where f.dossier_id = d.id and f.amount > 0 and f.state <> 'replaced') \
 from dossiers d";

pub(super) fn decode(r: FactsRow) -> sqlx::Result<(DossierId, Snapshot)> {
    let bad = |e: motcua_domain::error::UnknownStored| sqlx::Error::Decode(Box::new(e));
    Ok((
        DossierId(r.0),
        Snapshot {
            agency_id: AgencyId(r.1),
            procedure_code: r.2,
            facts: Facts {
                status: Status::try_from(r.3).map_err(bad)?,
                channel: Channel::try_from(r.4).map_err(bad)?,
                received_at: r.5,
                due_at: r.6,
                completed_at: r.7,
                closed_at: r.8,
                bundle_child: r.9,
                paid_online: r.10,
                digitized: r.11,
                reused: r.12,
                e_result: r.13,
                charged: r.14,
            },
        },
    ))
}

/// A dossier's facts, read inside the transaction that changes it.
pub async fn snapshot(tx: &mut Tx, id: DossierId) -> sqlx::Result<Option<Snapshot>> {
    let sql = format!("{FACTS} where d.id = $1");
    let row: Option<FactsRow> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut **c)
        .await)?;
    row.map(decode).transpose().map(|o| o.map(|(_, s)| s))
}

/// Brings the rollups from a dossier's `before` snapshot to its state now (same transaction).
pub async fn refresh(tx: &mut Tx, id: DossierId, before: Option<Snapshot>) -> sqlx::Result<()> {
    let after = snapshot(tx, id).await?;
    apply_change(tx, before.as_ref(), after.as_ref()).await
}

/// Applies the change from one snapshot to another.
pub async fn apply_change(
    tx: &mut Tx,
    b: Option<&Snapshot>,
    a: Option<&Snapshot>,
) -> sqlx::Result<()> {
    let same_key = matches!((b, a), (Some(x), Some(y)) if x.agency_id == y.agency_id && x.procedure_code == y.procedure_code);
    if same_key {
        if let (Some(x), Some(y)) = (b, a) {
            if x.facts != y.facts {
                apply(
                    tx,
                    x.agency_id,
                    &x.procedure_code,
                    &delta(Some(&x.facts), Some(&y.facts)),
                )
                .await?;
            }
        }
        return Ok(());
    }
    if let Some(x) = b {
        apply(
            tx,
            x.agency_id,
            &x.procedure_code,
            &delta(Some(&x.facts), None),
        )
        .await?;
    }
    if let Some(y) = a {
        apply(
            tx,
            y.agency_id,
            &y.procedure_code,
            &delta(None, Some(&y.facts)),
        )
        .await?;
    }
    Ok(())
}

pub(super) fn ymd(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub(super) fn ym(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

pub(super) fn due_key(d: Option<Date>) -> String {
    d.map(ymd).unwrap_or_default()
}

/// The procedure code of an agency's total row (every procedure together), read by the figures that are not by
/// procedure or field, so they sum one row per agency, day and counter.
pub const TOTAL: &str = "";

/// Adds a delta to the rollups of one agency and procedure (and to the agency's total row and its province): one
/// multi-row upsert a table, the cells that share a key added together first (an upsert may touch a row once).
pub async fn apply(tx: &mut Tx, agency: AgencyId, procedure: &str, d: &Delta) -> sqlx::Result<()> {
    use std::collections::BTreeMap;
    let mut days: BTreeMap<(&str, String, i16), i64> = BTreeMap::new();
    let mut months: BTreeMap<(&str, String, i16), i64> = BTreeMap::new();
    let mut province: BTreeMap<(String, String, i16), i64> = BTreeMap::new();
    for c in &d.cells {
        let (day, month, k) = (ymd(c.day), ym(c.day), c.counter.code());
        for p in [procedure, TOTAL] {
            *days.entry((p, day.clone(), k)).or_default() += c.n;
            *months.entry((p, month.clone(), k)).or_default() += c.n;
        }
        *province.entry((day, month, k)).or_default() += c.n;
    }
    for (table, col, cells) in [
        ("report_days", "day", &days),
        ("report_months", "month", &months),
    ] {
        let rows: Vec<[Bind; 4]> = cells
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|((p, key, k), n)| {
                [
                    Bind::Text((*p).to_owned()),
                    Bind::Text(key.clone()),
                    Bind::Int(i64::from(*k)),
                    Bind::Int(*n),
                ]
            })
            .collect();
        let head =
            format!("insert into {table} (agency_id, procedure_code, {col}, counter, n) values ");
        let tail = format!(" on conflict (agency_id, {col}, procedure_code, counter) do update set n = {table}.n + excluded.n");
        upsert(tx, (&head, "($1, ", ")", &tail), agency.0, &rows).await?;
    }
    let mut by_day: BTreeMap<(&str, i16), i64> = BTreeMap::new();
    let mut by_month: BTreeMap<(&str, i16), i64> = BTreeMap::new();
    for ((day, month, k), n) in &province {
        *by_day.entry((day.as_str(), *k)).or_default() += n;
        *by_month.entry((month.as_str(), *k)).or_default() += n;
    }
    super::report_provinces::add(tx, agency.0, (&by_day, &by_month)).await?;
    let mut open: BTreeMap<(String, i16), i64> = BTreeMap::new();
    for (o, n) in [(d.leave, -1i64), (d.enter, 1)] {
        let Some(o) = o else { continue };
        *open
            .entry((due_key(o.due_day), o.status as i16))
            .or_default() += n;
    }
    let rows: Vec<[Bind; 4]> = open
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((due, k), n)| {
            [
                Bind::Text(procedure.to_owned()),
                Bind::Text(due),
                Bind::Int(i64::from(k)),
                Bind::Int(n),
            ]
        })
        .collect();
    upsert(
        tx,
        ("insert into report_open (agency_id, procedure_code, due_day, status, n) values ", "($1, ", ")", " on conflict (agency_id, procedure_code, due_day, status) do update set n = report_open.n + excluded.n"),
        agency.0,
        &rows,
    )
    .await
}

/// One statement `head (open $2, … close), … tail` over `rows`, `$1` being `first` (nothing when there are no rows).
pub(super) async fn upsert<const N: usize>(
    tx: &mut Tx,
    (head, open, close, tail): (&str, &str, &str, &str),
    first: i64,
    rows: &[[Bind; N]],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(head);
    let mut binds = vec![Bind::Int(first)];
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(open);
        let at: Vec<String> = r
            .iter()
            .map(|b| {
                binds.push(b.clone());
                format!("${}", binds.len())
            })
            .collect();
        sql.push_str(&at.join(", "));
        sql.push_str(close);
    }
    sql.push_str(tail);
    on_tx!(tx, |c| bind_all!(sqlx::query(&sql), binds)
        .execute(&mut **c)
        .await
        .map(|_| ()))
}

pub use super::report_check::check;

/// Recomputes every rollup from the dossiers, in one transaction. Returns the number of dossiers read.
pub async fn rebuild(db: &Db) -> sqlx::Result<u64> {
    let mut tx = db.begin().await?;
    for t in [
        "report_days",
        "report_months",
        "report_open",
        "report_province_days",
        "report_province_months",
    ] {
        let sql = format!("delete from {t}");
        on_tx!(&mut tx, |c| sqlx::query(&sql)
            .execute(&mut **c)
            .await
            .map(|_| ()))?;
    }
    let mut last = 0i64;
    let mut count = 0u64;
    loop {
        let sql = format!("{FACTS} where d.id > $1 order by d.id limit 2000");
        let rows: Vec<FactsRow> = on_tx!(&mut tx, |c| sqlx::query_as(&sql)
            .bind(last)
            .fetch_all(&mut **c)
            .await)?;
        if rows.is_empty() {
            break;
        }
        let mut acc = Accumulator::default();
        for r in rows {
            let (id, s) = decode(r)?;
            last = id.0;
            count += 1;
            acc.add(&s);
        }
        acc.flush(&mut tx).await?;
    }
    super::report_provinces::derive(&mut tx).await?;
    tx.commit().await?;
    Ok(count)
}

/// Sums contributions in memory before writing them (the rebuild and the bench's bulk load).
#[derive(Debug, Default)]
pub struct Accumulator {
    pub(super) cells: std::collections::HashMap<(i64, String, Date, Counter), i64>,
    pub(super) open: std::collections::HashMap<(i64, String, Option<Date>, i16), i64>,
}

impl Accumulator {
    /// Adds one dossier.
    pub fn add(&mut self, s: &Snapshot) {
        let (cells, open) = motcua_domain::report::contribution(&s.facts);
        for c in cells {
            *self
                .cells
                .entry((s.agency_id.0, s.procedure_code.clone(), c.day, c.counter))
                .or_default() += c.n;
        }
        if let Some(o) = open {
            *self
                .open
                .entry((
                    s.agency_id.0,
                    s.procedure_code.clone(),
                    o.due_day,
                    o.status as i16,
                ))
                .or_default() += 1;
        }
    }

    /// Writes and clears what was added: the day and month rows of each procedure and of the agency's total, and
    /// the open dossiers, a few hundred rows a statement (the sums are made here, so each key comes once).
    pub async fn flush(&mut self, tx: &mut Tx) -> sqlx::Result<()> {
        let mut days: std::collections::HashMap<(i64, String, String, i16), i64> =
            Default::default();
        let mut months: std::collections::HashMap<(i64, String, String, i16), i64> =
            Default::default();
        for ((agency, procedure, day, counter), n) in self.cells.drain() {
            let (d, m) = (ymd(day), ym(day));
            for p in [procedure.as_str(), TOTAL] {
                *days
                    .entry((agency, p.to_owned(), d.clone(), counter.code()))
                    .or_default() += n;
                *months
                    .entry((agency, p.to_owned(), m.clone(), counter.code()))
                    .or_default() += n;
            }
        }
        let open: Vec<_> = self
            .open
            .drain()
            .map(|((a, p, due, s), n)| (a, p, due_key(due), s, n))
            .collect();
        let flat = |m: std::collections::HashMap<(i64, String, String, i16), i64>| -> Vec<_> {
            m.into_iter()
                .map(|((a, p, k, c), n)| (a, p, k, c, n))
                .collect()
        };
        upsert_many(tx, &BULK_DAYS, &flat(days)).await?;
        upsert_many(tx, &BULK_MONTHS, &flat(months)).await?;
        upsert_many(tx, &BULK_OPEN, &open).await
    }
}

/// A rollup table for [`upsert_many`]: its name, its key's third column, the fourth column, and the conflict key.
struct Bulk {
    table: &'static str,
    columns: &'static str,
    conflict: &'static str,
}

const BULK_DAYS: Bulk = Bulk {
    table: "report_days",
    columns: "agency_id, procedure_code, day, counter, n",
    conflict: "agency_id, day, procedure_code, counter",
};
const BULK_MONTHS: Bulk = Bulk {
    table: "report_months",
    columns: "agency_id, procedure_code, month, counter, n",
    conflict: "agency_id, month, procedure_code, counter",
};
const BULK_OPEN: Bulk = Bulk {
    table: "report_open",
    columns: "agency_id, procedure_code, due_day, status, n",
    conflict: "agency_id, procedure_code, due_day, status",
};

/// Adds `n` to each row's count (inserting the rows not there yet), 400 rows a statement.
async fn upsert_many(
    tx: &mut Tx,
    b: &Bulk,
    rows: &[(i64, String, String, i16, i64)],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(400) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let k = i * 5;
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    k + 1,
                    k + 2,
                    k + 3,
                    k + 4,
                    k + 5
                )
            })
            .collect();
        let sql = format!(
            "insert into {} ({}) values {} on conflict ({}) do update set n = {}.n + excluded.n",
            b.table,
            b.columns,
            values.join(", "),
            b.conflict,
            b.table
        );
        on_tx!(tx, |cn| {
            let mut q = sqlx::query(&sql);
            for (a, p, k, c, n) in chunk {
                q = q.bind(a).bind(p).bind(k).bind(c).bind(n);
            }
            q.execute(&mut **cn).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Which agencies a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    All,
    /// Every agency of the province (its own and its communes').
    Province(String),
    /// Every agency of one unit (commune, ward, special zone, or the province's own level).
    Unit(String),
    Agency(AgencyId),
}

impl Filter {
    /// Adds the condition on the agency alias `a` and its unit `u`.
    pub(crate) fn restrict(&self, w: &mut Where) {
        match self {
            Filter::All => {}
            Filter::Province(p) => {
                let a = w.arg(Bind::Text(p.clone()));
                w.push(format!("(u.code = {a} or u.province_code = {a})"));
            }
            Filter::Unit(u) => {
                let a = w.arg(Bind::Text(u.clone()));
                w.push(format!("a.unit_code = {a}"));
            }
            Filter::Agency(id) => {
                let a = w.arg(Bind::Int(id.0));
                w.push(format!("a.id = {a}"));
            }
        }
    }
}

/// How counters are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Total,
    Agency,
    Procedure,
    Field,
    Month,
    Day,
}

impl By {
    /// `group by` of the key and label and `more` (constants are left out: PostgreSQL refuses them).
    fn group(key: &str, label: &str, more: &str) -> String {
        let cols: Vec<&str> = [key, label, more]
            .into_iter()
            .filter(|c| !c.is_empty() && !c.starts_with('\''))
            .collect();
        if cols.is_empty() {
            String::new()
        } else {
            format!(" group by {}", cols.join(", "))
        }
    }

    /// The key and label expressions (`PERIOD` stands for the day or month column).
    /// The tables a breakdown's key and label read besides the rollup `r` (none for totals, months and days: the
    /// place is already `r.agency_id in (…)`).
    fn joins(self) -> &'static str {
        match self {
            By::Total | By::Month | By::Day => "",
            By::Agency => " join agencies a on a.id = r.agency_id",
            By::Procedure | By::Field => " join procedures p on p.code = r.procedure_code",
        }
    }

    fn key(self) -> (&'static str, &'static str) {
        match self {
            By::Total => ("''", "''"),
            By::Agency => ("a.identifier", "a.name"),
            By::Procedure => ("r.procedure_code", "p.name"),
            By::Field => ("p.field", "p.field"),
            By::Month => ("substr(r.PERIOD, 1, 7)", "''"),
            By::Day => ("r.PERIOD", "''"),
        }
    }
}

/// One summed counter of a breakdown: key, label, counter, sum.
pub type Row = (String, String, Counter, i64);

/// The whole months inside `[from, to]` and the days outside them.
pub(super) type Span = (Date, Date);

pub(super) fn split(from: Date, to: Date) -> (Option<Span>, Vec<Span>) {
    let first_full = if from.day() == 1 {
        from
    } else {
        next_month(from)
    };
    let last_full_end = {
        let n = next_month(to);
        if n.previous_day() == Some(to) {
            Some(to)
        } else {
            first_of(to).previous_day()
        }
    };
    match last_full_end {
        Some(end) if first_full <= end => {
            let mut days = Vec::new();
            if from < first_full {
                days.push((from, first_full.previous_day().unwrap_or(from)));
            }
            if end < to {
                days.push((end.next_day().unwrap_or(to), to));
            }
            (Some((first_full, end)), days)
        }
        _ => (None, vec![(from, to)]),
    }
}

fn first_of(d: Date) -> Date {
    d.replace_day(1).unwrap_or(d)
}

fn next_month(d: Date) -> Date {
    let f = first_of(d);
    let (y, m) = if f.month() == time::Month::December {
        (f.year() + 1, time::Month::January)
    } else {
        (f.year(), f.month().next())
    };
    Date::from_calendar_date(y, m, 1).unwrap_or(f)
}

/// The rollups' agency condition of a place, as `r.agency_id in (…)` of the ids read first (so the rollup's key
/// is used, whatever the planner thinks of the units' `or`); `None` for the whole deployment.
pub(super) async fn agency_ids(db: &Db, f: &Filter) -> sqlx::Result<Option<String>> {
    if *f == Filter::All {
        return Ok(None);
    }
    let mut w = Where::default();
    f.restrict(&mut w);
    let sql = format!(
        "select a.id from agencies a join units u on u.code = a.unit_code{}",
        w.sql()
    );
    let ids: Vec<i64> = on_db!(db, |p| bind_all!(sqlx::query_scalar(&sql), w.binds)
        .fetch_all(p)
        .await)?;
    if ids.is_empty() {
        return Ok(Some("1 = 0".into()));
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    Ok(Some(format!("r.agency_id in ({})", list.join(", "))))
}

/// Counters summed over `[from, to]` (Vietnamese dates), broken down.
pub async fn counters(db: &Db, f: &Filter, from: Date, to: Date, by: By) -> sqlx::Result<Vec<Row>> {
    let (months, days) = split(from, to);
    let mut out: std::collections::BTreeMap<(String, String, i16), i64> = Default::default();
    let mut parts: Vec<(&str, &str, String, String)> = days
        .into_iter()
        .map(|(a, b)| ("report_days", "day", ymd(a), ymd(b)))
        .collect();
    if let Some((a, b)) = months {
        // A full-month query for a day breakdown still needs days.
        if by == By::Day {
            parts.push(("report_days", "day", ymd(a), ymd(b)));
        } else {
            parts.push(("report_months", "month", ym(a), ym(b)));
        }
    }
    if let Some(rows) = by_province(db, f, by, &parts).await? {
        for (k, c, n) in rows {
            *out.entry((k, String::new(), c)).or_default() += n;
        }
        return decoded(out);
    }
    let ids = agency_ids(db, f).await?;
    for (table, col, a, b) in parts {
        let mut w = Where::default();
        if let Some(ids) = &ids {
            w.push(ids.clone());
        }
        let pa = w.arg(Bind::Text(a));
        let pb = w.arg(Bind::Text(b));
        w.push(format!("r.{col} between {pa} and {pb}"));
        let (key, label) = by.key();
        let key = key.replace("PERIOD", col);
        let by_procedure = matches!(by, By::Procedure | By::Field);
        w.push(
            if by_procedure {
                "r.procedure_code <> ''"
            } else {
                "r.procedure_code = ''"
            }
            .to_owned(),
        );
        let sql = format!(
            "select {key}, {label}, r.counter, cast(sum(r.n) as bigint) from {table} r{}{}{}",
            by.joins(),
            w.sql(),
            By::group(&key, label, "r.counter")
        );
        let rows: Vec<(String, String, i16, i64)> =
            on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
                .fetch_all(p)
                .await)?;
        for (k, l, c, n) in rows {
            *out.entry((k, l, c)).or_default() += n;
        }
    }
    decoded(out)
}

/// A province's or the nation's totals by period read from the province rollups (`None` for other places and
/// breakdowns).
async fn by_province(
    db: &Db,
    f: &Filter,
    by: By,
    parts: &[(&str, &str, String, String)],
) -> sqlx::Result<Option<Vec<(String, i16, i64)>>> {
    use super::report_provinces::{sums, Key};
    let province = match f {
        Filter::All => None,
        Filter::Province(p) => Some(p.as_str()),
        Filter::Unit(_) | Filter::Agency(_) => return Ok(None),
    };
    let key = match by {
        By::Total => Key::Whole,
        By::Month => Key::Month,
        By::Day => Key::Day,
        By::Agency | By::Procedure | By::Field => return Ok(None),
    };
    let mut rows = Vec::new();
    for (_, col, a, b) in parts {
        rows.extend(sums(db, province, (*col == "day", a, b), key).await?);
    }
    Ok(Some(rows))
}

fn decoded(out: std::collections::BTreeMap<(String, String, i16), i64>) -> sqlx::Result<Vec<Row>> {
    out.into_iter()
        .map(|((k, l, c), n)| {
            Counter::from_code(c)
                .map(|c| (k, l, c, n))
                .map_err(|e| sqlx::Error::Decode(Box::new(e)))
        })
        .collect()
}

/// Open dossiers now, broken down: key, label, within deadline on `reference`, overdue, waiting for a supplement.
pub async fn open_now(
    db: &Db,
    f: &Filter,
    reference: Date,
    by: By,
) -> sqlx::Result<Vec<(String, String, i64, i64, i64)>> {
    let mut w = Where::default();
    if let Some(ids) = agency_ids(db, f).await? {
        w.push(ids);
    }
    let r = w.arg(Bind::Text(ymd(reference)));
    let (key, label) = by.key();
    let key = key.replace("PERIOD", "due_day");
    let sql = format!("select {key}, {label}, cast(coalesce(sum(case when r.due_day = '' or r.due_day >= {r} then r.n else 0 end), 0) as bigint), cast(coalesce(sum(case when r.due_day <> '' and r.due_day < {r} then r.n else 0 end), 0) as bigint), cast(coalesce(sum(case when r.status = 5 then r.n else 0 end), 0) as bigint) from report_open r{}{}{}", by.joins(), w.sql(), By::group(&key, label, ""));
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}

/// Dossiers that were open at the end of a past day, from the raw dossiers (a past period's snapshot): key, label,
/// within deadline, overdue (the supplement wait of the past is not kept: 0).
pub async fn open_at(
    db: &Db,
    f: &Filter,
    end: OffsetDateTime,
    reference_start: OffsetDateTime,
    by: By,
) -> sqlx::Result<Vec<(String, String, i64, i64, i64)>> {
    let mut w = Where::default();
    f.restrict(&mut w);
    let e = w.arg(Bind::Time(super::utc(end)));
    let s = w.arg(Bind::Time(super::utc(reference_start)));
    w.push(format!("d.parent_id is null and d.received_at is not null and d.received_at < {e} and (d.closed_at is null or d.closed_at >= {e}) and d.status <> 3"));
    let (key, label) = by.key();
    let key = key
        .replace("r.procedure_code", "d.procedure_code")
        .replace("r.PERIOD", "''");
    let sql = format!("select {key}, {label}, cast(coalesce(sum(case when d.due_at is null or d.due_at >= {s} then 1 else 0 end), 0) as bigint), cast(coalesce(sum(case when d.due_at is not null and d.due_at < {s} then 1 else 0 end), 0) as bigint), cast(0 as bigint) from dossiers d join agencies a on a.id = d.competent_agency_id join units u on u.code = a.unit_code join procedures p on p.code = d.procedure_code{}{}", w.sql(), By::group(&key, label, ""));
    on_db!(db, |p| bind_all!(sqlx::query_as(&sql), w.binds)
        .fetch_all(p)
        .await)
}

#[cfg(test)]
mod tests {
    use super::split;
    use time::macros::date;

    #[test]
    fn a_period_splits_into_whole_months_and_edge_days() {
        assert_eq!(
            split(date!(2026 - 01 - 01), date!(2026 - 03 - 31)),
            (Some((date!(2026 - 01 - 01), date!(2026 - 03 - 31))), vec![])
        );
        assert_eq!(
            split(date!(2026 - 01 - 15), date!(2026 - 04 - 03)),
            (
                Some((date!(2026 - 02 - 01), date!(2026 - 03 - 31))),
                vec![
                    (date!(2026 - 01 - 15), date!(2026 - 01 - 31)),
                    (date!(2026 - 04 - 01), date!(2026 - 04 - 03))
                ]
            )
        );
        assert_eq!(
            split(date!(2026 - 01 - 15), date!(2026 - 02 - 10)),
            (None, vec![(date!(2026 - 01 - 15), date!(2026 - 02 - 10))])
        );
        assert_eq!(
            split(date!(2026 - 12 - 01), date!(2026 - 12 - 31)),
            (Some((date!(2026 - 12 - 01), date!(2026 - 12 - 31))), vec![])
        );
    }
}
