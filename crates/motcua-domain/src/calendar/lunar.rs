//! Vietnamese lunar calendar at UTC+7 (Hồ Ngọc Đức's astronomical algorithm), for Tết and Giỗ Tổ Hùng Vương.

use std::f64::consts::PI;
use time::Date;

const TZ: f64 = 7.0;

fn int(x: f64) -> i64 {
    x.floor() as i64
}

fn new_moon_day(k: i64) -> i64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let deltat = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    int(jd1 + c1 - deltat + 0.5 + TZ / 24.0)
}

fn sun_longitude(jdn: i64) -> i64 {
    let t = (jdn as f64 - 2451545.5 - TZ / 24.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl = dl + (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= PI * 2.0 * (l / (PI * 2.0)).floor();
    int(l / PI * 6.0)
}

fn jd(d: Date) -> i64 {
    i64::from(d.to_julian_day())
}

fn lunar_month_11(year: i32) -> Option<i64> {
    let off = jd(Date::from_calendar_date(year, time::Month::December, 31).ok()?) - 2415021;
    let k = int(off as f64 / 29.530588853);
    let nm = new_moon_day(k);
    Some(if sun_longitude(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    })
}

fn leap_month_offset(a11: i64) -> i64 {
    let k = int((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5);
    let mut i = 1;
    let mut arc = sun_longitude(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_longitude(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The solar date of a (non-leap) lunar day/month in a lunar year, in Vietnam's time zone.
pub fn lunar_to_solar(day: u8, month: u8, year: i32) -> Option<Date> {
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1)?, lunar_month_11(year)?)
    } else {
        (lunar_month_11(year)?, lunar_month_11(year + 1)?)
    };
    let k = int(0.5 + (a11 as f64 - 2415021.076998695) / 29.530588853);
    let mut off = i64::from(month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        if off >= leap_off {
            off += 1;
        }
    }
    let month_start = new_moon_day(k + off);
    let jdn = i32::try_from(month_start + i64::from(day) - 1).ok()?;
    Date::from_julian_day(jdn).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn known_tet_dates() {
        assert_eq!(lunar_to_solar(1, 1, 2024), Some(date!(2024 - 02 - 10)));
        assert_eq!(lunar_to_solar(1, 1, 2025), Some(date!(2025 - 01 - 29)));
        assert_eq!(lunar_to_solar(1, 1, 2026), Some(date!(2026 - 02 - 17)));
        // Vietnam differs from China in 2007 and 1985 (Hồ Ngọc Đức).
        assert_eq!(lunar_to_solar(1, 1, 2007), Some(date!(2007 - 02 - 17)));
        assert_eq!(lunar_to_solar(1, 1, 1985), Some(date!(1985 - 01 - 21)));
        assert_eq!(lunar_to_solar(1, 1, 2030), Some(date!(2030 - 02 - 02)));
    }

    #[test]
    fn hung_kings_day() {
        assert_eq!(lunar_to_solar(10, 3, 2024), Some(date!(2024 - 04 - 18)));
        assert_eq!(lunar_to_solar(10, 3, 2026), Some(date!(2026 - 04 - 26)));
    }
}
