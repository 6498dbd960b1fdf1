//! The chip ID card (CCCD) QR payload: 7 pipe-separated fields (DOMAIN.md §10).

use crate::person::CitizenId;
use crate::DomainError;
use serde::Serialize;
use time::Date;

/// What the QR on a chip ID card says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardQr {
    /// 12-digit personal ID number.
    pub id: CitizenId,
    /// Former 9-digit CMND, often empty.
    pub old_id: Option<CitizenId>,
    /// Full name as printed.
    pub name: String,
    /// Date of birth.
    pub birth_date: Date,
    /// "Nam" or "Nữ".
    pub sex: String,
    /// Permanent address as printed (possibly a pre-2025 address).
    pub address: String,
    /// Issue date, when present.
    pub issued: Option<Date>,
}

fn ddmmyyyy(s: &str) -> Option<Date> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u8 = s[0..2].parse().ok()?;
    let m: u8 = s[2..4].parse().ok()?;
    let y: i32 = s[4..8].parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

impl CardQr {
    /// Parses head fields by position, the trailing 8-digit date as the issue date, and the middle as the address.
    pub fn parse(raw: &str) -> Result<CardQr, DomainError> {
        let bad = |vi, en| DomainError::invalid("qr", vi, en);
        let f: Vec<&str> = raw.trim().split('|').collect();
        if f.len() < 5 {
            return Err(bad(
                "mã QR căn cước có ít nhất 5 trường, ngăn cách bởi |",
                "the ID card QR has at least 5 fields separated by |",
            ));
        }
        let id = CitizenId::parse(f[0]).map_err(|_| {
            bad(
                "trường đầu tiên không phải số định danh",
                "the first field is not an ID number",
            )
        })?;
        let old_id = if f[1].trim().is_empty() {
            None
        } else {
            CitizenId::parse(f[1]).ok()
        };
        let birth_date = ddmmyyyy(f[3].trim()).ok_or(bad(
            "ngày sinh không theo dạng ddMMyyyy",
            "the birth date is not ddMMyyyy",
        ))?;
        let rest = &f[5.min(f.len())..];
        let (address, issued) = match rest.split_last() {
            Some((last, middle)) if ddmmyyyy(last.trim()).is_some() => {
                (middle.join("|"), ddmmyyyy(last.trim()))
            }
            _ => (rest.join("|"), None),
        };
        Ok(CardQr {
            id,
            old_id,
            name: f[2].trim().to_owned(),
            birth_date,
            sex: f[4].trim().to_owned(),
            address: address.trim().to_owned(),
            issued,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_the_documented_example() {
        let q = CardQr::parse("001090123456|012345678|NGUYEN VAN A|01011990|Nam|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15042021")
            .expect("parses");
        assert_eq!(q.id.expose(), "001090123456");
        assert_eq!(q.old_id.as_ref().map(|i| i.expose()), Some("012345678"));
        assert_eq!(q.birth_date, date!(1990 - 01 - 01));
        assert_eq!(q.address, "Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh");
        assert_eq!(q.issued, Some(date!(2021 - 04 - 15)));
    }

    #[test]
    fn empty_old_id_and_pipe_in_address() {
        let q = CardQr::parse(
            "001090123456||TRAN THI B|29022000|Nữ|Số 1 | Ngõ 2, Phường Ba Đình|01072024",
        )
        .expect("parses");
        assert_eq!(q.old_id, None);
        assert_eq!(q.address, "Số 1 | Ngõ 2, Phường Ba Đình");
        assert!(CardQr::parse("abc|def").is_err());
        assert!(CardQr::parse("001090123456||X|31022000|Nam|addr|01072024").is_err());
    }
}
