//! The document, legal-basis and result tables of a procedure record.

use super::*;
use regex::Regex;
use std::sync::LazyLock;

pub(super) static QTY_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d+)\s?(bản chính|bản sao điện tử|bản sao|bản chụp)"));
pub(super) static FORM_EXT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"\.(docx?|DOCX?|pdf|PDF|xlsx?|XLSX?)$"));
pub(super) static LAW_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\d{1,4}(?:\.\d{1,2})?/\d{4}/(?:QH\d{2}|[A-ZĐ]+(?:-(?:UBTVQH\d{2}|TTg|[A-ZĐ]+))*)")
});
pub(super) static RESULT_CODE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"Mã:\s*(KQ\.[A-Z]\d{2}\.\d{6})"));

fn is_lower(c: char) -> bool {
    c.is_lowercase()
}

/// Finds where a form file name glued to the end of a document name begins.
fn split_form(item: &str) -> (String, Option<String>) {
    let Some(ext) = FORM_EXT_RE.find(item) else {
        return (item.trim().to_owned(), None);
    };
    let window_start = item[..ext.start()]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(i, _)| i);
    let chars: Vec<(usize, char)> = item[window_start..ext.start()].char_indices().collect();
    let mut cut = None;
    for k in 1..chars.len() {
        let (_, p) = chars[k - 1];
        let (i, n) = chars[k];
        let next_lower = chars.get(k + 1).is_some_and(|x| is_lower(x.1));
        let glue = (is_lower(p) || ").;:".contains(p)) && (n.is_uppercase() || n.is_ascii_digit())
            || (p.is_uppercase() && n.is_uppercase() && next_lower);
        if glue {
            cut = Some(window_start + i);
            break;
        }
    }
    let cut = cut.unwrap_or_else(|| item[..ext.start()].rfind(' ').map_or(0, |i| i + 1));
    let name = item[..cut].trim().to_owned();
    let form = item[cut..].trim().to_owned();
    if name.is_empty() {
        (form, None)
    } else {
        (name, Some(form))
    }
}

fn clean_item(s: &str) -> String {
    s.trim()
        .trim_start_matches(['-', '+', '*', ' '])
        .trim()
        .to_owned()
}

/// Parses "Thành phần hồ sơ" into groups of documents.
pub fn parse_documents(raw: &str, problems: &mut Vec<String>) -> Vec<DocumentGroup> {
    const MARK: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";
    let chunks: Vec<&str> = raw.split(MARK).collect();
    if chunks.len() < 2 {
        if !raw.trim().is_empty() && raw.trim() != NO_INFO {
            problems.push("thành phần hồ sơ: không có bảng giấy tờ / no document table".into());
        }
        return Vec::new();
    }
    let mut groups = Vec::new();
    let mut title = chunks[0].to_owned();
    for (ci, chunk) in chunks.iter().enumerate().skip(1) {
        let mut items: Vec<DocumentItem> = Vec::new();
        let mut last = 0;
        for m in QTY_RE.captures_iter(chunk) {
            let (Some(whole), Some(n), Some(kind)) = (m.get(0), m.get(1), m.get(2)) else {
                continue;
            };
            let n: u32 = n.as_str().parse().unwrap_or(0);
            let is_original = kind.as_str() == "bản chính";
            let text = clean_item(&chunk[last..whole.start()]);
            last = whole.end();
            if text.is_empty() {
                if let Some(prev) = items.last_mut() {
                    if is_original {
                        prev.originals += n;
                    } else {
                        prev.copies += n;
                    }
                    prev.quantity_raw.push_str(whole.as_str());
                    continue;
                }
            }
            let (name, form) = split_form(&text);
            items.push(DocumentItem {
                name,
                form,
                originals: if is_original { n } else { 0 },
                copies: if is_original { 0 } else { n },
                quantity_raw: whole.as_str().to_owned(),
            });
        }
        let tail = chunk[last..].trim().to_owned();
        let key = crate::text::search_key(&title);
        let duty = if key.contains("phai xuat trinh") {
            DocumentDuty::Show
        } else {
            DocumentDuty::Submit
        };
        let clean_title = title
            .trim()
            .trim_matches(['*', '-', ':', ' '])
            .trim()
            .to_owned();
        if items.is_empty() {
            problems.push(format!(
                "thành phần hồ sơ: nhóm {ci} không có số lượng / group {ci} has no quantities"
            ));
        }
        groups.push(DocumentGroup {
            title: clean_title,
            duty,
            items,
        });
        title = tail;
    }
    groups
}

/// Parses "Căn cứ pháp lý" into (name, number) pairs.
pub fn parse_legal_basis(raw: &str) -> Vec<LegalDoc> {
    let body = raw.trim();
    let body = body
        .strip_prefix("Tên văn bản pháp lýMã văn bản")
        .unwrap_or(body);
    // Matches, backing off one letter when the next character is lowercase ("TT-BTCNghị" → "TT-BTC").
    let mut matches: Vec<(usize, usize)> = Vec::new();
    for m in LAW_RE.find_iter(body) {
        let mut end = m.end();
        if body[end..].chars().next().is_some_and(is_lower) {
            if let Some((i, _)) = body[m.start()..end].char_indices().last() {
                end = m.start() + i;
            }
        }
        matches.push((m.start(), end));
    }
    let glued = |end: usize| {
        body[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_whitespace() && !",;.)(".contains(c))
    };
    // A number glued to the end of the previous name ("…của Bộ Tư pháp18/2026/NĐ-CP Nghị định…") starts a cell
    // even when a space follows it.
    let starts_cell = |s: usize| {
        body[..s]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphabetic() || c == ')')
    };
    let mut out = Vec::new();
    let mut prev_end = 0;
    for (k, &(s, e)) in matches.iter().enumerate() {
        if s < prev_end || !(glued(e) || starts_cell(s)) {
            continue;
        }
        // A match directly followed by another one belongs to the name ("Luật 60/2014/QH13" + "60/2014/QH13").
        if matches.get(k + 1).is_some_and(|n| n.0 == e) {
            continue;
        }
        let before = &body[prev_end..s];
        let mut col_start = s;
        if before.ends_with(' ') {
            // The number column may start with words ("Thông tư số 03/2023/TT-BTP"): find the glue point.
            let chars: Vec<(usize, char)> = before.char_indices().collect();
            for w in chars.windows(2).rev() {
                let ((_, p), (i, c)) = (w[0], w[1]);
                if (is_lower(p) || ").".contains(p)) && c.is_uppercase() && before.len() - i < 40 {
                    col_start = prev_end + i;
                    break;
                }
            }
        }
        let name = body[prev_end..col_start].trim().to_owned();
        out.push(LegalDoc {
            name: if name.is_empty() {
                body[col_start..e].to_owned()
            } else {
                name
            },
            number: body[s..e].to_owned(),
        });
        prev_end = e;
    }
    out
}

/// Parses "Kết quả xử lý" into result documents with their codes.
pub fn parse_results(raw: &str) -> Vec<ResultDoc> {
    let body = raw.split("Từ khóa").next().unwrap_or("").trim();
    let mut out = Vec::new();
    let mut last = 0;
    for c in RESULT_CODE_RE.captures_iter(body) {
        let (Some(whole), Some(code)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let name = body[last..whole.start()].trim().to_owned();
        out.push(ResultDoc {
            name,
            code: Some(code.as_str().to_owned()),
        });
        last = whole.end();
    }
    let tail = body[last..].trim();
    if !tail.is_empty() && tail != NO_INFO {
        out.push(ResultDoc {
            name: tail.to_owned(),
            code: None,
        });
    }
    out
}
