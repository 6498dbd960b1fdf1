//! Keys at start: the stored ID-number hashes follow the current ID-hash key (a deployment that ran with another key,
//! such as the old well-known default, is re-keyed from the sealed ID numbers), and TOTP secrets are sealed.

use crate::crypto::{DataKey, HashKey};
use crate::store::{settings, Db};

const CHECK: &str = "id_hash_key_check";

/// What [`ensure`] changed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rekeyed {
    pub dossiers: usize,
    pub totp_secrets: usize,
}

/// Re-keys the ID-number hashes when the key changed (or was never recorded) and seals plain TOTP secrets, in one
/// transaction. Cheap when nothing changed: one read.
pub async fn ensure(db: &Db, hash_key: &HashKey, data_key: &DataKey) -> anyhow::Result<Rekeyed> {
    let check = hash_key.check_value();
    let stored = settings::get(db, CHECK).await?;
    let mut tx = db.begin().await?;
    let mut done = Rekeyed::default();
    if stored.as_deref() != Some(check.as_str()) {
        for (id, sealed) in settings::sealed_ids(&mut tx).await? {
            let number = data_key
                .open(&sealed, crate::crypto::ID_LABEL)
                .map_err(|e| {
                    anyhow::anyhow!(
                        "dossier {id}: the ID number cannot be read with this data key: {e}"
                    )
                })?;
            settings::set_id_hash(&mut tx, id, &hash_key.id_hash(&number)).await?;
            done.dossiers += 1;
        }
        settings::rehash_documents(&mut tx).await?;
        settings::set(&mut tx, CHECK, &check).await?;
    }
    for (id, plain) in settings::plain_totp_secrets(&mut tx).await? {
        settings::set_totp_secret(
            &mut tx,
            id,
            &data_key.seal(&plain, crate::crypto::TOTP_LABEL)?,
        )
        .await?;
        done.totp_secrets += 1;
    }
    tx.commit().await?;
    if stored.is_some() && done.dossiers > 0 {
        tracing::warn!(
            dossiers = done.dossiers,
            "the ID-hash key changed: ID-number hashes were recomputed; receipt QR codes printed before no longer open tracking (tracking by code and ID number still works)"
        );
    } else if stored.is_none() && done.dossiers > 0 {
        tracing::warn!(
            dossiers = done.dossiers,
            "ID-number hashes were recomputed with this deployment's own key (an older version used a shared default): receipt QR codes printed before no longer open tracking (tracking by code and ID number still works)"
        );
    }
    if done.totp_secrets > 0 {
        tracing::info!(
            users = done.totp_secrets,
            "TOTP secrets sealed with the data key"
        );
    }
    Ok(done)
}
