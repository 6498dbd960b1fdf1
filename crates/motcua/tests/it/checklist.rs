//! The document checklist is the procedure's real list: papers always needed, cases (one applies), papers needed only
//! in their situation, alternatives and notes; the receipt lists what was received; a province corrects the list.

use crate::api_dossiers::{fetch, pdf_text};
use crate::both;
use crate::support::{Backend, TestApp, CSRF};
use axum::http::StatusCode;
use serde_json::json;

fn applicant(id: &str) -> serde_json::Value {
    json!({"name": "Võ Thị Hạnh (demo)", "id_number": id})
}

fn flat(pdf: &[u8]) -> String {
    pdf_text(pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn birth_and_residence(b: Backend) {
    let app = TestApp::new(b).await;
    let hc = app.login("tiepnhan.haichau").await;
    let p = app.get("/api/v1/procedures/1.001193", None).await;
    let c = &p.body["checklist"];
    assert_eq!(c["source"], "parsed");
    assert_eq!(c["cases"], json!([]));
    let required: Vec<u64> = c["papers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["need"] == "required")
        .map(|p| p["number"].as_u64().unwrap())
        .collect();
    assert_eq!(required.len(), 3, "{c}");
    // Nothing ticked: refused, saying what is missing; nothing created.
    let none = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.001193", "documents": [], "applicant": applicant("999000008001")}),
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let why = none.body["error"]["fields"]["documents"]["vi"]
        .as_str()
        .unwrap();
    assert!(
        why.contains("Giấy chứng sinh") && !why.contains("bỏ rơi"),
        "{why}"
    );
    // Every mistake of the form at once: a missing name, a bad ID number and the papers.
    let all = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.001193", "documents": [], "applicant": {"name": " ", "id_number": "12345"}}),
        )
        .await;
    assert_eq!(all.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &all.body["error"]["fields"];
    assert!(
        fields["applicant.name"].is_object() && fields["documents"].is_object(),
        "{fields}"
    );
    assert_eq!(
        fields.as_object().unwrap().len(),
        3,
        "name, ID number and papers: {fields}"
    );
    // The three papers of an ordinary birth are enough; the receipt lists exactly them.
    let ok = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.001193", "documents": required, "applicant": applicant("999000008002")}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let code = ok.body["code"].as_str().unwrap();
    let (_, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/receipt.pdf"), &hc).await;
    let text = flat(&pdf);
    assert!(text.contains("Giấy chứng sinh"), "{text}");
    assert!(text.contains("Tờ khai đăng ký khai sinh"), "{text}");
    assert!(
        text.contains("xuất trình"),
        "the ID shown is marked: {text}"
    );
    assert!(
        !text.contains("bỏ rơi") && !text.contains("mang thai hộ"),
        "{text}"
    );
    // The counter page shows the situations apart and the notes folded away.
    let (_, _, page) = app
        .page(
            "/can-bo/tiep-nhan?thu_tuc=1.001193",
            &format!("motcua_session={hc}"),
        )
        .await;
    assert!(page.contains("nếu thuộc trường hợp này"), "{page}");
    assert!(page.contains("Lưu ý của thủ tục"), "{page}");
    // Permanent residence: a case must be chosen, and then its papers are the ones required.
    let no_case = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.004222", "documents": [], "applicant": applicant("999000008003")}),
        )
        .await;
    assert_eq!(no_case.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_case.body["error"]["fields"]["document_case"]["vi"]
        .as_str()
        .unwrap()
        .contains("Chọn trường hợp"));
    let p = app.get("/api/v1/procedures/1.004222", None).await;
    let rent = p.body["checklist"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"].as_str().unwrap().contains("thuê, mượn, ở nhờ"))
        .unwrap()
        .clone();
    let (n, _) = app.papers("1.004222", rent["key"].as_str()).await;
    let ok = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.004222", "document_case": rent["key"], "documents": n, "applicant": applicant("999000008004")}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let code = ok.body["code"].as_str().unwrap();
    let (_, _, pdf) = fetch(&app, &format!("/api/v1/dossiers/{code}/receipt.pdf"), &hc).await;
    let text = flat(&pdf);
    assert!(
        text.contains("Hợp đồng, văn bản về việc cho thuê"),
        "{text}"
    );
    assert!(
        text.contains("Trường hợp: Đăng ký thường trú vào chỗ ở hợp pháp do thuê"),
        "{text}"
    );
    assert!(
        !text.contains("phương tiện"),
        "no paper of the boat case: {text}"
    );
}
both!(
    the_checklist_is_the_procedures_real_list,
    birth_and_residence
);

async fn corrections(b: Backend) {
    let app = TestApp::new(b).await;
    let admin = app.login("quantri.danang").await;
    let hc = app.login("tiepnhan.haichau").await;
    let text = "+ Tờ khai đăng ký kết hôn (mẫu TP/HT-2020-KH.1)\n> Giấy tờ tùy thân của hai bên nam, nữ\n? Văn bản ủy quyền (nếu ủy quyền nộp hồ sơ)\n! Hai bên nam, nữ có mặt khi đăng ký kết hôn";
    let bad = app
        .request(
            "PUT",
            "/api/v1/procedures/1.000894/checklist",
            Some(&admin),
            Some(json!({"text": "+ Tờ khai\n+ "}).to_string()),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["error"]["fields"]["text"]["vi"]
        .as_str()
        .unwrap()
        .starts_with("Dòng 2"));
    let denied = app
        .request(
            "PUT",
            "/api/v1/procedures/1.000894/checklist",
            Some(&hc),
            Some(json!({"text": text}).to_string()),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let ok = app
        .request(
            "PUT",
            "/api/v1/procedures/1.000894/checklist",
            Some(&admin),
            Some(json!({"text": text, "note": "Bổ sung tờ khai"}).to_string()),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["version"], 1);
    assert_eq!(ok.body["checklist"]["source"], "corrected");
    // Đà Nẵng's counters use it; TP.HCM keeps the parse.
    let da = app
        .get("/api/v1/procedures/1.000894?province=48", None)
        .await;
    assert_eq!(da.body["checklist"]["source"], "corrected");
    let hcm = app
        .get("/api/v1/procedures/1.000894?province=79", None)
        .await;
    assert_eq!(hcm.body["checklist"]["source"], "parsed");
    let short = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.000894", "documents": [1], "applicant": applicant("999000008101")}),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body["error"]["fields"]["documents"]["vi"]
        .as_str()
        .unwrap()
        .contains("Giấy tờ tùy thân"));
    let full = app
        .post(
            "/api/v1/dossiers",
            Some(&hc),
            json!({"procedure": "1.000894", "documents": [1, 2], "applicant": applicant("999000008102")}),
        )
        .await;
    assert_eq!(full.status, StatusCode::CREATED, "{}", full.body);
    // A second save is version 2; both are audited.
    let again = app
        .request(
            "PUT",
            "/api/v1/procedures/1.000894/checklist",
            Some(&admin),
            Some(
                json!({"text": format!("{text}\n? Giấy xác nhận tình trạng hôn nhân")}).to_string(),
            ),
        )
        .await;
    assert_eq!(again.body["version"], 2);
    let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from audit_log where action = 'correct_checklist'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(n, 2);
    // The administration page: the list in force as text, and a refused line kept on the form.
    let (s, _, page) = app
        .page(
            "/quan-tri/giay-to/1.000894",
            &format!("motcua_session={admin}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Giấy xác nhận tình trạng hôn nhân"), "{page}");
    let (s, _, page) = app
        .form_post(
            "/quan-tri/giay-to/1.000894",
            Some(&admin),
            Some(CSRF),
            &[("text", "+ Tờ khai (giữ lại)\n?"), ("note", "thử")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Tờ khai (giữ lại)"),
        "the text is kept: {page}"
    );
    assert!(page.contains("Dòng 2"), "{page}");
}
both!(a_province_corrects_a_checklist, corrections);
