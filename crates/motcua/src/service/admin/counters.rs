//! Counters of a service center and the fields each serves (the queue uses them).

use super::Admin;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::store::{agencies, audit, web as wstore};

/// A counter to add.
#[derive(Debug, Clone, Default)]
pub struct NewCounter {
    /// The center's identifier.
    pub agency: String,
    pub number: String,
    pub name: String,
    pub fields: String,
}

/// Adds a counter at a center of the administrator's province, audited in the same transaction.
pub async fn add(st: &AppState, who: Admin<'_>, c: &NewCounter, request_id: &str) -> AppResult<()> {
    let a = agencies::by_identifier(&st.db, c.agency.trim())
        .await?
        .filter(|a| a.kind.is_center())
        .ok_or_else(|| {
            AppError::field(
                "agency",
                "Không có Trung tâm với mã này",
                "no service center has this identifier",
            )
        })?;
    if !wstore::agency_in(&st.db, a.id, who.province()).await? {
        return Err(AppError::field(
            "agency",
            "Trung tâm không thuộc tỉnh bạn quản trị",
            "the center is outside your province",
        ));
    }
    let number: i32 = c
        .number
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=999).contains(n))
        .ok_or_else(|| {
            AppError::field("number", "Số quầy từ 1 đến 999", "the number is 1 to 999")
        })?;
    if c.name.trim().is_empty() || c.name.chars().count() > 100 {
        return Err(AppError::field(
            "name",
            "Nhập tên quầy",
            "give the counter's name",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    if !wstore::add_counter(&mut tx, a.id, number, c.name.trim(), c.fields.trim()).await? {
        return Err(AppError::field(
            "number",
            "Số quầy đã có tại Trung tâm này",
            "this number is taken at the center",
        ));
    }
    let key = format!("{}#{number}", a.identifier);
    audit::write_tx(
        &mut tx,
        &who.audit("add_counter", "counter", &key, request_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Opens or closes a counter of the administrator's province, audited in the same transaction.
pub async fn set_active(
    st: &AppState,
    who: Admin<'_>,
    id: i64,
    active: bool,
    request_id: &str,
) -> AppResult<()> {
    let agency = wstore::counter_agency(&st.db, id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::RouteNotFound))?;
    if !wstore::agency_in(&st.db, agency, who.province()).await? {
        return Err(AppError::code(ErrorCode::RouteNotFound));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    wstore::set_counter_active(&mut tx, id, active).await?;
    audit::write_tx(
        &mut tx,
        &who.audit(
            "toggle_counter",
            "counter",
            &id.to_string(),
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
