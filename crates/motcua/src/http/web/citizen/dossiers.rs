//! The citizen's own dossiers: the list with drafts, one dossier with its progress and documents, and the answer to a supplement request.

use super::citizen;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::http::web::officer::read_upload;
use crate::http::web::page::PageResult;
use crate::http::web::{see_other, url_enc, when, Ctx};
use crate::service::dossier::documents;
use crate::service::dossier::dossiers::{self as dsvc};
use crate::service::dossier::supplement;
use crate::service::dossier::view as dview;
use crate::state::AppState;
use crate::store::dossiers::DossierFilter;
use crate::store::procedures;
use crate::store::web::{self as wstore};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;

/// `/ho-so-cua-toi`: the citizen's dossiers and saved applications.
pub async fn mine(State(st): State<AppState>, ctx: Ctx) -> PageResult {
    let actor = citizen(&ctx)?;
    let page = match dsvc::list(
        &st,
        actor,
        DossierFilter {
            limit: 100,
            ..DossierFilter::default()
        },
        &ctx.rid,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return Err(e.into()),
    };
    let mut drafts = Vec::new();
    for r in wstore::drafts(&st.db, actor.user_id).await? {
        let name = procedures::get(&st.db, &r.procedure_code)
            .await?
            .map(|p| p.row.name)
            .unwrap_or_default();
        drafts.push((
            DraftLink {
                procedure_code: r.procedure_code,
                id: r.id,
                saved: when(r.updated_at),
            },
            name,
        ));
    }
    let b = MinePage {
        ctx: &ctx,
        drafts,
        items: &page.items,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page(ctx.t("Hồ sơ của tôi", "My dossiers"), &b))
}

/// A saved application, as listed.
struct DraftLink {
    procedure_code: String,
    id: String,
    saved: String,
}

#[derive(askama::Template)]
#[template(path = "citizen/mine.html")]
struct MinePage<'a> {
    ctx: &'a Ctx,
    drafts: Vec<(DraftLink, String)>,
    items: &'a [dview::DossierView],
}

#[derive(askama::Template)]
#[template(path = "citizen/dossier.html")]
struct DossierPage<'a> {
    ctx: &'a Ctx,
    submitted: bool,
    v: &'a dview::DossierView,
    token: String,
    /// An open supplement request: its reason and each paper with whether it was sent.
    supplement: Option<(String, Vec<(String, bool)>)>,
    /// `du` after the last paper was sent, `con-thieu` after one of several.
    sent: String,
    /// The supplement form's refusal, drawn above it, and the paper that was chosen.
    refused: String,
    chosen: String,
    /// Waiting for a payment: the open fee with its breakdown, and where to pay at the counter.
    payment: Option<crate::service::money::FeeView>,
    place: String,
    /// How the applicant is told of changes.
    contact: Contact,
    money: &'a crate::service::money::Money,
    docs: Vec<dview::DocumentView>,
    events: Vec<(String, String)>,
}

/// The applicant's notification channels, as the form shows them.
#[derive(Debug, Default)]
struct Contact {
    email: bool,
    sms: bool,
    zalo: bool,
    address: String,
    phone: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    moi: String,
    bo_sung: String,
    thong_bao: String,
}

/// `/ho-so-cua-toi/{code}`: one of the citizen's dossiers, with the supplement form when one is asked for.
pub async fn dossier(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    q: Result<AppQuery<NewQuery>, AppError>,
) -> PageResult {
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let sent = q
        .as_ref()
        .map(|AppQuery(q)| q.bo_sung.clone())
        .unwrap_or_default();
    let submitted = q.as_ref().is_ok_and(|AppQuery(q)| q.moi == "1");
    let sent = if q.as_ref().is_ok_and(|AppQuery(q)| q.thong_bao == "1") {
        "thong-bao".to_owned()
    } else {
        sent
    };
    dossier_page(&st, &ctx, &code, (submitted, &sent), None).await
}

/// The dossier page, with the supplement form's refusal when there is one (the form shown again with it).
async fn dossier_page(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    (submitted, sent): (bool, &str),
    refused: Option<(&AppError, &str)>,
) -> PageResult {
    let actor = citizen(ctx)?;
    let v = dview::get(st, actor, code, "công dân xem hồ sơ", &ctx.rid).await?;
    let supplement = supplement::open_request_of(st, actor, code)
        .await?
        .map(|r| (r.reason, r.papers));
    // A payment asked for: how much, what for, and how to pay (online where the province offers it).
    let money = crate::service::money::of_dossier(st, actor, code).await?;
    let payment = (v.status.code == 6)
        .then(|| money.fees.iter().find(|f| f.state == "open").cloned())
        .flatten();
    let place = v.receiving_agency["name"].as_str().unwrap_or("").to_owned();
    let contact = crate::store::deliveries::contact(&st.db, &v.code)
        .await?
        .map(|(ch, email, phone)| Contact {
            email: ch.contains("email"),
            sms: ch.contains("sms"),
            zalo: ch.contains("zalo"),
            address: email.unwrap_or_default(),
            phone: phone.is_some_and(|p| !p.is_empty()),
        })
        .unwrap_or_default();
    // A refused contact form comes back with what was chosen and typed ("contact:sms,email|address").
    let (contact, refused) = match refused.map(|(e, c)| (e, c.strip_prefix("contact:"))) {
        Some((e, Some(typed))) => {
            let (ch, address) = typed.split_once('|').unwrap_or((typed, ""));
            let c = Contact {
                email: ch.contains("email"),
                sms: ch.contains("sms"),
                zalo: ch.contains("zalo"),
                address: address.to_owned(),
                phone: contact.phone,
            };
            (c, Some((e, "contact")))
        }
        _ => (contact, refused),
    };
    let events = v
        .events
        .iter()
        .flatten()
        .map(|e| {
            let label = motcua_domain::status::Action::parse(&e.action).map_or_else(
                || match e.action.as_str() {
                    "submit" => ctx.t("Nộp trực tuyến", "Submitted online").to_owned(),
                    "receive" => ctx
                        .t("Tiếp nhận tại quầy", "Received at the counter")
                        .to_owned(),
                    other => other.to_owned(),
                },
                |a| ctx.t(a.vi(), a.en()).to_owned(),
            );
            (e.at_vi.clone(), label)
        })
        .collect();
    let b = DossierPage {
        ctx,
        submitted,
        sent: sent.to_owned(),
        refused: refused
            .map(|(e, _)| ctx.error_box(e, "supplement-error"))
            .unwrap_or_default(),
        chosen: refused.map(|(_, c)| c.to_owned()).unwrap_or_default(),
        token: st.id_key.tracking_token(&v.code),
        supplement,
        payment,
        place,
        contact,
        money: &money,
        docs: v
            .documents
            .iter()
            .flatten()
            .filter(|d| !d.is_result)
            .cloned()
            .collect(),
        events,
        v: &v,
    }
    .render()
    .map_err(anyhow::Error::from)?;
    Ok(ctx.page_after(
        &format!("{} {}", ctx.t("Hồ sơ", "Dossier"), v.code),
        &b,
        refused.map(|(e, _)| e),
    ))
}

/// The dossier page with a refusal of its payment form (`form` ""), or of the contact form (`form` "contact"),
/// shown on that form.
pub(super) async fn page_with_error(
    st: &AppState,
    ctx: &Ctx,
    code: &str,
    e: &AppError,
    form: &str,
) -> PageResult {
    dossier_page(st, ctx, code, (false, ""), Some((e, form))).await
}

/// `POST /ho-so-cua-toi/{code}/bo-sung`: the citizen uploads what was asked for and sends the supplement.
pub async fn supplement(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let actor = citizen(&ctx)?.clone();
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    // A refused file or paper: the dossier page again, the form with the reason above it.
    let (component, _, file) = match read_upload(&ctx, &headers, &body) {
        Ok(u) => u,
        Err(e) => return refused_on_page(&st, &ctx, (&code, ""), Some(e)).await,
    };
    let chosen = component.clone();
    let meta = documents::UploadMeta {
        component,
        name: file.file_name.clone(),
        result: false,
    };
    // One paper of the request; with the last one the dossier goes back to processing, in the same transaction.
    let left = match supplement::send_online(
        &st,
        &actor,
        &code,
        meta,
        (file.content_type.as_deref(), &file.data),
        &ctx.rid,
    )
    .await
    {
        Ok(left) => left,
        Err(e) => {
            let e = super::file_refused(&st, e, file.file_name.as_deref().unwrap_or(""));
            return refused_on_page(&st, &ctx, (&code, &chosen), Some(e)).await;
        }
    };
    let sent = if left.is_empty() { "du" } else { "con-thieu" };
    Ok(see_other(&format!(
        "/ho-so-cua-toi/{}?bo_sung={sent}",
        url_enc(&code)
    )))
}

/// The refusal of a supplement answer: the dossier page with the form and the reason, or the error page when it is
/// not the form's to say (not found, not allowed).
async fn refused_on_page(
    st: &AppState,
    ctx: &Ctx,
    (code, chosen): (&str, &str),
    e: Option<AppError>,
) -> PageResult {
    match e {
        Some(e @ (AppError::Invalid(_) | AppError::Coded { .. }))
            if matches!(
                e.error_code(),
                ErrorCode::InvalidInput | ErrorCode::PayloadTooLarge
            ) =>
        {
            dossier_page(st, ctx, code, (false, ""), Some((&e, chosen))).await
        }
        Some(e) => Err(e.into()),
        None => Err(AppError::code(ErrorCode::BadRequest).into()),
    }
}
