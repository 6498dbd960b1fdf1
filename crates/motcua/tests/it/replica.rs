//! A national deployment's read replica: public reads (tracking, catalog) come from a real PostgreSQL streaming
//! replica, which the test script starts (`MOTCUA_TEST_PG_REPLICA`). With its replay paused, a change made on the
//! primary is not in the public answer until the replica replays it; its lag is on the metrics listener; and a
//! replica that falls behind more than `read_max_lag_seconds` sends public reads back to the primary.

use crate::support::TestApp;
use serde_json::{json, Value};
use std::time::Duration;

/// Resumes the replica's replay when the test ends, even on panic: a paused replica would stall every later run.
struct Resume(String);

impl Drop for Resume {
    fn drop(&mut self) {
        let url = self.0.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("rt");
            rt.block_on(async {
                if let Ok(p) = sqlx::PgPool::connect(&url).await {
                    let _ = sqlx::query("select pg_wal_replay_resume()")
                        .execute(&p)
                        .await;
                    p.close().await;
                }
            });
        })
        .join();
    }
}

async fn metrics(app: &TestApp) -> String {
    app.metrics_text().await
}

fn series(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from the metrics:\n{text}"))
}

async fn track(app: &TestApp, code: &str, id: &str) -> Value {
    let r = app
        .post("/api/v1/track", None, json!({"code": code, "proof": id}))
        .await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
    r.body
}

/// Waits until the replica has replayed everything the primary holds now.
async fn caught_up(app: &TestApp, replica: &sqlx::PgPool) {
    let motcua::store::Db::Postgres(p, _) = &app.state.db else {
        panic!("the primary is PostgreSQL")
    };
    let lsn: String = sqlx::query_scalar("select pg_current_wal_lsn()::text")
        .fetch_one(p)
        .await
        .unwrap();
    for _ in 0..200 {
        let done: bool =
            sqlx::query_scalar("select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)")
                .bind(&lsn)
                .fetch_one(replica)
                .await
                .unwrap();
        if done {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the replica did not catch up in 10 s");
}

/// Takes a dossier in at the counter; (officer token, code).
async fn intake(app: &TestApp, id: &str) -> (String, String) {
    let hc = app.login("tiepnhan.haichau").await;
    let r = app
        .intake(
            Some(&hc),
            json!({"procedure": "1.004222", "applicant": {"name": "Người nộp thử (demo)", "id_number": id}}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    (hc, r.body["code"].as_str().unwrap().to_owned())
}

async fn forward(app: &TestApp, token: &str, code: &str) {
    let r = app
        .post(
            &format!("/api/v1/dossiers/{code}/actions"),
            Some(token),
            json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
}

/// Polls `check` every 200 ms for up to `secs` seconds.
async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..secs * 5 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what}: not within {secs} s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_reads_come_from_the_replica() {
    let Some(replica) = std::env::var("MOTCUA_TEST_PG_REPLICA")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!(
            "skipped: scripts/test starts a streaming replica and sets MOTCUA_TEST_PG_REPLICA"
        );
        return;
    };
    let admin = sqlx::PgPool::connect(&replica).await.expect("replica");
    let _resume = Resume(replica.clone());
    sqlx::query("select pg_wal_replay_resume()")
        .execute(&admin)
        .await
        .unwrap();

    // The replica answers while it keeps up.
    let app = TestApp::with_replica(&replica, 3600).await;
    let id = "999000001800";
    let (hc, code) = intake(&app, id).await;
    caught_up(&app, &admin).await;
    let before = track(&app, &code, id).await;
    let m = metrics(&app).await;
    assert_eq!(series(&m, "motcua_read_replica_up"), 1.0, "{m}");
    assert!(series(&m, "motcua_read_replica_reads_total") >= 1.0, "{m}");
    let p = app.get("/api/v1/procedures/1.004222", None).await;
    assert_eq!(p.status, axum::http::StatusCode::OK, "{}", p.body);

    // Replay paused: the officer's change is on the primary, not yet in the public answer, and the lag shows.
    sqlx::query("select pg_wal_replay_pause()")
        .execute(&admin)
        .await
        .unwrap();
    forward(&app, &hc, &code).await;
    let officer = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(
        officer.status,
        axum::http::StatusCode::OK,
        "{}",
        officer.body
    );
    let stale = track(&app, &code, id).await;
    assert_eq!(
        stale["current_step"], before["current_step"],
        "the public answer is read from the paused replica: {stale}"
    );
    eventually(10, "the lag on the metrics listener", || async {
        series(&metrics(&app).await, "motcua_read_replica_lag_bytes") > 0.0
    })
    .await;

    // Replay resumed: the change reaches the public answer.
    sqlx::query("select pg_wal_replay_resume()")
        .execute(&admin)
        .await
        .unwrap();
    eventually(10, "the forwarded step in the public answer", || async {
        track(&app, &code, id).await["current_step"] != before["current_step"]
    })
    .await;

    // A replica more than a second behind hands the public reads back to the primary.
    let strict = TestApp::with_replica(&replica, 1).await;
    let id = "999000001801";
    let (hc, code) = intake(&strict, id).await;
    caught_up(&strict, &admin).await;
    let before = track(&strict, &code, id).await;
    sqlx::query("select pg_wal_replay_pause()")
        .execute(&admin)
        .await
        .unwrap();
    forward(&strict, &hc, &code).await;
    eventually(15, "the replica marked behind", || async {
        series(&metrics(&strict).await, "motcua_read_replica_up") == 0.0
    })
    .await;
    let fresh = track(&strict, &code, id).await;
    assert_ne!(
        fresh["current_step"], before["current_step"],
        "read from the primary while the replica is behind: {fresh}"
    );
    let m = metrics(&strict).await;
    assert!(
        series(&m, "motcua_read_replica_fallbacks_total") >= 1.0,
        "{m}"
    );
    assert!(series(&m, "motcua_read_replica_lag_seconds") > 1.0, "{m}");
    sqlx::query("select pg_wal_replay_resume()")
        .execute(&admin)
        .await
        .unwrap();
    eventually(15, "the replica back in use", || async {
        series(&metrics(&strict).await, "motcua_read_replica_up") == 1.0
    })
    .await;
}
