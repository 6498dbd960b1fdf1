//! Public tracking by the receipt's QR token over HTTP (the real server on a loopback port, wrk as the load) at 1,
//! 64 and 512 connections, beside the minimal handler of the same server (`/api/v1/statuses`, constant JSON).
//! The load generator and the server share the machine's cores.

use serde_json::json;

struct Wrk {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn ms(s: &str) -> f64 {
    let s = s.trim();
    let (n, k) = if let Some(v) = s.strip_suffix("us") {
        (v, 0.001)
    } else if let Some(v) = s.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = s.strip_suffix('s') {
        (v, 1000.0)
    } else {
        (s, 1.0)
    };
    n.parse::<f64>().unwrap_or(f64::NAN) * k
}

fn wrk(url: &str, conns: u32, seconds: u64) -> anyhow::Result<Wrk> {
    let threads = conns.min(2).to_string();
    let out = std::process::Command::new("wrk")
        .args([
            "-t",
            &threads,
            "-c",
            &conns.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--latency",
            url,
        ])
        .output()
        .map_err(|e| anyhow::anyhow!("wrk is needed (Debian package wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let find = |key: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .map(str::to_owned)
    };
    let non2xx = text.lines().any(|l| l.contains("Non-2xx"));
    if non2xx {
        anyhow::bail!("wrk saw answers other than 2xx from {url}:\n{text}");
    }
    Ok(Wrk {
        rps: find("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        p50_ms: find("50%").map_or(f64::NAN, |v| ms(&v)),
        p99_ms: find("99%").map_or(f64::NAN, |v| ms(&v)),
    })
}

/// Runs the tracking benchmark; prints the table.
pub async fn run(seconds: u64, json_out: Option<&std::path::PathBuf>) -> anyhow::Result<()> {
    let (db, url, dir) = super::fresh("sqlite", "tracking").await?;
    let st = super::app(db, &url, dir.as_ref().map(|d| d.0.as_path())).await?;
    let code: String = crate::on_db!(&st.db, |p| sqlx::query_scalar(
        "select code from dossiers where received_at is not null order by id limit 1"
    )
    .fetch_one(p)
    .await)?;
    let token = st.id_key.tracking_token(&code);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::http::serve(listener, st.clone(), async move {
        let _ = stopped.await;
    }));
    let track = format!("http://{addr}/api/v1/track?code={code}&proof={token}");
    let minimal = format!("http://{addr}/api/v1/statuses");
    let mut rows = Vec::new();
    println!(
        "## Tra cứu hồ sơ qua HTTP / tracking over HTTP — {}\n",
        super::machine()
    );
    println!("| kết nối / connections | tra cứu / tracking req/s | p50 ms | p99 ms | tối thiểu / minimal req/s | p50 ms | p99 ms | tỷ lệ / ratio |\n|---|---|---|---|---|---|---|---|");
    for c in [1u32, 64, 512] {
        let t = tokio::task::spawn_blocking({
            let u = track.clone();
            move || wrk(&u, c, seconds)
        })
        .await??;
        let m = tokio::task::spawn_blocking({
            let u = minimal.clone();
            move || wrk(&u, c, seconds)
        })
        .await??;
        println!(
            "| {c} | {:.0} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.2}× |",
            t.rps,
            t.p50_ms,
            t.p99_ms,
            m.rps,
            m.p50_ms,
            m.p99_ms,
            t.rps / m.rps.max(1.0)
        );
        rows.push(json!({"connections": c, "tracking_per_s": t.rps, "tracking_p50_ms": t.p50_ms, "tracking_p99_ms": t.p99_ms, "minimal_per_s": m.rps, "minimal_p50_ms": m.p50_ms, "minimal_p99_ms": m.p99_ms, "ratio": t.rps / m.rps.max(1.0)}));
    }
    st.access.flush().await?;
    let logged: i64 = crate::on_db!(&st.db, |p| sqlx::query_scalar(
        "select count(*) from audit_log where action = 'public_track'"
    )
    .fetch_one(p)
    .await)?;
    println!("\nMỗi lượt tra cứu được ghi nhật ký truy cập (theo lô) / every look-up is in the access log (batched): {logged} entries.");
    let _ = stop.send(());
    let _ = server.await;
    super::write_json(
        json_out,
        &json!({"runs": rows, "access_log_entries": logged}),
    )?;
    Ok(())
}
