//! The messages' texts: Vietnamese first, English second; the dossier code, never personal data beyond it.

fn pick<'a>(p: &'a serde_json::Value, k: &str) -> &'a str {
    p[k].as_str().unwrap_or("")
}

/// The text message of a kind (SMS, Zalo): Vietnamese only, short, with where to follow the dossier.
pub fn text(kind: &str, code: &str, p: &serde_json::Value, public_url: &str) -> String {
    let (vi, _) = lines(kind, code, p);
    if code.is_empty() {
        return vi;
    }
    format!(
        "{vi} Tra cứu: {}/tra-cuu?ma={code}",
        public_url.trim_end_matches('/')
    )
}

/// (subject, body) of an e-mail: Vietnamese, then English.
pub fn render(kind: &str, code: &str, p: &serde_json::Value) -> (String, String) {
    let (vi, en) = lines(kind, code, p);
    if code.is_empty() {
        return (
            "[motcua] Số thứ tự / Queue".to_owned(),
            format!("{vi}\n{en}"),
        );
    }
    (
        format!("[motcua] Hồ sơ {code} / Application {code}"),
        format!("{vi}\n\n{en}\n\nTra cứu / track: mã hồ sơ {code}."),
    )
}

fn lines(kind: &str, code: &str, p: &serde_json::Value) -> (String, String) {
    let amount = p["amount"]
        .as_i64()
        .map(|a| motcua_domain::money::Vnd(a).to_string())
        .unwrap_or_default();
    let (vi, en) = match kind {
        "applicant" => (pick(p, "message").to_owned(), format!("Update on your application {code}.")),
        "payment_received" => (
            format!("Hồ sơ {code}: đã nhận {amount}, biên lai {}.", pick(p, "receipt")),
            format!("Application {code}: {amount} received, receipt {}.", pick(p, "receipt")),
        ),
        "result_ready" => (
            format!("Hồ sơ {code} đã có kết quả. Kết quả điện tử có mã QR để kiểm tra."),
            format!("Application {code} has its result. The electronic result carries a QR code to verify it."),
        ),
        "queue_near" => (
            format!("Sắp đến lượt số {} ({}): vui lòng có mặt gần quầy.", pick(p, "label"), pick(p, "service")),
            format!("Number {} is nearly up: please be near the counters.", pick(p, "label")),
        ),
        "warning" | "overdue" => (
            format!("Hồ sơ {code} chậm so với hẹn; cơ quan sẽ gửi thư xin lỗi và hẹn lại ngày trả."),
            format!("Application {code} is late; the agency will apologise and give a new date."),
        ),
        _ => (format!("Hồ sơ {code} có cập nhật."), format!("Application {code} has an update.")),
    };
    (vi, en)
}
