//! Money: the fee of a dossier, online payment through the province's gateways, payments at the counter, the
//! e-receipt and the daily reconciliation.
//!
//! A payment is recorded once: the order moves from `pending` in one conditional update inside the transaction that
//! also resumes the dossier (the `confirm_payment` action, through the action layer), gives the receipt its
//! number, writes the audit row and queues the applicant's message.

pub mod fees;
pub mod reconcile;
pub mod settle;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::integrations::payment::{self as gw, Order};
use crate::service::account::session::Actor;
use crate::service::dossier::rules;
use crate::state::AppState;
use crate::store::{dossiers, payments};
use motcua_domain::payment::Method;
use motcua_domain::status::Status;
use serde::Serialize;

pub use settle::{record_at_counter, settle, Outcome, Settled};

/// An online payment order, ready to pay.
#[derive(Debug, Clone, Serialize)]
pub struct PayOrder {
    pub order_ref: String,
    pub amount: i64,
    pub pay_url: String,
}

/// What the dossier owes and how it was paid, for its pages.
#[derive(Debug, Clone, Serialize)]
pub struct Money {
    pub fees: Vec<FeeView>,
    pub payments: Vec<PaymentView>,
    /// Online methods the dossier's province offers.
    pub offered: Vec<Method>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeeView {
    pub amount: i64,
    pub amount_text: String,
    pub quoted: Option<i64>,
    pub state: String,
    pub collection: String,
    pub reason: String,
    pub lines: Vec<(String, String)>,
    pub basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentView {
    pub order_ref: String,
    pub method: Method,
    pub method_vi: &'static str,
    pub amount_text: String,
    pub state: motcua_domain::payment::State,
    pub state_vi: &'static str,
    pub paid_at: Option<String>,
    pub receipt_no: Option<String>,
    /// The bank's transfer reference or the gateway's transaction number.
    pub reference: Option<String>,
}

/// "01/12/2026 14:05", Vietnam time (as every page writes a moment).
pub fn vn_datetime(t: time::OffsetDateTime) -> String {
    let l = t.to_offset(motcua_domain::calendar::VN);
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        l.day(),
        u8::from(l.month()),
        l.year(),
        l.hour(),
        l.minute()
    )
}

fn vnd(a: i64) -> String {
    motcua_domain::money::Vnd(a).to_string()
}

/// The money of a dossier the caller may see.
pub async fn of_dossier(st: &AppState, actor: &Actor, code: &str) -> AppResult<Money> {
    let row = dossiers::get(&st.db, &actor.scope, code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let province = rules::province_of_unit(st, &row.receiving_unit_code).await?;
    let fee_rows = payments::fees_of(&st.db, row.id).await?;
    let paid_fees: Vec<i64> = fee_rows
        .iter()
        .filter(|f| f.state == "paid")
        .map(|f| f.id)
        .collect();
    let fees = fee_rows
        .into_iter()
        .map(|f| {
            let b: serde_json::Value = serde_json::from_str(&f.breakdown).unwrap_or_default();
            let lines = b["lines"]
                .as_array()
                .map(|ls| {
                    ls.iter()
                        .map(|l| {
                            (
                                l["label_vi"].as_str().unwrap_or_default().to_owned(),
                                vnd(l["amount"].as_i64().unwrap_or(0)),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            FeeView {
                amount: f.amount,
                amount_text: vnd(f.amount),
                quoted: f.quoted,
                state: f.state,
                collection: f.collection,
                reason: f.reason,
                lines,
                basis: b["basis"].as_str().unwrap_or_default().to_owned(),
            }
        })
        .collect();
    let payments = payments::of_dossier(&st.db, row.id)
        .await?
        .into_iter()
        .map(|p| {
            let superseded = p.state == "pending" && paid_fees.contains(&p.fee_request_id);
            view(p).map(|mut v| {
                if superseded {
                    v.state_vi = "Không dùng (đã nộp bằng giao dịch khác)";
                }
                v
            })
        })
        .collect::<AppResult<_>>()?;
    Ok(Money {
        fees,
        payments,
        offered: gw::offered(&st.config, &province),
    })
}

fn view(p: payments::PaymentRow) -> AppResult<PaymentView> {
    let method = Method::try_from(p.method).map_err(anyhow::Error::from)?;
    let state = motcua_domain::payment::State::try_from(p.state).map_err(anyhow::Error::from)?;
    let cancelled =
        state == motcua_domain::payment::State::Failed && p.gateway_code.as_deref() == Some("24");
    Ok(PaymentView {
        order_ref: p.order_ref,
        method,
        method_vi: method.vi(),
        amount_text: vnd(p.amount),
        state,
        state_vi: if cancelled {
            "Người nộp đã hủy"
        } else {
            state.vi()
        },
        paid_at: p.paid_at.map(vn_datetime),
        receipt_no: p.receipt_no,
        reference: p.gateway_txn.filter(|t| !t.is_empty()),
    })
}

/// Starts an online payment of the dossier's open fee: the applicant or an officer in scope.
pub async fn start_online(
    st: &AppState,
    actor: &Actor,
    code: &str,
    provider: &str,
    client_ip: &str,
    request_id: &str,
) -> AppResult<PayOrder> {
    let method = Method::parse(provider)
        .filter(|m| m.online())
        .ok_or_else(|| {
            AppError::field(
                "provider",
                "Chọn cổng thanh toán: vnpay hoặc dvcqg",
                "provider is vnpay or dvcqg",
            )
        })?;
    let row = dossiers::get(&st.db, &actor.scope, code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    if row.status != Status::AwaitingPayment {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "the dossier is not waiting for a payment",
        ));
    }
    let fee = payments::fees_of(&st.db, row.id)
        .await?
        .into_iter()
        .find(|f| f.state == "open")
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no open fee request"))?;
    let province = rules::province_of_unit(st, &row.receiving_unit_code).await?;
    let gateway = gw::for_province(&st.config, &province, method)?.ok_or_else(|| {
        AppError::field(
            "provider",
            "Tỉnh chưa kết nối cổng thanh toán này; chọn cổng khác hoặc nộp tại quầy",
            "this province has no such gateway; choose another or pay at the counter",
        )
    })?;
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let n = payments::count_tx(&mut tx, row.id).await? + 1;
    let order_ref = match method {
        Method::Dvcqg => format!("dvc{}-{n}", row.code),
        _ => format!("{}-{n}", row.code),
    };
    let created = motcua_domain::payment::stamp(now);
    payments::insert_payment(
        &mut tx,
        &payments::NewPayment {
            fee_request_id: fee.id,
            dossier_id: row.id,
            order_ref: &order_ref,
            method: method.as_str(),
            amount: fee.amount,
            at: now,
            by: Some(actor.user_id),
            gateway_created: &created,
        },
    )
    .await?;
    let audit = rules::audit_entry(
        actor,
        "payment_started",
        &row.code,
        Some(row.id),
        "thanh toán trực tuyến",
        request_id,
        now,
    );
    crate::store::audit::write_tx(&mut tx, &audit).await?;
    tx.commit().await?;
    let agency = crate::store::agencies::by_id(&st.db, row.receiving_agency_id).await?;
    let order = Order {
        order_ref: order_ref.clone(),
        amount: fee.amount,
        dossier_code: row.code.clone(),
        procedure_code: row.procedure_code.clone(),
        procedure_name: row.procedure_name.clone(),
        agency_code: agency
            .as_ref()
            .map(|a| a.identifier.clone())
            .unwrap_or_default(),
        agency_name: row.receiving_agency.clone(),
        applicant_name: row.applicant_name.clone(),
        client_ip: client_ip.to_owned(),
        at: now,
        return_url: format!(
            "{}/thanh-toan/ket-qua",
            st.config.public_url.trim_end_matches('/')
        ),
    };
    match gateway.start(&order).await {
        Ok(s) => Ok(PayOrder {
            order_ref,
            amount: fee.amount,
            pay_url: s.pay_url,
        }),
        Err(e) => {
            tracing::warn!(order = %order_ref, error = %e, "payment gateway refused the order");
            let _ = settle(
                st,
                &order_ref,
                None,
                &Outcome::Failed {
                    code: "init".into(),
                },
                "gateway",
                request_id,
            )
            .await;
            Err(AppError::code(ErrorCode::PaymentUnavailable))
        }
    }
}

/// The e-receipt of a paid payment the caller may see (the applicant, an officer in scope).
pub async fn receipt_pdf(
    st: &AppState,
    actor: &Actor,
    order_ref: &str,
) -> AppResult<(String, Vec<u8>)> {
    let p = payments::by_ref(&st.db, order_ref)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::PaymentNotFound))?;
    let code = payments::code_of(&st.db, p.dossier_id)
        .await?
        .unwrap_or_default();
    let row = dossiers::get(&st.db, &actor.scope, &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::PaymentNotFound))?;
    let (Some(no), Some(paid_at)) = (p.receipt_no.clone(), p.paid_at) else {
        return Err(AppError::code(ErrorCode::PaymentNotFound));
    };
    let method = Method::try_from(p.method).map_err(anyhow::Error::from)?;
    let place = crate::store::units::get(&st.db, &row.receiving_unit_code)
        .await?
        .map(|u| u.short_name)
        .unwrap_or_default();
    let pdf = crate::pdf::payment::render(&crate::pdf::payment::PaymentReceipt {
        number: no.clone(),
        agency: row.receiving_agency.clone(),
        dossier: row.code.clone(),
        procedure: row.procedure_name.clone(),
        payer: row.applicant_name,
        amount: p.amount,
        method: method.vi().to_owned(),
        reference: p.gateway_txn.clone().unwrap_or_default(),
        order_ref: p.order_ref.clone(),
        paid_at,
        place,
    });
    Ok((format!("bien-lai-{no}.pdf"), pdf))
}

/// Whoever holds a dossier's receipt (its QR token) acts on its payment as the applicant: an actor scoped to that
/// one dossier, recorded in the audit as the receipt holder.
pub async fn receipt_holder(st: &AppState, code: &str, token: &str) -> AppResult<Actor> {
    let row = crate::service::dossier::tracking::by_token(st, code, token).await?;
    let user_id = crate::store::users::system_user(
        &st.db,
        "nguoi-nop.giay-tiep-nhan",
        "Người nộp (mở bằng giấy tiếp nhận)",
        st.clock.now(),
    )
    .await?;
    Ok(Actor {
        user_id,
        username: "nguoi-nop.giay-tiep-nhan".into(),
        display_name: "Người nộp (mở bằng giấy tiếp nhận)".into(),
        role: motcua_domain::role::Role::Citizen,
        agency: None,
        scope: crate::scope::Scope::Tracking {
            code: row.code,
            id_hash: None,
        },
        is_demo: false,
    })
}
