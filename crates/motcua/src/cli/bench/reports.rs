//! National-scale figures: the generator's dossiers (100 k, 1 M, 10 M), then the latency of the dashboard summary
//! and of the 766 inputs for a province and for the nation, p50 / p99 over repeated calls; beside them the same
//! province summary computed by DuckDB (PyPI `duckdb`) over a CSV export of the raw dossiers, when it is installed.

use crate::service::reports::{self as rs, Period};
use crate::store::reports::Filter;
use motcua_domain::calendar::VN;
use serde_json::json;
use std::time::Instant;

fn pcts(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    let at = |q: f64| {
        v.get(((v.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    (at(0.5), at(0.99))
}

async fn time<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<(f64, f64)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(pcts(v))
}

fn duckdb(csv: &std::path::Path, province_agencies: &std::path::Path) -> Option<f64> {
    let script = format!(
        "import duckdb,time\ncon=duckdb.connect()\ncon.execute(\"create table d as select * from read_csv_auto('{}')\")\ncon.execute(\"create table a as select * from read_csv_auto('{}')\")\nq=\"select count(*) filter (where status<>3), count(*) filter (where status in (9,10) and cast(completed_at as date) <= cast(due_at as date)), count(*) filter (where status in (9,10) and cast(completed_at as date) > cast(due_at as date)) from d join a on a.id=d.agency\"\ncon.execute(q).fetchall()\nts=[]\nfor i in range(20):\n  t=time.perf_counter(); con.execute(q).fetchall(); ts.append((time.perf_counter()-t)*1000)\nts.sort(); print(ts[10])\n",
        csv.display(),
        province_agencies.display()
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &script])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// Generates, measures and prints.
pub async fn run(n: u64, store: &str, json_out: Option<&std::path::PathBuf>) -> anyhow::Result<()> {
    let (db, url, dir) = super::fresh(store, "reports").await?;
    let st = super::app(db, &url, dir.as_ref().map(|d| d.0.as_path())).await?;
    let now = st.clock.now();
    eprintln!("Sinh {n} hồ sơ / generating {n} dossiers…");
    let g = super::generate::national(&st.db, n, now, 0x6D6F_7463_7561).await?;
    let today = now.to_offset(VN).date();
    let year = Period {
        from: today - time::Duration::days(364),
        to: today,
    };
    let month = Period {
        from: today.replace_day(1).unwrap_or(today),
        to: today,
    };
    let hn = Filter::Province("01".into());
    let mut rows = Vec::new();
    for (label, f, p) in [
        ("Hà Nội, năm / a year", hn.clone(), year),
        ("Hà Nội, tháng này / this month", hn.clone(), month),
        ("cả nước, năm / the nation, a year", Filter::All, year),
    ] {
        let s = time(50, || {
            let (st, f) = (st.clone(), f.clone());
            async move {
                rs::figures(&st, &f, p).await?;
                Ok(())
            }
        })
        .await?;
        let i = time(20, || {
            let (st, f) = (st.clone(), f.clone());
            async move {
                rs::index766::inputs(&st, &f, p).await?;
                Ok(())
            }
        })
        .await?;
        rows.push((label, s, i));
    }
    let check = rs::figures(&st, &hn, year).await?;
    // The raw export and DuckDB beside it (a year, Hà Nội).
    let base = dir
        .as_ref()
        .map_or_else(std::env::temp_dir, |d| d.0.clone());
    let csv = base.join("dossiers.csv");
    let agencies = base.join("agencies.csv");
    crate::store::bench::export_csv(&st.db, &csv, &agencies, "01").await?;
    let duck = duckdb(&csv, &agencies);
    println!(
        "## Báo cáo ở quy mô quốc gia / figures at national scale — {}\n",
        super::machine()
    );
    println!(
        "{} hồ sơ, {} cơ quan, {} tỉnh; sinh trong {:.0} s ({})\n",
        g.dossiers,
        g.agencies,
        g.provinces,
        g.seconds,
        if store == "sqlite" {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    );
    println!("| truy vấn / query | tổng hợp p50 ms | p99 ms | đầu vào 766 p50 ms | p99 ms |\n|---|---|---|---|---|");
    for (label, s, i) in &rows {
        println!(
            "| {label} | {:.2} | {:.2} | {:.2} | {:.2} |",
            s.0, s.1, i.0, i.1
        );
    }
    match duck {
        Some(ms) => println!("\nDuckDB, cùng phép tổng hợp Hà Nội trên bản xuất thô / same Hà Nội aggregate over the raw export: p50 {ms:.2} ms"),
        None => println!("\nDuckDB: chưa cài (pip install duckdb) / not installed"),
    }
    println!(
        "Hà Nội, năm: tiếp nhận {} · hoàn thành {} · đúng hạn {:?}%",
        check.received,
        check.completed,
        check.on_time_pct()
    );
    super::write_json(
        json_out,
        &json!({"dossiers": g.dossiers, "generate_s": g.seconds, "store": store,
        "queries": rows.iter().map(|(l, s, i)| json!({"query": l, "summary_p50_ms": s.0, "summary_p99_ms": s.1, "index766_p50_ms": i.0, "index766_p99_ms": i.1})).collect::<Vec<_>>(),
        "duckdb_p50_ms": duck}),
    )?;
    st.db.close().await;
    drop(dir);
    Ok(())
}
