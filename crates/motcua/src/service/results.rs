//! Electronic results: when a dossier's result is approved, motcua draws the result document (PDF, with the result
//! code from the catalog and a QR to its verification page), signs its SHA-256 with the issuing agency's key and
//! files it among the applicant's documents (reusable by later dossiers, where it counts as a reused result, state 3). Anyone can verify it at
//! `/xac-minh/{token}`. Keys per agency: rotation retires the old key (what it signed still verifies); revocation
//! makes what it signed fail with the reason shown.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::integrations::signing::{verify_ed25519, Ed25519, Signer};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::dossiers::DossierRow;
use crate::store::{audit, documents, seals, Tx};
use motcua_domain::ids::AgencyId;
use motcua_domain::role::Role;
use serde::Serialize;
use sha2::{Digest, Sha256};

fn aad(key_id: &str) -> String {
    format!("seal-key:{key_id}")
}

fn random_hex(n: usize) -> AppResult<String> {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    Ok(hex::encode(b))
}

async fn new_key(st: &AppState, tx: &mut Tx, agency: AgencyId) -> AppResult<String> {
    let (pkcs8, public) = Ed25519::generate()?;
    let key_id = format!("{}-{}", agency.0, &random_hex(4)?);
    let sealed = st.data_key.seal(&hex::encode(pkcs8), &aad(&key_id))?;
    seals::replace(tx, agency, (&key_id, &public, &sealed), st.clock.now()).await?;
    Ok(key_id)
}

/// The agency's signer, its key created on first use.
pub async fn signer(st: &AppState, agency: AgencyId) -> AppResult<Ed25519> {
    let row = match seals::active(&st.db, agency).await? {
        Some(k) => k,
        None => {
            let mut tx = st.db.begin().await?;
            new_key(st, &mut tx, agency).await?;
            tx.commit().await?;
            seals::active(&st.db, agency)
                .await?
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("signing key not stored")))?
        }
    };
    let doc =
        hex::decode(st.data_key.open(&row.secret_sealed, &aad(&row.key_id))?).map_err(|_| {
            AppError::Internal(anyhow::anyhow!(
                "stored signing key {} unreadable",
                row.key_id
            ))
        })?;
    Ok(Ed25519::load(&row.key_id, &doc)?)
}

fn admin_of(actor: &Actor) -> AppResult<()> {
    if matches!(actor.role, Role::SystemAdmin | Role::ProvinceAdmin) {
        Ok(())
    } else {
        Err(AppError::with(
            ErrorCode::Forbidden,
            "administrators manage signing keys",
        ))
    }
}

/// Rotates an agency's key: the old one is retired (its results still verify). Returns the new key id.
pub async fn rotate(
    st: &AppState,
    actor: &Actor,
    agency: AgencyId,
    request_id: &str,
) -> AppResult<String> {
    admin_of(actor)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let id = new_key(st, &mut tx, agency).await?;
    audit::write_tx(
        &mut tx,
        &actor.audit(
            ("seal_key_rotate", "seal_key", id.clone()),
            "đổi khóa ký kết quả",
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Revokes a key (compromised, wrongly issued): what it sealed fails verification with the reason.
pub async fn revoke(
    st: &AppState,
    actor: &Actor,
    key_id: &str,
    reason: &str,
    request_id: &str,
) -> AppResult<()> {
    admin_of(actor)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "Ghi lý do thu hồi khóa (tối đa 500 ký tự)",
            "give the reason (at most 500 characters)",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    if !seals::revoke(&mut tx, key_id, reason, now).await? {
        return Err(AppError::with(
            ErrorCode::Conflict,
            "no such key, or already revoked",
        ));
    }
    audit::write_tx(
        &mut tx,
        &actor.audit(
            ("seal_key_revoke", "seal_key", key_id.to_owned()),
            "thu hồi khóa ký kết quả",
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A sealed result, ready to file in the approval's transaction.
#[derive(Debug, Clone)]
pub struct SealDraft {
    token: String,
    document: documents::NewDocument,
    key_id: String,
    signature: String,
    title: String,
    result_code: String,
    agency_name: String,
}

/// Draws and signs the result document of a dossier being approved (before the transaction: the PDF is stored by
/// its hash, so a refused approval leaves only an unreferenced blob).
pub async fn draft(st: &AppState, row: &DossierRow, actor: &Actor) -> AppResult<Option<SealDraft>> {
    let detail = crate::store::procedures::get(&st.db, &row.procedure_code)
        .await?
        .and_then(|p| p.detail)
        .and_then(|d| serde_json::from_str::<motcua_domain::catalog::Detail>(&d).ok());
    let Some(result) = detail.and_then(|d| d.results.into_iter().next()) else {
        return Ok(None);
    };
    let signer = signer(st, row.competent_agency_id).await?;
    let token = random_hex(16)?;
    let now = st.clock.now();
    let verify_url = format!(
        "{}/xac-minh/{token}",
        st.config.public_url.trim_end_matches('/')
    );
    let result_code = result.code.clone().unwrap_or_else(|| row.code.clone());
    let place = crate::store::units::get(&st.db, &row.receiving_unit_code)
        .await?
        .map(|u| u.short_name)
        .unwrap_or_default();
    let pdf = crate::pdf::payment::result(&crate::pdf::payment::ResultDoc {
        agency: row.competent_agency.clone(),
        title: result.name.clone(),
        result_code: result_code.clone(),
        dossier: row.code.clone(),
        procedure: row.procedure_name.clone(),
        holder: row.applicant_name.clone(),
        issued_at: now,
        verify_url,
        place,
    });
    let digest: [u8; 32] = Sha256::digest(&pdf).into();
    let sig = signer.sign(&digest)?;
    let sha = st.blobs.put(&st.data_key, &pdf).await?;
    Ok(Some(SealDraft {
        token,
        document: documents::NewDocument {
            dossier_id: row.id,
            component: result.name.clone(),
            component_key: motcua_domain::text::search_key(&result.name),
            is_result: true,
            file_name: format!("ket-qua-{}.pdf", row.code),
            content_type: "application/pdf".into(),
            size: i64::try_from(pdf.len()).unwrap_or(i64::MAX),
            sha256: sha,
            // Issued here (digitised at the source); state 3 is for a result reused from another dossier.
            state: 1,
            source: "sealed".into(),
            source_document_id: None,
            applicant_id_hash: row.applicant_id_hash.clone(),
            uploaded_by: actor.user_id,
            uploaded_at: now,
        },
        key_id: sig.key_id,
        signature: sig.signature,
        title: result.name,
        result_code,
        agency_name: row.competent_agency.clone(),
    }))
}

/// Files a drafted seal inside the approval's transaction.
pub async fn file(tx: &mut Tx, d: &SealDraft) -> AppResult<()> {
    let id = documents::insert(tx, &d.document).await?;
    seals::insert(
        tx,
        &seals::NewSeal {
            token: &d.token,
            dossier_id: d.document.dossier_id,
            document_id: id,
            key_id: &d.key_id,
            sha256: &d.document.sha256,
            signature: &d.signature,
            title: &d.title,
            result_code: &d.result_code,
            agency_name: &d.agency_name,
            issued_at: d.document.uploaded_at,
        },
    )
    .await?;
    Ok(())
}

/// What the verification page shows (no personal data: the holder's name is not on it).
#[derive(Debug, Clone, Serialize)]
pub struct SealView {
    pub title: String,
    pub result_code: String,
    pub dossier: String,
    pub agency: String,
    pub issued_at: String,
    pub key_id: String,
    pub sha256: String,
    /// The signature checks with the key.
    pub signature_ok: bool,
    /// The key was revoked: when and why.
    pub revoked: Option<(String, String)>,
}

impl SealView {
    pub fn valid(&self) -> bool {
        self.signature_ok && self.revoked.is_none()
    }
}

/// The seal behind a verification token.
pub async fn view(st: &AppState, token: &str) -> AppResult<Option<SealView>> {
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(s) = seals::by_token(&st.db, token).await? else {
        return Ok(None);
    };
    let key = seals::key(&st.db, &s.key_id).await?;
    let digest = hex::decode(&s.sha256).unwrap_or_default();
    let signature_ok = key
        .as_ref()
        .is_some_and(|k| verify_ed25519(&k.public_key, &digest, &s.signature));
    let revoked = key.and_then(|k| {
        k.revoked_at.map(|at| {
            (
                crate::service::money::vn_datetime(at),
                k.revoke_reason.unwrap_or_default(),
            )
        })
    });
    let dossier = crate::store::payments::code_of(&st.db, s.dossier_id)
        .await?
        .unwrap_or_default();
    Ok(Some(SealView {
        title: s.title,
        result_code: s.result_code,
        dossier,
        agency: s.agency_name,
        issued_at: crate::service::money::vn_datetime(s.issued_at),
        key_id: s.key_id,
        sha256: s.sha256,
        signature_ok,
        revoked,
    }))
}

/// Whether a file is the sealed document, byte for byte (its SHA-256 against the signed one).
pub fn matches(v: &SealView, file: &[u8]) -> bool {
    hex::encode(Sha256::digest(file)) == v.sha256
}
