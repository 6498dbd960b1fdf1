//! The fee a dossier owes: the catalog's quote for its channel and the officer's counts, or the officer's amount
//! with a reason when it differs (both recorded, and audited with the payment request).

use crate::error::{AppError, AppResult};
use crate::service::dossier::process::ActInput;
use crate::state::AppState;
use crate::store::dossiers::DossierRow;
use motcua_domain::catalog::Detail;
use motcua_domain::fees::{quote, Collection, Counts, Exemption, Quote};
use motcua_domain::money::Vnd;

/// What a payment request records.
#[derive(Debug, Clone)]
pub struct FeeDraft {
    pub amount: i64,
    /// The catalog's amount, when it states one.
    pub quoted: Option<i64>,
    /// The quote as JSON (lines, basis, exemption).
    pub breakdown: String,
    pub collection: Collection,
    /// Why the amount differs from the catalog's (empty when it does not).
    pub reason: String,
}

/// The catalog's quote for a dossier and counts.
pub async fn quote_for(st: &AppState, row: &DossierRow, counts: &Counts) -> AppResult<Quote> {
    let detail = crate::store::procedures::get(&st.db, &row.procedure_code)
        .await?
        .and_then(|p| p.detail)
        .and_then(|d| serde_json::from_str::<Detail>(&d).ok());
    let rows = detail.map(|d| d.channels).unwrap_or_default();
    Ok(quote(&rows, row.channel, counts))
}

fn counts(input: &ActInput) -> AppResult<Counts> {
    let exemption = match input.exemption.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Exemption::parse(s).ok_or_else(|| {
            AppError::field(
                "exemption",
                "Đối tượng miễn không đúng",
                "exemption is one of on_time_birth, poor_household, merit",
            )
        })?),
    };
    let pages = input.pages.clone().unwrap_or_default();
    if pages.len() > 500 || pages.iter().any(|p| *p == 0 || *p > 10_000) {
        return Err(AppError::field(
            "pages",
            "Số trang mỗi bản từ 1 đến 10.000 (tối đa 500 bản)",
            "pages per copy are 1 to 10,000 (at most 500 copies)",
        ));
    }
    if input.items.is_some_and(|n| n == 0 || n > 10_000) {
        return Err(AppError::field(
            "items",
            "Số lượng từ 1 đến 10.000",
            "items is 1 to 10,000",
        ));
    }
    Ok(Counts {
        pages,
        items: input.items,
        exemption,
    })
}

/// The fee of a payment request: the quote, unless the officer gives another amount with a reason.
pub async fn assess(st: &AppState, row: &DossierRow, input: &ActInput) -> AppResult<FeeDraft> {
    let counts = counts(input)?;
    let q = quote_for(st, row, &counts).await?;
    let collection = match input.collection.as_deref().filter(|s| !s.is_empty()) {
        None => Collection::After,
        Some(s) => Collection::parse(s).ok_or_else(|| {
            AppError::field(
                "collection",
                "Thu trước hoặc thu sau",
                "collection is before or after",
            )
        })?,
    };
    if q.per_page && counts.pages.is_empty() && input.amount.is_none() {
        return Err(AppError::field(
            "pages",
            format!(
                "Mức thu tính theo trang ({}): nhập số trang của từng bản",
                q.basis
            ),
            "the fee is per page: give the pages of each copy",
        ));
    }
    let quoted = (!q.unknown).then_some(q.total.0);
    let amount =
        match (input.amount, quoted) {
            (Some(a), _) if !(0..1_000_000_000_000).contains(&a) => {
                return Err(AppError::field(
                    "amount",
                    "Số tiền từ 0 đến dưới 1.000 tỷ đồng",
                    "amount is 0 to under 10^12 VND",
                ))
            }
            (Some(a), _) => a,
            (None, Some(t)) => t,
            (None, None) => return Err(AppError::field(
                "amount",
                "Danh mục không ghi số tiền cho thủ tục này: nhập số tiền phải nộp (đồng)",
                "the catalog states no amount for this procedure: give the amount to pay in VND",
            )),
        };
    let reason = input.note.trim().to_owned();
    let differs = quoted.is_some_and(|t| t != amount);
    if differs && reason.is_empty() {
        return Err(AppError::field(
            "note",
            format!(
                "Số tiền khác mức trong danh mục ({}): ghi lý do điều chỉnh vào ô «Nội dung, lý do điều chỉnh số tiền»",
                Vnd(quoted.unwrap_or(0))
            ),
            "the amount differs from the catalog's: give the reason for the correction",
        ));
    }
    if amount == 0 {
        return Err(AppError::field(
            "amount",
            "Hồ sơ không phải nộp phí (miễn hoặc 0 đồng): không cần yêu cầu thanh toán",
            "nothing to pay (exempt or 0 VND): no payment request is needed",
        ));
    }
    let breakdown = serde_json::json!({
        "lines": q.lines, "basis": q.basis, "exemption": q.exemption, "unknown": q.unknown,
        "quoted": quoted, "amount": amount, "corrected": differs || (quoted.is_none()),
    });
    Ok(FeeDraft {
        amount,
        quoted,
        breakdown: breakdown.to_string(),
        collection,
        reason: if differs || quoted.is_none() {
            reason
        } else {
            String::new()
        },
    })
}
