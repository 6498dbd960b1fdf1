//! The leaders' pages (leaders, center directors, administrators): the dashboard with its exports, the Decision
//! 766 index and staff workload with the secondments a director accepts.

mod dashboard;
mod index766;
mod staff;

use crate::error::{AppError, ErrorCode};
use crate::http::web::page::PageError;
use crate::http::web::Ctx;
use crate::service::account::session::Actor;
use crate::state::AppState;

/// The signed-in reader of the figures.
pub(super) fn reader(ctx: &Ctx) -> Result<&Actor, PageError> {
    let a = ctx.need()?;
    if !crate::service::reports::may_read(a.role) {
        return Err(AppError::code(ErrorCode::ReportsForLeaders).into());
    }
    Ok(a)
}

/// The routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/can-bo/bao-cao", get(dashboard::dashboard))
        .route("/can-bo/bao-cao.xlsx", get(dashboard::download_xlsx))
        .route("/can-bo/bao-cao.csv", get(dashboard::download_csv))
        .route("/can-bo/bao-cao/ho-so", get(dashboard::dossiers))
        .route("/can-bo/bao-cao/chi-so-766", get(index766::page))
        .route("/can-bo/bao-cao/can-bo", get(staff::page))
        .route("/can-bo/bao-cao/can-bo/dieu-dong", post(staff::accept))
}
