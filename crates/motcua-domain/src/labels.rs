//! How a procedure's time limit and fees read on a page or a form, in Vietnamese and English.

use crate::calendar::{TimeLimit, TimeUnit};
use crate::catalog::Fee;
use crate::money::group_thousands;

/// The time limit in words.
pub fn time(t: Option<&TimeLimit>, en: bool) -> String {
    match t {
        Some(t) if t.unit == TimeUnit::SameDay => if en {
            "Within the day (after 15:00: the next working day)"
        } else {
            "Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)"
        }
        .into(),
        Some(t) => format!(
            "{} {}",
            t.amount,
            if en { t.unit.en() } else { t.unit.vi() }
        ),
        None => if en {
            "Not stated"
        } else {
            "Không có thông tin"
        }
        .into(),
    }
}

/// The fees in words, amounts as `1.234.000 đ`.
pub fn fee(f: &Fee, en: bool) -> String {
    match f {
        Fee::Free { .. } => if en { "Free of charge" } else { "Miễn phí" }.into(),
        Fee::NoInfo | Fee::Unparsed => if en {
            "Not stated"
        } else {
            "Không có thông tin"
        }
        .into(),
        Fee::Amounts { items } => items
            .iter()
            .map(|i| {
                let amt = i
                    .amount
                    .map_or_else(|| "?".to_owned(), |a| group_thousands(a, '.'));
                let cur = if i.currency == "VND" {
                    "đ"
                } else {
                    i.currency.as_str()
                };
                match &i.per {
                    Some(p) => format!("{amt} {cur}/{p}"),
                    None => format!("{amt} {cur}"),
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}
