//! Money: fees from the catalog, VNPay IPNs recorded once under replay and concurrency, the whole online journey
//! through the sandbox gateway over real sockets, payments at the counter, the e-receipt and the reconciliation.

use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use motcua::config::{PaymentProvider, Secret};
use motcua_domain::payment::vnpay;
use serde_json::{json, Value};
use std::net::SocketAddr;

const TMN: &str = "MOTCUATEST";
const SECRET: &str = "motcua-test-vnpay-secret";

fn intake(id: &str) -> Value {
    json!({"procedure": "1.004222", "applicant": {"name": "Người nộp thử (demo)", "id_number": id, "phone": "0900000001", "address": "Số 1 đường thử (demo)"}})
}

async fn act(app: &TestApp, t: &str, code: &str, body: Value) -> crate::support::Resp {
    app.post(&format!("/api/v1/dossiers/{code}/actions"), Some(t), body)
        .await
}

/// An app whose VNPay terminal is the sandbox gateway on `gw`, serving on `me`.
pub(crate) async fn app_with_gateway(b: Backend, me: &str, gw: &str) -> TestApp {
    let (me, gw) = (me.to_owned(), gw.to_owned());
    TestApp::with_config(b, move |c| {
        c.public_url.clone_from(&me);
        c.payments = vec![PaymentProvider {
            province: String::new(),
            provider: "vnpay".into(),
            pay_url: format!("{gw}/paymentv2/vpcpay.html"),
            api_url: format!("{gw}/merchant_webapi/api/transaction"),
            merchant: TMN.into(),
            secret: Secret(SECRET.into()),
            secret_file: String::new(),
        }];
    })
    .await
}

/// A dossier waiting for 20.000 đ: received, forwarded, payment requested by the specialist.
pub(crate) async fn awaiting(app: &TestApp, id: &str) -> String {
    let hc = app.login("tiepnhan.haichau").await;
    let code = app.intake(Some(&hc), intake(id)).await.body["code"]
        .as_str()
        .unwrap()
        .to_owned();
    act(
        app,
        &hc,
        &code,
        json!({"action": "forward", "assignee": "chuyenvien.haichau"}),
    )
    .await;
    let sp = app.login("chuyenvien.haichau").await;
    let p = act(
        app,
        &sp,
        &code,
        json!({"action": "request_payment", "amount": 20000, "note": "Lệ phí (demo)"}),
    )
    .await;
    assert_eq!(p.body["status"]["code"], 6, "{}", p.body);
    code
}

fn signed_ipn(order_ref: &str, amount_vnd: i64, code: &str) -> String {
    let p: Vec<(String, String)> = [
        ("vnp_Amount", (amount_vnd * 100).to_string()),
        ("vnp_BankCode", "NCB".into()),
        ("vnp_OrderInfo", "Thanh toan".into()),
        ("vnp_PayDate", "20261201091500".into()),
        ("vnp_ResponseCode", code.into()),
        ("vnp_TmnCode", TMN.into()),
        ("vnp_TransactionNo", "14226112".into()),
        ("vnp_TransactionStatus", code.into()),
        ("vnp_TxnRef", order_ref.into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    vnpay::signed_url("/api/v1/payments/vnpay/ipn", &p, SECRET)
}

async fn ipn(b: Backend) {
    let app = app_with_gateway(b, "http://127.0.0.1:9", "http://127.0.0.1:9").await;
    let code = awaiting(&app, "999000002100").await;
    let hc = app.login("tiepnhan.haichau").await;
    let o = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments"),
            Some(&hc),
            json!({"provider": "vnpay"}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.body);
    let order = o.body["order_ref"].as_str().unwrap().to_owned();
    assert_eq!(o.body["amount"], 20000);
    assert!(o.body["pay_url"]
        .as_str()
        .unwrap()
        .contains("vnp_SecureHash="));
    let rsp = |r: crate::support::Resp| r.body["RspCode"].as_str().unwrap_or("").to_owned();
    // A tampered call (amount changed after signing), an unknown order, a wrong amount: nothing changes.
    let tampered = signed_ipn(&order, 20000, "00").replace("vnp_Amount=2000000", "vnp_Amount=100");
    assert_eq!(rsp(app.get(&tampered, None).await), "97");
    assert_eq!(
        rsp(app.get(&signed_ipn("H-NOPE-1", 20000, "00"), None).await),
        "01"
    );
    assert_eq!(
        rsp(app.get(&signed_ipn(&order, 1000, "00"), None).await),
        "04"
    );
    let d = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(
        d.body["status"]["code"], 6,
        "refused callbacks change nothing"
    );
    // Ten identical IPNs at once: exactly one records the payment, the others find it confirmed.
    let url = signed_ipn(&order, 20000, "00");
    let calls = (0..10).map(|_| app.get(&url, None));
    let codes: Vec<String> = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(rsp)
        .collect();
    assert_eq!(codes.iter().filter(|c| *c == "00").count(), 1, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| *c == "02").count(), 9, "{codes:?}");
    let m = app
        .get(&format!("/api/v1/dossiers/{code}/payments"), Some(&hc))
        .await;
    let paid: Vec<&Value> = m.body["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["state"] == "paid")
        .collect();
    assert_eq!(paid.len(), 1, "{}", m.body);
    let d = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(
        d.body["status"]["code"], 4,
        "the clock resumed: processing again"
    );
    let confirms = d.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "confirm_payment")
        .count();
    assert_eq!(confirms, 1);
    // A replay later still changes nothing.
    assert_eq!(rsp(app.get(&url, None).await), "02");
    let (s, _, pdf) =
        crate::api_dossiers::fetch(&app, &format!("/api/v1/payments/{order}/receipt.pdf"), &hc)
            .await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"));
    let r = app.get("/api/v1/payments/reconciliation", Some(&hc)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["paid_count"], 1, "{}", r.body);
    assert_eq!(r.body["mismatches"], 0, "{}", r.body);
}
crate::both!(vnpay_ipn_records_a_payment_once, ipn);

async fn counter_and_catalog_fee(b: Backend) {
    let app = TestApp::new(b).await;
    let code = awaiting(&app, "999000002200").await;
    let hc = app.login("tiepnhan.haichau").await;
    // A fee not paid yet is listed as waiting, not as a discrepancy to resolve.
    let r = app.get("/api/v1/payments/reconciliation", Some(&hc)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["mismatches"], 0, "{}", r.body);
    assert!(
        r.body["lines"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["dossier"] == code.as_str() && l["state_vi"] == "Chưa thanh toán"),
        "{}",
        r.body
    );
    let bad = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments/counter"),
            Some(&hc),
            json!({"method": "transfer"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.to_string().contains("reference"), "{}", bad.body);
    let sp = app.login("chuyenvien.haichau").await;
    let no = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments/counter"),
            Some(&sp),
            json!({"method": "cash"}),
        )
        .await;
    assert_eq!(
        no.status,
        StatusCode::FORBIDDEN,
        "the one-stop officer takes the money"
    );
    let ok = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments/counter"),
            Some(&hc),
            json!({"method": "cash"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let d = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(d.body["status"]["code"], 4);
    let m = app
        .get(&format!("/api/v1/dossiers/{code}/payments"), Some(&hc))
        .await;
    assert_eq!(m.body["payments"][0]["method"], "cash");
    assert!(m.body["payments"][0]["receipt_no"]
        .as_str()
        .unwrap()
        .starts_with("BL-2026-"));
    assert_eq!(m.body["fees"][0]["state"], "paid");
    // Without a province gateway, online payment is refused with a clear field error.
    let again = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments"),
            Some(&hc),
            json!({"provider": "vnpay"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}
crate::both!(
    cash_at_the_counter_resumes_the_dossier,
    counter_and_catalog_fee
);

/// Binds a free local port without serving yet.
pub(crate) async fn port() -> (tokio::net::TcpListener, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let a = format!("http://{}", l.local_addr().expect("addr"));
    (l, a)
}

/// The whole journey over sockets: order, the gateway's page, approve, the gateway's IPN to motcua, the
/// citizen's return page, the dossier resumed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_gateway_round_trip() {
    let (me_l, me) = port().await;
    let (gw_l, gw) = port().await;
    let app = app_with_gateway(Backend::Sqlite, &me, &gw).await;
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(
            me_l,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let cfg = motcua::sandbox_gateway::GatewayConfig {
        vnpay: [(TMN.to_owned(), SECRET.to_owned())].into(),
        ipn_url: format!("{me}/api/v1/payments/vnpay/ipn"),
        public: gw.clone(),
        ..Default::default()
    };
    tokio::spawn(motcua::sandbox_gateway::run(gw_l, cfg));
    let code = awaiting(&app, "999000002300").await;
    let hc = app.login("tiepnhan.haichau").await;
    let o = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments"),
            Some(&hc),
            json!({"provider": "vnpay"}),
        )
        .await;
    let pay_url = o.body["pay_url"].as_str().unwrap().to_owned();
    assert!(pay_url.starts_with(&gw), "{pay_url}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client.get(&pay_url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("20.000 đ"), "{html}");
    let order = o.body["order_ref"].as_str().unwrap();
    let r = client
        .post(format!("{gw}/sandbox/vnpay/{order}/approve"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        back.starts_with(&format!("{me}/thanh-toan/ket-qua?")),
        "{back}"
    );
    let d = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(
        d.body["status"]["code"], 4,
        "the IPN resumed the dossier before the citizen came back"
    );
    let ret = client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ret.contains("Đã thanh toán"), "{ret}");
    // A tampered return is refused and says so.
    let bad = client
        .get(back.replace("vnp_ResponseCode=00", "vnp_ResponseCode=24"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(bad.contains("không đúng chữ ký"), "{bad}");
}

/// Each money route answers as the OpenAPI document says.
async fn money_conformance(b: Backend) {
    let app = TestApp::with_config(b, |c| {
        c.payments = vec![
            PaymentProvider {
                province: String::new(),
                provider: "vnpay".into(),
                pay_url: "http://127.0.0.1:9/paymentv2/vpcpay.html".into(),
                api_url: String::new(),
                merchant: TMN.into(),
                secret: Secret(SECRET.into()),
                secret_file: String::new(),
            },
            PaymentProvider {
                province: String::new(),
                provider: "dvcqg".into(),
                pay_url: "http://127.0.0.1:9/dvcqg/init".into(),
                api_url: String::new(),
                merchant: "DOITAC".into(),
                secret: Secret("dvcqg-test-secret".into()),
                secret_file: String::new(),
            },
        ];
    })
    .await;
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    let online = awaiting(&app, "999000002400").await;
    let cash = awaiting(&app, "999000002500").await;
    let hc = app.login("tiepnhan.haichau").await;
    let admin = app.login("quantri.hethong").await;
    let order = format!("{online}-1");
    let mut confirm = motcua_domain::payment::dvcqg::Confirm {
        loai_ban_tin: "CONFIRM".into(),
        ma_loi: "00".into(),
        ma_doi_tac: "DOITAC".into(),
        ma_tham_chieu: "dvc-khong-co".into(),
        so_tien: 1,
        ma_tien_te: "VND".into(),
        ma_giao_dich: "GD1".into(),
        ma_ngan_hang: "NCB".into(),
        thoi_gian_gd: "20261123090000".into(),
        thong_tin_giao_dich: "x".into(),
        ma_xac_thuc: String::new(),
    };
    confirm.sign("dvcqg-test-secret");
    let agency = app.state.db.clone();
    let agency_id: i64 = motcua::on_db!(&agency, |p| sqlx::query_scalar(
        "select id from agencies where identifier = '20242'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    let calls: Vec<crate::openapi::Call<'_>> = vec![
        (
            "post",
            "/api/v1/dossiers/{code}/payments",
            format!("/api/v1/dossiers/{online}/payments"),
            Some(&hc),
            Some(json!({"provider": "vnpay"})),
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/payments",
            format!("/api/v1/dossiers/{online}/payments"),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/payments/vnpay/ipn",
            signed_ipn(&order, 20000, "00"),
            None,
            None,
        ),
        (
            "post",
            "/api/v1/payments/dvcqg/confirm",
            "/api/v1/payments/dvcqg/confirm".into(),
            None,
            Some(serde_json::to_value(&confirm).unwrap()),
        ),
        (
            "post",
            "/api/v1/dossiers/{code}/payments/counter",
            format!("/api/v1/dossiers/{cash}/payments/counter"),
            Some(&hc),
            Some(json!({"method": "cash"})),
        ),
        (
            "get",
            "/api/v1/payments/{order_ref}/receipt.pdf",
            format!("/api/v1/payments/{order}/receipt.pdf"),
            Some(&hc),
            None,
        ),
        (
            "get",
            "/api/v1/payments/reconciliation",
            "/api/v1/payments/reconciliation".into(),
            Some(&hc),
            None,
        ),
        (
            "put",
            "/api/v1/dossiers/{code}/contact",
            format!("/api/v1/dossiers/{cash}/contact"),
            Some(&hc),
            Some(json!({"channels": ["sms"]})),
        ),
        (
            "get",
            "/api/v1/dossiers/{code}/seals",
            format!("/api/v1/dossiers/{cash}/seals"),
            Some(&hc),
            None,
        ),
        (
            "post",
            "/api/v1/seal-keys/agencies/{agency}/rotate",
            format!("/api/v1/seal-keys/agencies/{agency_id}/rotate"),
            Some(&admin),
            None,
        ),
    ];
    let mut seen = crate::openapi::run_calls(&app, &doc, &calls).await;
    let keys: Vec<String> = motcua::on_db!(&agency, |p| sqlx::query_scalar(
        "select key_id from seal_keys"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    let revoke = vec![(
        "post",
        "/api/v1/seal-keys/{key}/revoke",
        format!("/api/v1/seal-keys/{}/revoke", keys[0]),
        Some(admin.as_str()),
        Some(json!({"reason": "Thử thu hồi (demo)"})),
    )];
    seen.extend(crate::openapi::run_calls(&app, &doc, &revoke).await);
    for route in motcua::http::openapi::money::ROUTES {
        assert!(seen.contains(route), "{route:?} has no conformance request");
    }
}
crate::both!(money_routes_match_the_document, money_conformance);

/// The national platform over sockets: INIT (the platform gives the URL), the citizen approves there, the
/// platform's confirm resumes the dossier, the citizen comes back; a status QUERY says paid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_platform_round_trip() {
    let (me_l, me) = port().await;
    let (gw_l, gw) = port().await;
    let (me2, gw2) = (me.clone(), gw.clone());
    let app = TestApp::with_config(Backend::Sqlite, move |c| {
        c.public_url.clone_from(&me2);
        c.payments = vec![PaymentProvider {
            province: String::new(),
            provider: "dvcqg".into(),
            pay_url: format!("{gw2}/dvcqg/init"),
            api_url: format!("{gw2}/dvcqg/query"),
            merchant: "DOITAC".into(),
            secret: Secret("dvcqg-test-secret".into()),
            secret_file: String::new(),
        }];
    })
    .await;
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(
            me_l,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let cfg = motcua::sandbox_gateway::GatewayConfig {
        dvcqg: [("DOITAC".to_owned(), "dvcqg-test-secret".to_owned())].into(),
        dvcqg_confirm_url: format!("{me}/api/v1/payments/dvcqg/confirm"),
        dvcqg_return_url: format!("{me}/thanh-toan/ket-qua"),
        public: gw.clone(),
        ..Default::default()
    };
    tokio::spawn(motcua::sandbox_gateway::run(gw_l, cfg));
    let code = awaiting(&app, "999000002600").await;
    let hc = app.login("tiepnhan.haichau").await;
    let o = app
        .post(
            &format!("/api/v1/dossiers/{code}/payments"),
            Some(&hc),
            json!({"provider": "dvcqg"}),
        )
        .await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.body);
    let order = o.body["order_ref"].as_str().unwrap().to_owned();
    assert!(order.starts_with("dvc"), "{order}");
    let pay_url = o.body["pay_url"].as_str().unwrap().to_owned();
    assert!(
        pay_url.starts_with(&format!("{gw}/dvcqg/pay/")),
        "the platform's INIT answered the URL: {pay_url}"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(&pay_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("20.000 đ") && page.contains(&code), "{page}");
    let r = client
        .post(format!("{pay_url}/approve"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let d = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(
        d.body["status"]["code"], 4,
        "the confirm callback resumed the dossier"
    );
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    let ret = client
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ret.contains("Đã thanh toán"), "{ret}");
    // The platform's QUERY, signed, says the same.
    let q = motcua::integrations::payment::for_province(
        &app.state.config,
        "48",
        motcua_domain::payment::Method::Dvcqg,
    )
    .unwrap()
    .unwrap();
    let a = q
        .query(&order, "", motcua::clock::Clock::now(app.clock.as_ref()))
        .await
        .unwrap();
    assert!(
        matches!(
            a,
            motcua::integrations::payment::Answer::Paid { amount: 20000, .. }
        ),
        "{a:?}"
    );
}

/// The officer's desk: the catalog's per-page fee needs the pages; a typing mistake comes back on the dossier's
/// page with what was typed; the counter's transfer needs its reference; the reconciliation reads a bad date as
/// today with the refusal, and downloads as CSV for Excel.
async fn desk(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let r = app.post("/api/v1/dossiers", Some(&hc), json!({"procedure": "2.000815", "receiving_agency": "20242", "documents": [1], "applicant": {"name": "Lê Thị Hoa (demo)", "id_number": "999000002700"}})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.body["code"].as_str().unwrap().to_owned();
    let no_pages = act(&app, &hc, &code, json!({"action": "request_payment"})).await;
    assert_eq!(no_pages.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_pages.body["error"]["fields"]["pages"]["vi"]
            .as_str()
            .unwrap()
            .contains("2.000 đ/trang"),
        "{}",
        no_pages.body
    );
    let cookie = Some(hc.as_str());
    let path = format!("/can-bo/ho-so/{code}/xu-ly");
    let typo = [
        ("action", "request_payment"),
        ("pages", "5, a"),
        ("collection", "before"),
        ("note", ""),
    ];
    let (s, _, page) = app
        .form_post(&path, cookie, Some(crate::support::CSRF), &typo)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("data-test=\"code\"") && page.contains("value=\"5, a\""),
        "{page}"
    );
    assert!(
        page.contains("value=\"before\" selected"),
        "the collection chosen is kept"
    );
    let ok = [
        ("action", "request_payment"),
        ("pages", "5, 1"),
        ("collection", "before"),
        ("note", ""),
    ];
    let (s, _, _) = app
        .form_post(&path, cookie, Some(crate::support::CSRF), &ok)
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let m = app
        .get(&format!("/api/v1/dossiers/{code}/payments"), Some(&hc))
        .await;
    assert_eq!(m.body["fees"][0]["amount"], 9000, "{}", m.body);
    assert_eq!(m.body["fees"][0]["collection"], "before");
    assert_eq!(m.body["fees"][0]["lines"][0][1], "7.000 đ");
    let take = format!("/can-bo/ho-so/{code}/thu-phi");
    let (s, _, page) = app
        .form_post(
            &take,
            cookie,
            Some(crate::support::CSRF),
            &[("method", "transfer"), ("reference", "")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("counter-payment-error") && page.contains("value=\"transfer\" checked"),
        "{page}"
    );
    let (s, _, _) = app
        .form_post(
            &take,
            cookie,
            Some(crate::support::CSRF),
            &[("method", "transfer"), ("reference", "FT26335123456")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, page) = app
        .page(
            "/can-bo/thanh-toan?ngay=hom-nay",
            &format!("motcua_session={hc}"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("recon-error") && page.contains("FT26335123456") && page.contains("9.000 đ"),
        "{page}"
    );
    let (s, headers, csv) = app
        .page("/can-bo/thanh-toan.csv", &format!("motcua_session={hc}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(
        csv.starts_with('\u{feff}') && csv.contains("Mã hồ sơ,Thủ tục") && csv.contains("9000"),
        "{csv}"
    );
}
crate::both!(the_officers_desk_keeps_what_was_typed, desk);
