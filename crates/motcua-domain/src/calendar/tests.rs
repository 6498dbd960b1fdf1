//! Cases and properties of the legal-time engine.

use super::*;
use proptest::prelude::*;
use time::macros::{date, datetime};

fn cal() -> WorkCalendar {
    WorkCalendar::vietnam(2024..=2030, &[])
}

fn wd(n: f64) -> TimeLimit {
    TimeLimit::working_days(n)
}

fn due(start: OffsetDateTime, limit: TimeLimit) -> OffsetDateTime {
    cal().due(start, limit, &DueRules::default())
}

#[test]
fn issue_example_hung_kings_and_april_30() {
    // Fri 24/04/2026 10:00 + 3 working days: weekend, Hùng Kings day (Sun 26/4, compensated Mon 27/4), 30/4, 1/5.
    assert_eq!(
        due(datetime!(2026-04-24 10:00 +7), wd(3.0)),
        datetime!(2026-05-04 10:00 +7)
    );
    let c = cal();
    assert!(!c.is_working_day(date!(2026 - 04 - 27)));
    assert!(c
        .holidays(2026)
        .iter()
        .any(|h| h.date == date!(2026 - 04 - 27) && h.source == "compensation"));
}

#[test]
fn plain_week() {
    assert_eq!(
        due(datetime!(2026-11-23 08:00 +7), wd(1.0)),
        datetime!(2026-11-24 08:00 +7)
    );
    assert_eq!(
        due(datetime!(2026-11-27 14:00 +7), wd(2.0)),
        datetime!(2026-12-01 14:00 +7)
    );
    // 7:00 + 1 day ends at 17:00 the same day, a working moment.
    assert_eq!(
        due(datetime!(2026-11-23 07:00 +7), wd(1.0)),
        datetime!(2026-11-23 17:00 +7)
    );
}

#[test]
fn lunch_evening_and_early_morning() {
    // At lunch the clock starts at 13:30; after 17:00 it starts next morning; before 07:00 at 07:00.
    assert_eq!(
        due(datetime!(2026-11-23 12:00 +7), wd(0.25)),
        datetime!(2026-11-23 15:30 +7)
    );
    assert_eq!(
        due(datetime!(2026-11-23 18:30 +7), wd(0.5)),
        datetime!(2026-11-24 11:00 +7)
    );
    assert_eq!(
        due(
            datetime!(2026-11-23 05:00 +7),
            TimeLimit {
                amount: 2.0,
                unit: TimeUnit::Hours
            }
        ),
        datetime!(2026-11-23 09:00 +7)
    );
    // 11:00 + 1 hour crosses lunch: 30 min before, 30 min after.
    assert_eq!(
        due(
            datetime!(2026-11-23 11:00 +7),
            TimeLimit {
                amount: 1.0,
                unit: TimeUnit::Hours
            }
        ),
        datetime!(2026-11-23 14:00 +7)
    );
}

#[test]
fn utc_input_is_read_in_vietnam_time() {
    // 03:00 UTC is 10:00 in Vietnam.
    assert_eq!(
        due(datetime!(2026-04-24 03:00 UTC), wd(3.0)),
        datetime!(2026-05-04 10:00 +7)
    );
}

#[test]
fn tet_2026() {
    // Tết Bính Ngọ: giao thừa Mon 16/02, mùng 1–4 Tue 17 – Fri 20/02.
    let c = cal();
    for d in 16..=20 {
        let day = Date::from_calendar_date(2026, time::Month::February, d).expect("date");
        assert!(!c.is_working_day(day), "{day}");
    }
    assert_eq!(
        due(datetime!(2026-02-13 09:00 +7), wd(1.0)),
        datetime!(2026-02-23 09:00 +7)
    );
}

#[test]
fn national_day_and_new_year() {
    let c = cal();
    // 2025: 2/9 is a Tuesday, the adjacent day is Monday 1/9.
    assert!(!c.is_working_day(date!(2025 - 09 - 01)));
    assert!(!c.is_working_day(date!(2025 - 09 - 02)));
    assert!(c.is_working_day(date!(2025 - 09 - 03)));
    // 2024: Monday 2/9 and Tuesday 3/9.
    assert!(!c.is_working_day(date!(2024 - 09 - 03)));
    // 1/1/2028 is a Saturday: compensated on Monday 3/1/2028.
    assert!(!c.is_working_day(date!(2028 - 01 - 03)));
}

#[test]
fn overrides_add_days_off_and_swapped_working_saturdays() {
    let ov = [
        DayOverride {
            date: date!(2026 - 02 - 23),
            kind: OverrideKind::DayOff,
            note: "Nghỉ thêm (ví dụ)".into(),
        },
        DayOverride {
            date: date!(2026 - 02 - 28),
            kind: OverrideKind::WorkingDay,
            note: "Làm bù (ví dụ)".into(),
        },
    ];
    let c = WorkCalendar::vietnam(2026..=2026, &ov);
    assert!(!c.is_working_day(date!(2026 - 02 - 23)));
    assert!(c.is_working_day(date!(2026 - 02 - 28)));
    // Fri 27/02 16:00 + 2 hours: 1 hour Friday, then the working Saturday.
    let t = c.due(
        datetime!(2026-02-27 16:00 +7),
        TimeLimit {
            amount: 2.0,
            unit: TimeUnit::Hours,
        },
        &DueRules::default(),
    );
    assert_eq!(t, datetime!(2026-02-28 08:00 +7));
}

#[test]
fn cutoff_1500_moves_to_next_working_day() {
    let c = cal();
    let rules = DueRules {
        cutoff: Some(time!(15:00)),
        pauses: &[],
    };
    let same = TimeLimit {
        amount: 0.0,
        unit: TimeUnit::SameDay,
    };
    assert_eq!(
        c.due(datetime!(2026-11-23 14:59 +7), same, &rules),
        datetime!(2026-11-23 17:00 +7)
    );
    assert_eq!(
        c.due(datetime!(2026-11-23 15:01 +7), same, &rules),
        datetime!(2026-11-24 17:00 +7)
    );
    // Friday after 15:00 → Monday.
    assert_eq!(
        c.due(datetime!(2026-11-27 15:30 +7), same, &rules),
        datetime!(2026-11-30 17:00 +7)
    );
    // Without the rule, the same intake is due the same day.
    assert_eq!(
        c.due(datetime!(2026-11-23 15:01 +7), same, &DueRules::default()),
        datetime!(2026-11-23 17:00 +7)
    );
    // With a 1 working-day limit, the count starts next morning.
    assert_eq!(
        c.due(datetime!(2026-11-23 16:00 +7), wd(1.0), &rules),
        datetime!(2026-11-24 17:00 +7)
    );
}

#[test]
fn clock_stop_shifts_by_paused_working_time() {
    let c = cal();
    // 5 working days from Mon 23/11 08:00 → Mon 30/11 08:00; a pause of Tue 14:00 – Thu 14:00 (2 working days) → Wed 02/12.
    let pauses = [Pause {
        from: datetime!(2026-11-24 14:00 +7),
        to: datetime!(2026-11-26 14:00 +7),
    }];
    let rules = DueRules {
        cutoff: None,
        pauses: &pauses,
    };
    assert_eq!(
        c.due(
            datetime!(2026-11-23 08:00 +7),
            wd(5.0),
            &DueRules::default()
        ),
        datetime!(2026-11-30 08:00 +7)
    );
    assert_eq!(
        c.due(datetime!(2026-11-23 08:00 +7), wd(5.0), &rules),
        datetime!(2026-12-02 08:00 +7)
    );
    // A pause over a weekend only counts its working time: Fri 16:00 → Mon 08:00 is 2 working hours.
    let pauses = [Pause {
        from: datetime!(2026-11-27 16:00 +7),
        to: datetime!(2026-11-30 08:00 +7),
    }];
    let rules = DueRules {
        cutoff: None,
        pauses: &pauses,
    };
    assert_eq!(
        c.due(datetime!(2026-11-23 08:00 +7), wd(5.0), &rules),
        datetime!(2026-11-30 10:00 +7)
    );
}

#[test]
fn calendar_days_never_end_on_a_day_off() {
    let c = cal();
    let days = |n| TimeLimit {
        amount: n,
        unit: TimeUnit::Days,
    };
    // Mon 23/11 09:00 + 5 days = Sat 28/11 → Mon 30/11 09:00.
    assert_eq!(
        c.due(
            datetime!(2026-11-23 09:00 +7),
            days(5.0),
            &DueRules::default()
        ),
        datetime!(2026-11-30 09:00 +7)
    );
    // + 3 days = Thu.
    assert_eq!(
        c.due(
            datetime!(2026-11-23 09:00 +7),
            days(3.0),
            &DueRules::default()
        ),
        datetime!(2026-11-26 09:00 +7)
    );
    // Months: 31/01 + 1 month = 28/02 (2026, Saturday) → Mon 02/03.
    let m = TimeLimit {
        amount: 1.0,
        unit: TimeUnit::Months,
    };
    assert_eq!(
        c.due(datetime!(2026-01-30 09:00 +7), m, &DueRules::default()),
        datetime!(2026-03-02 09:00 +7)
    );
}

#[test]
fn disadvantaged_variant_is_selected_by_the_unit_flag() {
    let t = ProcedureTime {
        normal: wd(15.0),
        disadvantaged: Some(wd(25.0)),
    };
    assert_eq!(t.for_unit(false).amount, 15.0);
    assert_eq!(t.for_unit(true).amount, 25.0);
    assert_eq!(
        ProcedureTime {
            normal: wd(7.0),
            disadvantaged: None
        }
        .for_unit(true)
        .amount,
        7.0
    );
}

#[test]
fn fractional_step_budgets() {
    let c = cal();
    let d = c.step_deadlines(datetime!(2026-11-23 07:00 +7), &[0.25, 1.5, 0.5, 0.0]);
    assert_eq!(
        d,
        vec![
            datetime!(2026-11-23 09:00 +7),
            datetime!(2026-11-24 15:00 +7),
            datetime!(2026-11-25 09:00 +7),
            datetime!(2026-11-25 09:00 +7),
        ]
    );
}

#[test]
fn remaining_and_overdue_texts() {
    let c = cal();
    let due = datetime!(2026-11-25 10:00 +7);
    let left = WorkingDuration {
        minutes: c.working_minutes_between(datetime!(2026-11-23 08:00 +7), due),
    };
    assert_eq!(left.vi(), "Còn 2 ngày làm việc 2 giờ");
    assert_eq!(left.en(), "2 working days 2 hours left");
    assert_eq!(
        WorkingDuration { minutes: 480 }.vi(),
        "Còn 8 giờ",
        "a result due this afternoon is not \"1 day\" away"
    );
    let late = WorkingDuration {
        minutes: c.working_minutes_between(datetime!(2026-11-26 14:30 +7), due),
    };
    // Wed 10:00–11:30, 13:30–17:00 (5 h) + Thu 07:00–11:30, 13:30–14:30 (5 h 30) = 10 h 30.
    assert_eq!(late.minutes, -630);
    assert_eq!(late.vi(), "Quá hạn 1 ngày làm việc 2 giờ 30 phút");
    assert_eq!(late.en(), "overdue by 1 working day 2 hours 30 minutes");
    assert_eq!(
        WorkingDuration { minutes: -30 }.en(),
        "overdue by 0 hours 30 minutes"
    );
    assert_eq!(format_vi(due), "25/11/2026 10:00");
}

#[test]
fn office_hours_parse_and_validate() {
    let h = OfficeHours::parse("07:30-11:30, 13:00-17:00").expect("valid");
    assert_eq!(h.minutes_per_day(), 480);
    assert_eq!(h.to_string(), "07:30-11:30,13:00-17:00");
    assert!(OfficeHours::parse("11:30-07:00").is_err());
    assert!(OfficeHours::parse("07:00-12:00,11:00-17:00").is_err());
    assert!(OfficeHours::parse("").is_err());
}

fn moment() -> impl Strategy<Value = OffsetDateTime> {
    // Any minute from 2024 to 2029.
    (0i64..(6 * 365 * 1440)).prop_map(|m| datetime!(2024-01-01 00:00 +7) + Duration::minutes(m))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn result_is_always_a_working_moment(start in moment(), mins in 0i64..(40 * 480)) {
        let c = cal();
        let t = c.add_working_minutes(start, mins);
        prop_assert!(c.is_working_moment(t), "{t} is not a working moment");
    }

    #[test]
    fn monotonic_in_amount_and_start(start in moment(), a in 0i64..20_000, b in 0i64..20_000, shift in 0i64..100_000) {
        let c = cal();
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(c.add_working_minutes(start, lo) <= c.add_working_minutes(start, hi));
        let later = start + Duration::minutes(shift);
        prop_assert!(c.add_working_minutes(start, a) <= c.add_working_minutes(later, a));
    }

    #[test]
    fn round_trips_with_working_minutes_between(start in moment(), mins in 0i64..20_000) {
        let c = cal();
        let s = c.next_working_moment(start);
        let t = c.add_working_minutes(s, mins);
        prop_assert_eq!(c.working_minutes_between(s, t), mins);
        prop_assert_eq!(c.working_minutes_between(t, s), -mins);
    }

    #[test]
    fn calendar_day_limits_land_on_working_days(start in moment(), n in 0u32..60) {
        let c = cal();
        let t = c.due(start, TimeLimit { amount: f64::from(n), unit: TimeUnit::Days }, &DueRules::default());
        prop_assert!(c.is_working_day(t.date()));
        prop_assert!(c.is_working_moment(t));
    }

    #[test]
    fn pauses_never_bring_the_due_date_forward(start in moment(), days in 1u32..20, p0 in 0i64..20_000, plen in 0i64..20_000) {
        let c = cal();
        let from = start + Duration::minutes(p0);
        let pauses = [Pause { from, to: from + Duration::minutes(plen) }];
        let limit = TimeLimit::working_days(f64::from(days));
        let plain = c.due(start, limit, &DueRules::default());
        let paused = c.due(start, limit, &DueRules { cutoff: None, pauses: &pauses });
        prop_assert!(paused >= plain);
    }
}
