//! Administration for province and system administrators: users and roles, agencies, the published procedure lists
//! (edit, import), workflows, the holiday calendar and counters. Every change is audited.

use super::page::{CsrfForm, PageError, PageResult};
use super::{see_other, url_enc, when, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::scope::Scope;
use crate::service::account::session::Actor;
use crate::service::admin::users::NewAccount;
use crate::service::admin::Admin;
use crate::state::AppState;
use crate::store::agencies;
use crate::store::audit::{self, AuditEntry};
use crate::store::procedures::{self, ProcedureFilter};
use crate::store::web as wstore;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use motcua_domain::calendar::OverrideKind;
use motcua_domain::ids::UserId;
use motcua_domain::role::Role;
use motcua_domain::workflow::{Place, StepDef, StepKind};
use serde::Deserialize;

fn admin(ctx: &Ctx) -> Result<(&Actor, Option<String>), PageError> {
    let a = ctx.need()?;
    match (&a.scope, a.role) {
        (Scope::All, Role::SystemAdmin) => Ok((a, None)),
        (Scope::Province(p), Role::ProvinceAdmin) => Ok((a, Some(p.clone()))),
        _ => Err(AppError::with(ErrorCode::Forbidden, "for administrators").into()),
    }
}

/// The administration tabs: address, Vietnamese, English.
const TABS: [(&str, &str, &str); 5] = [
    ("/quan-tri/nguoi-dung", "Người dùng", "Users"),
    ("/quan-tri/co-quan", "Cơ quan, đơn vị", "Agencies"),
    ("/quan-tri/thu-tuc", "Danh mục thủ tục", "Procedure catalog"),
    ("/quan-tri/ngay-nghi", "Ngày nghỉ, ngày làm bù", "Holidays"),
    ("/quan-tri/quay", "Quầy giao dịch", "Counters"),
];

/// `/quan-tri`.
pub async fn index(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    // The province by its name, never by its code.
    let reach = match prov.as_deref() {
        None => ctx.t("Toàn hệ thống", "The whole system").to_owned(),
        Some(p) => crate::store::units::get(&st.db, p)
            .await?
            .map_or_else(|| p.to_owned(), |u| u.name),
    };
    let b = IndexPage {
        ctx: &ctx,
        current: "",
        actor,
        reach,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Quản trị", "Administration"), &b))
}

#[derive(askama::Template)]
#[template(path = "admin/index.html")]
struct IndexPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    actor: &'a Actor,
    reach: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UserForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    agency: String,
    password: String,
}

async fn users_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    f: &UserForm,
    note: Option<Created>,
    error: Option<&AppError>,
) -> PageResult {
    let now = st.clock.now();
    let me = ctx.actor.as_ref().map(|a| a.user_id);
    let rows = wstore::users_in(&st.db, prov)
        .await?
        .into_iter()
        .map(|u| UserLine {
            id: u.id,
            own: Some(u.id) == me,
            role: Role::parse(&u.role).map_or(u.role.clone(), |r| ctx.t(r.vi(), r.en()).to_owned()),
            state: if u.disabled {
                ctx.t("Đã khóa", "Disabled")
            } else if u.locked_until.is_some_and(|t| t > now) {
                ctx.t("Tạm khóa do nhập sai", "Locked after failures")
            } else {
                ctx.t("Hoạt động", "Active")
            },
            agency: u.agency.unwrap_or_else(|| "—".into()),
            last_login: u.last_login_at.map_or_else(|| "—".to_owned(), when),
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            is_demo: u.is_demo,
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::Citizen && !(*r == Role::SystemAdmin && prov.is_some()))
        .collect();
    let b = UsersPage {
        ctx,
        current: "/quan-tri/nguoi-dung",
        note,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        rows,
        roles,
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Người dùng", "Users"), &b, error))
}

/// An account just created: its username and, for an administrator, the TOTP secret and its QR code as SVG (made
/// by the QR library, no user text in its markup).
struct Created {
    username: String,
    enrolment: Option<(String, String)>,
}

/// An account in the list.
struct UserLine {
    id: UserId,
    own: bool,
    username: String,
    display_name: String,
    role: String,
    agency: String,
    last_login: String,
    state: &'static str,
    disabled: bool,
    is_demo: bool,
}

#[derive(askama::Template)]
#[template(path = "admin/users.html")]
struct UsersPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    /// The account just created, with its TOTP enrolment for an administrator (shown once).
    note: Option<Created>,
    error_box: String,
    rows: Vec<UserLine>,
    roles: Vec<Role>,
    f: &'a UserForm,
}

/// `GET /quan-tri/nguoi-dung`.
pub async fn users_get(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, prov) = admin(&ctx)?;
    users_page(&st, &ctx, prov.as_deref(), &UserForm::default(), None, None).await
}

/// `POST /quan-tri/nguoi-dung`: creates a staff account (administrators get a TOTP secret, shown once).
pub async fn users_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<UserForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = NewAccount {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        agency: f.agency.clone(),
        password: f.password.clone(),
    };
    match crate::service::admin::users::create(&st, who, &input, &ctx.rid).await {
        Ok(created) => {
            let note = Created {
                username: created.username.clone(),
                enrolment: created.totp_secret.as_ref().map(|t| {
                    (
                        t.clone(),
                        crate::auth::enrolment_svg(&created.username, t).unwrap_or_default(),
                    )
                }),
            };
            users_page(
                &st,
                &ctx,
                prov.as_deref(),
                &UserForm::default(),
                Some(note),
                None,
            )
            .await
        }
        Err(e) => users_page(&st, &ctx, prov.as_deref(), &f, None, Some(&e)).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UserLockForm {
    disabled: String,
}

/// `POST /quan-tri/nguoi-dung/{id}/khoa`: disables or re-enables an account.
pub async fn user_lock(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<UserId>, AppError>,
    CsrfForm(f): CsrfForm<UserLockForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let Ok(AppPath(id)) = path else {
        return Err(AppError::code(ErrorCode::RouteNotFound).into());
    };
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    crate::service::admin::users::set_disabled(&st, who, id, f.disabled == "1", &ctx.rid).await?;
    Ok(see_other("/quan-tri/nguoi-dung?da_luu=1"))
}

/// `GET /quan-tri/co-quan`: the agencies of the province, with placeholder identifiers marked.
pub async fn agencies_get(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, prov) = admin(&ctx)?;
    agencies_page(
        &st,
        &ctx,
        prov.as_deref(),
        &AgenciesPostForm::default(),
        None,
    )
    .await
}

async fn agencies_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    f: &AgenciesPostForm,
    error: Option<&AppError>,
) -> PageResult {
    let rows = agencies::listed_in(&st.db, prov)
        .await?
        .into_iter()
        .map(|(id, ph, name, kind, unit)| {
            // The list query reads raw columns: an unknown kind is shown as stored rather than hidden.
            let k = motcua_domain::agency::AgencyKind::parse(&kind)
                .map_or(kind.clone(), |k| ctx.t(k.vi(), k.en()).to_owned());
            (id, ph, name, k, unit)
        })
        .collect();
    let b = AgenciesPage {
        ctx,
        current: "/quan-tri/co-quan",
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        rows,
        kinds: agencies::kinds().collect(),
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Cơ quan, đơn vị", "Agencies"), &b, error))
}

#[derive(askama::Template)]
#[template(path = "admin/agencies.html")]
struct AgenciesPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    error_box: String,
    rows: Vec<(String, bool, String, String, String)>,
    kinds: Vec<(&'static str, &'static str, &'static str)>,
    f: &'a AgenciesPostForm,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgenciesPostForm {
    identifier: String,
    name: String,
    kind: String,
    unit: String,
}

/// `POST /quan-tri/co-quan`: adds an agency to a unit of the administrator's province.
pub async fn agencies_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<AgenciesPostForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = crate::service::admin::agencies::NewAgencyInput {
        identifier: f.identifier.clone(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        unit: f.unit.clone(),
    };
    match crate::service::admin::agencies::add(&st, who, &input, &ctx.rid).await {
        Ok(()) => Ok(see_other("/quan-tri/co-quan?da_luu=1")),
        // A refusal comes back on the form with what was typed.
        Err(e @ (AppError::Invalid(_) | AppError::Coded { .. })) => {
            agencies_page(&st, &ctx, prov.as_deref(), &f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CatalogQuery {
    ds: String,
    q: String,
    /// How many procedures an import just updated.
    nhap: String,
}

/// `GET /quan-tri/thu-tuc?ds=xa|tinh|phi-dia-gioi`: the published lists, with online level and boundary-free edits.
pub async fn catalog(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<CatalogQuery>, AppError>,
) -> PageResult {
    let prov = match admin(&ctx) {
        Ok((_, p)) => p,
        Err(r) => return Err(r),
    };
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let (level, bf, title) = match q.ds.as_str() {
        "tinh" => (
            Some("province".to_owned()),
            None,
            ctx.t("Thủ tục cấp tỉnh", "Province-level procedures"),
        ),
        "phi-dia-gioi" => (
            None,
            Some(true),
            ctx.t(
                "Thủ tục không phụ thuộc địa giới hành chính",
                "Boundary-free procedures",
            ),
        ),
        _ => (
            Some("commune".to_owned()),
            None,
            ctx.t("Thủ tục cấp xã", "Commune-level procedures"),
        ),
    };
    let (total, rows) = match procedures::search(
        &st.db,
        &ProcedureFilter {
            q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
            level,
            boundary_free: bf,
            province: prov.clone(),
            limit: 200,
            ..Default::default()
        },
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    let b = CatalogPage {
        ctx: &ctx,
        current: "/quan-tri/thu-tuc",
        imported: q.nhap.parse().ok(),
        ds: &q.ds,
        q: &q.q,
        title,
        total,
        province: prov.is_some(),
        rows,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Danh mục thủ tục", "Procedure catalog"), &b))
}

#[derive(askama::Template)]
#[template(path = "admin/catalog.html")]
struct CatalogPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    imported: Option<u64>,
    ds: &'a str,
    q: &'a str,
    title: &'a str,
    total: i64,
    province: bool,
    rows: Vec<procedures::ProcedureRow>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CatalogEditForm {
    online_level: String,
    boundary_free: String,
}

/// `POST /quan-tri/thu-tuc/{code}`: sets the online level and the boundary-free flag of one procedure.
pub async fn catalog_edit(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(f): CsrfForm<CatalogEditForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    let r: Result<(), AppError> = async {
        let p = procedures::get(&st.db, &code)
            .await?
            .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
        if motcua_domain::catalog::OnlineLevel::parse(&f.online_level).is_none() {
            return Err(AppError::field(
                "online_level",
                "Mức độ là toàn trình, một phần hoặc không",
                "full, partial or none",
            ));
        }
        let mut tx = st.db.begin().await?;
        if let Some(province) = prov.as_deref() {
            // The province's own values; the national catalog is the system administrator's.
            procedures::set_province_flags(
                &mut tx,
                &procedures::ProvinceFlags {
                    province,
                    procedure: &p.row.code,
                    online_level: Some(&f.online_level),
                    boundary_free: Some(f.boundary_free == "1"),
                    by: Some(actor.user_id),
                },
                st.clock.now(),
            )
            .await?;
        } else {
            procedures::set_online_levels(&mut tx, &[(p.row.code.clone(), f.online_level.clone())])
                .await?;
            procedures::set_boundary_free_tx(
                &mut tx,
                std::slice::from_ref(&p.row.code),
                f.boundary_free == "1",
            )
            .await?;
        }
        audit::write_tx(
            &mut tx,
            &AuditEntry {
                at: st.clock.now(),
                actor_user_id: Some(actor.user_id),
                actor_role: actor.role.as_str().into(),
                action: "edit_procedure".into(),
                entity: "procedure".into(),
                entity_key: match prov.as_deref() {
                    Some(pv) => format!("{} tỉnh {pv}", p.row.code),
                    None => p.row.code.clone(),
                },
                dossier_id: None,
                purpose: "quản trị hệ thống".into(),
                request_id: ctx.rid.clone(),
            },
        )
        .await?;
        Ok(tx.commit().await?)
    }
    .await;
    match r {
        Ok(()) => Ok(see_other(&format!(
            "/quan-tri/thu-tuc?da_luu=1&q={}",
            url_enc(&code)
        ))),
        Err(e) => Err(e.into()),
    }
}

/// `POST /quan-tri/thu-tuc/nhap`: imports the province's online levels from a CSV file.
pub async fn catalog_import(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(parts) =
        super::multipart::boundary(ct).and_then(|b| super::multipart::parse(&body, &b))
    else {
        return Err(AppError::with(ErrorCode::BadRequest, "expected a multipart form").into());
    };
    if let Err(e) = ctx.check_csrf(super::multipart::text(&parts, "csrf").unwrap_or("")) {
        return Err(e.into());
    }
    let Some(file) = parts.iter().find(|p| p.name == "file") else {
        return Err(AppError::field("file", "Chọn tệp CSV", "choose a CSV file").into());
    };
    let kind = super::multipart::text(&parts, "kind").unwrap_or("online_levels");
    // A province administrator imports the province's own list; the system administrator the national values.
    let issuer = crate::service::catalog::import::Issuer {
        province: prov.as_deref(),
        by: actor.user_id,
        role: actor.role.as_str(),
        request_id: &ctx.rid,
        now: st.clock.now(),
    };
    let done = if kind == "boundary_free" {
        crate::service::catalog::import::boundary_free_list(&st.db, &file.data, Some(&issuer))
            .await
            .map(|(n, _)| n)
    } else {
        crate::service::catalog::import::online_levels_csv(&st.db, &file.data, Some(&issuer)).await
    };
    match done {
        Ok(n) => {
            // Back to the list just changed, saying how many procedures were updated.
            let ds = if kind == "boundary_free" {
                "phi-dia-gioi"
            } else {
                "xa"
            };
            Ok(see_other(&format!("/quan-tri/thu-tuc?ds={ds}&nhap={n}")))
        }
        Err(e) => Err(AppError::field(
            "file",
            format!("Tệp không hợp lệ: {e}"),
            format!("invalid file: {e}"),
        )
        .into()),
    }
}

/// `GET /quan-tri/quy-trinh/{code}`: the workflow editor (one row per step; budgets must add up to the limit).
pub async fn workflow_get(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    admin(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    workflow_page(&st, &ctx, &code, None, None).await
}

/// A step row of the editor, as typed (kept when the form is refused).
#[derive(Clone)]
struct StepRow {
    name: String,
    role: Role,
    place: Place,
    kind: StepKind,
    days: String,
}

#[derive(askama::Template)]
#[template(path = "admin/workflow.html")]
struct WorkflowPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    code: &'a str,
    name: String,
    version: i32,
    limit: String,
    province: String,
    error_box: String,
    steps: Vec<StepRow>,
    roles: [Role; 4],
    note: String,
}

/// Working days as an officer reads them: no trailing zeros ("0.25", "6.5", "1").
fn days_text(d: f64) -> String {
    let s = format!("{d:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

async fn workflow_page(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    error: Option<&AppError>,
    kept: Option<(Vec<StepRow>, String)>,
) -> PageResult {
    let province = ctx
        .actor
        .as_ref()
        .and_then(|a| crate::service::catalog::workflows::editing_province(a).ok())
        .unwrap_or_default();
    let w = crate::service::catalog::workflows::get(st, code, None, &province).await?;
    let name = procedures::get(&st.db, &w.procedure)
        .await?
        .map(|p| p.row.name)
        .unwrap_or_default();
    let (mut steps, note) = kept.unwrap_or_else(|| {
        let rows = w
            .steps
            .iter()
            .map(|s| StepRow {
                name: s.name.clone(),
                role: s.role,
                place: s.place,
                kind: s.kind,
                days: days_text(s.days),
            })
            .collect();
        (rows, String::new())
    });
    steps.push(StepRow {
        name: String::new(),
        role: Role::Specialist,
        place: Place::Competent,
        kind: StepKind::Process,
        days: String::new(),
    });
    let b = WorkflowPage {
        ctx,
        current: "/quan-tri/thu-tuc",
        code: &w.procedure,
        name,
        version: w.version,
        limit: w.limit_days.map_or_else(
            || {
                ctx.t("không tính theo ngày làm việc", "not in working days")
                    .to_owned()
            },
            |d| {
                format!(
                    "{} {}",
                    days_text(d),
                    ctx.t("ngày làm việc", "working days")
                )
            },
        ),
        province: w.province.clone(),
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        steps,
        roles: [
            Role::ReceivingOfficer,
            Role::Specialist,
            Role::Leader,
            Role::CenterDirector,
        ],
        note,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Quy trình xử lý", "Workflow"), &b, error))
}

/// `POST /quan-tri/quy-trinh/{code}`: saves a new version (validated by the same rule as the API).
pub async fn workflow_post(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let (actor, _) = admin(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    let all = |k: &str| {
        pairs
            .iter()
            .filter(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_owned())
            .collect::<Vec<_>>()
    };
    let one = |k: &str| all(k).into_iter().next().unwrap_or_default();
    let (names, roles, places, kinds, days) = (
        all("name"),
        all("role"),
        all("place"),
        all("kind"),
        all("days"),
    );
    // What was typed, to show again if the form is refused.
    let typed: Vec<StepRow> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty())
        .map(|(i, n)| StepRow {
            name: n.clone(),
            role: roles
                .get(i)
                .and_then(|r| Role::parse(r))
                .unwrap_or(Role::Specialist),
            place: places
                .get(i)
                .and_then(|p| Place::parse(p))
                .unwrap_or(Place::Competent),
            kind: kinds
                .get(i)
                .and_then(|k| StepKind::parse(k))
                .unwrap_or(StepKind::Process),
            days: days.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let kept = || Some((typed.clone(), one("note")));
    let mut steps = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let parsed = (
            roles.get(i).and_then(|r| Role::parse(r)),
            places.get(i).and_then(|p| Place::parse(p)),
            kinds.get(i).and_then(|k| StepKind::parse(k)),
            days.get(i)
                .and_then(|d| d.replace(',', ".").parse::<f64>().ok()),
        );
        let (Some(role), Some(place), Some(kind), Some(d)) = parsed else {
            let e = AppError::field(
                &format!("steps[{i}]"),
                "Bước thiếu vai trò, nơi thực hiện, loại hoặc số ngày",
                "a step lacks its role, place, kind or days",
            );
            return workflow_page(&st, &ctx, &code, Some(&e), kept()).await;
        };
        steps.push(StepDef {
            name: name.clone(),
            role,
            place,
            kind,
            days: d,
        });
    }
    let edit = crate::service::catalog::workflows::WorkflowEdit {
        steps,
        note: one("note"),
        case: None,
        limit_days: None,
    };
    match crate::service::catalog::workflows::edit(&st, actor, &code, edit, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!(
            "/quan-tri/quy-trinh/{}?da_luu=1",
            url_enc(&code)
        ))),
        Err(e) => workflow_page(&st, &ctx, &code, Some(&e), kept()).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    nam: i32,
}

/// `GET /quan-tri/ngay-nghi?nam=`: the year's statutory holidays and the official overrides, with a form to add one.
pub async fn holidays_get(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<YearQuery>, AppError>,
) -> PageResult {
    admin(&ctx)?;
    let year = q
        .map(|AppQuery(q)| q.nam)
        .ok()
        .filter(|y| crate::state::CALENDAR_YEARS.contains(y))
        .unwrap_or_else(|| st.clock.now().year());
    holidays_page(&st, &ctx, year, &HolidaysPostForm::default(), None).await
}

#[derive(askama::Template)]
#[template(path = "admin/holidays.html")]
struct HolidaysPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    year: i32,
    error_box: String,
    holidays: Vec<(String, String)>,
    overrides: Vec<(String, &'a str, String)>,
    editable: bool,
    f: &'a HolidaysPostForm,
}

async fn holidays_page(
    st: &AppState,
    ctx: &Ctx,
    year: i32,
    f: &HolidaysPostForm,
    error: Option<&AppError>,
) -> PageResult {
    let mut hs = st.calendar().holidays(year);
    hs.sort_by_key(|h| h.date);
    let overrides = crate::store::calendar::list(&st.db)
        .await?
        .into_iter()
        .filter(|o| o.date.year() == year)
        .map(|o| {
            let k = match o.kind {
                OverrideKind::DayOff => ctx.t("nghỉ", "day off"),
                OverrideKind::WorkingDay => ctx.t("làm việc", "working day"),
            };
            (motcua_domain::calendar::format_date_vi(o.date), k, o.note)
        })
        .collect();
    let b = HolidaysPage {
        ctx,
        current: "/quan-tri/ngay-nghi",
        year,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        holidays: hs
            .into_iter()
            .map(|h| (motcua_domain::calendar::format_date_vi(h.date), h.name))
            .collect(),
        overrides,
        // The calendar is national (the Prime Minister's yearly schedule): only the system administrator edits it.
        editable: ctx.actor.as_ref().map(|a| a.role) == Some(Role::SystemAdmin),
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Ngày nghỉ", "Holidays"), &b, error))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HolidaysPostForm {
    day: String,
    kind: String,
    note: String,
}

/// `POST /quan-tri/ngay-nghi`: records an override and rebuilds the working calendar at once.
pub async fn holidays_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<HolidaysPostForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    match crate::service::admin::calendar::add_override(
        &st, who, &f.day, &f.kind, &f.note, &ctx.rid,
    )
    .await
    {
        Ok(date) => Ok(see_other(&format!(
            "/quan-tri/ngay-nghi?nam={}&da_luu=1",
            date.year()
        ))),
        // A refusal of the input comes back on the form; a forbidden change is the error page.
        Err(e @ AppError::Invalid(_)) => {
            // The page of the year being entered, with what was typed.
            let year = f
                .day
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or_else(|| st.clock.now().year());
            holidays_page(&st, &ctx, year, &f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /quan-tri/quay`: the counters of the province's centers.
pub async fn counters_get(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, prov) = admin(&ctx)?;
    counters_page(
        &st,
        &ctx,
        prov.as_deref(),
        &CountersPostForm::default(),
        None,
    )
    .await
}

async fn counters_page(
    st: &AppState,
    ctx: &Ctx,
    prov: Option<&str>,
    f: &CountersPostForm,
    error: Option<&AppError>,
) -> PageResult {
    let b = CountersPage {
        ctx,
        current: "/quan-tri/quay",
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        rows: wstore::counters_in(&st.db, prov).await?,
        f,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Quầy giao dịch", "Counters"), &b, error))
}

#[derive(askama::Template)]
#[template(path = "admin/counters.html")]
struct CountersPage<'a> {
    ctx: &'a Ctx,
    current: &'a str,
    error_box: String,
    rows: Vec<wstore::CounterRow>,
    f: &'a CountersPostForm,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CountersPostForm {
    agency: String,
    number: String,
    name: String,
    fields: String,
}

/// `POST /quan-tri/quay`: declares a counter of a center in the province.
pub async fn counters_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CountersPostForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    let input = crate::service::admin::counters::NewCounter {
        agency: f.agency.clone(),
        number: f.number.clone(),
        name: f.name.clone(),
        fields: f.fields.clone(),
    };
    match crate::service::admin::counters::add(&st, who, &input, &ctx.rid).await {
        Ok(()) => Ok(see_other("/quan-tri/quay?da_luu=1")),
        Err(e) => counters_page(&st, &ctx, prov.as_deref(), &f, Some(&e)).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CounterToggleForm {
    active: String,
}

/// `POST /quan-tri/quay/{id}`: opens or closes a counter.
pub async fn counter_toggle(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<i64>, AppError>,
    CsrfForm(f): CsrfForm<CounterToggleForm>,
) -> PageResult {
    let (actor, prov) = admin(&ctx)?;
    let Ok(AppPath(id)) = path else {
        return Err(AppError::code(ErrorCode::RouteNotFound).into());
    };
    let who = Admin::Web {
        actor,
        province: prov.as_deref(),
    };
    crate::service::admin::counters::set_active(&st, who, id, f.active == "1", &ctx.rid).await?;
    Ok(see_other("/quan-tri/quay?da_luu=1"))
}

/// Administration: users, agencies, the province's lists, workflows, the calendar, counters.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/quan-tri", get(index))
        .route("/quan-tri/nguoi-dung", get(users_get).post(users_post))
        .route("/quan-tri/nguoi-dung/{id}/khoa", post(user_lock))
        .route("/quan-tri/co-quan", get(agencies_get).post(agencies_post))
        .route("/quan-tri/thu-tuc", get(catalog))
        .route("/quan-tri/thu-tuc/nhap", post(catalog_import))
        .route("/quan-tri/thu-tuc/{code}", post(catalog_edit))
        .route(
            "/quan-tri/quy-trinh/{code}",
            get(workflow_get).post(workflow_post),
        )
        .route("/quan-tri/ngay-nghi", get(holidays_get).post(holidays_post))
        .route("/quan-tri/quay", get(counters_get).post(counters_post))
        .route("/quan-tri/quay/{id}", post(counter_toggle))
}
