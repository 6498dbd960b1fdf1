//! Public tracking of a dossier by code with the ID number or the receipt token.

use super::bad;
use crate::error::AppResult;
use crate::http::extract::{AppJson, AppQuery, ReqId};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TrackQuery {
    code: String,
    proof: String,
}

pub(super) async fn track(
    State(st): State<AppState>,
    ReqId(rid): ReqId,
    crate::http::extract::ClientIp(ip): crate::http::extract::ClientIp,
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
    let t = crate::service::dossier::tracking::track(&st, ip, &q.code, &q.proof, None, &rid, false)
        .await?;
    Ok(Json(t))
}

pub(super) async fn track_post(
    State(st): State<AppState>,
    ReqId(rid): ReqId,
    crate::http::extract::ClientIp(ip): crate::http::extract::ClientIp,
    AppJson(q): AppJson<TrackQuery>,
) -> AppResult<Json<crate::service::dossier::tracking::Tracked>> {
    let t = crate::service::dossier::tracking::track(&st, ip, &q.code, &q.proof, None, &rid, false)
        .await?;
    Ok(Json(t))
}
