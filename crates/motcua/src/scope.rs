//! Whose dossiers a caller may see. Every dossier query takes a `Scope`, so an unscoped read of personal data cannot be
//! written by accident (Law 91/2025).

use crate::store::{Bind, Where};
use motcua_domain::ids::{AgencyId, UserId};

/// The reach of a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The whole deployment (system administrator).
    All,
    /// Every dossier that touches a unit of this province (province administrator).
    Province(String),
    /// Dossiers routed to any agency of this commune-level unit (commune staff).
    Unit(String),
    /// Dossiers routed to this agency (provincial department or center staff).
    Agency(AgencyId),
    /// The citizen's own dossiers.
    Citizen(UserId),
    /// Public tracking: one dossier, once the caller proved they hold its receipt token or the applicant's ID
    /// number (the keyed hash of it).
    Tracking {
        code: String,
        id_hash: Option<String>,
    },
}

impl Scope {
    /// Adds this scope's condition on the dossier alias `d`.
    pub fn restrict(&self, w: &mut Where) {
        match self {
            Scope::All => {}
            Scope::Province(p) => {
                let a = w.arg(Bind::Text(p.clone()));
                w.push(format!("exists (select 1 from dossier_agencies da join agencies a on a.id = da.agency_id join units u on u.code = a.unit_code where da.dossier_id = d.id and (u.code = {a} or u.province_code = {a}))"));
            }
            Scope::Unit(u) => {
                let a = w.arg(Bind::Text(u.clone()));
                w.push(format!("exists (select 1 from dossier_agencies da join agencies a on a.id = da.agency_id where da.dossier_id = d.id and a.unit_code = {a})"));
            }
            Scope::Agency(id) => {
                let a = w.arg(Bind::Int(id.0));
                w.push(format!("exists (select 1 from dossier_agencies da where da.dossier_id = d.id and da.agency_id = {a})"));
            }
            Scope::Citizen(uid) => {
                let a = w.arg(Bind::Int(uid.0));
                w.push(format!("d.citizen_user_id = {a}"));
            }
            Scope::Tracking { code, id_hash } => {
                let a = w.arg(Bind::Text(code.clone()));
                w.push(format!("d.code = {a}"));
                if let Some(h) = id_hash {
                    let b = w.arg(Bind::Text(h.clone()));
                    w.push(format!("d.applicant_id_hash = {b}"));
                }
            }
        }
    }
}
