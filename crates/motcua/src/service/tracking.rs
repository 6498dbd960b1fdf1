//! Public tracking of a dossier by its code plus the applicant's ID number, or plus the token of the receipt's QR
//! code. Shows progress only — no personal data — and answers "not found" alike for a wrong code or a wrong proof.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::dossiers;
use motcua_domain::calendar::{format_vi, WorkingDuration, VN};
use motcua_domain::codes::DossierCode;
use motcua_domain::status::Status;
use serde::Serialize;

/// One step of the public timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub at_vi: String,
    pub status_vi: &'static str,
    pub status_en: &'static str,
    /// What was done, when it is one of the legal actions (never the officer's note).
    pub action_vi: Option<&'static str>,
}

/// What the public sees of a dossier.
#[derive(Debug, Clone, Serialize)]
pub struct Tracked {
    pub code: String,
    pub procedure: String,
    pub receiving_agency: String,
    pub status_code: i16,
    pub status_vi: &'static str,
    pub status_en: &'static str,
    pub submitted_vi: String,
    pub received_vi: Option<String>,
    pub due_vi: Option<String>,
    /// The first appointment, when an apology gave a new date.
    pub original_due_vi: Option<String>,
    pub remaining_vi: Option<String>,
    pub remaining_en: Option<String>,
    pub steps: Vec<Step>,
}

/// Looks a dossier up for the public. `proof` is the applicant's ID number or the receipt token. Each client address
/// gets `tracking_per_minute` look-ups a minute, so ID numbers cannot be guessed against a known code.
pub async fn track(
    st: &AppState,
    client: Option<std::net::IpAddr>,
    code: &str,
    proof: &str,
    request_id: &str,
) -> AppResult<Tracked> {
    if !st
        .tracking_limit
        .allow(client, st.clock.now(), st.config.tracking_per_minute)
    {
        return Err(AppError::code(ErrorCode::RateLimited));
    }
    let not_found = || AppError::code(ErrorCode::DossierNotFound);
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let proof = proof.trim();
    let scope = if crate::auth::same(
        proof,
        &crate::auth::tracking_token(&st.config.id_hash_key, code.as_str()),
    ) {
        Scope::Tracking {
            code: code.to_string(),
            id_hash: None,
        }
    } else if !proof.is_empty() && proof.len() <= 20 {
        let digits: String = proof.chars().filter(|c| !c.is_whitespace()).collect();
        Scope::Tracking {
            code: code.to_string(),
            id_hash: Some(crate::auth::id_hash(&st.config.id_hash_key, &digits)),
        }
    } else {
        return Err(not_found());
    };
    let row = dossiers::get(&st.db, &scope, code.as_str())
        .await?
        .ok_or_else(not_found)?;
    let now = st.clock.now();
    audit::write(
        &st.db,
        &AuditEntry {
            at: now,
            actor_user_id: None,
            actor_role: "public".into(),
            action: "public_track".into(),
            entity: "dossier".into(),
            entity_key: code.to_string(),
            dossier_id: Some(row.id),
            purpose: "tra cứu công khai".into(),
            request_id: request_id.into(),
        },
    )
    .await?;
    let status = Status::from_code(row.status).unwrap_or(Status::Submitted);
    let remaining = row
        .due_at
        .filter(|_| !status.is_terminal() && status != Status::Completed)
        .map(|due| WorkingDuration {
            minutes: st.calendar().working_minutes_between(now, due),
        });
    let steps = dossiers::events(&st.db, row.id)
        .await?
        .into_iter()
        .filter_map(|e| {
            let s = Status::from_code(e.to_status)?;
            Some(Step {
                at_vi: format_vi(e.at),
                status_vi: s.vi(),
                status_en: s.en(),
                action_vi: motcua_domain::status::Action::parse(&e.action).map(|a| a.vi()),
            })
        })
        .collect();
    Ok(Tracked {
        code: row.code,
        procedure: row.procedure_name,
        receiving_agency: row.receiving_agency,
        status_code: status.code(),
        status_vi: status.vi(),
        status_en: status.en(),
        submitted_vi: format_vi(row.submitted_at.to_offset(VN)),
        received_vi: row.received_at.map(format_vi),
        due_vi: row.due_at.map(format_vi),
        original_due_vi: match (row.due_at, row.legal_due_at) {
            (Some(d), Some(l)) if d != l => Some(format_vi(l)),
            _ => None,
        },
        remaining_vi: remaining.map(|r| r.vi()),
        remaining_en: remaining.map(|r| r.en()),
        steps,
    })
}
