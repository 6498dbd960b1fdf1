//! Charts drawn on the server as SVG: readable without JavaScript or any outside service, each with a title and a
//! description for screen readers (the same figures are in the table beside it).

use std::fmt::Write;

/// One bar of a grouped bar chart: its label and the value of each series.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub values: Vec<i64>,
}

/// A series' name and colour (colours chosen for contrast against white and between each other).
pub struct Series {
    pub name: String,
    pub colour: &'static str,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A stacked bar chart (one column per bar, the series stacked), with a legend and the y axis's top value.
pub fn stacked(title: &str, desc: &str, series: &[Series], bars: &[Bar]) -> String {
    let (w, h, left, bottom, top) = (640.0_f64, 260.0_f64, 44.0_f64, 48.0_f64, 30.0_f64);
    let max = bars
        .iter()
        .map(|b| b.values.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let n = bars.len().max(1) as f64;
    let slot = (w - left - 8.0) / n;
    let bw = (slot * 0.7).clamp(2.0, 48.0);
    let plot = h - top - bottom;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"t-{id} d-{id}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"t-{id}\">{t}</title><desc id=\"d-{id}\">{d}</desc>",
        id = esc(&title.replace(' ', "-")).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>(),
        t = esc(title),
        d = esc(desc)
    );
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\"/>",
        h - bottom,
        w - 4.0,
        h - bottom
    );
    let _ = write!(s, "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#222\">{max}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#222\">0</text>", left - 4.0, top + 4.0, left - 4.0, h - bottom);
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{}\" y2=\"{top}\" stroke=\"#ddd\"/>",
        w - 4.0
    );
    let every = (bars.len() / 12).max(1);
    for (i, b) in bars.iter().enumerate() {
        let x = left + 4.0 + i as f64 * slot + (slot - bw) / 2.0;
        let mut y = h - bottom;
        for (k, v) in b.values.iter().enumerate() {
            if *v <= 0 {
                continue;
            }
            let bh = plot * (*v as f64) / (max as f64);
            y -= bh;
            let colour = series.get(k).map_or("#777", |s| s.colour);
            let name = series.get(k).map_or("", |s| s.name.as_str());
            let _ = write!(s, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"{colour}\"><title>{}: {} {v}</title></rect>", esc(&b.label), esc(name));
        }
        if i % every == 0 {
            let _ = write!(s, "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222\">{}</text>", x + bw / 2.0, h - bottom + 14.0, esc(&b.label));
        }
    }
    let mut lx = left;
    for se in series {
        let _ = write!(s, "<rect x=\"{lx}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#222\">{}</text>", h - 20.0, se.colour, lx + 16.0, h - 10.0, esc(&se.name));
        lx += 28.0 + 7.0 * se.name.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}

/// A horizontal bar of shares (e.g. early / on time / late), 100% wide.
pub fn shares(title: &str, series: &[Series], values: &[i64]) -> String {
    let total: i64 = values.iter().sum();
    let (w, h) = (640.0_f64, 56.0_f64);
    let mut s = String::new();
    let _ = write!(s, "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">", esc(title));
    if total <= 0 {
        let _ = write!(
            s,
            "<rect x=\"0\" y=\"4\" width=\"{w}\" height=\"24\" fill=\"#eee\"/>"
        );
    }
    let mut x = 0.0;
    for (k, v) in values.iter().enumerate() {
        if *v <= 0 || total <= 0 {
            continue;
        }
        let bw = w * (*v as f64) / (total as f64);
        let se = series.get(k);
        let _ = write!(s, "<rect x=\"{x:.1}\" y=\"4\" width=\"{bw:.1}\" height=\"24\" fill=\"{}\"><title>{}: {v}</title></rect>", se.map_or("#777", |s| s.colour), esc(se.map_or("", |s| s.name.as_str())));
        x += bw;
    }
    let mut lx = 0.0;
    for (k, se) in series.iter().enumerate() {
        let v = values.get(k).copied().unwrap_or(0);
        let label = format!("{} {v}", se.name);
        let _ = write!(s, "<rect x=\"{lx}\" y=\"38\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"48\" font-size=\"12\" fill=\"#222\">{}</text>", se.colour, lx + 16.0, esc(&label));
        lx += 30.0 + 7.0 * label.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}
