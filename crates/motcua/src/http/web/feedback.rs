//! Feedback and recommendations (phản ánh, kiến nghị): citizens send, the addressed unit answers, answers are published.

use super::page::{CsrfForm, PageError, PageResult};
use super::{see_other, when, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::state::AppState;
use crate::store::units;
use crate::store::web as wstore;
use askama::Template;
use axum::extract::State;
use motcua_domain::ids::AgencyId;
use motcua_domain::role::Role;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SentQuery {
    so: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SendForm {
    csrf: String,
    province: String,
    dossier: String,
    title: String,
    body: String,
    name: String,
    contact: String,
}

async fn page(
    st: &AppState,
    ctx: &Ctx,
    f: &SendForm,
    sent: Option<&str>,
    error: Option<&AppError>,
) -> PageResult {
    let provinces = units::list(
        &st.db,
        &units::UnitFilter {
            level: Some("province".into()),
            ..Default::default()
        },
    )
    .await?;
    let published = wstore::published_feedback(&st.db, 30)
        .await?
        .into_iter()
        .map(|r| Published {
            id: r.id,
            title: r.title,
            body: r.body,
            agency: r.agency,
            answered_vi: r.answered_at.map(when).unwrap_or_default(),
            answer: r.answer.unwrap_or_default(),
        })
        .collect();
    let b = PublicPage {
        ctx,
        f,
        sent,
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        provinces,
        published,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Phản ánh, kiến nghị", "Feedback"), &b, error))
}

/// A published answer, as shown (never the sender).
struct Published {
    id: i64,
    title: String,
    body: String,
    agency: String,
    answered_vi: String,
    answer: String,
}

#[derive(askama::Template)]
#[template(path = "feedback/public.html")]
struct PublicPage<'a> {
    ctx: &'a Ctx,
    f: &'a SendForm,
    sent: Option<&'a str>,
    /// Already rendered by the error-box template.
    error_box: String,
    provinces: Vec<units::UnitRow>,
    published: Vec<Published>,
}

/// A feedback item in the unit's inbox, with the sender unsealed for the unit.
struct Item {
    id: i64,
    title: String,
    at: String,
    name: String,
    contact: String,
    dossier: Option<String>,
    body: String,
    answer: String,
    published: bool,
}

#[derive(askama::Template)]
#[template(path = "feedback/inbox.html")]
struct InboxPage<'a> {
    ctx: &'a Ctx,
    items: Vec<Item>,
}

/// `GET /phan-anh`: the form and the published answers.
pub async fn public(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<SentQuery>, AppError>,
) -> PageResult {
    let sent = q
        .ok()
        .map(|AppQuery(q)| q.so)
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    page(&st, &ctx, &SendForm::default(), sent.as_deref(), None).await
}

/// `POST /phan-anh`: records the feedback for the unit that must answer it.
pub async fn send(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<SendForm>,
) -> PageResult {
    let input = crate::service::feedback::NewFeedback {
        province: f.province.clone(),
        dossier: f.dossier.clone(),
        title: f.title.clone(),
        body: f.body.clone(),
        name: f.name.clone(),
        contact: f.contact.clone(),
    };
    match crate::service::feedback::send(&st, &input, &ctx.rid).await {
        Ok(id) => Ok(see_other(&format!("/phan-anh?so={id}"))),
        Err(e @ AppError::Invalid(_)) => page(&st, &ctx, &f, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

fn answerer(
    ctx: &Ctx,
) -> Result<(&crate::service::account::session::Actor, Vec<AgencyId>), PageError> {
    let a = ctx.need()?;
    match (&a.agency, a.role) {
        (
            Some(ag),
            Role::ReceivingOfficer | Role::CenterDirector | Role::Leader | Role::ProvinceAdmin,
        ) => Ok((a, vec![ag.id])),
        _ => Err(AppError::with(
            ErrorCode::Forbidden,
            "feedback is answered by the addressed unit",
        )
        .into()),
    }
}

/// `GET /can-bo/phan-anh`: the unit's feedback, unanswered first, with the answer forms.
pub async fn inbox(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let (_, ids) = answerer(&ctx)?;
    let mut items = Vec::new();
    for r in wstore::feedback_for(&st.db, &ids).await? {
        // An unreadable sender (wrong key, damaged row) is an error, never a blank.
        let sender: serde_json::Value =
            serde_json::from_str(&st.data_key.open(&r.sender, "feedback")?)
                .map_err(anyhow::Error::from)?;
        let field = |k: &str| sender[k].as_str().unwrap_or("").to_owned();
        items.push(Item {
            id: r.id,
            title: r.title,
            at: when(r.created_at),
            name: field("name"),
            contact: field("contact"),
            dossier: r.dossier_code,
            body: r.body,
            answer: r.answer.unwrap_or_default(),
            published: r.published,
        });
    }
    let b = InboxPage { ctx: &ctx, items }
        .render()
        .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Phản ánh, kiến nghị", "Feedback"), &b))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
    publish: String,
}

/// `POST /can-bo/phan-anh/{id}`: answers (and publishes) one item.
pub async fn answer(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<i64>, AppError>,
    CsrfForm(f): CsrfForm<AnswerForm>,
) -> PageResult {
    let (actor, ids) = answerer(&ctx)?;
    let Ok(AppPath(id)) = path else {
        return Err(AppError::code(ErrorCode::RouteNotFound).into());
    };
    crate::service::feedback::answer(&st, actor, &ids, id, &f.answer, f.publish == "1", &ctx.rid)
        .await?;
    Ok(see_other("/can-bo/phan-anh"))
}

/// Feedback: the public form and published answers, and the units' inbox.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/phan-anh", get(public).post(send))
        .route("/can-bo/phan-anh", get(inbox))
        .route("/can-bo/phan-anh/{id}", post(answer))
}
