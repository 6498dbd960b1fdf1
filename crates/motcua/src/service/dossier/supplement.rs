//! A supplement request as the citizen answers it online: one paper at a time, the request staying open (and the
//! clock stopped) until a document has been sent for every paper asked for; the officer may close it earlier.

use crate::error::{AppError, AppResult};
use crate::service::account::session::Actor;
use crate::service::dossier::documents::{dossier, prepare_upload, UploadMeta};
use crate::service::dossier::rules::audit_entry;
use crate::state::AppState;
use crate::store::dossiers::DossierRow;
use crate::store::{audit, documents, steps};
use motcua_domain::status::Status;
use time::OffsetDateTime;

/// The open request: why, when, and each paper with whether it has been sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub reason: String,
    pub at: OffsetDateTime,
    pub papers: Vec<(String, bool)>,
}

impl Request {
    /// The papers still to send.
    pub fn missing(&self) -> Vec<String> {
        self.papers
            .iter()
            .filter(|(_, sent)| !sent)
            .map(|(p, _)| p.clone())
            .collect()
    }
}

/// The dossier's open supplement request (its latest, while the dossier waits for one), with what was sent since.
pub async fn open_request(st: &AppState, d: &DossierRow) -> AppResult<Option<Request>> {
    if d.status != Status::AwaitingSupplement {
        return Ok(None);
    }
    let notices = steps::notices(&st.db, d.id).await?;
    let Some(n) = notices.iter().rev().find(|n| n.form == "02") else {
        return Ok(None);
    };
    let asked: Vec<String> = serde_json::from_str(&n.items).map_err(|e| {
        AppError::from(anyhow::anyhow!(
            "unreadable supplement items of {}: {e}",
            d.code
        ))
    })?;
    let docs = documents::of_dossier(&st.db, d.id).await?;
    let sent: Vec<&str> = docs
        .iter()
        .filter(|x| !x.is_result && x.uploaded_at >= n.at)
        .map(|x| x.component.as_str())
        .collect();
    let papers = motcua_domain::supplement::progress(&asked, &sent)
        .into_iter()
        .map(|(p, s)| (p.to_owned(), s))
        .collect();
    Ok(Some(Request {
        reason: n.reason.clone(),
        at: n.at,
        papers,
    }))
}

/// The open request of a dossier the person may see.
pub async fn open_request_of(
    st: &AppState,
    actor: &Actor,
    code: &str,
) -> AppResult<Option<Request>> {
    let d = dossier(st, actor, code).await?;
    open_request(st, &d).await
}

/// The citizen sends one paper of the request. The file, its audit row and, when it was the last paper missing,
/// the "supplement received" action (the clock restarts) commit together. Returns the papers still missing.
pub async fn send_online(
    st: &AppState,
    actor: &Actor,
    code: &str,
    meta: UploadMeta,
    (declared, bytes): (Option<&str>, &[u8]),
    request_id: &str,
) -> AppResult<Vec<String>> {
    let d = dossier(st, actor, code).await?;
    let request = open_request(st, &d).await?;
    let missing = request.as_ref().map(Request::missing).unwrap_or_default();
    let key = motcua_domain::text::search_key(&meta.component);
    if request.is_some()
        && !missing
            .iter()
            .any(|m| motcua_domain::text::search_key(m) == key)
    {
        return Err(AppError::field(
            "component",
            "Chọn một giấy tờ còn thiếu trong danh sách cơ quan yêu cầu",
            "choose a paper the agency asked for that is still missing",
        ));
    }
    let new = prepare_upload(st, actor, &d, meta, declared, bytes).await?;
    let left: Vec<String> = missing
        .into_iter()
        .filter(|m| motcua_domain::text::search_key(m) != key)
        .collect();
    // The action's rules (who, in which state, every paper sent) are checked before anything is stored.
    let input = crate::service::dossier::process::ActInput {
        action: "receive_supplement".into(),
        note: "Công dân bổ sung trực tuyến".into(),
        sending: Some(new.component.clone()),
        ..Default::default()
    };
    let plan = if left.is_empty() {
        Some(crate::service::dossier::process::plan(st, actor, code, &input).await?)
    } else {
        may_send(actor, &d)?;
        None
    };
    let mut tx = st.db.begin().await?;
    documents::insert(&mut tx, &new).await?;
    audit::write_tx(
        &mut tx,
        &audit_entry(
            actor,
            "upload_document",
            &d.code,
            Some(d.id),
            "công dân bổ sung hồ sơ",
            request_id,
            new.uploaded_at,
        ),
    )
    .await?;
    if let Some(plan) = plan {
        crate::service::dossier::process::apply(st, &mut tx, actor, plan, request_id).await?;
    }
    tx.commit().await?;
    Ok(left)
}

/// Whether this person may answer the dossier's supplement request now (the action's own rules).
fn may_send(actor: &Actor, d: &DossierRow) -> AppResult<()> {
    use crate::service::dossier::rules::{subject, who};
    let allowed = motcua_domain::workflow::allowed(&subject(d), who(actor));
    if allowed.contains(&motcua_domain::status::Action::ReceiveSupplement) {
        Ok(())
    } else {
        Err(AppError::with(
            crate::error::ErrorCode::Forbidden,
            "this dossier is not waiting for your supplement",
        ))
    }
}
