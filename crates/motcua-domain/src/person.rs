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
}
