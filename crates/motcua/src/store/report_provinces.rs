//! Province rollups: each province's total per day and per month and counter, the agencies' total rows summed.
//! A province's figures (or the nation's) read them instead of every agency's rows. Kept in the same transaction
//! as the agencies' rows ([`add`]); [`derive`] recomputes them from those rows (the rebuild and the bulk load);
//! `motcua reports check` compares them.

use super::{Bind, Tx};
use crate::{on_db, on_tx};

/// The province of an agency, as SQL over the agency alias `a` and its unit `u`.
pub(super) const PROVINCE_OF: &str = "coalesce(u.province_code, u.code)";

/// Adds to the agency's province its counts by day and by month (and counter), one statement a table.
pub(super) async fn add(
    tx: &mut Tx,
    agency: i64,
    (days, months): (&Counts<'_>, &Counts<'_>),
) -> sqlx::Result<()> {
    for (table, col, cells) in [
        ("report_province_days", "day", days),
        ("report_province_months", "month", months),
    ] {
        let rows: Vec<[Bind; 3]> = cells
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|((key, k), n)| {
                [
                    Bind::Text((*key).to_owned()),
                    Bind::Int(i64::from(*k)),
                    Bind::Int(*n),
                ]
            })
            .collect();
        let head = format!("insert into {table} (province_code, {col}, counter, n) select {PROVINCE_OF}, v.column1, v.column2, v.column3 from agencies a join units u on u.code = a.unit_code, (values ");
        let tail = format!(") v where a.id = $1 on conflict (province_code, {col}, counter) do update set n = {table}.n + excluded.n");
        super::reports::upsert(tx, (&head, "(", ")", &tail), agency, &rows).await?;
    }
    Ok(())
}

/// Counts by key (a day or a month) and counter.
pub(super) type Counts<'a> = std::collections::BTreeMap<(&'a str, i16), i64>;

/// Recomputes the province rollups from the agencies' total rows.
pub async fn derive(tx: &mut Tx) -> sqlx::Result<()> {
    for (table, from, col) in [
        ("report_province_days", "report_days", "day"),
        ("report_province_months", "report_months", "month"),
    ] {
        let del = format!("delete from {table}");
        let ins = format!("insert into {table} (province_code, {col}, counter, n) select {PROVINCE_OF}, r.{col}, r.counter, sum(r.n) from {from} r join agencies a on a.id = r.agency_id join units u on u.code = a.unit_code where r.procedure_code = '' group by {PROVINCE_OF}, r.{col}, r.counter");
        on_tx!(tx, |c| {
            sqlx::query(&del).execute(&mut **c).await?;
            sqlx::query(&ins).execute(&mut **c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Sums of one province (or of all, `None`) over `[a, b]` of the day or month column, keyed by the whole period
/// (`whole`), by month or by day: key, counter, sum.
pub(super) async fn sums(
    db: &super::Db,
    province: Option<&str>,
    (day, a, b): (bool, &str, &str),
    key: Key,
) -> sqlx::Result<Vec<(String, i16, i64)>> {
    let (table, col) = if day {
        ("report_province_days", "day")
    } else {
        ("report_province_months", "month")
    };
    let k = match key {
        Key::Whole => "''".to_owned(),
        Key::Month => format!("substr(r.{col}, 1, 7)"),
        Key::Day => format!("r.{col}"),
    };
    let group = if key == Key::Whole {
        "r.counter".to_owned()
    } else {
        format!("{k}, r.counter")
    };
    let place = if province.is_some() {
        " and r.province_code = $3"
    } else {
        ""
    };
    let sql = format!("select {k}, r.counter, cast(sum(r.n) as bigint) from {table} r where r.{col} between $1 and $2{place} group by {group}");
    on_db!(db, |p| {
        let q = sqlx::query_as(&sql).bind(a).bind(b);
        match province {
            Some(pr) => q.bind(pr),
            None => q,
        }
        .fetch_all(p)
        .await
    })
}

/// The breakdown of [`sums`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Whole,
    Month,
    Day,
}
