//! The officer's action on a dossier (`POST /can-bo/ho-so/{code}/xu-ly`): the form read into the use case's input,
//! and a refusal shown on the dossier's page with what was typed.

use super::dossier::{dossier_page, Kept};
use super::staff;
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::{CsrfForm, PageResult};
use crate::http::web::{see_other, url_enc, Ctx};
use crate::service::dossier::{documents, process};
use crate::state::AppState;
use axum::extract::State;

/// `POST /can-bo/ho-so/{code}/xu-ly`: one action (or reuse of a digitized document), then back to the dossier.
pub async fn act(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let actor = staff(&ctx)?.clone();
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::DossierNotFound).into());
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    let action = get("action").unwrap_or_default();
    let back = format!("/can-bo/ho-so/{}", url_enc(&code));
    if action == "reuse" {
        let input = documents::ReuseInput {
            document_id: get("document_id").and_then(|d| d.parse().ok()).unwrap_or(0),
            component: get("component"),
        };
        return match documents::reuse(&st, &actor, &code, input, &ctx.rid).await {
            Ok(_) => Ok(see_other(&back)),
            Err(e) => Err(e.into()),
        };
    }
    let kept = kept_of(&get, &pairs);
    let input = match read_input(&get, &pairs) {
        Ok(i) => i,
        // A typing mistake comes back on the dossier's page with what was typed, like any other refusal.
        Err(e) => {
            return dossier_page(&st, &ctx, &actor, &code, (false, None), Some((e, kept))).await
        }
    };
    match process::act(&st, &actor, &code, &input, &ctx.rid).await {
        Ok(_) => Ok(see_other(&format!("{back}?xong={}", url_enc(&kept.action)))),
        // A dossier out of reach stays the error page; any other refusal comes back on the dossier page.
        Err(e) if e.error_code() == ErrorCode::DossierNotFound => Err(e.into()),
        Err(e) => dossier_page(&st, &ctx, &actor, &code, (false, None), Some((e, kept))).await,
    }
}

fn ticked(pairs: &[(String, String)]) -> Vec<u32> {
    pairs
        .iter()
        .filter(|(k, _)| k == "documents")
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

/// What was typed, to show again with a refusal.
fn kept_of(get: &impl Fn(&str) -> Option<String>, pairs: &[(String, String)]) -> Kept {
    let g = |k: &str| get(k).unwrap_or_default();
    Kept {
        action: g("action"),
        note: g("note"),
        assignee: g("assignee"),
        missing: g("missing"),
        amount: g("amount"),
        pages: g("pages"),
        items: g("items"),
        exemption: g("exemption"),
        collection: g("collection"),
        method: String::new(),
        reference: String::new(),
        receiver: g("receiver_name"),
        documents: ticked(pairs),
        document_case: g("document_case"),
    }
}

/// The action's input from the form; a field that cannot be read is refused by name.
fn read_input(
    get: &impl Fn(&str) -> Option<String>,
    pairs: &[(String, String)],
) -> Result<process::ActInput, AppError> {
    let new_due = match (get("new_date"), get("new_time")) {
        (Some(d), Some(t)) if !d.is_empty() => Some(format!("{d}T{t}:00+07:00")),
        _ => None,
    };
    let amount = match get("amount").filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => Some(a.replace(['.', ' '], "").parse::<i64>().map_err(|_| {
            AppError::field(
                "amount",
                "Số tiền là số nguyên (đồng), ví dụ 15000",
                "the amount is a whole number of đồng",
            )
        })?),
    };
    let items = match get("items").filter(|a| !a.is_empty()) {
        None => None,
        Some(n) => Some(n.parse().map_err(|_| {
            AppError::field(
                "items",
                "Số lượng là số nguyên, ví dụ 2",
                "items is a whole number",
            )
        })?),
    };
    let note = get("note").unwrap_or_default();
    if note.chars().count() > 2000 {
        return Err(AppError::field(
            "note",
            "Ghi chú tối đa 2000 ký tự",
            "the note is at most 2000 characters",
        ));
    }
    Ok(process::ActInput {
        action: get("action").unwrap_or_default(),
        note,
        assignee: get("assignee").filter(|a| !a.is_empty()),
        documents: Some(ticked(pairs)),
        missing: get("missing").map(|m| {
            m.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        new_due,
        amount,
        method: get("method"),
        receiver_name: get("receiver_name").filter(|a| !a.is_empty()),
        document_case: get("document_case").filter(|c| !c.is_empty()),
        paper_result: Some(get("paper_result").as_deref() == Some("1")),
        pages: pages_of(get("pages").as_deref())?,
        items,
        exemption: get("exemption").filter(|a| !a.is_empty()),
        collection: get("collection").filter(|a| !a.is_empty()),
        sending: None,
        settles_fee: false,
    })
}

/// "5, 1 3" → `[5, 1, 3]` (pages of each copy); empty → none.
fn pages_of(s: Option<&str>) -> Result<Option<Vec<u32>>, AppError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    s.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u32>().map_err(|_| {
                AppError::field(
                    "pages",
                    format!("«{p}» không phải số trang: ghi số trang của từng bản bằng chữ số, cách nhau bằng dấu phẩy (ví dụ 5, 1)"),
                    "pages of each copy as digits, separated by commas (e.g. 5, 1)",
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
