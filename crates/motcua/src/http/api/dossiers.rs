//! Creating and listing dossiers over the API.

use super::bad;
use super::documents::iso_day;
use crate::error::AppResult;
use crate::http::extract::{AppJson, AppQuery, ReqId};
use crate::service::account::session::Actor;
use crate::service::dossier::dossiers::{self as dsvc, CreateDossier};
use crate::state::AppState;
use crate::store::dossiers::DossierFilter;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

pub(super) async fn create_dossier(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppJson(b): AppJson<CreateDossier>,
) -> AppResult<Response> {
    let v = dsvc::create(&st, &actor, b, &rid).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DossierQuery {
    status: Option<String>,
    procedure: Option<String>,
    /// Work list: mine, online, pool, due_soon, overdue, waiting_citizen.
    list: Option<String>,
    /// Officers' search: a dossier code (or its start), an ID number (looked up by its hash; the search is logged)
    /// or words of the applicant's name.
    q: Option<String>,
    /// Field of the procedure (diacritics-insensitive).
    field: Option<String>,
    channel: Option<String>,
    /// Received from this day (YYYY-MM-DD), inclusive.
    from: Option<String>,
    /// Received up to this day (YYYY-MM-DD), inclusive.
    to: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

pub(super) async fn list_dossiers(
    State(st): State<AppState>,
    actor: Actor,
    ReqId(rid): ReqId,
    AppQuery(q): AppQuery<DossierQuery>,
) -> AppResult<Json<dsvc::DossierPage>> {
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            motcua_domain::status::Status::parse(s)
                .ok_or_else(|| {
                    bad(
                        "status",
                        "Trạng thái là mã 1–10 hoặc tên (processing…)",
                        "status is a code 1–10 or a name (processing…)",
                    )
                })?
                .code(),
        ),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) || q.offset.is_some_and(|o| o < 0) {
        return Err(bad(
            "limit",
            "limit từ 1 đến 500, offset không âm",
            "limit is 1 to 500 and offset is not negative",
        ));
    }
    let day = |name: &str, v: Option<&str>| -> AppResult<Option<time::Date>> {
        v.map(|d| iso_day(name, d)).transpose()
    };
    let start = |d: time::Date| d.midnight().assume_offset(motcua_domain::calendar::VN);
    let from = day("from", q.from.as_deref())?.map(start);
    let to = day("to", q.to.as_deref())?
        .and_then(|d| d.next_day())
        .map(start);
    let channel = match q.channel.as_deref() {
        None => None,
        Some(c) => Some(
            motcua_domain::catalog::Channel::parse(c)
                .ok_or_else(|| {
                    bad(
                        "channel",
                        "Kênh là in_person, online hoặc postal",
                        "channel is in_person, online or postal",
                    )
                })?
                .as_str()
                .to_owned(),
        ),
    };
    let list = match q.list.as_deref() {
        None => None,
        Some(l) => Some(crate::service::dossier::worklists::work_list(
            &st, &actor, l,
        )?),
    };
    let f = DossierFilter {
        status,
        procedure: q.procedure,
        field: q.field.map(|f| motcua_domain::text::search_key(&f)),
        channel,
        from,
        to,
        list,
        find: crate::service::dossier::dossiers::find_of(&st, q.q.as_deref().unwrap_or(""))?,
        limit,
        offset: q.offset.unwrap_or(0),
    };
    Ok(Json(dsvc::list(&st, &actor, f, &rid).await?))
}
