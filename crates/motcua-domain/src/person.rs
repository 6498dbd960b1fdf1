//! Personal data as value types that mask themselves (Law 91/2025): ID numbers never print in full by accident.

use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A personal ID number: the 12-digit CCCD/định danh cá nhân, or a 9-digit former CMND.
///
/// `Debug` and `Display` print a mask (`0790******34`); [`CitizenId::expose`] is the only way to the value.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct CitizenId(String);

impl CitizenId {
    /// Accepts 12 digits (CCCD) or 9 digits (old CMND); spaces are ignored.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let digits: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if (digits.len() == 12 || digits.len() == 9) && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(DomainError::invalid(
                "id_number",
                "số định danh gồm 12 chữ số (CMND cũ: 9 chữ số)",
                "an ID number has 12 digits (or 9 for an old CMND)",
            ))
        }
    }

    /// The full number. Grep for `expose()` to audit every place that reads it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form shown on lists and in logs.
    pub fn masked(&self) -> String {
        let n = self.0.len();
        let (head, tail) = if n == 12 { (4, 2) } else { (3, 2) };
        format!(
            "{}{}{}",
            &self.0[..head],
            "*".repeat(n - head - tail),
            &self.0[n - tail..]
        )
    }
}

impl TryFrom<String> for CitizenId {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}

impl std::fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CitizenId({})", self.masked())
    }
}

impl std::fmt::Display for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Serialize for CitizenId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.masked())
    }
}

/// An organisation's tax code (mã số thuế): 10 digits, or 10 digits, a hyphen and 3 digits for a dependent unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaxCode(String);

impl TaxCode {
    /// Parses "0101234567" or "0101234567-001".
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        let (head, tail) = s.split_once('-').unwrap_or((s, ""));
        let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
        if digits(head, 10) && (tail.is_empty() || digits(tail, 3)) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "id_number",
                "mã số thuế gồm 10 chữ số (đơn vị phụ thuộc: 10 chữ số-3 chữ số)",
                "a tax code has 10 digits (dependent unit: 10 digits-3 digits)",
            ))
        }
    }
    /// The code (not personal data).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The identifier of an applicant: a person's ID number, or an organisation's tax code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicantId {
    /// A person (personal data: masked).
    Person(CitizenId),
    /// An organisation.
    Organization(TaxCode),
}

impl ApplicantId {
    /// Parses the identifier that fits the kind of applicant.
    pub fn parse(kind: ApplicantKind, s: &str) -> Result<Self, DomainError> {
        match kind {
            ApplicantKind::Person => CitizenId::parse(s).map(ApplicantId::Person),
            _ => TaxCode::parse(s).map(ApplicantId::Organization),
        }
    }
    /// The full value (for encryption and the keyed hash only).
    pub fn expose(&self) -> &str {
        match self {
            ApplicantId::Person(c) => c.expose(),
            ApplicantId::Organization(t) => t.as_str(),
        }
    }
    /// What lists show: a masked personal number, or the tax code as it is.
    pub fn shown(&self) -> String {
        match self {
            ApplicantId::Person(c) => c.masked(),
            ApplicantId::Organization(t) => t.as_str().to_owned(),
        }
    }
}

/// Who applies: a person or an organisation (LoaiDoiTuong 1 công dân, 2 doanh nghiệp, 3 cơ quan, 4 tổ chức khác).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// A citizen.
    Person,
    /// An enterprise.
    Enterprise,
    /// A state agency.
    Agency,
    /// Another organisation.
    Organization,
}

impl ApplicantKind {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApplicantKind::Person => "person",
            ApplicantKind::Enterprise => "enterprise",
            ApplicantKind::Agency => "agency",
            ApplicantKind::Organization => "organization",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Person,
            Self::Enterprise,
            Self::Agency,
            Self::Organization,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_itself() {
        let id = CitizenId::parse("079012345634").expect("valid");
        assert_eq!(id.to_string(), "0790******34");
        assert_eq!(format!("{id:?}"), "CitizenId(0790******34)");
        assert_eq!(
            serde_json::to_string(&id).ok(),
            Some("\"0790******34\"".into())
        );
        assert_eq!(id.expose(), "079012345634");
        assert_eq!(
            CitizenId::parse("012 345 678").map(|i| i.masked()),
            Ok("012****78".into())
        );
        assert!(CitizenId::parse("07901234563").is_err());
        assert!(CitizenId::parse("07901234563x").is_err());
    }

    #[test]
    fn organisations_use_tax_codes() {
        let t = ApplicantId::parse(ApplicantKind::Enterprise, "0101234567-001").expect("valid");
        assert_eq!(t.shown(), "0101234567-001");
        assert!(ApplicantId::parse(ApplicantKind::Enterprise, "079012345634").is_err());
        assert!(ApplicantId::parse(ApplicantKind::Organization, "0101234567-01").is_err());
        let p = ApplicantId::parse(ApplicantKind::Person, "079012345634").expect("valid");
        assert_eq!(p.shown(), "0790******34");
        assert!(ApplicantId::parse(ApplicantKind::Person, "0101234567").is_err());
    }
}
