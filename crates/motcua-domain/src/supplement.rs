//! A supplement request asks for several papers; it stays open until a document has been sent for each of them
//! (or the officer closes it, having the rest on paper).

use crate::text::search_key;

/// The papers asked for and whether each has been sent, given the components of the documents sent since the
/// request (compared without diacritics or case, so "Tờ khai" and "to khai" are the same paper).
pub fn progress<'a>(asked: &'a [String], sent: &[&str]) -> Vec<(&'a str, bool)> {
    let sent: Vec<String> = sent.iter().map(|s| search_key(s)).collect();
    asked
        .iter()
        .map(|a| (a.as_str(), sent.contains(&search_key(a))))
        .collect()
}

/// Whether every paper asked for has been sent.
pub fn complete(progress: &[(&str, bool)]) -> bool {
    progress.iter().all(|(_, sent)| *sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_stays_open_until_each_paper_is_sent() {
        let asked = vec!["Tờ khai".to_owned(), "Bản sao giấy khai sinh".to_owned()];
        let p = progress(&asked, &[]);
        assert_eq!(
            p,
            vec![("Tờ khai", false), ("Bản sao giấy khai sinh", false)]
        );
        assert!(!complete(&p));
        let p = progress(&asked, &["TO KHAI"]);
        assert_eq!(p[0], ("Tờ khai", true));
        assert!(!complete(&p));
        let p = progress(
            &asked,
            &["to khai", "Bản sao giấy khai sinh", "Ảnh chân dung"],
        );
        assert!(complete(&p));
    }
}
