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

/// The label a dossier's applicant ID number is sealed under.
pub const ID_LABEL: &str = "dossier.applicant_id_number";
/// The label TOTP secrets are sealed under.
pub const TOTP_LABEL: &str = "users.totp_secret";

impl DataKey {
    /// A key from 32 bytes.
    pub fn from_bytes(b: [u8; 32]) -> Self {
        DataKey(b)
    }

    /// Reads the key file (64 hex characters), creating it with a random key (mode 0600) when it does not exist.
    /// Back the file up apart from the database: without it the encrypted values cannot be read.
    pub fn load_or_create(path: &Path) -> anyhow::Result<DataKey> {
        Ok(DataKey(key_file(path, "data-encryption key")?))
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

/// Reads a 32-byte key kept as 64 hex characters in `path`, creating it (random, mode 0600, in a 0700 folder) when it
/// does not exist. Creation is atomic: the key is written to a temporary file and linked into place, so a second
/// process starting at the same moment reads the whole key or makes none.
pub fn key_file(path: &Path, what: &str) -> anyhow::Result<[u8; 32]> {
    if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| {
            anyhow::anyhow!(
                "không đọc được khóa / cannot read the {what} {}: {e}",
                path.display()
            )
        })?;
        return hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "tệp khóa phải có 64 ký tự hex / the {what} file must hold 64 hex characters: {}",
                    path.display()
                )
            });
    }
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fsperm::private_dir(dir)?;
    }
    match write_new_private(path, &hex::encode(b)) {
        Ok(()) => {}
        // Another process created it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return key_file(path, what),
        Err(e) => {
            return Err(anyhow::anyhow!(
                "không ghi được khóa / cannot write the {what} {}: {e}",
                path.display()
            ))
        }
    }
    tracing::warn!(key.file = %path.display(), "created a new {what}: back it up apart from the database");
    Ok(b)
}

/// Writes `text` to a new file at `path` (mode 0600); `AlreadyExists` if there is one.
fn write_new_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut suffix = [0u8; 6];
    getrandom::getrandom(&mut suffix).map_err(std::io::Error::other)?;
    let tmp = path.with_extension(format!("tmp-{}", hex::encode(suffix)));
    crate::fsperm::write_private(&tmp, text.as_bytes())?;
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// The secret of the keyed hashes: the ID-number look-up hash, the receipt's QR token and the result grants. From
/// `id_hash_key` (at least 32 bytes) when set, else from its key file (created on first start). `Debug` hides it.
pub struct HashKey(Vec<u8>);

impl std::fmt::Debug for HashKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HashKey(***)")
    }
}

/// The shortest `id_hash_key` accepted, in bytes.
pub const MIN_HASH_KEY: usize = 32;

impl HashKey {
    /// A key from bytes (tests, and a configured key).
    pub fn from_bytes(b: &[u8]) -> anyhow::Result<HashKey> {
        if b.len() < MIN_HASH_KEY {
            anyhow::bail!(
                "id_hash_key phải dài ít nhất {MIN_HASH_KEY} byte (để trống thì hệ thống tự tạo tệp khóa) / \
                 id_hash_key must be at least {MIN_HASH_KEY} bytes (leave it empty to have a key file generated)"
            );
        }
        Ok(HashKey(b.to_vec()))
    }

    /// The configured key, or the key file's (created when missing).
    pub fn from_config(inline: &str, file: &Path) -> anyhow::Result<HashKey> {
        if inline.is_empty() {
            Ok(HashKey(key_file(file, "ID-hash key")?.to_vec()))
        } else {
            HashKey::from_bytes(inline.as_bytes())
        }
    }

    fn mac(&self, msg: &str) -> String {
        use hmac::{Hmac, Mac};
        match <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(mut mac) => {
                mac.update(msg.as_bytes());
                hex::encode(mac.finalize().into_bytes())
            }
            // HMAC takes keys of any length, so this arm is never taken.
            Err(_) => String::new(),
        }
    }

    /// A keyed hash of an ID number, to find an applicant's dossiers without indexing the number itself.
    pub fn id_hash(&self, id_number: &str) -> String {
        self.mac(id_number)
    }

    /// The token printed in a receipt's QR code: opens the dossier's status page, without the ID number.
    pub fn tracking_token(&self, code: &str) -> String {
        self.mac(&format!("track:{code}"))[..20].to_owned()
    }

    /// A value stored with the data that tells whether the data was hashed with this key.
    pub fn check_value(&self) -> String {
        self.mac("motcua:id-hash-key-check")
    }

    /// A grant to download a dossier's results until `expires` (Unix seconds): `EXPIRES.MAC`. Given only to someone
    /// who proved the applicant's ID number, so a photographed receipt alone never downloads a result.
    pub fn result_grant(&self, code: &str, expires: i64) -> String {
        format!(
            "{expires}.{}",
            &self.mac(&format!("result:{code}:{expires}"))[..32]
        )
    }

    /// Whether a grant is this key's for `code` and still valid at `now` (Unix seconds).
    pub fn check_grant(&self, code: &str, grant: &str, now: i64) -> bool {
        let Some((exp, _)) = grant.split_once('.') else {
            return false;
        };
        let Ok(expires) = exp.parse::<i64>() else {
            return false;
        };
        expires >= now && crate::auth::same(grant, &self.result_grant(code, expires))
    }
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
                0o700,
                "the key's folder is private"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod hash_key_tests {
    use super::*;

    #[test]
    fn short_or_well_known_keys_are_refused() {
        assert!(HashKey::from_bytes(b"change-me-per-deployment").is_err());
        assert!(HashKey::from_bytes(&[b'k'; 31]).is_err());
        let k = HashKey::from_bytes(&[b'k'; 32]).unwrap();
        assert_eq!(format!("{k:?}"), "HashKey(***)");
        assert_ne!(
            k.id_hash("079012345634"),
            HashKey::from_bytes(&[b'j'; 32])
                .unwrap()
                .id_hash("079012345634")
        );
        assert_eq!(k.tracking_token("20242-261123-0001").len(), 20);
    }

    #[test]
    fn grants_expire_and_are_bound_to_the_dossier() {
        let k = HashKey::from_bytes(&[b'k'; 32]).unwrap();
        let g = k.result_grant("20242-261123-0001", 1_000);
        assert!(k.check_grant("20242-261123-0001", &g, 999));
        assert!(!k.check_grant("20242-261123-0001", &g, 1_001), "expired");
        assert!(
            !k.check_grant("20242-261123-0002", &g, 999),
            "another dossier"
        );
        let forged = format!("9999999999.{}", g.split_once('.').unwrap().1);
        assert!(
            !k.check_grant("20242-261123-0001", &forged, 999),
            "a later expiry is not signed"
        );
        assert!(!k.check_grant("20242-261123-0001", "garbage", 0));
    }
}
