//! A supplement request as the citizen answers it online: one paper at a time, the request staying open (and the
//! clock stopped) until a document has been sent for every paper asked for; the officer may close it earlier.

use crate::error::{AppError, AppResult};
use crate::service::account::session::Actor;
use crate::service::dossier::documents::{dossier, prepare_upload, UploadMeta};
use crate::service::dossier::rules::audit_entry;
pub use crate::service::dossier::view::{open_request, Request};
use crate::state::AppState;
use crate::store::dossiers::DossierRow;
use crate::store::{audit, documents};

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
