//! `GET /can-bo/bao-cao/can-bo`: officers and workload, the suggested secondments; `POST …/dieu-dong`: a director
//! accepts one (the dates and the reason editable, the form kept when refused).

use super::dashboard::{asked, choices, PageAsk};
use crate::error::AppError;
use crate::http::extract::AppQuery;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::reports::{self as rs, staff as svc};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use motcua_domain::calendar::VN;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "officer/staff_report.html")]
struct Page<'a> {
    ctx: &'a Ctx,
    r: &'a svc::StaffReport,
    q: &'a PageAsk,
    form_action: &'static str,
    own: String,
    choices: Vec<(String, String)>,
    query: String,
    from: String,
    to: String,
    error_box: String,
    /// The period was refused: no figures.
    hide: bool,
    done: bool,
    usernames: Vec<String>,
    targets: Vec<String>,
    starts: String,
    ends: String,
    /// What was typed in a refused form: (officer, from, until, reason), shown again in that officer's form.
    kept: (String, String, String, String),
}

impl Page<'_> {
    /// A per-day figure: a small one that rounds to zero still shows that work was done.
    fn per_day(&self, v: f64) -> String {
        if v > 0.0 && v < 0.005 {
            "< 0,01".to_owned()
        } else {
            crate::http::web::dec(v)
        }
    }

    /// "cán bộ", or in English "officer" / "officers".
    fn officers_word(&self, n: &i64) -> &'static str {
        self.ctx
            .t("cán bộ", if *n == 1 { "officer" } else { "officers" })
    }

    /// Whether the refused form was this officer's (their form shows what was typed).
    fn kept_for(&self, user: impl AsRef<str>) -> bool {
        !self.kept.0.is_empty() && self.kept.0 == user.as_ref()
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    q: &PageAsk,
    done: bool,
    refused: Option<(AppError, &AcceptForm)>,
) -> PageResult {
    let kept = refused.as_ref().map_or_else(Default::default, |(_, f)| {
        (
            f.officer.clone(),
            f.starts_on.clone(),
            f.ends_on.clone(),
            f.reason.clone(),
        )
    });
    let refused = refused.map(|(e, _)| e);
    let (place, p, bad) = asked(st, ctx, q).await?;
    let actor = super::reader(ctx)?;
    let ask = rs::Ask {
        unit: (!place.code.is_empty() && place.kind != "province").then(|| place.code.clone()),
        province: (place.kind == "province").then(|| place.code.clone()),
        from: Some(rs::iso(p.from)),
        to: Some(rs::iso(p.to)),
    };
    let r = svc::report(st, actor, &ask).await?;
    let mut usernames = Vec::new();
    let mut targets = Vec::new();
    for s in &r.suggestions {
        usernames.push(
            crate::store::users::by_id(&st.db, motcua_domain::ids::UserId(s.user_id))
                .await?
                .map(|u| u.username)
                .unwrap_or_default(),
        );
        targets.push(
            crate::store::agencies::by_id(&st.db, motcua_domain::ids::AgencyId(s.to_agency_id))
                .await?
                .map(|a| a.identifier)
                .unwrap_or_default(),
        );
    }
    let today = st.clock.now().to_offset(VN).date();
    let start = today.next_day().unwrap_or(today);
    let end = start + time::Duration::days(90);
    let err = refused.as_ref().or(bad.as_ref());
    let (own, choices) = choices(st, ctx, &place, p, q).await?;
    let b = Page {
        ctx,
        r: &r,
        q,
        form_action: "/can-bo/bao-cao/can-bo",
        own,
        choices,
        query: q.query(&q.don_vi),
        from: rs::vn_date(p.from),
        to: rs::vn_date(p.to),
        error_box: err
            .map(|e| ctx.error_box(e, "staff-error"))
            .unwrap_or_default(),
        hide: bad.is_some(),
        done,
        usernames,
        targets,
        starts: rs::vn_date(start),
        ends: rs::vn_date(end),
        kept,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        ctx.t("Cán bộ, khối lượng công việc", "Staff and workload"),
        &b,
        err,
    ))
}

/// The page.
pub async fn page(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<PageAsk>, AppError>,
) -> PageResult {
    let q = q.map(|AppQuery(q)| q).unwrap_or_default();
    let done = q.xong == "1";
    render(&st, &ctx, &q, done, None).await
}

/// The accept form.
#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    officer: String,
    to_agency: String,
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    query: String,
}

/// Records the secondment, back to the page with a confirmation (or the refusal above the list).
pub async fn accept(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<AcceptForm>,
) -> PageResult {
    let actor = super::reader(&ctx)?.clone();
    let b = svc::Accept {
        officer: f.officer.clone(),
        to_agency: f.to_agency.clone(),
        starts_on: f.starts_on.clone(),
        ends_on: Some(f.ends_on.clone()),
        reason: f.reason.clone(),
    };
    let q: PageAsk = serde_urlencoded::from_str(&f.query).unwrap_or_default();
    match svc::accept(&st, &actor, &b, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!(
            "/can-bo/bao-cao/can-bo?{}&xong=1",
            q.query(&q.don_vi)
        ))),
        Err(e) => render(&st, &ctx, &q, false, Some((e, &f))).await,
    }
}
