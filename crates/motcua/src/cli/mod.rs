//! The `motcua` command line: serve, demo, migrate, import, config-example, user add. Messages are bilingual.

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::service::catalog::import;
use crate::service::demo;
use crate::state::AppState;
use crate::store::{self, Db};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

mod bench;
mod queue;
mod reports;

/// motcua — hệ thống một cửa / the one-stop public service system.
#[derive(Debug, Parser)]
#[command(name = "motcua", version, about)]
pub struct Cli {
    /// Tệp cấu hình TOML / configuration file.
    #[arg(long, global = true, env = "MOTCUA_CONFIG")]
    pub config: Option<PathBuf>,
    /// sqlite://… hoặc postgres://… (ghi đè cấu hình / overrides the file).
    #[arg(long, global = true, env = "MOTCUA_DATABASE_URL")]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Chạy máy chủ / run the server.
    Serve {
        /// Địa chỉ lắng nghe / listen address.
        #[arg(long, env = "MOTCUA_BIND")]
        bind: Option<String>,
    },
    /// Chạy với dữ liệu minh họa trên SQLite nhúng / run with demo data on embedded SQLite.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Thư mục dữ liệu / data directory.
        #[arg(long, default_value = "./motcua-data")]
        data: PathBuf,
    },
    /// Áp dụng migration / apply database migrations.
    Migrate,
    /// Quét hạn xử lý một lần, cảnh báo sắp đến hạn và quá hạn / run the deadline sweep once.
    Sweep,
    /// Nhập dữ liệu / import data.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// In cấu hình mẫu / print the example configuration.
    ConfigExample,
    /// Báo cáo đọc danh sách giấy tờ của từng thủ tục / how each record's document table was read.
    ChecklistReport {
        /// Mã tỉnh: tính cả điều chỉnh của tỉnh / province code: include its corrections.
        #[arg(long, default_value = "")]
        province: String,
    },
    /// Tìm thủ tục, đo chất lượng tìm kiếm / search the catalogue, evaluate the search.
    Search {
        #[command(subcommand)]
        what: SearchWhat,
    },
    /// Xếp hàng: mô phỏng một ngày, tính số quầy / the queue: simulate a day, size the counters.
    Queue {
        #[command(subcommand)]
        what: queue::QueueWhat,
    },
    /// Đo hiệu năng (in bảng Markdown, ghi JSON) / the benchmark harness (prints a Markdown table, writes JSON).
    Bench {
        #[command(subcommand)]
        what: bench::BenchWhat,
    },
    /// Số liệu báo cáo: tính lại, đối chiếu / the report rollups: rebuild, check.
    Reports {
        #[command(subcommand)]
        what: reports::ReportsWhat,
    },
    /// Cổng thanh toán thử nghiệm (VNPay, DVCQG) chạy cục bộ / a local sandbox payment gateway (VNPay, DVCQG).
    SandboxGateway {
        #[arg(long, default_value = "127.0.0.1:8090")]
        bind: String,
        /// Terminal VNPay: MÃ=KHÓA / a VNPay terminal CODE=SECRET (repeatable).
        #[arg(long = "vnpay")]
        vnpay: Vec<String>,
        /// Nơi nhận IPN / where IPNs go, e.g. http://127.0.0.1:8080/api/v1/payments/vnpay/ipn.
        #[arg(long, default_value = "")]
        ipn_url: String,
        /// Đối tác DVCQG: MÃ=KHÓA / a national-platform partner CODE=SECRET (repeatable).
        #[arg(long = "dvcqg")]
        dvcqg: Vec<String>,
        /// Nơi nhận xác nhận DVCQG / where the platform's confirm callback goes.
        #[arg(long, default_value = "")]
        dvcqg_confirm_url: String,
        /// Trang trả về sau DVCQG / where the citizen returns after the platform.
        #[arg(long, default_value = "")]
        dvcqg_return_url: String,
    },
    /// Sao lưu CSDL nhúng (SQLite) ra tệp, kể cả khi đang chạy / back up the embedded database while it runs.
    Backup {
        /// Tệp đích (chưa tồn tại) / destination file (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Tạo tài khoản / add a user.
    UserAdd {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// citizen, receiving_officer, specialist, leader, center_director, province_admin, system_admin
        #[arg(long)]
        role: String,
        /// Mã định danh cơ quan / agency identifier.
        #[arg(long)]
        agency: Option<String>,
        /// Mật khẩu (đọc từ biến môi trường) / password, from the environment.
        #[arg(long, env = "MOTCUA_NEW_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

/// Search commands.
#[derive(Debug, Subcommand)]
pub enum SearchWhat {
    /// Đo top-1, top-3 và thời gian trên bộ câu tìm (CSV query,codes,level) / evaluate on a query set.
    Eval {
        file: PathBuf,
        /// In các câu chưa đúng / list the queries not answered first.
        #[arg(long)]
        misses: bool,
        /// Số lần chạy mỗi câu để đo thời gian / runs per query for the timing.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Tìm một câu / run one query.
    Query {
        text: String,
        /// commune, province hoặc để trống / or empty.
        #[arg(long, default_value = "")]
        level: String,
    },
}

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Đơn vị hành chính (CSV) / administrative units; an existing list is updated keeping codes and history.
    Units {
        file: PathBuf,
        /// Ngày hiệu lực (YYYY-MM-DD) / effective date of the changes.
        #[arg(long)]
        effective: Option<String>,
    },
    /// Bảng chuyển đổi đơn vị cũ → mới (CSV) / the old→new merge map.
    MergeMap { file: PathBuf },
    /// Thủ tục hành chính (JSON chi tiết hoặc CSV danh mục) / procedures (detail JSON or catalog CSV).
    Procedures { file: PathBuf },
    /// Ngày nghỉ, ngày làm bù hằng năm (CSV date,kind,note) / yearly calendar overrides.
    Calendar { file: PathBuf },
    /// Danh sách thủ tục phi địa giới (một mã mỗi dòng) / boundary-free procedure codes, one per line.
    BoundaryFree { file: PathBuf },
    /// Xã, phường vùng khó khăn (một mã mỗi dòng) / units in disadvantaged areas, one code per line.
    Disadvantaged { file: PathBuf },
    /// Mức độ trực tuyến (CSV procedure_code,online_level: full|partial|none) / online service levels.
    OnlineLevels { file: PathBuf },
    /// Cơ quan (CSV identifier,name,kind,unit_code[,replaces]) / agencies; `replaces` renames a placeholder identifier.
    Agencies { file: PathBuf },
}

fn code_lines(bytes: Vec<u8>) -> anyhow::Result<Vec<(usize, String)>> {
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("tệp phải là UTF-8 / file must be UTF-8"))?;
    Ok(text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim().to_owned()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect())
}

/// Reads an import file; a UTF-8 byte-order mark (as spreadsheet programs and Notepad write) is dropped.
fn read(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    let mut b = std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("không đọc được / cannot read {}: {e}", path.display()))?;
    if b.starts_with(&[0xEF, 0xBB, 0xBF]) {
        b.drain(..3);
    }
    Ok(b)
}

async fn open(url: &str, migrate: bool) -> anyhow::Result<Db> {
    let db = Db::connect(url).await.map_err(|e| {
        anyhow::anyhow!(
            "không kết nối được / cannot connect to {}: {e}",
            store::redact_url(url)
        )
    })?;
    if migrate {
        store::migrate::run(&db).await?;
    } else {
        let pending = store::migrate::pending(&db).await?;
        if !pending.is_empty() {
            anyhow::bail!("còn {} migration chưa áp dụng: chạy `motcua migrate` / {} pending migrations: run `motcua migrate`", pending.len(), pending.len());
        }
    }
    Ok(db)
}

async fn run_server(state: AppState, bind: &str) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| anyhow::anyhow!("không mở được cổng / cannot bind {bind}: {e}"))?;
    if !state.config.metrics_bind.is_empty() {
        match tokio::net::TcpListener::bind(&state.config.metrics_bind).await {
            Ok(ml) => {
                let app = crate::http::metrics_app(state.clone());
                tokio::spawn(async move {
                    let _ = axum::serve(ml, app).await;
                });
                tracing::info!(metrics.bind = %state.config.metrics_bind, "metrics listener");
            }
            Err(e) => {
                tracing::warn!(metrics.bind = %state.config.metrics_bind, error = %e, "metrics listener not started")
            }
        }
    }
    // Deadline warnings every 5 minutes (idempotent: a warning is raised once).
    tokio::spawn(crate::jobs::sweep::every(
        state.clone(),
        std::time::Duration::from_secs(300),
    ));
    // Notifications out of the outbox (e-mail, SMS, Zalo) and payment orders whose callback never came.
    tokio::spawn(crate::jobs::deliver::every(
        state.clone(),
        std::time::Duration::from_secs(2),
    ));
    tokio::spawn(crate::jobs::payments::every(
        state.clone(),
        std::time::Duration::from_secs(300),
    ));
    // On PostgreSQL, queue changes made by the other instances reach this one's hall displays.
    tokio::spawn(crate::jobs::queue_listen::run(state.clone()));
    let addr = listener.local_addr()?;
    tracing::info!(bind = %addr, "motcua listening");
    crate::http::serve(listener, state, crate::http::shutdown_signal()).await?;
    Ok(())
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(u) = &cli.database_url {
        config.database_url.clone_from(u);
    }
    if matches!(cli.command, Command::Bench { .. }) {
        crate::telemetry::init_at(config.log_format, "warn");
    } else {
        crate::telemetry::init(config.log_format);
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cli.command {
        Command::ConfigExample => print!("{}", crate::config::EXAMPLE),
        Command::Backup { to } => {
            if store::Backend::of(&config.database_url) != Some(store::Backend::Sqlite) {
                anyhow::bail!("với PostgreSQL hãy dùng pg_dump / for PostgreSQL use pg_dump (and keep the data key file with it)");
            }
            if to.exists() {
                anyhow::bail!("tệp đích đã tồn tại / {} exists already", to.display());
            }
            let db = open(&config.database_url, false).await?;
            // A backup holds the same personal data: SQLite fills an empty file we create private (0600).
            crate::fsperm::write_private(&to, b"").map_err(|e| {
                anyhow::anyhow!("không tạo được / cannot create {}: {e}", to.display())
            })?;
            crate::on_db!(&db, |p| sqlx::query("vacuum into $1")
                .bind(to.display().to_string())
                .execute(p)
                .await
                .map(|_| ()))?;
            db.close().await;
            println!(
                "Đã sao lưu / backed up to {}. Lưu kèm tệp khóa / keep the data key with it: {}",
                to.display(),
                config.data_key_file
            );
        }
        Command::ChecklistReport { province } => {
            let db = open(&config.database_url, false).await?;
            let lines = crate::service::catalog::checklists::report(&db, &province)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", checklist_report(&lines));
        }
        Command::Search { what } => search(&config, clock, what).await?,
        Command::Queue { what } => queue::run(&config, clock, what).await?,
        Command::Reports { what } => reports::run(&config, what).await?,
        Command::Bench { what } => bench::run(what).await?,
        Command::SandboxGateway {
            bind,
            vnpay,
            ipn_url,
            dvcqg,
            dvcqg_confirm_url,
            dvcqg_return_url,
        } => {
            let pairs =
                |v: &[String]| -> anyhow::Result<std::collections::HashMap<String, String>> {
                    v.iter()
                        .map(|s| {
                            s.split_once('=')
                                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                                .ok_or_else(|| {
                                    anyhow::anyhow!("cần MÃ=KHÓA / expected CODE=SECRET")
                                })
                        })
                        .collect()
                };
            let listener = tokio::net::TcpListener::bind(&bind)
                .await
                .map_err(|e| anyhow::anyhow!("không mở được cổng / cannot bind {bind}: {e}"))?;
            let public = format!("http://{}", listener.local_addr()?);
            println!("Cổng thanh toán thử nghiệm / sandbox gateway at {public}");
            crate::sandbox_gateway::run(
                listener,
                crate::sandbox_gateway::GatewayConfig {
                    vnpay: pairs(&vnpay)?,
                    ipn_url,
                    dvcqg: pairs(&dvcqg)?,
                    dvcqg_confirm_url,
                    dvcqg_return_url,
                    public,
                },
            )
            .await?;
        }
        Command::Sweep => {
            let db = open(&config.database_url, false).await?;
            let state = AppState::new(db, clock, config).await?;
            let r = crate::jobs::sweep::run(&state).await?;
            println!(
                "Đã quét / swept: {} bước đang mở, {} cảnh báo mới, {} lỗi / open steps, new warnings, failures",
                r.examined, r.raised, r.failed
            );
        }
        Command::Migrate => {
            let db = open(&config.database_url, true).await?;
            println!(
                "Đã áp dụng migration / migrations applied ({}).",
                store::redact_url(&config.database_url)
            );
            db.close().await;
        }
        Command::Serve { bind } => {
            let migrate = store::Backend::of(&config.database_url) == Some(store::Backend::Sqlite);
            let db = open(&config.database_url, migrate).await?;
            if let Some(b) = bind {
                config.bind = b;
            }
            let bind = config.bind.clone();
            // The official units and the national catalog are there by default on a new database.
            if let Some((u, m, p)) = import::bootstrap(&db, clock.now()).await? {
                tracing::info!(
                    provinces = u.provinces.inserted,
                    units = u.communes.inserted,
                    merge_rows = m,
                    procedures_detailed = p.total,
                    "reference data loaded"
                );
            }
            let state = AppState::new(db, clock, config).await?;
            run_server(state, &bind).await?;
        }
        Command::Demo { bind, data } => {
            demo(config, clock, cli.database_url.is_some(), &bind, &data).await?
        }
        Command::Import { what } => import_file(&config, clock, what).await?,
        Command::UserAdd {
            username,
            display_name,
            role,
            agency,
            password,
        } => {
            let db = open(&config.database_url, false).await?;
            let state = AppState::new(db.clone(), clock, config).await?;
            // The same use case as the administration page: validated, and audited as the operator's CLI.
            let created = crate::service::admin::users::create(
                &state,
                crate::service::admin::Admin::Cli,
                &crate::service::admin::users::NewAccount {
                    username,
                    display_name,
                    role,
                    agency: agency.unwrap_or_default(),
                    password,
                },
                "cli",
            )
            .await
            .map_err(cli_error)?;
            println!("Đã tạo / created {}", created.username);
            if let Some(t) = created.totp_secret {
                println!("Khóa TOTP (nhập vào ứng dụng xác thực) / TOTP secret for the authenticator app: {t}");
            }
            db.close().await;
        }
    }
    Ok(())
}

/// `demo`: a fresh embedded database in `data` with the shipped reference data and clearly marked demo data, served.
async fn demo(
    mut config: Config,
    clock: Arc<dyn Clock>,
    database_given: bool,
    bind: &str,
    data: &std::path::Path,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    crate::fsperm::private_dir(data).map_err(|e| {
        anyhow::anyhow!(
            "không tạo được thư mục / cannot create {}: {e}",
            data.display()
        )
    })?;
    if !database_given {
        config.database_url = format!("sqlite://{}", data.join("motcua.db").display());
    }
    config.data_key_file = data.join("data.key").display().to_string();
    config.id_hash_key_file = data.join("id-hash.key").display().to_string();
    config.blob_dir = data.join("blobs").display().to_string();
    bind.clone_into(&mut config.bind);
    // The receipt's QR code links to where this demo actually listens.
    if config.public_url == crate::config::Config::default().public_url {
        config.public_url = format!("http://{bind}");
    }
    let gateway = demo_gateway(&mut config).await?;
    let db = open(&config.database_url, true).await?;
    if let Some((u, m, p)) = import::bootstrap(&db, clock.now()).await? {
        println!(
            "Đã nạp dữ liệu / loaded: {} tỉnh, {} xã/phường/đặc khu, {} dòng chuyển đổi, {} thủ tục chi tiết (đầy đủ {}, một phần {}, không tách được {}; suy ra đơn vị thời gian {}; bỏ qua {} bản ghi mang tên thủ tục khác)",
            u.provinces.inserted, u.communes.inserted, m, p.total, p.full, p.partial, p.none, p.units_inferred, p.mismatched.len()
        );
    }
    let state = AppState::new(db, clock, config).await?;
    demo::seed(&state).await?;
    let tickets = crate::service::queue::demo::seed_history(&state, 8).await?;
    if tickets > 0 {
        println!("Lịch sử xếp hàng minh họa (demo) / made-up queue history (demo): {tickets} lượt tại Phường Hải Châu");
    }
    print_demo(bind, started.elapsed());
    println!(
        "Cổng thanh toán thử nghiệm / sandbox payment gateway: {gateway} (VNPay {}, khóa / secret (demo only): {}); tin nhắn SMS / texts: {gateway}/sms",
        demo::DEMO_VNPAY_TMN,
        demo::DEMO_VNPAY_SECRET
    );
    run_server(state, bind).await?;
    Ok(())
}

/// Starts the sandbox gateway beside the demo (in this process, on a free port) and configures VNPay and the
/// national platform against it. Returns its address.
async fn demo_gateway(config: &mut Config) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let public = format!("http://{}", listener.local_addr()?);
    let me = config.public_url.trim_end_matches('/').to_owned();
    let provider = |p: &str, pay: String, api: String, merchant: &str, secret: &str| {
        crate::config::PaymentProvider {
            province: String::new(),
            provider: p.into(),
            pay_url: pay,
            api_url: api,
            merchant: merchant.into(),
            secret: crate::config::Secret(secret.into()),
            secret_file: String::new(),
        }
    };
    // Texts (notifications, "your turn is near") go to the sandbox's stand-in SMS gateway, readable at /sms.
    if config.sms_webhook_url.is_empty() {
        config.sms_webhook_url = format!("{public}/sms");
    }
    config.payments = vec![
        provider(
            "vnpay",
            format!("{public}/paymentv2/vpcpay.html"),
            format!("{public}/merchant_webapi/api/transaction"),
            demo::DEMO_VNPAY_TMN,
            demo::DEMO_VNPAY_SECRET,
        ),
        provider(
            "dvcqg",
            format!("{public}/dvcqg/init"),
            format!("{public}/dvcqg/query"),
            demo::DEMO_DVCQG_PARTNER,
            demo::DEMO_DVCQG_SECRET,
        ),
    ];
    let cfg = crate::sandbox_gateway::GatewayConfig {
        vnpay: [(
            demo::DEMO_VNPAY_TMN.to_owned(),
            demo::DEMO_VNPAY_SECRET.to_owned(),
        )]
        .into(),
        ipn_url: format!("{me}/api/v1/payments/vnpay/ipn"),
        dvcqg: [(
            demo::DEMO_DVCQG_PARTNER.to_owned(),
            demo::DEMO_DVCQG_SECRET.to_owned(),
        )]
        .into(),
        dvcqg_confirm_url: format!("{me}/api/v1/payments/dvcqg/confirm"),
        dvcqg_return_url: format!("{me}/thanh-toan/ket-qua"),
        public: public.clone(),
    };
    tokio::spawn(async move {
        if let Err(e) = crate::sandbox_gateway::run(listener, cfg).await {
            tracing::warn!(error = %e, "sandbox gateway stopped");
        }
    });
    Ok(public)
}

/// `import …`: one file into the database named by the configuration.
async fn import_file(
    config: &Config,
    clock: Arc<dyn Clock>,
    what: ImportWhat,
) -> anyhow::Result<()> {
    let db = open(
        &config.database_url,
        store::Backend::of(&config.database_url) == Some(store::Backend::Sqlite),
    )
    .await?;
    match what {
        ImportWhat::Units { file, effective } => {
            let eff = match effective {
                Some(e) => time::Date::parse(
                    &e,
                    time::macros::format_description!("[year]-[month]-[day]"),
                )
                .map_err(|_| {
                    anyhow::anyhow!("--effective phải là YYYY-MM-DD / must be YYYY-MM-DD")
                })?,
                None => import::EFFECTIVE_2025,
            };
            let r = import::units_csv(&db, &read(&file)?, eff, &file.display().to_string()).await?;
            println!("Tỉnh / provinces: {} mới, {} thay đổi, {} giữ nguyên; xã / communes: {} mới, {} thay đổi, {} giữ nguyên; cơ quan tạo mới / agencies created: {}",
                r.provinces.inserted, r.provinces.changed, r.provinces.unchanged, r.communes.inserted, r.communes.changed, r.communes.unchanged, r.agencies_created);
        }
        ImportWhat::MergeMap { file } => {
            let n = import::merge_map_csv(&db, &read(&file)?).await?;
            println!("Đã nạp {n} dòng / loaded {n} rows");
        }
        ImportWhat::Procedures { file } => {
            let r =
                import::procedures(&db, &read(&file)?, &file.display().to_string(), clock.now())
                    .await?;
            println!("Thủ tục / procedures: {} (chi tiết đầy đủ {}, một phần {}, không tách được {}, suy ra đơn vị thời gian {}, chỉ danh mục {})", r.total, r.full, r.partial, r.none, r.units_inferred, r.catalog_only);
            if !r.mismatched.is_empty() {
                println!("Bỏ qua {} bản ghi chi tiết có tên khác tên trong danh mục (trang của thủ tục khác) / {} detail records skipped, their name is not the catalogue's: {}", r.mismatched.len(), r.mismatched.len(), r.mismatched.join(", "));
            }
        }
        ImportWhat::Calendar { file } => {
            let n = import::calendar_csv(&db, &read(&file)?, &file.display().to_string()).await?;
            println!("Đã nạp {n} ngày / loaded {n} days");
        }
        ImportWhat::Disadvantaged { file } => {
            let mut n = 0;
            let lines = code_lines(read(&file)?)?;
            for (i, line) in &lines {
                let c = motcua_domain::codes::UnitCode::parse(line)
                    .map_err(|e| anyhow::anyhow!("dòng {i} / line {i}: {e}"))?;
                n += store::units::set_disadvantaged(&db, c.as_str(), true).await?;
            }
            println!(
                "Đã đánh dấu {n}/{} xã, phường vùng khó khăn / marked {n} of {} units",
                lines.len(),
                lines.len()
            );
        }
        ImportWhat::OnlineLevels { file } => {
            let n = import::online_levels_csv(&db, &read(&file)?, None).await?;
            println!("Đã cập nhật {n} thủ tục / updated {n} procedures");
        }
        ImportWhat::Agencies { file } => {
            let r = import::agencies_csv(&db, &read(&file)?).await?;
            println!(
                "Cơ quan / agencies: {} mới, {} đổi mã định danh / {} created, {} re-identified",
                r.0, r.1, r.0, r.1
            );
        }
        ImportWhat::BoundaryFree { file } => {
            let (n, total) = import::boundary_free_list(&db, &read(&file)?, None).await?;
            println!(
                "Đã đánh dấu {n}/{total} thủ tục phi địa giới / marked {n} of {total} boundary-free"
            );
        }
    }
    db.close().await;
    Ok(())
}

/// A refusal from a use case as a CLI message, in Vietnamese and English.
fn cli_error(e: crate::error::AppError) -> anyhow::Error {
    match e {
        crate::error::AppError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|(k, f)| format!("{k}: {} / {}", f.vi, f.en))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        crate::error::AppError::Coded { code, detail } => {
            anyhow::anyhow!("{} / {} {detail}", code.vi(), code.en())
        }
        crate::error::AppError::Internal(e) => e,
    }
}

fn print_demo(bind: &str, took: std::time::Duration) {
    println!();
    println!(
        "motcua (DEMO) đang chạy tại / is running at http://{bind}/  (sẵn sàng sau {:.1} s)",
        took.as_secs_f64()
    );
    println!("  API: http://{bind}/api/v1/openapi.json   Sức khỏe / health: http://{bind}/healthz");
    println!(
        "Tài khoản demo / demo logins (mật khẩu / password: {}):",
        demo::DEMO_PASSWORD
    );
    for l in demo::LOGINS {
        let agency = if l.agency.is_empty() { "-" } else { l.agency };
        println!("  {:<24} {:<22} {}", l.username, l.role.as_str(), agency);
    }
    println!(
        "Quản trị viên cần mã TOTP / administrators need a TOTP code; secret (demo only): {}",
        demo::DEMO_TOTP
    );
    println!("Dữ liệu demo được đánh dấu \"(demo)\"; số định danh 999… không cấp cho ai / demo data is marked; 999… IDs are never issued.");
}

/// The checklist report as text: one tab-separated line a record, then the totals by how it was read.
fn checklist_report(all: &[crate::service::catalog::checklists::ReportLine]) -> String {
    use motcua_domain::checklist::Source;
    // Records with their published detail (or a province's correction); catalogue-only records have no table.
    let lines: Vec<&crate::service::catalog::checklists::ReportLine> = all
        .iter()
        .filter(|l| l.has_detail || l.source == Source::Corrected)
        .collect();
    let mut out = String::from(
        "ma_thu_tuc\tnguon/source\tbat_buoc/required\tneu_co/if_applicable\tthay_the/alternatives\ttruong_hop/cases\tluu_y/notes\n",
    );
    for l in &lines {
        let r = &l.recognised;
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            l.code,
            serde_json::to_value(l.source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            r.required,
            r.if_applicable,
            r.alternatives,
            r.cases,
            r.notes
        ));
    }
    let count = |s: Source| lines.iter().filter(|l| l.source == s).count();
    out.push_str(&format!(
        "# {} thủ tục / records: {} đọc được / parsed ({} có trường hợp / with cases), {} chỉ có lưu ý / notes only, {} không đọc được / unreadable, {} tỉnh điều chỉnh / corrected; {} thủ tục chỉ có trong danh mục, chưa có chi tiết / catalogue-only, no detail\n",
        lines.len(),
        count(Source::Parsed),
        lines
            .iter()
            .filter(|l| l.source == Source::Parsed && l.recognised.cases > 0)
            .count(),
        count(Source::NotesOnly),
        count(Source::Unreadable),
        count(Source::Corrected),
        all.len() - lines.len(),
    ));
    out
}

async fn search(config: &Config, clock: Arc<dyn Clock>, what: SearchWhat) -> anyhow::Result<()> {
    use crate::service::catalog::{search, search_eval};
    let db = open(&config.database_url, true).await?;
    import::bootstrap(&db, clock.now()).await?;
    let built = search::SearchIndex::default()
        .rebuild(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match what {
        SearchWhat::Eval {
            file,
            misses,
            rounds,
        } => {
            let text = String::from_utf8(read(&file)?)
                .map_err(|_| anyhow::anyhow!("tệp không phải UTF-8 / file is not UTF-8"))?;
            let cases = search_eval::read(&text)?;
            let r = search_eval::run(&built, &cases, rounds);
            print!("{}", search_eval::print(&r, misses));
        }
        SearchWhat::Query { text, level } => {
            let level = motcua_domain::search::Level::parse(&level);
            let names = store::procedures::names(&db).await?;
            for h in built.index.search(&text, level, false).iter().take(10) {
                println!(
                    "{:>8.2}  {}  {}",
                    h.score,
                    h.code,
                    names.get(h.code).map_or("", String::as_str)
                );
            }
        }
    }
    db.close().await;
    Ok(())
}
