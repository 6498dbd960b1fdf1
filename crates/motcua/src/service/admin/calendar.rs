//! The national working calendar: a day off or a make-up working day from the Prime Minister's yearly schedule.
//! Only the system administrator (or the operator's CLI) changes it: every province's deadlines follow it.

use super::Admin;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::store::audit;
use motcua_domain::calendar::{DayOverride, OverrideKind};

/// Records an override and rebuilds the working calendar, audited in the same transaction.
pub async fn add_override(
    st: &AppState,
    who: Admin<'_>,
    day: &str,
    kind: &str,
    note: &str,
    request_id: &str,
) -> AppResult<time::Date> {
    if who.province().is_some() {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "the national working calendar is edited by the system administrator only",
        ));
    }
    let date = time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
    .filter(|d| crate::state::CALENDAR_YEARS.contains(&d.year()));
    let (Some(date), Some(kind)) = (date, OverrideKind::parse(kind)) else {
        return Err(AppError::field(
            "day",
            "Chọn ngày và loại điều chỉnh",
            "choose the day and the kind",
        ));
    };
    if note.trim().is_empty() || note.chars().count() > 300 {
        return Err(AppError::field(
            "note",
            "Ghi căn cứ của điều chỉnh",
            "give the basis of the override",
        ));
    }
    let source = match who {
        Admin::Web { actor, .. } => format!("web:{}", actor.username),
        Admin::Cli => "cli".to_owned(),
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    crate::store::calendar::upsert(
        &mut tx,
        &[DayOverride {
            date,
            kind,
            note: note.trim().to_owned(),
        }],
        &source,
    )
    .await?;
    audit::write_tx(
        &mut tx,
        &who.audit("calendar_override", "calendar", day, request_id, now),
    )
    .await?;
    tx.commit().await?;
    st.reload_calendar().await?;
    Ok(date)
}
