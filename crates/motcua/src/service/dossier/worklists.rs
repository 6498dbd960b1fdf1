//! An officer's work lists and their counts, within the officer's scope.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::dossiers::{self, DossierFilter};
use motcua_domain::ids::AgencyId;
use motcua_domain::role::Role;
use serde::Serialize;

/// The work lists an officer sees, in order.
pub const WORK_LISTS: [(&str, &str, &str); 6] = [
    ("mine", "Việc của tôi", "My tasks"),
    (
        "online",
        "Nộp trực tuyến, chờ tiếp nhận",
        "Submitted online, waiting for intake",
    ),
    ("pool", "Chờ nhận xử lý tại đơn vị", "Unit pool"),
    (
        "due_soon",
        "Đến hạn trong 1 ngày làm việc",
        "Due within 1 working day",
    ),
    ("overdue", "Quá hạn", "Overdue"),
    (
        "waiting_citizen",
        "Chờ công dân bổ sung, nộp phí",
        "Waiting for the applicant",
    ),
];

/// The roles whose steps a role may take from the pool.
fn pool_roles(role: Role) -> &'static [&'static str] {
    match role {
        Role::ReceivingOfficer => &["receiving_officer"],
        Role::CenterDirector => &["receiving_officer", "center_director"],
        Role::Specialist => &["specialist"],
        Role::Leader => &["specialist", "leader"],
        _ => &[],
    }
}

/// A work list by name, for this person now.
pub fn work_list(st: &AppState, actor: &Actor, name: &str) -> AppResult<dossiers::WorkList> {
    let now = st.clock.now();
    Ok(match name {
        "mine" => dossiers::WorkList::Mine(actor.user_id),
        "pool" => dossiers::WorkList::Pool(
            actor.agency.as_ref().map_or(AgencyId(-1), |a| a.id),
            pool_roles(actor.role),
        ),
        "due_soon" => dossiers::WorkList::DueBy(
            now,
            st.calendar()
                .add_working_minutes(now, motcua_domain::workflow::DAY_MINUTES),
        ),
        "overdue" => dossiers::WorkList::Overdue(now),
        "waiting_citizen" => dossiers::WorkList::WaitingCitizen,
        "online" => {
            dossiers::WorkList::OnlineWaiting(actor.agency.as_ref().map_or(AgencyId(-1), |a| a.id))
        }
        _ => {
            return Err(AppError::field(
                "list",
                "Không có danh sách công việc này",
                "list is mine, online, pool, due_soon, overdue or waiting_citizen",
            ))
        }
    })
}

/// One work list with its count.
#[derive(Debug, Clone, Serialize)]
pub struct WorkListCount {
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    pub count: i64,
}

/// The counts of every work list within the caller's scope.
pub async fn worklist_counts(st: &AppState, actor: &Actor) -> AppResult<Vec<WorkListCount>> {
    if actor.role == Role::Citizen {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "work lists are for officers",
        ));
    }
    let mut out = Vec::new();
    for (key, vi, en) in WORK_LISTS {
        let f = DossierFilter {
            list: Some(work_list(st, actor, key)?),
            limit: 0,
            ..DossierFilter::default()
        };
        out.push(WorkListCount {
            key,
            vi,
            en,
            count: dossiers::count(&st.db, &actor.scope, &f).await?,
        });
    }
    Ok(out)
}
