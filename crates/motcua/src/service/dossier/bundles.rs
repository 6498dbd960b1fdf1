//! Interlinked procedures (liên thông): one submission creates a parent dossier and linked children at each
//! competent agency, each with its own workflow and deadline; the parent follows its children and completes when all
//! of them have.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::dossier::dossiers::{self as dsvc, ApplicantInput, CreateDossier};
use crate::service::dossier::view as dview;
use crate::service::dossier::view::DossierView;
use crate::state::AppState;
use crate::store::dossiers;
use motcua_domain::role::Role;
use motcua_domain::status::Status;
use serde::Deserialize;

/// One procedure of the bundle and where it is decided.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleChild {
    pub procedure: String,
    /// Identifier of the competent agency (commune People's Committee, commune police, social insurance…).
    pub competent_agency: String,
    /// Checklist numbers of this procedure's required documents present.
    pub documents: Option<Vec<u32>>,
    /// The checklist's case that applies, when it has cases.
    pub document_case: Option<String>,
}

/// A bundle received at the counter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBundle {
    /// The interlinked procedure (e.g. 2.000986: birth registration, permanent residence, health insurance card
    /// for a child under 6).
    pub procedure: String,
    pub applicant: ApplicantInput,
    pub summary: Option<String>,
    /// Checklist numbers of the interlinked procedure's own required documents.
    pub documents: Option<Vec<u32>>,
    /// The checklist's case that applies, when it has cases.
    pub document_case: Option<String>,
    pub children: Vec<BundleChild>,
}

/// Receives a bundle: the parent and its 2–10 children in one transaction, or nothing.
pub async fn create(
    st: &AppState,
    actor: &Actor,
    input: CreateBundle,
    request_id: &str,
) -> AppResult<DossierView> {
    if !matches!(actor.role, Role::ReceivingOfficer | Role::CenterDirector) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "only receiving officers receive interlinked bundles",
        ));
    }
    if !(2..=10).contains(&input.children.len()) {
        return Err(AppError::field(
            "children",
            "Hồ sơ liên thông gồm từ 2 đến 10 thủ tục",
            "a bundle has 2 to 10 procedures",
        ));
    }
    let mut parent = dsvc::prepare(
        st,
        actor,
        &CreateDossier {
            procedure: input.procedure.clone(),
            channel: None,
            applicant: input.applicant.clone(),
            summary: input.summary.clone(),
            receiving_agency: None,
            competent_agency: None,
            documents: input.documents.clone(),
            case: None,
            document_case: input.document_case.clone(),
            ticket: None,
        },
    )
    .await?;
    // The parent has no workflow of its own: its children do the work.
    parent.pinned = None;
    let mut kids = Vec::new();
    for (i, c) in input.children.iter().enumerate() {
        let p = dsvc::prepare(
            st,
            actor,
            &CreateDossier {
                procedure: c.procedure.clone(),
                channel: None,
                applicant: input.applicant.clone(),
                summary: None,
                receiving_agency: None,
                competent_agency: Some(c.competent_agency.clone()),
                documents: c.documents.clone(),
                document_case: c.document_case.clone(),
                ticket: None,
                case: None,
            },
        )
        .await
        .map_err(|e| match e {
            AppError::Invalid(m) => AppError::Invalid(
                m.into_iter()
                    .map(|(k, v)| (format!("children[{i}].{k}"), v))
                    .collect(),
            ),
            other => other,
        })?;
        kids.push(p);
    }
    let due = kids.iter().filter_map(|k| k.new.due_at).max();
    parent.new.due_at = due;
    let mut tx = st.db.begin().await?;
    let (parent_id, code) =
        dsvc::insert_prepared(st, &mut tx, actor, &mut parent, request_id).await?;
    for k in &mut kids {
        k.new.parent_id = Some(parent_id);
        dsvc::insert_prepared(st, &mut tx, actor, k, request_id).await?;
    }
    let change = dossiers::Change {
        status: Status::Accepted.code(),
        current_step: None,
        due_at: due,
        legal_due_at: due,
        ..dossiers::Change::default()
    };
    dossiers::update(&mut tx, parent_id, 1, &change, parent.new.submitted_at).await?;
    tx.commit().await?;
    st.metrics.dossier_created();
    dview::get(st, actor, &code, "tiếp nhận hồ sơ liên thông", request_id).await
}
