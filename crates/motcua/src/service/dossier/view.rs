//! How a dossier is shown: its view with status, time left, step, roles and allowed actions; the detailed read
//! (events, control sheet, documents, bundle, notices) that records the access; documents as shown.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::dossier::rules::{audit_entry, subject, who};
use crate::state::AppState;
use crate::store::documents::{self, DocumentRow};
use crate::store::dossiers;
use crate::store::dossiers::DossierRow;
use motcua_domain::calendar::{format_vi, WorkingDuration, VN};
use motcua_domain::codes::DossierCode;
use motcua_domain::ids::DossierId;
use motcua_domain::status::{Action, Status};
use motcua_domain::workflow::LimitSource;
use serde::Serialize;
use time::OffsetDateTime;

/// Status with its names.
#[derive(Debug, Clone, Serialize)]
pub struct StatusView {
    pub code: i16,
    pub key: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
}

impl From<Status> for StatusView {
    fn from(s: Status) -> Self {
        StatusView {
            code: s.code(),
            key: s.as_str(),
            vi: s.vi(),
            en: s.en(),
        }
    }
}

/// Time left or overdue.
#[derive(Debug, Clone, Serialize)]
pub struct Remaining {
    pub minutes: i64,
    pub vi: String,
    pub en: String,
}

/// An event of the trail, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub at_vi: String,
    pub actor: Option<String>,
    pub action: String,
    pub from_status: Option<i16>,
    pub to_status: i16,
    pub note: String,
}

/// A dossier as the API shows it. The ID number is always masked here.
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    pub code: String,
    pub procedure: serde_json::Value,
    pub channel: String,
    pub status: StatusView,
    pub applicant: serde_json::Value,
    pub receiving_agency: serde_json::Value,
    pub competent_agency: serde_json::Value,
    pub summary: String,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub received_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub due_at: Option<OffsetDateTime>,
    pub due_vi: Option<String>,
    pub remaining: Option<Remaining>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    pub is_demo: bool,
    /// The due date as the law counts it: moved by clock stops, not by an apology's new date.
    #[serde(with = "time::serde::rfc3339::option")]
    pub legal_due_at: Option<OffsetDateTime>,
    /// A new date was given with an apology (form 04); `due_at` is that date.
    pub extended: bool,
    /// Where the time limit comes from: `catalog` (the published procedure) or `workflow` (the issued internal workflow, when
    /// the published record states none or the case has its own). `None` until received.
    pub limit_source: Option<LimitSource>,
    /// Once completed: finished on or before the legal due date (compared by date, as the national index does).
    pub on_time: Option<bool>,
    pub current_step: Option<serde_json::Value>,
    pub result: Option<serde_json::Value>,
    /// The case (trường hợp) key, when not the default.
    pub case: Option<String>,
    /// The caller's unit's part in this dossier ("receiving", "competent"): one application, seen by both.
    pub your_roles: Vec<&'static str>,
    pub allowed_actions: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventView>>,
    /// The control sheet (form 06): each step, who, when, its deadline, on time or late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<serde_json::Value>>,
    /// Documents with their digitisation state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<DocumentView>>,
    /// A bundle's children (liên thông), with their progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<serde_json::Value>>,
    /// The bundle this dossier belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Notices sent (form 02 supplement, 03 refusal, 04 apology, 05 stop, payment requests).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notices: Option<Vec<serde_json::Value>>,
    /// The open supplement request: its reason and each paper asked for, sent or still missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplement: Option<serde_json::Value>,
}

impl DossierView {
    /// The channel it came by.
    pub fn channel_kind(&self) -> Option<motcua_domain::catalog::Channel> {
        motcua_domain::catalog::Channel::parse(&self.channel)
    }

    /// A field of the applicant as entered (phone, address), or `—`.
    pub fn applicant_text(&self, key: &str) -> &str {
        self.applicant[key]
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or("—")
    }

    /// The limit's source when it is not the published record (shown beside the due date).
    pub fn noted_limit(&self) -> Option<LimitSource> {
        self.limit_source.filter(|s| *s != LimitSource::Catalog)
    }
}

/// A time as Vietnamese pages show it (dd/mm/yyyy hh:mm, Vietnam time).
pub fn vi_time(t: &OffsetDateTime) -> String {
    format_vi(*t)
}

pub(crate) fn vn(t: OffsetDateTime) -> OffsetDateTime {
    t.to_offset(VN)
}

/// RFC 3339 in Vietnam time, for hand-built JSON.
pub(crate) fn rfc(t: OffsetDateTime) -> String {
    vn(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(crate) fn view(st: &AppState, actor: &Actor, d: &DossierRow, detailed: bool) -> DossierView {
    let status = d.status;
    let now = st.clock.now();
    let remaining = match (
        d.due_at,
        status.is_terminal() || matches!(status, Status::Completed),
    ) {
        (Some(due), false) => {
            let w = WorkingDuration {
                minutes: st.calendar().working_minutes_between(now, due),
            };
            Some(Remaining {
                minutes: w.minutes,
                vi: w.vi(),
                en: w.en(),
            })
        }
        _ => None,
    };
    let mut applicant = serde_json::json!({
        "kind": d.applicant_kind, "name": d.applicant_name, "id_number": d.applicant_id_masked,
    });
    if detailed {
        applicant["phone"] = serde_json::json!(d.applicant_phone);
        applicant["address"] = serde_json::json!(d.applicant_address);
    }
    DossierView {
        code: d.code.clone(),
        procedure: serde_json::json!({ "code": d.procedure_code, "name": d.procedure_name }),
        channel: d.channel.as_str().to_owned(),
        status: status.into(),
        applicant,
        receiving_agency: serde_json::json!({ "id": d.receiving_agency_id, "name": d.receiving_agency, "unit_code": d.receiving_unit_code }),
        competent_agency: serde_json::json!({ "id": d.competent_agency_id, "name": d.competent_agency }),
        summary: d.summary.clone(),
        submitted_at: vn(d.submitted_at),
        received_at: d.received_at.map(vn),
        due_at: d.due_at.map(vn),
        due_vi: d.due_at.map(format_vi),
        remaining,
        completed_at: d.completed_at.map(vn),
        is_demo: d.is_demo,
        legal_due_at: d.legal_due_at.map(vn),
        extended: matches!((d.due_at, d.legal_due_at), (Some(a), Some(b)) if a != b),
        limit_source: d.limit_source.0,
        on_time: match (d.completed_at, d.legal_due_at) {
            (Some(c), Some(l)) => Some(vn(c).date() <= vn(l).date()),
            _ => None,
        },
        current_step: d.step_index.map(|i| {
            serde_json::json!({
                "index": i, "name": d.step_name, "role": d.step_role, "kind": d.step_kind,
                "agency_id": d.step_agency_id, "assignee_user_id": d.step_assignee,
                "due_at": d.step_due_at.map(rfc), "due_vi": d.step_due_at.map(format_vi),
                "late": d.step_due_at.is_some_and(|t| t < now),
            })
        }),
        result: d
            .result_method
            .as_ref()
            .map(|m| serde_json::json!({ "method": m, "receiver_name": d.result_receiver })),
        case: d.case_key.clone(),
        your_roles: match &actor.agency {
            Some(a) => {
                let mut r = Vec::new();
                if a.id == d.receiving_agency_id || a.unit_code == d.receiving_unit_code {
                    r.push("receiving");
                }
                if a.id == d.competent_agency_id {
                    r.push("competent");
                }
                r
            }
            None => Vec::new(),
        },
        allowed_actions: motcua_domain::workflow::allowed(&subject(d), who(actor))
            .into_iter()
            .map(Action::as_str)
            .collect(),
        events: None,
        steps: None,
        notices: None,
        supplement: None,
        children: None,
        parent: None,
        documents: None,
    }
}

/// Reads one dossier within scope (404 outside it), recording the access.
pub async fn get(
    st: &AppState,
    actor: &Actor,
    code: &str,
    purpose: &str,
    request_id: &str,
) -> AppResult<DossierView> {
    let code = DossierCode::parse(code).map_err(|_| AppError::code(ErrorCode::DossierNotFound))?;
    let row = dossiers::get(&st.db, &actor.scope, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    st.access
        .append(&audit_entry(
            actor,
            "read_dossier",
            code.as_str(),
            Some(row.id),
            purpose,
            request_id,
            st.clock.now(),
        ))
        .await?;
    let mut v = view(st, actor, &row, true);
    let events = dossiers::events(&st.db, row.id).await?;
    v.events = Some(
        events
            .into_iter()
            .map(|e| EventView {
                at: vn(e.at),
                at_vi: format_vi(e.at),
                actor: e.actor,
                action: e.action,
                from_status: e.from_status,
                to_status: e.to_status.code(),
                note: e.note,
            })
            .collect(),
    );
    let trail = crate::store::steps::of_dossier(&st.db, row.id).await?;
    v.steps = Some(
        trail
            .iter()
            .map(|s| {
                serde_json::json!({
                    "seq": s.seq, "index": s.step_index, "name": s.name, "role": s.role, "kind": s.kind,
                    "agency": s.agency, "assignee": s.assignee,
                    "started_at": rfc(s.started_at), "due_at": rfc(s.due_at), "due_vi": format_vi(s.due_at),
                    "finished_at": s.finished_at.map(rfc), "finished_by": s.finished_by, "outcome": s.outcome,
                    "on_time": s.finished_at.map(|f| f <= s.due_at),
                    "budget_minutes": s.budget_minutes, "note": s.note,
                })
            })
            .collect(),
    );
    v.documents = Some(list_documents(st, row.id).await?);
    let kids = dossiers::children(&st.db, row.id).await?;
    if !kids.is_empty() {
        v.children = Some(
            kids.iter()
                .map(|c| {
                    let s = c.status;
                    serde_json::json!({
                        "code": c.code, "procedure": {"code": c.procedure_code, "name": c.procedure_name},
                        "competent_agency": c.competent_agency, "status": StatusView::from(s),
                        "due_at": c.due_at.map(rfc), "due_vi": c.due_at.map(format_vi), "completed_at": c.completed_at.map(rfc),
                    })
                })
                .collect(),
        );
    }
    if let Some(p) = row.parent_id {
        v.parent = crate::on_db!(&st.db, |pool| sqlx::query_scalar(
            "select code from dossiers where id = $1"
        )
        .bind(p)
        .fetch_optional(pool)
        .await)?;
    }
    v.supplement = open_request(st, &row).await?.map(|r| {
        serde_json::json!({
            "reason": r.reason, "at": rfc(r.at),
            "papers": r.papers.iter().map(|(name, sent)| serde_json::json!({"name": name, "sent": sent})).collect::<Vec<_>>(),
        })
    });
    let notices = crate::store::steps::notices(&st.db, row.id).await?;
    v.notices = Some(
        notices
            .iter()
            .map(|n| {
                serde_json::json!({
                    "form": n.form, "at": rfc(n.at), "at_vi": format_vi(n.at), "actor": n.actor,
                    "reason": n.reason,
                    "items": serde_json::from_str::<serde_json::Value>(&n.items).unwrap_or_default(),
                    "new_due_at": n.new_due_at.map(rfc), "amount": n.amount,
                })
            })
            .collect(),
    );
    Ok(v)
}

/// A document as shown.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub id: i64,
    pub component: String,
    pub is_result: bool,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    /// 0 not digitised, 1 digitised, 2 reused from another dossier's component, 3 reused from a result.
    pub state: i16,
    pub state_vi: &'static str,
    pub source: String,
    pub dossier_code: String,
}

/// The Vietnamese name of a digitisation state.
pub fn state_vi(s: i16) -> &'static str {
    match s {
        0 => "Chưa số hóa",
        1 => "Đã số hóa",
        2 => "Tái sử dụng thành phần hồ sơ",
        3 => "Tái sử dụng kết quả giải quyết",
        _ => "Không xác định",
    }
}

impl From<DocumentRow> for DocumentView {
    fn from(d: DocumentRow) -> Self {
        DocumentView {
            id: d.id,
            component: d.component,
            is_result: d.is_result,
            file_name: d.file_name,
            content_type: d.content_type,
            size: d.size,
            sha256: d.sha256,
            state: d.state,
            state_vi: state_vi(d.state),
            source: d.source,
            dossier_code: d.dossier_code,
        }
    }
}

/// The documents of a dossier within scope.
pub async fn list_documents(st: &AppState, dossier_id: DossierId) -> AppResult<Vec<DocumentView>> {
    Ok(documents::of_dossier(&st.db, dossier_id)
        .await?
        .into_iter()
        .map(DocumentView::from)
        .collect())
}

/// The open request: why, when, and each paper with whether it has been sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub reason: String,
    pub at: OffsetDateTime,
    pub papers: Vec<(String, bool)>,
}

impl Request {
    /// The papers still to send.
    pub fn missing(&self) -> Vec<String> {
        self.papers
            .iter()
            .filter(|(_, sent)| !sent)
            .map(|(p, _)| p.clone())
            .collect()
    }
}

/// The dossier's open supplement request (its latest, while the dossier waits for one), with what was sent since.
pub async fn open_request(st: &AppState, d: &DossierRow) -> AppResult<Option<Request>> {
    if d.status != Status::AwaitingSupplement {
        return Ok(None);
    }
    let notices = crate::store::steps::notices(&st.db, d.id).await?;
    let Some(n) = notices.iter().rev().find(|n| n.form == "02") else {
        return Ok(None);
    };
    let asked: Vec<String> = serde_json::from_str(&n.items).map_err(|e| {
        AppError::from(anyhow::anyhow!(
            "unreadable supplement items of {}: {e}",
            d.code
        ))
    })?;
    let docs = documents::of_dossier(&st.db, d.id).await?;
    let sent: Vec<&str> = docs
        .iter()
        .filter(|x| !x.is_result && x.uploaded_at >= n.at)
        .map(|x| x.component.as_str())
        .collect();
    let papers = motcua_domain::supplement::progress(&asked, &sent)
        .into_iter()
        .map(|(p, s)| (p.to_owned(), s))
        .collect();
    Ok(Some(Request {
        reason: n.reason.clone(),
        at: n.at,
        papers,
    }))
}
