//! The procedure (TTHC) record, parsed back from the flattened text of the national portal (DOMAIN.md §4).
//!
//! Every parsed value keeps its raw text beside it, and each record carries a report of what did not parse.

use crate::calendar::{TimeLimit, TimeUnit};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
fn re(s: &str) -> Regex {
    #[expect(
        clippy::unwrap_used,
        reason = "patterns are constants checked by the tests"
    )]
    Regex::new(s).unwrap()
}

pub(super) static NO_INFO: &str = "Không có thông tin";
pub(super) static CUTOFF_RE: LazyLock<Regex> = LazyLock::new(|| re(r"sau 15 giờ|sau 15h"));
pub(super) static HARD_AREA_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(\d+)\s*(ngày làm việc|ngày)\s*\((\d+)\s*(ngày làm việc|ngày)[^)]*khó khăn")
});

mod channels;
mod documents;
pub use channels::{parse_channels, parse_channels_in};
pub use documents::{parse_documents, parse_legal_basis, parse_results};

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
    /// The portal marks some customs and maritime procedures "Cấp xã" although no commune body implements them:
    /// a commune level is kept only when the implementing agencies include a commune body (or name none at all).
    #[must_use]
    pub fn checked_against(mut self, implementing: &str) -> Levels {
        let k = crate::text::search_key(implementing);
        let words: Vec<&str> = k.split(|c: char| !c.is_alphanumeric()).collect();
        let communal = words.iter().any(|w| *w == "xa" || *w == "phuong")
            || words.windows(2).any(|p| p == ["dac", "khu"]);
        let central = ["hai quan", "cang vu", "cuc "]
            .iter()
            .any(|m| k.contains(m));
        if self.commune && central && !communal {
            self.commune = false;
            self.other = true;
        }
        self
    }

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
    /// Whether a stored record (JSON of a [`Detail`]) states a time limit on any channel; an unreadable or missing
    /// record states none.
    pub fn states_limit(stored: Option<&str>) -> bool {
        stored
            .and_then(|s| serde_json::from_str::<Detail>(s).ok())
            .is_some_and(|d| d.time_limit(Channel::InPerson, false).0.is_some())
    }

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
        levels: Levels::parse(&r.cap_thuc_hien).checked_against(&r.co_quan_thuc_hien),
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
mod tests;
