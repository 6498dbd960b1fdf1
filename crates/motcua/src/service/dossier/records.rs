//! What a dossier leaves on paper and in the log: form 01 (receipt and appointment slip) and the access log.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::dossier::rules::audit_entry;
use crate::service::dossier::view::vn;
use crate::state::AppState;
use crate::store::audit::{self};
use crate::store::dossiers::{self};
use crate::store::{procedures, units};
use motcua_domain::calendar::format_vi;
use motcua_domain::catalog::Detail;
use motcua_domain::codes::DossierCode;
use motcua_domain::ids::UserId;
use motcua_domain::role::Role;
use motcua_domain::status::Status;
use serde::Serialize;
use time::OffsetDateTime;

/// One access to a dossier, as its access log shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AccessView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub at_vi: String,
    pub actor_user_id: Option<UserId>,
    pub actor_role: String,
    pub action: String,
    pub purpose: String,
    pub request_id: String,
}

/// Who read or changed a dossier, when and why (Law 91/2025): for administrators and center directors within
/// their scope. Reading the log is itself logged.
pub async fn access_log(
    st: &AppState,
    actor: &Actor,
    code: &str,
    request_id: &str,
) -> AppResult<Vec<AccessView>> {
    if !matches!(
        actor.role,
        Role::SystemAdmin | Role::ProvinceAdmin | Role::CenterDirector
    ) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "only administrators and center directors read access logs",
        ));
    }
    let code = DossierCode::parse(code).map_err(|_| AppError::code(ErrorCode::DossierNotFound))?;
    let row = dossiers::get(&st.db, &actor.scope, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    st.access.flush().await?;
    let entries = audit::for_dossier(&st.db, row.id).await?;
    st.access
        .append(&audit_entry(
            actor,
            "read_access_log",
            code.as_str(),
            Some(row.id),
            "kiểm tra truy cập dữ liệu cá nhân",
            request_id,
            st.clock.now(),
        ))
        .await?;
    Ok(entries
        .into_iter()
        .map(|e| AccessView {
            at: vn(e.at),
            at_vi: format_vi(e.at),
            actor_user_id: e.actor_user_id,
            actor_role: e.actor_role,
            action: e.action,
            purpose: e.purpose,
            request_id: e.request_id,
        })
        .collect())
}

/// Form 01 (receipt and appointment slip) of a received dossier, as a PDF. Printing it is logged.
pub async fn receipt(
    st: &AppState,
    actor: &Actor,
    code: &str,
    request_id: &str,
) -> AppResult<Vec<u8>> {
    let code = DossierCode::parse(code).map_err(|_| AppError::code(ErrorCode::DossierNotFound))?;
    let row = dossiers::get(&st.db, &actor.scope, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let status = row.status;
    let Some(received_at) = row
        .received_at
        .filter(|_| !matches!(status, Status::Submitted | Status::Refused))
    else {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "a receipt exists once the dossier is accepted",
        ));
    };
    let proc = procedures::get(&st.db, &row.procedure_code).await?;
    let detail: Option<Detail> = proc
        .as_ref()
        .and_then(|p| p.detail.as_deref())
        .and_then(|d| serde_json::from_str(d).ok());
    // What was ticked at intake (or at acceptance), never the whole list of the procedure.
    let documents = received_papers(&row.papers);
    let time_limit = limit_text(st, &row, detail.as_ref(), received_at);
    let events = dossiers::events(&st.db, row.id).await?;
    let receiver = events
        .iter()
        .find(|e| e.action == "receive" || e.action == "accept")
        .and_then(|e| e.actor.clone())
        .unwrap_or_default();
    let place = units::get(&st.db, &row.receiving_unit_code)
        .await?
        .map(|u| u.short_name)
        .unwrap_or_default();
    let r = crate::pdf::receipt::Receipt {
        agency: row.receiving_agency.clone(),
        place,
        code: row.code.clone(),
        applicant: row.applicant_name.clone(),
        applicant_id: row.applicant_id_masked.clone(),
        phone: row.applicant_phone.clone(),
        address: row.applicant_address.clone(),
        procedure: row.procedure_name.clone(),
        summary: Some(row.summary.trim().to_owned())
            .filter(|s| !s.is_empty() && *s != row.procedure_name),
        case: serde_json::from_str::<serde_json::Value>(&row.papers)
            .ok()
            .and_then(|v| v["case"].as_str().map(str::to_owned)),
        documents,
        time_limit,
        received_at,
        due_at: row.due_at,
        receiver,
        tracking_url: format!(
            "{}/tra-cuu?ma={}&t={}",
            st.config.public_url.trim_end_matches('/'),
            row.code,
            st.id_key.tracking_token(&row.code)
        ),
    };
    st.access
        .append(&audit_entry(
            actor,
            "print_receipt",
            code.as_str(),
            Some(row.id),
            "in giấy tiếp nhận (Mẫu 01)",
            request_id,
            st.clock.now(),
        ))
        .await?;
    Ok(
        tokio::task::spawn_blocking(move || crate::pdf::receipt::render(&r))
            .await
            .map_err(anyhow::Error::from)?,
    )
}

/// The time limit as form 01 states it: the published limit of the channel, or, when the province's workflow set
/// it, its length in working days and that it is the province's.
fn limit_text(
    st: &AppState,
    row: &crate::store::dossiers::DossierRow,
    detail: Option<&Detail>,
    received_at: OffsetDateTime,
) -> String {
    use motcua_domain::calendar::TimeUnit;
    use motcua_domain::workflow::{LimitSource, DAY_MINUTES};
    if let (Some(LimitSource::Workflow), Some(due)) = (row.limit_source.0, row.legal_due_at) {
        let minutes = st.calendar().working_minutes_between(received_at, due);
        #[allow(clippy::cast_precision_loss)]
        let days = (minutes as f64 / DAY_MINUTES as f64 * 10.0).round() / 10.0;
        return format!(
            "{} ngày làm việc ({})",
            days.to_string().replace('.', ","),
            LimitSource::Workflow.vi()
        );
    }
    if row.limit_source.0 == Some(LimitSource::Law) {
        return format!("trong ngày ({})", LimitSource::Law.vi());
    }
    detail
        .and_then(|d| {
            d.channels
                .iter()
                .find(|c| c.channel == row.channel && c.time.is_some())
        })
        .and_then(|c| c.time)
        .map_or_else(
            || "theo quy định của thủ tục".to_owned(),
            |t| match t.unit {
                TimeUnit::SameDay => {
                    "trong ngày (tiếp nhận sau 15 giờ: ngày làm việc tiếp theo)".to_owned()
                }
                u => format!("{} {}", t.amount.to_string().replace('.', ","), u.vi()),
            },
        )
}

/// The papers a dossier's receipt lists: those recorded as received, each with its quantity (shown papers marked).
fn received_papers(stored: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(stored).unwrap_or_default();
    v["papers"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or("").to_owned();
                    let mut q = p["quantity"].as_str().unwrap_or("").to_owned();
                    if p["shown"].as_bool() == Some(true) {
                        q = if q.is_empty() {
                            "xuất trình".into()
                        } else {
                            format!("{q}, xuất trình")
                        };
                    }
                    (name, q)
                })
                .collect()
        })
        .unwrap_or_default()
}
