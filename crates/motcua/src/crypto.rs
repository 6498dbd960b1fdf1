//! Encryption of personal data at rest (XChaCha20-Poly1305) with a key kept outside the database.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

/// The data-encryption key. `Debug` never prints it.
pub struct DataKey([u8; 32]);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(***)")
    }
}

const PREFIX: &str = "x1:";

impl DataKey {
    /// A key from 32 bytes.
    pub fn from_bytes(b: [u8; 32]) -> Self {
        DataKey(b)
    }

    /// Reads the key file (64 hex characters), creating it with a random key (mode 0600) when it does not exist.
    /// Back the file up apart from the database: without it the encrypted values cannot be read.
    pub fn load_or_create(path: &Path) -> anyhow::Result<DataKey> {
        if path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| {
                anyhow::anyhow!(
                    "không đọc được khóa / cannot read the data key {}: {e}",
                    path.display()
                )
            })?;
            let bytes = hex::decode(text.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b).ok()).ok_or_else(|| {
                anyhow::anyhow!("tệp khóa phải có 64 ký tự hex / the data key file must hold 64 hex characters: {}", path.display())
            })?;
            return Ok(DataKey(bytes));
        }
        let mut b = [0u8; 32];
        getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("random: {e}"))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        match write_private(path, &hex::encode(b)) {
            Ok(()) => {}
            // Another process created it first: use that one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Self::load_or_create(path)
            }
            Err(e) => {
                return Err(anyhow::anyhow!(
                    "không ghi được khóa / cannot write the data key {}: {e}",
                    path.display()
                ))
            }
        }
        tracing::warn!(key.file = %path.display(), "created a new data-encryption key: back it up apart from the database");
        Ok(DataKey(b))
    }

    /// Encrypts bytes bound to a context label (`aad`): nonce followed by ciphertext.
    pub fn seal_bytes(&self, plain: &[u8], aad: &str) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; 24];
        getrandom::getrandom(&mut nonce).map_err(|e| anyhow::anyhow!("random: {e}"))?;
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypts bytes made by [`DataKey::seal_bytes`] with the same label.
    pub fn open_bytes(&self, sealed: &[u8], aad: &str) -> anyhow::Result<Vec<u8>> {
        if sealed.len() <= 24 {
            anyhow::bail!("not an encrypted value");
        }
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        cipher
            .decrypt(
                XNonce::from_slice(&sealed[..24]),
                Payload {
                    msg: &sealed[24..],
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("cannot decrypt: wrong key or label"))
    }

    /// Encrypts `plain`, bound to a context label (`aad`) so a value cannot be moved to another column.
    pub fn seal(&self, plain: &str, aad: &str) -> anyhow::Result<String> {
        Ok(format!(
            "{PREFIX}{}",
            hex::encode(self.seal_bytes(plain.as_bytes(), aad)?)
        ))
    }

    /// Decrypts a value made by [`DataKey::seal`] with the same label.
    pub fn open(&self, sealed: &str, aad: &str) -> anyhow::Result<String> {
        let raw = sealed
            .strip_prefix(PREFIX)
            .and_then(|h| hex::decode(h).ok())
            .ok_or_else(|| anyhow::anyhow!("not an encrypted value"))?;
        let plain = self.open_bytes(&raw, aad)?;
        String::from_utf8(plain).map_err(|_| anyhow::anyhow!("decrypted value is not UTF-8"))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open() {
        let k = DataKey::from_bytes([7; 32]);
        let s = k.seal("079012345634", "dossier.applicant_id").unwrap();
        assert!(s.starts_with("x1:") && !s.contains("079012345634"));
        assert_ne!(
            s,
            k.seal("079012345634", "dossier.applicant_id").unwrap(),
            "random nonce"
        );
        assert_eq!(k.open(&s, "dossier.applicant_id").unwrap(), "079012345634");
        assert!(k.open(&s, "other.column").is_err());
        assert!(DataKey::from_bytes([8; 32])
            .open(&s, "dossier.applicant_id")
            .is_err());
        assert_eq!(format!("{k:?}"), "DataKey(***)");
    }

    #[test]
    fn key_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("motcua-key-{}", std::process::id()));
        let path = dir.join("data.key");
        let _ = std::fs::remove_dir_all(&dir);
        let a = DataKey::load_or_create(&path).unwrap();
        let b = DataKey::load_or_create(&path).unwrap();
        assert_eq!(a.0, b.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        std::fs::write(&path, "short").unwrap();
        assert!(DataKey::load_or_create(&path).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
