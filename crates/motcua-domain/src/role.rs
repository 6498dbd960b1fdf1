//! Roles of the people who use motcua, each bound to a unit (agency) except citizens.

use serde::{Deserialize, Serialize};

/// What a user may do; stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A citizen or an organisation's representative: sees only their own dossiers.
    Citizen,
    /// One-stop receiving officer at a counter (cán bộ tiếp nhận).
    ReceivingOfficer,
    /// Specialist who examines the dossier (chuyên viên xử lý).
    Specialist,
    /// Leader who approves and signs (lãnh đạo phê duyệt).
    Leader,
    /// Director of a service center.
    CenterDirector,
    /// Administrator of one province.
    ProvinceAdmin,
    /// Administrator of the whole deployment.
    SystemAdmin,
}

impl Role {
    /// Every role, in order of increasing reach.
    pub const ALL: [Role; 7] = [
        Role::Citizen,
        Role::ReceivingOfficer,
        Role::Specialist,
        Role::Leader,
        Role::CenterDirector,
        Role::ProvinceAdmin,
        Role::SystemAdmin,
    ];

    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::ReceivingOfficer => "receiving_officer",
            Role::Specialist => "specialist",
            Role::Leader => "leader",
            Role::CenterDirector => "center_director",
            Role::ProvinceAdmin => "province_admin",
            Role::SystemAdmin => "system_admin",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Vietnamese label.
    pub const fn vi(self) -> &'static str {
        match self {
            Role::Citizen => "Công dân",
            Role::ReceivingOfficer => "Cán bộ tiếp nhận",
            Role::Specialist => "Chuyên viên xử lý",
            Role::Leader => "Lãnh đạo phê duyệt",
            Role::CenterDirector => "Giám đốc Trung tâm",
            Role::ProvinceAdmin => "Quản trị cấp tỉnh",
            Role::SystemAdmin => "Quản trị hệ thống",
        }
    }

    /// English label.
    pub const fn en(self) -> &'static str {
        match self {
            Role::Citizen => "Citizen",
            Role::ReceivingOfficer => "One-stop officer",
            Role::Specialist => "Specialist",
            Role::Leader => "Approving leader",
            Role::CenterDirector => "Center director",
            Role::ProvinceAdmin => "Province administrator",
            Role::SystemAdmin => "System administrator",
        }
    }

    /// Administrators must use a second factor (Decree 331/2026 level-3 baseline).
    pub const fn is_admin(self) -> bool {
        matches!(self, Role::ProvinceAdmin | Role::SystemAdmin)
    }

    /// Staff of an agency (everyone but citizens).
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Citizen)
    }
}

impl TryFrom<String> for Role {
    type Error = crate::error::UnknownStored;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Role::parse(&s).ok_or(crate::error::UnknownStored {
            what: "role",
            value: s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
