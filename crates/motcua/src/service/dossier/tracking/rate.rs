//! The citizen's satisfaction rating of a finished dossier, by the receipt token.

use super::by_token;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use motcua_domain::status::Status;

/// Reasons a citizen may give for not being satisfied.
pub const REASONS: [(&str, &str, &str); 5] = [
    ("late", "Trả kết quả trễ hẹn", "The result came late"),
    (
        "attitude",
        "Thái độ của cán bộ chưa tốt",
        "Officers were unhelpful",
    ),
    (
        "extra",
        "Phải bổ sung giấy tờ nhiều lần",
        "Documents were requested more than once",
    ),
    ("fees", "Phí, lệ phí chưa rõ ràng", "Fees were unclear"),
    ("other", "Lý do khác", "Other reason"),
];

/// Records the satisfaction rating of a finished dossier (once).
pub async fn rate(
    st: &AppState,
    code: &str,
    token: &str,
    level: i16,
    reasons: &[String],
    comment: &str,
    request_id: &str,
) -> AppResult<()> {
    let row = by_token(st, code, token).await?;
    let status = row.status;
    if !matches!(status, Status::Completed | Status::Returned) {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "a dossier is rated once it is done",
        ));
    }
    if !(1..=3).contains(&level) {
        return Err(AppError::field(
            "level",
            "Chọn một mức: rất hài lòng, hài lòng hoặc không hài lòng",
            "choose very satisfied, satisfied or not satisfied",
        ));
    }
    if reasons
        .iter()
        .any(|r| !REASONS.iter().any(|(k, _, _)| k == r))
    {
        return Err(AppError::field(
            "reasons",
            "Lý do không hợp lệ",
            "unknown reason",
        ));
    }
    if level == 3 && reasons.is_empty() {
        return Err(AppError::field(
            "reasons",
            "Khi không hài lòng, vui lòng chọn ít nhất một lý do",
            "when not satisfied, choose at least one reason",
        ));
    }
    if comment.chars().count() > 1000 {
        return Err(AppError::field(
            "comment",
            "Ý kiến tối đa 1000 ký tự",
            "the comment is at most 1000 characters",
        ));
    }
    let mut tx = st.db.begin().await?;
    let fresh = crate::store::web::rate(
        &mut tx,
        &crate::store::web::RatingRow {
            dossier_id: row.id,
            level,
            reasons: serde_json::to_string(reasons).map_err(anyhow::Error::from)?,
            comment: comment.trim().to_owned(),
            rated_at: st.clock.now(),
        },
    )
    .await?;
    if fresh {
        audit::write_tx(
            &mut tx,
            &AuditEntry {
                at: st.clock.now(),
                actor_user_id: None,
                actor_role: "public".into(),
                action: "rate".into(),
                entity: "dossier".into(),
                entity_key: row.code.clone(),
                dossier_id: Some(row.id),
                purpose: "công dân đánh giá mức độ hài lòng".into(),
                request_id: request_id.into(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    } else {
        Err(AppError::with(
            ErrorCode::Conflict,
            "this dossier was already rated",
        ))
    }
}
