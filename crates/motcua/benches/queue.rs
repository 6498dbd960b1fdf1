//! The queue over real HTTP on a local socket (embedded store): tickets taken and called per second, and how fast a
//! call reaches 200 hall displays listening on server-sent events. Prints a table; asserts nothing.
//! Run: `cargo bench -p motcua --bench queue`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use motcua::clock::SystemClock;
use motcua::config::Config;
use motcua::state::AppState;
use motcua::store::Db;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive HTTP/1.1 connection: request, then the status and body (Content-Length answers only).
struct Conn(BufReader<TcpStream>);

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> Conn {
        Conn(BufReader::new(TcpStream::connect(addr).await.unwrap()))
    }
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: &str,
    ) -> (u16, String) {
        let auth = token.map_or(String::new(), |t| format!("authorization: Bearer {t}\r\n"));
        let req = format!(
            "{method} {path} HTTP/1.1\r\nhost: bench\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\n\r\n{body}",
            body.len()
        );
        self.0.get_mut().write_all(req.as_bytes()).await.unwrap();
        let mut line = String::new();
        self.0.read_line(&mut line).await.unwrap();
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut len = 0usize;
        loop {
            line.clear();
            self.0.read_line(&mut line).await.unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut buf = vec![0u8; len];
        self.0.read_exact(&mut buf).await.unwrap();
        (status, String::from_utf8_lossy(&buf).into_owned())
    }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * p).round() as usize]
}

async fn start() -> (std::net::SocketAddr, AppState, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("motcua-qbench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("q.db").display());
    let db = Db::connect(&url).await.unwrap();
    motcua::store::migrate::run(&db).await.unwrap();
    motcua::service::catalog::import::bootstrap(&db, motcua::clock::Clock::now(&SystemClock))
        .await
        .unwrap();
    let config = Config {
        database_url: url,
        data_key_file: dir.join("k").display().to_string(),
        id_hash_key_file: dir.join("h").display().to_string(),
        blob_dir: dir.join("b").display().to_string(),
        tickets_per_minute: 0,
        login_per_minute: 0,
        queue_alert_minutes: 0,
        ..Config::default()
    };
    let st = AppState::new(db, Arc::new(SystemClock), config)
        .await
        .unwrap();
    motcua::service::demo::seed(&st).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let s2 = st.clone();
    tokio::spawn(async move {
        motcua::http::serve(listener, s2, std::future::pending())
            .await
            .unwrap();
    });
    (addr, st, dir)
}

async fn token(addr: std::net::SocketAddr) -> String {
    let (_, b) = Conn::open(addr)
        .await
        .send(
            "POST",
            "/api/v1/auth/login",
            None,
            r#"{"username":"tiepnhan.haichau","password":"motcua-demo-2026"}"#,
        )
        .await;
    serde_json::from_str::<serde_json::Value>(&b).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Takers and callers for `secs` seconds: tickets issued and called per second, and the p99 of each.
async fn take_and_call(
    addr: std::net::SocketAddr,
    counters: Vec<i64>,
    tok: String,
    secs: u64,
) -> (f64, f64, f64, f64) {
    let stop = Arc::new(AtomicBool::new(false));
    let (taken, called) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (stop, taken) = (stop.clone(), taken.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await;
            let mut lat = Vec::new();
            let body = format!(r#"{{"service":{}}}"#, 1 + i % 3);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let (s, _) = c
                    .send("POST", "/api/v1/queue/centers/20242/tickets", None, &body)
                    .await;
                assert_eq!(s, 201);
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                taken.fetch_add(1, Ordering::Relaxed);
            }
            lat
        }));
    }
    let mut callers = Vec::new();
    for k in counters {
        let (stop, called, tok) = (stop.clone(), called.clone(), tok.clone());
        callers.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await;
            let mut lat = Vec::new();
            let path = format!("/api/v1/queue/counters/{k}/call");
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let (s, b) = c.send("POST", &path, Some(&tok), "{}").await;
                assert_eq!(s, 200, "{b}");
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                if !b.contains("\"ticket\":null") {
                    called.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let mut tl = Vec::new();
    for t in tasks {
        tl.extend(t.await.unwrap());
    }
    let mut cl = Vec::new();
    for t in callers {
        cl.extend(t.await.unwrap());
    }
    let s = secs as f64;
    (
        taken.load(Ordering::Relaxed) as f64 / s,
        pct(&mut tl, 0.99),
        called.load(Ordering::Relaxed) as f64 / s,
        pct(&mut cl, 0.99),
    )
}

/// The constant JSON answer with as many connections, as the ceiling of this server on this machine.
async fn ceiling(addr: std::net::SocketAddr, conns: usize, secs: u64) -> f64 {
    let stop = Arc::new(AtomicBool::new(false));
    let n = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (stop, n) = (stop.clone(), n.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::open(addr).await;
            while !stop.load(Ordering::Relaxed) {
                c.send("GET", "/api/v1/statuses", None, "").await;
                n.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    n.load(Ordering::Relaxed) as f64 / secs as f64
}

/// An open event stream: reads until the next `board` event.
struct Display(BufReader<TcpStream>);

impl Display {
    async fn open(addr: std::net::SocketAddr) -> Display {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /man-hinh/20242/su-kien HTTP/1.1\r\nhost: bench\r\naccept: text/event-stream\r\n\r\n").await.unwrap();
        let mut d = Display(BufReader::new(s));
        d.next().await;
        d
    }
    async fn next(&mut self) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            if self.0.read_line(&mut line).await.unwrap() == 0 {
                return String::new();
            }
            if let Some(d) = line.strip_prefix("data: ") {
                return d.trim().to_owned();
            }
        }
    }
}

/// 200 displays; each round one call, and the time until each display has the new board.
async fn fan_out(
    addr: std::net::SocketAddr,
    counter: i64,
    tok: &str,
    displays: usize,
    rounds: usize,
) -> (f64, f64, f64) {
    let mut ds = Vec::new();
    for _ in 0..displays {
        ds.push(Display::open(addr).await);
    }
    let mut c = Conn::open(addr).await;
    let mut all = Vec::new();
    let mut ds: Vec<Option<Display>> = ds.into_iter().map(Some).collect();
    for _ in 0..rounds {
        c.send(
            "POST",
            "/api/v1/queue/centers/20242/tickets",
            None,
            r#"{"service":1}"#,
        )
        .await;
        // The take itself changed the board: let every display read it first.
        let mut readers = Vec::new();
        for d in &mut ds {
            let mut d = d.take().unwrap();
            readers.push(tokio::spawn(async move {
                d.next().await;
                d
            }));
        }
        for (i, r) in readers.into_iter().enumerate() {
            ds[i] = Some(r.await.unwrap());
        }
        let t0 = Instant::now();
        let mut readers = Vec::new();
        for d in &mut ds {
            let mut d = d.take().unwrap();
            readers.push(tokio::spawn(async move {
                d.next().await;
                (d, t0.elapsed().as_secs_f64() * 1000.0)
            }));
        }
        c.send(
            "POST",
            &format!("/api/v1/queue/counters/{counter}/call"),
            Some(tok),
            "{}",
        )
        .await;
        for (i, r) in readers.into_iter().enumerate() {
            let (d, ms) = r.await.unwrap();
            ds[i] = Some(d);
            all.push(ms);
        }
    }
    let max = all.iter().copied().fold(0.0, f64::max);
    (pct(&mut all.clone(), 0.5), pct(&mut all, 0.99), max)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let (addr, st, dir) = start().await;
    let tok = token(addr).await;
    let center = motcua::store::agencies::by_identifier(&st.db, "20242")
        .await
        .unwrap()
        .unwrap();
    let counters: Vec<i64> = motcua::store::queue::counters_of(&st.db, center.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.0)
        .collect();
    println!(
        "\nQueue over HTTP (SQLite, one process, client and server share the machine's cores)"
    );
    let ceil = ceiling(addr, 10, 3).await;
    let (tps, tp99, cps, cp99) = take_and_call(addr, counters.clone(), tok.clone(), 5).await;
    println!("{:<52} {:>10} {:>9}", "call", "per s", "p99 ms");
    println!(
        "{:<52} {:>10.0} {:>9}",
        "ceiling: constant JSON (GET /api/v1/statuses), 10 conns", ceil, ""
    );
    println!(
        "{:<52} {:>10.0} {:>9.1}",
        "tickets taken (POST …/tickets), 6 conns", tps, tp99
    );
    println!(
        "{:<52} {:>10.0} {:>9.1}",
        "tickets called (POST counters/{id}/call), 4 conns", cps, cp99
    );
    println!(
        "{:<52} {:>10.0} {:>9}",
        "taken + called together",
        tps + cps,
        ""
    );
    println!(
        "ratio of taken + called to the constant JSON ceiling: {:.2}",
        (tps + cps) / ceil
    );
    let (p50, p99, max) = fan_out(addr, counters[0], &tok, 200, 20).await;
    println!("SSE fan-out, 200 displays × 20 calls: call → board on every display p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms (target: 1,000 ms)");
    let _ = std::fs::remove_dir_all(&dir);
}
