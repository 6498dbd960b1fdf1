//! Yearly official calendar overrides (extra days off, swapped working Saturdays), entered as data.

use super::{Db, Tx};
use crate::{on_db, on_tx};
use motcua_domain::calendar::{DayOverride, OverrideKind};
use time::Date;

/// All overrides.
pub async fn list(db: &Db) -> sqlx::Result<Vec<DayOverride>> {
    let rows: Vec<(Date, String, String)> = on_db!(db, |p| sqlx::query_as(
        "select day, kind, note from calendar_overrides order by day"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(date, kind, note)| {
            Some(DayOverride {
                date,
                kind: OverrideKind::parse(&kind)?,
                note,
            })
        })
        .collect())
}

/// Inserts or replaces overrides.
pub async fn upsert(tx: &mut Tx, rows: &[DayOverride], source: &str) -> sqlx::Result<usize> {
    for o in rows {
        on_tx!(&mut *tx, |c| {
            sqlx::query("insert into calendar_overrides (day, kind, note, source) values ($1, $2, $3, $4) on conflict (day) do update set kind = excluded.kind, note = excluded.note, source = excluded.source")
            .bind(o.date).bind(o.kind.as_str()).bind(&o.note).bind(source)
            .execute(&mut **c)
            .await.map(|r| r.rows_affected())
        })?;
    }
    Ok(rows.len())
}
