//! Vietnamese text helpers: a diacritics-free search key, so that "ket hon" finds "kết hôn".

use unicode_normalization::UnicodeNormalization;

/// Folds text for search: lowercase, diacritics removed (đ → d), punctuation to spaces, spaces collapsed.
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Removes diacritics but keeps case and punctuation (for VNPay's `vnp_OrderInfo` and similar ASCII-only fields).
pub fn strip_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(
            search_key("Thủ tục đăng ký KẾT HÔN"),
            "thu tuc dang ky ket hon"
        );
        assert_eq!(
            search_key("  Phường  Bến Nghé, Quận 1 "),
            "phuong ben nghe quan 1"
        );
        assert_eq!(search_key("Hoà"), search_key("Hòa"));
        assert_eq!(strip_diacritics("Đăng ký khai sinh"), "Dang ky khai sinh");
    }

    #[test]
    fn decomposed_input_folds_like_precomposed() {
        let decomposed: String = "kết hôn".nfd().collect();
        assert_eq!(search_key(&decomposed), "ket hon");
    }
}
