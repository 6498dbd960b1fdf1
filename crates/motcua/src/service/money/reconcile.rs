//! The daily reconciliation of an agency (payments against dossiers, mismatches listed) and the status query of
//! online orders whose callback never came.

use super::settle::{settle, Outcome, Settled};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::integrations::payment::{self as gw, Answer};
use crate::service::account::session::Actor;
use crate::state::AppState;
use crate::store::payments;
use motcua_domain::calendar::VN;
use motcua_domain::payment::Method;
use motcua_domain::status::Status;
use serde::Serialize;

/// One line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub dossier: String,
    pub procedure: String,
    pub status_vi: &'static str,
    pub order_ref: String,
    pub method_vi: &'static str,
    pub amount: i64,
    pub amount_text: String,
    pub state_vi: &'static str,
    pub paid_at: String,
    pub receipt_no: String,
    /// The bank's transfer reference or the gateway's transaction number.
    pub gateway_ref: String,
    /// What does not agree, in Vietnamese; empty when all agrees.
    pub mismatch: String,
}

/// The report of one day.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub date: String,
    pub agency: String,
    pub lines: Vec<Line>,
    pub paid_count: usize,
    pub paid_total: i64,
    pub paid_total_text: String,
    pub online_total_text: String,
    pub counter_total_text: String,
    pub mismatches: usize,
}

fn mismatch(r: &payments::ReconRow, status: Status, stale: bool, paid_for_fee: usize) -> String {
    match (r.state.as_deref(), r.fee_state.as_deref()) {
        // A fee the applicant has not paid yet is waiting, not a discrepancy (listed as "Chưa thanh toán").
        (None, _) => String::new(),
        (Some("paid"), _) if paid_for_fee > 1 => {
            "Thu hai lần cho một yêu cầu nộp phí: cần hoàn lại một khoản".into()
        }
        // An order left unpaid after the fee was paid another way is nothing to resolve.
        (Some("pending"), Some("paid")) => String::new(),
        (Some("paid"), _) if status == Status::AwaitingPayment => {
            "Đã thu tiền nhưng hồ sơ vẫn chờ nghĩa vụ tài chính".into()
        }
        (Some("paid"), Some(f)) if f != "paid" => {
            "Đã thu tiền nhưng yêu cầu nộp phí chưa đóng".into()
        }
        (Some("paid"), _) if r.amount != r.fee_amount => "Số tiền khác số phải nộp".into(),
        (Some("pending"), _) if stale => {
            "Giao dịch trực tuyến chưa có kết quả từ cổng thanh toán".into()
        }
        _ => String::new(),
    }
}

/// The reconciliation of the caller's agency for a day (Vietnam time).
pub async fn report(st: &AppState, actor: &Actor, date: time::Date) -> AppResult<Report> {
    let agency = actor.agency.clone().ok_or_else(|| {
        AppError::with(
            ErrorCode::Forbidden,
            "an agency's officers reconcile its payments",
        )
    })?;
    let from = date.midnight().assume_offset(VN);
    let to = from + time::Duration::days(1);
    let rows = payments::reconciliation(&st.db, agency.id, from, to).await?;
    let stale_before = st.clock.now() - time::Duration::minutes(30);
    let mut paid_per_fee: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    for r in rows.iter().filter(|r| r.state.as_deref() == Some("paid")) {
        *paid_per_fee
            .entry(r.fee_request_id.unwrap_or(-1))
            .or_default() += 1;
    }
    let mut lines = Vec::with_capacity(rows.len());
    let (mut paid_count, mut paid_total, mut online, mut counter) = (0, 0i64, 0i64, 0i64);
    for r in rows {
        let status = Status::try_from(r.dossier_status).map_err(anyhow::Error::from)?;
        let method = r.method.as_deref().map(Method::parse);
        let method = match method {
            Some(None) => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "stored payment method unreadable"
                )))
            }
            Some(Some(m)) => Some(m),
            None => None,
        };
        let state = r
            .state
            .as_deref()
            .and_then(motcua_domain::payment::State::parse);
        let superseded = state == Some(motcua_domain::payment::State::Pending)
            && r.fee_state.as_deref() == Some("paid");
        let paid_for_fee = r
            .fee_request_id
            .and_then(|f| paid_per_fee.get(&f))
            .copied()
            .unwrap_or(0);
        let stale = r.paid_at.is_none()
            && state == Some(motcua_domain::payment::State::Pending)
            && from < stale_before;
        if state == Some(motcua_domain::payment::State::Paid) {
            paid_count += 1;
            let a = r.amount.unwrap_or(0);
            paid_total += a;
            if method.is_some_and(Method::online) {
                online += a;
            } else {
                counter += a;
            }
        }
        let amount = r.amount.or(r.fee_amount).unwrap_or(0);
        lines.push(Line {
            mismatch: mismatch(&r, status, stale, paid_for_fee),
            gateway_ref: r.gateway_txn.clone().unwrap_or_default(),
            dossier: r.dossier_code,
            procedure: r.procedure_name,
            status_vi: status.vi(),
            order_ref: r.order_ref.unwrap_or_default(),
            method_vi: method.map_or("", Method::vi),
            amount,
            amount_text: motcua_domain::money::Vnd(amount).to_string(),
            state_vi: if superseded {
                "Không dùng (đã nộp bằng giao dịch khác)"
            } else {
                state.map_or("Chưa thanh toán", motcua_domain::payment::State::vi)
            },
            paid_at: r.paid_at.map(super::vn_datetime).unwrap_or_default(),
            receipt_no: r.receipt_no.unwrap_or_default(),
        });
    }
    let mismatches = lines.iter().filter(|l| !l.mismatch.is_empty()).count();
    Ok(Report {
        date: format!(
            "{:02}/{:02}/{}",
            date.day(),
            u8::from(date.month()),
            date.year()
        ),
        agency: agency.name,
        lines,
        paid_count,
        paid_total,
        paid_total_text: motcua_domain::money::Vnd(paid_total).to_string(),
        online_total_text: motcua_domain::money::Vnd(online).to_string(),
        counter_total_text: motcua_domain::money::Vnd(counter).to_string(),
        mismatches,
    })
}

/// Asks the gateways about online orders pending for more than 15 minutes and records what they say. Returns how
/// many moved.
pub async fn query_stale(st: &AppState) -> AppResult<usize> {
    let now = st.clock.now();
    let stale = payments::stale_pending(&st.db, now - time::Duration::minutes(15), 200).await?;
    let mut moved = 0;
    for p in stale {
        let Some(method) = Method::parse(&p.method) else {
            continue;
        };
        let Some(province) = payments::province_of_payment(&st.db, p.dossier_id).await? else {
            continue;
        };
        let Some(g) = gw::for_province(&st.config, &province, method)? else {
            continue;
        };
        let answer = match g.query(&p.order_ref, &p.gateway_created, now).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(order = %p.order_ref, error = %e, "payment status query failed");
                continue;
            }
        };
        let (outcome, amount) = match answer {
            Answer::Pending => continue,
            Answer::Paid { txn, code, amount } => (Outcome::Paid { txn, code }, Some(amount)),
            Answer::Failed { code } => (Outcome::Failed { code }, None),
        };
        if settle(
            st,
            &p.order_ref,
            amount,
            &outcome,
            "truy vấn trạng thái",
            "query",
        )
        .await?
            == Settled::Recorded
        {
            moved += 1;
        }
    }
    Ok(moved)
}
