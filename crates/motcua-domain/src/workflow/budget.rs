//! A step budget as officers write it: working days with a decimal, or hours and minutes.

use super::{WorkflowError, DAY_MINUTES};

/// Reads a step's budget as an officer types it: working days ("1", "1,5", "0.5 ngày"), hours and minutes
/// ("4 giờ", "4h", "2 giờ 30 phút", "2h30", "45p") or both ("1 ngày 4 giờ"), a working day being 8 hours.
/// Returns working minutes.
pub fn parse_budget(text: &str) -> Result<i64, WorkflowError> {
    let bad = || WorkflowError {
        vi: format!(
            "«{}»: ghi số ngày (1,5) hoặc giờ, phút (4 giờ 30 phút)",
            text.trim()
        ),
        en: format!(
            "«{}»: write days (1.5) or hours and minutes (4 h 30 min)",
            text.trim()
        ),
    };
    // Numbers and the words after them: "2h30" is (2, "h"), (30, "").
    let mut parts: Vec<(f64, String)> = Vec::new();
    let mut chars = text.trim().chars().peekable();
    while chars.peek().is_some() {
        let mut num = String::new();
        while let Some(c) = chars
            .peek()
            .copied()
            .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        {
            num.push(if c == ',' { '.' } else { c });
            chars.next();
        }
        let mut word = String::new();
        while let Some(c) = chars.peek().copied().filter(|c| !c.is_ascii_digit()) {
            word.push(c);
            chars.next();
        }
        let n: f64 = num.parse().map_err(|_| bad())?;
        parts.push((n, crate::text::search_key(&word)));
    }
    let mut minutes = 0.0;
    let mut last_unit = 0.0;
    for (i, (n, unit)) in parts.iter().enumerate() {
        let per = match unit.as_str() {
            "ngay" | "d" => DAY_MINUTES as f64,
            "gio" | "h" | "g" | "tieng" => 60.0,
            "phut" | "p" | "ph" | "m" | "min" => 1.0,
            // A bare number: days alone, minutes after hours ("2h30").
            "" if parts.len() == 1 => DAY_MINUTES as f64,
            "" if i > 0 && last_unit == 60.0 => 1.0,
            _ => return Err(bad()),
        };
        if per >= last_unit && i > 0 {
            return Err(bad());
        }
        last_unit = per;
        minutes += n * per;
    }
    if parts.is_empty()
        || !minutes.is_finite()
        || !(0.0..=3650.0 * DAY_MINUTES as f64).contains(&minutes)
    {
        return Err(bad());
    }
    #[allow(clippy::cast_possible_truncation)]
    let m = minutes.round() as i64;
    Ok(m)
}

/// A budget as an officer reads it: whole or one-decimal days ("1,5 ngày"), otherwise days, hours and minutes
/// ("1 ngày 2 giờ 30 phút"); `vi` false gives English.
pub fn budget_text(minutes: i64, vi: bool) -> String {
    let day = DAY_MINUTES;
    let (d, h, m) = if vi {
        ("ngày", "giờ", "phút")
    } else {
        ("days", "h", "min")
    };
    if minutes % day == 0 {
        return format!("{} {d}", minutes / day);
    }
    if (minutes * 10) % day == 0 {
        let tenths = minutes * 10 / day;
        let sep = if vi { ',' } else { '.' };
        return format!("{}{sep}{} {d}", tenths / 10, tenths % 10);
    }
    let mut out = Vec::new();
    if minutes >= day {
        out.push(format!("{} {d}", minutes / day));
    }
    let rest = minutes % day;
    if rest / 60 > 0 {
        out.push(format!("{} {h}", rest / 60));
    }
    if rest % 60 > 0 {
        out.push(format!("{} {m}", rest % 60));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_read_as_officers_write_them() {
        for (typed, minutes) in [
            ("1", 480),
            ("1,5", 720),
            ("0.5 ngày", 240),
            ("4 giờ", 240),
            ("4h", 240),
            ("2 giờ 30 phút", 150),
            ("2h30", 150),
            ("45p", 45),
            ("1 ngày 4 giờ", 720),
            ("0", 0),
        ] {
            assert_eq!(parse_budget(typed).ok(), Some(minutes), "{typed}");
        }
        for bad in ["", "abc", "4 tuần", "30 phút 2 giờ", "-1", "1,5,5"] {
            assert!(parse_budget(bad).is_err(), "{bad}");
        }
        assert_eq!(budget_text(720, true), "1,5 ngày");
        assert_eq!(budget_text(480, true), "1 ngày");
        assert_eq!(budget_text(150, true), "2 giờ 30 phút");
        assert_eq!(budget_text(615, true), "1 ngày 2 giờ 15 phút");
        assert_eq!(budget_text(45, false), "45 min");
        assert_eq!(budget_text(0, true), "0 ngày");
        for m in [0, 15, 150, 240, 615, 720, 2400] {
            assert_eq!(parse_budget(&budget_text(m, true)).ok(), Some(m), "{m}");
        }
    }
}
