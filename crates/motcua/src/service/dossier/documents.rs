//! Dossier documents: uploads (PDF, JPEG, PNG, recognised by content, size-limited, encrypted at rest), downloads,
//! and once-only reuse of what the applicant already gave (another dossier's component or a previous result).

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::dossier::rules::{self, audit_entry};
use crate::service::dossier::view::DocumentView;
use crate::state::AppState;
use crate::store::documents::{self, NewDocument};
use crate::store::dossiers::{self, DossierRow};
use crate::store::{audit, procedures};
use motcua_domain::codes::DossierCode;
use motcua_domain::ids::DossierId;
use motcua_domain::role::Role;
use motcua_domain::status::Status;
use motcua_domain::text::search_key;
use serde::{Deserialize, Serialize};

/// What comes with an upload.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadMeta {
    /// The document component (thành phần hồ sơ), e.g. "Tờ khai đăng ký khai sinh".
    pub component: String,
    /// The file's name as the user had it (shown only; the type comes from the content).
    pub name: Option<String>,
    /// A result document (signed decision, certificate…).
    #[serde(default)]
    pub result: bool,
}

pub(super) async fn dossier(st: &AppState, actor: &Actor, code: &str) -> AppResult<DossierRow> {
    let code = DossierCode::parse(code).map_err(|_| AppError::code(ErrorCode::DossierNotFound))?;
    dossiers::get(&st.db, &actor.scope, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))
}

fn may_add(actor: &Actor, d: &DossierRow, result: bool) -> AppResult<()> {
    let status = d.status;
    let ok = match actor.role {
        // Citizens add their own documents while submitting or answering a supplement request.
        Role::Citizen => {
            !result && matches!(status, Status::Submitted | Status::AwaitingSupplement)
        }
        Role::ReceivingOfficer | Role::Specialist | Role::Leader | Role::CenterDirector => {
            !status.is_terminal()
        }
        Role::ProvinceAdmin | Role::SystemAdmin => false,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::with(
            ErrorCode::Forbidden,
            "documents cannot be added by this role in this status",
        ))
    }
}

fn component(c: &str) -> AppResult<String> {
    let c = c.trim();
    if c.is_empty() || c.chars().count() > 1000 {
        return Err(AppError::field(
            "component",
            "Nhập tên thành phần hồ sơ (tối đa 1000 ký tự)",
            "give the document component (at most 1000 characters)",
        ));
    }
    Ok(c.to_owned())
}

/// Checks an upload (who may add, the component, the file's real type and size), stores the bytes encrypted and
/// returns the row to insert.
pub(super) async fn prepare_upload(
    st: &AppState,
    actor: &Actor,
    d: &DossierRow,
    meta: UploadMeta,
    declared: Option<&str>,
    bytes: &[u8],
) -> AppResult<NewDocument> {
    may_add(actor, d, meta.result)?;
    let comp = component(&meta.component)?;
    let kind = check_file(st, declared, bytes)?;
    let name: String = meta
        .name
        .as_deref()
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim())
        .filter(|n| !n.is_empty())
        .unwrap_or("tai-lieu")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let sha = st.blobs.put(&st.data_key, bytes).await?;
    Ok(NewDocument {
        dossier_id: d.id,
        component_key: search_key(&comp),
        component: comp,
        is_result: meta.result,
        file_name: name,
        content_type: kind.to_owned(),
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256: sha,
        state: 1,
        source: "upload".into(),
        source_document_id: None,
        applicant_id_hash: d.applicant_id_hash.clone(),
        uploaded_by: actor.user_id,
        uploaded_at: st.clock.now(),
    })
}

/// Stores an uploaded file after checking its size and its real type against the declared one.
pub async fn upload(
    st: &AppState,
    actor: &Actor,
    code: &str,
    meta: UploadMeta,
    declared: Option<&str>,
    bytes: &[u8],
    request_id: &str,
) -> AppResult<DocumentView> {
    let d = dossier(st, actor, code).await?;
    let new = prepare_upload(st, actor, &d, meta, declared, bytes).await?;
    record(
        st,
        actor,
        &d,
        &new,
        "upload_document",
        "số hóa thành phần hồ sơ",
        request_id,
    )
    .await
}

/// The applicant's documents chosen for reuse, each checked to be the same applicant's and within reach.
pub async fn reusable_for(
    st: &AppState,
    actor: &Actor,
    applicant_id_hash: &str,
    ids: &[i64],
) -> AppResult<Vec<documents::DocumentRow>> {
    let mut out = Vec::new();
    for id in ids {
        let refused = || {
            AppError::field(
                "reuse",
                "Chỉ tái sử dụng giấy tờ của chính người nộp hồ sơ này",
                "only the same applicant's documents can be reused",
            )
        };
        let src = documents::get(&st.db, &actor.scope, *id)
            .await?
            .ok_or_else(refused)?;
        let same_applicant = documents::reusable(
            &st.db,
            &actor.scope,
            applicant_id_hash,
            &search_key(&src.component),
            DossierId(-1),
        )
        .await?
        .iter()
        .any(|r| r.id == src.id);
        if !same_applicant {
            return Err(refused());
        }
        out.push(src);
    }
    Ok(out)
}

/// The row of a document reused in another dossier of the same applicant: a digitized component (state 2) or an
/// earlier result (state 3), pointing at its source.
fn reused(
    src: &documents::DocumentRow,
    (dossier_id, applicant_id_hash): (DossierId, &str),
    component: String,
    actor: &Actor,
    now: time::OffsetDateTime,
) -> NewDocument {
    NewDocument {
        dossier_id,
        component_key: search_key(&component),
        component,
        is_result: false,
        file_name: src.file_name.clone(),
        content_type: src.content_type.clone(),
        size: src.size,
        sha256: src.sha256.clone(),
        state: if src.is_result { 3 } else { 2 },
        source: if src.is_result {
            "reuse_result".into()
        } else {
            "reuse_component".into()
        },
        source_document_id: Some(src.id),
        applicant_id_hash: applicant_id_hash.to_owned(),
        uploaded_by: actor.user_id,
        uploaded_at: now,
    }
}

/// Attaches reused documents to a dossier being received, inside its transaction, each with its audit row.
pub async fn attach_reused(
    tx: &mut crate::store::Tx,
    actor: &Actor,
    (dossier_id, code, applicant_id_hash): (DossierId, &str, &str),
    sources: &[documents::DocumentRow],
    now: time::OffsetDateTime,
    request_id: &str,
) -> AppResult<()> {
    for src in sources {
        let new = reused(
            src,
            (dossier_id, applicant_id_hash),
            src.component.clone(),
            actor,
            now,
        );
        documents::insert(tx, &new).await?;
        audit::write_tx(
            tx,
            &audit_entry(
                actor,
                "reuse_document",
                code,
                Some(dossier_id),
                "tái sử dụng dữ liệu đã số hóa",
                request_id,
                now,
            ),
        )
        .await?;
    }
    Ok(())
}

/// A file already checked and stored (a citizen's saved online application), attached to their new dossier.
pub struct Stored {
    pub component: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
}

/// Checks an upload's size and real type without storing it; returns the recognised type.
pub fn check_file(st: &AppState, declared: Option<&str>, bytes: &[u8]) -> AppResult<&'static str> {
    let max = usize::try_from(st.config.max_upload_mb).unwrap_or(10) * 1024 * 1024;
    if bytes.len() > max {
        return Err(AppError::with(
            ErrorCode::PayloadTooLarge,
            format!("files are at most {} MiB", st.config.max_upload_mb),
        ));
    }
    let Some(kind) = crate::blob::sniff(bytes) else {
        return Err(AppError::field(
            "file",
            "Chỉ nhận tệp PDF, JPEG hoặc PNG (nhận dạng theo nội dung tệp)",
            "only PDF, JPEG or PNG files are accepted (recognised by their content)",
        ));
    };
    let declared = declared.map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if let Some(dc) = declared
        .as_deref()
        .filter(|c| *c != "application/octet-stream")
    {
        if dc != kind {
            return Err(AppError::field(
                "file",
                format!("Tệp khai là {dc} nhưng nội dung là {kind}"),
                format!("the file is declared as {dc} but its content is {kind}"),
            ));
        }
    }
    Ok(kind)
}

/// Attaches a saved application's files to the dossier it becomes, inside that dossier's transaction, each with its
/// audit row.
pub async fn attach_stored(
    tx: &mut crate::store::Tx,
    actor: &Actor,
    (dossier_id, code, applicant_id_hash): (DossierId, &str, &str),
    files: &[Stored],
    now: time::OffsetDateTime,
    request_id: &str,
) -> AppResult<()> {
    for f in files {
        let comp = component(&f.component)?;
        let new = NewDocument {
            dossier_id,
            component_key: search_key(&comp),
            component: comp,
            is_result: false,
            file_name: f.file_name.clone(),
            content_type: f.content_type.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            state: 1,
            source: "upload".into(),
            source_document_id: None,
            applicant_id_hash: applicant_id_hash.to_owned(),
            uploaded_by: actor.user_id,
            uploaded_at: now,
        };
        documents::insert(tx, &new).await?;
        audit::write_tx(
            tx,
            &audit_entry(
                actor,
                "upload_document",
                code,
                Some(dossier_id),
                "nộp hồ sơ trực tuyến",
                request_id,
                now,
            ),
        )
        .await?;
    }
    Ok(())
}

/// Records a document and its audit row in one transaction, and shows it.
async fn record(
    st: &AppState,
    actor: &Actor,
    d: &DossierRow,
    new: &NewDocument,
    action: &str,
    purpose: &str,
    request_id: &str,
) -> AppResult<DocumentView> {
    let mut tx = st.db.begin().await?;
    let id = documents::insert(&mut tx, new).await?;
    audit::write_tx(
        &mut tx,
        &audit_entry(
            actor,
            action,
            &d.code,
            Some(d.id),
            purpose,
            request_id,
            new.uploaded_at,
        ),
    )
    .await?;
    tx.commit().await?;
    let row = documents::get(&st.db, &actor.scope, id)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    Ok(row.into())
}

/// A document's bytes and type; reading it is logged.
pub async fn download(
    st: &AppState,
    actor: &Actor,
    code: &str,
    id: i64,
    request_id: &str,
) -> AppResult<(String, String, Vec<u8>)> {
    let d = dossier(st, actor, code).await?;
    let doc = documents::get(&st.db, &actor.scope, id)
        .await?
        .filter(|x| x.dossier_id == d.id)
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let bytes = st.blobs.get(&st.data_key, &doc.sha256).await?;
    st.access
        .append(&audit_entry(
            actor,
            "read_document",
            &d.code,
            Some(d.id),
            "xem thành phần hồ sơ",
            request_id,
            st.clock.now(),
        ))
        .await?;
    Ok((doc.content_type, doc.file_name, bytes))
}

/// One required component and what the applicant already gave for it.
#[derive(Debug, Serialize)]
pub struct Offer {
    pub component: String,
    pub present: bool,
    pub reusable: Vec<DocumentView>,
}

/// Once-only: for each component the procedure requires, whether this dossier has it and which of the applicant's
/// documents in other dossiers (within the caller's reach) could be reused instead of asking again.
pub async fn offers(st: &AppState, actor: &Actor, code: &str) -> AppResult<Vec<Offer>> {
    if actor.role == Role::Citizen {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "offers are for officers",
        ));
    }
    let d = dossier(st, actor, code).await?;
    let have = documents::of_dossier(&st.db, d.id).await?;
    offers_by(
        st,
        actor,
        &d.procedure_code,
        &d.applicant_id_hash,
        d.id,
        &have,
    )
    .await
}

/// Offers for an applicant before their dossier exists (the counter, once the ID card is scanned).
pub async fn offers_for(
    st: &AppState,
    actor: &Actor,
    procedure_code: &str,
    id_number: &str,
) -> AppResult<Vec<Offer>> {
    if actor.role == Role::Citizen {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "offers are for officers",
        ));
    }
    let id = motcua_domain::person::ApplicantId::parse(
        motcua_domain::person::ApplicantKind::Person,
        id_number,
    )?;
    let hash = st.id_key.id_hash(id.expose());
    offers_by(st, actor, procedure_code, &hash, DossierId(-1), &[]).await
}

async fn offers_by(
    st: &AppState,
    actor: &Actor,
    procedure_code: &str,
    id_hash: &str,
    except: DossierId,
    have: &[documents::DocumentRow],
) -> AppResult<Vec<Offer>> {
    let proc = procedures::get(&st.db, procedure_code).await?;
    let list = rules::counter_checklist(
        st,
        actor,
        procedure_code,
        proc.as_ref().and_then(|p| p.detail.as_deref()),
    )
    .await?;
    let mut out = Vec::new();
    for comp in list.all().filter(|p| !p.shown).map(|p| p.name.clone()) {
        let key = search_key(&comp);
        let present = have.iter().any(|h| search_key(&h.component) == key);
        let reusable = documents::reusable(&st.db, &actor.scope, id_hash, &key, except)
            .await?
            .into_iter()
            .map(DocumentView::from)
            .collect();
        out.push(Offer {
            component: comp,
            present,
            reusable,
        });
    }
    Ok(out)
}

/// What to reuse.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReuseInput {
    pub document_id: i64,
    /// The component it stands for here (defaults to the source's).
    pub component: Option<String>,
}

/// Adds an earlier document of the same applicant to this dossier without asking for it again.
pub async fn reuse(
    st: &AppState,
    actor: &Actor,
    code: &str,
    input: ReuseInput,
    request_id: &str,
) -> AppResult<DocumentView> {
    let d = dossier(st, actor, code).await?;
    may_add(actor, &d, false)?;
    let src = documents::get(&st.db, &actor.scope, input.document_id)
        .await?
        .ok_or_else(|| {
            AppError::field("document_id", "Không có tài liệu này", "no such document")
        })?;
    let same_applicant = documents::reusable(
        &st.db,
        &actor.scope,
        &d.applicant_id_hash,
        &search_key(&src.component),
        d.id,
    )
    .await?
    .iter()
    .any(|r| r.id == src.id);
    if !same_applicant {
        return Err(AppError::field(
            "document_id",
            "Chỉ tái sử dụng giấy tờ của chính người nộp hồ sơ này",
            "only the same applicant's documents can be reused",
        ));
    }
    let comp = component(input.component.as_deref().unwrap_or(&src.component))?;
    let now = st.clock.now();
    let new = reused(&src, (d.id, &d.applicant_id_hash), comp, actor, now);
    record(
        st,
        actor,
        &d,
        &new,
        "reuse_document",
        "tái sử dụng dữ liệu đã số hóa",
        request_id,
    )
    .await
}
