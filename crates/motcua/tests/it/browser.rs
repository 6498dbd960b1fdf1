//! Whole journeys in a real headless Chromium through chromedriver, with axe-core on every page type and a
//! screenshot of every step under `target/browser-shots/`.

use crate::support::{Backend, TestApp};
use crate::webdriver::Browser;
use std::net::SocketAddr;
use std::path::PathBuf;

const PASSWORD: &str = motcua::service::demo::DEMO_PASSWORD;
/// A demo card (999… numbers are never issued): ID | old ID | name | birth | sex | address | issued.
const CARD_QR: &str = "999000000777|123456789|Trần Thị Mẫu|01011990|Nữ|12 Trần Phú, Phường Hải Châu, Thành phố Đà Nẵng|01012021";

pub(crate) async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app.router.clone();
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    format!("http://{addr}")
}

pub(crate) fn shots(name: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/browser-shots")
        .join(name);
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).expect("shots");
    p.canonicalize().expect("shots path")
}

/// A one-page PDF (what a scanner or a signing tool produces, in miniature).
fn pdf(path: &std::path::Path, text: &str) {
    let content = format!("BT /F1 18 Tf 40 100 Td ({text}) Tj ET");
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    std::fs::write(path, out).expect("pdf");
}

pub(crate) fn login(b: &Browser, user: &str) {
    b.go("/dang-nhap");
    b.fill("#username", user);
    b.fill("#password", PASSWORD);
    b.nav("form.narrow button[type=submit]");
    let who = b.text("[data-test=signed-in]");
    assert!(
        !who.is_empty(),
        "{user} is signed in; page: {}",
        b.text("main")
    );
}

fn logout(b: &Browser) {
    b.nav("form.who button");
    assert!(b.has("a.signin"), "signed out");
}

/// Runs one of the journey's actions on the officer's dossier page.
fn act(b: &Browser, action: &str, fill: &[(&str, &str)]) {
    b.click(&format!("[data-test=do-{action}]"));
    for (css, v) in fill {
        if css.ends_with("-assignee") {
            // Who takes the next step is a pick list of the units' officers.
            b.select(css, v);
        } else {
            b.fill(css, v);
        }
    }
    b.nav(&format!("[data-test=confirm-{action}]"));
    assert!(
        !b.has("[data-test=error]"),
        "{action} failed: {}",
        b.text("main")
    );
}

/// Fetches a path with a browser's session cookie, outside the browser (a PDF the officer prints).
pub(crate) fn fetch(base: &str, path: &str, session: &str) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: motcua_session={session}\r\nConnection: close\r\n\r\n").expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read");
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers")
        + 4;
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut body = buf[split..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").expect("chunk");
            let n =
                usize::from_str_radix(std::str::from_utf8(&rest[..nl]).expect("hex").trim(), 16)
                    .expect("size");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 4 + n..];
        }
        body = out;
    }
    (status, head, body)
}

fn pdf_text(bytes: &[u8]) -> String {
    crate::api_dossiers::pdf_text(bytes)
}

/// Citizen finds a procedure and applies online with uploads → officer accepts → specialist asks for a supplement →
/// citizen answers it online → specialist uploads the result → leader approves → result returned online → citizen
/// tracks, downloads the result and rates. Also: English pages, and counter intake with a scanned ID card QR and
/// the printed receipt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys() {
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let dir = shots("journeys");
    let scan = dir.join("to-khai.pdf");
    pdf(&scan, "To khai dang ky khai sinh (demo)");
    let result = dir.join("giay-khai-sinh.pdf");
    pdf(&result, "Giay khai sinh (demo) - ban dien tu");
    let base2 = base.clone();
    let code = tokio::task::spawn_blocking(move || {
        let mut b = Browser::start(&base2, &dir, 412, 915);
        // 1. The citizen searches without diacritics and opens the procedure.
        b.go("/");
        // axe really runs: a field without a label is reported.
        b.script("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=unlabelled>')");
        assert!(b.axe().iter().any(|v| v.starts_with("label")), "axe reports an unlabelled field");
        b.go("/");
        b.check("trang-chu");
        b.fill("#q", "dang ky khai sinh");
        b.nav("form.search button");
        assert!(b.text("[data-test=result-count]").contains("thủ tục"));
        b.check("ket-qua-tim-kiem");
        b.nav("a[href='/thu-tuc/1.001193']");
        assert!(b.text("h1").contains("đăng ký khai sinh"));
        assert!(b.text("main").contains("Miễn phí"), "fee per channel shown");
        // Papers to bring come first, before the long text; a paper needed only in its situation says so.
        let order = b.script("const a = document.querySelector('[data-test=papers-to-bring]'); const t = document.querySelector('main table'); return !!a && !!t && !!(a.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);");
        assert_eq!(order, serde_json::json!(true), "papers before the channels table");
        let bring = b.text("[data-test=papers-to-bring]");
        assert!(bring.contains("Giấy chứng sinh") && bring.contains("chỉ khi thuộc trường hợp nêu"), "{bring}");
        assert!(!b.text("main").contains("số lượng: 0"), "notes are not papers");
        b.check("thu-tuc");
        // 2. Applying needs sign-in, then comes back to the procedure.
        b.nav("[data-test=submit-online]");
        assert!(b.path().starts_with("/dang-nhap"), "sign-in first: {}", b.path());
        b.check("dang-nhap");
        b.fill("#username", "congdan.demo");
        b.fill("#password", PASSWORD);
        b.nav("form.narrow button[type=submit]");
        assert_eq!(b.path(), "/thu-tuc/1.001193", "{}", b.text("main"));
        b.nav("[data-test=submit-online]");
        // 3. One question per page: applicant, where, documents, review.
        b.fill("#id_number", "999000000555");
        b.fill("#phone", "0905000555");
        b.fill("#address", "(demo) 5 Lê Duẩn, Phường Hải Châu, Đà Nẵng");
        b.check("nop-1-nguoi-nop");
        b.nav("[data-test=next]");
        b.select("#province", "48");
        b.nav("[data-test=next]");
        b.select("#agency", "20242");
        b.check("nop-2-noi-nop");
        b.nav("[data-test=next]");
        // Online, an ordinary birth needs the birth certificate uploaded (the declaration is this form, identity is
        // looked up); the abandoned-child, authorisation and surrogacy papers are there but not required.
        assert!(b.text("main").contains("bị bỏ rơi"), "{}", b.text("main"));
        b.check("nop-3-giay-to");
        b.nav("[data-test=next]");
        assert!(b.path().contains("buoc=xem-lai"), "review page: {}", b.path());
        assert!(b.text("main").contains("•••"), "the ID number is masked on review");
        assert!(b.text("main").contains("chưa có — bắt buộc"), "{}", b.text("main"));
        b.check("nop-4-xem-lai");
        // Submitting with required papers missing is refused on the same page, saying which.
        b.click("input[name=confirm]");
        b.nav("[data-test=submit]");
        assert!(
            b.text("[data-test=form-error]").contains("Vui lòng tải lên"),
            "{}",
            b.text("main")
        );
        b.check("nop-thieu-giay-to");
        b.nav("a[href$='buoc=giay-to']");
        b.fill("#file_4", scan.to_str().expect("path"));
        b.nav("[data-test=next]");
        assert!(!b.text("main").contains("chưa có — bắt buộc"), "{}", b.text("main"));
        // Save and resume: the draft is listed under "my dossiers" and opens again.
        let review = b.path();
        b.go("/ho-so-cua-toi");
        assert!(b.has("[data-test=drafts] a"), "the saved application is listed");
        b.check("ho-so-cua-toi");
        b.go("/thu-tuc/9.999999");
        assert!(b.has("[data-test=error]"), "an unknown procedure is a page, not a blank");
        b.check("loi-404");
        b.go(&review);
        b.click("input[name=confirm]");
        b.nav("[data-test=submit]");
        assert!(b.has("[data-test=submitted]"), "{}", b.text("main"));
        b.check("nop-xong");
        let code = b.text("[data-test=code]");
        assert_eq!(code.len(), 17, "dossier code {code}");
        logout(&b);

        // 4. The one-stop officer finds it, checks the documents and accepts it.
        login(&b, "tiepnhan.haichau");
        b.check("can-bo-viec");
        // The idle warning comes before the session ends and "stay" keeps it (here with a 122 s idle time).
        b.script("document.body.setAttribute('data-idle-seconds', '122'); document.dispatchEvent(new Event('motcua-rearm'))");
        b.find("[data-test=timeout-warning] button");
        assert!(b.text("[data-test=timeout-warning]").contains("hết hạn"));
        b.check("canh-bao-het-phien");
        b.click("[data-test=timeout-warning] button");
        b.wait_gone("[data-test=timeout-warning]");
        b.go(&format!("/can-bo/ho-so/{code}"));
        b.check("can-bo-ho-so-moi");
        b.click("[data-test=do-accept]");
        // The papers the citizen uploaded come ticked; the officer ticks the other required ones seen.
        let ticked = b.script("return document.querySelectorAll('details[open] input[name=documents]:checked').length");
        assert!(ticked.as_u64().unwrap_or(0) >= 1, "uploaded papers come ticked");
        b.script("document.querySelectorAll('details[open] input[name=documents]').forEach(e => { if (!e.checked && e.closest('label').textContent.includes('bắt buộc')) e.click(); })");
        b.nav("[data-test=confirm-accept]");
        assert!(!b.has("[data-test=error]"), "{}", b.text("main"));
        act(&b, "forward", &[("#forward-assignee", "chuyenvien.haichau")]);
        logout(&b);

        // 5. The specialist asks for a supplement.
        login(&b, "chuyenvien.haichau");
        b.go("/can-bo?list=mine");
        assert!(b.has(&format!("[data-test=open-{code}]")), "in the specialist's list");
        b.check("chuyen-vien-viec");
        b.nav(&format!("[data-test=open-{code}]"));
        act(
            &b,
            "request_supplement",
            &[
                ("#request_supplement-note", "Tờ khai chưa có chữ ký của người yêu cầu"),
                ("#request_supplement-missing", "Tờ khai đăng ký khai sinh có chữ ký"),
            ],
        );
        assert!(b.text("[data-test=status]").contains("bổ sung"));
        b.check("chuyen-vien-yeu-cau-bo-sung");
        logout(&b);

        // 6. The citizen answers online.
        login(&b, "congdan.demo");
        b.go(&format!("/ho-so-cua-toi/{code}"));
        assert!(b.text("[data-test=supplement]").contains("chữ ký"));
        b.check("cong-dan-bo-sung");
        b.fill("#file", scan.to_str().expect("path"));
        b.nav("[data-test=send-supplement]");
        assert!(!b.has("[data-test=supplement]"), "answered: {}", b.text("main"));
        logout(&b);

        // 7. Specialist uploads the signed result and forwards; leader approves; the officer returns it online.
        login(&b, "chuyenvien.haichau");
        b.go(&format!("/can-bo/ho-so/{code}"));
        b.select("#component", "khac");
        b.fill("#component_other", "Giấy khai sinh (bản điện tử)");
        b.fill("#file", result.to_str().expect("path"));
        b.click("input[name=result]");
        b.nav("[data-test=upload]");
        assert!(b.text("[data-test=documents]").contains("giay-khai-sinh.pdf"));
        act(&b, "forward", &[]);
        logout(&b);
        login(&b, "lanhdao.haichau");
        b.go("/can-bo?list=pool");
        assert!(b.text("[data-test=list-pool]").contains("Chờ phê duyệt"));
        b.check("lanh-dao-hang-cho");
        b.nav(&format!("[data-test=open-{code}]"));
        b.check("lanh-dao-phe-duyet");
        act(&b, "approve", &[]);
        logout(&b);
        login(&b, "tiepnhan.haichau");
        b.go(&format!("/can-bo/ho-so/{code}"));
        b.click("[data-test=do-return_result]");
        b.select("#return_result-method", "online");
        b.nav("[data-test=confirm-return_result]");
        assert!(b.text("[data-test=status]").contains("trả kết quả"), "{}", b.text("main"));
        b.check("tra-ket-qua");
        logout(&b);

        // 8. The citizen tracks it, downloads the result and rates the service.
        login(&b, "congdan.demo");
        b.go(&format!("/ho-so-cua-toi/{code}"));
        b.nav("[data-test=track-link]");
        assert!(b.text("[data-test=status]").contains("Đã trả kết quả"));
        b.check("tra-cuu-ket-qua");
        let href = b.script("return document.querySelector('[data-test=result-link]').getAttribute('href')");
        let (status, head, body) = fetch(&base2, href.as_str().expect("href"), "");
        assert_eq!(status, 200, "{head}");
        assert!(body.starts_with(b"%PDF"), "the e-result is the uploaded PDF");
        assert!(
            head.to_ascii_lowercase().contains("filename*=utf-8''giay-khai-sinh.pdf"),
            "{head}"
        );
        b.click("input[name=level][value='1']");
        b.nav("[data-test=rate-form] button");
        assert!(b.has("[data-test=rated]"));
        b.check("danh-gia-xong");

        // 9. The same pages in English.
        b.nav("[data-test=lang-switch]");
        assert_eq!(b.script("return document.documentElement.lang"), "en");
        assert!(b.text("[data-test=status]").contains("Result returned"), "{}", b.text("main"));
        b.check("tracking-en");
        b.go("/thu-tuc/1.001193");
        assert!(b.text("main").contains("Where to submit"));
        b.check("procedure-en");
        b.nav("[data-test=lang-switch]");
        logout(&b);

        // 10. Counter intake: scan the card's QR, tick the checklist, receive, print the receipt.
        let mut d = Browser::start(&base2, &b.shots.join("quay"), 1280, 900);
        login(&d, "tiepnhan.haichau");
        d.go("/can-bo/tiep-nhan");
        d.fill("#q", "khai sinh");
        d.nav("main form button");
        d.nav("[data-test='pick-1.001193']");
        d.keys("#qr", &format!("{CARD_QR}\u{E007}"));
        assert_eq!(d.value("#id_number"), "999000000777", "the QR filled the ID number");
        assert_eq!(d.value("#name"), "Trần Thị Mẫu");
        d.fill("#phone", "0905000777");
        // Once-only: look for digitized documents of this person (none: a first visit); nothing is created.
        d.nav("[data-test=find-reuse]");
        assert!(d.has("[data-test=no-reuse]"), "{}", d.text("main"));
        assert_eq!(d.value("#phone"), "0905000777", "what was typed is kept");
        let n = d.script("return document.querySelectorAll('input[name=documents]').length");
        for i in 1..=n.as_u64().unwrap_or(0) {
            d.click(&format!("input[name=documents][value='{i}']"));
        }
        d.check("quay-tiep-nhan");
        d.nav("[data-test=intake-submit]");
        assert!(d.has("[data-test=received]"), "{}", d.text("main"));
        d.check("quay-da-tiep-nhan");
        let counter_code = d.text("[data-test=code]");
        let session = d.cookie("motcua_session").expect("session cookie");
        let (st, _, receipt) = fetch(&base2, &format!("/api/v1/dossiers/{counter_code}/receipt.pdf"), &session);
        assert_eq!(st, 200);
        let text = pdf_text(&receipt);
        assert!(text.contains(&counter_code), "the printed receipt names the dossier");
        assert!(text.contains("Trần Thị Mẫu"), "and the applicant");
        std::fs::write(d.shots.join("giay-tiep-nhan.pdf"), &receipt).expect("receipt");
        // The online applicant comes to the counter for another birth registration: the documents digitized with
        // the first application are offered and reused, not asked for again.
        d.go("/can-bo/tiep-nhan?thu_tuc=1.001193");
        d.fill("#name", "(demo) Nguyễn Văn An");
        d.fill("#id_number", "999000000555");
        d.nav("[data-test=find-reuse]");
        assert!(d.text("[data-test=reuse-offers]").contains("to-khai.pdf"), "{}", d.text("main"));
        d.check("quay-dung-lai");
        d.click("[data-test=reuse-offers] input[name=reuse]");
        let n = d.script("return document.querySelectorAll('input[name=documents]').length");
        for i in 1..=n.as_u64().unwrap_or(0) {
            d.click(&format!("input[name=documents][value='{i}']"));
        }
        d.nav("[data-test=intake-submit]");
        assert!(d.has("[data-test=received]"), "{}", d.text("main"));
        assert!(d.text("[data-test=documents]").contains("to-khai.pdf"), "reused: {}", d.text("main"));
        d.go("/can-bo");
        d.check("quay-viec");
        code
    })
    .await
    .expect("journey");

    // What the browser did is in the store: the rating, and the returned status.
    let officer = app.login("tiepnhan.haichau").await;
    let r = app
        .get(&format!("/api/v1/dossiers/{code}"), Some(&officer))
        .await;
    assert_eq!(r.body["status"]["code"], 10);
    let docs = r.body["documents"].as_array().cloned().unwrap_or_default();
    assert!(docs.iter().any(|d| d["is_result"] == true));
    assert!(
        docs.iter().filter(|d| d["is_result"] == false).count() >= 2,
        "the birth certificate and the supplement"
    );
}

/// An administrator (with the second factor) manages users, the catalog lists, a workflow, the calendar and
/// counters; a citizen sends feedback and the province center answers it in public.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administration_and_feedback() {
    use crate::support::NowTs;
    let app = TestApp::new(Backend::Sqlite).await;
    let base = serve(&app).await;
    let dir = shots("quan-tri");
    let otp =
        motcua::auth::totp(motcua::service::demo::DEMO_TOTP, app.clock.now_ts()).expect("otp");
    let base2 = base.clone();
    tokio::task::spawn_blocking(move || {
        let mut b = Browser::start(&base2, &dir, 1280, 900);
        // Without the second factor an administrator is refused.
        b.go("/dang-nhap");
        b.fill("#username", "quantri.danang");
        b.fill("#password", PASSWORD);
        b.nav("form.narrow button[type=submit]");
        assert!(b.has("[data-test=login-error]"), "MFA required");
        b.fill("#password", PASSWORD);
        b.fill("#otp", &otp);
        b.nav("form.narrow button[type=submit]");
        b.go("/quan-tri");
        b.check("quan-tri");
        // Users: add a specialist, then disable the account.
        b.go("/quan-tri/nguoi-dung");
        b.fill("#username", "chuyenvien2.haichau");
        b.fill("#display_name", "(demo) Phạm Văn Mới");
        b.select("#role", "specialist");
        b.fill("#agency", "20242.UBND");
        b.fill("#password", "mat-khau-tam-2026!");
        b.nav("[data-test=create-user]");
        assert!(b.text("[data-test=created]").contains("chuyenvien2.haichau"), "{}", b.text("main"));
        b.check("nguoi-dung");
        let disable = b.script(
            "const row = [...document.querySelectorAll('tr')].find(r => r.textContent.includes('chuyenvien2.haichau')); row.querySelector('form').id = 'lock-new'; return true",
        );
        assert_eq!(disable, serde_json::Value::Bool(true));
        b.nav("#lock-new button");
        assert!(b.script("return [...document.querySelectorAll('tr')].find(r => r.textContent.includes('chuyenvien2.haichau')).textContent").as_str().unwrap_or("").contains("Đã khóa"));
        // Agencies.
        b.go("/quan-tri/co-quan");
        assert!(b.text("main").contains("Trung tâm Phục vụ hành chính công Phường Hải Châu"));
        b.fill("#identifier", "H48.99.DEMO");
        b.fill("#name", "(demo) Chi nhánh Văn phòng đăng ký đất đai khu vực Hải Châu");
        b.select("#kind", "branch");
        b.fill("#unit", "20242");
        b.nav("[data-test=add-agency]");
        assert!(b.text("main").contains("H48.99.DEMO"), "{}", b.text("main"));
        b.fill("#unit", "26743");
        b.fill("#identifier", "H79.99.DEMO");
        b.fill("#name", "(demo) ngoài tỉnh");
        b.nav("[data-test=add-agency]");
        assert!(b.has("[data-test=form-error]"), "a unit of another province is refused, on the form");
        assert_eq!(
            b.script("return document.getElementById('identifier').value"),
            "H79.99.DEMO",
            "what was typed is kept"
        );
        b.go("/quan-tri/co-quan");
        b.check("co-quan");
        // Catalog: make birth registration fully online and boundary-free.
        b.go("/quan-tri/thu-tuc?ds=xa&q=1.001193");
        b.check("thu-tuc-xa");
        b.select("#ol-1\\.001193", "full");
        b.click("tr input[name=boundary_free]");
        b.nav("tr form button");
        // The province's own lists, beside the national catalog (which a province administrator never changes).
        b.go("/thu-tuc/1.001193");
        let own = b.text("[data-test=province-flags]");
        assert!(own.contains("Đà Nẵng") && own.contains("toàn trình") && own.contains("phi địa giới"), "{own}");
        assert!(!b.text("[data-test=online-level]").contains("toàn trình"), "the national level is unchanged");
        b.go("/quan-tri/thu-tuc?ds=phi-dia-gioi");
        assert!(b.text("main").contains("1.001193"));
        // The province's boundary-free list, imported as a file (one code per line).
        let list = b.shots.join("phi-dia-gioi.txt");
        std::fs::write(&list, "# (demo) danh sách phi địa giới\n1.000894\n").expect("list");
        b.go("/quan-tri/thu-tuc?ds=xa");
        b.select("#import-kind", "boundary_free");
        b.fill("#csv", list.to_str().expect("path"));
        b.nav("form[enctype] button");
        assert!(b.text("[data-test=imported]").contains('1'), "{}", b.text("main"));
        b.go("/quan-tri/thu-tuc?ds=phi-dia-gioi");
        assert!(b.text("main").contains("1.000894"), "imported");
        // Workflow editor: a new version.
        b.go("/quan-tri/quy-trinh/1.001193");
        b.check("quy-trinh");
        let before = b.text(".lead");
        assert!(b.text("[data-test=budget-left]").contains("vừa đủ"), "{}", b.text("[data-test=budget-left]"));
        // Budgets in hours and minutes: the remaining time follows the typing, a sum short of the limit is refused
        // with what is missing and the input kept.
        let first = b.value("#days-0");
        b.fill("#days-0", "1 giờ 30 phút");
        let left = b.text("[data-test=budget-left]");
        assert!(left.contains("còn lại") || left.contains("vượt"), "{left}");
        b.fill("#note", "(demo) rà soát quy trình");
        b.nav("[data-test=save-workflow]");
        if !first.starts_with("1 giờ 30") {
            assert!(b.text("[data-test=form-error]").contains("phải bằng thời hạn"), "{}", b.text("main"));
            assert_eq!(b.value("#days-0"), "1 giờ 30 phút");
            b.fill("#days-0", &first);
        }
        b.nav("[data-test=save-workflow]");
        assert!(!b.has("[data-test=form-error]"), "{}", b.text("main"));
        assert!(b.text("[data-test=workflow-saved]").contains("phiên bản"), "{}", b.text("main"));
        assert_ne!(b.text(".lead"), before, "a new version: {}", b.text(".lead"));
        // Calendar: national, so a province administrator reads it and cannot change it.
        b.go("/quan-tri/ngay-nghi?nam=2026");
        assert!(b.text("[data-test=holidays]").contains("02/09/2026"), "National Day");
        assert!(b.has("[data-test=calendar-national]") && !b.has("[data-test=add-override]"));
        b.check("ngay-nghi");
        // Counters.
        b.go("/quan-tri/quay");
        b.fill("#agency", "20242");
        b.fill("#number", "5");
        b.fill("#name", "Quầy 5 — Hộ tịch buổi chiều");
        b.fill("#fields", "Hộ tịch; Chứng thực");
        b.nav("[data-test=add-counter]");
        assert!(b.text("[data-test=counters]").contains("Quầy 5 — Hộ tịch buổi chiều"), "{}", b.text("main"));
        b.check("quay");
        logout(&b);

        // Feedback: sent anonymously to the province, answered by its center, published.
        b.go("/phan-anh");
        b.check("phan-anh");
        b.select("#province", "48");
        b.fill("#title", "(demo) Đề nghị bố trí thêm quầy buổi chiều");
        b.fill("#body", "Buổi chiều thứ Hai thường phải chờ lâu ở quầy hộ tịch.");
        b.fill("#name", "(demo) Người gửi");
        b.fill("#contact", "0905000999");
        b.nav("[data-test=send-feedback]");
        assert!(b.text("[data-test=feedback-sent]").contains("PA-"), "{}", b.text("main"));
        login(&b, "tiepnhan.tinhdanang");
        b.go("/can-bo/phan-anh");
        assert!(b.text("main").contains("0905000999"), "the unit sees the contact");
        b.check("tra-loi-phan-anh");
        b.fill("textarea[name=answer]", "Trung tâm đã bố trí thêm một quầy hộ tịch chiều thứ Hai từ tuần sau.");
        b.click("input[name=publish]");
        b.nav("article form button");
        logout(&b);
        b.go("/phan-anh");
        let published = b.text("[data-test=published]");
        assert!(published.contains("thêm một quầy"), "{published}");
        assert!(!b.text("main").contains("0905000999"), "the sender is never published");
        b.check("phan-anh-cong-khai");
    })
    .await
    .expect("administration");
    // The changes are audited.
    let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from audit_log where action in ('create_user', 'disable_user', 'add_agency', 'edit_procedure', 'import_boundary_free', 'calendar_override', 'add_counter')"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(n, 6);
}
