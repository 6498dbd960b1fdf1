//! Paying from the tracking page: whoever holds the receipt (form 01's QR) pays online, and gets the e-receipt.

use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery, ClientIp};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::money;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PayForm {
    t: String,
    provider: String,
}

/// `POST /tra-cuu/{code}/thanh-toan`.
pub async fn pay(
    State(st): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(f): CsrfForm<PayForm>,
) -> PageResult {
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let actor = money::receipt_holder(&st, &code, &f.t).await?;
    let ip = ip.map_or_else(|| "127.0.0.1".to_owned(), |i| i.to_string());
    // A refusal (nothing owed any more, the gateway did not answer) is the bilingual error page, with the way back.
    let o = money::start_online(&st, &actor, &code, &f.provider, &ip, &ctx.rid).await?;
    Ok(see_other(&o.pay_url))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenQuery {
    t: String,
}

/// `GET /tra-cuu/{code}/bien-lai/{order}?t=…`: the e-receipt for the receipt holder.
pub async fn receipt(
    State(st): State<AppState>,
    path: Result<AppPath<(String, String)>, AppError>,
    q: Result<AppQuery<TokenQuery>, AppError>,
) -> PageResult {
    let Ok(AppPath((code, order))) = path else {
        return Err(AppError::code(ErrorCode::PaymentNotFound).into());
    };
    let t = q.map(|AppQuery(q)| q.t).unwrap_or_default();
    let actor = money::receipt_holder(&st, &code, &t).await?;
    let (name, pdf) = money::receipt_pdf(&st, &actor, &order).await?;
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
