//! The catalog API: units (current and pre-reform), procedures and their fields, due dates, holidays, statuses.

use super::bad;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::state::AppState;
use crate::store::procedures::{self, ProcedureFilter};
use crate::store::units::{self, OldFilter, UnitFilter};
use axum::extract::State;
use axum::Json;
use motcua_domain::calendar::{format_vi, DueRules, TimeLimit, TimeUnit, VN};
use motcua_domain::catalog::{Detail, Fee};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UnitQuery {
    level: Option<String>,
    province: Option<String>,
    q: Option<String>,
    kind: Option<String>,
}

pub(super) async fn list_units(
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
        st.reader(),
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

pub(super) async fn get_unit(
    State(st): State<AppState>,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Value>> {
    let u = units::get(st.reader(), &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::UnitNotFound))?;
    let history = units::history(st.reader(), &code).await?;
    let agencies = crate::store::agencies::of_unit(st.reader(), &code).await?;
    Ok(Json(
        json!({ "unit": u, "history": history, "agencies": agencies }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OldQuery {
    name: Option<String>,
    code: Option<String>,
    province: Option<String>,
    district: Option<String>,
}

pub(super) async fn old_units(
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
        st.reader(),
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
pub(super) struct ProcQuery {
    q: Option<String>,
    level: Option<String>,
    field: Option<String>,
    boundary_free: Option<bool>,
    /// A province's own online levels and boundary-free list over the national ones.
    province: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

pub(super) async fn search_procedures(
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
        no_limit: false,
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
    let (total, items) =
        crate::service::catalog::search::find(&st.search, st.reader(), &f, None).await?;
    Ok(Json(json!({ "total": total, "items": items })))
}

pub(super) async fn procedure_fields(State(st): State<AppState>) -> AppResult<Json<Value>> {
    let rows = procedures::fields(st.reader()).await?;
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

/// `?province=CODE`: the checklists as that province corrected them.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ProcedureQuery {
    province: Option<String>,
}

pub(super) async fn get_procedure(
    State(st): State<AppState>,
    AppPath(code): AppPath<String>,
    AppQuery(q): AppQuery<ProcedureQuery>,
) -> AppResult<Json<Value>> {
    let province = q.province.unwrap_or_default();
    let p = procedures::get(st.reader(), &code)
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
    // The document checklist as counters and online submission use it (cases, required papers, notes).
    for (key, channel) in [
        ("checklist", motcua_domain::catalog::Channel::InPerson),
        ("checklist_online", motcua_domain::catalog::Channel::Online),
    ] {
        let list = crate::service::dossier::rules::checklist_on(
            st.reader(),
            &p.row.code,
            p.detail.as_deref(),
            channel,
            &province,
        )
        .await?;
        v[key] = json!(list);
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DueQuery {
    from: String,
    amount: f64,
    unit: String,
    cutoff: Option<String>,
}

pub(super) async fn due(
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
pub(super) struct YearQuery {
    year: Option<i32>,
}

pub(super) async fn holidays(
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

pub(super) async fn statuses() -> Json<Value> {
    Json(json!(motcua_domain::status::Status::ALL
        .iter()
        .map(|s| json!({ "code": s.code(), "key": s.as_str(), "vi": s.vi(), "en": s.en(), "terminal": s.is_terminal() }))
        .collect::<Vec<_>>()))
}

/// `POST /api/v1/id-card` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct IdCardBody {
    qr: String,
}

/// `POST /api/v1/id-card`: what a chip ID card's QR says, with its printed address as today's units.
pub(super) async fn read_id_card(
    State(st): State<AppState>,
    actor: crate::service::account::session::Actor,
    crate::http::extract::ReqId(rid): crate::http::extract::ReqId,
    crate::http::extract::AppJson(b): crate::http::extract::AppJson<IdCardBody>,
) -> AppResult<Json<Value>> {
    if b.qr.len() > 2000 {
        return Err(bad(
            "qr",
            "Mã QR tối đa 2000 ký tự",
            "the QR text is at most 2000 characters",
        ));
    }
    let r = crate::service::catalog::idcard::read(&st, &actor, &b.qr, &rid).await?;
    let iso = |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    Ok(Json(json!({
        "id": r.card.id.expose(),
        "old_id": r.card.old_id.as_ref().map(|i| i.expose().to_owned()),
        "name": r.card.name,
        "birth_date": iso(r.card.birth_date),
        "sex": r.card.sex,
        "address": r.card.address,
        "issued": r.card.issued.map(iso),
        "current_units": r.current_units,
    })))
}
