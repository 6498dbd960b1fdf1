//! `/thanh-toan/ket-qua`: where the gateway sends the citizen back. A VNPay return is verified and recorded like
//! its IPN (whichever comes first records the payment; the other finds it recorded); the national platform's
//! return names the order, whose state is read.

use crate::http::api::payments::{pairs, vnpay_callback};
use crate::http::web::page::PageResult;
use crate::http::web::Ctx;
use crate::state::AppState;
use crate::store::payments;
use askama::Template;
use axum::extract::{RawQuery, State};
use motcua_domain::payment::vnpay;

#[derive(Template)]
#[template(path = "public/payment_result.html")]
struct ResultPage<'a> {
    ctx: &'a Ctx,
    ok: bool,
    message: (String, String),
    code: String,
    amount: String,
    back: String,
    receipt: Option<String>,
}

/// The return page.
pub async fn result(State(st): State<AppState>, ctx: Ctx, RawQuery(q): RawQuery) -> PageResult {
    let params = pairs(q.as_deref());
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let mut forged = false;
    // A verified VNPay return is the payer's own browser: it may open the tracking page with the receipt's token.
    let mut signed = false;
    let (order_ref, message) = if let Some(txn) = get("vnp_TxnRef") {
        let reply = vnpay_callback(&st, &params, "VNPay return", &ctx.rid).await;
        signed = reply != vnpay::IpnReply::BadChecksum;
        let code = get("vnp_ResponseCode").unwrap_or_default();
        let text = match reply {
            vnpay::IpnReply::BadChecksum => {
                forged = true;
                (
                    "Kết quả trả về không đúng chữ ký; giao dịch không được ghi nhận".to_owned(),
                    "The gateway's answer is not correctly signed; nothing was recorded".to_owned(),
                )
            }
            _ => {
                let (vi, en) = vnpay::response_text(&code);
                (vi.to_owned(), en.to_owned())
            }
        };
        (txn, text)
    } else {
        (
            get("ref").unwrap_or_default(),
            (String::new(), String::new()),
        )
    };
    let p = payments::by_ref(&st.db, &order_ref).await?;
    let Some(p) = p else {
        let b = ResultPage {
            ctx: &ctx,
            ok: false,
            message: (
                "Không tìm thấy giao dịch".into(),
                "Payment not found".into(),
            ),
            code: String::new(),
            amount: String::new(),
            back: "/tra-cuu".into(),
            receipt: None,
        }
        .render()
        .map_err(anyhow::Error::from)?;
        return Ok(ctx.page(ctx.t("Kết quả thanh toán", "Payment result"), &b));
    };
    let code = payments::code_of(&st.db, p.dossier_id)
        .await?
        .unwrap_or_default();
    let ok = p.state == "paid" && !forged;
    let message = if message.0.is_empty() || ok {
        if ok {
            (
                "Đã thanh toán. Hồ sơ được xử lý tiếp.".into(),
                "Paid. Processing resumes.".into(),
            )
        } else if p.state == "pending" {
            (
                "Đang chờ cổng thanh toán xác nhận".into(),
                "Waiting for the gateway's confirmation".into(),
            )
        } else {
            (
                "Giao dịch không thành công; bạn có thể thanh toán lại".into(),
                "The payment failed; you can pay again".into(),
            )
        }
    } else {
        message
    };
    let mine = ctx
        .actor
        .as_ref()
        .is_some_and(|a| a.role == motcua_domain::role::Role::Citizen);
    let token = st.id_key.tracking_token(&code);
    let back = if mine {
        format!("/ho-so-cua-toi/{code}")
    } else if signed {
        format!("/tra-cuu?ma={code}&t={token}")
    } else {
        format!("/tra-cuu?ma={code}")
    };
    let receipt = match (ok, mine, signed) {
        (true, true, _) => Some(format!("/ho-so-cua-toi/{code}/bien-lai/{}", p.order_ref)),
        (true, false, true) => Some(format!(
            "/tra-cuu/{code}/bien-lai/{}?t={token}",
            p.order_ref
        )),
        _ => None,
    };
    let b = ResultPage {
        ctx: &ctx,
        ok,
        message,
        amount: motcua_domain::money::Vnd(p.amount).to_string(),
        code,
        back,
        receipt,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Kết quả thanh toán", "Payment result"), &b))
}
