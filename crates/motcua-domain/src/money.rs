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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_with_dots() {
        assert_eq!(Vnd(1_234_000).to_string(), "1.234.000 đ");
        assert_eq!(Vnd(0).to_string(), "0 đ");
        assert_eq!(Vnd(999).to_string(), "999 đ");
        assert_eq!(Vnd(1000).to_string(), "1.000 đ");
        assert_eq!(Vnd(-20_000).to_string(), "-20.000 đ");
    }
}
