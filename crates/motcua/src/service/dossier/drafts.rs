//! A citizen's saved online application (bản nháp): saved sealed with the data key after every page, removed once
//! submitted. Each change commits with its audit row (the content is personal data: who saved it, when).

use crate::error::AppResult;
use crate::service::account::session::Actor;
use crate::service::dossier::documents::{self, Stored};
use crate::service::dossier::dossiers::{self as dsvc, CreateDossier};
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::web::{self as wstore, DraftRow};

fn entry(
    actor: &Actor,
    action: &str,
    id: &str,
    request_id: &str,
    now: time::OffsetDateTime,
) -> AuditEntry {
    AuditEntry {
        at: now,
        actor_user_id: Some(actor.user_id),
        actor_role: actor.role.as_str().into(),
        action: action.into(),
        entity: "draft".into(),
        entity_key: id.into(),
        dossier_id: None,
        purpose: "công dân nộp hồ sơ trực tuyến".into(),
        request_id: request_id.into(),
    }
}

/// Creates or replaces the citizen's draft (its `data` already sealed), audited in the same transaction.
pub async fn save(st: &AppState, actor: &Actor, row: &DraftRow, request_id: &str) -> AppResult<()> {
    let mut tx = st.db.begin().await?;
    wstore::save_draft(&mut tx, row).await?;
    audit::write_tx(
        &mut tx,
        &entry(actor, "save_draft", &row.id, request_id, row.updated_at),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes one of the citizen's drafts (submitted or abandoned), audited in the same transaction.
pub async fn discard(st: &AppState, actor: &Actor, id: &str, request_id: &str) -> AppResult<()> {
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    wstore::delete_draft(&mut tx, actor.user_id, id).await?;
    audit::write_tx(&mut tx, &entry(actor, "discard_draft", id, request_id, now)).await?;
    tx.commit().await?;
    Ok(())
}

/// Submits a saved application: the dossier, its files and the removal of the draft commit in one transaction with
/// their audit rows, so a failure leaves the draft as it was and no half-made dossier. Returns the dossier's code.
pub async fn submit(
    st: &AppState,
    actor: &Actor,
    draft_id: &str,
    input: CreateDossier,
    files: &[Stored],
    request_id: &str,
) -> AppResult<String> {
    let mut p = dsvc::prepare(st, actor, &input).await?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let (id, code) = dsvc::insert_prepared(st, &mut tx, actor, &mut p, request_id).await?;
    documents::attach_stored(
        &mut tx,
        actor,
        (id, &code, &p.new.applicant_id_hash),
        files,
        now,
        request_id,
    )
    .await?;
    wstore::delete_draft(&mut tx, actor.user_id, draft_id).await?;
    audit::write_tx(
        &mut tx,
        &entry(actor, "submit_draft", draft_id, request_id, now),
    )
    .await?;
    tx.commit().await?;
    st.metrics.dossier_created();
    Ok(code)
}
