//! The counter officer's queue desk: choose the counter, call the next number, recall, no-show, start, finish,
//! transfer, and receive the dossier of the number at the counter.

use super::staff;
use crate::error::AppError;
use crate::http::extract::{AppPath, AppQuery};
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, Ctx};
use crate::service::queue::{self as q, counter, level};
use crate::state::AppState;
use crate::store::queue::{self as qstore, CounterRow, ServiceRow, TicketRow};
use askama::Template;
use axum::extract::State;
use motcua_domain::ids::CounterId;
use motcua_domain::queue::{allowed, State as TState, Step};
use serde::Deserialize;

struct Current {
    id: i64,
    service_id: i64,
    counter_id: i64,
    label: String,
    service: String,
    state: &'static str,
    state_vi: &'static str,
    priority: Option<&'static str>,
    source: &'static str,
    waited: i64,
    assisted_by: Option<String>,
    kiosk_data: bool,
    dossier: Option<String>,
    actions: Vec<(&'static str, &'static str, &'static str)>,
}

#[derive(askama::Template)]
#[template(path = "officer/queue.html")]
struct Desk<'a> {
    ctx: &'a Ctx,
    center: &'a str,
    center_id: &'a str,
    error_box: String,
    message: Option<String>,
    counters: Vec<CounterRow>,
    counter: Option<CounterId>,
    chosen: i64,
    current: Option<Current>,
    services: Vec<ServiceRow>,
    levels: Vec<level::Level>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DeskQuery {
    quay: String,
    khong_co: String,
    /// The number the last call finished.
    xong: String,
}

async fn current_of(st: &AppState, ctx: &Ctx, t: TicketRow) -> Result<Current, AppError> {
    let steps = [
        (Step::Start, "start", "Bắt đầu phục vụ", "Start serving"),
        (Step::Recall, "recall", "Gọi lại", "Call again"),
        (Step::NoShow, "no_show", "Vắng mặt", "Did not come"),
        (Step::Finish, "finish", "Xong", "Done"),
    ];
    let dossier = match t.dossier_id {
        Some(d) => Some(qstore::dossier_code(&st.db, d).await?.unwrap_or_default()),
        None => None,
    };
    let (vi, en) = t.source.label();
    Ok(Current {
        id: t.id.0,
        service_id: t.service_id.0,
        counter_id: t.counter_id.map_or(0, |c| c.0),
        label: t.label(),
        service: t.service_name.clone(),
        state: t.state.label().1,
        state_vi: t.state.label().0,
        priority: t
            .priority()
            .map_err(anyhow::Error::from)?
            .map(|p| ctx.t(p.label().0, p.label().1)),
        source: ctx.t(vi, en),
        waited: t
            .called_at
            .map_or(0, |c| (c - t.since).whole_minutes().max(0)),
        assisted_by: t.assisted_by.clone(),
        kiosk_data: t.person.is_some(),
        dossier,
        actions: steps
            .iter()
            .filter(|(s, ..)| allowed(t.state, *s))
            .map(|(_, a, vi, en)| (*a, *vi, *en))
            .collect(),
    })
}

fn message(ctx: &Ctx, qy: &DeskQuery) -> Option<String> {
    let finished = (!qy.xong.is_empty()).then(|| {
        format!(
            "{} {}.",
            ctx.t("Đã kết thúc số", "Finished number"),
            qy.xong
        )
    });
    let nobody = (qy.khong_co == "1").then(|| {
        ctx.t(
            "Không còn ai chờ dịch vụ của quầy này.",
            "Nobody is waiting for this counter's services.",
        )
        .to_owned()
    });
    match (finished, nobody) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.or(b),
    }
}

async fn desk(st: &AppState, ctx: &Ctx, qy: &DeskQuery, error: Option<&AppError>) -> PageResult {
    let actor = staff(ctx)?;
    let c = q::staff_center(actor)?.clone();
    let counters = qstore::counters_of(&st.db, c.id).await?;
    let chosen = qy
        .quay
        .parse::<i64>()
        .ok()
        .and_then(|id| counters.iter().find(|k| k.id.0 == id))
        .or_else(|| counters.iter().find(|k| k.active));
    let current = match chosen {
        Some(k) => match counter::at_counter(st, k).await? {
            Some(t) if t.state != TState::Waiting => Some(current_of(st, ctx, t).await?),
            _ => None,
        },
        None => None,
    };
    let b = Desk {
        ctx,
        center: &c.name,
        center_id: &c.identifier,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        message: message(ctx, qy),
        counter: chosen.map(|k| k.id),
        chosen: chosen.map_or(0, |k| k.id.0),
        current,
        services: qstore::services_of(&st.db, c.id)
            .await?
            .into_iter()
            .filter(|s| s.active)
            .collect(),
        levels: level::live(st, &c).await?,
        counters,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Gọi số tại quầy", "Counter queue"), &b, error))
}

/// `GET /can-bo/xep-hang`: the desk of the officer's counter.
pub async fn desk_get(
    State(st): State<AppState>,
    ctx: Ctx,
    qy: Result<AppQuery<DeskQuery>, AppError>,
) -> PageResult {
    let qy = qy.map(|AppQuery(q)| q).unwrap_or_default();
    desk(&st, &ctx, &qy, None).await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CallForm {
    csrf: String,
    counter: String,
    action: String,
    service: String,
}

/// `POST /can-bo/xep-hang/goi`: calls the next number to the counter (the display chimes).
pub async fn call(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CallForm>,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let qy = DeskQuery {
        quay: f.counter.clone(),
        ..DeskQuery::default()
    };
    let Ok(id) = f.counter.parse::<i64>() else {
        let e = AppError::field("counter", "Chọn quầy của bạn", "choose your counter");
        return desk(&st, &ctx, &qy, Some(&e)).await;
    };
    // Calling the next finishes the number at the counter: the desk says which.
    let center = q::staff_center(&actor)?;
    let before = match qstore::counters_of(&st.db, center.id)
        .await?
        .iter()
        .find(|k| k.id.0 == id)
    {
        Some(k) => counter::at_counter(&st, k).await?.map(|t| t.label()),
        None => None,
    };
    let done = before.map_or_else(String::new, |l| {
        format!("&xong={}", crate::http::web::url_enc(&l))
    });
    match counter::call_next(&st, &actor, id.into(), &ctx.rid).await {
        Ok(Some(_)) => Ok(see_other(&format!("/can-bo/xep-hang?quay={id}{done}"))),
        Ok(None) => Ok(see_other(&format!(
            "/can-bo/xep-hang?quay={id}&khong_co=1{done}"
        ))),
        Err(e) if e.error_code() == crate::error::ErrorCode::Internal => Err(e.into()),
        Err(e) => desk(&st, &ctx, &qy, Some(&e)).await,
    }
}

/// `POST /can-bo/xep-hang/ve/{id}`: recall, no-show, start, finish or transfer the number at the counter.
pub async fn step(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<i64>,
    CsrfForm(f): CsrfForm<CallForm>,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let qy = DeskQuery {
        quay: f.counter.clone(),
        ..DeskQuery::default()
    };
    let Some(step) = Step::parse(&f.action) else {
        let e = AppError::field("action", "Thao tác không hợp lệ", "unknown action");
        return desk(&st, &ctx, &qy, Some(&e)).await;
    };
    let to = f.service.parse::<i64>().ok().map(Into::into);
    match counter::act(&st, &actor, id.into(), step, to, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!("/can-bo/xep-hang?quay={}", f.counter))),
        Err(e) if e.error_code() == crate::error::ErrorCode::Internal => Err(e.into()),
        Err(e) => desk(&st, &ctx, &qy, Some(&e)).await,
    }
}
