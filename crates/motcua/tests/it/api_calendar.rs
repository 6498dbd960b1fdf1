//! The due-date endpoint and the holiday list.

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;

async fn due(b: Backend) {
    let app = TestApp::new(b).await;
    let cases = [
        // The example: weekend, Hùng Kings (Sun 26/4 → Mon 27/4), 30/4, 1/5, weekend.
        (
            "2026-04-24T10:00:00%2B07:00",
            "3",
            "working_days",
            "",
            "2026-05-04T10:00:00+07:00",
        ),
        (
            "2026-04-24T03:00:00Z",
            "3",
            "working_days",
            "",
            "2026-05-04T10:00:00+07:00",
        ),
        (
            "2026-11-23T09:00:00%2B07:00",
            "0.25",
            "working_days",
            "",
            "2026-11-23T11:00:00+07:00",
        ),
        (
            "2026-11-23T11:00:00%2B07:00",
            "1",
            "hours",
            "",
            "2026-11-23T14:00:00+07:00",
        ),
        (
            "2026-11-23T09:00:00%2B07:00",
            "5",
            "days",
            "",
            "2026-11-30T09:00:00+07:00",
        ),
        (
            "2026-11-23T15:30:00%2B07:00",
            "0",
            "same_day",
            "&cutoff=15:00",
            "2026-11-24T17:00:00+07:00",
        ),
    ];
    for (from, amount, unit, extra, want) in cases {
        let r = app
            .get(
                &format!("/api/v1/calendar/due?from={from}&amount={amount}&unit={unit}{extra}"),
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{from} {amount} {unit}: {}",
            r.body
        );
        assert_eq!(r.body["due"], want, "{from} + {amount} {unit}");
    }
    let r = app
        .get(
            "/api/v1/calendar/due?from=2026-04-24T10:00:00%2B07:00&amount=3&unit=working_days",
            None,
        )
        .await;
    assert_eq!(r.body["due_vi"], "04/05/2026 10:00");
    for bad in [
        "/api/v1/calendar/due?from=yesterday&amount=1&unit=days",
        "/api/v1/calendar/due?from=2026-04-24T10:00:00Z&amount=1&unit=weeks",
        "/api/v1/calendar/due?from=2026-04-24T10:00:00Z&amount=-1&unit=days",
        "/api/v1/calendar/due?from=2026-04-24T10:00:00Z&amount=1&unit=days&cutoff=25",
    ] {
        let r = app.get(bad, None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            r.body["error"]["message"].is_string() && r.body["error"]["message_en"].is_string()
        );
    }
    assert_eq!(
        app.get("/api/v1/calendar/due?amount=1&unit=days", None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
both!(calendar_due, due);

async fn holidays_and_overrides(b: Backend) {
    let app = TestApp::new(b).await;
    let r = app.get("/api/v1/calendar/holidays?year=2026", None).await;
    let dates: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    for d in [
        "2026-01-01",
        "2026-02-16",
        "2026-02-17",
        "2026-02-20",
        "2026-04-26",
        "2026-04-27",
        "2026-04-30",
        "2026-05-01",
        "2026-09-02",
    ] {
        assert!(dates.contains(&d), "{d} missing from {dates:?}");
    }
    // A yearly official override (as a province enters the Prime Minister's schedule) changes the due date.
    let csv = b"date,kind,note\n2026-11-24,day_off,Ngh\xe1\xbb\x89 th\xc3\xaam (v\xc3\xad d\xe1\xbb\xa5 ki\xe1\xbb\x83m th\xe1\xbb\xad)\n";
    assert_eq!(
        motcua::service::catalog::import::calendar_csv(&app.state.db, csv, "test")
            .await
            .unwrap(),
        1
    );
    app.state.reload_calendar().await.unwrap();
    let r = app
        .get(
            "/api/v1/calendar/due?from=2026-11-23T09:00:00%2B07:00&amount=1&unit=working_days",
            None,
        )
        .await;
    assert_eq!(r.body["due"], "2026-11-25T09:00:00+07:00");
    let bad = motcua::service::catalog::import::calendar_csv(
        &app.state.db,
        b"date,kind,note\n2026-13-01,day_off,x\n",
        "t",
    )
    .await;
    assert!(bad.unwrap_err().to_string().contains("YYYY-MM-DD"));
}
both!(holidays, holidays_and_overrides);

/// The holiday engine agrees with the shipped holiday table for every statutory anchor of 2024–2035.
#[test]
fn lunar_holidays_match_the_data_file() {
    let text = include_str!("../../data/vn_public_holidays_2024_2035.csv");
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (date, year, kind) = (f[0], f[2].parse::<i32>().unwrap(), f[f.len() - 2]);
        let kind = if line.contains(",lunar,") {
            "lunar"
        } else if line.contains(",lunar_tet_window,") {
            "window"
        } else {
            kind
        };
        let stat = motcua_domain::calendar::statutory_holidays(year);
        if kind == "lunar" || kind == "window" {
            assert!(
                stat.iter().any(|(d, _)| d.to_string() == date),
                "{date} ({year}) not computed"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 36, "3 lunar anchors a year for 12 years");
}
