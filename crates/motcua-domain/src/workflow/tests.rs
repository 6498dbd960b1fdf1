//! Workflow shapes, budgets and the permission rule.

use super::*;
use crate::calendar::{TimeLimit, TimeUnit};

fn days(n: f64) -> Option<TimeLimit> {
    Some(TimeLimit {
        amount: n,
        unit: TimeUnit::WorkingDays,
    })
}

#[test]
fn templates_add_up_to_the_limit() {
    for n in [0.5, 1.0, 3.0, 7.0, 15.0, 30.0, 45.0] {
        let w = Workflow::default_for("ho tich", days(n));
        assert_eq!(w.validate(days(n)), Ok(()), "{n} days");
        assert_eq!(w.steps.len(), 4);
    }
    let same_day = Some(TimeLimit {
        amount: 1.0,
        unit: TimeUnit::SameDay,
    });
    let w = Workflow::default_for("chung thuc", same_day);
    assert_eq!(w.steps.len(), 2, "certification is done on the spot");
    assert_eq!(w.steps[0].role, Role::ReceivingOfficer);
    assert_eq!(w.steps[0].kind, StepKind::Approve);
    assert_eq!(w.validate(same_day), Ok(()));
    assert_eq!(Workflow::default_for("chung thuc", None).steps.len(), 2);
    assert_eq!(
        Workflow::default_for("chung thuc", days(3.0)).steps.len(),
        4
    );
    assert_eq!(
        Workflow::default_for("ho tich", None).total_minutes(),
        5 * DAY_MINUTES
    );
    // 7 working days = 3,360 minutes: 10 % and 20 % rounded down to quarter hours, the rest to the specialist.
    let w = Workflow::standard(7 * DAY_MINUTES);
    let m: Vec<i64> = w.steps.iter().map(StepDef::minutes).collect();
    assert_eq!(m, [330, 2040, 660, 330]);
    assert_eq!(m.iter().sum::<i64>(), 7 * DAY_MINUTES);
}

#[test]
fn bad_shapes_are_refused() {
    let good = Workflow::standard(3 * DAY_MINUTES);
    let mut w = good.clone();
    w.steps[1].days += 0.25;
    let e = w.validate(days(3.0)).unwrap_err();
    assert!(
        e.to_string().contains("3 days 2 h") && e.to_string().contains("over by 2 h"),
        "{e}"
    );
    assert!(
        e.vi.contains("3 ngày 2 giờ") && e.vi.contains("thừa 2 giờ"),
        "{}",
        e.vi
    );
    let mut w = good.clone();
    w.steps.swap(2, 3);
    assert!(w.validate(None).is_err(), "return before approval");
    let mut w = good.clone();
    w.steps[0].kind = StepKind::Approve;
    assert!(w.validate(None).is_err(), "two approvals");
    let mut w = good.clone();
    w.steps[1].days = 0.01;
    assert!(w.validate(None).is_err(), "not in quarter hours");
    let mut w = good.clone();
    w.steps[1].role = Role::Citizen;
    assert!(w.validate(None).is_err());
    let mut w = good.clone();
    w.steps[1].name = " ".into();
    assert!(w.validate(None).is_err());
    let mut w = good;
    w.steps[1].days = f64::NAN;
    assert!(w.validate(None).is_err());
    assert!(Workflow { steps: vec![] }.validate(None).is_err());
    // Calendar-day limits are not compared.
    let cal = Some(TimeLimit {
        amount: 30.0,
        unit: TimeUnit::Days,
    });
    assert_eq!(Workflow::standard(DAY_MINUTES).validate(cal), Ok(()));
}

const RECV: AgencyId = AgencyId(1);
const COMP: AgencyId = AgencyId(2);

fn dossier(status: Status, index: usize, assignee: Option<UserId>) -> Subject {
    let w = Workflow::standard(5 * DAY_MINUTES);
    let s = &w.steps[index];
    Subject {
        status,
        receiving_agency: RECV,
        competent_agency: COMP,
        step: Some(CurrentStep {
            index,
            role: s.role,
            kind: s.kind,
            agency: if s.place == Place::Receiving {
                RECV
            } else {
                COMP
            },
            assignee,
        }),
        bundle: false,
        fee_open: false,
    }
}

fn who(user: i64, role: Role, agency: AgencyId) -> Who {
    Who {
        user: UserId(user),
        role,
        agency: Some(agency),
    }
}

#[test]
fn each_step_belongs_to_its_role_and_unit() {
    let officer = who(10, Role::ReceivingOfficer, RECV);
    let specialist = who(20, Role::Specialist, COMP);
    let other_specialist = who(21, Role::Specialist, COMP);
    let leader = who(30, Role::Leader, COMP);
    let foreign = who(40, Role::Specialist, AgencyId(99));
    let d = dossier(Status::Accepted, 0, None);
    assert_eq!(
        allowed(&d, officer),
        [
            Action::Forward,
            Action::Assign,
            Action::Claim,
            Action::RequestSupplement,
            Action::RequestPayment,
            Action::Extend,
            Action::Withdraw
        ]
    );
    assert_eq!(
        decide(&d, specialist, Action::Forward),
        Err(Denied::Actor),
        "not the specialist's step"
    );
    let d = dossier(Status::Processing, 1, Some(UserId(20)));
    assert!(decide(&d, specialist, Action::Forward).is_ok());
    assert_eq!(
        decide(&d, other_specialist, Action::Forward),
        Err(Denied::Actor),
        "assigned to a colleague"
    );
    assert!(
        decide(&d, leader, Action::Forward).is_err(),
        "assigned elsewhere"
    );
    assert!(
        decide(&d, leader, Action::Assign).is_ok(),
        "leader reassigns"
    );
    assert_eq!(decide(&d, foreign, Action::Forward), Err(Denied::Actor));
    assert!(matches!(
        decide(&d, specialist, Action::Approve),
        Err(Denied::State(_))
    ));
    let pool = dossier(Status::Processing, 1, None);
    assert!(decide(&pool, other_specialist, Action::Claim).is_ok());
    assert!(
        decide(&pool, leader, Action::Claim).is_ok(),
        "leader stands in"
    );
    assert_eq!(
        decide(&pool, officer, Action::Claim),
        Err(Denied::Actor),
        "not a specialist"
    );
    let sign = dossier(Status::Processing, 2, None);
    assert_eq!(
        decide(&sign, leader, Action::Approve),
        Ok(Status::Completed)
    );
    assert!(decide(&sign, leader, Action::ReturnStep).is_ok());
    assert!(matches!(
        decide(&sign, leader, Action::Forward),
        Err(Denied::State(_))
    ));
    let ret = dossier(Status::Completed, 3, None);
    assert_eq!(
        decide(&ret, officer, Action::ReturnResult),
        Ok(Status::Returned)
    );
    assert_eq!(
        decide(&ret, leader, Action::ReturnResult),
        Err(Denied::Actor)
    );
}

#[test]
fn intake_decisions_stay_at_the_receiving_center() {
    let d = Subject {
        status: Status::Submitted,
        receiving_agency: RECV,
        competent_agency: COMP,
        step: None,
        bundle: false,
        fee_open: false,
    };
    let here = who(10, Role::ReceivingOfficer, RECV);
    let elsewhere = who(11, Role::ReceivingOfficer, AgencyId(77));
    assert_eq!(
        allowed(&d, here),
        [Action::Accept, Action::Refuse, Action::Withdraw]
    );
    assert_eq!(decide(&d, elsewhere, Action::Accept), Err(Denied::Actor));
    let citizen = Who {
        user: UserId(5),
        role: Role::Citizen,
        agency: None,
    };
    assert_eq!(allowed(&d, citizen), [Action::Withdraw]);
    let parent = Subject { bundle: true, ..d };
    assert_eq!(
        allowed(&parent, here),
        [],
        "a bundle's parent follows its children"
    );
}

#[test]
fn an_open_fee_is_confirmed_only_by_its_settlement() {
    let waiting = Subject {
        status: Status::AwaitingPayment,
        receiving_agency: RECV,
        competent_agency: COMP,
        step: None,
        bundle: false,
        fee_open: false,
    };
    let here = who(10, Role::ReceivingOfficer, RECV);
    assert_eq!(
        decide(&waiting, here, Action::ConfirmPayment),
        Ok(Status::Processing)
    );
    let open = Subject {
        fee_open: true,
        ..waiting
    };
    assert!(matches!(
        decide(&open, here, Action::ConfirmPayment),
        Err(Denied::State(_))
    ));
    assert!(!allowed(&open, here).contains(&Action::ConfirmPayment));
    assert!(allowed(&open, here).contains(&Action::Withdraw));
}

#[test]
fn a_step_never_ends_after_a_coming_appointment() {
    use time::macros::datetime;
    let now = datetime!(2026-12-01 08:00 +7);
    let budget = datetime!(2026-12-08 08:00 +7);
    let appointment = datetime!(2026-12-03 17:00 +7);
    let p = StepKind::Process;
    assert_eq!(step_due(p, budget, Some(appointment), now), appointment);
    let early = datetime!(2026-12-02 08:00 +7);
    assert_eq!(step_due(p, early, Some(appointment), now), early);
    assert_eq!(
        step_due(StepKind::Return, early, Some(appointment), now),
        appointment,
        "the result is handed over on the appointment day"
    );
    assert_eq!(step_due(p, budget, None, now), budget);
    let late = datetime!(2026-11-30 17:00 +7);
    assert_eq!(step_due(p, budget, Some(late), now), budget, "already late");
    assert_eq!(step_due(StepKind::Return, early, Some(late), now), early);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the person and the step, `allowed` lists exactly the actions `decide` accepts, every accepted
        /// action is one the status machine allows, and the result is the status machine's.
        #[test]
        fn allowed_agrees_with_decide(status in 0usize..10, index in 0usize..4, assignee in proptest::option::of(0i64..3), user in 0i64..3, role in 0usize..7, agency in 0i64..4) {
            let d = dossier(Status::ALL[status], index, assignee.map(UserId));
            let w = Who { user: UserId(user), role: Role::ALL[role], agency: Some(AgencyId(agency)) };
            let list = allowed(&d, w);
            for a in Action::ALL {
                let r = decide(&d, w, a);
                prop_assert_eq!(r.is_ok(), list.contains(&a));
                if let Ok(to) = r {
                    prop_assert_eq!(Ok(to), d.status.next(a));
                }
            }
        }
    }
}

#[test]
fn a_limit_comes_from_the_case_the_record_or_a_set_workflow() {
    let seven = TimeLimit {
        amount: 7.0,
        unit: TimeUnit::WorkingDays,
    };
    assert_eq!(
        choose_limit(Some(seven), "ho tich", None, Some(960)),
        Some((seven, LimitSource::Catalog)),
        "the published limit wins over a workflow's total"
    );
    assert_eq!(
        choose_limit(Some(seven), "ho tich", Some(1440), None).map(|(l, s)| (l.amount, s)),
        Some((3.0, LimitSource::Workflow)),
        "a case's own limit wins"
    );
    assert_eq!(
        choose_limit(None, "ho tich", None, Some(480)).map(|(l, s)| (l.amount, l.unit, s)),
        Some((1.0, TimeUnit::WorkingDays, LimitSource::Workflow))
    );
    assert_eq!(choose_limit(None, "ho tich", None, None), None);
    assert_eq!(choose_limit(None, "ho tich", Some(0), Some(0)), None);
    assert_eq!(
        choose_limit(None, "chung thuc", None, None).map(|(l, s)| (l.unit, s)),
        Some((TimeUnit::SameDay, LimitSource::Law)),
        "certification of copies: the same day by decree"
    );
    for s in [
        LimitSource::Catalog,
        LimitSource::Workflow,
        LimitSource::Law,
    ] {
        assert_eq!(LimitSource::parse(s.as_str()), Some(s));
    }
}
