//! `motcua reports check`: the stored rollups compared with a recount from the dossiers, cell by cell.

use super::report_provinces::PROVINCE_OF;
use super::reports::{decode, due_key, ym, ymd, Accumulator, FactsRow, FACTS, TOTAL};
use super::Db;
use crate::on_db;

/// Compares the stored rollups with a recount from the dossiers: one line per cell that differs.
pub async fn check(db: &Db) -> sqlx::Result<Vec<String>> {
    let mut acc = Accumulator::default();
    let mut last = 0i64;
    loop {
        let sql = format!("{FACTS} where d.id > $1 order by d.id limit 5000");
        let rows: Vec<FactsRow> =
            on_db!(db, |p| sqlx::query_as(&sql).bind(last).fetch_all(p).await)?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            let (id, s) = decode(r)?;
            last = id.0;
            acc.add(&s);
        }
    }
    let mut want: std::collections::BTreeMap<String, i64> = Default::default();
    for ((a, p, d, c), n) in &acc.cells {
        for p in [p.as_str(), TOTAL] {
            *want
                .entry(format!("ngày/day {a} {p} {} {}", ymd(*d), c.code()))
                .or_default() += n;
            *want
                .entry(format!("tháng/month {a} {p} {} {}", ym(*d), c.code()))
                .or_default() += n;
        }
    }
    for ((a, p, d, s), n) in &acc.open {
        *want
            .entry(format!("đang mở/open {a} {p} {} {s}", due_key(*d)))
            .or_default() += n;
    }
    let province_of: std::collections::HashMap<i64, String> = on_db!(db, |p| sqlx::query_as(
        &format!("select a.id, {PROVINCE_OF} from agencies a join units u on u.code = a.unit_code")
    )
    .fetch_all(p)
    .await)?
    .into_iter()
    .collect();
    for ((a, _, d, c), n) in &acc.cells {
        let pr = province_of.get(a).map_or("?", String::as_str);
        *want
            .entry(format!(
                "tỉnh, ngày/province day {pr} {} {}",
                ymd(*d),
                c.code()
            ))
            .or_default() += n;
        *want
            .entry(format!(
                "tỉnh, tháng/province month {pr} {} {}",
                ym(*d),
                c.code()
            ))
            .or_default() += n;
    }
    let mut have: std::collections::BTreeMap<String, i64> = Default::default();
    for (table, col, label) in [
        ("report_province_days", "day", "tỉnh, ngày/province day"),
        (
            "report_province_months",
            "month",
            "tỉnh, tháng/province month",
        ),
    ] {
        let sql = format!("select province_code, {col}, counter, n from {table} where n <> 0");
        let rows: Vec<(String, String, i16, i64)> =
            on_db!(db, |p| sqlx::query_as(&sql).fetch_all(p).await)?;
        for (pr, d, c, n) in rows {
            have.insert(format!("{label} {pr} {d} {c}"), n);
        }
    }
    let days: Vec<(i64, String, String, i16, i64)> = on_db!(db, |p| sqlx::query_as(
        "select agency_id, procedure_code, day, counter, n from report_days where n <> 0"
    )
    .fetch_all(p)
    .await)?;
    for (a, p, d, c, n) in days {
        have.insert(format!("ngày/day {a} {p} {d} {c}"), n);
    }
    let months: Vec<(i64, String, String, i16, i64)> = on_db!(db, |p| sqlx::query_as(
        "select agency_id, procedure_code, month, counter, n from report_months where n <> 0"
    )
    .fetch_all(p)
    .await)?;
    for (a, p, d, c, n) in months {
        have.insert(format!("tháng/month {a} {p} {d} {c}"), n);
    }
    let open: Vec<(i64, String, String, i16, i64)> = on_db!(db, |p| sqlx::query_as(
        "select agency_id, procedure_code, due_day, status, n from report_open where n <> 0"
    )
    .fetch_all(p)
    .await)?;
    for (a, p, d, s, n) in open {
        have.insert(format!("đang mở/open {a} {p} {d} {s}"), n);
    }
    want.retain(|_, n| *n != 0);
    let mut out = Vec::new();
    for (k, n) in &want {
        let h = have.get(k).copied().unwrap_or(0);
        if h != *n {
            out.push(format!("{k}: lưu/stored {h}, đếm lại/recount {n}"));
        }
    }
    for (k, h) in &have {
        if !want.contains_key(k) {
            out.push(format!("{k}: lưu/stored {h}, đếm lại/recount 0"));
        }
    }
    Ok(out)
}
