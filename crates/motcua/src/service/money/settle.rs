//! Recording a payment once: the gateway's answer (IPN, return, confirm, query) or the counter's cash and transfer.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::scope::Scope;
use crate::service::account::session::Actor;
use crate::service::dossier::process::{self, ActInput};
use crate::service::dossier::rules;
use crate::state::AppState;
use crate::store::{audit, dossiers, payments, steps};
use motcua_domain::payment::Method;
use motcua_domain::role::Role;
use motcua_domain::status::Status;

/// What the gateway said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Paid { txn: String, code: String },
    Failed { code: String },
}

/// What recording it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The order moved now (paid or failed).
    Recorded,
    /// It had already moved: nothing changed.
    Already,
    NotFound,
    WrongAmount,
}

/// The account the payment platforms act as (no password, cannot sign in), standing at the dossier's
/// receiving agency to confirm its payment.
async fn gateway_actor(st: &AppState, row: &dossiers::DossierRow) -> AppResult<Actor> {
    let user_id = crate::store::users::system_user(
        &st.db,
        "he-thong.thanh-toan",
        "Cổng thanh toán (hệ thống)",
        st.clock.now(),
    )
    .await?;
    Ok(Actor {
        user_id,
        username: "he-thong.thanh-toan".into(),
        display_name: "Cổng thanh toán (hệ thống)".into(),
        role: Role::ReceivingOfficer,
        agency: crate::store::agencies::by_id(&st.db, row.receiving_agency_id).await?,
        scope: Scope::All,
        is_demo: false,
    })
}

/// Records the gateway's answer on an order. `amount`: what the gateway says was paid (checked against the order).
/// Replays and concurrent duplicates find the order settled and change nothing ([`Settled::Already`]).
pub async fn settle(
    st: &AppState,
    order_ref: &str,
    amount: Option<i64>,
    outcome: &Outcome,
    via: &str,
    request_id: &str,
) -> AppResult<Settled> {
    let Some(p) = payments::by_ref(&st.db, order_ref).await? else {
        return Ok(Settled::NotFound);
    };
    if amount.is_some_and(|a| a != p.amount) {
        return Ok(Settled::WrongAmount);
    }
    if p.state != "pending" {
        return Ok(Settled::Already);
    }
    let code = payments::code_of(&st.db, p.dossier_id)
        .await?
        .unwrap_or_default();
    let row = dossiers::get(&st.db, &Scope::All, &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let actor = gateway_actor(st, &row).await?;
    let (state, txn, gcode) = match outcome {
        Outcome::Paid { txn, code } => ("paid", txn.as_str(), code.as_str()),
        Outcome::Failed { code } => ("failed", "", code.as_str()),
    };
    // The action is planned before the transaction (its reads), applied inside it.
    let plan = if state == "paid" && row.status == Status::AwaitingPayment {
        let input = ActInput {
            action: "confirm_payment".into(),
            note: format!("Đã thanh toán trực tuyến, giao dịch {order_ref}"),
            settles_fee: true,
            ..ActInput::default()
        };
        match process::plan(st, &actor, &code, &input).await {
            Ok(p) => Some(p),
            // A concurrent duplicate may have resumed the dossier meanwhile: then this one has nothing to do.
            Err(e) => {
                let now_state = payments::by_ref(&st.db, order_ref).await?.map(|p| p.state);
                if now_state.as_deref() != Some("pending") {
                    return Ok(Settled::Already);
                }
                return Err(e);
            }
        }
    } else {
        None
    };
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    if !payments::settle(&mut tx, order_ref, state, (txn, gcode), now).await? {
        return Ok(Settled::Already);
    }
    if state == "paid" {
        payments::fee_paid(&mut tx, p.fee_request_id, now).await?;
        let no = payments::set_receipt(
            &mut tx,
            p.id,
            now.to_offset(motcua_domain::calendar::VN).year(),
        )
        .await?;
        if let Some(plan) = plan {
            process::apply(st, &mut tx, &actor, plan, request_id).await?;
        }
        let payload = serde_json::json!({ "code": row.code, "order_ref": order_ref, "amount": p.amount, "receipt": no });
        steps::enqueue(
            &mut tx,
            row.id,
            "payment_received",
            &format!("dossier:{}", row.code),
            &payload,
            now,
        )
        .await?;
    }
    let purpose = format!("ghi nhận thanh toán ({via})");
    let action = if state == "paid" {
        "payment_paid"
    } else {
        "payment_failed"
    };
    audit::write_tx(
        &mut tx,
        &rules::audit_entry(
            &actor,
            action,
            &row.code,
            Some(row.id),
            &purpose,
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Settled::Recorded)
}

/// Cash or a bank transfer taken at the counter: recorded paid, the dossier resumed, in one transaction. Returns
/// the order reference (for the e-receipt).
pub async fn record_at_counter(
    st: &AppState,
    actor: &Actor,
    code: &str,
    method: &str,
    reference: &str,
    request_id: &str,
) -> AppResult<String> {
    let method = Method::parse(method)
        .filter(|m| !m.online())
        .ok_or_else(|| {
            AppError::field(
                "method",
                "Chọn tiền mặt hoặc chuyển khoản",
                "method is cash or transfer",
            )
        })?;
    if method == Method::Transfer && reference.trim().is_empty() {
        return Err(AppError::field(
            "reference",
            "Nhập mã giao dịch chuyển khoản",
            "give the bank transfer's reference",
        ));
    }
    let input = ActInput {
        action: "confirm_payment".into(),
        note: format!("Đã nộp: {}", method.vi()),
        settles_fee: true,
        ..ActInput::default()
    };
    let plan = process::plan(st, actor, code, &input).await?;
    let fee = payments::fees_of(&st.db, plan.row.id)
        .await?
        .into_iter()
        .find(|f| f.state == "open")
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no open fee request"))?;
    let now = st.clock.now();
    let row_id = plan.row.id;
    let mut tx = st.db.begin().await?;
    let n = payments::count_tx(&mut tx, row_id).await? + 1;
    let order_ref = format!("{}-{n}", plan.code.as_str());
    let id = payments::insert_payment(
        &mut tx,
        &payments::NewPayment {
            fee_request_id: fee.id,
            dossier_id: row_id,
            order_ref: &order_ref,
            method: method.as_str(),
            amount: fee.amount,
            at: now,
            by: Some(actor.user_id),
            gateway_created: "",
        },
    )
    .await?;
    payments::settle(&mut tx, &order_ref, "paid", (reference.trim(), "00"), now).await?;
    payments::fee_paid(&mut tx, fee.id, now).await?;
    payments::set_receipt(
        &mut tx,
        id,
        now.to_offset(motcua_domain::calendar::VN).year(),
    )
    .await?;
    process::apply(st, &mut tx, actor, plan, request_id).await?;
    tx.commit().await?;
    Ok(order_ref)
}
