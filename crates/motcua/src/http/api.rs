//! JSON API under `/api/v1`: units, procedures, the calendar, sign-in and dossiers. Handlers are thin: extract, call
//! one store or service function, shape the answer.

use super::extract::{AppJson, AppPath, AppQuery, ClientIp, ReqId, Token, COOKIE};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::{self, Actor};
use crate::service::dossier::dossiers::{self as dsvc, CreateDossier};
use crate::service::dossier::process;
use crate::service::dossier::view as dview;
use crate::state::AppState;
use crate::store::dossiers::DossierFilter;
use crate::store::procedures::{self, ProcedureFilter};
use crate::store::units::{self, OldFilter, UnitFilter};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use motcua_domain::calendar::{format_vi, DueRules, TimeLimit, TimeUnit, VN};
use motcua_domain::catalog::{Detail, Fee};
use serde::Deserialize;
use serde_json::{json, Value};

/// The API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/openapi.json",
            get(|| async { Json(super::openapi::document()) }),
        )
        .route("/units", get(list_units))
        .route("/units/old", get(old_units))
        .route("/units/{code}", get(get_unit))
        .route("/procedures", get(search_procedures))
        .route("/procedures/fields", get(procedure_fields))
        .route("/procedures/{code}", get(get_procedure))
        .route("/calendar/due", get(due))
        .route("/calendar/holidays", get(holidays))
        .route("/statuses", get(statuses))
        .route("/track", get(track).post(track_post))
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/dossiers", get(list_dossiers).post(create_dossier))
        .route("/dossiers/{code}", get(get_dossier))
        .route("/dossiers/{code}/actions", post(act))
        .route("/worklists", get(worklists))
        .route("/bundles", post(create_bundle))
        .route(
            "/dossiers/{code}/documents",
            post(upload_document).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/dossiers/{code}/documents/reuse", post(reuse_document))
        .route("/dossiers/{code}/documents/{id}", get(download_document))
        .route("/dossiers/{code}/reuse-offers", get(reuse_offers))
        .route("/dossiers/{code}/forms/{form}", get(form_pdf))
        .route("/register.pdf", get(register_pdf))
        .route("/procedures/{code}/guidance.pdf", post(guidance_pdf))
        .route(
            "/procedures/{code}/workflow",
            get(get_workflow).put(edit_workflow),
        )
        .route("/dossiers/{code}/access-log", get(access_log))
        .route("/dossiers/{code}/receipt.pdf", get(receipt))
}

fn bad(field: &str, vi: &str, en: &str) -> AppError {
    AppError::field(field, vi, en)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitQuery {
    level: Option<String>,
    province: Option<String>,
    q: Option<String>,
    kind: Option<String>,
}

async fn list_units(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<UnitQuery>,
) -> AppResult<Json<Value>> {
    let level = match q.level.as_deref() {
        None => Some("commune".to_owned()),
        Some(l @ ("province" | "commune")) => Some(l.to_owned()),
        Some("all") => None,
        Some(_) => {
            return Err(bad(
                "level",
                "Cấp là province, commune hoặc all",
                "level is province, commune or all",
            ))
        }
    };
    let province = match q.province {
        Some(p) => Some(motcua_domain::codes::ProvinceCode::parse(&p)?.to_string()),
        None => None,
    };
    let rows = units::list(
        &st.db,
        &UnitFilter {
            level,
            province,
            q: q.q,
            kind: q.kind,
        },
    )
    .await?;
    Ok(Json(json!({ "total": rows.len(), "items": rows })))
}

async fn get_unit(
    State(st): State<AppState>,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Value>> {
    let u = units::get(&st.db, &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::UnitNotFound))?;
    let history = units::history(&st.db, &code).await?;
    let agencies = crate::store::agencies::of_unit(&st.db, &code).await?;
    Ok(Json(
        json!({ "unit": u, "history": history, "agencies": agencies }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldQuery {
    name: Option<String>,
    code: Option<String>,
    province: Option<String>,
    district: Option<String>,
}

async fn old_units(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<OldQuery>,
) -> AppResult<Json<Value>> {
    if q.name.as_deref().is_none_or(|n| n.trim().is_empty()) && q.code.is_none() {
        return Err(bad(
            "name",
            "Nhập tên hoặc mã xã, phường cũ",
            "give the old commune's name or code",
        ));
    }
    if let Some(c) = &q.code {
        motcua_domain::codes::UnitCode::parse(c)?;
    }
    let rows = units::lookup_old(
        &st.db,
        &OldFilter {
            name: q.name,
            code: q.code,
            province: q.province,
            district: q.district,
        },
    )
    .await?;
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "old": { "province_code": r.old_province_code, "province_name": r.old_province_name, "district_code": r.old_district_code, "district_name": r.old_district_name, "unit_code": r.old_unit_code, "unit_name": r.old_unit_name },
                "new": { "province_code": r.new_province_code, "unit_code": r.new_unit_code, "unit_name": r.new_unit_name },
                "merge_type": r.merge_type,
                "resolution": r.resolution,
            })
        })
        .collect();
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProcQuery {
    q: Option<String>,
    level: Option<String>,
    field: Option<String>,
    boundary_free: Option<bool>,
    /// A province's own online levels and boundary-free list over the national ones.
    province: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn search_procedures(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<ProcQuery>,
) -> AppResult<Json<Value>> {
    if let Some(l) = q.level.as_deref() {
        if !["province", "commune", "ministry", "other"].contains(&l) {
            return Err(bad(
                "level",
                "Cấp là province, commune, ministry hoặc other",
                "level is province, commune, ministry or other",
            ));
        }
    }
    let limit = q.limit.unwrap_or(20);
    if !(1..=500).contains(&limit) || q.offset.is_some_and(|o| o < 0) {
        return Err(bad(
            "limit",
            "limit từ 1 đến 500, offset không âm",
            "limit is 1 to 500 and offset is not negative",
        ));
    }
    let f = ProcedureFilter {
        q: q.q,
        level: q.level,
        field: q.field,
        boundary_free: q.boundary_free,
        province: match q.province.as_deref() {
            None | Some("") => None,
            Some(p) => Some(
                motcua_domain::codes::ProvinceCode::parse(p)
                    .map_err(|_| {
                        bad(
                            "province",
                            "Mã tỉnh gồm 2 chữ số",
                            "a province code has 2 digits",
                        )
                    })?
                    .to_string(),
            ),
        },
        limit,
        offset: q.offset.unwrap_or(0),
    };
    let (total, items) = procedures::search(&st.db, &f).await?;
    Ok(Json(json!({ "total": total, "items": items })))
}

async fn procedure_fields(State(st): State<AppState>) -> AppResult<Json<Value>> {
    let rows = procedures::fields(&st.db).await?;
    Ok(Json(json!(rows
        .into_iter()
        .map(|(f, n)| json!({"field": f, "procedures": n}))
        .collect::<Vec<_>>())))
}

pub(crate) fn time_vi(t: &Option<TimeLimit>) -> String {
    motcua_domain::labels::time(t.as_ref(), false)
}

pub(crate) fn fee_vi(f: &Fee) -> String {
    motcua_domain::labels::fee(f, false)
}

async fn get_procedure(
    State(st): State<AppState>,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Value>> {
    let p = procedures::get(&st.db, &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let detail: Option<Detail> = p
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let channels: Vec<Value> = detail
        .iter()
        .flat_map(|d| d.channels.iter())
        .map(|c| json!({ "channel": c.channel, "channel_vi": c.channel.vi(), "time_vi": time_vi(&c.time), "fee_vi": fee_vi(&c.fee) }))
        .collect();
    let raw: Option<Value> = p.raw.as_deref().and_then(|r| serde_json::from_str(r).ok());
    let mut v = serde_json::to_value(&p.row).map_err(anyhow::Error::from)?;
    v["summary"] = json!(channels);
    v["detail"] = json!(detail);
    v["raw"] = json!(raw);
    v["source"] = json!(p.source);
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DueQuery {
    from: String,
    amount: f64,
    unit: String,
    cutoff: Option<String>,
}

async fn due(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<DueQuery>,
) -> AppResult<Json<Value>> {
    let from = time::OffsetDateTime::parse(&q.from, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            bad(
                "from",
                "from phải theo RFC 3339, ví dụ 2026-04-24T10:00:00+07:00",
                "from must be RFC 3339, e.g. 2026-04-24T10:00:00+07:00",
            )
        })?;
    if !(2000..=2090).contains(&from.year()) {
        return Err(bad(
            "from",
            "from phải trong khoảng năm 2000–2090",
            "from must be between 2000 and 2090",
        ));
    }
    let unit = TimeUnit::parse(&q.unit).ok_or_else(|| {
        bad(
            "unit",
            "unit là working_days, days, hours, same_day hoặc months",
            "unit is working_days, days, hours, same_day or months",
        )
    })?;
    if !q.amount.is_finite() || !(0.0..=3650.0).contains(&q.amount) {
        return Err(bad("amount", "amount từ 0 đến 3650", "amount is 0 to 3650"));
    }
    let cutoff = match q.cutoff.as_deref() {
        None => None,
        Some(c) => Some(
            time::Time::parse(c, time::macros::format_description!("[hour]:[minute]"))
                .map_err(|_| bad("cutoff", "cutoff dạng HH:MM", "cutoff is HH:MM"))?,
        ),
    };
    let cal = st.calendar();
    let due = cal
        .due(
            from,
            TimeLimit {
                amount: q.amount,
                unit,
            },
            &DueRules {
                cutoff,
                pauses: &[],
            },
        )
        .to_offset(VN);
    let due_s = due
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(anyhow::Error::from)?;
    Ok(Json(json!({ "due": due_s, "due_vi": format_vi(due) })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearQuery {
    year: Option<i32>,
}

async fn holidays(
    State(st): State<AppState>,
    AppQuery(q): AppQuery<YearQuery>,
) -> AppResult<Json<Value>> {
    let year = q
        .year
        .unwrap_or_else(|| st.clock.now().to_offset(VN).year());
    if !crate::state::CALENDAR_YEARS.contains(&year) {
        return Err(bad(
            "year",
            "Năm trong khoảng 2000–2100",
            "year is 2000 to 2100",
        ));
    }
    let items: Vec<Value> = st
        .calendar()
        .holidays(year)
        .into_iter()
        .map(|h| json!({ "date": h.date.to_string(), "date_vi": motcua_domain::calendar::format_date_vi(h.date), "name": h.name, "source": h.source }))
        .collect();
    Ok(Json(
        json!({ "year": year, "office_hours": st.calendar().hours().to_string(), "items": items }),
    ))
}

async fn statuses() -> Json<Value> {
    Json(json!(motcua_domain::status::Status::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "key": s.as_str(), "vi": s.vi(), "en": s.en(), "terminal": s.is_terminal() }))
        .collect::<Vec<_>>()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
    otp: Option<String>,
}

pub(crate) fn cookie(st: &AppState, value: &str, max_age: i64) -> String {
    let secure = if st.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

async fn login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    AppJson(b): AppJson<LoginBody>,
) -> AppResult<Response> {
    if b.username.len() > 100 || b.password.len() > 1000 {
        return Err(bad(
            "username",
            "Tên đăng nhập hoặc mật khẩu quá dài",
            "username or password too long",
        ));
    }
    let ok = session::login(&st, &b.username, &b.password, b.otp.as_deref(), ip).await?;
    let max_age = st.config.session_max_hours * 3600;
    let c = cookie(&st, &ok.token, max_age);
    Ok(([(header::SET_COOKIE, c)], Json(json!({
        "token": ok.token,
        "expires_at": ok.expires_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        "user": ok.user,
    })))
        .into_response())
}

async fn logout(State(st): State<AppState>, _actor: Actor, Token(t): Token) -> AppResult<Response> {
    session::logout(&st, &t).await?;
    Ok((
        [(header::SET_COOKIE, cookie(&st, "", 0))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn me(actor: Actor) -> Json<Actor> {
    Json(actor)
}

async fn create_dossier(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppJson(b): AppJson<CreateDossier>,
) -> AppResult<Response> {
    let v = dsvc::create(&st, &actor, b, &rid).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DossierQuery {
    status: Option<String>,
    procedure: Option<String>,
    /// Work list: mine, pool, due_soon, overdue, waiting_citizen.
    list: Option<String>,
    /// Field of the procedure (diacritics-insensitive).
    field: Option<String>,
    channel: Option<String>,
    /// Received from this day (YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Received up to this day (YYYY-MM-DD), inclusive.
    to: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn list_dossiers(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppQuery(q): AppQuery<DossierQuery>,
) -> AppResult<Json<dsvc::DossierPage>> {
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            motcua_domain::status::Status::parse(s)
                .ok_or_else(|| {
                    bad(
                        "status",
                        "Trạng thái là mã 1–10 hoặc tên (processing…)",
                        "status is a code 1–10 or a name (processing…)",
                    )
                })?
                .code(),
        ),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) || q.offset.is_some_and(|o| o < 0) {
        return Err(bad(
            "limit",
            "limit từ 1 đến 500, offset không âm",
            "limit is 1 to 500 and offset is not negative",
        ));
    }
    let day = |name: &str, v: Option<&str>| -> AppResult<Option<time::Date>> {
        v.map(|d| iso_day(name, d)).transpose()
    };
    let start = |d: time::Date| d.midnight().assume_offset(motcua_domain::calendar::VN);
    let from = day("from", q.from.as_deref())?.map(start);
    let to = day("to", q.to.as_deref())?
        .and_then(|d| d.next_day())
        .map(start);
    let channel = match q.channel.as_deref() {
        None => None,
        Some(c) => Some(
            motcua_domain::catalog::Channel::parse(c)
                .ok_or_else(|| {
                    bad(
                        "channel",
                        "Kênh là in_person, online hoặc postal",
                        "channel is in_person, online or postal",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let list = match q.list.as_deref() {
        None => None,
        Some(l) => Some(dsvc::work_list(&st, &actor, l)?),
    };
    let f = DossierFilter {
        status,
        procedure: q.procedure,
        field: q.field.map(|f| motcua_domain::text::search_key(&f)),
        channel,
        from,
        to,
        list,
        limit,
        offset: q.offset.unwrap_or(0),
    };
    Ok(Json(dsvc::list(&st, &actor, f, &rid).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseQuery {
    case: Option<String>,
}

async fn get_workflow(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
    AppQuery(q): AppQuery<CaseQuery>,
) -> AppResult<Json<crate::service::catalog::workflows::WorkflowView>> {
    let province = crate::service::catalog::workflows::province_of_actor(&st, &actor).await?;
    Ok(Json(
        crate::service::catalog::workflows::get(&st, &code, q.case.as_deref(), &province).await?,
    ))
}

async fn edit_workflow(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<crate::service::catalog::workflows::WorkflowEdit>,
) -> AppResult<Json<crate::service::catalog::workflows::WorkflowView>> {
    Ok(Json(
        crate::service::catalog::workflows::edit(&st, &actor, &code, b, &rid).await?,
    ))
}

fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

async fn form_pdf(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath((code, form)): AppPath<(String, String)>,
) -> AppResult<Response> {
    let bytes = if form == "01.pdf" {
        dsvc::receipt(&st, &actor, &code, &rid).await?
    } else {
        crate::service::dossier::forms::dossier_form(&st, &actor, &code, &form, &rid).await?
    };
    Ok(pdf(bytes, &format!("{code}-mau-{form}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuidanceBody {
    #[serde(default)]
    documents: Vec<u32>,
}

async fn guidance_pdf(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<GuidanceBody>,
) -> AppResult<Response> {
    let bytes = crate::service::dossier::forms::guidance(&st, &actor, &code, &b.documents).await?;
    Ok(pdf(bytes, &format!("huong-dan-{code}.pdf")))
}

/// A `YYYY-MM-DD` query date within the years the working calendar knows (a year like -9999 cannot be turned into a
/// moment at all).
fn iso_day(name: &str, v: &str) -> AppResult<time::Date> {
    time::Date::parse(v, time::macros::format_description!("[year]-[month]-[day]"))
        .ok()
        .filter(|d| crate::state::CALENDAR_YEARS.contains(&d.year()))
        .ok_or_else(|| {
            bad(
                name,
                "Ngày theo định dạng YYYY-MM-DD, từ năm 2000 đến 2100",
                "dates are YYYY-MM-DD, from 2000 to 2100",
            )
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodQuery {
    from: String,
    to: String,
}

async fn register_pdf(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppQuery(q): AppQuery<PeriodQuery>,
) -> AppResult<Response> {
    let (from, to) = (iso_day("from", &q.from)?, iso_day("to", &q.to)?);
    let bytes = crate::service::dossier::forms::register(&st, &actor, from, to, &rid).await?;
    Ok(pdf(bytes, &format!("so-theo-doi-{from}-{to}.pdf")))
}

async fn upload_document(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppQuery(meta): AppQuery<crate::service::dossier::documents::UploadMeta>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> AppResult<Response> {
    let max = usize::try_from(st.config.max_upload_mb).unwrap_or(10) * 1024 * 1024;
    // Read one byte more than allowed, so that an oversized file is told apart without reading it all.
    let bytes = axum::body::to_bytes(body, max + 1).await.map_err(|_| {
        AppError::with(
            ErrorCode::PayloadTooLarge,
            format!("files are at most {} MiB", st.config.max_upload_mb),
        )
    })?;
    let declared = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let v = crate::service::dossier::documents::upload(
        &st, &actor, &code, meta, declared, &bytes, &rid,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

async fn reuse_document(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<crate::service::dossier::documents::ReuseInput>,
) -> AppResult<Response> {
    let v = crate::service::dossier::documents::reuse(&st, &actor, &code, b, &rid).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

async fn download_document(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath((code, id)): AppPath<(String, i64)>,
) -> AppResult<Response> {
    let (ct, name, bytes) =
        crate::service::dossier::documents::download(&st, &actor, &code, id, &rid).await?;
    let ascii: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, ct),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

async fn reuse_offers(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Vec<crate::service::dossier::documents::Offer>>> {
    Ok(Json(
        crate::service::dossier::documents::offers(&st, &actor, &code).await?,
    ))
}

async fn create_bundle(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppJson(b): AppJson<crate::service::dossier::bundles::CreateBundle>,
) -> AppResult<Response> {
    let v = crate::service::dossier::bundles::create(&st, &actor, b, &rid).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

async fn worklists(
    State(st): State<AppState>,
    actor: Actor,
) -> AppResult<Json<Vec<dsvc::WorkListCount>>> {
    Ok(Json(dsvc::worklist_counts(&st, &actor).await?))
}

async fn get_dossier(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    headers: HeaderMap,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<dview::DossierView>> {
    let purpose = headers
        .get("x-purpose")
        .and_then(|v| v.to_str().ok())
        .filter(|p| p.len() <= 200)
        .unwrap_or("xem hồ sơ")
        .to_owned();
    Ok(Json(dview::get(&st, &actor, &code, &purpose, &rid).await?))
}

async fn act(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<process::ActInput>,
) -> AppResult<Json<dview::DossierView>> {
    if b.note.chars().count() > 2000 {
        return Err(bad(
            "note",
            "Ghi chú tối đa 2000 ký tự",
            "note is at most 2000 characters",
        ));
    }
    Ok(Json(process::act(&st, &actor, &code, &b, &rid).await?))
}

async fn access_log(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Vec<dsvc::AccessView>>> {
    Ok(Json(dsvc::access_log(&st, &actor, &code, &rid).await?))
}

async fn receipt(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
) -> AppResult<Response> {
    let pdf = dsvc::receipt(&st, &actor, &code, &rid).await?;
    let disposition = format!("inline; filename=\"{code}-mau01.pdf\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackQuery {
    code: String,
    proof: String,
}

async fn track(
    State(st): State<AppState>,
    ReqId(rid): ReqId,
    super::extract::ClientIp(ip): super::extract::ClientIp,
    AppQuery(q): AppQuery<TrackQuery>,
) -> AppResult<Json<crate::service::dossier::tracking::Tracked>> {
    // Addresses end up in proxy and browser logs: an ID number may only travel in a POST body.
    let token_like = q.proof.len() == 20 && q.proof.bytes().all(|b| b.is_ascii_hexdigit());
    if !token_like {
        return Err(bad(
            "proof",
            "Số định danh không được gửi trong địa chỉ: dùng POST /api/v1/track; GET chỉ nhận mã trên QR của phiếu hẹn",
            "ID numbers never go in the address: use POST /api/v1/track; GET takes only the receipt's QR token",
        ));
    }
    let t =
        crate::service::dossier::tracking::track(&st, ip, &q.code, &q.proof, None, &rid).await?;
    Ok(Json(t))
}

async fn track_post(
    State(st): State<AppState>,
    ReqId(rid): ReqId,
    super::extract::ClientIp(ip): super::extract::ClientIp,
    AppJson(q): AppJson<TrackQuery>,
) -> AppResult<Json<crate::service::dossier::tracking::Tracked>> {
    let t =
        crate::service::dossier::tracking::track(&st, ip, &q.code, &q.proof, None, &rid).await?;
    Ok(Json(t))
}
