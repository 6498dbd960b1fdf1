//! The public portal: procedure search and pages, dossier tracking, result download and satisfaction rating.

mod pay;
mod payment;
mod procedure;
mod verify;
use procedure::procedure;

use super::page::{CsrfForm, PageResult};
use super::{see_other, url_enc, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::service::dossier::tracking::{self, Tracked, REASONS};
use crate::state::AppState;
use crate::store::procedures::{self, ProcedureFilter};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    level: String,
    field: String,
    page: i64,
}

const PAGE: i64 = 20;

pub(super) fn levels(ctx: &Ctx, p: &procedures::ProcedureRow) -> String {
    let mut v = Vec::new();
    if p.level_province {
        v.push(ctx.t("Cấp tỉnh", "Province level"));
    }
    if p.level_commune {
        v.push(ctx.t("Cấp xã", "Commune level"));
    }
    if p.level_ministry {
        v.push(ctx.t("Cấp bộ", "Ministry level"));
    }
    if p.level_other {
        v.push(ctx.t("Cơ quan khác", "Other agencies"));
    }
    v.join(", ")
}

pub(super) fn online(ctx: &Ctx, level: &str) -> &'static str {
    match level {
        "full" => ctx.t("Dịch vụ công trực tuyến toàn trình", "Fully online"),
        "partial" => ctx.t("Dịch vụ công trực tuyến một phần", "Partly online"),
        _ => ctx.t("Nộp trực tiếp hoặc qua bưu chính", "In person or by post"),
    }
}

/// `/`: procedure search (diacritics optional), by field and level.
pub async fn home(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<SearchQuery>, AppError>,
) -> PageResult {
    let q = match q {
        Ok(AppQuery(q)) => q,
        Err(e) => return Err(e.into()),
    };
    let fields = procedures::fields(st.reader()).await?;
    let level = ["commune", "province"]
        .contains(&q.level.as_str())
        .then(|| q.level.clone());
    let page = q.page.clamp(1, 500);
    let results = if !q.q.trim().is_empty() || !q.field.is_empty() || level.is_some() {
        let f = ProcedureFilter {
            q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
            level,
            field: Some(q.field.clone()).filter(|s| !s.is_empty()),
            limit: PAGE,
            offset: (page - 1) * PAGE,
            ..Default::default()
        };
        let (total, rows) =
            crate::service::catalog::search::find(&st.search, st.reader(), &f, None).await?;
        Some(Results {
            total,
            start: (page - 1) * PAGE + 1,
            rows: rows
                .iter()
                .map(|p| Hit {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    field: p.field.clone(),
                    levels: levels(&ctx, p),
                    online: online(&ctx, &p.online_level),
                    boundary_free: p.boundary_free,
                })
                .collect(),
            next: (total > page * PAGE).then(|| {
                format!(
                    "/?q={}&field={}&level={}&page={}",
                    url_enc(&q.q),
                    url_enc(&q.field),
                    url_enc(&q.level),
                    page + 1
                )
            }),
        })
    } else {
        None
    };
    let body = HomePage {
        ctx: &ctx,
        q: &q,
        fields: &fields,
        results,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(
        ctx.t("Thủ tục hành chính", "Administrative procedures"),
        &body,
    ))
}

/// One search result, as listed.
struct Hit {
    code: String,
    name: String,
    field: String,
    levels: String,
    online: &'static str,
    boundary_free: bool,
}

/// A page of search results.
struct Results {
    total: i64,
    start: i64,
    rows: Vec<Hit>,
    next: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "public/home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    q: &'a SearchQuery,
    fields: &'a [(String, i64)],
    results: Option<Results>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackGet {
    ma: String,
    t: String,
    rated: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackPost {
    csrf: String,
    ma: String,
    so: String,
}

/// A message above the tracking form.
enum Notice {
    RateLimited,
    NotFound,
    IdInAddress,
    BadLink,
}

#[derive(askama::Template)]
#[template(path = "public/track.html")]
struct TrackPage<'a> {
    ctx: &'a Ctx,
    ma: &'a str,
    /// The ID number typed, kept in the form after a look-up that found nothing (never put in an address).
    so: &'a str,
    notice: Option<Notice>,
    tracked: Option<Tracked>,
    rated_now: bool,
    reasons: &'a [(&'a str, &'a str, &'a str)],
}

/// The tracking page: the dossier found, or why none was (a look-up that failed otherwise is the error page).
fn track_page(
    ctx: &Ctx,
    ma: &str,
    so: &str,
    result: Option<Result<Tracked, AppError>>,
    rated_now: bool,
) -> PageResult {
    let (status, notice, tracked) = match result {
        Some(Ok(t)) => (StatusCode::OK, None, Some(t)),
        Some(Err(e)) if e.error_code() == ErrorCode::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            Some(Notice::RateLimited),
            None,
        ),
        Some(Err(e)) if e.error_code() == ErrorCode::DossierNotFound => {
            (StatusCode::NOT_FOUND, Some(Notice::NotFound), None)
        }
        Some(Err(e)) => return Err(e.into()),
        None => (StatusCode::OK, None, None),
    };
    let so = if tracked.is_some() { "" } else { so };
    tracking_page(ctx, (ma, so), status, notice, tracked, rated_now)
}

fn tracking_page(
    ctx: &Ctx,
    (ma, so): (&str, &str),
    status: StatusCode,
    notice: Option<Notice>,
    tracked: Option<Tracked>,
    rated_now: bool,
) -> PageResult {
    let body = TrackPage {
        ctx,
        ma,
        so,
        notice,
        tracked,
        rated_now,
        reasons: &REASONS,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    let mut r = ctx.page(ctx.t("Tra cứu hồ sơ", "Track a dossier"), &body);
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /tra-cuu`: the form, or a dossier when the receipt's QR token is given.
pub async fn track_get(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<TrackGet>, AppError>,
) -> PageResult {
    let q = match q {
        Ok(AppQuery(q)) => q,
        Err(e) => return Err(e.into()),
    };
    let t = q.t.trim();
    // Addresses end up in proxy and browser logs: an ID number may only travel in the form's body.
    let token_like = t.len() == 20 && t.bytes().all(|b| b.is_ascii_hexdigit());
    if !t.is_empty() && !token_like {
        // Digits are an ID number put in the address; anything else is a damaged or made-up receipt link.
        let id_like = t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace());
        let (status, notice) = if id_like {
            (StatusCode::UNPROCESSABLE_ENTITY, Notice::IdInAddress)
        } else {
            (StatusCode::NOT_FOUND, Notice::BadLink)
        };
        return tracking_page(&ctx, (&q.ma, ""), status, Some(notice), None, false);
    }
    let result = if q.ma.trim().is_empty() || t.is_empty() {
        None
    } else {
        Some(
            tracking::track(
                &st,
                ctx.ip,
                &q.ma,
                t,
                ctx.actor.as_ref().map(|a| a.user_id),
                &ctx.rid,
                // Right after the citizen's rating, the primary: the replica may not have it yet.
                q.rated == "1",
            )
            .await,
        )
    };
    track_page(&ctx, &q.ma, "", result, q.rated == "1")
}

/// `POST /tra-cuu`: tracking by code and ID number (the number travels in the body, never in the address).
pub async fn track_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TrackPost>,
) -> PageResult {
    let result = tracking::track(
        &st,
        ctx.ip,
        &f.ma,
        &f.so,
        ctx.actor.as_ref().map(|a| a.user_id),
        &ctx.rid,
        false,
    )
    .await;
    track_page(&ctx, &f.ma, &f.so, Some(result), false)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GrantQuery {
    g: String,
}

/// `/tra-cuu/{code}/ket-qua/{id}?g=`: the e-result for someone who tracked it with the ID number, or its signed-in
/// applicant.
pub async fn result_file(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, i64)>, AppError>,
    q: Result<AppQuery<GrantQuery>, AppError>,
) -> PageResult {
    let (Ok(AppPath((code, id))), Ok(AppQuery(q))) = (path, q) else {
        return Err(AppError::code(ErrorCode::BadRequest).into());
    };
    let owner = ctx.actor.as_ref().map(|a| a.user_id);
    match tracking::result_file(&st, &code, &q.g, owner, id, &ctx.rid).await {
        Ok((ct, name, bytes)) => Ok((
            [
                (axum::http::header::CONTENT_TYPE, ct),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    super::disposition("attachment", &name),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /tra-cuu/{code}/danh-gia`: the satisfaction rating.
pub async fn rate(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::BadRequest).into());
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let reasons: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "reasons")
        .map(|(_, v)| v.clone())
        .collect();
    let level: i16 = get("level").parse().unwrap_or(0);
    let token = get("t").to_owned();
    match tracking::rate(
        &st,
        &code,
        &token,
        level,
        &reasons,
        get("comment"),
        &ctx.rid,
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/tra-cuu?ma={}&t={}&rated=1",
            url_enc(&code),
            url_enc(&token)
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The public portal: search, procedure pages, tracking, e-results and ratings.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(home))
        .route("/thu-tuc/{code}", get(procedure))
        .route("/tra-cuu", get(track_get).post(track_post))
        .route("/tra-cuu/{code}/ket-qua/{id}", get(result_file))
        .route("/tra-cuu/{code}/danh-gia", post(rate))
        .route("/thanh-toan/ket-qua", get(payment::result))
        .route("/tra-cuu/{code}/thanh-toan", post(pay::pay))
        .route("/tra-cuu/{code}/bien-lai/{order}", get(pay::receipt))
        .route("/xac-minh/{token}", get(verify::page).post(verify::check))
}
