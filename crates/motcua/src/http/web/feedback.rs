//! Feedback and recommendations (phản ánh, kiến nghị): citizens send, the addressed unit answers, answers are published.

use super::page::{CsrfForm, PageError, PageResult};
use super::{esc, see_other, when, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::state::AppState;
use crate::store::units;
use crate::store::web as wstore;
use axum::extract::State;
use motcua_domain::role::Role;
use serde::Deserialize;
use std::fmt::Write as _;

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
    let mut b = format!(
        "<h1>{}</h1><p class=\"lead\">{}</p>",
        ctx.t("Phản ánh, kiến nghị", "Feedback and recommendations"),
        ctx.t(
            "Gửi phản ánh, kiến nghị về thủ tục hành chính và việc giải quyết hồ sơ. Câu trả lời được công khai tại trang này; thông tin người gửi không được công khai.",
            "Send feedback on administrative procedures and how dossiers are handled. Answers are published on this page; who sent it is not."
        )
    );
    if let Some(n) = sent {
        let _ = write!(
            b,
            "<p class=\"ok\" role=\"status\" data-test=\"feedback-sent\">{} <strong>PA-{}</strong>.</p>",
            ctx.t("Đã gửi phản ánh, kiến nghị. Số tiếp nhận:", "Your feedback is sent. Its number:"),
            esc(n)
        );
    }
    if let Some(e) = error {
        b.push_str(&ctx.error_box(e, "form-error"));
    }
    let provinces = units::list(
        &st.db,
        &units::UnitFilter {
            level: Some("province".into()),
            ..Default::default()
        },
    )
    .await?;
    let mut opts = String::new();
    for u in &provinces {
        let sel = if u.code == f.province {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            opts,
            "<option value=\"{}\"{sel}>{}</option>",
            esc(&u.code),
            esc(&u.name)
        );
    }
    let _ = write!(
        b,
        r#"<h2>{h}</h2><form method="post" action="/phan-anh" class="wide">{csrf}
<div class="row"><label for="province">{l_prov}</label><select id="province" name="province"><option value="">—</option>{opts}</select></div>
<div class="row"><label for="dossier">{l_dos}</label><input id="dossier" name="dossier" value="{dos}" autocomplete="off" aria-describedby="dossier-hint"><small id="dossier-hint">{dos_hint}</small></div>
<div class="row"><label for="title">{l_title}</label><input id="title" name="title" value="{title}" required maxlength="200"></div>
<div class="row"><label for="body">{l_body}</label><textarea id="body" name="body" rows="5" required maxlength="4000">{body}</textarea></div>
<div class="row"><label for="name">{l_name}</label><input id="name" name="name" value="{name}" required autocomplete="name"></div>
<div class="row"><label for="contact">{l_contact}</label><input id="contact" name="contact" value="{contact}" required autocomplete="tel"></div>
<button type="submit" data-test="send-feedback">{go}</button></form>"#,
        h = ctx.t("Gửi phản ánh, kiến nghị", "Send feedback"),
        csrf = ctx.csrf_field(),
        l_prov = ctx.t(
            "Tỉnh, thành phố (khi không gắn với hồ sơ)",
            "Province (when not about a dossier)"
        ),
        l_dos = ctx.t(
            "Mã hồ sơ liên quan (nếu có)",
            "Related dossier code (if any)"
        ),
        dos = esc(&f.dossier),
        dos_hint = ctx.t(
            "Phản ánh được chuyển đến nơi đã tiếp nhận hồ sơ.",
            "It goes to the center that received the dossier."
        ),
        l_title = ctx.t("Tiêu đề", "Subject"),
        title = esc(&f.title),
        l_body = ctx.t("Nội dung", "Details"),
        body = esc(&f.body),
        l_name = ctx.t("Họ và tên người gửi", "Your name"),
        name = esc(&f.name),
        l_contact = ctx.t(
            "Số điện thoại hoặc thư điện tử để nhận trả lời",
            "Phone or e-mail for the answer"
        ),
        contact = esc(&f.contact),
        go = ctx.t("Gửi", "Send"),
    );
    let published = wstore::published_feedback(&st.db, 30).await?;
    let _ = write!(
        b,
        "<h2>{}</h2>",
        ctx.t("Kết quả trả lời đã công khai", "Published answers")
    );
    if published.is_empty() {
        let _ = write!(
            b,
            "<p class=\"muted\">{}</p>",
            ctx.t(
                "Chưa có câu trả lời nào được công khai.",
                "No answer published yet."
            )
        );
    }
    for r in &published {
        let _ = write!(
            b,
            "<article class=\"answer\" data-test=\"published\"><h3>PA-{} · {}</h3><p>{}</p><p><strong>{} {}</strong> <small>({})</small>: {}</p></article>",
            r.id,
            esc(&r.title),
            esc(&r.body),
            ctx.t("Trả lời của", "Answer from"),
            esc(&r.agency),
            r.answered_at.map(when).unwrap_or_default(),
            esc(r.answer.as_deref().unwrap_or("")),
        );
    }
    Ok(ctx.page_after(ctx.t("Phản ánh, kiến nghị", "Feedback"), &b, error))
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

fn answerer(ctx: &Ctx) -> Result<(&crate::service::account::session::Actor, Vec<i64>), PageError> {
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
    let rows = match wstore::feedback_for(&st.db, &ids).await {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    let mut b = format!(
        "<h1>{}</h1>",
        ctx.t("Phản ánh, kiến nghị gửi đơn vị", "Feedback to this unit")
    );
    if rows.is_empty() {
        let _ = write!(
            b,
            "<p class=\"muted\">{}</p>",
            ctx.t("Chưa có phản ánh, kiến nghị.", "No feedback yet.")
        );
    }
    for r in &rows {
        // An unreadable sender (wrong key, damaged row) is an error, never a blank.
        let sender: serde_json::Value =
            serde_json::from_str(&st.data_key.open(&r.sender, "feedback")?)
                .map_err(anyhow::Error::from)?;
        let _ = write!(
            b,
            "<article class=\"answer\" data-test=\"feedback-{id}\"><h2>PA-{id} · {title}</h2><p><small>{at} · {from} {name} ({contact}){dossier}</small></p><p>{body}</p>",
            id = r.id,
            title = esc(&r.title),
            at = when(r.created_at),
            from = ctx.t("người gửi", "from"),
            name = esc(sender["name"].as_str().unwrap_or("")),
            contact = esc(sender["contact"].as_str().unwrap_or("")),
            dossier = r.dossier_code.as_deref().map(|c| format!(" · {} {}", ctx.t("hồ sơ", "dossier"), esc(c))).unwrap_or_default(),
            body = esc(&r.body),
        );
        let _ = write!(
            b,
            r#"<form method="post" action="/can-bo/phan-anh/{id}">{csrf}<div class="row"><label for="answer-{id}">{l}</label><textarea id="answer-{id}" name="answer" rows="3" required maxlength="4000">{a}</textarea></div><label class="choice"><input type="checkbox" name="publish" value="1"{p}> {lp}</label><button type="submit" data-test="answer-{id}">{go}</button></form></article>"#,
            id = r.id,
            csrf = ctx.csrf_field(),
            l = ctx.t("Trả lời", "Answer"),
            a = esc(r.answer.as_deref().unwrap_or("")),
            p = if r.published { " checked" } else { "" },
            lp = ctx.t(
                "Công khai câu trả lời (không công khai người gửi)",
                "Publish the answer (never the sender)"
            ),
            go = ctx.t("Lưu trả lời", "Save the answer"),
        );
    }
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
