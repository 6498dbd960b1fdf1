//! TrueType fonts for PDF: glyph look-up, advance widths, and subsetting (only the glyphs a document uses, glyph ids
//! kept so that the PDF's Identity mapping stays valid).

use std::collections::BTreeSet;

/// DejaVu Serif (Bitstream Vera licence; see `assets/fonts/LICENSE-DejaVu.txt`): full Vietnamese coverage.
pub const SERIF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");
/// DejaVu Serif Bold.
pub const SERIF_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif-Bold.ttf");

/// A font's metrics in PDF units (1/1000 em).
#[derive(Debug, Clone)]
pub struct Metrics {
    pub ascent: i32,
    pub descent: i32,
    pub cap_height: i32,
    pub bbox: [i32; 4],
}

fn scale(v: i32, upem: u16) -> i32 {
    (i64::from(v) * 1000 / i64::from(upem.max(1))) as i32
}

/// Metrics of a font file.
pub fn metrics(data: &[u8]) -> Option<Metrics> {
    let f = ttf_parser::Face::parse(data, 0).ok()?;
    let u = f.units_per_em();
    let b = f.global_bounding_box();
    Some(Metrics {
        ascent: scale(i32::from(f.ascender()), u),
        descent: scale(i32::from(f.descender()), u),
        cap_height: scale(i32::from(f.capital_height().unwrap_or(f.ascender())), u),
        bbox: [
            scale(i32::from(b.x_min), u),
            scale(i32::from(b.y_min), u),
            scale(i32::from(b.x_max), u),
            scale(i32::from(b.y_max), u),
        ],
    })
}

/// The glyph of a character (0, .notdef, when the font lacks it).
pub fn glyph(data: &[u8], c: char) -> u16 {
    ttf_parser::Face::parse(data, 0)
        .ok()
        .and_then(|f| f.glyph_index(c))
        .map_or(0, |g| g.0)
}

/// Advance width of a glyph in 1/1000 em.
pub fn advance(data: &[u8], gid: u16) -> i32 {
    ttf_parser::Face::parse(data, 0).ok().map_or(0, |f| {
        scale(
            i32::from(f.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0)),
            f.units_per_em(),
        )
    })
}

fn u16_at(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(o)?, *d.get(o + 1)?]))
}
fn u32_at(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(o)?,
        *d.get(o + 1)?,
        *d.get(o + 2)?,
        *d.get(o + 3)?,
    ]))
}

fn tables(d: &[u8]) -> Option<Vec<([u8; 4], usize, usize)>> {
    let n = usize::from(u16_at(d, 4)?);
    (0..n)
        .map(|i| {
            let r = 12 + 16 * i;
            let tag: [u8; 4] = d.get(r..r + 4)?.try_into().ok()?;
            Some((tag, u32_at(d, r + 8)? as usize, u32_at(d, r + 12)? as usize))
        })
        .collect()
}

/// Components of a composite glyph.
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    if glyph.len() < 10 || i16::from_be_bytes([glyph[0], glyph[1]]) >= 0 {
        return out;
    }
    let mut o = 10;
    while let (Some(flags), Some(gid)) = (u16_at(glyph, o), u16_at(glyph, o + 2)) {
        out.push(gid);
        o += 4 + if flags & 0x1 != 0 { 4 } else { 2 };
        o += if flags & 0x8 != 0 {
            2
        } else if flags & 0x40 != 0 {
            4
        } else if flags & 0x80 != 0 {
            8
        } else {
            0
        };
        if flags & 0x20 == 0 {
            break;
        }
    }
    out
}

/// A font file with only the glyphs in `used` (plus .notdef and composite components); other glyphs become empty.
/// Layout tables (GSUB, GPOS, kern …) are dropped: a PDF positions glyphs itself.
pub fn subset(d: &[u8], used: &BTreeSet<u16>) -> Option<Vec<u8>> {
    let t = tables(d)?;
    let find = |tag: &[u8; 4]| t.iter().find(|x| &x.0 == tag).map(|x| (x.1, x.2));
    let (head_o, head_l) = find(b"head")?;
    let long = u16_at(d, head_o + 50)? == 1;
    let n_glyphs = usize::from(u16_at(d, find(b"maxp")?.0 + 4)?);
    let (loca_o, _) = find(b"loca")?;
    let (glyf_o, _) = find(b"glyf")?;
    let off = |g: usize| -> Option<usize> {
        if long {
            u32_at(d, loca_o + 4 * g).map(|v| v as usize)
        } else {
            u16_at(d, loca_o + 2 * g).map(|v| 2 * usize::from(v))
        }
    };
    let glyph_bytes = |g: usize| -> Option<&[u8]> { d.get(glyf_o + off(g)?..glyf_o + off(g + 1)?) };
    let mut keep: BTreeSet<u16> = used
        .iter()
        .copied()
        .filter(|g| usize::from(*g) < n_glyphs)
        .collect();
    keep.insert(0);
    let mut todo: Vec<u16> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        for c in components(glyph_bytes(usize::from(g)).unwrap_or(&[])) {
            if usize::from(c) < n_glyphs && keep.insert(c) {
                todo.push(c);
            }
        }
    }
    let mut glyf = Vec::new();
    let mut loca = Vec::with_capacity(4 * (n_glyphs + 1));
    for g in 0..n_glyphs {
        loca.extend_from_slice(&u32::try_from(glyf.len()).ok()?.to_be_bytes());
        if keep.contains(&u16::try_from(g).ok()?) {
            glyf.extend_from_slice(glyph_bytes(g)?);
            while glyf.len() % 4 != 0 {
                glyf.push(0);
            }
        }
    }
    loca.extend_from_slice(&u32::try_from(glyf.len()).ok()?.to_be_bytes());
    let mut head = d.get(head_o..head_o + head_l)?.to_vec();
    head[8..12].copy_from_slice(&[0, 0, 0, 0]);
    head[50..52].copy_from_slice(&1u16.to_be_bytes());
    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for (tag, o, l) in &t {
        let data = match tag {
            b"head" => head.clone(),
            b"loca" => loca.clone(),
            b"glyf" => glyf.clone(),
            b"hhea" | b"maxp" | b"hmtx" | b"cvt " | b"fpgm" | b"prep" | b"cmap" | b"OS/2"
            | b"name" => d.get(*o..o + l)?.to_vec(),
            _ => continue,
        };
        out_tables.push((*tag, data));
    }
    out_tables.sort_by_key(|t| t.0);
    let n = u16::try_from(out_tables.len()).ok()?;
    let mut font = Vec::new();
    font.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    let pow = 1u16 << (15 - n.leading_zeros().min(15));
    let pow = if pow > n { pow / 2 } else { pow };
    font.extend_from_slice(&n.to_be_bytes());
    font.extend_from_slice(&(pow * 16).to_be_bytes());
    font.extend_from_slice(&(pow.trailing_zeros() as u16).to_be_bytes());
    font.extend_from_slice(&(n * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * out_tables.len();
    let mut body = Vec::new();
    for (tag, data) in &out_tables {
        let mut sum: u32 = 0;
        for chunk in data.chunks(4) {
            let mut b = [0u8; 4];
            b[..chunk.len()].copy_from_slice(chunk);
            sum = sum.wrapping_add(u32::from_be_bytes(b));
        }
        font.extend_from_slice(tag);
        font.extend_from_slice(&sum.to_be_bytes());
        font.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
        font.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        body.extend_from_slice(data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        offset = 12 + 16 * out_tables.len() + body.len();
    }
    font.extend_from_slice(&body);
    Some(font)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_vietnamese() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        for font in [SERIF, SERIF_BOLD] {
            for c in letters.chars().chain(letters.to_uppercase().chars()) {
                assert_ne!(glyph(font, c), 0, "missing {c}");
            }
        }
    }

    #[test]
    fn subset_is_small_and_parses() {
        let used: BTreeSet<u16> = "Giấy tiếp nhận hồ sơ"
            .chars()
            .map(|c| glyph(SERIF, c))
            .collect();
        let s = subset(SERIF, &used).expect("subset");
        assert!(s.len() < SERIF.len() / 3, "{} bytes", s.len());
        let f = ttf_parser::Face::parse(&s, 0).expect("parses");
        let g = ttf_parser::GlyphId(glyph(SERIF, 'ấ'));
        let mut sink = Outline(0);
        assert!(
            f.outline_glyph(g, &mut sink).is_some() && sink.0 > 0,
            "used glyph kept"
        );
        let unused = ttf_parser::GlyphId(glyph(SERIF, 'Q'));
        assert!(
            f.outline_glyph(unused, &mut Outline(0)).is_none(),
            "unused glyph emptied"
        );
    }

    struct Outline(usize);
    impl ttf_parser::OutlineBuilder for Outline {
        fn move_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn line_to(&mut self, _: f32, _: f32) {
            self.0 += 1;
        }
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
            self.0 += 1;
        }
        fn close(&mut self) {}
    }
}
