//! What the benchmark harness writes: agencies and dossiers loaded in bulk (national-scale data, marked demo), and
//! the raw single-row insert that measures the store's own ceiling.

use super::{utc, Db, Tx};
use crate::on_tx;
use time::OffsetDateTime;

/// A generated dossier.
#[derive(Debug, Clone)]
pub struct BulkDossier {
    pub code: String,
    pub procedure_code: String,
    pub agency_id: i64,
    pub channel: &'static str,
    pub status: i16,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
    pub completed_at: Option<OffsetDateTime>,
    pub closed_at: Option<OffsetDateTime>,
}

/// Inserts generated dossiers with one multi-row statement per 400 (their rollups are written by the caller).
pub async fn insert_dossiers(tx: &mut Tx, rows: &[BulkDossier]) -> sqlx::Result<()> {
    for chunk in rows.chunks(400) {
        let mut sql = String::from("insert into dossiers (code, procedure_code, receiving_agency_id, competent_agency_id, channel, status, applicant_kind, applicant_name, applicant_id_number, applicant_id_masked, applicant_id_hash, summary, submitted_at, received_at, due_at, completed_at, closed_at, is_demo, created_at, updated_at, version, applicant_key) values ");
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 10;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, 'citizen', 'Người nộp (dữ liệu đo tải)', '', '999*****', '', '', ${}, ${}, ${}, ${}, ${}, true, ${}, ${}, 1, '')",
                b + 1, b + 2, b + 3, b + 3, b + 4, b + 5, b + 6, b + 6, b + 7, b + 8, b + 9, b + 6, b + 10
            ));
        }
        on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for d in chunk {
                q = q
                    .bind(&d.code)
                    .bind(&d.procedure_code)
                    .bind(d.agency_id)
                    .bind(d.channel)
                    .bind(d.status)
                    .bind(utc(d.received_at))
                    .bind(utc(d.due_at))
                    .bind(d.completed_at.map(utc))
                    .bind(d.closed_at.map(utc))
                    .bind(utc(d.closed_at.unwrap_or(d.received_at)));
            }
            q.execute(&mut **c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// The table of the raw ceiling (created when missing).
pub async fn ceiling_table(db: &Db) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, |c| {
        sqlx::query("create table if not exists bench_ceiling (id bigint primary key, at text not null, payload text not null)").execute(&mut **c).await.map(|_| ())
    })?;
    tx.commit().await
}

/// One raw single-row insert in its own transaction: the store's ceiling for a committed write.
pub async fn ceiling_insert(db: &Db, id: i64) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    on_tx!(&mut tx, |c| sqlx::query(
        "insert into bench_ceiling (id, at, payload) values ($1, $2, $3)"
    )
    .bind(id)
    .bind("2026-12-01T00:00:00Z")
    .bind("một dòng đo trần ghi / one ceiling row")
    .execute(&mut **c)
    .await
    .map(|_| ()))?;
    tx.commit().await
}

/// The commune and province units, with their province.
pub async fn units(db: &Db) -> sqlx::Result<Vec<(String, String, String)>> {
    crate::on_db!(db, |p| {
        sqlx::query_as("select code, level, coalesce(province_code, code) from units where valid_to is null order by code").fetch_all(p).await
    })
}

/// The procedures of a tier, in catalog order.
pub async fn procedures(db: &Db, commune: bool) -> sqlx::Result<Vec<String>> {
    let sql = if commune {
        "select code from procedures where level_commune order by code"
    } else {
        "select code from procedures where level_province order by code"
    };
    crate::on_db!(db, |p| sqlx::query_scalar(sql).fetch_all(p).await)
}

/// id, agency, status, received, due, completed.
type RawRow = (
    i64,
    i64,
    i16,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
    Option<OffsetDateTime>,
);

/// Writes the raw dossiers (agency, status, dates) and the agencies of a province as CSV, for an outside engine.
pub async fn export_csv(
    db: &Db,
    dossiers: &std::path::Path,
    agencies: &std::path::Path,
    province: &str,
) -> anyhow::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(dossiers)?);
    writeln!(w, "agency,status,received_at,due_at,completed_at")?;
    let mut last = 0i64;
    loop {
        let rows: Vec<RawRow> = crate::on_db!(db, |p| {
            sqlx::query_as(
            "select id, competent_agency_id, status, received_at, due_at, completed_at from dossiers where id > $1 order by id limit 50000"
        ).bind(last).fetch_all(p).await
        })?;
        if rows.is_empty() {
            break;
        }
        let vn = |t: Option<OffsetDateTime>| {
            t.map(|t| t.to_offset(motcua_domain::calendar::VN).date().to_string())
                .unwrap_or_default()
        };
        for r in &rows {
            last = r.0;
            writeln!(w, "{},{},{},{},{}", r.1, r.2, vn(r.3), vn(r.4), vn(r.5))?;
        }
    }
    w.flush()?;
    let ids: Vec<i64> = crate::on_db!(db, |p| {
        sqlx::query_scalar("select a.id from agencies a join units u on u.code = a.unit_code where u.code = $1 or u.province_code = $1").bind(province).fetch_all(p).await
    })?;
    let mut a = std::fs::File::create(agencies)?;
    writeln!(a, "id")?;
    for id in ids {
        writeln!(a, "{id}")?;
    }
    Ok(())
}
