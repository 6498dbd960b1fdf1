//! The e-receipt of a payment (biên lai thu phí, lệ phí điện tử) and the sealed result document.
//!
//! The receipt carries what Decree 11/2020 and Decree 123/2020 ask a fee receipt to show (payer, content, amount in
//! figures and words are on the official form; here the figures) — motcua's general layout, and its footer says
//! the official e-receipt is the one the provider (VNPT, Viettel) issues where the province has contracted one.

use super::receipt::when;
use super::{Align, Doc, Face, A4};
use motcua_domain::money::Vnd;
use time::OffsetDateTime;

/// What the receipt prints.
#[derive(Debug, Clone)]
pub struct PaymentReceipt {
    pub number: String,
    pub agency: String,
    pub dossier: String,
    pub procedure: String,
    pub payer: String,
    pub amount: i64,
    pub method: String,
    pub reference: String,
    pub order_ref: String,
    pub paid_at: OffsetDateTime,
    /// Where it is issued (the unit's short name), for the date line.
    pub place: String,
}

/// Renders the receipt (A4).
pub fn render(r: &PaymentReceipt) -> Vec<u8> {
    let mut d = Doc::new(&format!("Biên lai {}", r.number));
    let (left, right) = (56.0, A4.0 - 56.0);
    let mut y = super::forms::header(&mut d, &r.agency, &r.number, &r.place, r.paid_at) + 30.0;
    d.text(
        Face::Bold,
        15.0,
        A4.0 / 2.0,
        y,
        Align::Center,
        "BIÊN LAI THU PHÍ, LỆ PHÍ",
    );
    y += 18.0;
    d.text(
        Face::Regular,
        10.0,
        A4.0 / 2.0,
        y,
        Align::Center,
        "(Biên lai điện tử)",
    );
    y += 34.0;
    let rows = [
        ("Người nộp", r.payer.clone()),
        ("Mã hồ sơ", r.dossier.clone()),
        ("Thủ tục", r.procedure.clone()),
        ("Số tiền", Vnd(r.amount).to_string()),
        ("Bằng chữ", motcua_domain::money::in_words(r.amount)),
        ("Hình thức", r.method.clone()),
        (
            "Mã giao dịch",
            if r.reference.is_empty() {
                r.order_ref.clone()
            } else {
                format!("{} ({})", r.reference, r.order_ref)
            },
        ),
        ("Thời điểm nộp", when(r.paid_at)),
    ];
    for (k, v) in rows {
        d.text(Face::Bold, 11.5, left, y, Align::Left, &format!("{k}:"));
        y = d.paragraph(
            Face::Regular,
            11.5,
            left + 120.0,
            y,
            right - left - 120.0,
            16.0,
            &v,
        );
        y += 6.0;
    }
    y += 30.0;
    d.text(
        Face::Regular,
        11.0,
        right - 80.0,
        y,
        Align::Center,
        "Đơn vị thu",
    );
    d.paragraph(
        Face::Regular,
        8.5,
        left,
        800.0,
        right - left,
        11.0,
        "Biên lai lập theo mẫu chung của hệ thống một cửa. Nơi tỉnh đã ký hợp đồng biên lai điện tử với nhà cung cấp, biên lai chính thức là biên lai của nhà cung cấp đó.",
    );
    d.finish()
}

/// What a result document prints.
#[derive(Debug, Clone)]
pub struct ResultDoc {
    pub agency: String,
    pub title: String,
    pub result_code: String,
    pub dossier: String,
    pub procedure: String,
    pub holder: String,
    pub issued_at: OffsetDateTime,
    pub verify_url: String,
    pub place: String,
}

/// Renders the result document with the QR of its verification page.
pub fn result(r: &ResultDoc) -> Vec<u8> {
    let mut d = Doc::new(&r.title);
    let (left, right) = (56.0, A4.0 - 56.0);
    let mut y = super::forms::header(&mut d, &r.agency, &r.dossier, &r.place, r.issued_at) + 34.0;
    for line in super::wrap(&d, Face::Bold, 15.0, right - left, &r.title.to_uppercase()) {
        d.text(Face::Bold, 15.0, A4.0 / 2.0, y, Align::Center, &line);
        y += 20.0;
    }
    y += 20.0;
    let rows = [
        ("Cấp cho", r.holder.clone()),
        ("Thủ tục", r.procedure.clone()),
        ("Mã hồ sơ", r.dossier.clone()),
        ("Mã kết quả", r.result_code.clone()),
        ("Ngày cấp", when(r.issued_at)),
    ];
    for (k, v) in rows {
        d.text(Face::Bold, 11.5, left, y, Align::Left, &format!("{k}:"));
        y = d.paragraph(
            Face::Regular,
            11.5,
            left + 110.0,
            y,
            right - left - 110.0,
            16.0,
            &v,
        );
        y += 6.0;
    }
    y += 24.0;
    d.qr(left, y, 110.0, &r.verify_url);
    d.paragraph(
        Face::Regular,
        10.0,
        left + 125.0,
        y + 14.0,
        right - left - 125.0,
        14.0,
        &format!(
            "Văn bản điện tử được đóng dấu số của {}. Quét mã QR hoặc mở {} để kiểm tra văn bản đã cấp và đối chiếu tệp.",
            r.agency, r.verify_url
        ),
    );
    d.paragraph(
        Face::Regular,
        8.5,
        left,
        800.0,
        right - left,
        11.0,
        "Văn bản lập theo mẫu chung của hệ thống một cửa, đóng dấu số bằng khóa của cơ quan cấp; chưa phải chữ ký số của tổ chức cung cấp dịch vụ chứng thực chữ ký số.",
    );
    d.finish()
}
