//! The document checklist as an officer ticks it (counter intake, accepting an online dossier): papers of every
//! case, the cases to choose from with their papers, the notes apart, and the raw list when the record could not be
//! read.

use crate::http::web::Ctx;
use motcua_domain::checklist::{Checklist, Need, Paper, Source};

/// One line of the checklist: a case heading (with its radio button) or a paper (with its checkbox).
pub struct CheckRow {
    /// A case heading: its key and title.
    pub case: Option<(String, String)>,
    /// Whether the paper belongs to a case (indented under it).
    pub in_case: bool,
    pub number: u32,
    pub name: String,
    pub instead: Option<String>,
    pub shown: bool,
    pub optional: bool,
    pub quantity: String,
    pub ticked: bool,
    /// The first paper of its group needed only in a situation: a heading goes before it.
    pub first_optional: bool,
}

/// The checklist, ready for a template (`officer/checklist.html`).
pub struct CheckView {
    pub rows: Vec<CheckRow>,
    pub notes: Vec<String>,
    pub has_cases: bool,
    /// The case chosen (kept on errors).
    pub chosen: String,
    /// The record's own text, when it could not be read into papers (nothing is forced then).
    pub raw: Option<String>,
    /// A line on where the list comes from (the province's correction), or empty.
    pub source: &'static str,
}

fn row(ctx: &Ctx, p: &Paper, in_case: bool, ticked: &[u32]) -> CheckRow {
    let mut q = Vec::new();
    if p.originals > 0 {
        q.push(format!(
            "{} {}",
            p.originals,
            ctx.t("bản chính", "original")
        ));
    }
    if p.copies > 0 {
        q.push(format!("{} {}", p.copies, ctx.t("bản sao", "copy")));
    }
    CheckRow {
        case: None,
        in_case,
        number: p.number,
        name: p.name.clone(),
        instead: p.instead.clone(),
        shown: p.shown,
        optional: p.need == Need::IfApplicable,
        quantity: q.join(", "),
        ticked: ticked.contains(&p.number),
        first_optional: false,
    }
}

/// Required papers first (what the applicant must bring), then those needed only in their situation.
fn ordered(ps: &[Paper]) -> Vec<&Paper> {
    let mut v: Vec<&Paper> = ps.iter().collect();
    v.sort_by_key(|p| p.need == Need::IfApplicable);
    v
}

impl CheckView {
    pub fn new(
        ctx: &Ctx,
        list: &Checklist,
        (chosen, ticked): (&str, &[u32]),
        raw: Option<String>,
    ) -> CheckView {
        let mut rows: Vec<CheckRow> = ordered(&list.papers)
            .into_iter()
            .map(|p| row(ctx, p, false, ticked))
            .collect();
        for c in &list.cases {
            rows.push(CheckRow {
                case: Some((c.key.clone(), c.title.clone())),
                in_case: false,
                number: 0,
                name: String::new(),
                instead: None,
                shown: false,
                optional: false,
                quantity: String::new(),
                ticked: false,
                first_optional: false,
            });
            rows.extend(
                ordered(&c.papers)
                    .into_iter()
                    .map(|p| row(ctx, p, true, ticked)),
            );
        }
        // A heading before the first paper of each group that is needed only in its situation.
        let mut seen = false;
        for r in &mut rows {
            if r.case.is_some() {
                seen = false;
            } else if r.optional && !seen {
                r.first_optional = true;
                seen = true;
            }
        }
        CheckView {
            rows,
            notes: list.notes.clone(),
            has_cases: !list.cases.is_empty(),
            chosen: chosen.to_owned(),
            raw: raw.filter(|_| list.source == Source::Unreadable),
            source: match list.source {
                Source::Corrected => ctx.t(
                    "Danh sách giấy tờ do tỉnh điều chỉnh.",
                    "Paper list as corrected by the province.",
                ),
                Source::NotesOnly => ctx.t(
                    "Thủ tục được công bố chỉ ghi lưu ý, không có giấy tờ để đánh dấu.",
                    "The published record lists notes only, no paper to tick.",
                ),
                _ => "",
            },
        }
    }
}

/// The raw document table of a procedure record, for when it could not be read.
pub fn raw_table(raw: Option<&str>) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(raw?).ok()?;
    v["thanh_phan_ho_so"]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}
