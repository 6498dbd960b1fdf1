//! The hall's TV display: the page, and its server-sent events (a new board at each change of the center's queue,
//! on this instance or, through PostgreSQL's NOTIFY, on another).

use super::{page, Frame};
use crate::http::extract::AppPath;
use crate::http::web::page::PageResult;
use crate::http::web::{url_enc, Ctx};
use crate::service::queue::{self as q, board::Board};
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use askama::Template;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

#[derive(askama::Template)]
#[template(path = "floor/display.html")]
struct Display<'a> {
    ctx: &'a Ctx,
    b: &'a Board,
}

/// `GET /man-hinh/{center}`: the display (readable from 5 m; it follows the events by itself).
pub async fn show(
    State(st): State<AppState>,
    ctx: Ctx,
    AppPath(id): AppPath<String>,
) -> PageResult {
    let c = q::center(&st, &id).await?;
    let b = q::board::board(&st, &c).await?;
    let body = Display { ctx: &ctx, b: &b }
        .render()
        .map_err(anyhow::Error::from)?;
    let frame = Frame {
        class: "tv",
        reset: None,
        data: vec![(
            "events",
            format!("/man-hinh/{}/su-kien", url_enc(&c.identifier)),
        )],
    };
    Ok(page(&ctx, &c.name, &frame, &body))
}

struct Feed {
    st: AppState,
    center: AgencyRow,
    rx: tokio::sync::broadcast::Receiver<motcua_domain::ids::AgencyId>,
    last: String,
    first: bool,
}

async fn next_board(mut f: Feed) -> Option<(Result<Event, Infallible>, Feed)> {
    loop {
        if !f.first {
            match f.rx.recv().await {
                Ok(a) if a == f.center.id => {}
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
        }
        let first = std::mem::take(&mut f.first);
        let (st, center) = (&f.st, &f.center);
        let drawn = st
            .queue_bus
            .board(center.id, || async move {
                let b = q::board::board(st, center).await?;
                Ok::<String, crate::error::AppError>(serde_json::to_string(&b).unwrap_or_default())
            })
            .await;
        let Ok(json) = drawn else {
            tracing::warn!("the display's board could not be read");
            continue;
        };
        let json = json.as_str().to_owned();
        if json != f.last || first {
            f.last.clone_from(&json);
            let ev = Event::default()
                .event("board")
                .data(json)
                .retry(Duration::from_secs(2));
            return Some((Ok(ev), f));
        }
    }
}

/// `GET /man-hinh/{center}/su-kien`: the board now, then at each change (`retry: 2000` so a display reconnects by
/// itself after a restart).
pub async fn events(State(st): State<AppState>, AppPath(id): AppPath<String>) -> PageResult {
    let center = q::center(&st, &id).await?;
    let rx = st.queue_bus.subscribe();
    let feed = Feed {
        st,
        center,
        rx,
        last: String::new(),
        first: true,
    };
    let stream = futures_util::stream::unfold(feed, next_board);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
