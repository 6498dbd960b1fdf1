//! The center floor in a real headless Chromium: the kiosk (scan → procedure → number and prefilled declaration),
//! the citizen's phone (a number from the QR poster, its position), the officer's desk (call → the hall display
//! shows it within a second → the number becomes a dossier), with axe-core on every page type.

use crate::browser::{fetch, login, serve, shots};
use crate::support::{Backend, TestApp};
use crate::webdriver::Browser;
use std::time::{Duration, Instant};

const QR: &str = "999000001235||Phạm Văn Kiốt (demo)|02031948|Nam|Phường Thạch Thang, Quận Hải Châu, Thành phố Đà Nẵng|10102021";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kiosk_phone_desk_and_display() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let dir = shots("quay-so");
    tokio::task::spawn_blocking(move || {
        // The hall display, on a TV.
        let mut tv = Browser::start(&base, &dir.join("man-hinh"), 1920, 1080);
        tv.go("/man-hinh/20242");
        tv.check("man-hinh");
        // The kiosk: a scanner types the QR and Enter.
        let mut k = Browser::start(&base, &dir.join("ki-ot"), 1080, 1700);
        k.go("/ki-ot/20242");
        k.check("bat-dau");
        k.keys("#qr", "not a card\u{E007}");
        // The scanner's Enter submits: wait for the answer page (up to 5 s), not the page it replaces.
        k.find("[data-test=kiosk-error]");
        k.check("quet-sai");
        k.keys("#qr", &format!("{QR}\u{E007}"));
        k.find("[data-test=kiosk-hello]");
        assert!(k
            .text("[data-test=kiosk-hello]")
            .contains("Phạm Văn Kiốt (demo)"));
        assert!(
            k.text("main").contains("nay: Phường Hải Châu"),
            "today's ward"
        );
        k.check("chon-thu-tuc");
        k.fill("#kq", "khai sinh");
        k.nav("[data-test=kiosk-search]");
        k.check("tim-thu-tuc");
        k.nav("[data-test='kiosk-pick-1.001193']");
        assert_eq!(k.text("[data-test=ticket-label]"), "A001");
        k.check("so-thu-tu");
        let href = k.script(
            "return document.querySelector('[data-test=print-declaration]').getAttribute('href')",
        );
        let (st, _, pdf) = fetch(&base, href.as_str().unwrap(), "");
        assert_eq!(st, 200);
        let text = crate::api_dossiers::pdf_text(&pdf);
        assert!(
            text.contains("Phạm Văn Kiốt (demo)") && text.contains("02/03/1948"),
            "{text}"
        );
        std::fs::write(k.shots.join("to-khai.pdf"), &pdf).expect("pdf");
        // Nothing personal stays: the kiosk goes back to its start by itself (60 s, shortened here).
        k.script("document.body.setAttribute('data-reset-seconds', '1')");
        k.go("/ki-ot/20242");
        assert!(!k.text("main").contains("Phạm Văn Kiốt"));

        // The phone: the QR poster's page, a number, its position.
        let mut p = Browser::start(&base, &dir.join("dien-thoai"), 412, 915);
        p.go("/xep-hang/20242");
        p.check("chon-dich-vu");
        p.nav("[data-test=phone-take]");
        assert!(
            p.has("[data-test=error]") || p.text("main").contains("Chọn một dịch vụ"),
            "no service chosen: refused"
        );
        p.click("[data-test=phone-service-A]");
        p.nav("[data-test=phone-take]");
        assert_eq!(p.text("[data-test=phone-label]"), "A002");
        assert!(
            p.text("[data-test=phone-position]").contains('1'),
            "one ahead: {}",
            p.text("main")
        );
        p.check("so-tren-dien-thoai");

        // The desk: call the next number; the display shows it within a second.
        let mut d = Browser::start(&base, &dir.join("quay"), 1280, 900);
        login(&d, "tiepnhan.haichau");
        d.go("/can-bo/xep-hang");
        d.check("ban-goi-so");
        d.nav("[data-test=call-next]");
        let t0 = Instant::now();
        while !tv.text("#tv-now").contains("A001") {
            assert!(
                t0.elapsed() < Duration::from_secs(1),
                "the display did not update within a second"
            );
        }
        tv.check("man-hinh-goi-so");
        assert_eq!(d.text("[data-test=current-ticket]"), "A001");
        d.check("dang-phuc-vu");
        // The number becomes a dossier: the intake is prefilled from the kiosk's read.
        d.nav("[data-test=intake-from-ticket]");
        assert_eq!(d.value("#name"), "Phạm Văn Kiốt (demo)");
        assert_eq!(d.value("#id_number"), "999000001235");
        assert!(d.text("[data-test=intake-ticket]").contains("A001"));
        let n = d.script("return document.querySelectorAll('input[name=documents]').length");
        for i in 1..=n.as_u64().unwrap_or(0) {
            d.click(&format!("input[name=documents][value='{i}']"));
        }
        d.nav("[data-test=intake-submit]");
        assert!(d.has("[data-test=received]"), "{}", d.text("main"));
        d.go("/can-bo/xep-hang");
        assert!(
            d.text("main").contains("Đã tiếp nhận hồ sơ"),
            "{}",
            d.text("main")
        );
        d.nav("[data-test=ticket-finish]");
        assert!(d.has("[data-test=no-current]"));
        // The phone's ticket is next: the phone sees it called.
        d.nav("[data-test=call-next]");
        p.go(&p.path());
        assert!(
            p.text("[data-test=phone-state]").contains("quầy"),
            "{}",
            p.text("main")
        );
        p.check("da-goi");
        // The director's figures.
        let mut g = Browser::start(&base, &dir.join("giam-doc"), 1280, 900);
        login(&g, "giamdoc.haichau");
        g.go("/can-bo/xep-hang/so-lieu?thu=2");
        assert!(g.has("[data-test=live-level]"));
        g.check("so-lieu");
    })
    .await
    .expect("floor journey");
}
