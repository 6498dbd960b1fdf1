//! What the kiosk prints: the queue ticket (an 80 mm roll) and the procedure's declaration prefilled from the ID
//! card (A4). The declaration is motcua's general layout with the person's data filled in, not the official form of
//! each procedure, and its footer says so.

use super::{Align, Doc, Face, A4};
use motcua_domain::calendar::VN;
use time::OffsetDateTime;

/// An 80 mm × 120 mm ticket.
const TICKET: (f64, f64) = (226.77, 340.16);

/// A queue ticket to print.
#[derive(Debug, Clone)]
pub struct TicketPrint {
    pub center: String,
    pub label: String,
    pub service: String,
    pub taken_at: OffsetDateTime,
    pub ahead: usize,
    pub wait_minutes: i64,
    pub priority: Option<String>,
    pub tracking_url: String,
}

fn hm(t: OffsetDateTime) -> String {
    let l = t.to_offset(VN);
    format!(
        "{:02}:{:02} ngày {:02}/{:02}/{}",
        l.hour(),
        l.minute(),
        l.day(),
        u8::from(l.month()),
        l.year()
    )
}

/// Renders the ticket.
pub fn ticket(t: &TicketPrint) -> Vec<u8> {
    let mut d = Doc::sized(&format!("Phiếu số thứ tự {}", t.label), TICKET);
    let mid = TICKET.0 / 2.0;
    let mut y = 26.0;
    for line in super::wrap(
        &d,
        Face::Bold,
        9.5,
        TICKET.0 - 24.0,
        &t.center.to_uppercase(),
    ) {
        d.text(Face::Bold, 9.5, mid, y, Align::Center, &line);
        y += 12.0;
    }
    y += 10.0;
    d.text(
        Face::Regular,
        10.0,
        mid,
        y,
        Align::Center,
        "SỐ THỨ TỰ CỦA BẠN",
    );
    y += 50.0;
    d.text(Face::Bold, 52.0, mid, y, Align::Center, &t.label);
    y += 22.0;
    for line in super::wrap(&d, Face::Bold, 10.5, TICKET.0 - 24.0, &t.service) {
        d.text(Face::Bold, 10.5, mid, y, Align::Center, &line);
        y += 13.0;
    }
    if let Some(p) = &t.priority {
        d.text(
            Face::Regular,
            9.5,
            mid,
            y,
            Align::Center,
            &format!("Ưu tiên: {p}"),
        );
        y += 13.0;
    }
    y += 4.0;
    let lines = [
        format!("Lấy số lúc {}", hm(t.taken_at)),
        format!("Số người chờ trước bạn: {}", t.ahead),
        format!("Thời gian chờ dự kiến: khoảng {} phút", t.wait_minutes),
    ];
    for l in &lines {
        d.text(Face::Regular, 9.5, mid, y, Align::Center, l);
        y += 13.0;
    }
    if d.qr(mid - 38.0, y + 4.0, 76.0, &t.tracking_url) {
        y += 92.0;
        d.text(
            Face::Regular,
            8.0,
            mid,
            y,
            Align::Center,
            "Quét mã để theo dõi lượt trên điện thoại",
        );
    }
    d.finish()
}

/// A declaration to prefill.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub center: String,
    pub place: String,
    /// The declaration's name in the procedure's papers ("Tờ khai đăng ký khai sinh"), else the procedure's.
    pub title: String,
    pub procedure: String,
    pub procedure_code: String,
    pub name: String,
    pub birth_date: String,
    pub sex: String,
    pub id_number: String,
    pub old_id: Option<String>,
    pub address: String,
    pub issued: Option<String>,
    pub assisted_by: Option<String>,
    pub ticket: String,
    pub at: OffsetDateTime,
}

/// The lines of the person's part, as read from the card.
fn identity(x: &Declaration) -> Vec<String> {
    let mut rows = vec![
        format!("Họ, chữ đệm và tên: {}", x.name),
        format!(
            "Ngày, tháng, năm sinh: {}        Giới tính: {}",
            x.birth_date, x.sex
        ),
        format!("Số định danh cá nhân: {}", x.id_number),
    ];
    if let Some(o) = &x.old_id {
        rows.push(format!("Số chứng minh nhân dân cũ: {o}"));
    }
    if let Some(i) = &x.issued {
        rows.push(format!("Ngày cấp thẻ căn cước: {i}"));
    }
    rows.push(format!("Nơi cư trú: {}", x.address));
    rows
}

/// Renders the prefilled declaration.
pub fn declaration(x: &Declaration) -> Vec<u8> {
    let mut d = Doc::new(&x.title);
    let (left, right) = (56.0, A4.0 - 56.0);
    let width = right - left;
    let mut y = super::forms::header(&mut d, &x.center, &x.ticket, &x.place, x.at);
    y += 36.0;
    for line in super::wrap(&d, Face::Bold, 14.0, width, &x.title.to_uppercase()) {
        d.text(Face::Bold, 14.0, A4.0 / 2.0, y, Align::Center, &line);
        y += 18.0;
    }
    y += 10.0;
    let say = |d: &mut Doc, y: f64, face: Face, text: &str| {
        d.paragraph(face, 11.5, left, y, width, 17.0, text)
    };
    y = say(&mut d, y, Face::Regular, &format!("Kính gửi: {}", x.center));
    y = say(
        &mut d,
        y,
        Face::Regular,
        &format!("Thủ tục: {} (mã {})", x.procedure, x.procedure_code),
    );
    y += 6.0;
    y = say(
        &mut d,
        y,
        Face::Bold,
        "I. Thông tin người yêu cầu (in sẵn từ mã QR trên thẻ căn cước)",
    );
    let rows = identity(x);
    for r in &rows {
        y = say(&mut d, y, Face::Regular, r);
    }
    y = say(
        &mut d,
        y,
        Face::Regular,
        "Số điện thoại liên hệ: ..............................................",
    );
    y += 6.0;
    y = say(
        &mut d,
        y,
        Face::Bold,
        "II. Nội dung đề nghị (người yêu cầu ghi)",
    );
    for _ in 0..6 {
        y = say(
            &mut d,
            y + 4.0,
            Face::Regular,
            "................................................................................................................................",
        );
    }
    y += 8.0;
    y = say(
        &mut d,
        y,
        Face::Regular,
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về lời cam đoan của mình.",
    );
    if let Some(a) = &x.assisted_by {
        y = say(&mut d, y, Face::Regular, &format!("Người hỗ trợ khai: {a}"));
    }
    signature(&mut d, y + 20.0, &x.name);
    d.finish()
}

/// The signature block and the footer that says what this paper is.
fn signature(d: &mut Doc, y: f64, name: &str) {
    let (left, right) = (56.0, A4.0 - 56.0);
    let sx = right - 110.0;
    d.text(Face::Bold, 11.0, sx, y, Align::Center, "NGƯỜI YÊU CẦU");
    d.text(
        Face::Regular,
        9.5,
        sx,
        y + 13.0,
        Align::Center,
        "(ký, ghi rõ họ tên)",
    );
    d.text(Face::Bold, 11.0, sx, y + 80.0, Align::Center, name);
    d.text(
        Face::Regular,
        7.5,
        left,
        A4.1 - 40.0,
        Align::Left,
        "Mẫu chung do ki-ốt motcua in, điền sẵn từ thẻ căn cước; không thay thế mẫu tờ khai chính thức của thủ tục",
    );
    d.text(
        Face::Regular,
        7.5,
        left,
        A4.1 - 30.0,
        Align::Left,
        "(bố cục chưa đối chiếu với mẫu ban hành). Cán bộ tiếp nhận kiểm tra lại thông tin với bản gốc.",
    );
}
