//! The citizen's side: online submission in short pages (saved as a draft, resumable), their dossiers, answering a
//! supplement request.

use super::page::{CsrfForm, PageError, PageResult};
use super::{form, see_other, url_enc, when, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::service::account::session::Actor;
use crate::service::dossier::documents;
use crate::service::dossier::dossiers::{ApplicantInput, CreateDossier};
use crate::service::dossier::rules;
use crate::state::AppState;
use crate::store::web::{self as wstore, DraftRow};
use crate::store::{agencies, procedures, units};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use motcua_domain::role::Role;
use serde::{Deserialize, Serialize};
mod dossiers;
mod pay;
mod uploads;
pub use dossiers::{dossier, mine, supplement, NewQuery};
use uploads::{file_refused, too_large};

/// A file kept with a draft (already checked and stored encrypted).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DraftFile {
    n: u32,
    component: String,
    name: String,
    content_type: String,
    sha: String,
    size: i64,
}

/// What a draft holds (sealed with the data key: it contains the ID number and address).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Draft {
    name: String,
    id_number: String,
    phone: String,
    address: String,
    summary: String,
    province: String,
    agency: String,
    /// The checklist's case the applicant chose, when it has cases.
    document_case: String,
    files: Vec<DraftFile>,
}

const STEPS: [(&str, &str, &str); 4] = [
    ("nguoi-nop", "Người nộp", "Applicant"),
    ("noi-nop", "Nơi nộp", "Where"),
    ("giay-to", "Giấy tờ", "Documents"),
    ("xem-lai", "Xem lại và nộp", "Review and submit"),
];

pub(super) fn citizen(ctx: &Ctx) -> Result<&Actor, PageError> {
    let a = ctx.need()?;
    if a.role != Role::Citizen {
        return Err(
            AppError::with(ErrorCode::Forbidden, "online submission is for citizens").into(),
        );
    }
    Ok(a)
}

fn aad(id: &str) -> String {
    format!("draft:{id}")
}

async fn load(st: &AppState, actor: &Actor, id: &str) -> Result<(DraftRow, Draft), AppError> {
    let row = wstore::draft(&st.db, actor.user_id, id)
        .await?
        .ok_or_else(|| AppError::with(ErrorCode::DossierNotFound, "no such saved application"))?;
    let plain = st.data_key.open(&row.data, &aad(id))?;
    let d = serde_json::from_str(&plain).map_err(anyhow::Error::from)?;
    Ok((row, d))
}

async fn save(
    st: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    row: &DraftRow,
    d: &Draft,
) -> Result<(), AppError> {
    let plain = serde_json::to_string(d).map_err(anyhow::Error::from)?;
    let mut row = row.clone();
    row.data = st.data_key.seal(&plain, &aad(&row.id))?;
    row.updated_at = st.clock.now();
    crate::service::dossier::drafts::save(st, actor, &row, &ctx.rid).await
}

/// `POST /nop/{code}`: starts an online application (a saved draft) and opens its first page.
pub async fn start(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(_): CsrfForm<super::page::NoFields>,
) -> PageResult {
    if ctx.actor.is_none() {
        // Sign in first, then back to the procedure page (a POST cannot be replayed after the sign-in).
        let back = match &path {
            Ok(AppPath(c)) => format!("/thu-tuc/{}", url_enc(c)),
            Err(_) => "/".to_owned(),
        };
        return Ok(see_other(&format!("/dang-nhap?tiep={}", url_enc(&back))));
    }
    let actor = citizen(&ctx)?;
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::ProcedureNotFound).into());
    };
    let p = match procedures::get(&st.db, &code).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(AppError::code(ErrorCode::ProcedureNotFound).into()),
        Err(e) => return Err(e.into()),
    };
    match procedures::online_somewhere(&st.db, &p.row.code).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(AppError::with(
                ErrorCode::Forbidden,
                "this procedure is not offered online",
            )
            .into())
        }
        Err(e) => return Err(e.into()),
    }
    // An application already started for this procedure is continued, not started again.
    let open = crate::store::web::drafts(&st.db, actor.user_id).await?;
    if let Some(d) = open.iter().find(|d| d.procedure_code == p.row.code) {
        return Ok(see_other(&format!(
            "/nop/{}/{}?buoc=nguoi-nop",
            url_enc(&p.row.code),
            url_enc(&d.id)
        )));
    }
    let id = match crate::auth::new_token() {
        Ok(t) => t[..24].to_owned(),
        Err(e) => return Err(AppError::Internal(e).into()),
    };
    let now = st.clock.now();
    let row = DraftRow {
        id: id.clone(),
        user_id: actor.user_id,
        procedure_code: p.row.code.clone(),
        data: String::new(),
        created_at: now,
        updated_at: now,
    };
    let d = Draft {
        name: actor.display_name.clone(),
        ..Draft::default()
    };
    if let Err(e) = save(&st, &ctx, actor, &row, &d).await {
        return Err(e.into());
    }
    Ok(see_other(&format!(
        "/nop/{}/{id}?buoc=nguoi-nop",
        url_enc(&p.row.code)
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepQuery {
    buoc: String,
}

/// What the current step shows.
enum StepView {
    Applicant,
    Where {
        provinces: Vec<units::UnitRow>,
        centers: Option<Vec<agencies::AgencyRow>>,
    },
    Documents {
        /// The cases to choose from: key, title, chosen.
        cases: Vec<(String, String, bool)>,
    },
    Review {
        agency: String,
        /// The declaration stays ticked when the submission was refused for another reason.
        confirmed: bool,
    },
}

/// A required document with the file uploaded for it, if any.
struct DocLine<'a> {
    n: u32,
    name: String,
    instead: Option<String>,
    optional: bool,
    file: Option<&'a DraftFile>,
}

/// The checklist of a draft's procedure for online submission in the province it goes to.
async fn online_checklist(
    st: &AppState,
    p: &procedures::ProcedureFull,
    d: &Draft,
) -> Result<motcua_domain::checklist::Checklist, AppError> {
    rules::checklist(
        st,
        &p.row.code,
        p.detail.as_deref(),
        motcua_domain::catalog::Channel::Online,
        &d.province,
    )
    .await
}

#[derive(askama::Template)]
#[template(path = "citizen/apply.html")]
struct ApplyPage<'a> {
    ctx: &'a Ctx,
    code: &'a str,
    name: &'a str,
    steps: &'a [(&'a str, &'a str, &'a str)],
    step: &'a str,
    saved_at: String,
    error_box: String,
    action: String,
    d: &'a Draft,
    masked: String,
    docs: Vec<DocLine<'a>>,
    view: StepView,
    /// Each refused field's reason, in the page's language, shown beside the field.
    field_errors: std::collections::BTreeMap<String, String>,
}

impl ApplyPage<'_> {
    /// The reason a field was refused, if it was.
    fn fe(&self, field: &str) -> Option<&str> {
        self.field_errors.get(field).map(String::as_str)
    }
}

async fn render(
    st: &AppState,
    ctx: &Ctx,
    row: &DraftRow,
    d: &Draft,
    step: &str,
    error: Option<&AppError>,
) -> PageResult {
    let p = procedures::get(&st.db, &row.procedure_code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let list = online_checklist(st, &p, d).await?;
    let view = match step {
        "noi-nop" => StepView::Where {
            provinces: units::list(
                &st.db,
                &units::UnitFilter {
                    level: Some("province".into()),
                    ..Default::default()
                },
            )
            .await?,
            centers: if d.province.is_empty() {
                None
            } else {
                Some(agencies::centers_in(&st.db, &d.province).await?)
            },
        },
        "giay-to" => StepView::Documents {
            cases: list
                .cases
                .iter()
                .map(|c| (c.key.clone(), c.title.clone(), c.key == d.document_case))
                .collect(),
        },
        "xem-lai" => StepView::Review {
            agency: agencies::by_identifier(&st.db, &d.agency)
                .await?
                .map_or_else(|| "—".to_owned(), |a| a.name),
            confirmed: error
                .is_some_and(|e| !matches!(e, AppError::Invalid(f) if f.contains_key("confirm"))),
        },
        _ => StepView::Applicant,
    };
    let case = Some(d.document_case.as_str()).filter(|c| !c.is_empty());
    let chosen = list.cases.iter().find(|c| Some(c.key.as_str()) == case);
    let mut docs = list
        .papers
        .iter()
        .chain(chosen.iter().flat_map(|c| c.papers.iter()))
        .map(|p| DocLine {
            n: p.number,
            name: p.name.clone(),
            instead: p.instead.clone(),
            optional: p.need == motcua_domain::checklist::Need::IfApplicable,
            file: d.files.iter().find(|f| f.n == p.number),
        })
        .collect::<Vec<_>>();
    // What must be given first; papers needed only in a situation after.
    docs.sort_by_key(|l| l.optional);
    let b = ApplyPage {
        ctx,
        code: &p.row.code,
        name: &p.row.name,
        steps: &STEPS,
        step,
        saved_at: when(row.updated_at),
        error_box: error
            .map(|e| ctx.error_box(e, "form-error"))
            .unwrap_or_default(),
        action: format!("/nop/{}/{}", url_enc(&row.procedure_code), url_enc(&row.id)),
        d,
        masked: mask(&d.id_number),
        docs,
        view,
        field_errors: match error {
            Some(AppError::Invalid(m)) => m
                .iter()
                .map(|(k, v)| (k.clone(), ctx.t(&v.vi, &v.en).to_owned()))
                .collect(),
            _ => Default::default(),
        },
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(ctx.t("Nộp hồ sơ trực tuyến", "Apply online"), &b, error))
}

fn mask(id: &str) -> String {
    let n = id.chars().count();
    id.chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '•' } else { c })
        .collect()
}

/// `GET /nop/{code}/{draft}?buoc=`: one page of the application.
pub async fn draft_page(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, String)>, AppError>,
    q: Result<AppQuery<StepQuery>, AppError>,
) -> PageResult {
    let actor = citizen(&ctx)?;
    let Ok(AppPath((_, id))) = path else {
        return Err(AppError::code(ErrorCode::BadRequest).into());
    };
    let step = q.map(|AppQuery(q)| q.buoc).unwrap_or_default();
    match load(&st, actor, &id).await {
        Ok((row, d)) => render(&st, &ctx, &row, &d, &step, None).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /nop/{code}/{draft}`: saves one page and goes to the next; the last one submits.
pub async fn draft_post(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, String)>, AppError>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> PageResult {
    let actor = citizen(&ctx)?.clone();
    let Ok(AppPath((_, id))) = path else {
        return Err(AppError::code(ErrorCode::BadRequest).into());
    };
    let (row, mut d) = load(&st, &actor, &id).await?;
    // Too much at once: the papers page again, saying so; what was saved before stays.
    let Ok(body) = body else {
        let e = too_large(&st);
        return render(&st, &ctx, &row, &d, "giay-to", Some(&e)).await;
    };
    let base = format!("/nop/{}/{}", url_enc(&row.procedure_code), url_enc(&row.id));
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/"));
    if is_multipart {
        return upload_files(&st, &ctx, &row, d, &headers, &body).await;
    }
    // The same address takes the uploads (multipart, checked there) and the steps' urlencoded forms.
    let pairs: Vec<(String, String)> = form(&body)?;
    ctx.check_csrf(
        pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v),
    )?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map_or(String::new(), |(_, v)| v.trim().to_owned())
    };
    match get("buoc").as_str() {
        "nguoi-nop" => {
            d.name = get("name");
            d.id_number = get("id_number")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            d.phone = get("phone");
            d.address = get("address");
            d.summary = get("summary");
            // Every mistake of the step at once, each beside its field.
            let problem = AppError::first_of([
                d.name
                    .is_empty()
                    .then(|| AppError::field("name", "Nhập họ và tên", "enter your full name")),
                motcua_domain::person::CitizenId::parse(&d.id_number)
                    .err()
                    .map(|e| match e {
                        motcua_domain::DomainError::Invalid {
                            reason_vi, reason, ..
                        } => AppError::field(
                            "id_number",
                            format!("Số định danh cá nhân chưa đúng: {reason_vi}"),
                            format!("the personal ID number is not right: {reason}"),
                        ),
                    }),
            ]);
            if let Err(e) = save(&st, &ctx, &actor, &row, &d).await {
                return Err(e.into());
            }
            match problem {
                Some(e) => render(&st, &ctx, &row, &d, "nguoi-nop", Some(&e)).await,
                None => Ok(see_other(&format!("{base}?buoc=noi-nop"))),
            }
        }
        "noi-nop" => {
            let province = get("province");
            let agency = get("agency");
            let changed = province != d.province;
            d.province = province;
            d.agency = if changed { String::new() } else { agency };
            if let Err(e) = save(&st, &ctx, &actor, &row, &d).await {
                return Err(e.into());
            }
            // "Continue" with nothing chosen says what is missing; a newly chosen province lists its centers.
            if d.province.is_empty() {
                let e = AppError::field(
                    "province",
                    "Chọn tỉnh, thành phố nơi nộp hồ sơ",
                    "choose the province where you submit",
                );
                render(&st, &ctx, &row, &d, "noi-nop", Some(&e)).await
            } else if d.agency.is_empty() && !changed {
                let e = AppError::field(
                    "agency",
                    "Chọn nơi nộp hồ sơ (trung tâm phục vụ hành chính công)",
                    "choose where to submit (the public administrative service center)",
                );
                render(&st, &ctx, &row, &d, "noi-nop", Some(&e)).await
            } else if d.agency.is_empty() {
                Ok(see_other(&format!("{base}?buoc=noi-nop")))
            } else {
                Ok(see_other(&format!("{base}?buoc=giay-to")))
            }
        }
        // The declaration is checked here too, not only by the browser's `required`.
        "nop" if get("confirm") != "1" => {
            let e = AppError::field(
                "confirm",
                "Vui lòng đánh dấu ô cam đoan trước khi nộp hồ sơ",
                "tick the declaration before submitting",
            );
            render(&st, &ctx, &row, &d, "xem-lai", Some(&e)).await
        }
        "nop" => submit(&st, &ctx, &actor, &row, &d).await,
        _ => Err(AppError::with(ErrorCode::BadRequest, "unknown step").into()),
    }
}

async fn upload_files(
    st: &AppState,
    ctx: &Ctx,
    row: &DraftRow,
    mut d: Draft,
    headers: &HeaderMap,
    body: &[u8],
) -> PageResult {
    let bad = || AppError::with(ErrorCode::BadRequest, "expected a multipart form");
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(parts) =
        super::multipart::boundary(ct).and_then(|b| super::multipart::parse(body, &b))
    else {
        return Err(bad().into());
    };
    if let Err(e) = ctx.check_csrf(super::multipart::text(&parts, "csrf").unwrap_or("")) {
        return Err(e.into());
    }
    let p = procedures::get(&st.db, &row.procedure_code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let list = online_checklist(st, &p, &d).await?;
    let case = super::multipart::text(&parts, "document_case")
        .unwrap_or("")
        .to_owned();
    let case_changed = list.cases.iter().any(|c| c.key == case) && case != d.document_case;
    if case_changed {
        d.document_case = case;
    }
    let mut problem = None;
    for p in parts
        .iter()
        .filter(|p| p.file_name.is_some() && !p.data.is_empty())
    {
        let Some(n) = p
            .name
            .strip_prefix("file_")
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Some(component) = list.all().find(|p| p.number == n).map(|p| p.name.clone()) else {
            continue;
        };
        let kind = match documents::check_file(st, p.content_type.as_deref(), &p.data) {
            Ok(k) => k,
            Err(e) => {
                problem = Some(file_refused(st, e, p.file_name.as_deref().unwrap_or("")));
                continue;
            }
        };
        let sha = match st.blobs.put(&st.data_key, &p.data).await {
            Ok(s) => s,
            Err(e) => return Err(AppError::Internal(e).into()),
        };
        d.files.retain(|f| f.n != n);
        d.files.push(DraftFile {
            n,
            component,
            name: p
                .file_name
                .as_deref()
                .unwrap_or("tai-lieu")
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("tai-lieu")
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect(),
            content_type: kind.to_owned(),
            sha,
            size: i64::try_from(p.data.len()).unwrap_or(i64::MAX),
        });
    }
    d.files.sort_by_key(|f| f.n);
    let actor = ctx.need()?;
    save(st, ctx, actor, row, &d).await?;
    match problem {
        Some(e) => render(st, ctx, row, &d, "giay-to", Some(&e)).await,
        // A newly chosen case has its own papers: show them before moving on.
        None if case_changed => Ok(see_other(&format!(
            "/nop/{}/{}?buoc=giay-to",
            url_enc(&row.procedure_code),
            url_enc(&row.id)
        ))),
        None => Ok(see_other(&format!(
            "/nop/{}/{}?buoc=xem-lai",
            url_enc(&row.procedure_code),
            url_enc(&row.id)
        ))),
    }
}

async fn submit(st: &AppState, ctx: &Ctx, actor: &Actor, row: &DraftRow, d: &Draft) -> PageResult {
    let input = CreateDossier {
        procedure: row.procedure_code.clone(),
        channel: Some("online".into()),
        applicant: ApplicantInput {
            kind: None,
            name: d.name.clone(),
            id_number: d.id_number.clone(),
            phone: Some(d.phone.clone()).filter(|s| !s.is_empty()),
            address: Some(d.address.clone()).filter(|s| !s.is_empty()),
        },
        summary: Some(d.summary.clone()).filter(|s| !s.is_empty()),
        receiving_agency: Some(d.agency.clone()).filter(|s| !s.is_empty()),
        competent_agency: None,
        // The papers given: the submission is refused while a required one of the chosen case is missing.
        documents: Some(d.files.iter().map(|f| f.n).collect()),
        case: None,
        document_case: Some(d.document_case.clone()).filter(|c| !c.is_empty()),
        ticket: None,
    };
    let files: Vec<documents::Stored> = d
        .files
        .iter()
        .map(|f| documents::Stored {
            component: f.component.clone(),
            file_name: f.name.clone(),
            content_type: f.content_type.clone(),
            sha256: f.sha.clone(),
            size: f.size,
        })
        .collect();
    // The dossier, its files and the draft's removal are one use case, committed together.
    match crate::service::dossier::drafts::submit(st, actor, &row.id, input, &files, &ctx.rid).await
    {
        Ok(code) => Ok(see_other(&format!(
            "/ho-so-cua-toi/{}?moi=1",
            url_enc(&code)
        ))),
        Err(e) => render(st, ctx, row, d, "xem-lai", Some(&e)).await,
    }
}

/// The citizen's pages: online submission as a saved draft, their dossiers and supplement answers.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/nop/{code}", post(start))
        .route("/nop/{code}/{draft}", get(draft_page).post(draft_post))
        .route("/ho-so-cua-toi", get(mine))
        .route("/ho-so-cua-toi/{code}", get(dossier))
        .route("/ho-so-cua-toi/{code}/bo-sung", post(supplement))
        .route("/ho-so-cua-toi/{code}/thanh-toan", post(pay::pay))
        .route("/ho-so-cua-toi/{code}/thong-bao", post(pay::contact))
        .route("/ho-so-cua-toi/{code}/bien-lai/{order}", get(pay::receipt))
}
