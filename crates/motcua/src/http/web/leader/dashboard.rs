//! The leaders' pages: the dashboard (figures against the previous period, charts, by agency, field and
//! procedure, drill-down to the dossiers), its Excel and CSV exports, the Decision 766 index and staff workload.

use crate::error::AppError;
use crate::http::extract::AppQuery;
use crate::http::web::charts::{shares, stacked, Bar, Series};
use crate::http::web::page::{PageError, PageResult};
use crate::http::web::{disposition, url_enc, Ctx};
use crate::service::reports::{self as rs, export, Ask, Line, Period, Place};
use crate::state::AppState;
use crate::store::reports::By;
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use motcua_domain::calendar::VN;
use motcua_domain::report::Summary;
use serde::Deserialize;

/// The query of the report pages (Vietnamese names in the address).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageAsk {
    #[serde(default)]
    pub tu: String,
    #[serde(default)]
    pub den: String,
    #[serde(default)]
    pub don_vi: String,
    #[serde(default)]
    pub tinh: String,
    /// Set after a secondment was recorded.
    #[serde(default)]
    pub xong: String,
}

impl PageAsk {
    fn ask(&self) -> Ask {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        Ask {
            unit: some(&self.don_vi),
            province: some(&self.tinh),
            from: some(&self.tu),
            to: some(&self.den),
        }
    }

    /// The same query for a link, with the place replaced.
    pub(super) fn query(&self, don_vi: &str) -> String {
        format!(
            "tu={}&den={}&don_vi={}&tinh={}",
            url_enc(&self.tu),
            url_enc(&self.den),
            url_enc(don_vi),
            if don_vi.is_empty() {
                url_enc(&self.tinh)
            } else {
                String::new()
            }
        )
    }
}

/// A figure with its previous value and the change.
pub struct Card {
    pub label: String,
    pub value: String,
    pub before: String,
    pub test: &'static str,
}

fn num(n: i64) -> String {
    crate::http::web::vnd(n).trim_end_matches(" đ").to_owned()
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.1}%").replace('.', ","))
}

fn cards(ctx: &Ctx, s: &Summary, p: &Summary) -> Vec<Card> {
    let c = |vi: &str, en: &str, a: i64, b: i64, test: &'static str| Card {
        label: ctx.t(vi, en).to_owned(),
        value: num(a),
        before: num(b),
        test,
    };
    vec![
        c("Tiếp nhận", "Received", s.received, p.received, "received"),
        c(
            "Đã giải quyết",
            "Completed",
            s.completed,
            p.completed,
            "completed",
        ),
        Card {
            label: ctx.t("Đúng hạn, trước hạn", "On time or early").into(),
            value: pct(s.on_time_pct()),
            before: pct(p.on_time_pct()),
            test: "on-time",
        },
        c(
            "Đang giải quyết",
            "In progress",
            s.in_progress,
            p.in_progress,
            "in-progress",
        ),
        c(
            "Đang quá hạn",
            "Overdue",
            s.in_progress_overdue,
            p.in_progress_overdue,
            "overdue",
        ),
        c(
            "Chờ bổ sung",
            "Awaiting supplement",
            s.supplement_pending,
            p.supplement_pending,
            "supplement",
        ),
        c("Nộp trực tuyến", "Online", s.online, p.online, "online"),
        c(
            "Thanh toán trực tuyến",
            "Paid online",
            s.paid_online,
            p.paid_online,
            "paid-online",
        ),
        c(
            "Được số hóa",
            "Digitised",
            s.digitized,
            p.digitized,
            "digitized",
        ),
        c(
            "Tái sử dụng giấy tờ",
            "Reused papers",
            s.reused,
            p.reused,
            "reused",
        ),
        c(
            "Rút hồ sơ",
            "Withdrawn",
            s.withdrawn,
            p.withdrawn,
            "withdrawn",
        ),
        c(
            "Từ chối tiếp nhận",
            "Refused",
            s.refused,
            p.refused,
            "refused",
        ),
    ]
}

/// One table row: the figures in the order of [`heads`].
pub struct Row {
    pub label: String,
    pub link: String,
    pub cells: Vec<String>,
    received: i64,
}

fn heads(ctx: &Ctx) -> Vec<&'static str> {
    [
        ("Tiếp nhận", "Received"),
        ("Trực tuyến", "Online"),
        ("Đã giải quyết", "Completed"),
        ("Trước hạn", "Early"),
        ("Đúng hạn", "On time"),
        ("Trễ hạn", "Late"),
        ("Đang giải quyết", "In progress"),
        ("Đang quá hạn", "Overdue"),
        ("Rút hồ sơ", "Withdrawn"),
        ("Tỷ lệ đúng hạn", "On-time share"),
    ]
    .into_iter()
    .map(|(vi, en)| ctx.t(vi, en))
    .collect()
}

#[derive(Template)]
#[template(path = "officer/reports.html")]
struct Dashboard<'a> {
    ctx: &'a Ctx,
    place: &'a Place,
    q: &'a PageAsk,
    from: String,
    to: String,
    before: String,
    error_box: String,
    /// The query was refused: the form and the reason only.
    hide: bool,
    /// Where the period and place form goes.
    form_action: &'static str,
    /// The reader's own reach (the empty choice).
    own: String,
    choices: Vec<(String, String)>,
    cards: Vec<Card>,
    chart_days: String,
    chart_shares: String,
    agencies: Vec<Row>,
    fields: Vec<Row>,
    procedures: Vec<Row>,
    heads: Vec<&'static str>,
    export_query: String,
}

/// The place, period and the refusal of a bad query (the default period shown instead, the input kept).
pub(super) async fn asked(
    st: &AppState,
    ctx: &Ctx,
    q: &PageAsk,
) -> Result<(Place, Period, Option<AppError>), PageError> {
    let actor = super::reader(ctx)?;
    let today = st.clock.now().to_offset(VN).date();
    let ask = q.ask();
    let place = match rs::place(st, actor, &ask).await {
        Ok(p) => p,
        Err(e)
            if e.error_code() == crate::error::ErrorCode::Forbidden
                && (ask.unit.is_some() || ask.province.is_some()) =>
        {
            let own = rs::place(st, actor, &Ask::default()).await?;
            let p = rs::period(&ask, today).unwrap_or(rs::period(&Ask::default(), today)?);
            return Ok((own, p, Some(e)));
        }
        Err(e) => return Err(e.into()),
    };
    match rs::period(&ask, today) {
        Ok(p) => Ok((place, p, None)),
        Err(e) => Ok((place, rs::period(&Ask::default(), today)?, Some(e))),
    }
}

fn rows(lines: Vec<Line>, link: impl Fn(&Line) -> String) -> Vec<Row> {
    let mut v: Vec<Row> = lines
        .into_iter()
        .map(|l| {
            let f = &l.figures;
            let cells = [
                f.received,
                f.online,
                f.completed,
                f.completed_early,
                f.completed_on_time,
                f.completed_late,
                f.in_progress,
                f.in_progress_overdue,
                f.withdrawn,
            ]
            .into_iter()
            .map(num)
            .chain([pct(l.on_time_pct)])
            .collect();
            Row {
                link: link(&l),
                received: f.received,
                label: l.label,
                cells,
            }
        })
        .collect();
    v.sort_by(|a, b| b.received.cmp(&a.received).then(a.label.cmp(&b.label)));
    v
}

/// The places a reader may choose in the form: the agencies of their own reach (for the whole deployment, those with
/// dossiers in the period; the value is the agency's identifier, the label its name), and the place asked for if it
/// is not among them.
pub(super) async fn choices(
    st: &AppState,
    ctx: &Ctx,
    place: &Place,
    p: Period,
    q: &PageAsk,
) -> Result<(String, Vec<(String, String)>), PageError> {
    let actor = super::reader(ctx)?;
    let own = rs::place(st, actor, &Ask::default()).await?;
    let mut v: Vec<(String, String)> = match rs::agencies_in(st, &own.filter).await? {
        Some(all) => all,
        None => rs::breakdown(st, &own.filter, p, By::Agency)
            .await?
            .into_iter()
            .map(|l| (l.key, l.label))
            .collect(),
    };
    v.sort_by(|a, b| a.1.cmp(&b.1));
    let asked = q.don_vi.trim();
    if !asked.is_empty() && !v.iter().any(|(k, _)| k == asked) {
        v.insert(0, (asked.to_owned(), place.name.clone()));
    }
    Ok((own.name, v))
}

/// The two charts: received per day (or month) by channel, and completed by punctuality.
async fn charts(
    st: &AppState,
    ctx: &Ctx,
    place: &Place,
    p: Period,
    now: &Summary,
) -> Result<(String, String), PageError> {
    let series_by = if (p.to - p.from).whole_days() <= 62 {
        By::Day
    } else {
        By::Month
    };
    let bars: Vec<Bar> = rs::breakdown(st, &place.filter, p, series_by)
        .await?
        .iter()
        .map(|l| Bar {
            label: short_label(&l.key),
            values: vec![l.figures.in_person, l.figures.online, l.figures.postal],
        })
        .collect();
    let series = |names: [(&str, &str, &'static str); 3]| -> Vec<Series> {
        names
            .into_iter()
            .map(|(vi, en, colour)| Series {
                name: ctx.t(vi, en).into(),
                colour,
            })
            .collect()
    };
    let channel = series([
        ("Trực tiếp", "In person", "#1f5fa8"),
        ("Trực tuyến", "Online", "#d9822b"),
        ("Bưu chính", "Post", "#3a8d3f"),
    ]);
    let desc = format!(
        "{} {}",
        num(now.received),
        ctx.t(
            "hồ sơ tiếp nhận trong kỳ; chi tiết trong bảng bên dưới.",
            "dossiers received in the period; the table below has the figures."
        )
    );
    let title = ctx.t(
        "Hồ sơ tiếp nhận theo ngày và kênh",
        "Dossiers received by day and channel",
    );
    let punct = series([
        ("Trước hạn", "Early", "#3a8d3f"),
        ("Đúng hạn", "On time", "#1f5fa8"),
        ("Trễ hạn", "Late", "#b3261e"),
    ]);
    let done = [
        now.completed_early,
        now.completed_on_time,
        now.completed_late,
    ];
    let title2 = ctx.t(
        "Hồ sơ đã giải quyết: trước hạn, đúng hạn, trễ hạn",
        "Completed: early, on time, late",
    );
    Ok((
        stacked(title, &desc, &channel, &bars),
        shares(title2, &punct, &done),
    ))
}

/// The tables by agency, field and procedure (at most 100 procedures, the most received first).
async fn tables(
    st: &AppState,
    place: &Place,
    p: Period,
    q: &PageAsk,
) -> Result<[Vec<Row>; 3], PageError> {
    let agencies = rows(
        rs::breakdown(st, &place.filter, p, By::Agency).await?,
        |l| format!("/can-bo/bao-cao?{}", q.query(&l.key)),
    );
    let fields = rows(
        rs::breakdown(st, &place.filter, p, By::Field).await?,
        |_| String::new(),
    );
    let mut procedures = rows(
        rs::breakdown(st, &place.filter, p, By::Procedure).await?,
        |l| {
            format!(
                "/can-bo/bao-cao/ho-so?thu_tuc={}&{}",
                url_enc(&l.key),
                q.query(&q.don_vi)
            )
        },
    );
    procedures.truncate(100);
    Ok([agencies, fields, procedures])
}

/// `GET /can-bo/bao-cao`: the dashboard. A bad query (a date that is not one, a place out of reach) shows the
/// form with the input kept and the reason, and no figures: figures of another period would read as the answer.
pub async fn dashboard(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<PageAsk>, AppError>,
) -> PageResult {
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let (place, p, bad) = asked(&st, &ctx, &q).await?;
    let prev = p.previous();
    let (now, then) = if bad.is_some() {
        (Summary::default(), Summary::default())
    } else {
        (
            rs::figures(&st, &place.filter, p).await?,
            rs::figures(&st, &place.filter, prev).await?,
        )
    };
    let ((chart_days, chart_shares), [agencies, fields, procedures]) = if bad.is_some() {
        ((String::new(), String::new()), [vec![], vec![], vec![]])
    } else {
        (
            charts(&st, &ctx, &place, p, &now).await?,
            tables(&st, &place, p, &q).await?,
        )
    };
    let (own, choices) = choices(&st, &ctx, &place, p, &q).await?;
    let b = Dashboard {
        ctx: &ctx,
        place: &place,
        q: &q,
        from: rs::vn_date(p.from),
        to: rs::vn_date(p.to),
        before: format!("{} – {}", rs::vn_date(prev.from), rs::vn_date(prev.to)),
        error_box: bad
            .as_ref()
            .map(|e| ctx.error_box(e, "report-error"))
            .unwrap_or_default(),
        hide: bad.is_some(),
        form_action: "/can-bo/bao-cao",
        own,
        choices,
        cards: cards(&ctx, &now, &then),
        chart_days,
        chart_shares,
        agencies,
        fields,
        procedures,
        heads: heads(&ctx),
        export_query: q.query(&q.don_vi),
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Báo cáo, thống kê", "Reports"), &b, bad.as_ref()))
}

fn short_label(key: &str) -> String {
    // "2026-11-23" → "23/11"; "2026-11" → "11/2026".
    match key.len() {
        10 => format!("{}/{}", &key[8..10], &key[5..7]),
        7 => format!("{}/{}", &key[5..7], &key[0..4]),
        _ => key.to_owned(),
    }
}

/// `GET /can-bo/bao-cao.xlsx` and `.csv`: the report in the layout handed in (summary, by agency, by procedure).
pub async fn download(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<PageAsk>, AppError>,
    xlsx: bool,
) -> PageResult {
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let (place, p, bad) = asked(&st, &ctx, &q).await?;
    if bad.is_some() {
        return Ok(crate::http::web::see_other(&format!(
            "/can-bo/bao-cao?{}",
            q.query(&q.don_vi)
        )));
    }
    let data = export::gather(&st, &place, p).await?;
    let stem = format!("bao-cao-{}-{}", rs::iso(p.from), rs::iso(p.to));
    let (bytes, mime, name) = if xlsx {
        (
            export::xlsx(&data)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{stem}.xlsx"),
        )
    } else {
        (
            export::csv(&data)?,
            "text/csv; charset=utf-8",
            format!("{stem}.csv"),
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                disposition("attachment", &name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /can-bo/bao-cao.xlsx`.
pub async fn download_xlsx(
    st: State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<PageAsk>, AppError>,
) -> PageResult {
    download(st, ctx, q, true).await
}

/// `GET /can-bo/bao-cao.csv`.
pub async fn download_csv(
    st: State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<PageAsk>, AppError>,
) -> PageResult {
    download(st, ctx, q, false).await
}

/// The drill-down query: the report's and the procedure.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DrillAsk {
    #[serde(default)]
    pub thu_tuc: String,
    #[serde(flatten)]
    pub q: PageAsk,
}

#[derive(Template)]
#[template(path = "officer/report_dossiers.html")]
struct Drill<'a> {
    ctx: &'a Ctx,
    procedure: String,
    from: String,
    to: String,
    total: i64,
    back: String,
    items: Vec<(String, String, String, String, String)>,
}

/// `GET /can-bo/bao-cao/ho-so?thu_tuc=…`: the dossiers of a procedure received in the period (in the caller's
/// reach; the access is logged like any list of dossiers).
pub async fn dossiers(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<DrillAsk>, AppError>,
) -> PageResult {
    let d = q.map(|AppQuery(q)| q).unwrap_or_default();
    let (_place, p, _bad) = asked(&st, &ctx, &d.q).await?;
    let actor = super::reader(&ctx)?;
    let f = crate::store::dossiers::DossierFilter {
        procedure: (!d.thu_tuc.trim().is_empty()).then(|| d.thu_tuc.trim().to_owned()),
        from: Some(p.from.midnight().assume_offset(VN)),
        to: Some(p.to.next_day().unwrap_or(p.to).midnight().assume_offset(VN)),
        limit: 200,
        ..Default::default()
    };
    let page =
        crate::service::dossier::dossiers::list_on(&st, st.reader(), actor, f, &ctx.rid).await?;
    let procedure = page
        .items
        .first()
        .and_then(|v| v.procedure["name"].as_str().map(str::to_owned))
        .unwrap_or_else(|| d.thu_tuc.clone());
    let date = |t: Option<time::OffsetDateTime>| t.map(crate::http::web::when).unwrap_or_default();
    // The report counts dossiers taken in (valid intake) in the period: the list shows the same ones.
    let taken: Vec<_> = page
        .items
        .iter()
        .filter(|v| v.received_at.is_some() && v.status.code != 3)
        .collect();
    let total = if page.total > 200 {
        page.total
    } else {
        i64::try_from(taken.len()).unwrap_or(0)
    };
    let items = taken
        .into_iter()
        .map(|v| {
            let name = v.applicant["name"].as_str().unwrap_or("").to_owned();
            (
                v.code.clone(),
                name,
                ctx.t(v.status.vi, v.status.en).to_owned(),
                date(v.received_at),
                date(v.due_at),
            )
        })
        .collect();
    let b = Drill {
        ctx: &ctx,
        procedure,
        from: rs::vn_date(p.from),
        to: rs::vn_date(p.to),
        total,
        back: d.q.query(&d.q.don_vi),
        items,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Danh sách hồ sơ", "Dossiers"), &b))
}
