//! The document store: files encrypted with the data key, named by the SHA-256 of their content (so the same file
//! is stored once), in a directory. The name binds the ciphertext: a file cannot be swapped for another.

use crate::crypto::DataKey;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// A directory of encrypted blobs.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
}

impl BlobStore {
    /// A store under `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BlobStore { dir: dir.into() }
    }

    fn path(&self, sha: &str) -> PathBuf {
        self.dir.join(&sha[..2]).join(sha)
    }

    /// Stores the bytes; returns their SHA-256 (hex).
    pub async fn put(&self, key: &DataKey, bytes: &[u8]) -> anyhow::Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self.path(&sha);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(sha);
        }
        let sealed = key.seal_bytes(bytes, &format!("blob:{sha}"))?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        let mut nonce = [0u8; 8];
        getrandom::getrandom(&mut nonce).map_err(|e| anyhow::anyhow!("random: {e}"))?;
        let tmp = path.with_extension(format!("tmp{}", hex::encode(nonce)));
        tokio::fs::write(&tmp, &sealed).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    /// Reads and decrypts a blob, checking its digest.
    pub async fn get(&self, key: &DataKey, sha: &str) -> anyhow::Result<Vec<u8>> {
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            anyhow::bail!("bad blob name");
        }
        let sealed = tokio::fs::read(self.path(sha)).await?;
        let plain = key.open_bytes(&sealed, &format!("blob:{sha}"))?;
        if hex::encode(Sha256::digest(&plain)) != sha {
            anyhow::bail!("blob {sha} does not match its digest");
        }
        Ok(plain)
    }
}

/// The kinds of file accepted, recognised by their first bytes (never by the name or the declared type).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_content_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b"<html>"), None);
    }

    #[tokio::test]
    async fn stores_encrypted_once_and_reads_back() {
        let dir = std::env::temp_dir().join(format!("motcua-blob-{}", std::process::id()));
        let store = BlobStore::new(&dir);
        let key = DataKey::from_bytes([7; 32]);
        let a = store.put(&key, b"%PDF-1.4 hello").await.unwrap();
        let b = store.put(&key, b"%PDF-1.4 hello").await.unwrap();
        assert_eq!(a, b);
        let on_disk = std::fs::read(dir.join(&a[..2]).join(&a)).unwrap();
        assert!(
            !on_disk.windows(5).any(|w| w == b"%PDF-"),
            "encrypted at rest"
        );
        assert_eq!(store.get(&key, &a).await.unwrap(), b"%PDF-1.4 hello");
        let other = DataKey::from_bytes([8; 32]);
        assert!(store.get(&other, &a).await.is_err());
        assert!(store.get(&key, "../etc/passwd").await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
