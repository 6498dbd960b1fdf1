//! Test harness: a template database built once (shared by test processes through a file or a PostgreSQL template
//! database), one fresh copy per test, and a `TestApp` that calls the router in-process.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use motcua::clock::FixedClock;
use motcua::config::Config;
use motcua::state::AppState;
use motcua::store::Db;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use time::macros::datetime;
use time::OffsetDateTime;
use tower::ServiceExt;

/// Monday 23/11/2026 09:00 in Vietnam: the moment every test starts at.
pub const START: OffsetDateTime = datetime!(2026-11-23 09:00 +7);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server URL for tests, if `MOTCUA_TEST_PG` is set.
pub fn pg_url() -> Option<String> {
    std::env::var("MOTCUA_TEST_PG")
        .ok()
        .filter(|u| !u.is_empty())
}

fn template_key() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for m in motcua::store::migrate::MIGRATIONS {
        h.update(m.sqlite.as_bytes());
        h.update(m.postgres.as_bytes());
    }
    h.update(
        motcua::service::catalog::import::CATALOG_JSON
            .len()
            .to_le_bytes(),
    );
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(include_bytes!("../../src/service/demo.rs"));
    h.update(include_bytes!("../../src/service/queue/demo.rs"));
    h.update(include_bytes!("../../src/store/queue/mod.rs"));
    h.update(include_bytes!("../../src/service/catalog/import.rs"));
    h.update(include_bytes!("../../../motcua-domain/src/catalog/mod.rs"));
    h.update(include_bytes!(
        "../../../motcua-domain/src/catalog/channels.rs"
    ));
    h.update(include_bytes!(
        "../../../motcua-domain/src/catalog/documents.rs"
    ));
    // Everything that writes the template's rows.
    h.update(include_bytes!("../../src/store/procedures.rs"));
    h.update(include_bytes!("../../src/store/units.rs"));
    h.update(include_bytes!("../../src/store/agencies.rs"));
    h.update(include_bytes!("../../src/store/users.rs"));
    h.update(include_bytes!("../../src/store/dossiers.rs"));
    h.update(include_bytes!("../../src/service/dossier/dossiers.rs"));
    h.update(include_bytes!("../../src/service/dossier/process/mod.rs"));
    h.update(include_bytes!("../../src/service/dossier/process/start.rs"));
    h.update(include_bytes!(
        "../../src/service/dossier/process/actions.rs"
    ));
    h.update(include_bytes!("../../src/service/dossier/rules.rs"));
    h.update(include_bytes!("../../src/service/catalog/workflows.rs"));
    h.update(include_bytes!("../../src/store/steps.rs"));
    h.update(include_bytes!("../../src/store/workflows.rs"));
    h.update(include_bytes!("../../../motcua-domain/src/workflow.rs"));
    h.update(include_bytes!("../../src/auth.rs"));
    h.update(include_bytes!("../../src/crypto.rs"));
    h.update(include_bytes!("../../src/keys.rs"));
    hex::encode(&h.finalize()[..6])
}

pub fn test_config(url: &str) -> Config {
    Config {
        database_url: url.to_owned(),
        metrics_bind: String::new(),
        data_key_file: target_dir().join("test.key").display().to_string(),
        id_hash_key_file: target_dir().join("test-id-hash.key").display().to_string(),
        blob_dir: target_dir().join("test-blobs").display().to_string(),
        // In-process requests have no client address, so every test would share one window; the limit has its own test.
        login_per_minute: 0,
        ..Config::default()
    }
}

async fn fill(db: &Db) {
    motcua::store::migrate::run(db).await.expect("migrate");
    motcua::service::catalog::import::bootstrap(db, START)
        .await
        .expect("bootstrap");
    let clock = Arc::new(FixedClock::new(START));
    let st = AppState::new(db.clone(), clock, test_config(""))
        .await
        .expect("state");
    motcua::service::demo::seed(&st).await.expect("seed");
}

pub fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-db")
}

async fn sqlite_template() -> PathBuf {
    let dir = target_dir();
    std::fs::create_dir_all(&dir).expect("mkdir");
    let path = dir.join(format!("template-{}.db", template_key()));
    if path.exists() {
        return path;
    }
    let tmp = dir.join(format!("building-{}-{}.db", template_key(), rand_suffix()));
    let db = Db::connect(&format!("sqlite://{}", tmp.display()))
        .await
        .expect("sqlite");
    fill(&db).await;
    motcua::on_db!(&db, |p| sqlx::query("pragma wal_checkpoint(truncate)")
        .execute(p)
        .await
        .map(|_| ()))
    .expect("checkpoint");
    db.close().await;
    let _ = std::fs::remove_file(tmp.with_extension("db-wal"));
    let _ = std::fs::remove_file(tmp.with_extension("db-shm"));
    // Atomic: another process may have won the race, which is fine.
    std::fs::rename(&tmp, &path).expect("rename template");
    path
}

fn rand_suffix() -> String {
    let mut b = [0u8; 6];
    getrandom::getrandom(&mut b).expect("random");
    hex::encode(b)
}

fn with_db(url: &str, db: &str) -> String {
    match url.rfind('/') {
        Some(i) if url[..i].contains("://") && i > url.find("://").unwrap_or(0) + 2 => {
            format!("{}/{db}", &url[..i])
        }
        _ => format!("{}/{db}", url.trim_end_matches('/')),
    }
}

async fn pg_admin(url: &str) -> sqlx::PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await
        .expect("MOTCUA_TEST_PG is set but PostgreSQL is unreachable")
}

async fn pg_template(url: &str) -> String {
    let name = format!("motcua_tpl_{}", template_key());
    let admin = pg_admin(url).await;
    let mut conn = admin.acquire().await.expect("conn");
    sqlx::query("select pg_advisory_lock(7212026)")
        .execute(&mut *conn)
        .await
        .expect("lock");
    let exists: Option<i32> = sqlx::query_scalar("select 1 from pg_database where datname = $1")
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await
        .expect("q");
    if exists.is_none() {
        let building = format!("{name}_b");
        sqlx::query(&format!("drop database if exists {building} with (force)"))
            .execute(&mut *conn)
            .await
            .expect("drop");
        sqlx::query(&format!("create database {building}"))
            .execute(&mut *conn)
            .await
            .expect("create");
        let db = Db::connect(&with_db(url, &building))
            .await
            .expect("connect template");
        fill(&db).await;
        db.close().await;
        // A closed pool's sessions can outlive it for a moment on the server: end them before the rename.
        sqlx::query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()")
            .bind(&building)
            .execute(&mut *conn)
            .await
            .expect("terminate");
        sqlx::query(&format!("alter database {building} rename to {name}"))
            .execute(&mut *conn)
            .await
            .expect("rename");
    }
    sqlx::query("select pg_advisory_unlock(7212026)")
        .execute(&mut *conn)
        .await
        .expect("unlock");
    drop(conn);
    admin.close().await;
    name
}

/// Removes the test database when the test ends, even on panic.
pub struct DbGuard {
    sqlite: Option<PathBuf>,
    pg: Option<(String, String)>,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let Some(p) = &self.sqlite {
            for ext in ["db", "db-wal", "db-shm"] {
                let _ = std::fs::remove_file(p.with_extension(ext));
            }
        }
        if let Some((url, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("rt");
                rt.block_on(async {
                    let admin = pg_admin(&url).await;
                    let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                        .execute(&admin)
                        .await;
                    admin.close().await;
                });
            })
            .join();
        }
    }
}

/// A fresh copy of the template database.
pub async fn fresh_db(backend: Backend) -> (Db, String, DbGuard) {
    match backend {
        Backend::Sqlite => {
            let tpl = sqlite_template().await;
            let path = target_dir().join(format!("t-{}.db", rand_suffix()));
            std::fs::copy(&tpl, &path).expect("copy template");
            let url = format!("sqlite://{}", path.display());
            let db = Db::connect(&url).await.expect("connect");
            (
                db,
                url,
                DbGuard {
                    sqlite: Some(path),
                    pg: None,
                },
            )
        }
        Backend::Postgres => {
            let url = pg_url().expect("postgres tests need MOTCUA_TEST_PG");
            let tpl = pg_template(&url).await;
            let name = format!("motcua_t_{}", rand_suffix());
            let admin = pg_admin(&url).await;
            sqlx::query(&format!("create database {name} template {tpl}"))
                .execute(&admin)
                .await
                .expect("create from template");
            admin.close().await;
            let db_url = with_db(&url, &name);
            let db = Db::connect(&db_url).await.expect("connect");
            (
                db,
                db_url,
                DbGuard {
                    sqlite: None,
                    pg: Some((url, name)),
                },
            )
        }
    }
}

/// The CSRF value test forms carry (cookie and field alike).
pub const CSRF: &str = "0123456789abcdef0123456789abcdef";

/// The application under test, with a fixed clock.
pub struct TestApp {
    pub state: AppState,
    pub clock: Arc<FixedClock>,
    pub router: Router,
    _guard: DbGuard,
}

/// A response: status and JSON body (Null when the body is not JSON).
pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub headers: axum::http::HeaderMap,
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_config(backend, |_| {}).await
    }

    /// The application on PostgreSQL with its public reads on the streaming replica at `replica` (a server URL;
    /// the test database is opened there once the replica has replayed its creation).
    pub async fn with_replica(replica: &str, max_lag_seconds: u64) -> TestApp {
        let (db, url, guard) = fresh_db(Backend::Postgres).await;
        let name = url.rsplit('/').next().unwrap_or_default().to_owned();
        let read_url = with_db(replica, &name);
        let mut ready = false;
        for _ in 0..100 {
            if let Ok(Ok(p)) = tokio::time::timeout(
                std::time::Duration::from_secs(2),
                sqlx::PgPool::connect(&read_url),
            )
            .await
            {
                p.close().await;
                ready = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(ready, "the replica never had the test database");
        let clock = Arc::new(FixedClock::new(START));
        let mut config = test_config(&url);
        config.database_read_url = read_url;
        config.read_max_lag_seconds = max_lag_seconds;
        // The test polls tracking while the replica catches up; the limit has its own test.
        config.tracking_per_minute = 0;
        Self::assemble(db, clock, config, guard).await
    }

    async fn assemble(db: Db, clock: Arc<FixedClock>, config: Config, guard: DbGuard) -> TestApp {
        let state = AppState::new(db, clock.clone(), config)
            .await
            .expect("state");
        let router = motcua::http::app(state.clone());
        TestApp {
            state,
            clock,
            router,
            _guard: guard,
        }
    }

    /// The metrics listener's text.
    pub async fn metrics_text(&self) -> String {
        let resp = ServiceExt::oneshot(
            motcua::http::metrics_app(self.state.clone()),
            Request::get("/metrics")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("metrics");
        let body = resp.into_body().collect().await.expect("body").to_bytes();
        String::from_utf8(body.to_vec()).expect("utf-8")
    }

    /// The application with a changed configuration.
    pub async fn with_config(backend: Backend, change: impl FnOnce(&mut Config)) -> TestApp {
        let (db, url, guard) = fresh_db(backend).await;
        let clock = Arc::new(FixedClock::new(START));
        let mut config = test_config(&url);
        change(&mut config);
        Self::assemble(db, clock, config, guard).await
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<String>,
    ) -> Resp {
        let body = body.map(|b| ("application/json", b.into_bytes()));
        self.raw(method, path, token, body).await
    }

    /// A request with an optional body of the given content type.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<(&str, Vec<u8>)>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        if let Some((ct, _)) = &body {
            b = b.header("content-type", *ct);
        }
        let req = b
            .body(body.map_or_else(Body::empty, |(_, bytes)| Body::from(bytes)))
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            body,
            headers,
        }
    }

    /// A request as it arrives on a socket from `peer`, with extra headers (client addresses, proxies).
    pub async fn request_from(
        &self,
        peer: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<serde_json::Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let mut req = b
            .body(body.map_or_else(Body::empty, |v| Body::from(v.to_string())))
            .expect("request");
        let addr: std::net::SocketAddr = peer.parse().expect("peer address");
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            body,
            headers,
        }
    }

    /// Sends raw bytes with a declared content type (uploads).
    pub async fn upload(
        &self,
        path: &str,
        token: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Resp {
        self.raw("POST", path, Some(token), Some((content_type, bytes)))
            .await
    }

    #[track_caller]
    pub fn get<'a>(
        &'a self,
        path: &'a str,
        token: Option<&'a str>,
    ) -> impl std::future::Future<Output = Resp> + 'a {
        self.request("GET", path, token, None)
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.request("POST", path, token, Some(body.to_string()))
            .await
    }

    /// The checklist numbers of every document a procedure requires at intake.
    pub async fn all_documents(&self, procedure: &str) -> Vec<u32> {
        self.papers(procedure, None).await.0
    }

    /// The required papers of a procedure's online checklist (no cases), as an officer ticks them to accept an online
    /// dossier.
    pub async fn online_papers(&self, procedure: &str) -> Vec<u32> {
        let p = self
            .get(&format!("/api/v1/procedures/{procedure}"), None)
            .await;
        p.body["checklist_online"]["papers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["need"] == "required")
            .map(|p| u32::try_from(p["number"].as_u64().unwrap()).unwrap())
            .collect()
    }

    /// The required papers of a procedure's counter checklist, in a case (the first, when it has cases and none is
    /// named), with the case's key.
    pub async fn papers(&self, procedure: &str, case: Option<&str>) -> (Vec<u32>, Option<String>) {
        let p = self
            .get(&format!("/api/v1/procedures/{procedure}"), None)
            .await;
        let c = &p.body["checklist"];
        let case = case
            .map(str::to_owned)
            .or_else(|| c["cases"][0]["key"].as_str().map(str::to_owned));
        let required = |ps: &Value| -> Vec<u32> {
            ps.as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["need"] == "required")
                .map(|p| u32::try_from(p["number"].as_u64().unwrap()).unwrap())
                .collect()
        };
        let mut n = required(&c["papers"]);
        if let Some(k) = &case {
            for cg in c["cases"].as_array().into_iter().flatten() {
                if cg["key"] == k.as_str() {
                    n.extend(required(&cg["papers"]));
                }
            }
        }
        (n, case)
    }

    /// Counter intake (`POST /api/v1/dossiers`) with every required document ticked unless the body says otherwise.
    pub async fn intake(&self, token: Option<&str>, mut body: Value) -> Resp {
        if body.get("documents").is_none() {
            if let Some(p) = body["procedure"].as_str().map(str::to_owned) {
                let given = body["document_case"].as_str().map(str::to_owned);
                // A citizen submits online: the online checklist's papers (an officer's, the counter's).
                let me = self.get("/api/v1/auth/me", token).await;
                if me.body["role"] == "citizen" && given.is_none() {
                    body["documents"] = serde_json::json!(self.online_papers(&p).await);
                    return self.post("/api/v1/dossiers", token, body).await;
                }
                let (n, case) = self.papers(&p, given.as_deref()).await;
                body["documents"] = serde_json::json!(n);
                if let Some(c) = case {
                    body["document_case"] = serde_json::json!(c);
                }
            }
        }
        self.post("/api/v1/dossiers", token, body).await
    }

    /// Gets a page with cookies (`name=value; …`), as a browser would.
    pub async fn page(
        &self,
        path: &str,
        cookies: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut b = Request::builder().method("GET").uri(path);
        if !cookies.is_empty() {
            b = b.header("cookie", cookies);
        }
        let resp = self
            .router
            .clone()
            .oneshot(b.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// A browser's request with raw bytes and its own headers (multipart forms); returns status, headers and the page.
    pub async fn browser_raw(
        &self,
        (method, path): (&str, &str),
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut b = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            b = b.header(*k, v);
        }
        let req = b.body(Body::from(body)).expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Posts an HTML form the way a browser does: urlencoded, with the CSRF cookie and the same value in the form
    /// (`csrf: None` leaves the field out). Returns the status, headers and page.
    pub async fn form_post(
        &self,
        path: &str,
        session: Option<&str>,
        csrf: Option<&str>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        if let Some(c) = csrf {
            all.push(("csrf", c));
        }
        let body = serde_urlencoded::to_string(&all).expect("form");
        let mut cookie = format!("motcua_csrf={CSRF}");
        if let Some(s) = session {
            cookie.push_str(&format!("; motcua_session={s}"));
        }
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", cookie)
            .body(Body::from(body))
            .expect("request");
        let resp = self.router.clone().oneshot(req).await.expect("response");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    /// Signs a demo user in and returns the token (administrators get the current TOTP code).
    pub async fn login(&self, username: &str) -> String {
        let otp = motcua::auth::totp(motcua::service::demo::DEMO_TOTP, self.clock.now_ts());
        let r = self
            .post("/api/v1/auth/login", None, serde_json::json!({"username": username, "password": motcua::service::demo::DEMO_PASSWORD, "otp": otp}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
        r.body["token"].as_str().expect("token").to_owned()
    }
}

/// Unix time of the fixed clock.
pub trait NowTs {
    fn now_ts(&self) -> i64;
}

impl NowTs for FixedClock {
    fn now_ts(&self) -> i64 {
        use motcua::clock::Clock;
        self.now().unix_timestamp()
    }
}

/// Declares a test that runs on SQLite and, when `MOTCUA_TEST_PG` is set, on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, $f:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$f($crate::support::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::support::pg_url().is_none() {
                    eprintln!(
                        "skipped: set MOTCUA_TEST_PG=postgres://… to run the PostgreSQL variant"
                    );
                    return;
                }
                super::$f($crate::support::Backend::Postgres).await
            }
        }
    };
}
