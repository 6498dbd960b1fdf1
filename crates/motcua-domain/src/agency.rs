//! Kinds of agency in the two-tier local government, and the tier of the unit an agency belongs to.

use crate::error::UnknownStored;
use serde::{Deserialize, Serialize};

/// What an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Ủy ban nhân dân tỉnh/thành phố.
    ProvincePc,
    /// Trung tâm Phục vụ hành chính công tỉnh.
    ProvinceCenter,
    /// Sở, ban, ngành.
    Department,
    /// Chi nhánh (đơn vị trực thuộc sở).
    Branch,
    /// Ủy ban nhân dân cấp xã.
    CommunePc,
    /// Trung tâm Phục vụ hành chính công cấp xã.
    CommuneCenter,
    /// Tổ phục vụ hành chính công.
    AdminGroup,
    /// Công an cấp xã.
    Police,
}

impl AgencyKind {
    /// Every kind, in the order administrators pick from.
    pub const ALL: [AgencyKind; 8] = [
        AgencyKind::ProvincePc,
        AgencyKind::ProvinceCenter,
        AgencyKind::Department,
        AgencyKind::Branch,
        AgencyKind::CommunePc,
        AgencyKind::CommuneCenter,
        AgencyKind::AdminGroup,
        AgencyKind::Police,
    ];

    /// Stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            AgencyKind::ProvincePc => "province_pc",
            AgencyKind::ProvinceCenter => "province_center",
            AgencyKind::Department => "department",
            AgencyKind::Branch => "branch",
            AgencyKind::CommunePc => "commune_pc",
            AgencyKind::CommuneCenter => "commune_center",
            AgencyKind::AdminGroup => "admin_group",
            AgencyKind::Police => "police",
        }
    }

    /// From the stored name.
    pub fn parse(s: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Vietnamese name of the kind.
    pub const fn vi(self) -> &'static str {
        match self {
            AgencyKind::ProvincePc => "Ủy ban nhân dân tỉnh/thành phố",
            AgencyKind::ProvinceCenter => "Trung tâm Phục vụ hành chính công tỉnh",
            AgencyKind::Department => "Sở, ban, ngành",
            AgencyKind::Branch => "Chi nhánh (đơn vị trực thuộc sở)",
            AgencyKind::CommunePc => "Ủy ban nhân dân cấp xã",
            AgencyKind::CommuneCenter => "Trung tâm Phục vụ hành chính công cấp xã",
            AgencyKind::AdminGroup => "Tổ phục vụ hành chính công",
            AgencyKind::Police => "Công an cấp xã",
        }
    }

    /// English name of the kind.
    pub const fn en(self) -> &'static str {
        match self {
            AgencyKind::ProvincePc => "Provincial People's Committee",
            AgencyKind::ProvinceCenter => "Provincial public administrative service center",
            AgencyKind::Department => "Provincial department",
            AgencyKind::Branch => "Branch of a department",
            AgencyKind::CommunePc => "Commune People's Committee",
            AgencyKind::CommuneCenter => "Commune public administrative service center",
            AgencyKind::AdminGroup => "Public administration group",
            AgencyKind::Police => "Commune police",
        }
    }

    /// A one-stop service point: it receives dossiers at a counter.
    pub const fn is_center(self) -> bool {
        matches!(
            self,
            AgencyKind::ProvinceCenter | AgencyKind::CommuneCenter | AgencyKind::AdminGroup
        )
    }

    /// At the commune tier, whether the agency answers for the whole commune (its center and People's Committee),
    /// rather than for what is routed to it (its police, say).
    pub const fn sees_the_commune(self) -> bool {
        matches!(
            self,
            AgencyKind::CommuneCenter | AgencyKind::AdminGroup | AgencyKind::CommunePc
        )
    }
}

impl TryFrom<String> for AgencyKind {
    type Error = UnknownStored;
    fn try_from(s: String) -> Result<Self, UnknownStored> {
        AgencyKind::parse(&s).ok_or(UnknownStored {
            what: "agency kind",
            value: s,
        })
    }
}

/// The tier of a unit: a province, or a commune, ward or special zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Province,
    Commune,
}

impl Tier {
    /// Stored name (the unit's `level`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Tier::Province => "province",
            Tier::Commune => "commune",
        }
    }
}

impl TryFrom<String> for Tier {
    type Error = UnknownStored;
    fn try_from(s: String) -> Result<Self, UnknownStored> {
        match s.as_str() {
            "province" => Ok(Tier::Province),
            "commune" => Ok(Tier::Commune),
            _ => Err(UnknownStored {
                what: "unit level",
                value: s,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_unknown_ones_are_errors() {
        for k in AgencyKind::ALL {
            assert_eq!(AgencyKind::try_from(k.as_str().to_owned()).ok(), Some(k));
        }
        assert!(AgencyKind::try_from("ministry".to_owned()).is_err());
        assert!(Tier::try_from("district".to_owned()).is_err());
        assert!(
            AgencyKind::CommuneCenter.sees_the_commune() && !AgencyKind::Police.sees_the_commune()
        );
    }
}
