//! A local stand-in for the payment gateways (`motcua sandbox-gateway`): it speaks VNPay 2.1.0 (payment page,
//! signed return and IPN, `querydr`) and the national platform's INIT / confirm / QUERY, and shows a page where the
//! "citizen" approves or cancels. It keeps its orders in memory. For offline demos and tests only: it moves no money.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use motcua_domain::payment::{dvcqg, stamp, vnpay};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the sandbox knows.
#[derive(Debug, Clone, Default)]
pub struct GatewayConfig {
    /// VNPay terminals: code → secret.
    pub vnpay: HashMap<String, String>,
    /// Where VNPay-style IPNs go (empty: none, as when the merchant's IPN is unreachable).
    pub ipn_url: String,
    /// Platform partners: code → secret.
    pub dvcqg: HashMap<String, String>,
    pub dvcqg_confirm_url: String,
    pub dvcqg_return_url: String,
    /// This gateway's own address, for the URLs it hands out.
    pub public: String,
}

#[derive(Debug, Clone)]
struct VnOrder {
    params: Vec<(String, String)>,
    status: &'static str,
    txn_no: u64,
}

#[derive(Debug, Clone)]
struct DvcOrder {
    init: dvcqg::Init,
    status: &'static str,
    txn_no: u64,
}

#[derive(Debug, Default)]
struct Orders {
    vn: HashMap<String, VnOrder>,
    dvc: HashMap<String, DvcOrder>,
    next_txn: u64,
    /// Text messages received on the stand-in SMS webhook: (id, to, text), newest last.
    sms: Vec<(String, String, String)>,
}

#[derive(Clone)]
struct Gw {
    cfg: Arc<GatewayConfig>,
    orders: Arc<Mutex<Orders>>,
}

/// The sandbox's routes.
pub fn router(cfg: GatewayConfig) -> Router {
    let gw = Gw {
        cfg: Arc::new(cfg),
        orders: Arc::default(),
    };
    Router::new()
        .route("/", get(|| async { Html(page("Cổng thanh toán thử nghiệm", "<p>Sandbox: VNPay 2.1.0 và Nền tảng thanh toán DVCQG. Không chuyển tiền thật.</p>")) }))
        .route("/paymentv2/vpcpay.html", get(vn_page))
        .route("/sandbox/vnpay/{txn}/{decision}", post(vn_decide))
        .route("/merchant_webapi/api/transaction", post(vn_query))
        .route("/dvcqg/init", post(dvc_init))
        .route("/dvcqg/pay/{reference}", get(dvc_page))
        .route("/dvcqg/pay/{reference}/{decision}", post(dvc_decide))
        .route("/dvcqg/query", post(dvc_query))
        .route("/sms", post(sms_in).get(sms_box))
        .with_state(gw)
}

/// Serves the sandbox until the process ends.
pub async fn run(listener: tokio::net::TcpListener, cfg: GatewayConfig) -> std::io::Result<()> {
    axum::serve(listener, router(cfg)).await
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title><style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}\
         .amount{{font-size:2rem;font-weight:700}} button{{font-size:1.1rem;padding:.8rem 1.4rem;margin:.4rem .4rem 0 0;border-radius:.4rem;border:1px solid #0b5394}}\
         .ok{{background:#0b5394;color:#fff}} .no{{background:#fff;color:#0b5394}} .note{{color:#555;font-size:.9rem}}</style></head>\
         <body><main><h1>{t}</h1>{body}<p class=\"note\">Cổng thử nghiệm của motcua (sandbox) — không chuyển tiền thật. / Local sandbox gateway: no real money moves.</p></main></body></html>",
        t = esc(title)
    )
}

fn get_param<'a>(p: &'a [(String, String)], k: &str) -> &'a str {
    p.iter()
        .find(|(n, _)| n == k)
        .map_or("", |(_, v)| v.as_str())
}

fn decision_form(action: &str, what: &str, amount: i64, info: &str) -> String {
    format!(
        "<p>{}</p><p class=\"amount\">{}</p><form method=\"post\" action=\"{action}/approve\"><button class=\"ok\" type=\"submit\">Thanh toán / Pay</button></form>\
         <form method=\"post\" action=\"{action}/cancel\"><button class=\"no\" type=\"submit\">Hủy giao dịch / Cancel</button></form><p>{}</p>",
        esc(what),
        motcua_domain::money::Vnd(amount),
        esc(info)
    )
}

async fn vn_page(State(gw): State<Gw>, RawQuery(q): RawQuery) -> Response {
    let params: Vec<(String, String)> =
        serde_urlencoded::from_str(q.as_deref().unwrap_or("")).unwrap_or_default();
    let tmn = get_param(&params, "vnp_TmnCode");
    let Some(secret) = gw.cfg.vnpay.get(tmn) else {
        return (
            StatusCode::BAD_REQUEST,
            Html(page(
                "Mã website không tồn tại",
                "<p>vnp_TmnCode không đăng ký (lỗi 02).</p>",
            )),
        )
            .into_response();
    };
    let given = get_param(&params, "vnp_SecureHash");
    if !motcua_domain::payment::same(given, &vnpay::hmac_hex(secret, &vnpay::sign_data(&params))) {
        return (
            StatusCode::BAD_REQUEST,
            Html(page("Sai chữ ký", "<p>Chữ ký không hợp lệ (lỗi 97).</p>")),
        )
            .into_response();
    }
    let txn = get_param(&params, "vnp_TxnRef").to_owned();
    let amount = get_param(&params, "vnp_Amount").parse::<i64>().unwrap_or(0) / 100;
    let info = get_param(&params, "vnp_OrderInfo").to_owned();
    if let Ok(mut o) = gw.orders.lock() {
        o.vn.entry(txn.clone()).or_insert(VnOrder {
            params: params.clone(),
            status: "01",
            txn_no: 0,
        });
    }
    let body = decision_form(
        &format!(
            "/sandbox/vnpay/{}",
            motcua_domain::payment::form_encode(&txn)
        ),
        &format!("Đơn hàng {txn}"),
        amount,
        &info,
    );
    Html(page("Thanh toán qua VNPay (thử nghiệm)", &body)).into_response()
}

fn vn_result(o: &VnOrder, code: &str) -> Vec<(String, String)> {
    let p = &o.params;
    [
        ("vnp_Amount", get_param(p, "vnp_Amount").to_owned()),
        ("vnp_BankCode", "NCB".to_owned()),
        ("vnp_BankTranNo", format!("VNP{}", o.txn_no)),
        ("vnp_CardType", "ATM".to_owned()),
        ("vnp_OrderInfo", get_param(p, "vnp_OrderInfo").to_owned()),
        ("vnp_PayDate", stamp(wall_clock())),
        ("vnp_ResponseCode", code.to_owned()),
        ("vnp_TmnCode", get_param(p, "vnp_TmnCode").to_owned()),
        ("vnp_TransactionNo", o.txn_no.to_string()),
        (
            "vnp_TransactionStatus",
            if code == "00" { "00" } else { "02" }.to_owned(),
        ),
        ("vnp_TxnRef", get_param(p, "vnp_TxnRef").to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn vn_decide(
    State(gw): State<Gw>,
    Path((txn, decision)): Path<(String, String)>,
) -> Response {
    let code = if decision == "approve" { "00" } else { "24" };
    let order = gw.orders.lock().ok().and_then(|mut o| {
        o.next_txn += 1;
        let n = 14_000_000 + o.next_txn;
        let e = o.vn.get_mut(&txn)?;
        e.status = if code == "00" { "00" } else { "02" };
        e.txn_no = n;
        Some(e.clone())
    });
    let Some(order) = order else {
        return (
            StatusCode::NOT_FOUND,
            Html(page("Không tìm thấy giao dịch", "")),
        )
            .into_response();
    };
    let secret = gw
        .cfg
        .vnpay
        .get(get_param(&order.params, "vnp_TmnCode"))
        .cloned()
        .unwrap_or_default();
    let result = vn_result(&order, code);
    let query = vnpay::signed_url("", &result, &secret);
    let query = query.trim_start_matches('?');
    if !gw.cfg.ipn_url.is_empty() {
        // The IPN goes server to server before the citizen comes back, as VNPay does.
        let sep = if gw.cfg.ipn_url.contains('?') {
            '&'
        } else {
            '?'
        };
        match crate::integrations::http()
            .get(format!("{}{sep}{query}", gw.cfg.ipn_url))
            .send()
            .await
        {
            Ok(r) => tracing::info!(status = r.status().as_u16(), "sandbox IPN sent"),
            Err(e) => tracing::warn!(error = %e, "sandbox IPN failed"),
        }
    }
    let ret = get_param(&order.params, "vnp_ReturnUrl");
    let sep = if ret.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{ret}{sep}{query}")).into_response()
}

async fn vn_query(State(gw): State<Gw>, Json(b): Json<serde_json::Value>) -> Response {
    let s = |k: &str| b[k].as_str().unwrap_or_default().to_owned();
    let tmn = s("vnp_TmnCode");
    let Some(secret) = gw.cfg.vnpay.get(&tmn).cloned() else {
        return Json(
            serde_json::json!({"vnp_ResponseCode": "02", "vnp_Message": "Invalid merchant"}),
        )
        .into_response();
    };
    let req = vnpay::QueryRequest {
        request_id: &s("vnp_RequestId"),
        tmn_code: &tmn,
        txn_ref: &s("vnp_TxnRef"),
        transaction_date: &s("vnp_TransactionDate"),
        create_date: &s("vnp_CreateDate"),
        ip: &s("vnp_IpAddr"),
        order_info: &s("vnp_OrderInfo"),
    };
    if !motcua_domain::payment::same(
        &s("vnp_SecureHash"),
        &vnpay::hmac_hex(&secret, &vnpay::query_sign_data(&req)),
    ) {
        return Json(
            serde_json::json!({"vnp_ResponseCode": "97", "vnp_Message": "Invalid checksum"}),
        )
        .into_response();
    }
    let order = gw
        .orders
        .lock()
        .ok()
        .and_then(|o| o.vn.get(&s("vnp_TxnRef")).cloned());
    let mut v = match order {
        None => {
            serde_json::json!({"vnp_ResponseId": s("vnp_RequestId"), "vnp_Command": "querydr", "vnp_ResponseCode": "91",
            "vnp_Message": "Not found", "vnp_TmnCode": tmn, "vnp_TxnRef": s("vnp_TxnRef")})
        }
        Some(o) => {
            serde_json::json!({"vnp_ResponseId": s("vnp_RequestId"), "vnp_Command": "querydr", "vnp_ResponseCode": "00",
            "vnp_Message": "QueryDR Success", "vnp_TmnCode": tmn, "vnp_TxnRef": s("vnp_TxnRef"),
            "vnp_Amount": get_param(&o.params, "vnp_Amount"), "vnp_BankCode": "NCB", "vnp_PayDate": "",
            "vnp_TransactionNo": o.txn_no.to_string(), "vnp_TransactionType": "01", "vnp_TransactionStatus": o.status,
            "vnp_OrderInfo": get_param(&o.params, "vnp_OrderInfo"), "vnp_PromotionCode": "", "vnp_PromotionAmount": ""})
        }
    };
    vnpay::sign_query_reply(&mut v, &secret);
    Json(v).into_response()
}

fn dvc_reply(code: &str, message: &serde_json::Value) -> Response {
    Json(dvcqg::Reply {
        error_code: code.to_owned(),
        message: message.to_string(),
    })
    .into_response()
}

async fn dvc_init(State(gw): State<Gw>, Json(init): Json<dvcqg::Init>) -> Response {
    let Some(secret) = gw.cfg.dvcqg.get(&init.ma_doi_tac) else {
        return dvc_reply("1", &serde_json::json!({"MoTaLoi": "Sai mã đối tác"}));
    };
    if !init.verifies(secret) {
        return dvc_reply("1", &serde_json::json!({"MoTaLoi": "Sai mã xác thực"}));
    }
    let url = format!(
        "{}/dvcqg/pay/{}",
        gw.cfg.public.trim_end_matches('/'),
        motcua_domain::payment::form_encode(&init.ma_tham_chieu)
    );
    if let Ok(mut o) = gw.orders.lock() {
        o.dvc.entry(init.ma_tham_chieu.clone()).or_insert(DvcOrder {
            init,
            status: "pending",
            txn_no: 0,
        });
    }
    dvc_reply("0", &serde_json::json!({ "UrlThanhToan": url }))
}

async fn dvc_page(State(gw): State<Gw>, Path(reference): Path<String>) -> Response {
    let o = gw
        .orders
        .lock()
        .ok()
        .and_then(|o| o.dvc.get(&reference).cloned());
    let Some(o) = o else {
        return (
            StatusCode::NOT_FOUND,
            Html(page("Không tìm thấy giao dịch", "")),
        )
            .into_response();
    };
    let body = decision_form(
        &format!(
            "/dvcqg/pay/{}",
            motcua_domain::payment::form_encode(&reference)
        ),
        &format!(
            "Hồ sơ {} — {}",
            o.init.thong_tin_bien_lai.ma_ho_so, o.init.thong_tin_bien_lai.ten_tthc
        ),
        o.init.so_tien,
        &o.init.thong_tin_giao_dich,
    );
    Html(page("Nền tảng thanh toán DVCQG (thử nghiệm)", &body)).into_response()
}

async fn dvc_decide(
    State(gw): State<Gw>,
    Path((reference, decision)): Path<(String, String)>,
) -> Response {
    let ok = decision == "approve";
    let order = gw.orders.lock().ok().and_then(|mut o| {
        o.next_txn += 1;
        let n = o.next_txn;
        let e = o.dvc.get_mut(&reference)?;
        e.status = if ok { "paid" } else { "failed" };
        e.txn_no = n;
        Some(e.clone())
    });
    let Some(order) = order else {
        return (
            StatusCode::NOT_FOUND,
            Html(page("Không tìm thấy giao dịch", "")),
        )
            .into_response();
    };
    let secret = gw
        .cfg
        .dvcqg
        .get(&order.init.ma_doi_tac)
        .cloned()
        .unwrap_or_default();
    let mut c = dvcqg::Confirm {
        loai_ban_tin: "CONFIRM".into(),
        ma_loi: if ok { "00" } else { "24" }.into(),
        ma_doi_tac: order.init.ma_doi_tac.clone(),
        ma_tham_chieu: reference.clone(),
        so_tien: order.init.so_tien,
        ma_tien_te: "VND".into(),
        ma_giao_dich: format!("DVC{}", order.txn_no),
        ma_ngan_hang: "NCB".into(),
        thoi_gian_gd: stamp(wall_clock()),
        thong_tin_giao_dich: order.init.thong_tin_giao_dich.clone(),
        ma_xac_thuc: String::new(),
    };
    c.sign(&secret);
    if !gw.cfg.dvcqg_confirm_url.is_empty() {
        if let Err(e) = crate::integrations::http()
            .post(&gw.cfg.dvcqg_confirm_url)
            .json(&c)
            .send()
            .await
        {
            tracing::warn!(error = %e, "sandbox confirm failed");
        }
    }
    let sep = if gw.cfg.dvcqg_return_url.contains('?') {
        '&'
    } else {
        '?'
    };
    Redirect::to(&format!(
        "{}{sep}ref={}",
        gw.cfg.dvcqg_return_url,
        motcua_domain::payment::form_encode(&reference)
    ))
    .into_response()
}

async fn dvc_query(State(gw): State<Gw>, Json(q): Json<dvcqg::Query>) -> Response {
    let Some(secret) = gw.cfg.dvcqg.get(&q.ma_doi_tac) else {
        return dvc_reply("1", &serde_json::json!({"MoTaLoi": "Sai mã đối tác"}));
    };
    if !q.verifies(secret) {
        return dvc_reply("1", &serde_json::json!({"MoTaLoi": "Sai mã xác thực"}));
    }
    let o = gw
        .orders
        .lock()
        .ok()
        .and_then(|o| o.dvc.get(&q.ma_tham_chieu).cloned());
    match o {
        None => dvc_reply(
            "0",
            &serde_json::json!({"MaLoi": "01", "TrangThai": "failed"}),
        ),
        Some(o) => dvc_reply(
            "0",
            &serde_json::json!({"MaLoi": if o.status == "paid" { "00" } else { "24" },
            "TrangThai": o.status, "SoTien": o.init.so_tien, "MaGiaoDich": format!("DVC{}", o.txn_no)}),
        ),
    }
}

/// The gateway's own clock (a separate process, like the real gateways: not motcua's clock).
#[allow(clippy::disallowed_methods)]
fn wall_clock() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// The stand-in SMS gateway: takes motcua's webhook (`{"id","to","text"}`) and keeps it to show.
async fn sms_in(State(gw): State<Gw>, Json(b): Json<serde_json::Value>) -> StatusCode {
    let s = |k: &str| b[k].as_str().unwrap_or_default().to_owned();
    if let Ok(mut o) = gw.orders.lock() {
        if !o.sms.iter().any(|(id, _, _)| *id == s("id")) {
            o.sms.push((s("id"), s("to"), s("text")));
        }
        let extra = o.sms.len().saturating_sub(200);
        o.sms.drain(..extra);
    }
    StatusCode::OK
}

/// The messages received, newest first (a demo's phone screen).
async fn sms_box(State(gw): State<Gw>) -> Html<String> {
    let items: String = gw
        .orders
        .lock()
        .map(|o| {
            o.sms
                .iter()
                .rev()
                .map(|(_, to, text)| {
                    format!(
                        "<li><strong>{}</strong><br>{}</li>",
                        esc(to),
                        esc(text).replace('\n', "<br>")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let body = if items.is_empty() {
        "<p>Chưa có tin nhắn nào. / No message yet.</p>".to_owned()
    } else {
        format!("<ol>{items}</ol>")
    };
    Html(page("Tin nhắn SMS đã gửi (thử nghiệm)", &body))
}
