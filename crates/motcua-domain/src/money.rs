//! Money in Vietnamese đồng, printed with thousands dots ("1.234.000 đ").

use serde::{Deserialize, Serialize};

/// An amount in đồng (VND has no minor unit in practice).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct Vnd(pub i64);

/// Groups digits by three with a separator: `group_thousands(1234567, '.')` is "1.234.567".
pub fn group_thousands(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

impl std::fmt::Display for Vnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} đ", group_thousands(self.0, '.'))
    }
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Three digits read aloud; `full` when a higher group precedes (then "không trăm", "linh" are said).
fn read3(n: u64, full: bool) -> String {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    let mut w: Vec<&str> = Vec::new();
    if full || h > 0 {
        w.extend([DIGITS[h], "trăm"]);
    }
    match (t, u) {
        (0, 0) => {}
        (0, u) => {
            if full || h > 0 {
                w.push("linh");
            }
            w.push(DIGITS[u]);
        }
        (1, u) => {
            w.push("mười");
            match u {
                0 => {}
                5 => w.push("lăm"),
                u => w.push(DIGITS[u]),
            }
        }
        (t, u) => {
            w.extend([DIGITS[t], "mươi"]);
            match u {
                0 => {}
                1 => w.push("mốt"),
                5 => w.push("lăm"),
                u => w.push(DIGITS[u]),
            }
        }
    }
    w.join(" ")
}

/// An amount in words, as a receipt writes it: `9_000` is "Chín nghìn đồng".
pub fn in_words(amount: i64) -> String {
    const UNITS: [&str; 5] = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ"];
    let mut n = amount.unsigned_abs();
    if n == 0 {
        return "Không đồng".to_owned();
    }
    let mut groups = Vec::new();
    while n > 0 {
        groups.push(n % 1000);
        n /= 1000;
    }
    let top = groups.len() - 1;
    let mut parts: Vec<String> = Vec::new();
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            continue;
        }
        let mut p = read3(*g, i < top);
        if let Some(u) = UNITS.get(i).filter(|u| !u.is_empty()) {
            p.push(' ');
            p.push_str(u);
        }
        parts.push(p);
    }
    let text = format!(
        "{}{} đồng",
        if amount < 0 { "âm " } else { "" },
        parts.join(" ")
    );
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_aloud() {
        assert_eq!(in_words(9_000), "Chín nghìn đồng");
        assert_eq!(in_words(213_000), "Hai trăm mười ba nghìn đồng");
        assert_eq!(
            in_words(1_005_000),
            "Một triệu không trăm linh năm nghìn đồng"
        );
        assert_eq!(in_words(21), "Hai mươi mốt đồng");
        assert_eq!(in_words(15), "Mười lăm đồng");
        assert_eq!(in_words(2_000_000_000), "Hai tỷ đồng");
        assert_eq!(
            in_words(125_500),
            "Một trăm hai mươi lăm nghìn năm trăm đồng"
        );
    }

    #[test]
    fn prints_with_dots() {
        assert_eq!(Vnd(1_234_000).to_string(), "1.234.000 đ");
        assert_eq!(Vnd(0).to_string(), "0 đ");
        assert_eq!(Vnd(999).to_string(), "999 đ");
        assert_eq!(Vnd(1000).to_string(), "1.000 đ");
        assert_eq!(Vnd(-20_000).to_string(), "-20.000 đ");
    }
}
