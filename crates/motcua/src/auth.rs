//! Passwords (Argon2id), session tokens (random, stored only as SHA-256) and TOTP (RFC 6238) for administrators.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Argon2id with OWASP's minimum parameters (19 MiB, 2 passes).
fn argon() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// Checks a password against a PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| argon().verify_password(password.as_bytes(), &h).is_ok())
}

/// A new random token (32 bytes, hex).
pub fn new_token() -> anyhow::Result<String> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    Ok(hex::encode(b))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two strings in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding (the form authenticator apps take).
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in data {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(B32[((buf >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(B32[((buf << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32 (case-insensitive, padding and spaces ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = B32
            .iter()
            .position(|x| char::from(*x) == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buf >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The 6-digit TOTP code of a base32 secret at a Unix time (30-second steps, HMAC-SHA1).
pub fn totp(secret_b32: &str, unix: i64) -> Option<String> {
    let key = base32_decode(secret_b32)?;
    let counter = (unix.div_euclid(30) as u64).to_be_bytes();
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(&key).ok()?;
    mac.update(&counter);
    let h = mac.finalize().into_bytes();
    let off = usize::from(h[h.len() - 1] & 0x0f);
    let bin = (u32::from(h[off] & 0x7f) << 24)
        | (u32::from(h[off + 1]) << 16)
        | (u32::from(h[off + 2]) << 8)
        | u32::from(h[off + 3]);
    Some(format!("{:06}", bin % 1_000_000))
}

/// Accepts the code of the current step or one step either side (clock drift).
pub fn verify_totp(secret_b32: &str, code: &str, unix: i64) -> bool {
    totp_step(secret_b32, code, unix).is_some()
}

/// The 30-second step whose code `code` is (the current one or one either side), so the caller can refuse a step
/// used before.
pub fn totp_step(secret_b32: &str, code: &str, unix: i64) -> Option<i64> {
    // Authenticator apps show "123 456": spaces are not part of the code.
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    [-30, 0, 30].iter().find_map(|d| {
        totp(secret_b32, unix + d)
            .filter(|c| *c == code)
            .map(|_| (unix + d).div_euclid(30))
    })
}

/// The enrolment QR code of a TOTP secret (an `otpauth://` URI, as authenticator apps scan it) as inline SVG.
pub fn enrolment_svg(username: &str, secret_b32: &str) -> Option<String> {
    let label: String = username
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let uri = format!(
        "otpauth://totp/motcua:{label}?secret={secret_b32}&issuer=motcua&digits=6&period=30"
    );
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(180, 180)
            .quiet_zone(true)
            .build()
            .replacen("<svg ", "<svg role=\"img\" aria-label=\"TOTP QR\" ", 1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_vectors() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", truncated to 6 digits.
        let secret = base32_encode(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(totp(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(totp(&secret, 1111111109).as_deref(), Some("081804"));
        assert_eq!(totp(&secret, 20000000000).as_deref(), Some("353130"));
        assert!(verify_totp(&secret, "287082", 59 + 25));
        assert!(!verify_totp(&secret, "287083", 59));
        assert!(
            verify_totp(&secret, "287 082", 59),
            "as authenticator apps show it"
        );
    }

    #[test]
    fn passwords() {
        let h = hash_password("mật khẩu đúng").expect("hash");
        assert!(verify_password("mật khẩu đúng", &h));
        assert!(!verify_password("mật khẩu sai", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn enrolment_qr_is_svg() {
        let svg = enrolment_svg("quản trị", "GEZDGNBVGY3TQOJQ").unwrap();
        assert!(svg.contains("<svg role=\"img\"") && svg.contains("</svg>"));
        assert!(
            !svg.contains("GEZDGNBVGY3TQOJQ"),
            "the secret is in the modules, not the markup"
        );
    }

    #[test]
    fn hashes_are_keyed() {
        assert_eq!(token_hash("t").len(), 64);
        assert_eq!(
            base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").as_deref(),
            Some(&b"12345678901234567890"[..])
        );
    }
}
