//! The "channels" table of a procedure record: per channel, the time limit, the fee and its description.

use super::*;
use crate::calendar::{TimeLimit, TimeUnit};
use regex::Regex;
use std::sync::LazyLock;

static CHANNEL_HEADER: &str = "Hình thức nộpThời gianPhí, lệ phíMô tả";
static TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|ngày làm việc|Ngày|ngày|Giờ|giờ|Tháng|tháng|Năm|Phút)?",
    )
});
static AMOUNT_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(\d[\d.,]*)?\s*(Việt Nam Đồng|VNĐ|VND|Đồng|đồng|USD)"));
static TIERS_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(\d[\d.]*)\s*đồng\s*/\s*trang;?\s*từ trang thứ\s*(\d+)\s*trở lên thu\s*(\d[\d.]*)\s*đồng\s*/\s*trang(?:,\s*tối đa thu không quá\s*(\d[\d.]*)\s*đồng)?",
    )
});

fn unit_of(s: &str) -> Option<(TimeUnit, f64)> {
    Some(match s.to_lowercase().as_str() {
        "ngày làm việc" => (TimeUnit::WorkingDays, 1.0),
        "ngày" => (TimeUnit::Days, 1.0),
        "giờ" => (TimeUnit::Hours, 1.0),
        "tháng" => (TimeUnit::Months, 1.0),
        "năm" => (TimeUnit::Months, 12.0),
        "phút" => (TimeUnit::Hours, 1.0 / 60.0),
        _ => return None,
    })
}

/// Parses "2,000" or "200.000" (both separators group thousands on the portal).
pub(super) fn amount(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A balanced "( … )" at the start of `s`: returns the inside and the length consumed.
fn paren(s: &str) -> Option<(&str, usize)> {
    if !s.starts_with('(') {
        return None;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&s[1..i], i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

struct RowHead {
    time: Option<(f64, Option<(TimeUnit, f64)>)>,
    time_raw: String,
    fee: Fee,
    fee_raw: String,
    len: usize,
}

/// Parses "7 Ngày làm việc10,000 Việt Nam Đồng(note)" at the start of a row.
fn row_head(s: &str) -> Option<RowHead> {
    let mut pos;
    let time;
    if let Some(rest) = s.strip_prefix(NO_INFO) {
        time = None;
        pos = s.len() - rest.len();
    } else if s.starts_with("Không quy định") {
        time = None;
        pos = "Không quy định".len();
    } else if let Some(m) = TIME_RE.captures(s) {
        let whole = m.get(0)?;
        let value: f64 = m.get(1)?.as_str().replace(',', ".").parse().ok()?;
        let unit = m.get(2).and_then(|u| unit_of(u.as_str()));
        // A bare number glued to a currency is a fee, not a time: "1200 VNĐ" cannot be split safely.
        if unit.is_none()
            && AMOUNT_RE.is_match(s[whole.end()..].trim_start())
            && s[whole.end()..].starts_with(' ')
        {
            return None;
        }
        time = Some((value, unit));
        pos = whole.end();
    } else if s.starts_with("Không") {
        time = None;
        pos = "Không".len();
    } else {
        return None;
    }
    let time_raw = s[..pos].trim().to_owned();
    let rest = s[pos..].trim_start();
    pos = s.len() - rest.len();
    let fee_start = pos;
    let fee = if let Some(r) = rest.strip_prefix("Miễn phí") {
        pos += "Miễn phí".len();
        let note = paren(r).map(|(inside, n)| {
            pos += n;
            inside.trim().to_owned()
        });
        Fee::Free { note }
    } else if rest.starts_with(NO_INFO) {
        pos += NO_INFO.len();
        Fee::NoInfo
    } else {
        let mut items = Vec::new();
        while let Some(m) = AMOUNT_RE.captures(&s[pos..]) {
            let whole = m.get(0)?;
            let amt = m.get(1).and_then(|a| amount(a.as_str()));
            let currency = if m.get(2)?.as_str() == "USD" {
                "USD"
            } else {
                "VND"
            };
            pos += whole.end();
            let note = paren(&s[pos..]).map(|(inside, n)| {
                pos += n;
                inside.trim().to_owned()
            });
            let per = note
                .as_deref()
                .and_then(|n| n.strip_prefix('/'))
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty() && p.len() < 40);
            items.push(FeeItem {
                amount: amt,
                currency: currency.to_owned(),
                per,
                note,
                tiers: None,
            });
        }
        if items.is_empty() {
            return None;
        }
        Fee::Amounts { items }
    };
    Some(RowHead {
        time,
        time_raw,
        fee,
        fee_raw: s[fee_start..pos].trim().to_owned(),
        len: pos,
    })
}

fn channel_at(s: &str) -> Option<(Channel, usize)> {
    Channel::ALL
        .into_iter()
        .find(|c| s.starts_with(c.vi()))
        .map(|c| (c, c.vi().len()))
}

/// Parses the flattened "Cách thức thực hiện" table into rows; problems are appended to `problems`.
pub fn parse_channels(raw: &str, problems: &mut Vec<String>) -> Vec<ChannelRow> {
    parse_channels_in(raw, "", false, problems)
}

/// Like [`parse_channels`], with the record's steps text and 15:00 rule to resolve times printed without a unit.
pub fn parse_channels_in(
    raw: &str,
    steps: &str,
    cutoff_rule: bool,
    problems: &mut Vec<String>,
) -> Vec<ChannelRow> {
    let steps_key = crate::text::search_key(steps);
    let body = raw.trim();
    let body = body.strip_prefix(CHANNEL_HEADER).unwrap_or(body);
    // Valid row starts: a channel name followed by a time and fee that parse.
    let mut starts: Vec<(usize, Channel, usize, RowHead)> = Vec::new();
    for (i, _) in body.char_indices() {
        if let Some((ch, n)) = channel_at(&body[i..]) {
            if let Some(head) = row_head(&body[i + n..]) {
                starts.push((i, ch, n, head));
            }
        }
    }
    if starts.first().is_none_or(|s| s.0 != 0) {
        if !body.is_empty() {
            problems.push(
                "cách thức thực hiện: không nhận ra hàng đầu tiên / first row not recognised"
                    .into(),
            );
        }
        if starts.is_empty() {
            return Vec::new();
        }
    }
    let mut rows = Vec::new();
    for k in 0..starts.len() {
        let end = starts.get(k + 1).map_or(body.len(), |s| s.0);
        let (i, ch, n, head) = &starts[k];
        let desc_start = (i + n + head.len).min(end);
        let description = body[desc_start..end].trim().to_owned();
        let (time, source) = match head.time {
            None => (None, "none"),
            Some((v, Some((unit, factor)))) => (
                Some(TimeLimit {
                    amount: v * factor,
                    unit,
                }),
                "stated",
            ),
            Some((v, None)) => {
                // "Trực tuyến1" with no unit: take the unit the description or the steps state for the same
                // number; a "1" under the 15:00 rule is a same-day result (next working day after 15:00).
                let key = crate::text::search_key(&description);
                let n = v as i64;
                let wd = [
                    format!("{n} ngay lam viec"),
                    format!("{n:02} ngay lam viec"),
                ];
                if v.fract() == 0.0 && wd.iter().any(|p| key.contains(p.as_str())) {
                    (
                        Some(TimeLimit {
                            amount: v,
                            unit: TimeUnit::WorkingDays,
                        }),
                        "description",
                    )
                } else if v.fract() == 0.0 && wd.iter().any(|p| steps_key.contains(p.as_str())) {
                    (
                        Some(TimeLimit {
                            amount: v,
                            unit: TimeUnit::WorkingDays,
                        }),
                        "steps",
                    )
                } else if v == 1.0 && cutoff_rule {
                    (
                        Some(TimeLimit {
                            amount: 0.0,
                            unit: TimeUnit::SameDay,
                        }),
                        "cutoff_rule",
                    )
                } else {
                    problems.push(format!(
                        "{}: thời hạn \"{}\" thiếu đơn vị / time without a unit",
                        ch.vi(),
                        head.time_raw
                    ));
                    (None, "missing")
                }
            }
        };
        let mut fee = head.fee.clone();
        if let Fee::Amounts { items } = &mut fee {
            for it in items.iter_mut() {
                if it.amount.is_none() {
                    problems.push(format!(
                        "{}: lệ phí không có số tiền / fee without an amount",
                        ch.vi()
                    ));
                }
                if it.per.as_deref() == Some("trang") {
                    if let Some(c) = TIERS_RE.captures(&description) {
                        it.tiers = Some(PageTiers {
                            rate: c.get(1).and_then(|m| amount(m.as_str())).unwrap_or(0),
                            from_page: c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(1),
                            later_rate: c.get(3).and_then(|m| amount(m.as_str())).unwrap_or(0),
                            cap: c.get(4).and_then(|m| amount(m.as_str())),
                        });
                    }
                }
            }
        }
        rows.push(ChannelRow {
            channel: *ch,
            time,
            time_unit_source: source.to_owned(),
            time_raw: head.time_raw.clone(),
            fee,
            fee_raw: head.fee_raw.clone(),
            description,
        });
    }
    rows
}
