//! Form 01: the receipt and appointment slip (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), with a QR code to track the
//! dossier. The content follows the form as described in DOMAIN.md §5.2; its exact layout under Circular 03/2025 is
//! unverified, and the footer says so.

use super::{Align, Doc, Face, A4};
use motcua_domain::calendar::VN;
use time::OffsetDateTime;

/// What form 01 prints.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub agency: String,
    pub place: String,
    pub code: String,
    pub applicant: String,
    pub applicant_id: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub procedure: String,
    /// What the applicant asked for in their words, when it says more than the procedure's name.
    pub summary: Option<String>,
    /// The case of the procedure the papers are for, when it has cases.
    pub case: Option<String>,
    pub documents: Vec<(String, String)>,
    pub time_limit: String,
    pub received_at: OffsetDateTime,
    pub due_at: Option<OffsetDateTime>,
    pub receiver: String,
    pub tracking_url: String,
}

/// "09 giờ 05 phút, ngày 01/12/2026", Vietnam time.
pub(super) fn when(t: OffsetDateTime) -> String {
    let l = t.to_offset(VN);
    format!(
        "{:02} giờ {:02} phút, ngày {:02}/{:02}/{}",
        l.hour(),
        l.minute(),
        l.day(),
        u8::from(l.month()),
        l.year()
    )
}

/// Renders form 01.
pub fn render(r: &Receipt) -> Vec<u8> {
    let mut d = Doc::new(&format!(
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả {}",
        r.code
    ));
    let (left, right) = (56.0, A4.0 - 56.0);
    let mut y = super::forms::header(&mut d, &r.agency, &r.code, &r.place, r.received_at);
    y += 38.0;
    d.text(
        Face::Bold,
        14.0,
        A4.0 / 2.0,
        y,
        Align::Center,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    );
    y += 30.0;
    let width = right - left;
    let body = 11.5;
    let lead = 16.0;
    // A body paragraph at the left margin; returns the next baseline.
    let say = |d: &mut Doc, y: f64, text: &str| {
        d.paragraph(Face::Regular, body, left, y, width, lead, text)
    };
    y = say(&mut d, y, &format!("{} đã tiếp nhận hồ sơ của:", r.agency));
    y = say(&mut d, y, &format!("Ông/Bà: {}", r.applicant));
    y = say(
        &mut d,
        y,
        &format!("Số định danh / mã số thuế: {}", r.applicant_id),
    );
    if let Some(p) = &r.phone {
        y = say(&mut d, y, &format!("Số điện thoại: {p}"));
    }
    if let Some(a) = &r.address {
        y = say(&mut d, y, &format!("Địa chỉ: {a}"));
    }
    let asked = match &r.summary {
        Some(s) => format!("Nội dung yêu cầu giải quyết: {} — {s}", r.procedure),
        None => format!("Nội dung yêu cầu giải quyết: {}", r.procedure),
    };
    y = say(&mut d, y, &asked);
    if let Some(c) = &r.case {
        y = say(&mut d, y, &format!("Trường hợp: {c}"));
    }
    y = say(&mut d, y, "1. Thành phần hồ sơ nộp gồm:");
    if r.documents.is_empty() {
        y = d.paragraph(
            Face::Regular,
            body,
            left + 14.0,
            y,
            width - 14.0,
            lead,
            "(không có giấy tờ được ghi nhận khi tiếp nhận)",
        );
    }
    for (i, (name, qty)) in r.documents.iter().enumerate() {
        let text = if qty.is_empty() {
            format!("{}. {name}", i + 1)
        } else {
            format!("{}. {name} ({qty})", i + 1)
        };
        y = d.paragraph(
            Face::Regular,
            10.5,
            left + 14.0,
            y,
            width - 14.0,
            14.0,
            &text,
        );
        if y > 560.0 {
            y = d.paragraph(
                Face::Regular,
                10.5,
                left + 14.0,
                y,
                width - 14.0,
                14.0,
                "… (xem danh mục đầy đủ của thủ tục)",
            );
            break;
        }
    }
    y = say(&mut d, y, "2. Số lượng hồ sơ: 01 bộ");
    y = say(
        &mut d,
        y,
        &format!(
            "3. Thời gian giải quyết hồ sơ theo quy định: {}",
            r.time_limit
        ),
    );
    y = say(
        &mut d,
        y,
        &format!("4. Thời gian nhận hồ sơ: {}", when(r.received_at)),
    );
    let due = r
        .due_at
        .map_or_else(|| "cơ quan giải quyết sẽ thông báo".to_owned(), when);
    y = d.paragraph(
        Face::Bold,
        body,
        left,
        y,
        width,
        lead,
        &format!("5. Thời gian trả kết quả giải quyết hồ sơ: {due}"),
    );
    y = say(&mut d, y, &format!("6. Nhận kết quả tại: {}", r.agency));
    y += 10.0;
    // Signatures, and the QR code that opens the tracking page.
    d.text(
        Face::Bold,
        11.0,
        left + 85.0,
        y,
        Align::Center,
        "NGƯỜI NỘP HỒ SƠ",
    );
    d.text(
        Face::Bold,
        11.0,
        right - 110.0,
        y,
        Align::Center,
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    );
    d.text(
        Face::Regular,
        10.0,
        left + 85.0,
        y + 14.0,
        Align::Center,
        "(Ký và ghi rõ họ tên)",
    );
    d.text(
        Face::Regular,
        10.0,
        right - 110.0,
        y + 14.0,
        Align::Center,
        "(Ký và ghi rõ họ tên)",
    );
    d.text(
        Face::Regular,
        11.0,
        right - 110.0,
        y + 75.0,
        Align::Center,
        &r.receiver,
    );
    let qy = y + 95.0;
    d.qr(left, qy, 78.0, &r.tracking_url);
    d.paragraph(
        Face::Regular,
        9.5,
        left + 88.0,
        qy + 20.0,
        width - 88.0,
        13.0,
        &format!(
            "Quét mã để tra cứu tình trạng hồ sơ {} / Scan to track the dossier",
            r.code
        ),
    );
    d.paragraph(
        Face::Regular,
        8.5,
        left + 88.0,
        qy + 48.0,
        width - 88.0,
        12.0,
        &r.tracking_url,
    );
    super::forms::footer(&mut d, "01");
    d.finish()
}
