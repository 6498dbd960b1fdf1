//! The citizen pays: the chosen gateway's order, then off to the gateway; the e-receipt afterwards.

use super::citizen;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, ClientIp};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::money;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PayForm {
    #[serde(default)]
    provider: String,
}

/// `POST /ho-so-cua-toi/{code}/thanh-toan`: opens the order and sends the citizen to the gateway.
pub async fn pay(
    State(st): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(f): CsrfForm<PayForm>,
) -> PageResult {
    let actor = citizen(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let ip = ip.map_or_else(|| "127.0.0.1".to_owned(), |i| i.to_string());
    match money::start_online(&st, actor, &code, &f.provider, &ip, &ctx.rid).await {
        Ok(o) => Ok(see_other(&o.pay_url)),
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => super::dossiers::page_with_error(&st, &ctx, &code, &e, "").await,
    }
}

/// `GET /ho-so-cua-toi/{code}/bien-lai/{order}`: the e-receipt PDF of one of the citizen's payments.
pub async fn receipt(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, String)>, AppError>,
) -> PageResult {
    let actor = ctx.need()?;
    let Ok(AppPath((_, order))) = path else {
        return Err(AppError::code(ErrorCode::PaymentNotFound).into());
    };
    let (name, pdf) = money::receipt_pdf(&st, actor, &order).await?;
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

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ContactForm {
    email: String,
    #[serde(rename = "kenh")]
    channels: Vec<String>,
}

/// `POST /ho-so-cua-toi/{code}/thong-bao`: how the applicant wants to be told (e-mail, SMS, Zalo).
pub async fn contact(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let actor = citizen(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let f = ContactForm {
        email: pairs
            .iter()
            .find(|(k, _)| k == "email")
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default(),
        channels: pairs
            .iter()
            .filter(|(k, _)| k == "kenh")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let typed = format!("contact:{}|{}", f.channels.join(","), f.email);
    let c = crate::service::notify::Contact {
        email: f.email,
        channels: f.channels,
    };
    match crate::service::notify::set_contact(&st, actor, &code, &c, &ctx.rid).await {
        Ok(()) => Ok(see_other(&format!(
            "/ho-so-cua-toi/{}?thong_bao=1",
            crate::http::web::url_enc(&code)
        ))),
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => super::dossiers::page_with_error(&st, &ctx, &code, &e, &typed).await,
    }
}
