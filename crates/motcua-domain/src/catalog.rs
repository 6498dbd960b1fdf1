//! The procedure (TTHC) record, parsed back from the flattened text of the national portal (DOMAIN.md §4).
//!
//! Every parsed value keeps its raw text beside it, and each record carries a report of what did not parse.

use crate::calendar::{TimeLimit, TimeUnit};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A record as scraped from the national portal (`tthc_commune_level_sample.json`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RawRecord {
    pub ma_thu_tuc: String,
    pub ten_thu_tuc: String,
    pub so_quyet_dinh: String,
    pub cap_thuc_hien: String,
    pub loai_thu_tuc: String,
    pub linh_vuc: String,
    pub doi_tuong_thuc_hien: String,
    pub co_quan_co_tham_quyen: String,
    pub co_quan_phoi_hop: String,
    pub thu_tuc_lien_quan: String,
    pub trinh_tu_thuc_hien: String,
    pub cach_thuc_thuc_hien: String,
    pub thanh_phan_ho_so: String,
    pub can_cu_phap_ly: String,
    pub co_quan_thuc_hien: String,
    pub yeu_cau_dieu_kien: String,
    pub ket_qua_xu_ly: String,
    pub detail_url: String,
    pub bo_nganh_folder: String,
}

/// Authority levels that carry out a procedure ("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Levels {
    pub ministry: bool,
    pub province: bool,
    pub commune: bool,
    pub other: bool,
}

impl Levels {
    /// Parses the portal's comma-joined list.
    pub fn parse(s: &str) -> Levels {
        let k = crate::text::search_key(s);
        Levels {
            ministry: k.contains("cap bo"),
            province: k.contains("cap tinh"),
            commune: k.contains("cap xa"),
            other: k.contains("co quan khac"),
        }
    }
}

/// How a dossier is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Trực tiếp: at a counter.
    InPerson,
    /// Trực tuyến: online.
    Online,
    /// Dịch vụ bưu chính: by public post.
    Postal,
}

impl TryFrom<String> for Channel {
    type Error = crate::error::UnknownStored;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Channel::parse(&s).ok_or(crate::error::UnknownStored {
            what: "channel",
            value: s,
        })
    }
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 3] = [Channel::InPerson, Channel::Online, Channel::Postal];
    /// Stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Online => "online",
            Channel::Postal => "postal",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
    /// Vietnamese label as on the portal.
    pub const fn vi(self) -> &'static str {
        match self {
            Channel::InPerson => "Trực tiếp",
            Channel::Online => "Trực tuyến",
            Channel::Postal => "Dịch vụ bưu chính",
        }
    }
    /// English label.
    pub const fn en(self) -> &'static str {
        match self {
            Channel::InPerson => "In person",
            Channel::Online => "Online",
            Channel::Postal => "By post",
        }
    }
    /// DVCQG `KenhThucHien` (1 trực tiếp, 2 trực tuyến, 3 bưu chính).
    pub const fn national_code(self) -> i16 {
        match self {
            Channel::InPerson => 1,
            Channel::Online => 2,
            Channel::Postal => 3,
        }
    }
}

/// Online service level under Decree 42/2022: fully online (toàn trình), partly online (một phần), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    Full,
    Partial,
    None,
}

impl OnlineLevel {
    /// Stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::None => "none",
        }
    }
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Full, Self::Partial, Self::None]
            .into_iter()
            .find(|l| l.as_str() == s)
    }
}

/// Per-page fee tiers, e.g. 2.000 đ/page, from page 3 on 1.000 đ/page, at most 200.000 đ per copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageTiers {
    pub rate: i64,
    pub from_page: u32,
    pub later_rate: i64,
    pub cap: Option<i64>,
}

impl PageTiers {
    /// The fee for one copy of `pages` pages.
    pub fn total(&self, pages: u32) -> i64 {
        let first = i64::from(pages.min(self.from_page.saturating_sub(1)));
        let later = i64::from(pages.saturating_sub(self.from_page.saturating_sub(1)));
        let t = first * self.rate + later * self.later_rate;
        self.cap.map_or(t, |c| t.min(c))
    }
}

/// One fee amount of a channel row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItem {
    /// Amount in the currency's unit; `None` when the portal printed the currency without an amount.
    pub amount: Option<i64>,
    /// "VND" or "USD".
    pub currency: String,
    /// What the amount is per ("trang", "bản", "văn bản"), from a note like "(/trang)".
    pub per: Option<String>,
    /// The note in parentheses, as printed.
    pub note: Option<String>,
    /// Tiers, when the description spells out a per-page formula.
    pub tiers: Option<PageTiers>,
}

/// The fee of a channel row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fee {
    /// "Miễn phí".
    Free { note: Option<String> },
    /// "Không có thông tin".
    NoInfo,
    /// One or more amounts.
    Amounts { items: Vec<FeeItem> },
    /// Not understood; see the raw text.
    Unparsed,
}

/// One row of "Cách thức thực hiện": channel, time limit, fee, description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelRow {
    pub channel: Channel,
    /// The time limit, if the row states one.
    pub time: Option<TimeLimit>,
    /// Where the unit came from: "stated", "description" (inferred from the description) or "missing".
    pub time_unit_source: String,
    pub time_raw: String,
    pub fee: Fee,
    pub fee_raw: String,
    pub description: String,
}

/// Whether a document must be submitted or only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentDuty {
    /// Giấy tờ phải nộp.
    Submit,
    /// Giấy tờ phải xuất trình.
    Show,
}

/// A document of the dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentItem {
    pub name: String,
    /// Form template file, when the portal links one.
    pub form: Option<String>,
    pub originals: u32,
    pub copies: u32,
    pub quantity_raw: String,
}

/// A group of documents under one heading (a case, or "must submit" / "must show").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentGroup {
    pub title: String,
    pub duty: DocumentDuty,
    pub items: Vec<DocumentItem>,
}

/// A legal document cited as the procedure's basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalDoc {
    pub name: String,
    pub number: String,
}

/// A result document with its national code (e.g. "Giấy khai sinh", KQ.G15.000031).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDoc {
    pub name: String,
    pub code: Option<String>,
}

/// How well a record parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseStatus {
    Full,
    Partial,
    None,
}

impl ParseStatus {
    /// Stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParseStatus::Full => "full",
            ParseStatus::Partial => "partial",
            ParseStatus::None => "none",
        }
    }
}

/// The structured detail of a procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub target_groups: Vec<String>,
    pub competent_agency: String,
    pub implementing_agency: String,
    pub coordinating_agency: String,
    pub related: String,
    pub conditions: String,
    pub steps: Vec<String>,
    pub channels: Vec<ChannelRow>,
    pub documents: Vec<DocumentGroup>,
    pub legal_basis: Vec<LegalDoc>,
    pub results: Vec<ResultDoc>,
    /// "15:00" when an intake after that hour is returned the next working day.
    pub cutoff: Option<String>,
    /// Disadvantaged-area time limit, when the record states one.
    pub disadvantaged_time: Option<TimeLimit>,
    pub parse_status: ParseStatus,
    pub problems: Vec<String>,
}

impl Detail {
    /// The legal time limit of a channel (or of the first channel that states one), the disadvantaged-area variant
    /// when asked for and stated, and the procedure's cut-off time of day.
    pub fn time_limit(
        &self,
        channel: Channel,
        disadvantaged: bool,
    ) -> (Option<crate::calendar::TimeLimit>, Option<time::Time>) {
        let cutoff = self.cutoff.as_deref().and_then(|c| {
            time::Time::parse(c, time::macros::format_description!("[hour]:[minute]")).ok()
        });
        let row = self
            .channels
            .iter()
            .find(|r| r.channel == channel && r.time.is_some())
            .or_else(|| self.channels.iter().find(|r| r.time.is_some()));
        let normal = row.and_then(|r| r.time);
        let limit = match (disadvantaged, self.disadvantaged_time) {
            (true, Some(t)) => Some(t),
            _ => normal,
        };
        (limit, cutoff)
    }
}

/// A parsed procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub decision: String,
    pub levels: Levels,
    pub procedure_type: String,
    pub field: String,
    pub online_level: OnlineLevel,
    pub detail: Detail,
}

fn re(s: &str) -> Regex {
    #[expect(
        clippy::unwrap_used,
        reason = "patterns are constants checked by the tests"
    )]
    Regex::new(s).unwrap()
}

static NO_INFO: &str = "Không có thông tin";
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
static QTY_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(\d+)\s?(bản chính|bản sao điện tử|bản sao|bản chụp)"));
static FORM_EXT_RE: LazyLock<Regex> = LazyLock::new(|| re(r"\.(docx?|DOCX?|pdf|PDF|xlsx?|XLSX?)$"));
static LAW_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\d{1,4}(?:\.\d{1,2})?/\d{4}/(?:QH\d{2}|[A-ZĐ]+(?:-(?:UBTVQH\d{2}|TTg|[A-ZĐ]+))*)")
});
static RESULT_CODE_RE: LazyLock<Regex> = LazyLock::new(|| re(r"Mã:\s*(KQ\.[A-Z]\d{2}\.\d{6})"));
static CUTOFF_RE: LazyLock<Regex> = LazyLock::new(|| re(r"sau 15 giờ|sau 15h"));
static HARD_AREA_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(\d+)\s*(ngày làm việc|ngày)\s*\((\d+)\s*(ngày làm việc|ngày)[^)]*khó khăn")
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
fn amount(s: &str) -> Option<i64> {
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
    let mut out = Vec::new();
    let mut prev_end = 0;
    for (k, &(s, e)) in matches.iter().enumerate() {
        if s < prev_end || !glued(e) {
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

fn info(s: &str) -> String {
    let t = s.replace('\u{a0}', " ").trim().to_owned();
    if t == NO_INFO {
        String::new()
    } else {
        t
    }
}

/// Parses one scraped record.
pub fn parse_record(r: &RawRecord) -> Procedure {
    let mut problems = Vec::new();
    let cutoff_rule =
        CUTOFF_RE.is_match(&r.trinh_tu_thuc_hien) || CUTOFF_RE.is_match(&r.cach_thuc_thuc_hien);
    let channels = parse_channels_in(
        &r.cach_thuc_thuc_hien,
        &r.trinh_tu_thuc_hien,
        cutoff_rule,
        &mut problems,
    );
    let documents = parse_documents(&r.thanh_phan_ho_so, &mut problems);
    let legal_basis = parse_legal_basis(&r.can_cu_phap_ly);
    if legal_basis.is_empty() && !info(&r.can_cu_phap_ly).is_empty() {
        problems
            .push("căn cứ pháp lý: không tách được văn bản / no legal document recognised".into());
    }
    let results = parse_results(&r.ket_qua_xu_ly);
    if results.is_empty() {
        problems.push("kết quả: không có / no result document".into());
    }
    let cutoff = cutoff_rule.then(|| "15:00".to_owned());
    let all_text = format!("{} {}", r.cach_thuc_thuc_hien, r.trinh_tu_thuc_hien);
    let disadvantaged_time = HARD_AREA_RE.captures(&all_text).and_then(|c| {
        let n: f64 = c.get(3)?.as_str().parse().ok()?;
        let unit = if c.get(4)?.as_str() == "ngày làm việc" {
            TimeUnit::WorkingDays
        } else {
            TimeUnit::Days
        };
        Some(TimeLimit { amount: n, unit })
    });
    let parse_status = if channels.is_empty() {
        ParseStatus::None
    } else if problems.is_empty() {
        ParseStatus::Full
    } else {
        ParseStatus::Partial
    };
    let online_level = if channels.iter().any(|c| c.channel == Channel::Online) {
        OnlineLevel::Partial
    } else {
        OnlineLevel::None
    };
    let split_list = |s: &str| -> Vec<String> {
        info(s)
            .split(',')
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect()
    };
    Procedure {
        code: r.ma_thu_tuc.trim().to_owned(),
        name: r.ten_thu_tuc.trim().to_owned(),
        decision: r.so_quyet_dinh.trim().to_owned(),
        levels: Levels::parse(&r.cap_thuc_hien),
        procedure_type: info(&r.loai_thu_tuc),
        field: info(&r.linh_vuc),
        online_level,
        detail: Detail {
            target_groups: split_list(&r.doi_tuong_thuc_hien),
            competent_agency: info(&r.co_quan_co_tham_quyen),
            implementing_agency: info(&r.co_quan_thuc_hien),
            coordinating_agency: info(&r.co_quan_phoi_hop),
            related: info(&r.thu_tuc_lien_quan),
            conditions: info(&r.yeu_cau_dieu_kien),
            steps: r
                .trinh_tu_thuc_hien
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            channels,
            documents,
            legal_basis,
            results,
            cutoff,
            disadvantaged_time,
            parse_status,
            problems,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(cach: &str) -> RawRecord {
        RawRecord {
            cach_thuc_thuc_hien: cach.into(),
            ..Default::default()
        }
    }

    #[test]
    fn residence_fee_differs_by_channel() {
        let p = parse_record(&rec("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 đồng/lần đăng ký.)Trực tiếp7 Ngày làm việc20,000 Việt Nam Đồng(Ghi chú)"));
        let c = &p.detail.channels;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].channel, Channel::Online);
        assert_eq!(c[0].time, Some(TimeLimit::working_days(7.0)));
        let Fee::Amounts { items } = &c[0].fee else {
            panic!("fee {:?}", c[0].fee)
        };
        assert_eq!(items[0].amount, Some(10_000));
        let Fee::Amounts { items } = &c[1].fee else {
            panic!("fee")
        };
        assert_eq!(items[0].amount, Some(20_000));
        assert_eq!(items[0].note.as_deref(), Some("Ghi chú"));
    }

    #[test]
    fn copy_certification_tiers_and_usd() {
        let raw = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá 200.000 đồng/bản. Trang là căn cứ để thu phí được tính theo trang của bản chính;Trực tiếpKhông có thông tin10 USD(/bản)Tại cơ quan đại diện: 10 USD/bản.";
        let mut pr = Vec::new();
        let rows = parse_channels(raw, &mut pr);
        assert_eq!(rows.len(), 2, "{rows:?}");
        let Fee::Amounts { items } = &rows[0].fee else {
            panic!()
        };
        let tiers = items[0].tiers.expect("tiers");
        assert_eq!(
            tiers,
            PageTiers {
                rate: 2000,
                from_page: 3,
                later_rate: 1000,
                cap: Some(200_000)
            }
        );
        assert_eq!(tiers.total(1), 2000);
        assert_eq!(tiers.total(5), 4000 + 3000);
        assert_eq!(tiers.total(500), 200_000);
        let Fee::Amounts { items } = &rows[1].fee else {
            panic!()
        };
        assert_eq!(
            (
                items[0].amount,
                items[0].currency.as_str(),
                items[0].per.as_deref()
            ),
            (Some(10), "USD", Some("bản"))
        );
        assert!(pr.is_empty(), "{pr:?}");
    }

    #[test]
    fn channel_names_inside_descriptions_do_not_start_rows() {
        let raw = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phíHình thức Trực tuyến: nộp hồ sơ trực tuyếnTrực tuyến5 Ngày làm việcMiễn phí";
        let rows = parse_channels(raw, &mut Vec::new());
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].description,
            "Hình thức Trực tuyến: nộp hồ sơ trực tuyến"
        );
    }

    #[test]
    fn bare_numbers_take_the_unit_from_the_description_or_report_it() {
        let mut pr = Vec::new();
        let rows = parse_channels(
            "Trực tuyến3Miễn phí(Không)Trong thời hạn 03 ngày làm việc",
            &mut pr,
        );
        assert_eq!(rows[0].time, Some(TimeLimit::working_days(3.0)));
        assert_eq!(rows[0].time_unit_source, "description");
        assert!(pr.is_empty());
        let rows = parse_channels("Trực tuyến1Miễn phí", &mut pr);
        assert_eq!(rows[0].time, None);
        assert_eq!(pr.len(), 1);
    }

    #[test]
    fn a_bare_one_under_the_1500_rule_is_same_day() {
        let mut pr = Vec::new();
        let rows = parse_channels_in(
            "Trực tiếp1Miễn phí",
            "nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
            true,
            &mut pr,
        );
        assert_eq!(
            rows[0].time,
            Some(TimeLimit {
                amount: 0.0,
                unit: TimeUnit::SameDay
            })
        );
        assert_eq!(rows[0].time_unit_source, "cutoff_rule");
        let rows = parse_channels_in(
            "Trực tiếp5Miễn phí",
            "Trong thời hạn 05 ngày làm việc kể từ ngày nhận",
            false,
            &mut pr,
        );
        assert_eq!(
            (rows[0].time, rows[0].time_unit_source.as_str()),
            (Some(TimeLimit::working_days(5.0)), "steps")
        );
        assert!(pr.is_empty(), "{pr:?}");
    }

    #[test]
    fn documents_with_forms_and_duties() {
        let raw = "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai đăng ký (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).1.MuCT01banhnhkmtheoThngts53.doc1 bản chính- Giấy chứng sinh.1 bản chính1 bản sao* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Căn cước.1 bản chính";
        let g = parse_documents(raw, &mut Vec::new());
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].duty, DocumentDuty::Submit);
        assert_eq!(g[0].title, "Giấy tờ phải nộp");
        assert_eq!(
            g[0].items[0].form.as_deref(),
            Some("1.MuCT01banhnhkmtheoThngts53.doc")
        );
        assert_eq!(
            g[0].items[0].name,
            "Tờ khai đăng ký (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)."
        );
        assert_eq!((g[0].items[1].originals, g[0].items[1].copies), (1, 1));
        assert_eq!(g[1].duty, DocumentDuty::Show);
        assert_eq!(g[1].items[0].name, "Căn cước.");
    }

    #[test]
    fn legal_basis_pairs() {
        let raw = "Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí85/2019/TT-BTCNghị định số 123/2015/NĐ-CP ngày 15/11/2015 hướng dẫn Luật Hộ tịch123/2015/NĐ-CPThông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ Tư phápThông tư số 03/2023/TT-BTPLuật 60/2014/QH1360/2014/QH13Quyết định 19/2025/QĐ-TTg19/2025/QĐ-TTg";
        let l = parse_legal_basis(raw);
        let nums: Vec<&str> = l.iter().map(|d| d.number.as_str()).collect();
        assert_eq!(
            nums,
            [
                "85/2019/TT-BTC",
                "123/2015/NĐ-CP",
                "03/2023/TT-BTP",
                "60/2014/QH13",
                "19/2025/QĐ-TTg"
            ]
        );
        assert_eq!(l[0].name, "Thông tư Hướng dẫn về phí");
        assert_eq!(
            l[2].name,
            "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ Tư pháp"
        );
        assert_eq!(l[3].name, "Luật 60/2014/QH13");
    }

    #[test]
    fn results_with_codes() {
        let r = parse_results(
            "Giấy khai sinhMã: KQ.G15.000031Bản saoMã: KQ.G15.000021Từ khóaKhông có thông tin",
        );
        assert_eq!(
            r,
            vec![
                ResultDoc {
                    name: "Giấy khai sinh".into(),
                    code: Some("KQ.G15.000031".into())
                },
                ResultDoc {
                    name: "Bản sao".into(),
                    code: Some("KQ.G15.000021".into())
                },
            ]
        );
    }

    #[test]
    fn levels() {
        let l = Levels::parse("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác");
        assert!(l.ministry && l.province && l.commune && l.other);
        assert_eq!(
            Levels::parse("Cấp xã"),
            Levels {
                commune: true,
                ..Levels::default()
            }
        );
    }
}
