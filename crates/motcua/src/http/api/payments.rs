//! Payments over the API: start an online payment, the gateways' callbacks (VNPay IPN, the national platform's
//! confirm), payments at the counter, the e-receipt and the day's reconciliation.

use crate::error::{AppError, AppResult};
use crate::http::extract::{AppJson, AppPath, AppQuery, ClientIp, ReqId};
use crate::integrations::payment as gw;
use crate::service::account::session::Actor;
use crate::service::money::{self, Outcome, Settled};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use motcua_domain::payment::{dvcqg, vnpay, Method};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StartBody {
    provider: String,
}

pub(super) async fn start(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    ClientIp(ip): ClientIp,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<StartBody>,
) -> AppResult<Response> {
    let ip = ip.map_or_else(|| "127.0.0.1".to_owned(), |i| i.to_string());
    let o = money::start_online(&st, &actor, &code, &b.provider, &ip, &rid).await?;
    Ok((StatusCode::CREATED, Json(o)).into_response())
}

pub(super) async fn list(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<money::Money>> {
    Ok(Json(money::of_dossier(&st, &actor, &code).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CounterBody {
    method: String,
    #[serde(default)]
    reference: String,
}

pub(super) async fn counter(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<CounterBody>,
) -> AppResult<Response> {
    let r = money::record_at_counter(&st, &actor, &code, &b.method, &b.reference, &rid).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "order_ref": r })),
    )
        .into_response())
}

/// The query pairs of a callback, decoded.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or("")).unwrap_or_default()
}

/// Verifies and records a VNPay callback (IPN or return): the reply VNPay expects.
pub async fn vnpay_callback(
    st: &AppState,
    params: &[(String, String)],
    via: &str,
    rid: &str,
) -> vnpay::IpnReply {
    use vnpay::IpnReply as R;
    let tmn = params
        .iter()
        .find(|(k, _)| k == "vnp_TmnCode")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let secret = match gw::secret_of(&st.config, Method::Vnpay, tmn) {
        Ok(Some(s)) => s,
        Ok(None) => return R::BadChecksum,
        Err(_) => return R::Unknown,
    };
    let cb = match vnpay::verify(params, &secret.0) {
        Ok(cb) => cb,
        Err(vnpay::Refused::Checksum) => return R::BadChecksum,
        Err(vnpay::Refused::Malformed) => return R::Unknown,
    };
    let outcome = if cb.success() {
        Outcome::Paid {
            txn: cb.transaction_no.clone(),
            code: cb.response_code.clone(),
        }
    } else {
        Outcome::Failed {
            code: cb.response_code.clone(),
        }
    };
    match money::settle(st, &cb.txn_ref, Some(cb.amount), &outcome, via, rid).await {
        Ok(Settled::Recorded) => R::Confirmed,
        Ok(Settled::Already) => R::AlreadyConfirmed,
        Ok(Settled::NotFound) => R::OrderNotFound,
        Ok(Settled::WrongAmount) => R::InvalidAmount,
        Err(e) => {
            tracing::warn!(order = %cb.txn_ref, error = %e, "payment callback not recorded");
            R::Unknown
        }
    }
}

pub(super) async fn vnpay_ipn(
    State(st): State<AppState>,
    ReqId(rid): ReqId,
    RawQuery(q): RawQuery,
) -> Response {
    let r = vnpay_callback(&st, &pairs(q.as_deref()), "VNPay IPN", &rid).await;
    Json(serde_json::json!({ "RspCode": r.code(), "Message": r.message() })).into_response()
}

pub(super) async fn dvcqg_confirm(
    State(st): State<AppState>,
    ReqId(rid): ReqId,
    AppJson(c): AppJson<dvcqg::Confirm>,
) -> Response {
    let reply = |code: &str, msg: &str| {
        Json(serde_json::json!({ "MaLoi": code, "MoTaLoi": msg })).into_response()
    };
    let Ok(Some(secret)) = gw::secret_of(&st.config, Method::Dvcqg, &c.ma_doi_tac) else {
        return reply("97", "Sai chữ ký");
    };
    if !c.verifies(&secret.0) {
        return reply("97", "Sai chữ ký");
    }
    let outcome = if c.success() {
        Outcome::Paid {
            txn: c.ma_giao_dich.clone(),
            code: c.ma_loi.clone(),
        }
    } else {
        Outcome::Failed {
            code: c.ma_loi.clone(),
        }
    };
    match money::settle(
        &st,
        &c.ma_tham_chieu,
        Some(c.so_tien),
        &outcome,
        "DVCQG",
        &rid,
    )
    .await
    {
        Ok(Settled::Recorded) => reply("00", "Thành công"),
        Ok(Settled::Already) => reply("02", "Giao dịch đã được xác nhận"),
        Ok(Settled::NotFound) => reply("01", "Không tìm thấy giao dịch"),
        Ok(Settled::WrongAmount) => reply("04", "Sai số tiền"),
        Err(_) => reply("99", "Lỗi khác"),
    }
}

pub(super) async fn receipt(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(order_ref): AppPath<String>,
) -> AppResult<Response> {
    let (name, pdf) = money::receipt_pdf(&st, &actor, &order_ref).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DayQuery {
    date: Option<String>,
}

/// `YYYY-MM-DD`, or today in Vietnam.
pub fn day(st: &AppState, s: Option<&str>) -> AppResult<time::Date> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(st.clock.now().to_offset(motcua_domain::calendar::VN).date()),
        Some(s) => time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .or_else(|_| {
                time::Date::parse(s, time::macros::format_description!("[day]/[month]/[year]"))
            })
            .map_err(|_| {
                AppError::field(
                    "date",
                    format!("Không đọc được ngày «{s}» (ví dụ 02/12/2026)"),
                    "the date is not readable (e.g. 2026-12-02)",
                )
            }),
    }
}

pub(super) async fn reconciliation(
    State(st): State<AppState>,
    actor: Actor,
    AppQuery(q): AppQuery<DayQuery>,
) -> AppResult<Json<money::reconcile::Report>> {
    let d = day(&st, q.date.as_deref())?;
    Ok(Json(money::reconcile::report(&st, &actor, d).await?))
}

pub(super) async fn contact(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(code): AppPath<String>,
    AppJson(b): AppJson<crate::service::notify::Contact>,
) -> AppResult<StatusCode> {
    crate::service::notify::set_contact(&st, &actor, &code, &b, &rid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevokeBody {
    reason: String,
}

pub(super) async fn rotate_key(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(agency): AppPath<i64>,
) -> AppResult<Response> {
    let id =
        crate::service::results::rotate(&st, &actor, motcua_domain::ids::AgencyId(agency), &rid)
            .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "key_id": id })),
    )
        .into_response())
}

pub(super) async fn revoke_key(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppPath(key): AppPath<String>,
    AppJson(b): AppJson<RevokeBody>,
) -> AppResult<StatusCode> {
    crate::service::results::revoke(&st, &actor, &key, &b.reason, &rid).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn seals(
    State(st): State<AppState>,
    actor: Actor,
    AppPath(code): AppPath<String>,
) -> AppResult<Json<Vec<serde_json::Value>>> {
    let row = crate::store::dossiers::get(&st.db, &actor.scope, &code)
        .await?
        .ok_or_else(|| crate::error::AppError::code(crate::error::ErrorCode::DossierNotFound))?;
    let base = st.config.public_url.trim_end_matches('/').to_owned();
    Ok(Json(
        crate::store::seals::of_dossier(&st.db, row.id)
            .await?
            .into_iter()
            .map(|s| serde_json::json!({"token": s.token, "verify_url": format!("{base}/xac-minh/{}", s.token),
                "document_id": s.document_id, "title": s.title, "key_id": s.key_id, "sha256": s.sha256}))
            .collect(),
    ))
}
