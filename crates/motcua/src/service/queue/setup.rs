//! Setting up a center's queue: its services (a letter, the procedure fields they take, the priority rule) and
//! which counters call which services. Administrators of the province do it, audited.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::admin::Admin;
use crate::state::AppState;
use crate::store::queue::{self as qstore, NewService};
use crate::store::{agencies, audit, web as wstore};
use motcua_domain::ids::{CounterId, QueueServiceId};

/// A service to add.
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    pub center: String,
    pub letter: String,
    pub name: String,
    /// Procedure fields, one a line (empty: every field not taken by another service).
    pub fields: String,
    pub priority_every: String,
    pub handling_minutes: String,
}

fn number(
    v: &str,
    field: &str,
    range: std::ops::RangeInclusive<i32>,
    vi: &str,
    en: &str,
) -> AppResult<i32> {
    v.trim()
        .parse::<i32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| AppError::field(field, vi, en))
}

/// The service's letter (upper case), name, priority rule, planned handling time and fields (one a line), checked.
fn checked(s: &ServiceInput) -> AppResult<(String, &str, i32, i32, String)> {
    let letter = s.letter.trim().to_uppercase();
    if !motcua_domain::queue::valid_letter(&letter) {
        return Err(AppError::field(
            "letter",
            "Ký hiệu là 1–2 chữ cái in hoa (A, B, HT…)",
            "the letter is 1–2 capital letters (A, B, HT…)",
        ));
    }
    let name = s.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(AppError::field(
            "name",
            "Nhập tên dịch vụ (tối đa 120 ký tự)",
            "give the service's name (at most 120 characters)",
        ));
    }
    let every = number(
        &s.priority_every,
        "priority_every",
        0..=20,
        "Quy tắc ưu tiên: số từ 0 đến 20",
        "priority rule: a number from 0 to 20",
    )?;
    let handling = number(
        &s.handling_minutes,
        "handling_minutes",
        1..=240,
        "Thời gian phục vụ dự kiến từ 1 đến 240 phút",
        "planned handling time from 1 to 240 minutes",
    )?;
    let fields: Vec<&str> = s
        .fields
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    Ok((letter, name, every, handling, fields.join("\n")))
}

/// Adds a service to a center of the administrator's province.
pub async fn add_service(
    st: &AppState,
    who: Admin<'_>,
    s: &ServiceInput,
    request_id: &str,
) -> AppResult<QueueServiceId> {
    let a = agencies::by_identifier(&st.db, s.center.trim())
        .await?
        .filter(|a| a.kind.is_center())
        .ok_or_else(|| {
            AppError::field(
                "center",
                "Không có Trung tâm với mã này",
                "no service center has this identifier",
            )
        })?;
    if !wstore::agency_in(&st.db, a.id, who.province()).await? {
        return Err(AppError::field(
            "center",
            "Trung tâm không thuộc tỉnh bạn quản trị",
            "the center is outside your province",
        ));
    }
    let (letter, name, every, handling, fields) = checked(s)?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let id = qstore::add_service(
        &mut tx,
        &NewService {
            agency_id: a.id,
            letter: &letter,
            name,
            fields: &fields,
            priority_every: every,
            handling_minutes: handling,
        },
    )
    .await?
    .ok_or_else(|| {
        AppError::field(
            "letter",
            "Ký hiệu này đã có tại Trung tâm",
            "this letter is taken at the center",
        )
    })?;
    audit::write_tx(
        &mut tx,
        &who.audit(
            "add_queue_service",
            "queue_service",
            &format!("{}#{letter}", a.identifier),
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets the services a counter calls (none: every service).
pub async fn set_counter_services(
    st: &AppState,
    who: Admin<'_>,
    counter: CounterId,
    services: &[QueueServiceId],
    request_id: &str,
) -> AppResult<()> {
    let agency = wstore::counter_agency(&st.db, counter.0)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::RouteNotFound))?;
    if !wstore::agency_in(&st.db, agency, who.province()).await? {
        return Err(AppError::code(ErrorCode::RouteNotFound));
    }
    let of_center = qstore::services_of(&st.db, agency).await?;
    if services
        .iter()
        .any(|s| !of_center.iter().any(|c| c.id == *s))
    {
        return Err(AppError::field(
            "services",
            "Dịch vụ không thuộc Trung tâm của quầy",
            "a service is not of the counter's center",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    qstore::set_counter_services(&mut tx, counter, services).await?;
    audit::write_tx(
        &mut tx,
        &who.audit(
            "set_counter_services",
            "counter",
            &counter.to_string(),
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
