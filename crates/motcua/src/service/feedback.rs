//! Feedback and recommendations (phản ánh, kiến nghị): a citizen sends one to the province's center or to the
//! center that received a dossier, with name and contact sealed; the unit answers and may publish the answer.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::{agencies, web as wstore};
use motcua_domain::ids::AgencyId;
use time::OffsetDateTime;

/// What a citizen sends.
#[derive(Debug, Clone, Default)]
pub struct NewFeedback {
    /// The province whose center answers (when no dossier is named).
    pub province: String,
    /// A dossier code: the center that received it answers.
    pub dossier: String,
    pub title: String,
    pub body: String,
    pub name: String,
    pub contact: String,
}

fn check(f: &NewFeedback) -> AppResult<()> {
    let len = |s: &str, max: usize| !s.trim().is_empty() && s.chars().count() <= max;
    if !len(&f.title, 200) {
        return Err(AppError::field(
            "title",
            "Nhập tiêu đề (tối đa 200 ký tự)",
            "give a subject (at most 200 characters)",
        ));
    }
    if !len(&f.body, 4000) {
        return Err(AppError::field(
            "body",
            "Nhập nội dung (tối đa 4000 ký tự)",
            "give the details (at most 4000 characters)",
        ));
    }
    if !len(&f.name, 100) || !len(&f.contact, 100) {
        return Err(AppError::field(
            "contact",
            "Nhập họ tên và số điện thoại hoặc thư điện tử",
            "give your name and a phone or e-mail",
        ));
    }
    Ok(())
}

async fn route(st: &AppState, f: &NewFeedback) -> AppResult<(AgencyId, Option<String>)> {
    if !f.dossier.trim().is_empty() {
        let code = motcua_domain::codes::DossierCode::parse(f.dossier.trim()).map_err(|_| {
            AppError::field(
                "dossier",
                "Mã hồ sơ không đúng dạng",
                "the dossier code is malformed",
            )
        })?;
        let agency = crate::store::dossiers::receiving_agency_of(&st.db, code.as_str()).await?;
        return agency.map(|a| (a, Some(code.to_string()))).ok_or_else(|| {
            AppError::field(
                "dossier",
                "Không có hồ sơ với mã này",
                "no dossier has this code",
            )
        });
    }
    let center = agencies::of_kind(&st.db, f.province.trim(), "province_center").await?;
    center.map(|a| (a.id, None)).ok_or_else(|| {
        AppError::field(
            "province",
            "Chọn tỉnh, thành phố hoặc nhập mã hồ sơ",
            "choose a province or give a dossier code",
        )
    })
}

fn entry(
    actor: Option<&Actor>,
    action: &str,
    key: String,
    request_id: &str,
    now: OffsetDateTime,
) -> AuditEntry {
    AuditEntry {
        at: now,
        actor_user_id: actor.map(|a| a.user_id),
        actor_role: actor.map_or("public", |a| a.role.as_str()).into(),
        action: action.into(),
        entity: "feedback".into(),
        entity_key: key,
        dossier_id: None,
        purpose: "phản ánh, kiến nghị".into(),
        request_id: request_id.into(),
    }
}

/// Records the feedback for the unit that must answer it (sender sealed), audited in the same transaction;
/// returns its number.
pub async fn send(st: &AppState, f: &NewFeedback, request_id: &str) -> AppResult<i64> {
    check(f)?;
    let (agency, dossier) = route(st, f).await?;
    let sender =
        serde_json::json!({"name": f.name.trim(), "contact": f.contact.trim()}).to_string();
    let sealed = st.data_key.seal(&sender, "feedback")?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let id = wstore::add_feedback(
        &mut tx,
        agency,
        dossier.as_deref(),
        f.title.trim(),
        f.body.trim(),
        &sealed,
        now,
    )
    .await?;
    audit::write_tx(
        &mut tx,
        &entry(None, "send_feedback", format!("PA-{id}"), request_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Answers (and publishes) a feedback item of one of the actor's agencies, audited in the same transaction.
pub async fn answer(
    st: &AppState,
    actor: &Actor,
    agency_ids: &[AgencyId],
    id: i64,
    text: &str,
    publish: bool,
    request_id: &str,
) -> AppResult<()> {
    if text.trim().is_empty() || text.chars().count() > 4000 {
        return Err(AppError::field(
            "answer",
            "Nhập câu trả lời (tối đa 4000 ký tự)",
            "give the answer (at most 4000 characters)",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    if !wstore::answer_feedback(
        &mut tx,
        id,
        agency_ids,
        text.trim(),
        publish,
        actor.user_id,
        now,
    )
    .await?
    {
        return Err(AppError::with(
            ErrorCode::RouteNotFound,
            "no such feedback for this unit",
        ));
    }
    let action = if publish {
        "answer_feedback_published"
    } else {
        "answer_feedback"
    };
    audit::write_tx(
        &mut tx,
        &entry(Some(actor), action, format!("PA-{id}"), request_id, now),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
