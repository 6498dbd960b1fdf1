//! The Decision 766/QĐ-TTg service index: six groups, 21 indicators (DOMAIN.md §8, `data/qd766_indicators.csv`, a
//! third-party transcription of DVCQG's "Công thức 766").
//!
//! Scoring: ratio R = numerator / denominator × 100; where a target exists, points = Pmax if R ≥ target, else
//! R × Pmax / target; without a target, points = R × Pmax / 100. The split of a group's points between its
//! indicators is not in the transcription; the split below follows the vendor's own score as DOMAIN.md §8 quotes it
//! where it can, and is marked as motcua's reading. An indicator whose data motcua does not hold says so and scores
//! nothing; it is never shown as a zero.

use super::{pct, Summary};
use serde::Serialize;

/// What the index is computed from, for one unit or province and one period.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub summary: Summary,
    /// Procedures the scope handles (thuộc thẩm quyền), from the catalog.
    pub procedures: i64,
    /// Of them, offered online partly or fully (DVC trực tuyến một phần / toàn trình).
    pub procedures_online: i64,
    /// Of them, published with every component: documents, time limit, fee, competent agency, result.
    pub procedures_complete: i64,
    /// Online procedures that received at least one online dossier in the period.
    pub online_with_dossiers: i64,
    /// Ratings given in the period, and of them "không hài lòng".
    pub ratings: i64,
    pub ratings_unhappy: i64,
    /// Feedback (PAKN) received in the period.
    pub feedback: i64,
}

/// How an indicator stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Computed from data motcua holds.
    Scored,
    /// Tracked without points.
    Tracking,
    /// motcua does not hold the data yet: no figure, no points.
    NoData,
    /// The denominator is zero in the period: no figure, no points.
    Empty,
}

/// One indicator's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: &'static str,
    pub numerator_label: &'static str,
    pub numerator_label_en: &'static str,
    pub denominator_label: &'static str,
    pub denominator_label_en: &'static str,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub ratio_pct: Option<f64>,
    pub target_pct: Option<f64>,
    pub max_points: f64,
    pub points: Option<f64>,
    pub standing: Standing,
    /// Which dossiers or procedures count and why (Vietnamese, then English).
    pub explanation: String,
    pub explanation_en: String,
}

/// One group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    pub max_points: f64,
    /// Points of the indicators that could be scored.
    pub points: f64,
    /// The most those indicators could give: the rest awaits data motcua does not hold.
    pub max_scored: f64,
    pub indicators: Vec<Indicator>,
}

/// The whole index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Index {
    pub points: f64,
    pub max_points: f64,
    pub max_scored: f64,
    pub groups: Vec<Group>,
}

struct Spec {
    id: &'static str,
    /// Vietnamese, English.
    num: (&'static str, &'static str),
    den: (&'static str, &'static str),
    target: Option<f64>,
    max: f64,
}

const fn spec(
    id: &'static str,
    num: (&'static str, &'static str),
    den: (&'static str, &'static str),
    target: Option<f64>,
    max: f64,
) -> Spec {
    Spec {
        id,
        num,
        den,
        target,
        max,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Points for a ratio (percent).
pub fn points(ratio_pct: f64, target: Option<f64>, max: f64) -> f64 {
    let p = match target {
        Some(t) if ratio_pct >= t => max,
        Some(t) => ratio_pct * max / t,
        None => ratio_pct * max / 100.0,
    };
    round2(p.clamp(0.0, max))
}

fn scored(s: &Spec, num: i64, den: i64, vi: String, en: String) -> Indicator {
    let ratio = pct(num, den);
    Indicator {
        id: s.id,
        numerator_label: s.num.0,
        numerator_label_en: s.num.1,
        denominator_label: s.den.0,
        denominator_label_en: s.den.1,
        numerator: Some(num),
        denominator: Some(den),
        ratio_pct: ratio,
        target_pct: s.target,
        max_points: s.max,
        points: ratio.map(|r| points(r, s.target, s.max)),
        standing: if ratio.is_some() {
            Standing::Scored
        } else {
            Standing::Empty
        },
        explanation: vi,
        explanation_en: en,
    }
}

fn missing(s: &Spec, vi: &str, en: &str) -> Indicator {
    Indicator {
        id: s.id,
        numerator_label: s.num.0,
        numerator_label_en: s.num.1,
        denominator_label: s.den.0,
        denominator_label_en: s.den.1,
        numerator: None,
        denominator: None,
        ratio_pct: None,
        target_pct: s.target,
        max_points: s.max,
        points: None,
        standing: Standing::NoData,
        explanation: vi.to_owned(),
        explanation_en: en.to_owned(),
    }
}

fn group(
    id: &'static str,
    (name, name_en): (&'static str, &'static str),
    max: f64,
    indicators: Vec<Indicator>,
) -> Group {
    let points = round2(indicators.iter().filter_map(|i| i.points).sum());
    let max_scored = indicators
        .iter()
        .filter(|i| i.standing == Standing::Scored)
        .map(|i| i.max_points)
        .sum();
    Group {
        id,
        name,
        name_en,
        max_points: max,
        points,
        max_scored,
        indicators,
    }
}

const NO_SYNC: (&str, &str) = (
    "Hệ thống chưa đồng bộ hồ sơ, thủ tục lên Cổng Dịch vụ công quốc gia nên chưa có số liệu này.",
    "The system does not sync dossiers or procedures to the National Public Service Portal yet, so it holds no figure.",
);

/// Computes the index.
pub fn compute(i: &Inputs) -> Index {
    let groups = vec![
        transparency(i),
        progress(i),
        online(i),
        payment(i),
        digitization(i),
        satisfaction(i),
    ];
    Index {
        points: round2(groups.iter().map(|g| g.points).sum()),
        max_points: groups.iter().map(|g| g.max_points).sum(),
        max_scored: groups.iter().map(|g| g.max_scored).sum(),
        groups,
    }
}

fn transparency(i: &Inputs) -> Group {
    let s11 = spec(
        "1.1",
        (
            "Thủ tục được công bố đúng hạn",
            "Procedures announced on time",
        ),
        (
            "Thủ tục đã công bố trong kỳ",
            "Procedures announced in the period",
        ),
        None,
        4.0,
    );
    let s12 = spec(
        "1.2",
        (
            "Thủ tục công khai đúng hạn trên Cơ sở dữ liệu quốc gia về thủ tục hành chính",
            "Procedures published on time in the national procedure database",
        ),
        (
            "Thủ tục phải cập nhật, công khai trong kỳ",
            "Procedures to update or publish in the period",
        ),
        None,
        4.0,
    );
    let s13 = spec(
        "1.3",
        (
            "Thủ tục có đủ các bộ phận cấu thành",
            "Procedures with every required part",
        ),
        ("Thủ tục đã công khai", "Procedures published"),
        None,
        4.0,
    );
    let s14 = spec(
        "1.4",
        (
            "Hồ sơ tiếp nhận trong kỳ đã đồng bộ lên Cổng Dịch vụ công quốc gia",
            "Dossiers received in the period and synced to the National Public Service Portal",
        ),
        (
            "Hồ sơ tiếp nhận trong kỳ",
            "Dossiers received in the period",
        ),
        None,
        6.0,
    );
    group("transparency", ("Công khai, minh bạch", "Openness and transparency"), 18.0, vec![
        missing(&s11, "Cần ngày ban hành quyết định công bố và ngày hiệu lực của từng thủ tục; danh mục nhập vào hệ thống chưa có hai ngày này.", "Needs each procedure's announcement decision date and effective date; the catalog the system imports lacks both."),
        missing(&s12, NO_SYNC.0, NO_SYNC.1),
        scored(&s13, i.procedures_complete, i.procedures,
            format!("{} trong {} thủ tục thuộc phạm vi có đủ thành phần hồ sơ, thời hạn giải quyết, phí/lệ phí (kể cả \"không\"), cơ quan thực hiện và kết quả. Bổ sung các bộ phận còn thiếu trong danh mục để tăng điểm.", i.procedures_complete, i.procedures),
            format!("{} of {} procedures in scope list documents, time limit, fee (or none), competent agency and result. Fill in the missing parts in the catalog to score.", i.procedures_complete, i.procedures)),
        missing(&s14, NO_SYNC.0, NO_SYNC.1),
    ])
}

fn progress(i: &Inputs) -> Group {
    let s = &i.summary;
    let s21 = spec(
        "2.1",
        (
            "Hồ sơ giải quyết đúng hạn, trước hạn và hồ sơ đang giải quyết còn trong hạn",
            "Dossiers completed early or on time, plus those in progress within their deadline",
        ),
        (
            "Hồ sơ tiếp nhận, giải quyết trong kỳ",
            "Dossiers received or handled in the period",
        ),
        None,
        20.0,
    );
    let num = s.completed_early + s.completed_on_time + s.in_progress_on_time + s.withdrawn;
    let den = s.completed + s.in_progress + s.withdrawn;
    let i21 = scored(&s21, num, den,
        format!("Tử số: {} hoàn thành trước hạn + {} đúng hạn + {} đang xử lý còn hạn + {} rút hồ sơ. Mẫu số: {} hoàn thành + {} đang xử lý + {} rút. So sánh theo ngày (không theo giờ): ngày hoàn thành trước ngày hẹn là trước hạn, cùng ngày là đúng hạn. {} hồ sơ trễ hạn và {} hồ sơ đang quá hạn làm giảm điểm.",
            s.completed_early, s.completed_on_time, s.in_progress_on_time, s.withdrawn, s.completed, s.in_progress, s.withdrawn, s.completed_late, s.in_progress_overdue),
        format!("Numerator: {} early + {} on time + {} open within deadline + {} withdrawn. Denominator: {} completed + {} open + {} withdrawn. Compared by date, not hour. {} late and {} overdue dossiers lower the score.",
            s.completed_early, s.completed_on_time, s.in_progress_on_time, s.withdrawn, s.completed, s.in_progress, s.withdrawn, s.completed_late, s.in_progress_overdue));
    let s22 = spec(
        "2.2",
        (
            "Tổng thời gian giải quyết các hồ sơ đã hoàn thành",
            "Total processing time of completed dossiers",
        ),
        ("Số hồ sơ đã hoàn thành", "Completed dossiers"),
        None,
        0.0,
    );
    let avg_days = (s.completed > 0)
        .then(|| round2(s.processing_minutes as f64 / s.completed as f64 / 60.0 / 24.0));
    let i22 = Indicator {
        id: s22.id,
        numerator_label: s22.num.0,
        numerator_label_en: s22.num.1,
        denominator_label: s22.den.0,
        denominator_label_en: s22.den.1,
        numerator: Some(s.processing_minutes),
        denominator: Some(s.completed),
        ratio_pct: None,
        target_pct: None,
        max_points: 0.0,
        points: None,
        standing: Standing::Tracking,
        explanation: match avg_days {
            Some(d) => format!("Thời gian trung bình từ tiếp nhận hợp lệ đến khi có kết quả: {d} ngày (theo lịch) trên {} hồ sơ hoàn thành; tử số tính bằng phút. Chỉ theo dõi, không tính điểm.", s.completed),
            None => "Chưa có hồ sơ hoàn thành trong kỳ. Chỉ theo dõi, không tính điểm.".to_owned(),
        },
        explanation_en: match avg_days {
            Some(d) => format!("Average time from valid intake to result: {d} calendar days over {} completed dossiers; the numerator is in minutes. Tracked, no points.", s.completed),
            None => "No dossier completed in the period. Tracked, no points.".to_owned(),
        },
    };
    group(
        "progress",
        ("Tiến độ giải quyết", "Timeliness"),
        20.0,
        vec![i21, i22],
    )
}

fn online(i: &Inputs) -> Group {
    let s = &i.summary;
    let s31 = spec(
        "3.1",
        (
            "Thủ tục có dịch vụ công trực tuyến một phần hoặc toàn trình",
            "Procedures offered online, partly or fully",
        ),
        (
            "Thủ tục thuộc thẩm quyền",
            "Procedures within the unit's competence",
        ),
        Some(80.0),
        2.0,
    );
    let s32 = spec(
        "3.2",
        (
            "Dịch vụ công trực tuyến có hồ sơ nộp trực tuyến",
            "Online services that received an online dossier",
        ),
        ("Số dịch vụ công trực tuyến", "Online services"),
        None,
        4.0,
    );
    let s33 = spec(
        "3.3",
        ("Hồ sơ nộp trực tuyến", "Dossiers submitted online"),
        (
            "Tổng số hồ sơ tiếp nhận trong kỳ",
            "All dossiers received in the period",
        ),
        Some(50.0),
        6.0,
    );
    group("online_service", ("Dịch vụ công trực tuyến", "Online public services"), 12.0, vec![
        scored(&s31, i.procedures_online, i.procedures,
            format!("{} trong {} thủ tục thuộc phạm vi được cung cấp trực tuyến một phần hoặc toàn trình (mục tiêu 80%).", i.procedures_online, i.procedures),
            format!("{} of {} procedures in scope are offered online, partly or fully (target 80%).", i.procedures_online, i.procedures)),
        scored(&s32, i.online_with_dossiers, i.procedures_online,
            format!("{} trong {} dịch vụ công trực tuyến có ít nhất một hồ sơ nộp trực tuyến trong kỳ. Dịch vụ không có hồ sơ nào cần được giới thiệu với người dân.", i.online_with_dossiers, i.procedures_online),
            format!("{} of {} online services received at least one online dossier in the period; the others need promoting.", i.online_with_dossiers, i.procedures_online)),
        scored(&s33, s.online, s.received,
            format!("{} trong {} hồ sơ tiếp nhận trong kỳ được nộp trực tuyến (mục tiêu 50%). Công thức gốc nhân thêm tỷ lệ đồng bộ lên Cổng Dịch vụ công quốc gia; hệ thống chưa đồng bộ nên tính với hệ số 1 — điểm thực tế có thể thấp hơn.", s.online, s.received),
            format!("{} of {} dossiers received in the period came online (target 50%). The formula also multiplies by the share synced to the National Public Service Portal; the system does not sync yet, so a rate of 1 is assumed and the official score may be lower.", s.online, s.received)),
    ])
}

fn payment(i: &Inputs) -> Group {
    let s = &i.summary;
    let s35 = spec(
        "3.5",
        (
            "Thủ tục có hồ sơ đồng bộ khoản phí, lệ phí khác 0",
            "Procedures with a dossier whose non-zero fee was synced",
        ),
        (
            "Thủ tục có phí, lệ phí khác 0 trong cơ sở dữ liệu",
            "Procedures with a non-zero fee in the database",
        ),
        Some(80.0),
        4.0,
    );
    let s36 = spec(
        "3.6",
        ("Hồ sơ nộp phí, lệ phí trực tuyến", "Dossiers paid online"),
        (
            "Hồ sơ của thủ tục có phí, lệ phí khác 0",
            "Dossiers of procedures with a non-zero fee",
        ),
        None,
        6.0,
    );
    group("online_payment", ("Thanh toán trực tuyến", "Online payment"), 10.0, vec![
        missing(&s35, NO_SYNC.0, NO_SYNC.1),
        scored(&s36, s.paid_online, s.charged,
            format!("{} trong {} hồ sơ tiếp nhận trong kỳ có phí khác 0 đã thanh toán trực tuyến (VNPay hoặc nền tảng thanh toán quốc gia). Tiền mặt và chuyển khoản tại quầy không được tính.", s.paid_online, s.charged),
            format!("{} of {} dossiers received in the period with a fee other than zero were paid online (VNPay or the national platform). Cash and counter transfers do not count.", s.paid_online, s.charged)),
    ])
}

fn digitization(i: &Inputs) -> Group {
    let s = &i.summary;
    let s41 = spec(
        "4.1",
        (
            "Hồ sơ có tệp kết quả điện tử hợp lệ",
            "Dossiers with a valid electronic result file",
        ),
        ("Hồ sơ đã hoàn thành", "Completed dossiers"),
        None,
        6.0,
    );
    let s42 = spec(
        "4.2",
        ("Hồ sơ được số hóa", "Digitized dossiers"),
        (
            "Hồ sơ tiếp nhận trong kỳ",
            "Dossiers received in the period",
        ),
        Some(80.0),
        4.0,
    );
    let s43 = spec(
        "4.3",
        (
            "Hồ sơ có ít nhất một thành phần dùng lại dữ liệu đã số hóa",
            "Dossiers reusing at least one digitized component",
        ),
        (
            "Hồ sơ tiếp nhận trong kỳ",
            "Dossiers received in the period",
        ),
        Some(80.0),
        2.0,
    );
    let s44 = spec(
        "4.4",
        (
            "Hồ sơ có thành phần lấy từ kho dữ liệu cá nhân",
            "Dossiers with a component taken from the citizen's personal store",
        ),
        (
            "Hồ sơ tiếp nhận trong kỳ",
            "Dossiers received in the period",
        ),
        None,
        4.0,
    );
    let s45a = spec(
        "4.5a",
        (
            "Thủ tục có kết nối, chia sẻ dữ liệu dân cư",
            "Procedures connected to the population database",
        ),
        ("Thủ tục dành cho người dân", "Procedures for citizens"),
        None,
        3.0,
    );
    let s45b = spec(
        "4.5b",
        (
            "Hồ sơ dùng dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư",
            "Dossiers using data from the national population database",
        ),
        (
            "Tổng số hồ sơ của các thủ tục đó",
            "All dossiers of those procedures",
        ),
        None,
        3.0,
    );
    group("digitization", ("Số hóa hồ sơ", "Digitization"), 22.0, vec![
        scored(&s41, s.e_result, s.completed,
            format!("{} trong {} hồ sơ hoàn thành trong kỳ có kết quả điện tử được ký số (có mã xác minh). Kết quả chỉ trả bản giấy không được tính.", s.e_result, s.completed),
            format!("{} of {} dossiers completed in the period have a sealed electronic result (verifiable). Paper-only results do not count.", s.e_result, s.completed)),
        scored(&s42, s.digitized, s.received,
            format!("{} trong {} hồ sơ tiếp nhận trong kỳ có thành phần hồ sơ được lưu bản điện tử (tải lên hoặc tái sử dụng) (mục tiêu 80%).", s.digitized, s.received),
            format!("{} of {} dossiers received in the period have papers stored electronically (uploaded or reused) (target 80%).", s.digitized, s.received)),
        scored(&s43, s.reused, s.received,
            format!("{} trong {} hồ sơ tiếp nhận trong kỳ dùng lại ít nhất một giấy tờ hoặc kết quả đã số hóa trước đó (mục tiêu 80%).", s.reused, s.received),
            format!("{} of {} dossiers received in the period reuse at least one paper or result digitised before (target 80%).", s.reused, s.received)),
        missing(&s44, "Hệ thống chưa kết nối kho dữ liệu cá nhân của người dân trên Cổng Dịch vụ công quốc gia.", "The system is not connected to the citizen's personal data store on the national portal yet."),
        missing(&s45a, "Hệ thống đọc mã QR căn cước nhưng chưa kết nối Cơ sở dữ liệu quốc gia về dân cư.", "The system reads the ID card's QR code but is not connected to the national population database yet."),
        missing(&s45b, "Hệ thống đọc mã QR căn cước nhưng chưa kết nối Cơ sở dữ liệu quốc gia về dân cư.", "The system reads the ID card's QR code but is not connected to the national population database yet."),
    ])
}

fn satisfaction(i: &Inputs) -> Group {
    let s = &i.summary;
    let s51 = spec(
        "5.1",
        ("Phản ánh, kiến nghị đã phân loại", "Feedback classified"),
        (
            "Tổng số phản ánh, kiến nghị trong kỳ",
            "All feedback in the period",
        ),
        None,
        0.0,
    );
    let s52 = spec(
        "5.2",
        (
            "Phản ánh, kiến nghị xử lý đúng hạn và đang xử lý còn trong hạn",
            "Feedback answered on time, plus that in progress within its deadline",
        ),
        (
            "Phản ánh, kiến nghị tiếp nhận, xử lý trong kỳ",
            "Feedback received or handled in the period",
        ),
        None,
        6.0,
    );
    let s53 = spec(
        "5.3",
        (
            "Phản ánh, kiến nghị không bị phản ánh tiếp, không có ý kiến không hài lòng",
            "Feedback with no follow-up complaint and no dissatisfaction",
        ),
        (
            "Tổng số phản ánh, kiến nghị tiếp nhận lần đầu",
            "All feedback received for the first time",
        ),
        None,
        6.0,
    );
    let s54 = spec(
        "5.4",
        (
            "100% trừ (tỷ lệ hồ sơ quá hạn + tỷ lệ đánh giá không hài lòng)",
            "100% minus (share of late dossiers + share of dissatisfied ratings)",
        ),
        ("", ""),
        Some(90.0),
        6.0,
    );
    let mut i51 = missing(&s51, "", "");
    i51.standing = Standing::Tracking;
    i51.numerator = Some(i.feedback);
    i51.explanation = format!("{} phản ánh, kiến nghị nhận trong kỳ. Chỉ theo dõi, không tính điểm; hệ thống chưa phân loại phản ánh, kiến nghị.", i.feedback);
    i51.explanation_en = format!("{} pieces of feedback received in the period. Tracked, no points; the system does not classify feedback yet.", i.feedback);
    let handled = s.completed + s.in_progress;
    let late = s.completed_late + s.in_progress_overdue;
    let overdue = pct(late, handled);
    let unhappy = pct(i.ratings_unhappy, i.ratings);
    let (no_ratings_vi, no_ratings_en) = if i.ratings == 0 {
        (
            " Chưa có đánh giá nào trong kỳ nên phần «không hài lòng» chưa trừ điểm; điểm sẽ đổi khi có đánh giá.",
            " No rating in the period, so nothing is taken off for dissatisfaction yet; the score changes once ratings come in.",
        )
    } else {
        ("", "")
    };
    let i54 = match (overdue, unhappy) {
        (Some(o), u) => {
            let r = round2((100.0 - o - u.unwrap_or(0.0)).max(0.0));
            Indicator {
                id: s54.id,
                numerator_label: s54.num.0,
                numerator_label_en: s54.num.1,
                denominator_label: s54.den.0,
                denominator_label_en: s54.den.1,
                numerator: None,
                denominator: None,
                ratio_pct: Some(r),
                target_pct: s54.target,
                max_points: s54.max,
                points: Some(points(r, s54.target, s54.max)),
                standing: Standing::Scored,
                explanation: format!("100% − {o}% hồ sơ trễ hoặc quá hạn ({late}/{handled}) − {}% đánh giá \"không hài lòng\" ({}/{}) (mục tiêu 90%).{no_ratings_vi}", u.unwrap_or(0.0), i.ratings_unhappy, i.ratings),
                explanation_en: format!("100% − {o}% late or overdue dossiers ({late}/{handled}) − {}% \"unhappy\" ratings ({}/{}) (target 90%).{no_ratings_en}", u.unwrap_or(0.0), i.ratings_unhappy, i.ratings),
            }
        }
        (None, _) => {
            let mut e = scored(&s54, 0, 0, String::new(), String::new());
            e.explanation = "Chưa có hồ sơ hoàn thành hoặc đang xử lý trong kỳ.".to_owned();
            e.explanation_en = "No dossier completed or open in the period.".to_owned();
            e
        }
    };
    group("satisfaction", ("Mức độ hài lòng", "Satisfaction"), 18.0, vec![
        i51,
        missing(&s52, "Hệ thống ghi nhận trả lời phản ánh, kiến nghị nhưng chưa quy định thời hạn xử lý nên chưa tính được đúng hạn.", "The system records feedback answers but keeps no deadline for them, so on-time handling cannot be told."),
        missing(&s53, "Cần biết người phản ánh có phản ánh tiếp hoặc không hài lòng với trả lời; hệ thống chưa ghi nhận điều này.", "Needs to know whether the sender followed up or was unhappy with the answer; the system does not record that yet."),
        i54,
    ])
}
