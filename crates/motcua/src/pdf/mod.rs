//! A small PDF writer for printable A4 forms: text in embedded, subsetted TrueType fonts (CID, Identity-H, with a
//! ToUnicode map so the text can be searched and extracted), wrapping, lines, filled boxes and QR codes.

pub mod font;
pub mod forms;
pub mod payment;
pub mod queue;
pub mod receipt;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use unicode_normalization::UnicodeNormalization;

/// A4 in points.
pub const A4: (f64, f64) = (595.28, 841.89);

/// The two faces a form uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => font::SERIF,
            Face::Bold => font::SERIF_BOLD,
        }
    }
    fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
        }
    }
}

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A document being written. Coordinates: points from the top-left corner of the page.
#[derive(Debug, Default)]
pub struct Doc {
    pages: Vec<String>,
    used: [BTreeMap<u16, char>; 2],
    title: String,
    /// Page size in points (A4 unless made with [`Doc::sized`]).
    size: Option<(f64, f64)>,
}

impl Doc {
    /// An empty document with a title (shown by PDF readers).
    pub fn new(title: &str) -> Doc {
        Doc {
            pages: vec![String::new()],
            title: title.to_owned(),
            ..Doc::default()
        }
    }

    /// An empty document with another page size (a queue ticket on an 80 mm roll).
    pub fn sized(title: &str, size: (f64, f64)) -> Doc {
        Doc {
            size: Some(size),
            ..Doc::new(title)
        }
    }

    fn size(&self) -> (f64, f64) {
        self.size.unwrap_or(A4)
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(String::new());
    }

    fn page(&mut self) -> &mut String {
        if self.pages.is_empty() {
            self.pages.push(String::new());
        }
        let i = self.pages.len() - 1;
        &mut self.pages[i]
    }

    /// Width of a text in points.
    pub fn width(&self, face: Face, size: f64, text: &str) -> f64 {
        let data = face.data();
        let units: i32 = text
            .nfc()
            .map(|c| font::advance(data, font::glyph(data, c)))
            .sum();
        f64::from(units) * size / 1000.0
    }

    /// Writes one line of text with its left, centre or right edge at `x`; `y` is the baseline from the top.
    pub fn text(&mut self, face: Face, size: f64, x: f64, y: f64, align: Align, text: &str) {
        let w = self.width(face, size, text);
        let x = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        let data = face.data();
        let mut hex = String::new();
        for c in text.nfc() {
            let g = font::glyph(data, c);
            self.used[face.index()].entry(g).or_insert(c);
            let _ = write!(hex, "{g:04X}");
        }
        let y = self.size().1 - y;
        let _ = writeln!(
            self.page(),
            "BT /F{} {size:.2} Tf {x:.2} {y:.2} Td <{hex}> Tj ET",
            face.index() + 1
        );
    }

    /// Writes text wrapped to `width`, one line every `leading` points; returns the baseline after the last line.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        face: Face,
        size: f64,
        x: f64,
        y: f64,
        width: f64,
        leading: f64,
        text: &str,
    ) -> f64 {
        let mut y = y;
        for line in wrap(self, face, size, width, text) {
            self.text(face, size, x, y, Align::Left, &line);
            y += leading;
        }
        y
    }

    /// A line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, width: f64) {
        let (y1, y2) = (self.size().1 - y1, self.size().1 - y2);
        let _ = writeln!(
            self.page(),
            "{width:.2} w {x1:.2} {y1:.2} m {x2:.2} {y2:.2} l S"
        );
    }

    /// A filled black rectangle (top-left corner at x, y).
    pub fn fill(&mut self, x: f64, y: f64, w: f64, h: f64) {
        let y = self.size().1 - y - h;
        let _ = writeln!(self.page(), "{x:.3} {y:.3} {w:.3} {h:.3} re f");
    }

    /// A QR code of `data` with its top-left corner at x, y and side `size`.
    pub fn qr(&mut self, x: f64, y: f64, size: f64, data: &str) -> bool {
        let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
            return false;
        };
        let n = code.width();
        let m = size / n as f64;
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == qrcode::Color::Dark {
                self.fill(
                    x + (i % n) as f64 * m,
                    y + (i / n) as f64 * m,
                    m + 0.01,
                    m + 0.01,
                );
            }
        }
        true
    }

    /// The finished PDF file.
    pub fn finish(self) -> Vec<u8> {
        let mut objs: Vec<Vec<u8>> = Vec::new();
        // 1 catalog, 2 pages, 3 info; then fonts (5 objects each), then a content and a page object per page.
        let n_pages = self.pages.len();
        let font_base = 4;
        let page_base = font_base + 10;
        objs.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        let kids: Vec<String> = (0..n_pages)
            .map(|i| format!("{} 0 R", page_base + 2 * i + 1))
            .collect();
        objs.push(
            format!(
                "<< /Type /Pages /Kids [{}] /Count {n_pages} >>",
                kids.join(" ")
            )
            .into_bytes(),
        );
        objs.push(
            format!("<< /Title {} /Producer (motcua) >>", pdf_text(&self.title)).into_bytes(),
        );
        for face in [Face::Regular, Face::Bold] {
            let id = font_base + 5 * face.index();
            objs.extend(font_objects(face, &self.used[face.index()], id));
        }
        let (pw, ph) = self.size();
        for content in &self.pages {
            objs.push(stream(content.as_bytes(), ""));
            let content_id = objs.len();
            objs.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {:.2} {:.2}] /Resources << /Font << /F1 {} 0 R /F2 {} 0 R >> >> /Contents {content_id} 0 R >>",
                    pw,
                    ph,
                    font_base,
                    font_base + 5
                )
                .into_bytes(),
            );
        }
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let _ = write!(
            VecWriter(&mut out),
            "xref\n0 {}\n0000000000 65535 f \n",
            objs.len() + 1
        );
        for o in offsets {
            let _ = writeln!(VecWriter(&mut out), "{o:010} 00000 n ");
        }
        let _ = write!(
            VecWriter(&mut out),
            "trailer\n<< /Size {} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        );
        out
    }
}

struct VecWriter<'a>(&'a mut Vec<u8>);

impl Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A PDF text string in UTF-16BE hex (any Vietnamese title).
fn pdf_text(s: &str) -> String {
    let mut h = String::from("<FEFF");
    for u in s.encode_utf16() {
        let _ = write!(h, "{u:04X}");
    }
    h.push('>');
    h
}

fn stream(data: &[u8], extra: &str) -> Vec<u8> {
    let z = miniz_oxide::deflate::compress_to_vec_zlib(data, 6);
    let mut o = format!(
        "<< /Length {} /Filter /FlateDecode{extra} >>\nstream\n",
        z.len()
    )
    .into_bytes();
    o.extend_from_slice(&z);
    o.extend_from_slice(b"\nendstream");
    o
}

/// Type0 font, CIDFontType2, descriptor, ToUnicode map and the subsetted font file: five objects from `id`.
fn font_objects(face: Face, used: &BTreeMap<u16, char>, id: usize) -> Vec<Vec<u8>> {
    let data = face.data();
    let name = match face {
        Face::Regular => "MOTCUA+DejaVuSerif",
        Face::Bold => "MOTCUB+DejaVuSerif-Bold",
    };
    let m = font::metrics(data).unwrap_or(font::Metrics {
        ascent: 900,
        descent: -200,
        cap_height: 700,
        bbox: [0, -200, 1000, 900],
    });
    let mut widths = String::new();
    for g in used.keys() {
        let _ = write!(widths, "{g} [{}] ", font::advance(data, *g));
    }
    let glyphs: BTreeSet<u16> = used.keys().copied().collect();
    let file = font::subset(data, &glyphs).unwrap_or_else(|| data.to_vec());
    let mut cmap = String::from("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    let entries: Vec<(&u16, &char)> = used.iter().collect();
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (g, c) in chunk {
            let mut u = String::new();
            let mut buf = [0u16; 2];
            for x in c.encode_utf16(&mut buf) {
                let _ = write!(u, "{x:04X}");
            }
            let _ = writeln!(cmap, "<{g:04X}> <{u}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    vec![
        format!("<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{} 0 R] /ToUnicode {} 0 R >>", id + 1, id + 3).into_bytes(),
        format!("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {} 0 R /W [{widths}] /CIDToGIDMap /Identity >>", id + 2).into_bytes(),
        format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags 34 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {} 0 R >>",
            m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3], m.ascent, m.descent, m.cap_height, id + 4
        )
        .into_bytes(),
        stream(cmap.as_bytes(), ""),
        stream(&file, &format!(" /Length1 {}", file.len())),
    ]
}

/// Greedy word wrap by measured width.
pub fn wrap(doc: &Doc, face: Face, size: f64, width: f64, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if doc.width(face, size, &candidate) <= width || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line));
                line = word.to_owned();
            }
        }
        lines.push(line);
    }
    lines
}
