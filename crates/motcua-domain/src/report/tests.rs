use super::index766::{compute, points, Inputs, Standing};
use super::*;
use time::macros::datetime;

fn facts(status: Status) -> Facts {
    Facts {
        status,
        channel: Channel::Online,
        received_at: Some(datetime!(2026-03-02 02:00 UTC)),
        due_at: Some(datetime!(2026-03-05 09:00 UTC)),
        completed_at: None,
        closed_at: None,
        bundle_child: false,
        paid_online: false,
        digitized: false,
        reused: false,
        e_result: false,
        charged: false,
    }
}

#[test]
fn punctuality_compares_vietnamese_dates() {
    let due = Some(datetime!(2026-03-05 09:00 UTC)); // 16:00 on 05/03 in Vietnam
                                                     // 23:30 UTC on 04/03 is 06:30 on 05/03 in Vietnam: the same date, on time although UTC says the day before.
    assert_eq!(
        punctuality(datetime!(2026-03-04 23:30 UTC), due),
        Counter::CompletedOnTime
    );
    assert_eq!(
        punctuality(datetime!(2026-03-04 16:59 UTC), due),
        Counter::CompletedEarly
    );
    // 17:30 UTC on 05/03 is 00:30 on 06/03 in Vietnam: late, although UTC shows the due date.
    assert_eq!(
        punctuality(datetime!(2026-03-05 17:30 UTC), due),
        Counter::CompletedLate
    );
    assert_eq!(
        punctuality(datetime!(2026-03-05 16:59 UTC), due),
        Counter::CompletedOnTime
    );
    assert_eq!(
        punctuality(datetime!(2030-01-01 00:00 UTC), None),
        Counter::CompletedOnTime
    );
}

#[test]
fn an_online_submission_not_taken_in_counts_nothing() {
    let mut f = facts(Status::Submitted);
    f.received_at = None;
    assert_eq!(contribution(&f), (vec![], None));
    let mut r = facts(Status::Refused);
    r.closed_at = Some(datetime!(2026-03-03 01:00 UTC));
    let (cells, open) = contribution(&r);
    assert_eq!(open, None);
    assert_eq!(
        cells.iter().map(|c| c.counter).collect::<Vec<_>>(),
        vec![Counter::Refused]
    );
}

#[test]
fn a_bundle_child_adds_nothing() {
    let mut f = facts(Status::Processing);
    f.bundle_child = true;
    assert_eq!(contribution(&f), (vec![], None));
}

#[test]
fn completing_moves_the_dossier_out_of_the_open_set() {
    let before = facts(Status::Processing);
    let mut after = before.clone();
    after.status = Status::Completed;
    after.completed_at = Some(datetime!(2026-03-06 03:00 UTC));
    after.e_result = true;
    let d = delta(Some(&before), Some(&after));
    assert_eq!(
        d.leave,
        Some(Open {
            due_day: Some(time::macros::date!(2026 - 03 - 05)),
            status: Status::Processing
        })
    );
    assert_eq!(d.enter, None);
    let counters: Vec<Counter> = d.cells.iter().map(|c| c.counter).collect();
    assert_eq!(
        counters,
        vec![
            Counter::CompletedLate,
            Counter::ProcessingMinutes,
            Counter::EResult
        ]
    );
    let minutes = d
        .cells
        .iter()
        .find(|c| c.counter == Counter::ProcessingMinutes)
        .map(|c| c.n);
    assert_eq!(minutes, Some(4 * 24 * 60 + 60));
    // Nothing changes for a transition that keeps the figures.
    assert!(delta(Some(&before), Some(&before)).is_empty());
}

#[test]
fn open_dossiers_are_within_deadline_up_to_their_due_date() {
    let mut s = Summary::default();
    let o = Open {
        due_day: Some(time::macros::date!(2026 - 03 - 05)),
        status: Status::AwaitingSupplement,
    };
    s.add_open(o, time::macros::date!(2026 - 03 - 05), 1);
    s.add_open(o, time::macros::date!(2026 - 03 - 06), 2);
    assert_eq!(
        (
            s.in_progress,
            s.in_progress_on_time,
            s.in_progress_overdue,
            s.supplement_pending
        ),
        (3, 1, 2, 3)
    );
}

#[test]
fn the_766_rule_caps_at_target() {
    assert_eq!(points(85.0, Some(80.0), 2.0), 2.0);
    assert_eq!(points(40.0, Some(80.0), 2.0), 1.0);
    assert_eq!(points(91.5, None, 20.0), 18.3);
}

#[test]
fn the_766_index_scores_what_it_holds_and_says_what_it_does_not() {
    let mut s = Summary::default();
    for (c, n) in [
        (Counter::Received, 100),
        (Counter::Online, 40),
        (Counter::CompletedEarly, 50),
        (Counter::CompletedOnTime, 30),
        (Counter::CompletedLate, 10),
        (Counter::PaidOnline, 12),
        (Counter::Digitized, 90),
        (Counter::Reused, 20),
        (Counter::EResult, 45),
        (Counter::Charged, 40),
    ] {
        s.add(c, n);
    }
    s.add_open(
        Open {
            due_day: None,
            status: Status::Processing,
        },
        time::macros::date!(2026 - 03 - 31),
        10,
    );
    let i = compute(&Inputs {
        summary: s,
        procedures: 50,
        procedures_online: 30,
        procedures_complete: 45,
        online_with_dossiers: 15,
        ratings: 20,
        ratings_unhappy: 2,
        feedback: 3,
    });
    let get = |id: &str| {
        i.groups
            .iter()
            .flat_map(|g| g.indicators.iter())
            .find(|x| x.id == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id}"))
    };
    // 2.1: (50 + 30 + 10) / (90 + 10) = 90% → 18 of 20.
    assert_eq!(
        (get("2.1").ratio_pct, get("2.1").points),
        (Some(90.0), Some(18.0))
    );
    // 3.1: 30/50 = 60% under the 80% target → 60 × 2 / 80 = 1.5.
    assert_eq!(get("3.1").points, Some(1.5));
    // 3.3: 40% of a 50% target → 4.8 of 6.
    assert_eq!(get("3.3").points, Some(4.8));
    // 3.6: 12/40 = 30% → 1.8 of 6.
    assert_eq!(get("3.6").points, Some(1.8));
    // 4.2: 90% ≥ 80% → 4; 4.3: 20% of 80% → 0.5.
    assert_eq!(
        (get("4.2").points, get("4.3").points),
        (Some(4.0), Some(0.5))
    );
    // 5.4: 100 − 10% late − 10% unhappy = 80% of a 90% target → 5.33.
    assert_eq!(
        (get("5.4").ratio_pct, get("5.4").points),
        (Some(80.0), Some(5.33))
    );
    for id in [
        "1.1", "1.2", "1.4", "3.5", "4.4", "4.5a", "4.5b", "5.2", "5.3",
    ] {
        assert_eq!(
            (get(id).standing, get(id).points, get(id).numerator),
            (Standing::NoData, None, None),
            "{id}"
        );
        assert!(!get(id).explanation.is_empty());
    }
    assert_eq!(i.max_points, 100.0);
    assert!(i.max_scored < 100.0 && i.points <= i.max_scored);
}
