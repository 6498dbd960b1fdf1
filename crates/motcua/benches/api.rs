//! Latency of the main API calls, in-process through the router, on the embedded store (and on PostgreSQL when
//! `MOTCUA_BENCH_PG` is a server URL). Prints a table; asserts nothing. Run: `cargo bench -p motcua`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use motcua::clock::FixedClock;
use motcua::config::Config;
use motcua::state::AppState;
use motcua::store::Db;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<String>,
) -> serde_json::Value {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    let resp = app
        .clone()
        .oneshot(b.body(body.map_or_else(Body::empty, Body::from)).unwrap())
        .await
        .unwrap();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    assert!(!bytes.is_empty(), "{uri}: empty body");
    serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn bench(label: &str, url: &str, dir: &std::path::Path) {
    let db = Db::connect(url).await.unwrap();
    motcua::store::migrate::run(&db).await.unwrap();
    let start = time::macros::datetime!(2026-11-23 09:00 +7);
    let t0 = Instant::now();
    motcua::service::catalog::import::bootstrap(&db, start)
        .await
        .unwrap();
    let load = t0.elapsed();
    let config = Config {
        database_url: url.into(),
        data_key_file: dir.join("bench.key").display().to_string(),
        id_hash_key_file: dir.join("bench-id-hash.key").display().to_string(),
        blob_dir: dir.join("blobs").display().to_string(),
        tracking_per_minute: 0,
        ..Config::default()
    };
    let st = AppState::new(db.clone(), Arc::new(FixedClock::new(start)), config)
        .await
        .unwrap();
    motcua::service::demo::seed(&st).await.unwrap();
    let track_token = st.id_key.tracking_token("20242-261123-0001");
    let st_search = st.search.clone();
    let app = motcua::http::app(st);
    let login = call(
        &app,
        "POST",
        "/api/v1/auth/login",
        None,
        Some(r#"{"username":"tiepnhan.haichau","password":"motcua-demo-2026"}"#.into()),
    )
    .await;
    let token = login["token"].as_str().unwrap().to_owned();
    let sign_in = |user: &'static str| {
        let app = app.clone();
        async move {
            call(
                &app,
                "POST",
                "/api/v1/auth/login",
                None,
                Some(format!(
                    r#"{{"username":"{user}","password":"motcua-demo-2026"}}"#
                )),
            )
            .await["token"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let specialist = sign_in("chuyenvien.haichau").await;
    let leader = sign_in("lanhdao.haichau").await;
    // The counter's checklist of 1.004222: its first case, with the papers required in it.
    let proc = call(&app, "GET", "/api/v1/procedures/1.004222", None, None).await;
    let list = &proc["checklist"];
    let case = &list["cases"][0];
    let case_key = case["key"].as_str().unwrap_or("").to_owned();
    let docs: Vec<u64> = list["papers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(case["papers"].as_array().into_iter().flatten())
        .filter(|p| p["need"] == "required")
        .filter_map(|p| p["number"].as_u64())
        .collect();
    println!(
        "\n{label}: reference data loaded in {:.0} ms",
        load.as_secs_f64() * 1000.0
    );
    println!(
        "{:<44} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "request", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let mut created: Vec<String> = Vec::new();
    let cases: Vec<(&str, &str, String, bool)> = vec![
        (
            "GET procedures?q=ket hon",
            "GET",
            "/api/v1/procedures?q=ket%20hon".into(),
            false,
        ),
        (
            "GET procedures?q=chung thuc&level=commune",
            "GET",
            "/api/v1/procedures?q=chung%20thuc&level=commune".into(),
            false,
        ),
        (
            "GET procedures/1.001193",
            "GET",
            "/api/v1/procedures/1.001193".into(),
            false,
        ),
        (
            "GET units?province=01 (126)",
            "GET",
            "/api/v1/units?province=01".into(),
            false,
        ),
        (
            "GET units/old?name=Bến Nghé",
            "GET",
            "/api/v1/units/old?name=B%E1%BA%BFn%20Ngh%C3%A9".into(),
            false,
        ),
        (
            "GET calendar/due (3 working days)",
            "GET",
            "/api/v1/calendar/due?from=2026-04-24T10:00:00%2B07:00&amount=3&unit=working_days"
                .into(),
            false,
        ),
        (
            "GET / (home page search)",
            "GET",
            "/?q=khai%20sinh".into(),
            false,
        ),
        (
            "GET /thu-tuc/1.001193 (procedure page)",
            "GET",
            "/thu-tuc/1.001193".into(),
            false,
        ),
        (
            "GET /tra-cuu?ma&t (tracking page, QR token)",
            "GET",
            format!("/tra-cuu?ma=20242-261123-0001&t={track_token}"),
            false,
        ),
        (
            "GET receipt.pdf (form 01)",
            "GET",
            "/api/v1/dossiers/20242-261123-0001/receipt.pdf".into(),
            true,
        ),
        (
            "POST dossiers (counter intake)",
            "POST",
            "/api/v1/dossiers".into(),
            true,
        ),
        (
            "GET dossiers/{code} (scoped, audited)",
            "GET",
            "/api/v1/dossiers/20242-261123-0001".into(),
            true,
        ),
        (
            "GET worklists (5 counts)",
            "GET",
            "/api/v1/worklists".into(),
            true,
        ),
        (
            "GET forms/06.pdf (control sheet)",
            "GET",
            "/api/v1/dossiers/20242-261123-0002/forms/06.pdf".into(),
            true,
        ),
        (
            "GET dossiers (list, scoped, audited)",
            "GET",
            "/api/v1/dossiers?limit=50".into(),
            true,
        ),
    ];
    for (name, method, uri, auth) in cases {
        let n = if method == "POST" { 300 } else { 500 };
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let body = (method == "POST").then(|| {
                format!(r#"{{"procedure":"1.004222","documents":{docs:?},"document_case":"{case_key}","applicant":{{"name":"Bench (demo)","id_number":"999{:09}"}}}}"#, i)
            });
            let t = Instant::now();
            let v = call(&app, method, &uri, auth.then_some(token.as_str()), body).await;
            times.push(t.elapsed());
            if let Some(c) = v["code"].as_str().filter(|_| method == "POST") {
                created.push(c.to_owned());
            }
            if i == 0 && v.get("error").is_some() {
                panic!("{name}: {v}");
            }
        }
        times.sort();
        println!(
            "{:<44} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            name,
            n,
            pct(&times, 0.5),
            pct(&times, 0.9),
            pct(&times, 0.99),
            pct(&times, 1.0)
        );
    }
    // Each legal action is one transaction: step change, event, audit record and notification.
    let steps: [(&str, &str, &str); 4] = [
        ("POST actions forward (to the pool)", "forward", "hc"),
        ("POST actions forward (specialist)", "forward", "sp"),
        ("POST actions approve (leader signs)", "approve", "ld"),
        ("POST actions return_result", "return_result", "hc"),
    ];
    for (name, action, who) in steps {
        let t_ok = match who {
            "sp" => specialist.as_str(),
            "ld" => leader.as_str(),
            _ => token.as_str(),
        };
        let mut times = Vec::with_capacity(created.len());
        for code in &created {
            // The bench's dossiers have no result file: the leader records the result as issued on paper.
            let body = if action == "approve" {
                r#"{"action":"approve","paper_result":true}"#.to_owned()
            } else {
                format!(r#"{{"action":"{action}","method":"online"}}"#)
            };
            let t = Instant::now();
            let v = call(
                &app,
                "POST",
                &format!("/api/v1/dossiers/{code}/actions"),
                Some(t_ok),
                Some(body),
            )
            .await;
            times.push(t.elapsed());
            if v.get("error").is_some() {
                panic!("{name}: {v}");
            }
        }
        times.sort();
        println!(
            "{:<44} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>9.3}",
            name,
            times.len(),
            pct(&times, 0.5),
            pct(&times, 0.9),
            pct(&times, 0.99),
            pct(&times, 1.0)
        );
    }
    search_figures(&st_search, &db).await;
    // Page weight: HTML plus the stylesheet and script every page loads (no images on these pages).
    let css = page(&app, "/static/app.css").await.len();
    let js = page(&app, "/static/app.js").await.len();
    println!(
        "\n{:<44} {:>9} {:>9} {:>9} {:>9}",
        "page weight (budget 100 KB)", "HTML B", "CSS B", "JS B", "total KB"
    );
    for (name, uri) in [
        ("/?q=khai sinh (search)", "/?q=khai%20sinh".to_owned()),
        (
            "/thu-tuc/1.001193 (procedure)",
            "/thu-tuc/1.001193".to_owned(),
        ),
        (
            "/tra-cuu (tracking)",
            format!("/tra-cuu?ma=20242-261123-0001&t={track_token}"),
        ),
    ] {
        let html = page(&app, &uri).await;
        if uri.starts_with("/tra-cuu") {
            assert!(
                String::from_utf8_lossy(&html).contains("data-test=\"tracked\""),
                "the tracking page shows the dossier"
            );
        }
        let html = html.len();
        #[allow(clippy::cast_precision_loss)]
        let kb = (html + css + js) as f64 / 1024.0;
        println!("{name:<44} {html:>9} {css:>9} {js:>9} {kb:>9.1}");
    }
    db.close().await;
}

/// The catalogue search over the shipped evaluation set: the index alone (the issue's target: p99 under 5 ms over
/// the 2,642 procedures), the whole search with the rows read from the store, and the word-prefix LIKE scan it
/// replaced as the peer, on the same queries in the same run.
async fn search_figures(index: &motcua::service::catalog::search::SearchIndex, db: &Db) {
    use motcua::service::catalog::{search, search_eval};
    use motcua::store::procedures::{self, ProcedureFilter};
    let set = include_str!("../data/search_eval.csv");
    let cases = search_eval::read(set).unwrap();
    let built = index.current(db).await.unwrap();
    let r = search_eval::run(&built, &cases, 20);
    let filter = |q: &str| ProcedureFilter {
        q: Some(q.to_owned()),
        limit: 20,
        ..Default::default()
    };
    let mut whole = Vec::new();
    let mut like = Vec::new();
    let mut like_top3 = 0;
    for c in &cases {
        for _ in 0..3 {
            let t = Instant::now();
            search::find(index, db, &filter(&c.query), None)
                .await
                .unwrap();
            whole.push(t.elapsed());
            let t = Instant::now();
            let (_, rows) = procedures::search(db, &filter(&c.query)).await.unwrap();
            like.push(t.elapsed());
            if whole.len() % 3 == 0 {
                let want: Vec<&str> = c.codes.split_whitespace().collect();
                like_top3 +=
                    usize::from(rows.iter().take(3).any(|p| want.contains(&p.code.as_str())));
            }
        }
    }
    whole.sort();
    like.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    #[allow(clippy::cast_precision_loss)]
    let share = |n: usize| 100.0 * n as f64 / cases.len() as f64;
    println!(
        "\n{:<44} {:>6} {:>9} {:>9} {:>9} {:>7} {:>7}",
        "search over the eval set", "n", "p50 ms", "p99 ms", "max ms", "top-1", "top-3"
    );
    println!(
        "{:<44} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>6.1}% {:>6.1}%",
        format!("index alone ({} procedures)", r.procedures),
        r.queries * 20,
        ms(r.p50),
        ms(r.p99),
        ms(r.max),
        share(r.top1),
        share(r.top3)
    );
    println!(
        "{:<44} {:>6} {:>9.3} {:>9.3} {:>9.3}",
        "index + rows from the store",
        whole.len(),
        pct(&whole, 0.5),
        pct(&whole, 0.99),
        pct(&whole, 1.0)
    );
    println!(
        "{:<44} {:>6} {:>9.3} {:>9.3} {:>9.3} {:>7} {:>6.1}%",
        "peer: word-prefix LIKE scan (replaced)",
        like.len(),
        pct(&like, 0.5),
        pct(&like, 0.99),
        pct(&like, 1.0),
        "",
        share(like_top3)
    );
    println!(
        "index p99 / 5 ms ceiling: {:.2}; whole search p99 / LIKE scan p99: {:.2}",
        ms(r.p99) / 5.0,
        pct(&whole, 0.99) / pct(&like, 0.99)
    );
}

async fn page(app: &axum::Router, uri: &str) -> Vec<u8> {
    let resp = app
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{uri}: {}", resp.status());
    resp.into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("motcua-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    bench(
        "SQLite (embedded)",
        &format!("sqlite://{}", dir.join("bench.db").display()),
        &dir,
    )
    .await;
    let pg = std::env::var("MOTCUA_BENCH_PG").ok();
    if let Some(url) = pg {
        let admin = sqlx::PgPool::connect(&url).await.unwrap();
        sqlx::query("drop database if exists motcua_bench with (force)")
            .execute(&admin)
            .await
            .unwrap();
        sqlx::query("create database motcua_bench")
            .execute(&admin)
            .await
            .unwrap();
        let i = url.rfind('/').unwrap();
        bench("PostgreSQL", &format!("{}/motcua_bench", &url[..i]), &dir).await;
        sqlx::query("drop database if exists motcua_bench with (force)")
            .execute(&admin)
            .await
            .unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
