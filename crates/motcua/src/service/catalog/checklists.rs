//! A province's correction of a procedure's document checklist (add the declaration the record omits, move a paper
//! into a case, mark one as needed only if it applies): versioned, audited, and winning over the parse.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::account::session::Actor;
use crate::service::catalog::workflows::editing_province;
use crate::service::dossier::rules;
use crate::state::AppState;
use crate::store::{audit, checklists, procedures};
use motcua_domain::catalog::Channel;
use motcua_domain::checklist::{Checklist, Correction};
use motcua_domain::codes::ProcedureCode;
use serde::Deserialize;

/// A correction as an administrator sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// One line a paper: `+` required, `?` only if it applies, `>` shown, `# case title`, `! note`.
    pub text: String,
    #[serde(default)]
    pub note: String,
}

/// The checklist an administrator edits: the one in force for their province (national for the system
/// administrator), written as correction text, with the version in force (`None`: the record's parse).
pub async fn current(
    st: &AppState,
    actor: &Actor,
    code: &str,
) -> AppResult<(Checklist, Correction, Option<i32>)> {
    let province = editing_province(actor)?;
    let code = ProcedureCode::parse(code)?;
    let p = procedures::get(&st.db, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let list = rules::checklist(
        st,
        &p.row.code,
        p.detail.as_deref(),
        Channel::InPerson,
        &province,
    )
    .await?;
    let version = checklists::current(&st.db, &p.row.code, &province)
        .await?
        .map(|c| c.version);
    let text = Correction::of(&list);
    Ok((list, text, version))
}

/// Saves a new version of the province's checklist for a procedure, with its audit row, in one transaction.
pub async fn correct(
    st: &AppState,
    actor: &Actor,
    code: &str,
    input: &CorrectionInput,
    request_id: &str,
) -> AppResult<(Checklist, i32)> {
    let province = editing_province(actor)?;
    let code = ProcedureCode::parse(code)?;
    procedures::get(&st.db, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    if input.text.len() > 200_000 || input.note.chars().count() > 500 {
        return Err(AppError::field(
            "text",
            "Danh sách tối đa 200.000 ký tự, ghi chú tối đa 500 ký tự",
            "the list is at most 200,000 characters and the note 500",
        ));
    }
    let list = Correction {
        text: input.text.clone(),
    }
    .checklist()
    .map_err(|e| AppError::field("text", e.vi, e.en))?;
    if list.all().next().is_none() {
        return Err(AppError::field(
            "text",
            "Danh sách cần ít nhất một giấy tờ (dòng bắt đầu bằng +, ? hoặc >)",
            "the list needs at least one paper (a line starting with +, ? or >)",
        ));
    }
    let now = st.clock.now();
    let mut tx = st.db.begin().await?;
    let version = checklists::add(
        &mut tx,
        (code.as_str(), &province),
        input.text.trim(),
        input.note.trim(),
        actor.user_id,
        now,
    )
    .await
    .map_err(crate::error::conflict_or_db)?;
    let key = if province.is_empty() {
        format!("{code} v{version}")
    } else {
        format!("{code} v{version} tỉnh {province}")
    };
    audit::write_tx(
        &mut tx,
        &actor.audit(
            ("correct_checklist", "checklist", key),
            "điều chỉnh danh sách giấy tờ",
            request_id,
            now,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((list, version))
}

/// One record of the checklist report: how its document table was read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportLine {
    pub code: String,
    pub source: motcua_domain::checklist::Source,
    pub recognised: motcua_domain::checklist::Recognised,
    /// The record has its published detail (a catalogue-only record has no document table to read).
    pub has_detail: bool,
}

/// How every record's document table reads for counter intake in a province (`""`: national): the province's
/// correction where it made one, otherwise the parse.
pub async fn report(db: &crate::store::Db, province: &str) -> AppResult<Vec<ReportLine>> {
    let mut out = Vec::new();
    for (code, detail) in procedures::all_details(db).await? {
        let has_detail = detail.is_some();
        let line = match checklists::current(db, &code, province).await? {
            Some(c) => {
                let list = Correction { text: c.body }
                    .checklist()
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("{code}: {}", e.en)))?;
                let mut r = motcua_domain::checklist::Recognised::default();
                for p in list.all() {
                    match p.need {
                        motcua_domain::checklist::Need::Required => r.required += 1,
                        motcua_domain::checklist::Need::IfApplicable => r.if_applicable += 1,
                    }
                }
                r.cases = list.cases.len();
                r.notes = list.notes.len();
                ReportLine {
                    code,
                    source: list.source,
                    recognised: r,
                    has_detail,
                }
            }
            None => {
                let parsed = detail
                    .as_deref()
                    .and_then(|d| serde_json::from_str::<motcua_domain::catalog::Detail>(d).ok());
                match parsed {
                    Some(d) => {
                        let (list, r) = Checklist::parse(&d, Channel::InPerson);
                        ReportLine {
                            code,
                            source: list.source,
                            recognised: r,
                            has_detail,
                        }
                    }
                    None => ReportLine {
                        code,
                        source: motcua_domain::checklist::Source::Unreadable,
                        recognised: motcua_domain::checklist::Recognised::default(),
                        has_detail,
                    },
                }
            }
        };
        out.push(line);
    }
    Ok(out)
}
