//! Forms 02–07 of Circular 03/2025 (supplement request, refusal, apology and new date, stop notice, processing
//! control sheet, dossier register) from one layout: the agency and national motto header, a title, paragraphs,
//! lists and tables that break across A4 pages, signatures, and a footer naming the form. Exact layouts under the
//! circular are unverified (DOMAIN.md §5.2) and the footer says so.

use super::{wrap, Align, Doc, Face, A4};
use motcua_domain::calendar::VN;
use time::OffsetDateTime;

const LEFT: f64 = 56.0;
const RIGHT: f64 = A4.0 - 56.0;
const BOTTOM: f64 = A4.1 - 70.0;

/// A piece of a form's body.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph.
    Para(String),
    /// A bold paragraph.
    Bold(String),
    /// An indented list item.
    Item(String),
    /// A table: column widths (points) with headings, then rows.
    Table {
        widths: Vec<f64>,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A form to print.
#[derive(Debug, Clone)]
pub struct Form {
    /// "02" … "07"; "HD" for the guidance slip, "PC" for the transfer slip.
    pub number: &'static str,
    pub title: String,
    /// The issuing agency (top left).
    pub agency: String,
    /// Place name for the date line.
    pub place: String,
    /// Reference number (the dossier code).
    pub reference: String,
    pub at: OffsetDateTime,
    pub blocks: Vec<Block>,
    /// Signature blocks: (title, name).
    pub signers: Vec<(String, String)>,
}

/// Draws the header (agency, national motto, number, place and date); returns the baseline below it.
pub fn header(d: &mut Doc, agency: &str, reference: &str, place: &str, at: OffsetDateTime) -> f64 {
    let (lx, mx) = (LEFT + 100.0, RIGHT - 118.0);
    let mut y = 60.0;
    for line in wrap(d, Face::Bold, 10.0, 200.0, &agency.to_uppercase()) {
        d.text(Face::Bold, 10.0, lx, y, Align::Center, &line);
        y += 13.0;
    }
    d.line(lx - 35.0, y - 8.0, lx + 35.0, y - 8.0, 0.6);
    d.text(
        Face::Bold,
        10.0,
        mx,
        60.0,
        Align::Center,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    );
    d.text(
        Face::Bold,
        11.0,
        mx,
        74.0,
        Align::Center,
        "Độc lập - Tự do - Hạnh phúc",
    );
    d.line(mx - 70.0, 79.0, mx + 70.0, 79.0, 0.6);
    let l = at.to_offset(VN);
    y = y.max(95.0) + 6.0;
    if !reference.is_empty() {
        d.text(
            Face::Regular,
            11.0,
            lx,
            y,
            Align::Center,
            &format!("Số: {reference}"),
        );
    }
    d.text(
        Face::Regular,
        11.0,
        mx,
        y,
        Align::Center,
        &format!(
            "{place}, ngày {:02} tháng {:02} năm {}",
            l.day(),
            u8::from(l.month()),
            l.year()
        ),
    );
    y
}

/// The footer of every page.
pub fn footer(d: &mut Doc, number: &str) {
    d.line(LEFT, A4.1 - 52.0, RIGHT, A4.1 - 52.0, 0.4);
    d.text(
        Face::Regular,
        8.0,
        LEFT,
        A4.1 - 40.0,
        Align::Left,
        &match number {
            "HD" | "PC" => "Biểu mẫu nội bộ của motcua (không thuộc danh mục mẫu của Thông tư 03/2025/TT-VPCP). In từ hệ thống motcua.".to_owned(),
            n => format!("Mẫu số {n} (Thông tư 03/2025/TT-VPCP): nội dung theo mẫu, cách trình bày của hệ thống motcua. In từ hệ thống motcua."),
        },
    );
}

fn page_break(d: &mut Doc, number: &str, y: f64, need: f64) -> f64 {
    if y + need <= BOTTOM {
        return y;
    }
    footer(d, number);
    d.new_page();
    60.0
}

fn table(
    d: &mut Doc,
    number: &str,
    mut y: f64,
    widths: &[f64],
    head: &[String],
    rows: &[Vec<String>],
) -> f64 {
    let size = 8.5;
    let lead = 11.0;
    let total: f64 = widths.iter().sum();
    let draw_row = |d: &mut Doc, y: f64, cells: &[String], face: Face| -> f64 {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| wrap(d, face, size, w - 6.0, c))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        #[allow(clippy::cast_precision_loss)]
        let h = lines as f64 * lead + 6.0;
        let mut x = LEFT;
        for (cell, w) in wrapped.iter().zip(widths) {
            for (i, line) in cell.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let ly = y + 11.0 + i as f64 * lead;
                d.text(face, size, x + 3.0, ly, Align::Left, line);
            }
            d.line(x, y, x, y + h, 0.4);
            x += w;
        }
        d.line(LEFT + total, y, LEFT + total, y + h, 0.4);
        d.line(LEFT, y + h, LEFT + total, y + h, 0.4);
        y + h
    };
    y = page_break(d, number, y, 40.0);
    d.line(LEFT, y, LEFT + total, y, 0.4);
    y = draw_row(d, y, head, Face::Bold);
    for r in rows {
        let lines = r
            .iter()
            .zip(widths)
            .map(|(c, w)| wrap(d, Face::Regular, size, w - 6.0, c).len())
            .max()
            .unwrap_or(1);
        #[allow(clippy::cast_precision_loss)]
        let need = lines as f64 * lead + 6.0;
        if y + need > BOTTOM {
            y = page_break(d, number, y, need);
            d.line(LEFT, y, LEFT + total, y, 0.4);
            y = draw_row(d, y, head, Face::Bold);
        }
        y = draw_row(d, y, r, Face::Regular);
    }
    y + 14.0
}

/// Renders a form.
pub fn render(f: &Form) -> Vec<u8> {
    let mut d = Doc::new(&format!("{} {}", f.title, f.reference));
    let mut y = header(&mut d, &f.agency, &f.reference, &f.place, f.at) + 38.0;
    for line in wrap(&d, Face::Bold, 14.0, RIGHT - LEFT, &f.title.to_uppercase()) {
        d.text(Face::Bold, 14.0, A4.0 / 2.0, y, Align::Center, &line);
        y += 18.0;
    }
    y += 12.0;
    let width = RIGHT - LEFT;
    for b in &f.blocks {
        y = match b {
            Block::Para(t) => {
                y = page_break(&mut d, f.number, y, 16.0);
                d.paragraph(Face::Regular, 11.5, LEFT, y, width, 16.0, t)
            }
            Block::Bold(t) => {
                y = page_break(&mut d, f.number, y, 16.0);
                d.paragraph(Face::Bold, 11.5, LEFT, y, width, 16.0, t)
            }
            Block::Item(t) => {
                y = page_break(&mut d, f.number, y, 16.0);
                d.paragraph(Face::Regular, 11.0, LEFT + 16.0, y, width - 16.0, 15.0, t)
            }
            Block::Table { widths, head, rows } => {
                table(&mut d, f.number, y + 4.0, widths, head, rows)
            }
        };
    }
    y = page_break(&mut d, f.number, y + 14.0, 100.0);
    #[allow(clippy::cast_precision_loss)]
    let n = f.signers.len().max(1) as f64;
    for (i, (title, name)) in f.signers.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = LEFT + width * (2.0 * i as f64 + 1.0) / (2.0 * n);
        d.text(Face::Bold, 11.0, x, y, Align::Center, title);
        d.text(
            Face::Regular,
            10.0,
            x,
            y + 14.0,
            Align::Center,
            "(Ký và ghi rõ họ tên)",
        );
        d.text(Face::Regular, 11.0, x, y + 72.0, Align::Center, name);
    }
    footer(&mut d, f.number);
    d.finish()
}
