//! Official codes as parsed value types: province, commune-level unit, procedure and dossier codes.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use time::Date;

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Province code: 2 digits (01 Hà Nội … 96 Cà Mau), QĐ 19/2025/QĐ-TTg.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProvinceCode(String);

impl ProvinceCode {
    /// Parses "01"; a single digit "1" is padded to "01".
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let s = if s.len() == 1 {
            format!("0{s}")
        } else {
            s.to_owned()
        };
        if all_digits(&s, 2) {
            Ok(Self(s))
        } else {
            Err(DomainError::invalid(
                "province",
                "mã tỉnh gồm 2 chữ số",
                "a province code has 2 digits",
            ))
        }
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Commune, ward or special-zone code: 5 digits, unique nationwide.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    /// Parses "00004"; shorter numbers are zero-padded to 5 digits.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                "unit",
                "mã xã, phường gồm 5 chữ số",
                "a commune-level unit code has 5 digits",
            ));
        }
        Ok(Self(format!("{s:0>5}")))
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Procedure code: national `N.NNNNNN`, or a provincial localisation `1.000494.000.00.00.H29`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProcedureCode(String);

impl ProcedureCode {
    /// Parses a national or localised procedure code.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let err = || {
            DomainError::invalid(
                "procedure",
                "mã thủ tục có dạng 1.001193",
                "a procedure code looks like 1.001193",
            )
        };
        let mut parts = s.split('.');
        let head = parts.next().ok_or_else(err)?;
        let body = parts.next().ok_or_else(err)?;
        if !all_digits(head, 1) || !all_digits(body, 6) {
            return Err(err());
        }
        for p in parts {
            if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(err());
            }
        }
        Ok(Self(s.to_owned()))
    }
    /// The national part (`1.001193` of `1.001193.000.00.00.H29`).
    pub fn national(&self) -> &str {
        self.0.get(..8).unwrap_or(&self.0)
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Dossier code `{receiving agency identifier}-{yyMMdd}-{NNNN}` (DOMAIN.md §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DossierCode(String);

impl DossierCode {
    /// Builds the code for a receiving agency, a local date and the day's serial (1-based).
    pub fn new(agency_identifier: &str, day: Date, serial: u32) -> Result<Self, DomainError> {
        check_identifier(agency_identifier)?;
        if serial == 0 {
            return Err(DomainError::invalid(
                "serial",
                "số thứ tự trong ngày bắt đầu từ 1",
                "the daily serial starts at 1",
            ));
        }
        Ok(Self(format!(
            "{agency_identifier}-{:02}{:02}{:02}-{serial:04}",
            day.year().rem_euclid(100),
            u8::from(day.month()),
            day.day()
        )))
    }

    /// Parses a code typed or scanned by a person.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let err = || {
            DomainError::invalid(
                "code",
                "mã hồ sơ có dạng 000.00.53.H48-220921-0099",
                "a dossier code looks like 000.00.53.H48-220921-0099",
            )
        };
        let (rest, serial) = s.rsplit_once('-').ok_or_else(err)?;
        let (ident, day) = rest.rsplit_once('-').ok_or_else(err)?;
        if serial.len() < 4
            || serial.len() > 6
            || !serial.bytes().all(|b| b.is_ascii_digit())
            || !all_digits(day, 6)
        {
            return Err(err());
        }
        check_identifier(ident).map_err(|_| err())?;
        let mm: u8 = day[2..4].parse().map_err(|_| err())?;
        let dd: u8 = day[4..6].parse().map_err(|_| err())?;
        if !(1..=12).contains(&mm) || !(1..=31).contains(&dd) {
            return Err(err());
        }
        Ok(Self(s.to_owned()))
    }

    /// The receiving agency's identifier part.
    pub fn agency_identifier(&self) -> &str {
        self.0.rsplitn(3, '-').nth(2).unwrap_or("")
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks an agency identifier (mã định danh cơ quan, e.g. `000.00.53.H48`): letters, digits and dots.
pub fn check_identifier(s: &str) -> Result<(), DomainError> {
    if s.is_empty() || s.len() > 40 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
        return Err(DomainError::invalid(
            "agency_identifier",
            "mã định danh cơ quan gồm chữ, số và dấu chấm",
            "an agency identifier has letters, digits and dots",
        ));
    }
    Ok(())
}

macro_rules! string_conversions {
    ($($t:ident),*) => {$(
        impl TryFrom<String> for $t {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, DomainError> { Self::parse(&s) }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String { v.0 }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) }
        }
    )*};
}
string_conversions!(ProvinceCode, UnitCode, ProcedureCode, DossierCode);

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn unit_and_province_codes() {
        assert_eq!(
            UnitCode::parse("4").map(|c| c.to_string()),
            Ok("00004".into())
        );
        assert!(UnitCode::parse("000041").is_err());
        assert!(UnitCode::parse("0a004").is_err());
        assert_eq!(
            ProvinceCode::parse("1").map(|c| c.to_string()),
            Ok("01".into())
        );
        assert!(ProvinceCode::parse("123").is_err());
    }

    #[test]
    fn procedure_codes() {
        assert!(ProcedureCode::parse("1.001193").is_ok());
        let local = ProcedureCode::parse("1.000494.000.00.00.H29");
        assert_eq!(local.as_ref().map(|c| c.national()), Ok("1.000494"));
        assert!(ProcedureCode::parse("1.0011").is_err());
        assert!(ProcedureCode::parse("x.001193").is_err());
        assert!(ProcedureCode::parse("").is_err());
    }

    #[test]
    fn dossier_codes() {
        let c = DossierCode::new("000.00.53.H48", date!(2022 - 09 - 21), 99);
        assert_eq!(
            c.as_ref().map(|c| c.as_str()),
            Ok("000.00.53.H48-220921-0099")
        );
        let p = DossierCode::parse("000.00.53.H48-220921-0099");
        assert_eq!(
            p.as_ref().map(|c| c.agency_identifier()),
            Ok("000.00.53.H48")
        );
        assert!(DossierCode::parse("000.00.53.H48-221321-0099").is_err());
        assert!(DossierCode::parse("H48-220921-99").is_err());
        assert!(DossierCode::parse("a b-220921-0001").is_err());
        assert!(DossierCode::new("x", date!(2026 - 01 - 01), 0).is_err());
        assert_eq!(
            DossierCode::new("26734", date!(2026 - 11 - 23), 12345).map(|c| c.to_string()),
            Ok("26734-261123-12345".into())
        );
    }
}
