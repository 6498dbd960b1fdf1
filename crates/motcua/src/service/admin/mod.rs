//! Administration use cases: accounts, agencies, the national calendar and counters. Each checks who may do it,
//! then commits the change and its audit row in one transaction. Pages and the CLI call the same functions.

pub mod agencies;
pub mod calendar;
pub mod counters;
pub mod users;

use crate::error::{AppError, ErrorCode};
use crate::scope::Scope;
use crate::service::account::session::Actor;
use crate::store::audit::AuditEntry;
use motcua_domain::role::Role;
use time::OffsetDateTime;

/// Who is administering: a signed-in administrator (with the province they manage, `None` for the whole system),
/// or the command line run by the system's operator.
#[derive(Debug, Clone, Copy)]
pub enum Admin<'a> {
    Web {
        actor: &'a Actor,
        province: Option<&'a str>,
    },
    Cli,
}

impl<'a> Admin<'a> {
    /// The administrator behind a signed-in actor; anyone else is refused.
    pub fn of(actor: &'a Actor) -> Result<Admin<'a>, AppError> {
        match (&actor.scope, actor.role) {
            (Scope::All, Role::SystemAdmin) => Ok(Admin::Web {
                actor,
                province: None,
            }),
            (Scope::Province(p), Role::ProvinceAdmin) => Ok(Admin::Web {
                actor,
                province: Some(p.as_str()),
            }),
            _ => Err(AppError::with(ErrorCode::Forbidden, "for administrators")),
        }
    }

    /// The province managed (`None`: the whole system).
    pub fn province(&self) -> Option<&'a str> {
        match self {
            Admin::Web { province, .. } => *province,
            Admin::Cli => None,
        }
    }

    /// The audit row of an administrative change.
    pub fn audit(
        &self,
        action: &str,
        entity: &str,
        key: &str,
        request_id: &str,
        now: OffsetDateTime,
    ) -> AuditEntry {
        let (id, role) = match self {
            Admin::Web { actor, .. } => (Some(actor.user_id), actor.role.as_str()),
            Admin::Cli => (None, "cli"),
        };
        AuditEntry {
            at: now,
            actor_user_id: id,
            actor_role: role.into(),
            action: action.into(),
            entity: entity.into(),
            entity_key: key.into(),
            dossier_id: None,
            purpose: "quản trị hệ thống".into(),
            request_id: request_id.into(),
        }
    }
}
