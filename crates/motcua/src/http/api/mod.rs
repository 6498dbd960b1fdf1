//! JSON API under `/api/v1`: units, procedures, the calendar, sign-in and dossiers. Handlers are thin: extract, call
//! one store or service function, shape the answer.

use crate::error::AppError;
use crate::state::AppState;
use axum::routing::{get, post, put};
use axum::{Json, Router};
mod account;
mod actions;
mod catalog;
mod documents;
mod dossiers;
pub mod payments;
mod queue;
pub(crate) mod reports;
mod tracking;
mod workflows;
pub(crate) use account::cookie;
use account::{login, logout, me};
use actions::{access_log, act, create_bundle, get_dossier, receipt, worklists};
use catalog::{
    due, get_procedure, get_unit, holidays, list_units, old_units, procedure_fields,
    search_procedures, statuses,
};
use documents::{
    download_document, form_pdf, guidance_pdf, register_pdf, reuse_document, reuse_offers,
    upload_document,
};
use dossiers::{create_dossier, list_dossiers};
use tracking::{track, track_post};
use workflows::{correct_checklist, edit_workflow, get_workflow};

/// The API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/openapi.json",
            get(|| async { Json(super::openapi::document()) }),
        )
        .route("/units", get(list_units))
        .route("/units/old", get(old_units))
        .route("/id-card", post(catalog::read_id_card))
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
        .route(
            "/procedures/{code}/checklist",
            axum::routing::put(correct_checklist),
        )
        .route("/dossiers/{code}/access-log", get(access_log))
        .route("/dossiers/{code}/receipt.pdf", get(receipt))
        .route(
            "/dossiers/{code}/payments",
            get(payments::list).post(payments::start),
        )
        .route("/dossiers/{code}/payments/counter", post(payments::counter))
        .route("/dossiers/{code}/seals", get(payments::seals))
        .route(
            "/dossiers/{code}/contact",
            axum::routing::put(payments::contact),
        )
        .route(
            "/seal-keys/agencies/{agency}/rotate",
            post(payments::rotate_key),
        )
        .route("/seal-keys/{key}/revoke", post(payments::revoke_key))
        .route("/payments/vnpay/ipn", get(payments::vnpay_ipn))
        .route("/payments/dvcqg/confirm", post(payments::dvcqg_confirm))
        .route("/payments/reconciliation", get(payments::reconciliation))
        .route("/payments/{order_ref}/receipt.pdf", get(payments::receipt))
        .route("/reports/summary", get(reports::summary))
        .route("/reports/breakdown", get(reports::breakdown))
        .route("/reports/index766", get(reports::index))
        .route("/reports/staff", get(reports::staff))
        .route("/reports/staff/secondments", post(reports::second))
        .route("/reports/staff/officers/{username}", put(reports::profile))
        .route("/queue/staffing", get(queue::staffing))
        .route("/queue/level", get(queue::level))
        .route("/queue/centers/{center}", get(queue::center_services))
        .route("/queue/centers/{center}/tickets", post(queue::take))
        .route("/queue/centers/{center}/board", get(queue::board))
        .route("/queue/centers/{center}/slots", get(queue::slots))
        .route("/queue/centers/{center}/appointments", post(queue::book))
        .route("/queue/tickets/{ticket}", get(queue::ticket_status))
        .route("/queue/tickets/{ticket}/actions", post(queue::act))
        .route("/queue/counters/{id}/call", post(queue::call))
}

fn bad(field: &str, vi: &str, en: &str) -> AppError {
    AppError::field(field, vi, en)
}
