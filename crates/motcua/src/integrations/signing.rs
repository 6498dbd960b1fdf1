//! Signing a result: the interface a national PKI signer plugs into, and the local Ed25519 signer used now.
//!
//! A result is sealed by signing the SHA-256 of its PDF. Today each agency has its own Ed25519 key, kept sealed
//! with the data key. A PAdES signer (a licensed CA's certificate on a token or HSM, through PKCS#11 or the
//! province's remote-signing service) implements [`Signer`] too: it receives the finished PDF, returns the signed
//! PDF and the signature, and the seal record keeps the certificate's reference as its key id (ARCHITECTURE.md).

/// A signature made by a signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub key_id: String,
    /// Hex.
    pub signature: String,
}

/// Whoever signs results for an agency.
pub trait Signer: Send + Sync {
    /// The key (or certificate) reference stored with the seal.
    fn key_id(&self) -> &str;
    /// Signs the document's SHA-256.
    fn sign(&self, sha256: &[u8; 32]) -> anyhow::Result<Signature>;
}

/// A local Ed25519 key.
pub struct Ed25519 {
    key_id: String,
    pair: ring::signature::Ed25519KeyPair,
}

impl Ed25519 {
    /// A new random key: (its PKCS#8 document to keep sealed, its public key hex).
    pub fn generate() -> anyhow::Result<(Vec<u8>, String)> {
        let rng = ring::rand::SystemRandom::new();
        let doc = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng)
            .map_err(|_| anyhow::anyhow!("cannot generate an Ed25519 key"))?;
        let pair = ring::signature::Ed25519KeyPair::from_pkcs8(doc.as_ref())
            .map_err(|_| anyhow::anyhow!("generated key unreadable"))?;
        use ring::signature::KeyPair;
        Ok((
            doc.as_ref().to_vec(),
            hex::encode(pair.public_key().as_ref()),
        ))
    }

    /// Loads a kept key.
    pub fn load(key_id: &str, pkcs8: &[u8]) -> anyhow::Result<Ed25519> {
        let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8)
            .map_err(|_| anyhow::anyhow!("stored signing key {key_id} is unreadable"))?;
        Ok(Ed25519 {
            key_id: key_id.to_owned(),
            pair,
        })
    }
}

impl Signer for Ed25519 {
    fn key_id(&self) -> &str {
        &self.key_id
    }
    fn sign(&self, sha256: &[u8; 32]) -> anyhow::Result<Signature> {
        Ok(Signature {
            key_id: self.key_id.clone(),
            signature: hex::encode(self.pair.sign(sha256).as_ref()),
        })
    }
}

/// Checks an Ed25519 signature (hex) over a SHA-256 with a public key (hex).
pub fn verify_ed25519(public_hex: &str, sha256: &[u8], signature_hex: &str) -> bool {
    let (Ok(pk), Ok(sig)) = (hex::decode(public_hex), hex::decode(signature_hex)) else {
        return false;
    };
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, pk)
        .verify(sha256, &sig)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_with_its_key_only() {
        let (doc, public) = Ed25519::generate().expect("key");
        let k = Ed25519::load("k1", &doc).expect("load");
        let digest = [7u8; 32];
        let s = k.sign(&digest).expect("sign");
        assert!(verify_ed25519(&public, &digest, &s.signature));
        assert!(!verify_ed25519(&public, &[8u8; 32], &s.signature));
        let (_, other) = Ed25519::generate().expect("key");
        assert!(!verify_ed25519(&other, &digest, &s.signature));
    }
}
