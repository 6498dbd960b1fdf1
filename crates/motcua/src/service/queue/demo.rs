//! Demo only: the queue of Phường Hải Châu's center (counters, services) and, for `motcua demo`, eight weeks of
//! made-up tickets so that the figures and the staffing advisor have a history to read. Nothing here is real data.

use crate::state::AppState;
use crate::store::queue::{self as qstore, NewService, NewTicket, TicketChange};
use crate::store::{agencies, web as wstore};
use motcua_domain::calendar::VN;
use motcua_domain::ids::{AgencyId, CounterId, QueueServiceId};
use motcua_domain::queue::sim::Rng;
use motcua_domain::queue::{Priority, Source, State};
use time::{Duration, OffsetDateTime, Time};

/// The demo centers: identifier, counters (number, name, services by letter), services (letter, name, fields).
type CenterPlan = (
    &'static str,
    &'static [(i32, &'static str, &'static str)],
    &'static [(&'static str, &'static str, &'static str)],
);

const CENTERS: &[CenterPlan] = &[
    (
        "20242",
        &[
            (1, "Quầy 1 (demo)", "A"),
            (2, "Quầy 2 (demo)", "A"),
            (3, "Quầy 3 (demo)", "B"),
            (4, "Quầy 4 (demo)", "C"),
        ],
        &[
            ("A", "Hộ tịch, chứng thực", "Hộ tịch\nChứng thực"),
            (
                "B",
                "Đất đai, xây dựng, môi trường",
                "Đất đai\nXây dựng\nMôi trường",
            ),
            ("C", "Các lĩnh vực khác", ""),
        ],
    ),
    (
        "48.TTPVHCC",
        &[(1, "Quầy 1 (demo)", ""), (2, "Quầy 2 (demo)", "")],
        &[("A", "Tiếp nhận hồ sơ", "")],
    ),
];

/// Adds the demo centers' counters and services (idempotent: a center that has services is left alone).
pub async fn seed_floor(st: &AppState) -> anyhow::Result<()> {
    for (center, counters, services) in CENTERS {
        let Some(a) = agencies::by_identifier(&st.db, center).await? else {
            continue;
        };
        if !qstore::services_of(&st.db, a.id).await?.is_empty() {
            continue;
        }
        let mut tx = st.db.begin().await?;
        let mut ids: Vec<(&str, QueueServiceId)> = Vec::new();
        for (letter, name, fields) in *services {
            let s = NewService {
                agency_id: a.id,
                letter,
                name,
                fields,
                priority_every: 1,
                handling_minutes: 12,
            };
            if let Some(id) = qstore::add_service(&mut tx, &s).await? {
                ids.push((letter, id));
            }
        }
        for (number, name, _) in *counters {
            wstore::add_counter(&mut tx, a.id, *number, name, "").await?;
        }
        tx.commit().await?;
        let made = qstore::counters_of(&st.db, a.id).await?;
        let mut tx = st.db.begin().await?;
        for (number, _, letters) in *counters {
            let Some(c) = made.iter().find(|c| c.number == *number) else {
                continue;
            };
            let of: Vec<QueueServiceId> = ids
                .iter()
                .filter(|(l, _)| letters.contains(l))
                .map(|(_, id)| *id)
                .collect();
            if !letters.is_empty() {
                qstore::set_counter_services(&mut tx, c.id, &of).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Arrivals per hour from 07:00 of a demo weekday at Hải Châu, per service letter (made up, morning peak).
const PROFILE: [(&str, [f64; 10], f64); 3] = [
    (
        "A",
        [6.0, 14.0, 12.0, 9.0, 3.0, 0.0, 5.0, 9.0, 8.0, 4.0],
        11.0,
    ),
    (
        "B",
        [2.0, 5.0, 5.0, 4.0, 1.0, 0.0, 2.0, 4.0, 3.0, 2.0],
        16.0,
    ),
    (
        "C",
        [2.0, 4.0, 4.0, 3.0, 1.0, 0.0, 2.0, 3.0, 3.0, 1.0],
        10.0,
    ),
];

fn at(day: time::Date, minutes: f64) -> OffsetDateTime {
    let t = day.with_time(Time::MIDNIGHT).assume_offset(VN);
    t + Duration::seconds_f64(minutes * 60.0)
}

/// Eight weeks of made-up tickets at Hải Châu before today (working days only), once.
pub async fn seed_history(st: &AppState, weeks: i64) -> anyhow::Result<usize> {
    let Some(a) = agencies::by_identifier(&st.db, "20242").await? else {
        return Ok(0);
    };
    let today = st.clock.now().to_offset(VN).date();
    let first = today - Duration::weeks(weeks);
    if !qstore::history(
        &st.db,
        a.id,
        &first.to_string(),
        &(today - Duration::days(1)).to_string(),
    )
    .await?
    .is_empty()
    {
        return Ok(0);
    }
    let services = qstore::services_of(&st.db, a.id).await?;
    let counters = qstore::counters_of(&st.db, a.id).await?;
    let cal = st.calendar();
    let mut rng = Rng::new(20_260_701);
    let mut made = 0;
    let mut tx = st.db.begin().await?;
    let mut day = first;
    while day < today {
        if cal.is_working_day(day) {
            made += seed_day(&mut tx, (a.id, day), &services, &counters, &mut rng).await?;
        }
        day += Duration::days(1);
    }
    tx.commit().await?;
    Ok(made)
}

/// A demo day's arrivals: (minute of the day, service, mean handling minutes).
fn arrivals_of_day(
    services: &[qstore::ServiceRow],
    rng: &mut Rng,
) -> Vec<(f64, QueueServiceId, f64)> {
    let mut tickets: Vec<(f64, QueueServiceId, f64)> = Vec::new();
    for (letter, hours, handling) in PROFILE {
        let Some(s) = services.iter().find(|s| s.letter == letter) else {
            continue;
        };
        for (h, rate) in hours.iter().enumerate() {
            let mut t = 420.0 + h as f64 * 60.0;
            let end = t + 60.0;
            if *rate <= 0.0 {
                continue;
            }
            loop {
                t += rng.exp(60.0 / rate);
                if t >= end {
                    break;
                }
                tickets.push((t, s.id, handling));
            }
        }
    }
    tickets
}

async fn seed_day(
    tx: &mut crate::store::Tx,
    (agency, day): (AgencyId, time::Date),
    services: &[qstore::ServiceRow],
    counters: &[qstore::CounterRow],
    rng: &mut Rng,
) -> anyhow::Result<usize> {
    let mut tickets = arrivals_of_day(services, rng);
    tickets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut free: std::collections::HashMap<CounterId, f64> =
        counters.iter().map(|c| (c.id, 420.0)).collect();
    let key = day.to_string();
    for (n, (arrived, service, handling)) in tickets.iter().enumerate() {
        let serving: Vec<&qstore::CounterRow> = counters
            .iter()
            .filter(|c| super::calls(c, *service))
            .collect();
        let Some(c) = serving
            .iter()
            .min_by(|a, b| free[&a.id].total_cmp(&free[&b.id]))
        else {
            continue;
        };
        let called = free[&c.id].max(*arrived);
        // Lunch: nobody is called between 11:30 and 13:30.
        let called = if (690.0..810.0).contains(&called) {
            810.0
        } else {
            called
        };
        let no_show = rng.uniform() < 0.04;
        let took = if no_show {
            1.0
        } else {
            rng.exp(*handling).max(2.0)
        };
        free.insert(c.id, called + took);
        let id = qstore::insert_ticket(
            tx,
            &NewTicket {
                agency_id: agency,
                day: key.clone(),
                number: n as i64 + 1,
                service_id: *service,
                source: if rng.uniform() < 0.7 {
                    Source::Kiosk
                } else {
                    Source::Phone
                },
                priority: (rng.uniform() < 0.08).then_some(Priority::Elderly),
                token: format!("demo-{key}-{n}"),
                taken_at: at(day, *arrived),
                since: at(day, *arrived),
                appointment_at: None,
                procedure_code: None,
                person: None,
                assisted_by: None,
                booked_by: None,
                notify_phone: None,
            },
        )
        .await?;
        qstore::set_called(tx, id, c.id, at(day, called)).await?;
        let change = TicketChange {
            state: Some(if no_show { State::NoShow } else { State::Done }),
            started_at: Some(at(day, called)),
            finished_at: Some(at(day, called + took)),
            ..TicketChange::default()
        };
        qstore::change(tx, id, State::Called, &change).await?;
    }
    qstore::set_last_number(tx, agency, &key, tickets.len() as i64).await?;
    Ok(tickets.len())
}
