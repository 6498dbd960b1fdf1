//! Demo data: real units and catalog, plus clearly marked demo staff, citizens and dossiers for one ward of Đà Nẵng,
//! one ward of TP. Hồ Chí Minh, the Đà Nẵng provincial center and its justice department.

use crate::auth;
use crate::service::account::session;
use crate::service::dossier::dossiers::{self, ApplicantInput, CreateDossier};
use crate::service::dossier::process::ActInput;
use crate::service::dossier::rules;
use crate::state::AppState;
use crate::store::agencies::{self, NewAgency};
use crate::store::users::{self, NewUser};
use motcua_domain::report::staff::Specialty;
use motcua_domain::role::Role;
use motcua_domain::status::Action;

/// The demo password (printed at start; demo accounts only).
pub const DEMO_PASSWORD: &str = "motcua-demo-2026";
/// The demo's VNPay terminal at the sandbox gateway (demo only, printed at start like the TOTP secret).
pub const DEMO_VNPAY_TMN: &str = "MOTCUADEMO";
pub const DEMO_VNPAY_SECRET: &str = "motcua-demo-vnpay-secret";
/// The demo's partner code at the sandbox national payment platform (demo only).
pub const DEMO_DVCQG_PARTNER: &str = "MOTCUADEMO";
pub const DEMO_DVCQG_SECRET: &str = "motcua-demo-dvcqg-secret";
/// The TOTP secret of the demo administrators (printed at start; demo accounts only).
pub const DEMO_TOTP: &str = "JBSWY3DPEHPK3PXPMOTCUADEMO234567";

/// A demo login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub agency: &'static str,
}

/// The demo logins: Phường Hải Châu (Đà Nẵng, 20242), Phường Bến Thành (TP. Hồ Chí Minh, 26743), the Đà Nẵng
/// provincial center and department of justice.
pub const LOGINS: &[DemoLogin] = &[
    DemoLogin {
        username: "congdan.demo",
        display_name: "Nguyễn Văn An (demo)",
        role: Role::Citizen,
        agency: "",
    },
    DemoLogin {
        username: "tiepnhan.haichau",
        display_name: "Trần Thị Bích (demo)",
        role: Role::ReceivingOfficer,
        agency: "20242",
    },
    DemoLogin {
        username: "chuyenvien.haichau",
        display_name: "Lê Văn Cường (demo)",
        role: Role::Specialist,
        agency: "20242.UBND",
    },
    DemoLogin {
        username: "lanhdao.haichau",
        display_name: "Phạm Thị Dung (demo)",
        role: Role::Leader,
        agency: "20242.UBND",
    },
    DemoLogin {
        username: "giamdoc.haichau",
        display_name: "Ngô Thị Hạnh (demo)",
        role: Role::CenterDirector,
        agency: "20242",
    },
    DemoLogin {
        username: "tiepnhan.benthanh",
        display_name: "Hoàng Văn Em (demo)",
        role: Role::ReceivingOfficer,
        agency: "26743",
    },
    DemoLogin {
        username: "tiepnhan.tinhdanang",
        display_name: "Võ Thị Giang (demo)",
        role: Role::ReceivingOfficer,
        agency: "48.TTPVHCC",
    },
    DemoLogin {
        username: "giamdoc.ttdanang",
        display_name: "Đặng Văn Hùng (demo)",
        role: Role::CenterDirector,
        agency: "48.TTPVHCC",
    },
    DemoLogin {
        username: "chuyenvien.stp.danang",
        display_name: "Bùi Thị Lan (demo)",
        role: Role::Specialist,
        agency: "48.STP",
    },
    DemoLogin {
        username: "lanhdao.stp.danang",
        display_name: "Hà Minh Tuấn (demo)",
        role: Role::Leader,
        agency: "48.STP",
    },
    DemoLogin {
        username: "lanhdao.bhxh.danang",
        display_name: "Phan Thị Thu (demo)",
        role: Role::Leader,
        agency: "48.BHXH",
    },
    DemoLogin {
        username: "lanhdao.congan.haichau",
        display_name: "Trịnh Văn Đức (demo)",
        role: Role::Leader,
        agency: "20242.CA",
    },
    DemoLogin {
        username: "quantri.danang",
        display_name: "Quản trị Đà Nẵng (demo)",
        role: Role::ProvinceAdmin,
        agency: "48.TTPVHCC",
    },
    DemoLogin {
        username: "quantri.hethong",
        display_name: "Quản trị hệ thống (demo)",
        role: Role::SystemAdmin,
        agency: "",
    },
];

/// The demo officers' positions and specialties (demo data: invented people in real kinds of posts), so the staff
/// report shows who covers which specialty and which the commune center lacks.
const PROFILES: &[(&str, &str, Specialty)] = &[
    (
        "tiepnhan.haichau",
        "Công chức tiếp nhận, trả kết quả",
        Specialty::General,
    ),
    (
        "chuyenvien.haichau",
        "Công chức Tư pháp – Hộ tịch",
        Specialty::JusticeCivilStatus,
    ),
    (
        "lanhdao.haichau",
        "Phó Chủ tịch Ủy ban nhân dân phường",
        Specialty::General,
    ),
    (
        "giamdoc.haichau",
        "Giám đốc Trung tâm Phục vụ hành chính công",
        Specialty::General,
    ),
    (
        "tiepnhan.benthanh",
        "Công chức tiếp nhận, trả kết quả",
        Specialty::General,
    ),
    (
        "tiepnhan.tinhdanang",
        "Chuyên viên tiếp nhận",
        Specialty::It,
    ),
    (
        "giamdoc.ttdanang",
        "Giám đốc Trung tâm Phục vụ hành chính công",
        Specialty::General,
    ),
    (
        "chuyenvien.stp.danang",
        "Chuyên viên Phòng Hành chính tư pháp",
        Specialty::JusticeCivilStatus,
    ),
    (
        "lanhdao.stp.danang",
        "Phó Giám đốc Sở",
        Specialty::JusticeCivilStatus,
    ),
    (
        "lanhdao.bhxh.danang",
        "Phó Giám đốc",
        Specialty::FinanceAccounting,
    ),
    (
        "lanhdao.congan.haichau",
        "Trưởng Công an phường",
        Specialty::General,
    ),
];

/// Seeds demo agencies, users and dossiers once (idempotent: nothing happens if the demo users exist).
pub async fn seed(st: &AppState) -> anyhow::Result<bool> {
    if users::by_username(&st.db, "congdan.demo").await?.is_some() {
        return Ok(false);
    }
    let mut tx = st.db.begin().await?;
    agencies::insert_missing(
        &mut tx,
        &[
            NewAgency {
                identifier: "48.STP".into(),
                identifier_is_placeholder: true,
                name: "Sở Tư pháp thành phố Đà Nẵng".into(),
                kind: "department".into(),
                unit_code: "48".into(),
                parent_id: None,
            },
            NewAgency {
                identifier: "48.BHXH".into(),
                identifier_is_placeholder: true,
                name: "Bảo hiểm xã hội thành phố Đà Nẵng".into(),
                kind: "department".into(),
                unit_code: "48".into(),
                parent_id: None,
            },
            NewAgency {
                identifier: "20242.CA".into(),
                identifier_is_placeholder: true,
                name: "Công an phường Hải Châu".into(),
                kind: "police".into(),
                unit_code: "20242".into(),
                parent_id: None,
            },
            NewAgency {
                identifier: "48.VPDKDD".into(),
                identifier_is_placeholder: true,
                name: "Văn phòng Đăng ký đất đai thành phố Đà Nẵng".into(),
                kind: "department".into(),
                unit_code: "48".into(),
                parent_id: None,
            },
        ],
    )
    .await?;
    tx.commit().await?;
    if let Some(parent) = agencies::by_identifier(&st.db, "48.VPDKDD").await? {
        let mut tx = st.db.begin().await?;
        agencies::insert_missing(
            &mut tx,
            &[NewAgency {
                identifier: "48.VPDKDD.CN1".into(),
                identifier_is_placeholder: true,
                name: "Chi nhánh Văn phòng Đăng ký đất đai (tên minh họa, demo)".into(),
                kind: "branch".into(),
                unit_code: "48".into(),
                parent_id: Some(parent.id),
            }],
        )
        .await?;
        tx.commit().await?;
    }
    let hash = {
        let pw = DEMO_PASSWORD.to_owned();
        tokio::task::spawn_blocking(move || auth::hash_password(&pw)).await??
    };
    let now = st.clock.now();
    for l in LOGINS {
        let agency_id = if l.agency.is_empty() {
            None
        } else {
            Some(
                agencies::by_identifier(&st.db, l.agency)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("demo agency {} missing", l.agency))?
                    .id,
            )
        };
        users::insert(
            &st.db,
            &NewUser {
                username: l.username.into(),
                display_name: l.display_name.into(),
                password_hash: hash.clone(),
                role: l.role.as_str().into(),
                agency_id,
                totp_secret: l
                    .role
                    .is_admin()
                    .then(|| st.data_key.seal(DEMO_TOTP, crate::crypto::TOTP_LABEL))
                    .transpose()?,
                is_demo: true,
            },
            now,
        )
        .await?;
    }
    let mut tx = st.db.begin().await?;
    for (name, position, specialty) in PROFILES {
        if let Some(u) = users::by_username(&st.db, name).await? {
            crate::store::staff::set_profile(&mut tx, u.id, position, specialty.as_str()).await?;
        }
    }
    tx.commit().await?;
    provincial_workflows(st).await?;
    dossiers_for_demo(st).await?;
    crate::service::queue::demo::seed_floor(st).await?;
    Ok(true)
}

/// Đà Nẵng's internal workflows for the demo's procedures whose published record states no time limit: without
/// them no such dossier could be given an appointment date. Demo data, marked so in each workflow's note:
/// - marriage registration (1.000894), whose record gives its time as a bare "1": the Law on Civil Status 2014
///   (art. 18) has it registered on the day the papers are complete, up to 5 working days when facts must be
///   verified; the demo takes one working day;
/// - the legal counsellor card (1.000426), a catalog-only record: a placeholder of 5 working days, to be replaced by
///   the limit the province applies.
async fn provincial_workflows(st: &AppState) -> anyhow::Result<()> {
    let admin = actor(st, "quantri.danang").await?;
    let step = |name: &str, role: &str, place: &str, kind: &str, days: f64| serde_json::json!({"name": name, "role": role, "place": place, "kind": kind, "days": days});
    let plans = [
        (
            "1.000894",
            "Quy trình nội bộ minh họa (demo): đăng ký kết hôn trong 1 ngày làm việc",
            [0.125, 0.5, 0.25, 0.125],
        ),
        (
            "1.000426",
            "Thời hạn giữ chỗ (demo) 5 ngày làm việc: thay bằng thời hạn tỉnh áp dụng",
            [0.5, 3.0, 1.0, 0.5],
        ),
    ];
    for (code, note, [a, b, c, d]) in plans {
        let steps = serde_json::from_value(serde_json::json!([
            step(
                "Tiếp nhận, kiểm tra hồ sơ",
                "receiving_officer",
                "receiving",
                "process",
                a
            ),
            step("Thẩm định hồ sơ", "specialist", "competent", "process", b),
            step("Lãnh đạo xem xét, ký", "leader", "competent", "approve", c),
            step("Trả kết quả", "receiving_officer", "receiving", "return", d),
        ]))?;
        crate::service::catalog::workflows::edit(
            st,
            &admin,
            code,
            crate::service::catalog::workflows::WorkflowEdit {
                steps,
                note: note.into(),
                case: None,
                limit_days: None,
            },
            "demo",
        )
        .await
        .map_err(|e| anyhow::anyhow!("{code}: {e}"))?;
    }
    Ok(())
}

/// A demo user as a signed-in person, without signing in (which would spend an administrator's TOTP code).
async fn actor(st: &AppState, username: &str) -> anyhow::Result<session::Actor> {
    let u = crate::store::users::by_username(&st.db, username)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo user {username} is missing"))?;
    session::actor_of(st, u)
        .await
        .map_err(|e| anyhow::anyhow!("demo user {username}: {e}"))
}

/// The intake checklist of a procedure at a Đà Nẵng counter with every required paper ticked, in its most common
/// case when it has cases (renting, for permanent residence).
async fn tick(st: &AppState, code: &str) -> anyhow::Result<(Option<Vec<u32>>, Option<String>)> {
    let p = crate::store::procedures::get(&st.db, code).await?;
    let list = rules::checklist(
        st,
        code,
        p.as_ref().and_then(|p| p.detail.as_deref()),
        motcua_domain::catalog::Channel::InPerson,
        "48",
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let case = list
        .cases
        .iter()
        .find(|c| c.title.contains("thuê, mượn, ở nhờ"))
        .or(list.cases.first())
        .map(|c| c.key.clone());
    Ok((Some(list.required_numbers(case.as_deref())), case))
}

fn applicant(name: &str, id: &str) -> ApplicantInput {
    ApplicantInput {
        kind: None,
        name: name.into(),
        id_number: id.into(),
        phone: Some("0900000000".into()),
        address: Some("Địa chỉ minh họa (demo)".into()),
    }
}

async fn dossiers_for_demo(st: &AppState) -> anyhow::Result<()> {
    let e = |e: crate::error::AppError| anyhow::anyhow!("{e}");
    let haichau = actor(st, "tiepnhan.haichau").await?;
    let specialist = actor(st, "chuyenvien.haichau").await?;
    let benthanh = actor(st, "tiepnhan.benthanh").await?;
    let tinh = actor(st, "tiepnhan.tinhdanang").await?;
    let citizen = actor(st, "congdan.demo").await?;
    // IDs starting 999 are not issued to anyone: they mark demo applicants.
    let d1 = dossiers::create(
        st,
        &haichau,
        CreateDossier {
            procedure: "1.001193".into(),
            channel: None,
            applicant: applicant("Nguyễn Thị Hoa (demo)", "999000000001"),
            summary: Some("Đăng ký khai sinh cho con (hồ sơ demo)".into()),
            receiving_agency: None,
            competent_agency: None,
            documents: tick(st, "1.001193").await?.0,
            document_case: tick(st, "1.001193").await?.1,
            ticket: None,
            case: None,
        },
        "demo",
    )
    .await
    .map_err(e)?;
    let d2 = dossiers::create(
        st,
        &haichau,
        CreateDossier {
            procedure: "1.000894".into(),
            channel: None,
            applicant: applicant("Trần Văn Khoa (demo)", "999000000002"),
            summary: Some("Đăng ký kết hôn (hồ sơ demo)".into()),
            receiving_agency: None,
            competent_agency: None,
            documents: tick(st, "1.000894").await?.0,
            document_case: tick(st, "1.000894").await?.1,
            ticket: None,
            case: None,
        },
        "demo",
    )
    .await
    .map_err(e)?;
    crate::service::dossier::process::act(
        st,
        &haichau,
        &d2.code,
        &ActInput {
            action: Action::Forward.as_str().into(),
            note: "Chuyển thẩm định (demo)".into(),
            assignee: Some(specialist.username.clone()),
            ..ActInput::default()
        },
        "demo",
    )
    .await
    .map_err(e)?;
    dossiers::create(
        st,
        &benthanh,
        CreateDossier {
            procedure: "1.004222".into(),
            channel: None,
            applicant: applicant("Lê Thị Mai (demo)", "999000000003"),
            summary: Some("Đăng ký thường trú (hồ sơ demo)".into()),
            receiving_agency: None,
            competent_agency: Some("26743.UBND".into()),
            documents: tick(st, "1.004222").await?.0,
            document_case: tick(st, "1.004222").await?.1,
            ticket: None,
            case: None,
        },
        "demo",
    )
    .await
    .map_err(e)?;
    // A provincial procedure received at the provincial center, and the same received at a ward and forwarded to the
    // province (the citizen never travels to the province).
    dossiers::create(
        st,
        &tinh,
        CreateDossier {
            procedure: "1.000426".into(),
            channel: None,
            applicant: applicant("Phạm Văn Nam (demo)", "999000000004"),
            summary: Some("Cấp thẻ tư vấn viên pháp luật (hồ sơ demo)".into()),
            receiving_agency: None,
            competent_agency: Some("48.STP".into()),
            documents: tick(st, "1.000426").await?.0,
            document_case: tick(st, "1.000426").await?.1,
            ticket: None,
            case: None,
        },
        "demo",
    )
    .await
    .map_err(e)?;
    dossiers::create(
        st,
        &haichau,
        CreateDossier {
            procedure: "1.000426".into(),
            channel: None,
            applicant: applicant("Đỗ Thị Oanh (demo)", "999000000006"),
            summary: Some("Tiếp nhận tại phường, chuyển Sở Tư pháp (hồ sơ demo)".into()),
            receiving_agency: None,
            competent_agency: Some("48.STP".into()),
            documents: tick(st, "1.000426").await?.0,
            document_case: tick(st, "1.000426").await?.1,
            ticket: None,
            case: None,
        },
        "demo",
    )
    .await
    .map_err(e)?;
    dossiers::create(
        st,
        &citizen,
        CreateDossier {
            procedure: "1.001193".into(),
            channel: Some("online".into()),
            applicant: applicant("Nguyễn Văn An (demo)", "999000000005"),
            summary: Some("Nộp trực tuyến đăng ký khai sinh (hồ sơ demo)".into()),
            receiving_agency: Some("20242".into()),
            competent_agency: None,
            documents: None,
            document_case: None,
            ticket: None,
            case: None,
        },
        "demo",
    )
    .await
    .map_err(e)?;
    let _ = d1;
    Ok(())
}
