//! The officer's side of money and messages: the dossier's fee with its breakdown, its payments with their
//! e-receipts, cash or transfer taken at the counter, the sealed results, the notifications' delivery; and the day's
//! reconciliation of the agency.

use super::dossier::{dossier_page, Kept};
use super::staff;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::http::web::page::{CsrfForm, PageError, PageResult};
use crate::http::web::{see_other, url_enc, Ctx};
use crate::service::account::session::Actor;
use crate::service::dossier::view::DossierView;
use crate::service::money::{self, reconcile};
use crate::service::notify::DeliveryLine;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use motcua_domain::fees::Exemption;
use serde::Deserialize;

/// The exemptions offered on the payment request form.
pub const EXEMPTIONS: [Exemption; 3] = Exemption::ALL;

#[derive(Template)]
#[template(path = "officer/money.html")]
struct Panel<'a> {
    ctx: &'a Ctx,
    code: &'a str,
    money: &'a money::Money,
    /// The open fee, when the counter can take it now.
    take: Option<&'a money::FeeView>,
    error_box: String,
    method: &'a str,
    reference: &'a str,
    deliveries: Vec<DeliveryLine>,
    seals: Vec<(String, String)>,
    /// While a fee can be asked for: the catalog's text for the dossier's channel and what it comes to by default.
    catalog: Option<(String, String)>,
}

fn state_label(ctx: &Ctx, s: &str) -> String {
    match s {
        "sent" => ctx.t("đã gửi", "sent"),
        "retrying" => ctx.t("đang thử lại", "retrying"),
        "dead" => ctx.t("không gửi được", "failed"),
        _ => ctx.t("chờ gửi", "waiting"),
    }
    .to_owned()
}

fn kind_label(ctx: &Ctx, k: &str) -> String {
    match k {
        "payment_received" => ctx.t("Đã nhận tiền, biên lai", "Payment received, receipt"),
        "result_ready" => ctx.t("Đã có kết quả", "Result ready"),
        "queue_near" => ctx.t("Sắp đến lượt", "Turn is near"),
        "warning" | "overdue" => ctx.t("Sắp đến hạn, quá hạn", "Due soon, late"),
        _ => ctx.t(
            "Tiến độ hồ sơ (tiếp nhận, bổ sung, nộp phí, hẹn lại)",
            "Progress (received, supplement, fee, new date)",
        ),
    }
    .to_owned()
}

/// The money panel of a dossier's page: fees, payments, messages and seals; while a fee is open and this officer may
/// take it, the counter form (the bare "confirm payment" action is then not offered).
pub(super) async fn panel(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    v: &DossierView,
    refused: Option<&(AppError, Kept)>,
) -> Result<String, PageError> {
    let m = money::of_dossier(st, actor, &v.code).await?;
    let open = m.fees.iter().find(|f| f.state == "open");
    let row = crate::store::dossiers::get(&st.db, &actor.scope, &v.code).await?;
    let can_confirm = row
        .as_ref()
        .is_some_and(|r| crate::service::dossier::rules::may_settle_fee(r, actor));
    let mine = refused.filter(|(_, k)| k.action == "counter_payment");
    let mut deliveries = crate::service::notify::of_dossier(st, actor, &v.code).await?;
    for d in &mut deliveries {
        d.state = state_label(ctx, &d.state);
        d.kind = kind_label(ctx, &d.kind);
        d.channel = match d.channel.as_str() {
            "sms" => ctx.t("Tin nhắn SMS", "SMS"),
            "email" => ctx.t("Thư điện tử", "E-mail"),
            _ => "Zalo",
        }
        .to_owned();
    }
    let base = st.config.public_url.trim_end_matches('/');
    let seals = match &row {
        Some(r) => crate::store::seals::of_dossier(&st.db, r.id)
            .await?
            .into_iter()
            .map(|s| (s.title, format!("{base}/xac-minh/{}", s.token)))
            .collect(),
        None => Vec::new(),
    };
    let catalog = match (
        &row,
        v.allowed_actions.contains(&"request_payment") && m.fees.is_empty(),
    ) {
        (Some(r), true) => {
            let q = crate::service::money::fees::quote_for(
                st,
                r,
                &motcua_domain::fees::Counts::default(),
            )
            .await?;
            let total = if q.per_page {
                ctx.t("tính theo số trang từng bản", "by the pages of each copy")
                    .to_owned()
            } else if q.unknown {
                ctx.t(
                    "danh mục không ghi số tiền: nhập số tiền khi yêu cầu",
                    "the catalog states no amount: enter it",
                )
                .to_owned()
            } else {
                q.total.to_string()
            };
            Some((q.basis, total))
        }
        _ => None,
    };
    if m.fees.is_empty()
        && m.payments.is_empty()
        && deliveries.is_empty()
        && seals.is_empty()
        && catalog.is_none()
    {
        return Ok(String::new());
    }
    let html = Panel {
        ctx,
        code: &v.code,
        money: &m,
        take: open.filter(|_| can_confirm && v.status.code == 6),
        error_box: mine
            .map(|(e, _)| ctx.error_box(e, "counter-payment-error"))
            .unwrap_or_default(),
        method: mine.map_or("cash", |(_, k)| k.method.as_str()),
        reference: mine.map_or("", |(_, k)| k.reference.as_str()),
        deliveries,
        seals,
        catalog,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(html)
}

#[derive(Debug, Deserialize)]
pub struct TakeForm {
    #[serde(default)]
    method: String,
    #[serde(default)]
    reference: String,
}

/// `POST /can-bo/ho-so/{code}/thu-phi`: cash or a transfer taken at the counter.
pub async fn take(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(f): CsrfForm<TakeForm>,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    match money::record_at_counter(&st, &actor, &code, &f.method, &f.reference, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!(
            "/can-bo/ho-so/{}?xong=confirm_payment",
            url_enc(&code)
        ))),
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => {
            let kept = Kept {
                action: "counter_payment".into(),
                method: f.method,
                reference: f.reference,
                ..Kept::default()
            };
            dossier_page(&st, &ctx, &actor, &code, (false, None), Some((e, kept))).await
        }
    }
}

/// `GET /can-bo/bien-lai/{order}`: the e-receipt of a payment in the officer's scope.
pub async fn receipt(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let Ok(AppPath(order)) = path else {
        return Err(AppError::code(ErrorCode::PaymentNotFound).into());
    };
    let (name, pdf) = money::receipt_pdf(&st, actor, &order).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "officer/reconciliation.html")]
struct ReconPage<'a> {
    ctx: &'a Ctx,
    r: &'a reconcile::Report,
    day: String,
    error_box: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DayQuery {
    ngay: String,
}

/// `GET /can-bo/thanh-toan?ngay=YYYY-MM-DD`: the day's payments against the dossiers, mismatches first.
pub async fn reconciliation(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<DayQuery>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let given = q.map(|AppQuery(q)| q.ngay).unwrap_or_default();
    // A date that cannot be read: today's report, with the refusal above it.
    let (day, bad) = match crate::http::api::payments::day(&st, Some(&given)) {
        Ok(d) => (d, None),
        Err(e) => (crate::http::api::payments::day(&st, None)?, Some(e)),
    };
    let mut r = reconcile::report(&st, actor, day).await?;
    r.lines.sort_by_key(|l| l.mismatch.is_empty());
    let b = ReconPage {
        ctx: &ctx,
        r: &r,
        day: format!(
            "{:04}-{:02}-{:02}",
            day.year(),
            u8::from(day.month()),
            day.day()
        ),
        error_box: bad
            .as_ref()
            .map(|e| ctx.error_box(e, "recon-error"))
            .unwrap_or_default(),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        ctx.t("Đối soát thu phí", "Payment reconciliation"),
        &b,
        bad.as_ref(),
    ))
}

/// `GET /can-bo/thanh-toan.csv?ngay=…`: the same report as CSV (UTF-8 with BOM, so Excel reads the diacritics).
pub async fn reconciliation_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<DayQuery>, AppError>,
) -> PageResult {
    let actor = staff(&ctx)?;
    let given = q.map(|AppQuery(q)| q.ngay).unwrap_or_default();
    let Ok(day) = crate::http::api::payments::day(&st, Some(&given)) else {
        // A date that cannot be read: the report's page, which says so.
        return Ok(see_other(&format!(
            "/can-bo/thanh-toan?ngay={}",
            url_enc(&given)
        )));
    };
    let r = reconcile::report(&st, actor, day).await?;
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let head = [
        "Mã hồ sơ",
        "Thủ tục",
        "Số tiền (đồng)",
        "Hình thức",
        "Trạng thái",
        "Thời điểm nộp",
        "Số biên lai",
        "Mã giao dịch ngân hàng / cổng",
        "Mã đơn thanh toán",
        "Đối chiếu",
    ];
    w.write_record(head).map_err(anyhow::Error::from)?;
    for l in &r.lines {
        let amount = l.amount.to_string();
        let check = if l.mismatch.is_empty() {
            "khớp"
        } else {
            l.mismatch.as_str()
        };
        w.write_record([
            l.dossier.as_str(),
            l.procedure.as_str(),
            amount.as_str(),
            l.method_vi,
            l.state_vi,
            l.paid_at.as_str(),
            l.receipt_no.as_str(),
            l.gateway_ref.as_str(),
            l.order_ref.as_str(),
            check,
        ])
        .map_err(anyhow::Error::from)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))?;
    let name = format!(
        "doi-soat-{:04}-{:02}-{:02}.csv",
        day.year(),
        u8::from(day.month()),
        day.day()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
