//! Agencies within a province: an administrator adds one with its official identifier.

use super::Admin;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::store::{agencies, audit, units};
use motcua_domain::agency::AgencyKind;

/// An agency to add.
#[derive(Debug, Clone, Default)]
pub struct NewAgencyInput {
    pub identifier: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
}

/// Adds an agency of a unit in the administrator's province, audited in the same transaction.
pub async fn add(
    st: &AppState,
    who: Admin<'_>,
    a: &NewAgencyInput,
    request_id: &str,
) -> AppResult<()> {
    let id = a.identifier.trim();
    if id.is_empty()
        || id.len() > 40
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
    {
        return Err(AppError::field(
            "identifier",
            "Mã định danh gồm chữ, số, dấu . _ - (tối đa 40 ký tự)",
            "letters, digits and . _ - (at most 40)",
        ));
    }
    if a.name.trim().is_empty() || a.name.chars().count() > 200 {
        return Err(AppError::field(
            "name",
            "Nhập tên cơ quan",
            "give the agency's name",
        ));
    }
    let kind = AgencyKind::parse(&a.kind)
        .ok_or_else(|| AppError::field("kind", "Loại cơ quan không hợp lệ", "unknown kind"))?;
    let unit = units::get(&st.db, a.unit.trim())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::UnitNotFound))?;
    let inside = match who.province() {
        None => true,
        Some(p) => unit.code == p || unit.province_code.as_deref() == Some(p),
    };
    if !inside {
        return Err(AppError::field(
            "unit",
            "Đơn vị không thuộc tỉnh bạn quản trị",
            "the unit is outside your province",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let n = agencies::insert_missing(
        &mut tx,
        &[agencies::NewAgency {
            identifier: id.to_owned(),
            identifier_is_placeholder: false,
            name: a.name.trim().to_owned(),
            kind: kind.as_str().into(),
            unit_code: unit.code.clone(),
            parent_id: None,
        }],
    )
    .await?;
    if n == 0 {
        return Err(AppError::field(
            "identifier",
            "Mã định danh đã có",
            "the identifier is taken",
        ));
    }
    audit::write_tx(
        &mut tx,
        &who.audit("add_agency", "agency", id, request_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
