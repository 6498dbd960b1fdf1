//! Fees (phí, lệ phí) of a dossier: from the catalog's channel row to an amount with its breakdown.
//!
//! A catalog amount is fixed, per page with tiers and a cap per copy (certification of copies: 2.000 đ/page, from
//! page 3 on 1.000 đ/page, at most 200.000 đ per copy), or per item ("/bản", "/lần"). Exemptions follow the fee
//! laws: on-time birth registration (Law on Civil Status art. 11), poor households and people with merit (Circular
//! 85/2019/TT-BTC and the province's resolutions); an exempt dossier owes 0 đ with the reason printed.

use crate::catalog::{Channel, ChannelRow, Fee, FeeItem, PageTiers};
use crate::money::Vnd;
use serde::{Deserialize, Serialize};

/// Why a dossier owes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// Birth registered within the legal time (60 days).
    OnTimeBirth,
    /// A poor household (hộ nghèo).
    PoorHousehold,
    /// A person with merit to the revolution (người có công).
    Merit,
}

impl Exemption {
    pub const ALL: [Exemption; 3] = [Self::OnTimeBirth, Self::PoorHousehold, Self::Merit];
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::OnTimeBirth => "on_time_birth",
            Self::PoorHousehold => "poor_household",
            Self::Merit => "merit",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
    pub const fn vi(self) -> &'static str {
        match self {
            Self::OnTimeBirth => "Đăng ký khai sinh đúng hạn (miễn lệ phí)",
            Self::PoorHousehold => "Thành viên hộ nghèo (miễn phí, lệ phí)",
            Self::Merit => "Người có công với cách mạng (miễn phí, lệ phí)",
        }
    }
    pub const fn en(self) -> &'static str {
        match self {
            Self::OnTimeBirth => "Birth registered on time (fee exempt)",
            Self::PoorHousehold => "Member of a poor household (exempt)",
            Self::Merit => "Person with merit to the revolution (exempt)",
        }
    }
}

/// When the fee is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// Thu trước: at intake, before processing.
    Before,
    /// Thu sau: when the result is ready.
    After,
}

impl Collection {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Before, Self::After]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// What the amount depends on, as the officer counts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Pages of each copy (per-page fees): `[5, 1]` is one copy of 5 pages and one of 1.
    #[serde(default)]
    pub pages: Vec<u32>,
    /// Items (per-item fees: copies, documents, times); 1 when not given.
    #[serde(default)]
    pub items: Option<u32>,
    #[serde(default)]
    pub exemption: Option<Exemption>,
}

/// One line of the breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub label_vi: String,
    pub label_en: String,
    pub amount: Vnd,
}

/// The amount owed with how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub lines: Vec<Line>,
    pub total: Vnd,
    pub exemption: Option<Exemption>,
    /// The catalog's text the amount comes from.
    pub basis: String,
    /// The catalog states no amount for this channel (the officer enters it).
    pub unknown: bool,
    /// The amount is per page: it cannot be computed without the pages of each copy.
    pub per_page: bool,
}

fn page_lines(t: &PageTiers, pages: &[u32]) -> Vec<Line> {
    pages
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let raw = i64::from(p.min(t.from_page.saturating_sub(1))) * t.rate
                + i64::from(p.saturating_sub(t.from_page.saturating_sub(1))) * t.later_rate;
            let amount = t.total(p);
            let capped = if amount < raw {
                " (mức tối đa)"
            } else {
                ""
            };
            let capped_en = if amount < raw { " (capped)" } else { "" };
            Line {
                label_vi: format!("Bản {}: {p} trang{capped}", i + 1),
                label_en: format!("Copy {}: {p} pages{capped_en}", i + 1),
                amount: Vnd(amount),
            }
        })
        .collect()
}

fn item_line(item: &FeeItem, amount: i64, counts: &Counts) -> Line {
    let n = counts.items.unwrap_or(1).max(1);
    let per = item.per.as_deref().unwrap_or("");
    let (vi, en) = if per.is_empty() {
        ("Phí, lệ phí".to_owned(), "Fee".to_owned())
    } else {
        (
            format!(
                "{n} × {} đ/{per}",
                crate::money::group_thousands(amount, '.')
            ),
            format!("{n} × {amount} VND per {per}"),
        )
    };
    let total = if per.is_empty() {
        amount
    } else {
        amount.saturating_mul(i64::from(n))
    };
    Line {
        label_vi: vi,
        label_en: en,
        amount: Vnd(total),
    }
}

/// The catalog's amount in words: "2.000 đ/trang; từ trang 3: 1.000 đ/trang; tối đa 200.000 đ/bản".
fn describe(item: &FeeItem, amount: i64) -> String {
    let per = item
        .per
        .as_deref()
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    let mut s = format!("{}{per}", Vnd(amount));
    if let Some(t) = &item.tiers {
        s.push_str(&format!(
            "; từ trang {}: {}/trang",
            t.from_page,
            Vnd(t.later_rate)
        ));
        if let Some(c) = t.cap {
            s.push_str(&format!("; tối đa {}/bản", Vnd(c)));
        }
    }
    s
}

/// The fee of a dossier on `channel` from the procedure's channel rows (the first row of that channel, else the
/// first in-person row), given what the officer counted.
pub fn quote(rows: &[ChannelRow], channel: Channel, counts: &Counts) -> Quote {
    let row = rows
        .iter()
        .find(|r| r.channel == channel)
        .or_else(|| rows.iter().find(|r| r.channel == Channel::InPerson));
    let basis = row.map(|r| r.fee_raw.clone()).unwrap_or_default();
    let mut q = Quote {
        lines: Vec::new(),
        total: Vnd(0),
        exemption: None,
        basis,
        unknown: false,
        per_page: false,
    };
    match row.map(|r| &r.fee) {
        Some(Fee::Free { .. }) => {}
        Some(Fee::Amounts { items }) => {
            let vnd = items
                .iter()
                .find(|i| i.currency == "VND" && i.amount.is_some());
            match vnd {
                Some(item) => {
                    let amount = item.amount.unwrap_or(0);
                    q.basis = describe(item, amount);
                    q.per_page = item.tiers.is_some() || item.per.as_deref() == Some("trang");
                    q.lines = match (&item.tiers, item.per.as_deref()) {
                        (Some(t), _) if !counts.pages.is_empty() => page_lines(t, &counts.pages),
                        (None, Some("trang")) if !counts.pages.is_empty() => {
                            let flat = PageTiers {
                                rate: amount,
                                from_page: u32::MAX,
                                later_rate: amount,
                                cap: None,
                            };
                            page_lines(&flat, &counts.pages)
                        }
                        _ => vec![item_line(item, amount, counts)],
                    };
                }
                None => q.unknown = true,
            }
        }
        _ => q.unknown = true,
    }
    q.total = Vnd(q.lines.iter().map(|l| l.amount.0).sum());
    if let Some(e) = counts.exemption {
        if q.total.0 > 0 {
            q.lines.push(Line {
                label_vi: format!("Miễn: {}", e.vi()),
                label_en: format!("Exempt: {}", e.en()),
                amount: Vnd(-q.total.0),
            });
        }
        q.exemption = Some(e);
        q.total = Vnd(0);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(channel: Channel, fee: Fee) -> ChannelRow {
        ChannelRow {
            channel,
            time: None,
            time_unit_source: "missing".into(),
            time_raw: String::new(),
            fee,
            fee_raw: "raw".into(),
            description: String::new(),
        }
    }

    fn item(amount: i64, per: Option<&str>, tiers: Option<PageTiers>) -> Fee {
        Fee::Amounts {
            items: vec![FeeItem {
                amount: Some(amount),
                currency: "VND".into(),
                per: per.map(Into::into),
                note: None,
                tiers,
            }],
        }
    }

    const COPIES: PageTiers = PageTiers {
        rate: 2000,
        from_page: 3,
        later_rate: 1000,
        cap: Some(200_000),
    };

    #[test]
    fn certification_of_copies_by_page_with_the_cap() {
        let rows = [row(
            Channel::InPerson,
            item(2000, Some("trang"), Some(COPIES)),
        )];
        let q = quote(
            &rows,
            Channel::InPerson,
            &Counts {
                pages: vec![1, 2, 5, 250],
                ..Counts::default()
            },
        );
        let amounts: Vec<i64> = q.lines.iter().map(|l| l.amount.0).collect();
        // 1 page 2.000; 2 pages 4.000; 5 pages 2×2.000 + 3×1.000 = 7.000; 250 pages → 252.000 capped at 200.000.
        assert_eq!(amounts, vec![2000, 4000, 7000, 200_000]);
        assert_eq!(q.total, Vnd(213_000));
        assert!(q.lines[3].label_vi.contains("tối đa"));
        assert_eq!(
            q.basis,
            "2.000 đ/trang; từ trang 3: 1.000 đ/trang; tối đa 200.000 đ/bản"
        );
    }

    #[test]
    fn per_item_fixed_free_and_unknown() {
        let rows = [
            row(Channel::InPerson, item(8000, Some("bản"), None)),
            row(Channel::Online, item(10_000, None, None)),
            row(Channel::Postal, Fee::Free { note: None }),
        ];
        let three = Counts {
            items: Some(3),
            ..Counts::default()
        };
        assert_eq!(quote(&rows, Channel::InPerson, &three).total, Vnd(24_000));
        assert_eq!(quote(&rows, Channel::Online, &three).total, Vnd(10_000));
        let free = quote(&rows, Channel::Postal, &three);
        assert_eq!(free.total, Vnd(0));
        assert!(!free.unknown);
        let none = quote(
            &[row(Channel::InPerson, Fee::NoInfo)],
            Channel::Online,
            &three,
        );
        assert!(none.unknown);
    }

    #[test]
    fn an_exemption_owes_nothing_and_says_why() {
        let rows = [row(Channel::InPerson, item(8000, None, None))];
        let q = quote(
            &rows,
            Channel::InPerson,
            &Counts {
                exemption: Some(Exemption::PoorHousehold),
                ..Counts::default()
            },
        );
        assert_eq!(q.total, Vnd(0));
        assert_eq!(q.lines.len(), 2);
        assert_eq!(q.lines[1].amount, Vnd(-8000));
        assert!(q.lines[1].label_vi.contains("hộ nghèo"));
    }
}
