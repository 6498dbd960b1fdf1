//! Dossier use cases: create at a counter or online, read and list within scope, and apply a status action. Each
//! change commits the dossier, its event and its audit record in one transaction.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::dossier::rules::{self, audit_entry, legal_due, province_of_unit};
use crate::service::dossier::view::{view, DossierView};
use crate::service::queue::counter as qcounter;
use crate::state::AppState;
use crate::store::agencies::{self, AgencyRow};
use crate::store::audit::{self};
use crate::store::dossiers::{self, DossierFilter, NewDossier};
use crate::store::procedures;
use motcua_domain::agency::Tier;
use motcua_domain::calendar::VN;
use motcua_domain::catalog::Channel;
use motcua_domain::codes::{DossierCode, ProcedureCode};
use motcua_domain::ids::DossierId;
use motcua_domain::person::{ApplicantId, ApplicantKind};
use motcua_domain::role::Role;
use motcua_domain::status::Status;
use serde::{Deserialize, Serialize};

pub use crate::crypto::ID_LABEL;

/// The applicant as given at intake.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    pub kind: Option<String>,
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A new dossier.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateDossier {
    pub procedure: String,
    pub channel: Option<String>,
    pub applicant: ApplicantInput,
    pub summary: Option<String>,
    /// Identifier of the receiving agency (staff: defaults to their own; citizens: where they submit).
    pub receiving_agency: Option<String>,
    /// Identifier of the competent agency (defaults to the receiving commune's People's Committee).
    pub competent_agency: Option<String>,
    /// Counter intake: numbers (1-based) of the required documents checked as present.
    pub documents: Option<Vec<u32>>,
    /// The case (trường hợp) of the procedure, when it has named cases with their own workflow.
    pub case: Option<String>,
    /// The key of the document checklist's case that applies, when the checklist has cases.
    pub document_case: Option<String>,
    /// Counter intake: the queue ticket of the person at the counter (its wait and service times then attach to
    /// the dossier).
    #[serde(default)]
    pub ticket: Option<motcua_domain::ids::TicketId>,
}

async fn agency(st: &AppState, identifier: &str, field: &str) -> AppResult<AgencyRow> {
    agencies::by_identifier(&st.db, identifier)
        .await?
        .ok_or_else(|| {
            AppError::field(
                field,
                format!("Không có cơ quan mã '{identifier}'"),
                format!("no agency with identifier '{identifier}'"),
            )
        })
}

async fn province_of(st: &AppState, a: &AgencyRow) -> AppResult<String> {
    if a.tier == Tier::Province {
        return Ok(a.unit_code.clone());
    }
    province_of_unit(st, &a.unit_code).await
}

/// A dossier checked and ready to insert.
pub struct Prepared {
    pub new: NewDossier,
    pub pinned: Option<crate::store::workflows::WorkflowRow>,
    pub receiving: AgencyRow,
    pub competent: AgencyRow,
    pub status: Status,
    pub is_citizen: bool,
}

/// Checks a new dossier and computes its dates, without writing anything (the code is given at insertion).
pub async fn prepare(st: &AppState, actor: &Actor, input: &CreateDossier) -> AppResult<Prepared> {
    let now = st.clock.now();
    let is_citizen = actor.role == Role::Citizen;
    if !is_citizen && !matches!(actor.role, Role::ReceivingOfficer | Role::CenterDirector) {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "only receiving officers and citizens create dossiers",
        ));
    }
    let code = ProcedureCode::parse(&input.procedure)?;
    let proc = procedures::get(&st.db, code.as_str())
        .await?
        .ok_or_else(|| {
            AppError::field(
                "procedure",
                format!("Không có thủ tục mã {code}"),
                format!("no procedure {code}"),
            )
        })?;
    let channel = channel_of(is_citizen, input.channel.as_deref())?;
    let applicant = applicant_of(&input.applicant);
    let (receiving, competent) = agencies_for(st, actor, input, &proc, is_citizen).await?;
    let rp = check_place(st, (&receiving, &competent), &proc, is_citizen).await?;
    let papers = if is_citizen {
        // The web form gives the papers uploaded: a required one of the chosen case missing refuses the submission.
        // (Over the API files come after the dossier exists, so there is nothing to check yet.)
        if let Some(given) = input.documents.as_deref() {
            let list =
                rules::checklist(st, &proc.row.code, proc.detail.as_deref(), channel, &rp).await?;
            rules::check_papers(&list, input.document_case.as_deref(), Some(given), true)?;
        }
        String::new()
    } else {
        let list =
            rules::checklist(st, &proc.row.code, proc.detail.as_deref(), channel, &rp).await?;
        let papers = rules::check_papers(
            &list,
            input.document_case.as_deref(),
            input.documents.as_deref(),
            false,
        );
        // Every refusal of the form at once: the applicant's fields and the papers.
        if let Some(e) =
            AppError::first_of([applicant.as_ref().err().map(clone_refusal), papers.err()])
        {
            return Err(e);
        }
        rules::received(
            &list,
            input.document_case.as_deref(),
            input.documents.as_deref(),
        )
    };
    let (name, kind, id) = applicant?;
    // A named case (trường hợp) has its own workflow and may have its own limit; a counter dossier follows its
    // workflow and gets its due date now.
    let case = crate::service::catalog::workflows::case_key(input.case.as_deref())?;
    let (status, received_at, due, pinned) = if is_citizen {
        if !case.is_empty() {
            crate::service::catalog::workflows::pin_workflow(st, &proc.row.code, &case, &rp, now)
                .await?;
        }
        (Status::Submitted, None, None, None)
    } else {
        let pinned =
            crate::service::catalog::workflows::pin_workflow(st, &proc.row.code, &case, &rp, now)
                .await?;
        let due = legal_due(
            st,
            proc.detail.as_deref(),
            channel,
            (&competent.unit_code, &proc.row.field),
            &pinned,
            now,
        )
        .await?;
        (Status::Accepted, Some(now), Some(due), Some(pinned))
    };
    let new = NewDossier {
        code: String::new(),
        procedure_code: proc.row.code.clone(),
        receiving_agency_id: receiving.id,
        competent_agency_id: competent.id,
        channel: channel.as_str().into(),
        status: status.code(),
        applicant_kind: kind.as_str().into(),
        applicant_name: name.to_owned(),
        applicant_id_number: st.data_key.seal(id.expose(), ID_LABEL)?,
        applicant_id_masked: id.shown(),
        applicant_id_hash: st.id_key.id_hash(id.expose()),
        applicant_phone: input
            .applicant
            .phone
            .clone()
            .filter(|p| !p.trim().is_empty()),
        applicant_address: input
            .applicant
            .address
            .clone()
            .filter(|a| !a.trim().is_empty()),
        citizen_user_id: is_citizen.then_some(actor.user_id),
        summary: input
            .summary
            .clone()
            .unwrap_or_else(|| proc.row.name.clone()),
        submitted_at: now,
        received_at,
        due_at: due.map(|(at, _)| at),
        is_demo: actor.is_demo,
        created_by: Some(actor.user_id),
        parent_id: None,
        case_key: (!case.is_empty()).then(|| case.clone()),
        limit_source: due.map(|(_, source)| source),
        papers,
    };
    Ok(Prepared {
        new,
        pinned,
        receiving,
        competent,
        status,
        is_citizen,
    })
}

/// The channel of a new dossier: citizens submit online; officers receive in person or by post.
fn channel_of(is_citizen: bool, given: Option<&str>) -> AppResult<Channel> {
    Ok(match (is_citizen, given) {
        (true, None | Some("online")) => Channel::Online,
        (true, Some(_)) => {
            return Err(AppError::field(
                "channel",
                "Công dân chỉ nộp trực tuyến",
                "citizens submit online",
            ))
        }
        (false, None) => Channel::InPerson,
        (false, Some(c)) => match Channel::parse(c) {
            Some(Channel::Online) | None => {
                return Err(AppError::field(
                    "channel",
                    "Kênh tiếp nhận là in_person hoặc postal",
                    "channel must be in_person or postal",
                ))
            }
            Some(ch) => ch,
        },
    })
}

/// The applicant's name, kind and ID as given: a person gives a 12-digit ID number (9 for an old CMND), an
/// organisation its tax code.
fn applicant_of(a: &ApplicantInput) -> AppResult<(String, ApplicantKind, ApplicantId)> {
    let name = a.name.trim();
    let bad_name = (name.is_empty() || name.chars().count() > 200).then(|| {
        AppError::field(
            "applicant.name",
            "Nhập họ tên người nộp (tối đa 200 ký tự)",
            "give the applicant's name (at most 200 characters)",
        )
    });
    let kind = match a.kind.as_deref() {
        None => ApplicantKind::Person,
        Some(k) => ApplicantKind::parse(k).ok_or_else(|| {
            AppError::field(
                "applicant.kind",
                "Loại người nộp không hợp lệ",
                "kind is person, enterprise, agency or organization",
            )
        })?,
    };
    // The name and the ID number are checked together, so a form shows both at once.
    match (bad_name, ApplicantId::parse(kind, &a.id_number)) {
        (None, Ok(id)) => Ok((name.to_owned(), kind, id)),
        (name_err, id) => Err(AppError::first_of([name_err, id.err().map(AppError::from)])
            .unwrap_or_else(|| AppError::code(ErrorCode::InvalidInput))),
    }
}

/// The receiving and competent agencies: an officer receives for their own agency, a citizen chooses where to
/// submit; the competent agency defaults to the People's Committee of the receiving unit's level.
async fn agencies_for(
    st: &AppState,
    actor: &Actor,
    input: &CreateDossier,
    proc: &procedures::ProcedureFull,
    is_citizen: bool,
) -> AppResult<(AgencyRow, AgencyRow)> {
    let receiving = match (&input.receiving_agency, &actor.agency) {
        (Some(r), _) if is_citizen => agency(st, r, "receiving_agency").await?,
        (None, _) if is_citizen => {
            return Err(AppError::field(
                "receiving_agency",
                "Chọn nơi nộp hồ sơ",
                "choose where to submit",
            ))
        }
        (_, Some(a)) => a.clone(),
        (_, None) => {
            return Err(AppError::with(
                ErrorCode::Forbidden,
                "the officer has no agency",
            ))
        }
    };
    if !is_citizen
        && input
            .receiving_agency
            .as_deref()
            .is_some_and(|r| r != receiving.identifier)
    {
        return Err(AppError::field(
            "receiving_agency",
            "Cán bộ chỉ tiếp nhận tại cơ quan của mình",
            "officers receive for their own agency",
        ));
    }
    let competent = match &input.competent_agency {
        Some(c) => agency(st, c, "competent_agency").await?,
        None if receiving.tier == Tier::Commune && proc.row.level_commune => {
            agencies::of_kind(&st.db, &receiving.unit_code, "commune_pc")
                .await?
                .ok_or_else(|| AppError::code(ErrorCode::AgencyNotFound))?
        }
        None if receiving.tier == Tier::Province && proc.row.level_province => {
            agencies::of_kind(&st.db, &receiving.unit_code, "province_pc")
                .await?
                .ok_or_else(|| AppError::code(ErrorCode::AgencyNotFound))?
        }
        None => {
            return Err(AppError::field(
                "competent_agency",
                "Cần chọn cơ quan có thẩm quyền giải quyết",
                "choose the competent agency",
            ))
        }
    };
    Ok((receiving, competent))
}

/// Checks where the dossier is received against the province's lists (boundary-free, online) and returns the
/// receiving province. Within a province any center receives boundary-free procedures; otherwise a commune receives
/// its own and forwards provincial ones (the citizen never travels to the province).
async fn check_place(
    st: &AppState,
    (receiving, competent): (&AgencyRow, &AgencyRow),
    proc: &procedures::ProcedureFull,
    is_citizen: bool,
) -> AppResult<String> {
    let (rp, cp) = (
        province_of(st, receiving).await?,
        province_of(st, competent).await?,
    );
    if rp != cp {
        return Err(AppError::field(
            "competent_agency",
            "Cơ quan có thẩm quyền phải cùng tỉnh với nơi tiếp nhận",
            "the competent agency must be in the receiving province",
        ));
    }
    // The province's own lists decide (over the national flags).
    let flags = procedures::get_in(&st.db, &proc.row.code, &rp).await?;
    let boundary_free = flags.as_ref().is_some_and(|p| p.row.boundary_free);
    if is_citizen && flags.as_ref().is_none_or(|p| p.row.online_level == "none") {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "this procedure is not offered online in this province",
        ));
    }
    if competent.tier == Tier::Commune
        && receiving.unit_code != competent.unit_code
        && !boundary_free
    {
        return Err(AppError::field(
            "competent_agency",
            "Thủ tục này không được tiếp nhận phi địa giới: nộp tại xã, phường có thẩm quyền",
            "this procedure is not boundary-free: submit it at the competent commune",
        ));
    }
    Ok(rp)
}

/// Inserts a prepared dossier in a transaction: its code, first workflow step, agencies, event and audit record.
pub async fn insert_prepared(
    st: &AppState,
    tx: &mut crate::store::Tx,
    actor: &Actor,
    p: &mut Prepared,
    request_id: &str,
) -> AppResult<(DossierId, String)> {
    let now = p.new.submitted_at;
    let local = now.to_offset(VN);
    let day = format!(
        "{:02}{:02}{:02}",
        local.year().rem_euclid(100),
        u8::from(local.month()),
        local.day()
    );
    let serial = dossiers::next_serial(tx, &p.receiving.identifier, &day).await?;
    let code = DossierCode::new(
        &p.receiving.identifier,
        local.date(),
        u32::try_from(serial).unwrap_or(u32::MAX),
    )?;
    p.new.code = code.to_string();
    let id = dossiers::insert(tx, &p.new, now).await?;
    let (receiving, competent, status, is_citizen) =
        (p.receiving.id, p.competent.id, p.status, p.is_citizen);
    if let Some(w) = &p.pinned {
        crate::service::dossier::process::start_first(
            st,
            tx,
            id,
            &w.workflow,
            (receiving, competent),
            actor,
            (now, p.new.due_at),
        )
        .await?;
        let change = dossiers::Change {
            status: status.code(),
            current_step: Some(0),
            legal_due_at: p.new.due_at,
            workflow_id: Some(w.id),
            ..dossiers::Change::default()
        };
        dossiers::update(tx, id, 1, &change, now).await?;
    }
    dossiers::add_agency(tx, id, receiving, "receiving", now).await?;
    dossiers::add_agency(tx, id, competent, "competent", now).await?;
    let note = if is_citizen {
        "Nộp hồ sơ trực tuyến"
    } else {
        "Tiếp nhận hồ sơ"
    };
    let event = dossiers::NewEvent {
        dossier_id: id,
        at: now,
        actor: Some(actor.user_id),
        action: if is_citizen { "submit" } else { "receive" },
        from: None,
        to: status.code(),
        note,
    };
    dossiers::add_event(tx, &event).await?;
    audit::write_tx(
        tx,
        &audit_entry(
            actor,
            "create_dossier",
            code.as_str(),
            Some(id),
            "tiếp nhận hồ sơ",
            request_id,
            now,
        ),
    )
    .await?;
    Ok((id, code.to_string()))
}

/// Creates a dossier: at a counter (status 2, the clock starts now) or online by a citizen (status 1).
pub async fn create(
    st: &AppState,
    actor: &Actor,
    input: CreateDossier,
    request_id: &str,
) -> AppResult<DossierView> {
    create_with_reuse(st, actor, input, &[], request_id).await
}

/// Counter intake that also reuses the applicant's digitized documents (once-only): the dossier, its reused
/// documents and every audit row commit in one transaction; a document that is not the same applicant's refuses the
/// whole intake, so nothing half-done is left.
pub async fn create_with_reuse(
    st: &AppState,
    actor: &Actor,
    input: CreateDossier,
    reuse: &[i64],
    request_id: &str,
) -> AppResult<DossierView> {
    let mut p = prepare(st, actor, &input).await?;
    let ticket = qcounter::for_intake(st, input.ticket, (p.is_citizen, p.receiving.id)).await?;
    let sources = crate::service::dossier::documents::reusable_for(
        st,
        actor,
        &p.new.applicant_id_hash,
        reuse,
    )
    .await?;
    let mut tx = st.db.begin().await?;
    let (id, code) = insert_prepared(st, &mut tx, actor, &mut p, request_id).await?;
    crate::service::dossier::documents::attach_reused(
        &mut tx,
        actor,
        (id, &code, &p.new.applicant_id_hash),
        &sources,
        st.clock.now(),
        request_id,
    )
    .await?;
    if let Some(t) = &ticket {
        qcounter::attach_dossier(st, &mut tx, t, id).await?;
    }
    tx.commit().await?;
    if let Some(t) = &ticket {
        crate::service::queue::announce(st, t.agency_id);
    }
    st.metrics.dossier_created();
    let row = dossiers::get(&st.db, &actor.scope, &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    Ok(view(st, actor, &row, true))
}

/// A page of dossiers.
#[derive(Debug, Serialize)]
pub struct DossierPage {
    pub total: i64,
    pub items: Vec<DossierView>,
}

/// Lists dossiers within scope, recording the access.
pub async fn list(
    st: &AppState,
    actor: &Actor,
    f: DossierFilter,
    request_id: &str,
) -> AppResult<DossierPage> {
    list_on(st, &st.db, actor, f, request_id).await
}

/// [`list`] read from `db`: the reports' drill-down lists read the replica ([`AppState::reader`]); work lists read
/// the primary, so an officer sees the change just made.
pub async fn list_on(
    st: &AppState,
    db: &crate::store::Db,
    actor: &Actor,
    f: DossierFilter,
    request_id: &str,
) -> AppResult<DossierPage> {
    let (total, rows) = dossiers::list(db, &actor.scope, &f).await?;
    let by_id = matches!(f.find, Some(dossiers::Find::IdHash(_)));
    // A search by ID number is logged as such (which dossiers it returned, never the number).
    let key = format!(
        "status={:?} procedure={:?} find={} returned={}",
        f.status,
        f.procedure,
        match &f.find {
            Some(dossiers::Find::IdHash(_)) => "id_number".to_owned(),
            Some(dossiers::Find::Code(c)) => format!("code:{c}"),
            Some(dossiers::Find::Name(_)) => "name".to_owned(),
            None => "-".to_owned(),
        },
        rows.iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    st.access
        .append(&audit_entry(
            actor,
            if by_id {
                "search_dossiers_by_id_number"
            } else {
                "list_dossiers"
            },
            &key,
            None,
            if by_id {
                "tra cứu hồ sơ theo số định danh"
            } else {
                "danh sách hồ sơ"
            },
            request_id,
            st.clock.now(),
        ))
        .await?;
    Ok(DossierPage {
        total,
        items: rows.iter().map(|r| view(st, actor, r, false)).collect(),
    })
}

/// What an officer typed in the dossier search, read as a dossier code (digits and dashes), an ID number (9 or 12
/// digits, looked up by its keyed hash) or words of the applicant's name. Empty: no search.
pub fn find_of(st: &AppState, q: &str) -> AppResult<Option<dossiers::Find>> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(None);
    }
    if q.chars().count() > 100 {
        return Err(AppError::field(
            "q",
            "Nhập tối đa 100 ký tự",
            "at most 100 characters",
        ));
    }
    let digits = q.chars().all(|c| c.is_ascii_digit());
    if digits && (q.len() == 12 || q.len() == 9) {
        return Ok(Some(dossiers::Find::IdHash(st.id_key.id_hash(q))));
    }
    if q.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Ok(Some(dossiers::Find::Code(q.to_owned())));
    }
    let words: Vec<String> = motcua_domain::text::search_key(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    Ok((!words.is_empty()).then_some(dossiers::Find::Name(words)))
}

/// A copy of a field refusal (an applicant error is reported with the papers' and returned again after).
fn clone_refusal(e: &AppError) -> AppError {
    match e {
        AppError::Invalid(m) => AppError::Invalid(m.clone()),
        AppError::Coded { code, detail } => AppError::with(*code, detail.clone()),
        AppError::Internal(err) => AppError::Internal(anyhow::anyhow!("{err:#}")),
    }
}
