//! The document store: files encrypted with the data key, named by the SHA-256 of their content (so the same file
//! is stored once), in a directory or, with the `s3` feature, on an S3-compatible store. The name binds the
//! ciphertext: a file cannot be swapped for another.

use crate::crypto::DataKey;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Where blobs live.
#[derive(Debug, Clone)]
enum Backend {
    Dir(PathBuf),
    #[cfg(feature = "s3")]
    S3(std::sync::Arc<dyn object_store::ObjectStore>),
}

/// A store of encrypted blobs.
#[derive(Debug, Clone)]
pub struct BlobStore {
    backend: Backend,
}

fn name(sha: &str) -> String {
    format!("{}/{sha}", &sha[..2])
}

impl BlobStore {
    /// A store under `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BlobStore {
            backend: Backend::Dir(dir.into()),
        }
    }

    /// From the configuration: `blob_url` `s3://bucket[/prefix]` (credentials, region and endpoint from the usual
    /// `AWS_*` variables, overridden by `options`), or the directory `blob_dir` when `blob_url` is empty.
    pub fn from_config(
        blob_url: &str,
        blob_dir: &str,
        options: &[(String, String)],
    ) -> anyhow::Result<Self> {
        if blob_url.is_empty() {
            return Ok(BlobStore::new(blob_dir));
        }
        Self::s3(blob_url, options)
    }

    #[cfg(feature = "s3")]
    fn s3(url: &str, options: &[(String, String)]) -> anyhow::Result<Self> {
        use object_store::aws::AmazonS3Builder;
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| anyhow::anyhow!("blob_url must be s3://bucket[/prefix]: {url}"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let mut b = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (k, v) in options {
            b = b.with_config(k.parse()?, v);
        }
        let store: std::sync::Arc<dyn object_store::ObjectStore> = if prefix.is_empty() {
            std::sync::Arc::new(b.build()?)
        } else {
            std::sync::Arc::new(object_store::prefix::PrefixStore::new(
                b.build()?,
                prefix.trim_matches('/'),
            ))
        };
        Ok(BlobStore {
            backend: Backend::S3(store),
        })
    }

    #[cfg(not(feature = "s3"))]
    fn s3(url: &str, _: &[(String, String)]) -> anyhow::Result<Self> {
        anyhow::bail!("blob_url {url}: this build has no S3 support (build with --features s3)")
    }

    /// Stores the bytes; returns their SHA-256 (hex).
    pub async fn put(&self, key: &DataKey, bytes: &[u8]) -> anyhow::Result<String> {
        let sha = hex::encode(Sha256::digest(bytes));
        let sealed = || key.seal_bytes(bytes, &format!("blob:{sha}"));
        match &self.backend {
            Backend::Dir(dir) => {
                let path = dir.join(name(&sha));
                if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    return Ok(sha);
                }
                if let Some(parent) = path.parent() {
                    if !parent.exists() {
                        crate::fsperm::private_dir(dir)?;
                        crate::fsperm::private_dir(parent)?;
                    }
                }
                let mut nonce = [0u8; 8];
                getrandom::getrandom(&mut nonce).map_err(|e| anyhow::anyhow!("random: {e}"))?;
                let tmp = path.with_extension(format!("tmp{}", hex::encode(nonce)));
                let bytes = sealed()?;
                let tmp2 = tmp.clone();
                tokio::task::spawn_blocking(move || crate::fsperm::write_private(&tmp2, &bytes))
                    .await
                    .map_err(|e| anyhow::anyhow!("write task: {e}"))??;
                tokio::fs::rename(&tmp, &path).await?;
            }
            #[cfg(feature = "s3")]
            Backend::S3(store) => {
                let path = object_store::path::Path::from(name(&sha));
                if store.head(&path).await.is_err() {
                    store.put(&path, sealed()?.into()).await?;
                }
            }
        }
        Ok(sha)
    }

    /// Reads and decrypts a blob, checking its digest.
    pub async fn get(&self, key: &DataKey, sha: &str) -> anyhow::Result<Vec<u8>> {
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            anyhow::bail!("bad blob name");
        }
        let sealed = match &self.backend {
            Backend::Dir(dir) => tokio::fs::read(dir.join(name(sha))).await?,
            #[cfg(feature = "s3")]
            Backend::S3(store) => store
                .get(&object_store::path::Path::from(name(sha)))
                .await?
                .bytes()
                .await?
                .to_vec(),
        };
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

    /// The same against a real S3 protocol peer: moto's local server (installed by scripts/test).
    #[cfg(feature = "s3")]
    #[tokio::test]
    async fn s3_store_round_trip() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        /// Stops the server however the test ends.
        struct Server(std::process::Child);
        impl Drop for Server {
            fn drop(&mut self) {
                let _ = self.0.kill();
                let _ = self.0.wait();
            }
        }
        let _server = Server(
            std::process::Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("moto_server (pip install 'moto[server]') is required for the S3 test"),
        );
        let endpoint = format!("http://127.0.0.1:{port}");
        // Wait for it to listen, then create the bucket (moto accepts an unsigned PUT).
        let mut up = false;
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(up, "moto_server did not start");
        let made = std::process::Command::new("curl")
            .args(["-sf", "-X", "PUT", &format!("{endpoint}/motcua-docs")])
            .status()
            .unwrap();
        assert!(made.success());
        let opts: Vec<(String, String)> = [
            ("aws_endpoint", endpoint.as_str()),
            ("aws_allow_http", "true"),
            ("aws_access_key_id", "test"),
            ("aws_secret_access_key", "test"),
            ("aws_region", "us-east-1"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let store = BlobStore::from_config("s3://motcua-docs/tinh-48", "", &opts).unwrap();
        let key = DataKey::from_bytes([9; 32]);
        let sha = store.put(&key, b"%PDF-1.4 s3").await.unwrap();
        assert_eq!(store.put(&key, b"%PDF-1.4 s3").await.unwrap(), sha);
        assert_eq!(store.get(&key, &sha).await.unwrap(), b"%PDF-1.4 s3");
        // The object on the server sits under the prefix and holds the ciphertext.
        let listing = std::process::Command::new("curl")
            .args(["-sf", &format!("{endpoint}/motcua-docs")])
            .output()
            .unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout);
        assert!(
            listing.contains(&format!("<Key>tinh-48/{}/{sha}</Key>", &sha[..2])),
            "{listing}"
        );
        let Backend::S3(raw) = &store.backend else {
            panic!("not an S3 store")
        };
        let on_server = raw
            .get(&object_store::path::Path::from(name(&sha)))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        assert!(
            !on_server.windows(5).any(|w| w == b"%PDF-"),
            "encrypted at rest"
        );
        assert!(store
            .get(&DataKey::from_bytes([1; 32]), &sha)
            .await
            .is_err());
    }

    #[test]
    fn s3_urls_need_the_feature_or_a_valid_form() {
        let r = BlobStore::from_config("gs://x", "", &[]);
        assert!(r.is_err());
        assert!(BlobStore::from_config("", "/tmp/x", &[]).is_ok());
    }
}
