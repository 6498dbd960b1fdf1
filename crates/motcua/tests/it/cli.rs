//! The command line as a user runs it.

use std::process::Command;

fn motcua() -> Command {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
}

#[test]
fn verify_cli() {
    use clap::CommandFactory;
    motcua::cli::Cli::command().debug_assert();
}

#[test]
fn config_example_parses_to_the_defaults() {
    let out = motcua().arg("config-example").output().unwrap();
    assert!(out.status.success());
    let cfg: motcua::config::Config =
        toml::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert_eq!(cfg, motcua::config::Config::default());
}

#[test]
fn import_commands_report_and_refuse_bad_files() {
    let dir = std::env::temp_dir().join(format!("motcua-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("cli.db").display());
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/");
    let run = |args: &[&str]| {
        motcua()
            .args(args)
            .env("MOTCUA_DATABASE_URL", &db)
            .env_remove("MOTCUA_CONFIG")
            .output()
            .unwrap()
    };
    let m = run(&["migrate"]);
    assert!(m.status.success(), "{}", String::from_utf8_lossy(&m.stderr));
    let u = run(&[
        "import",
        "units",
        &format!("{data}admin_units_2025_full.csv"),
    ]);
    let text = String::from_utf8_lossy(&u.stdout).to_string();
    assert!(
        text.contains("34 mới") && text.contains("3321 mới"),
        "{text}"
    );
    let u2 = run(&[
        "import",
        "units",
        &format!("{data}admin_units_2026_full.csv"),
        "--effective",
        "2026-04-30",
    ]);
    assert!(
        String::from_utf8_lossy(&u2.stdout).contains("202 thay đổi"),
        "{}",
        String::from_utf8_lossy(&u2.stdout)
    );
    let p = run(&[
        "import",
        "procedures",
        &format!("{data}tthc_commune_level_sample.json"),
    ]);
    assert!(
        String::from_utf8_lossy(&p.stdout).contains("Thủ tục / procedures: 588"),
        "{}",
        String::from_utf8_lossy(&p.stderr)
    );
    // A province gives a placeholder agency its official identifier; later dossier codes use it.
    let ag = dir.join("agencies.csv");
    std::fs::write(&ag, "identifier,name,kind,unit_code,replaces\n000.00.48.H17,Trung tâm Phục vụ hành chính công phường Hải Châu,commune_center,20242,20242\n48.SXD,Sở Xây dựng thành phố Đà Nẵng,department,48,\n").unwrap();
    // How each record's document table was read: one line a record, then the totals.
    let r = run(&["checklist-report"]);
    let out = String::from_utf8_lossy(&r.stdout).to_string();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(out.contains("1.001193\tparsed\t3\t"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("1.004222\tparsed\t") && !l.ends_with("\t0\t0")),
        "{out}"
    );
    assert!(
        out.contains("# 588 thủ tục / records: "),
        "{}",
        out.lines().last().unwrap_or("")
    );
    let a = run(&["import", "agencies", ag.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&a.stdout).contains("1 created, 1 re-identified"),
        "{}{}",
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&a.stderr)
    );
    std::fs::write(
        &ag,
        "identifier,name,kind,unit_code\nX1,Cơ quan lạ,ministry,48\n",
    )
    .unwrap();
    let a = run(&["import", "agencies", ag.to_str().unwrap()]);
    assert!(!a.status.success() && String::from_utf8_lossy(&a.stderr).contains("loại cơ quan"));
    let list = dir.join("codes.txt");
    std::fs::write(&list, "# danh sách phi địa giới\n1.001193\n2.000815\n").unwrap();
    let b = run(&["import", "boundary-free", list.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&b.stdout).contains("marked 2 of 2"),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    let ol = dir.join("online.csv");
    std::fs::write(
        &ol,
        "procedure_code,online_level\n1.001193,full\n1.000894,partial\n",
    )
    .unwrap();
    let o = run(&["import", "online-levels", ol.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("updated 2 procedures"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(&ol, "procedure_code,online_level\n1.001193,level4\n").unwrap();
    assert!(!run(&["import", "online-levels", ol.to_str().unwrap()])
        .status
        .success());
    std::fs::write(&list, "20242\nabc\n").unwrap();
    let d = run(&["import", "disadvantaged", list.to_str().unwrap()]);
    assert!(!d.status.success() && String::from_utf8_lossy(&d.stderr).contains("dòng 2"));
    let backup = dir.join("backup.db");
    let bk = run(&["backup", "--to", backup.to_str().unwrap()]);
    assert!(
        bk.status.success(),
        "{}",
        String::from_utf8_lossy(&bk.stderr)
    );
    // The copy is a working database with the same units.
    let check = motcua()
        .args([
            "import",
            "units",
            &format!("{data}admin_units_2026_full.csv"),
            "--effective",
            "2026-04-30",
        ])
        .env(
            "MOTCUA_DATABASE_URL",
            format!("sqlite://{}", backup.display()),
        )
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("0 thay đổi"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    assert!(
        !run(&["backup", "--to", backup.to_str().unwrap()])
            .status
            .success(),
        "never overwrites"
    );
    let missing = run(&["import", "units", "/no/such/file.csv"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("không đọc được / cannot read"));
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "province_code,province_name,unit_code,unit_name,unit_type\n01,Hà Nội,00004,Phường Ba Đình,district\n").unwrap();
    let r = run(&["import", "units", bad.to_str().unwrap()]);
    assert!(!r.status.success());
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("dòng 2"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let bad_url = motcua()
        .args(["migrate", "--database-url", "mysql://x"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad_url.stderr).contains("sqlite://"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `user-add` is the administration page's use case: validated, the TOTP secret sealed, and an audit row written.
#[test]
fn user_add_is_audited_and_validated() {
    let dir = std::env::temp_dir().join(format!("motcua-cli-user-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("u.db");
    let cfg = dir.join("motcua.toml");
    std::fs::write(
        &cfg,
        format!(
            "database_url = \"sqlite://{}\"\ndata_key_file = \"{}\"\nid_hash_key_file = \"{}\"\nblob_dir = \"{}\"\n",
            db.display(),
            dir.join("data.key").display(),
            dir.join("id.key").display(),
            dir.join("blobs").display()
        ),
    )
    .unwrap();
    let run = |args: &[&str], pw: &str| {
        motcua()
            .args(args)
            .env("MOTCUA_CONFIG", &cfg)
            .env("MOTCUA_NEW_PASSWORD", pw)
            .env_remove("MOTCUA_DATABASE_URL")
            .output()
            .unwrap()
    };
    assert!(run(&["migrate"], "").status.success());
    let short = run(
        &[
            "user-add",
            "--username",
            "quantri.moi",
            "--display-name",
            "Quản trị mới",
            "--role",
            "system_admin",
        ],
        "ngan",
    );
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr).contains("12"),
        "{}",
        String::from_utf8_lossy(&short.stderr)
    );
    let ok = run(
        &[
            "user-add",
            "--username",
            "quantri.moi",
            "--display-name",
            "Quản trị mới",
            "--role",
            "system_admin",
        ],
        "mat-khau-du-dai-2026",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let out = String::from_utf8_lossy(&ok.stdout).to_string();
    let secret = out.rsplit(": ").next().unwrap().trim().to_owned();
    assert!(out.contains("TOTP") && secret.len() >= 32, "{out}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let (role, key): (String, String) = sqlx::query_as(
            "select actor_role, entity_key from audit_log where action = 'create_user'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!((role.as_str(), key.as_str()), ("cli", "quantri.moi"));
        let stored: String =
            sqlx::query_scalar("select totp_secret from users where username = 'quantri.moi'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(stored.starts_with("x1:") && !stored.contains(&secret));
        pool.close().await;
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// `motcua search eval`: the shipped evaluation set (queries as citizens type them) is answered as the issue asks,
/// and a malformed set is refused with its line.
#[test]
fn search_eval_meets_the_quality_bar() {
    let dir = std::env::temp_dir().join(format!("motcua-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}?mode=rwc", dir.join("eval.db").display());
    let set = concat!(env!("CARGO_MANIFEST_DIR"), "/data/search_eval.csv");
    let out = motcua()
        .args(["search", "eval", set, "--rounds", "1"])
        .env("MOTCUA_DATABASE_URL", &db)
        .env_remove("MOTCUA_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pct = |label: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(label)).expect(label);
        line[label.len()..]
            .trim()
            .split('%')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(text.contains("2642 thủ tục"), "{text}");
    assert!(
        text.contains("câu / queries") && !text.contains(" 0 câu"),
        "{text}"
    );
    assert!(pct("top-3:") >= 95.0, "{text}");
    assert!(pct("top-1:") >= 85.0, "{text}");
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "query,codes,level\nkhai sinh,1.001193,district\n").unwrap();
    let out = motcua()
        .args(["search", "eval", bad.to_str().unwrap()])
        .env("MOTCUA_DATABASE_URL", &db)
        .env_remove("MOTCUA_CONFIG")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 2"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
