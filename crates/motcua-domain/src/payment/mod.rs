//! Online payment protocols, pure: what is signed, how, and what a gateway's answer means. The product's adapters
//! (`integrations/payment`) send and receive; nothing here does IO.
//!
//! - [`vnpay`]: VNPay 2.1.0 (payment URL, return and IPN verification, `querydr`).
//! - [`dvcqg`]: the national public-service portal's payment platform (INIT, confirm, QUERY with SHA-256
//!   `MaXacThuc`).

pub mod dvcqg;
pub mod vnpay;

use serde::{Deserialize, Serialize};

/// How a payment is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// VNPay (trực tuyến).
    Vnpay,
    /// The national payment platform (trực tuyến).
    Dvcqg,
    /// Cash at the counter (tiền mặt).
    Cash,
    /// Bank transfer checked by the officer (chuyển khoản).
    Transfer,
}

impl Method {
    pub const ALL: [Method; 4] = [Self::Vnpay, Self::Dvcqg, Self::Cash, Self::Transfer];
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Vnpay => "vnpay",
            Self::Dvcqg => "dvcqg",
            Self::Cash => "cash",
            Self::Transfer => "transfer",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub const fn online(self) -> bool {
        matches!(self, Self::Vnpay | Self::Dvcqg)
    }
    pub const fn vi(self) -> &'static str {
        match self {
            Self::Vnpay => "Trực tuyến qua VNPay",
            Self::Dvcqg => "Trực tuyến qua Nền tảng thanh toán Cổng DVC quốc gia",
            Self::Cash => "Tiền mặt tại quầy",
            Self::Transfer => "Chuyển khoản",
        }
    }
    pub const fn en(self) -> &'static str {
        match self {
            Self::Vnpay => "Online via VNPay",
            Self::Dvcqg => "Online via the national payment platform",
            Self::Cash => "Cash at the counter",
            Self::Transfer => "Bank transfer",
        }
    }
}

impl TryFrom<String> for Method {
    type Error = crate::error::UnknownStored;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Method::parse(&s).ok_or(crate::error::UnknownStored {
            what: "payment method",
            value: s,
        })
    }
}

/// Where a payment order stands (TD's Chờ thanh toán / Đã thanh toán / Hủy thanh toán).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Sent to the gateway; waiting for its answer.
    Pending,
    /// Money received.
    Paid,
    /// The gateway said it failed or the citizen cancelled.
    Failed,
}

impl State {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Paid, Self::Failed]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
    pub const fn vi(self) -> &'static str {
        match self {
            Self::Pending => "Chờ thanh toán",
            Self::Paid => "Đã thanh toán",
            Self::Failed => "Không thành công",
        }
    }
    pub const fn en(self) -> &'static str {
        match self {
            Self::Pending => "Awaiting payment",
            Self::Paid => "Paid",
            Self::Failed => "Failed",
        }
    }
}

impl TryFrom<String> for State {
    type Error = crate::error::UnknownStored;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        State::parse(&s).ok_or(crate::error::UnknownStored {
            what: "payment state",
            value: s,
        })
    }
}

/// `application/x-www-form-urlencoded` of one value: letters, digits and `*-._` kept, space as `+`, the rest
/// `%XX` (upper case), as the gateways' reference code encodes before signing.
pub fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Compares two strings in time independent of where they differ (signatures).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `yyyyMMddHHmmss` in Vietnam's time (GMT+7), as both gateways write dates.
pub fn stamp(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(crate::calendar::VN);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads a `yyyyMMddHHmmss` GMT+7 stamp.
pub fn parse_stamp(s: &str) -> Option<time::OffsetDateTime> {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let month = time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0..4)?).ok()?,
        month,
        u8::try_from(n(6..8)?).ok()?,
    )
    .ok()?;
    let t = time::Time::from_hms(
        u8::try_from(n(8..10)?).ok()?,
        u8::try_from(n(10..12)?).ok()?,
        u8::try_from(n(12..14)?).ok()?,
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, t).assume_offset(crate::calendar::VN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_form() {
        assert_eq!(form_encode("Thanh toan ho so 1.2"), "Thanh+toan+ho+so+1.2");
        assert_eq!(form_encode("a&b=c/d:é"), "a%26b%3Dc%2Fd%3A%C3%A9");
    }

    #[test]
    fn stamps_round_trip_in_gmt7() {
        let t = time::macros::datetime!(2026-12-01 02:03:04 UTC);
        assert_eq!(stamp(t), "20261201090304");
        assert_eq!(parse_stamp("20261201090304"), Some(t));
        assert_eq!(parse_stamp("2026120109030"), None);
        assert_eq!(parse_stamp("20261301090304"), None);
    }
}
