//! The province's procedure list: online level and boundary-free flags per procedure, and list imports.

use super::{admin, TABS};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, url_enc, Ctx};
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::procedures::{self, ProcedureFilter};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CatalogQuery {
    ds: String,
    q: String,
    /// How many procedures an import just updated.
    nhap: String,
    /// The page (200 a page), from 1.
    trang: String,
}

/// Procedures listed on one page of the catalog.
const PAGE: i64 = 50;

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
    let page: i64 = q.trang.parse().ok().filter(|p| *p >= 1).unwrap_or(1);
    let (level, bf, title) = match q.ds.as_str() {
        "tinh" => (
            Some("province".to_owned()),
            None,
            ctx.t("Thủ tục cấp tỉnh", "Province-level procedures"),
        ),
        "thieu-han" => (
            None,
            None,
            ctx.t(
                "Thủ tục được công bố không ghi thời hạn giải quyết",
                "Procedures whose published record states no time limit",
            ),
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
    let (total, rows) = match crate::service::catalog::search::find(
        &st.search,
        &st.db,
        &ProcedureFilter {
            q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
            level,
            boundary_free: bf,
            province: prov.clone(),
            no_limit: q.ds == "thieu-han",
            limit: PAGE,
            offset: (page - 1) * PAGE,
            ..Default::default()
        },
        None,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    let codes: Vec<&str> = rows
        .iter()
        .filter(|r| r.has_limit != Some(true))
        .map(|r| r.code.as_str())
        .collect();
    let set =
        crate::store::workflows::set_among(&st.db, &codes, prov.as_deref().unwrap_or("")).await?;
    let rows: Vec<CatalogLine> = rows
        .into_iter()
        .map(|r| CatalogLine {
            limit: match (r.has_limit == Some(true), set.contains(&r.code)) {
                (true, _) => LimitState::Published,
                (false, true) => LimitState::Province,
                (false, false) => LimitState::Missing,
            },
            p: r,
        })
        .collect();
    let missing = rows
        .iter()
        .filter(|l| l.limit == LimitState::Missing)
        .count();
    let b = CatalogPage {
        ctx: &ctx,
        current: "/quan-tri/thu-tuc",
        imported: q.nhap.parse().ok(),
        ds: &q.ds,
        q: &q.q,
        title,
        total,
        province: prov.is_some(),
        page,
        pages: (total + PAGE - 1) / PAGE,
        q_url: url_enc(&q.q),
        missing,
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
    page: i64,
    pages: i64,
    /// The search, for the pages' links.
    q_url: String,
    /// Listed procedures that no one has given a time limit.
    missing: usize,
    rows: Vec<CatalogLine>,
}

/// Where a listed procedure's time limit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LimitState {
    /// The published record states it.
    Published,
    /// The record states none; a workflow set by an administrator gives it.
    Province,
    /// Nobody has: dossiers cannot be received until the workflow is set.
    Missing,
}

struct CatalogLine {
    p: procedures::ProcedureRow,
    limit: LimitState,
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
    let Some(parts) = crate::http::web::multipart::boundary(ct)
        .and_then(|b| crate::http::web::multipart::parse(&body, &b))
    else {
        return Err(AppError::with(ErrorCode::BadRequest, "expected a multipart form").into());
    };
    if let Err(e) = ctx.check_csrf(crate::http::web::multipart::text(&parts, "csrf").unwrap_or(""))
    {
        return Err(e.into());
    }
    let Some(file) = parts.iter().find(|p| p.name == "file") else {
        return Err(AppError::field("file", "Chọn tệp CSV", "choose a CSV file").into());
    };
    let kind = crate::http::web::multipart::text(&parts, "kind").unwrap_or("online_levels");
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
