//! The money journey in a real browser: a citizen on a phone pays from the tracking page through the sandbox
//! gateway and comes back to "paid" with the e-receipt; the officer sees it in the day's reconciliation; every page
//! passes axe.

use crate::browser::{login, shots};
use crate::payments::{app_with_gateway, awaiting, port};
use crate::support::Backend;
use crate::webdriver::Browser;
use std::net::SocketAddr;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_pays_online_and_the_officer_reconciles() {
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
        vnpay: [(
            "MOTCUATEST".to_owned(),
            "motcua-test-vnpay-secret".to_owned(),
        )]
        .into(),
        ipn_url: format!("{me}/api/v1/payments/vnpay/ipn"),
        public: gw.clone(),
        ..Default::default()
    };
    tokio::spawn(motcua::sandbox_gateway::run(gw_l, cfg));
    let code = awaiting(&app, "999000002800").await;
    let dir = shots("pay");
    let (base, c2) = (me.clone(), code.clone());
    let receipt = tokio::task::spawn_blocking(move || {
        let mut b = Browser::start(&base, &dir, 412, 915);
        b.go("/tra-cuu");
        b.fill("input[name=ma]", &c2);
        b.fill("input[name=so]", "999000002800");
        b.nav("form[method=post] button[type=submit]");
        assert!(
            b.text("[data-test=fee-due]").contains("20.000 đ"),
            "{}",
            b.text("main")
        );
        b.check("tra-cuu-cho-nop");
        b.nav("[data-test=pay-vnpay]");
        assert!(
            b.text("main").contains("20.000 đ"),
            "the gateway's page: {}",
            b.text("main")
        );
        b.nav("button.ok");
        assert!(
            b.text("[data-test=pay-result]").contains("Đã thanh toán"),
            "{}",
            b.text("main")
        );
        b.check("ket-qua-thanh-toan");
        b.nav("[data-test=back]");
        assert!(
            b.text("[data-test=paid]").contains("20.000 đ"),
            "{}",
            b.text("main")
        );
        b.check("tra-cuu-da-nop");
        let href = b.script("return document.querySelector('[data-test=receipt]').href");
        let mut desk = Browser::start(&base, &dir, 1366, 900);
        login(&desk, "tiepnhan.haichau");
        desk.go("/can-bo/thanh-toan");
        assert_eq!(desk.text("[data-test=paid-count]"), "1");
        assert_eq!(desk.text("[data-test=mismatches]"), "0");
        desk.check("doi-soat");
        desk.go(&format!("/can-bo/ho-so/{c2}"));
        assert!(
            desk.text("[data-test=money]").contains("Đã thanh toán"),
            "{}",
            desk.text("[data-test=money]")
        );
        desk.check("ho-so-da-thu");
        href.as_str().unwrap_or_default().to_owned()
    })
    .await
    .unwrap();
    let pdf = reqwest::get(&receipt).await.unwrap().bytes().await.unwrap();
    let text = crate::api_dossiers::pdf_text(&pdf);
    assert!(
        text.contains("BIÊN LAI THU PHÍ") && text.contains("Hai mươi nghìn đồng"),
        "{text}"
    );
    let hc = app.login("tiepnhan.haichau").await;
    let d = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&hc))
        .await;
    assert_eq!(d.body["status"]["code"], 4, "the dossier's clock resumed");
}
