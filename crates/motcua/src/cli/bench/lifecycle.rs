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

/// Runs the lifecycle and the ceiling; prints the table.
pub async fn run(
    seconds: u64,
    clients: usize,
    store: &str,
    json_out: Option<&std::path::PathBuf>,
) -> anyhow::Result<()> {
    let (db, url, dir) = super::fresh(store, "lifecycle").await?;
    let st = super::app(db, &url, dir.as_ref().map(|d| d.0.as_path())).await?;
    let who = Arc::new([
        actor(&st, "tiepnhan.haichau").await?,
        actor(&st, "chuyenvien.haichau").await?,
        actor(&st, "lanhdao.haichau").await?,
    ]);
    // Warm-up: find the papers and run one dossier, so the catalog and the workflow are in the caches.
    let docs = Arc::new(papers(&st).await?);
    one(&st, &who, 0, &docs).await?;
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
    let elapsed = t.elapsed().as_secs_f64();
    let transitions = done.load(Ordering::Relaxed);
    crate::store::bench::ceiling_table(&st.db).await?;
    let rows = Arc::new(AtomicI64::new(0));
    let id = Arc::new(AtomicI64::new(0));
    let stop = Instant::now() + Duration::from_secs(seconds);
    let t2 = Instant::now();
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
    let ceiling = rows.load(Ordering::Relaxed) as f64 / t2.elapsed().as_secs_f64();
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
    super::write_json(
        json_out,
        &json!({"store": store, "durability": durability, "clients": clients, "seconds": elapsed, "transitions": transitions, "transitions_per_s": tps, "ceiling_per_s": ceiling, "ratio": tps / ceiling.max(1.0)}),
    )?;
    st.db.close().await;
    drop(dir);
    Ok(())
}
