//! Public tracking of a dossier by its code plus the applicant's ID number, or plus the token of the receipt's QR
//! code. Shows progress only — no personal data — and answers "not found" alike for a wrong code or a wrong proof.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::service::dossier::view as dview;
use crate::state::AppState;
use crate::store::audit::AuditEntry;
use crate::store::dossiers;
use crate::store::Db;
use motcua_domain::calendar::{format_vi, WorkingDuration, VN};
use motcua_domain::codes::DossierCode;
use motcua_domain::ids::UserId;
use motcua_domain::status::Status;
use serde::Serialize;

pub mod cache;
mod rate;

pub use cache::{Snapshot, TrackCache};
pub use rate::{rate, REASONS};

/// One step of the public timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub at_vi: String,
    pub status_vi: &'static str,
    pub status_en: &'static str,
    /// What was done, when it is one of the legal actions (never the officer's note).
    pub action_vi: Option<&'static str>,
    pub action_en: Option<&'static str>,
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
    /// The receipt token: opens this status page again and lets the holder rate; it never downloads a result.
    pub token: String,
    /// A short-lived grant to download the results, given only when the look-up proved the applicant's ID number or
    /// the viewer is the signed-in applicant.
    pub result_grant: Option<String>,
    /// The open supplement request (form 02): reason and items.
    pub supplement: Option<(String, Vec<String>)>,
    /// Result documents, once the dossier is done.
    pub results: Vec<dview::DocumentView>,
    /// The satisfaction rating given (1 very satisfied, 2 satisfied, 3 not satisfied).
    pub rating: Option<i16>,
    /// Whether it can be rated now (done and not rated yet).
    pub can_rate: bool,
    /// The step the dossier is at (its name only; never who holds it).
    pub current_step: Option<String>,
    /// Fees: what is owed now (amount), and each payment received (amount, when).
    pub fee_due: Option<String>,
    /// (amount, when, order reference) of each payment received.
    pub paid: Vec<(String, String, String)>,
    /// Online methods the province offers (pay buttons while a fee is due).
    pub offered: Vec<motcua_domain::payment::Method>,
}

/// Looks a dossier up for the public. `proof` is the applicant's ID number or the receipt token. Each client address
/// gets `tracking_per_minute` look-ups a minute, so ID numbers cannot be guessed against a known code.
///
/// One light query proves the look-up and reads the dossier's revisions; the rest of the answer comes from the
/// tracking cache while those revisions are unchanged (any change to what the page shows bumps one of them in the
/// same transaction, so the answer is never stale), and from the full queries otherwise.
///
/// It reads the read replica when one is configured (the answer is then as of the replica, a few milliseconds
/// behind); `fresh` reads the primary instead, for the page shown right after the citizen's own change.
#[allow(clippy::too_many_arguments)]
pub async fn track(
    st: &AppState,
    client: Option<std::net::IpAddr>,
    code: &str,
    proof: &str,
    viewer: Option<UserId>,
    request_id: &str,
    fresh: bool,
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
    let by_id_number = !crate::auth::same(proof, &st.id_key.tracking_token(code.as_str()));
    let db = if fresh { &st.db } else { st.reader() };
    let key = dossiers::track_key(db, code.as_str())
        .await?
        .ok_or_else(not_found)?;
    if by_id_number {
        let digits: String = proof.chars().filter(|c| !c.is_whitespace()).collect();
        let proved = !digits.is_empty()
            && proof.len() <= 20
            && crate::auth::same(&st.id_key.id_hash(&digits), &key.applicant_id_hash);
        if !proved {
            return Err(not_found());
        }
    }
    let now = st.clock.now();
    st.access
        .append(&AuditEntry {
            at: now,
            actor_user_id: None,
            actor_role: "public".into(),
            action: "public_track".into(),
            entity: "dossier".into(),
            entity_key: code.to_string(),
            dossier_id: Some(key.id),
            purpose: "tra cứu công khai".into(),
            request_id: request_id.into(),
        })
        .await?;
    let rev = (key.version, key.public_rev);
    let snap = match st.track_cache.get(code.as_str(), rev) {
        Some(s) => s,
        None => {
            let s = std::sync::Arc::new(snapshot(st, db, code.as_str()).await?);
            st.track_cache.put(code.as_str(), rev, s.clone());
            s
        }
    };
    Ok(finish(st, &snap, now, by_id_number, viewer))
}

/// The parts of an answer that hold for everyone at this moment: the deadline left, and the result grant for whoever
/// proved the ID number or owns the dossier.
fn finish(
    st: &AppState,
    snap: &Snapshot,
    now: time::OffsetDateTime,
    by_id_number: bool,
    viewer: Option<UserId>,
) -> Tracked {
    let mut t = snap.base.clone();
    let remaining = snap
        .due_at
        .filter(|_| !snap.status.is_terminal() && snap.status != Status::Completed)
        .map(|due| WorkingDuration {
            minutes: st.calendar().working_minutes_between(now, due),
        });
    t.remaining_vi = remaining.map(|r| r.vi());
    t.remaining_en = remaining.map(|r| r.en());
    let done = matches!(snap.status, Status::Completed | Status::Returned);
    let owner = viewer.is_some() && viewer == snap.citizen;
    t.result_grant = ((by_id_number || owner) && done && !t.results.is_empty()).then(|| {
        st.id_key
            .result_grant(&t.code, (now + GRANT_LIFETIME).unix_timestamp())
    });
    t
}

/// Reads everything the public page shows of a dossier (the proof was checked by the caller).
async fn snapshot(st: &AppState, db: &Db, code: &str) -> AppResult<Snapshot> {
    let scope = Scope::Tracking {
        code: code.to_owned(),
        id_hash: None,
    };
    let row = dossiers::get(db, &scope, code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let status = row.status;
    let steps = dossiers::events(db, row.id)
        .await?
        .into_iter()
        .map(|e| {
            let s = e.to_status;
            Step {
                at_vi: format_vi(e.at),
                status_vi: s.vi(),
                status_en: s.en(),
                action_vi: motcua_domain::status::Action::parse(&e.action).map(|a| a.vi()),
                action_en: motcua_domain::status::Action::parse(&e.action).map(|a| a.en()),
            }
        })
        .collect();
    let supplement = if status == Status::AwaitingSupplement {
        crate::store::steps::notices(db, row.id)
            .await?
            .into_iter()
            .rev()
            .find(|n| n.form == "02")
            .map(|n| {
                let items: Vec<String> = serde_json::from_str(&n.items).unwrap_or_default();
                (n.reason, items)
            })
    } else {
        None
    };
    let done = matches!(status, Status::Completed | Status::Returned);
    let results = if done {
        crate::store::documents::of_dossier(db, row.id)
            .await?
            .into_iter()
            .map(dview::DocumentView::from)
            .filter(|d| d.is_result)
            .collect()
    } else {
        Vec::new()
    };
    let rating = crate::store::web::rating(db, row.id)
        .await?
        .map(|r| r.level);
    let fee_due = crate::store::payments::fees_of(db, row.id)
        .await?
        .into_iter()
        .find(|f| f.state == "open")
        .map(|f| motcua_domain::money::Vnd(f.amount).to_string());
    let paid = crate::store::payments::of_dossier(db, row.id)
        .await?
        .into_iter()
        .filter_map(|p| {
            p.paid_at.map(|at| {
                (
                    motcua_domain::money::Vnd(p.amount).to_string(),
                    crate::service::money::vn_datetime(at),
                    p.order_ref,
                )
            })
        })
        .collect();
    let province =
        crate::service::dossier::rules::province_of_unit(st, &row.receiving_unit_code).await?;
    let offered = crate::integrations::payment::offered(&st.config, &province);
    let base = Tracked {
        fee_due,
        paid,
        offered,
        token: st.id_key.tracking_token(&row.code),
        result_grant: None,
        supplement,
        results,
        can_rate: done && rating.is_none(),
        current_step: row.step_name.clone(),
        rating,
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
        remaining_vi: None,
        remaining_en: None,
        steps,
    };
    Ok(Snapshot {
        base,
        due_at: row.due_at,
        status,
        citizen: row.citizen_user_id,
    })
}

/// The dossier behind a receipt token (the QR code on form 01, or the one shown after tracking by ID number).
pub async fn by_token(st: &AppState, code: &str, token: &str) -> AppResult<dossiers::DossierRow> {
    let not_found = || AppError::code(ErrorCode::DossierNotFound);
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    if !crate::auth::same(token.trim(), &st.id_key.tracking_token(code.as_str())) {
        return Err(not_found());
    }
    let scope = Scope::Tracking {
        code: code.to_string(),
        id_hash: None,
    };
    dossiers::get(&st.db, &scope, code.as_str())
        .await?
        .ok_or_else(not_found)
}

/// How long a result grant lasts after the ID number was proved.
pub const GRANT_LIFETIME: time::Duration = time::Duration::minutes(30);

/// A result document of a finished dossier, for someone who proved the applicant's ID number (the grant of
/// [`track`]) or the signed-in citizen who submitted it; the download is logged. The receipt token alone is not
/// enough: receipts are photographed and passed around, and a result is a civil-status document.
pub async fn result_file(
    st: &AppState,
    code: &str,
    grant: &str,
    owner: Option<UserId>,
    id: i64,
    request_id: &str,
) -> AppResult<(String, String, Vec<u8>)> {
    let not_found = || AppError::code(ErrorCode::DossierNotFound);
    let code = DossierCode::parse(code).map_err(|_| not_found())?;
    let scope = Scope::Tracking {
        code: code.to_string(),
        id_hash: None,
    };
    let row = dossiers::get(&st.db, &scope, code.as_str())
        .await?
        .ok_or_else(not_found)?;
    let granted = st
        .id_key
        .check_grant(&row.code, grant.trim(), st.clock.now().unix_timestamp());
    let owns = owner.is_some() && owner == row.citizen_user_id;
    if !granted && !owns {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "to download the result, track the dossier with the applicant's ID number (or sign in as the applicant)",
        ));
    }
    let status = row.status;
    let doc = crate::store::documents::of_dossier(&st.db, row.id)
        .await?
        .into_iter()
        .find(|d| d.id == id && d.is_result)
        .filter(|_| matches!(status, Status::Completed | Status::Returned))
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let bytes = st.blobs.get(&st.data_key, &doc.sha256).await?;
    st.access
        .append(&AuditEntry {
            at: st.clock.now(),
            actor_user_id: None,
            actor_role: "public".into(),
            action: "public_result_download".into(),
            entity: "dossier".into(),
            entity_key: row.code.clone(),
            dossier_id: Some(row.id),
            purpose: "công dân tải kết quả".into(),
            request_id: request_id.into(),
        })
        .await?;
    Ok((doc.content_type, doc.file_name, bytes))
}
