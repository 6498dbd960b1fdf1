//! A procedure's public page: what to bring first (the checklist read from the record: papers, cases, notes
//! apart), then the time limits and fees by channel, the steps as the source lists them, the legal basis.

use super::{levels, online};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::AppPath;
use crate::http::web::page::PageResult;
use crate::http::web::Ctx;
use crate::state::AppState;
use crate::store::procedures;
use askama::Template;
use axum::extract::State;
use motcua_domain::catalog::{Channel, Detail, DocumentDuty};
use motcua_domain::checklist::{Checklist, Need, Paper, Source};

/// `/thu-tuc/{code}`: everything a citizen needs before going: documents, fees, time, where, online or not.
pub async fn procedure(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    let code = match path {
        Ok(AppPath(c)) => c,
        Err(e) => return Err(e.into()),
    };
    let p = match procedures::get(st.reader(), &code).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(AppError::code(ErrorCode::ProcedureNotFound).into()),
        Err(e) => return Err(e.into()),
    };
    let d: Option<Detail> = p
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let r = &p.row;
    // A province may offer it online on its own list even where the national level is "none".
    let offered_online = procedures::online_somewhere(st.reader(), &r.code).await?;
    let where_ = if r.boundary_free {
        ctx.t(
            "Bất kỳ Trung tâm Phục vụ hành chính công nào trong tỉnh (thủ tục không phụ thuộc địa giới hành chính).",
            "Any public administrative service center in the province (boundary-free procedure).",
        )
    } else if r.level_commune {
        ctx.t(
            "Trung tâm Phục vụ hành chính công cấp xã nơi có thẩm quyền, hoặc nộp trực tuyến.",
            "The commune's public administrative service center, or online.",
        )
    } else {
        ctx.t(
            "Trung tâm Phục vụ hành chính công cấp xã bất kỳ (hồ sơ được chuyển lên tỉnh) hoặc Trung tâm cấp tỉnh, hoặc nộp trực tuyến.",
            "Any commune service center (the dossier is forwarded to the province), the provincial center, or online.",
        )
    };
    // Each province issues its own lists: say where they differ from the national catalog.
    let own = procedures::province_overrides(st.reader(), &r.code)
        .await?
        .into_iter()
        .map(|(name, level, bf)| {
            let mut parts: Vec<&str> = Vec::new();
            if let Some(l) = &level {
                parts.push(online(&ctx, l));
            }
            match bf {
                Some(true) => parts.push(ctx.t("phi địa giới", "boundary-free")),
                Some(false) => parts.push(ctx.t("theo địa giới", "within its commune")),
                None => {}
            }
            (name, parts.join(", "))
        })
        .collect();
    let channels = d.as_ref().map_or_else(Vec::new, |d| {
        d.channels
            .iter()
            .map(|c| {
                let en = ctx.lang == crate::http::web::Lang::En;
                (
                    ctx.t(c.channel.vi(), c.channel.en()).to_owned(),
                    motcua_domain::labels::time(c.time.as_ref(), en),
                    motcua_domain::labels::fee(&c.fee, en),
                )
            })
            .collect()
    });
    let groups = d.as_ref().map_or_else(Vec::new, |d| {
        d.documents
            .iter()
            .map(|g| {
                let folded = motcua_domain::text::search_key(&g.title);
                DocGroup {
                    duty: match g.duty {
                        DocumentDuty::Submit => ctx.t("Giấy tờ phải nộp", "To submit"),
                        DocumentDuty::Show => ctx.t("Giấy tờ phải xuất trình", "To show"),
                    },
                    title: if folded.is_empty() || folded.starts_with("giay to phai") {
                        ""
                    } else {
                        &g.title
                    },
                    items: &g.items,
                }
            })
            .collect()
    });
    // What to bring: the checklist read from the record (the same one the counter ticks), national, in person.
    let check = match d.as_ref() {
        Some(_) => Some(
            crate::service::dossier::rules::checklist_on(
                st.reader(),
                &r.code,
                p.detail.as_deref(),
                Channel::InPerson,
                "",
            )
            .await?,
        ),
        None => None,
    };
    let steps = d.as_ref().map(|d| step_items(&d.steps)).unwrap_or_default();
    let page = ProcedurePage {
        ctx: &ctx,
        check,
        steps,
        r,
        d: d.as_ref(),
        levels: levels(&ctx, r),
        online_label: online(&ctx, &r.online_level),
        where_,
        own,
        offered_online,
        partly: if r.online_level == "partial" {
            ctx.t(
                " Thủ tục trực tuyến một phần: có bước (như nộp bản gốc, nhận kết quả) thực hiện trực tiếp.",
                " Partly online: some steps (such as showing originals or collecting the result) are done in person.",
            )
        } else {
            ""
        },
        channels,
        groups,
        // Where the record comes from, in words (the import file's name is not for the public).
        source: if p.source.ends_with(".json") || p.source.ends_with(".csv") {
            ctx.t(
                "Cơ sở dữ liệu quốc gia về thủ tục hành chính (bản thu thập)",
                "National database of administrative procedures (collected copy)",
            )
        } else {
            &p.source
        },
    };
    Ok(ctx.page(&r.name, &page.render().map_err(anyhow::Error::from)?))
}

/// One group of the procedure's documents, as shown.
struct DocGroup<'a> {
    duty: &'a str,
    title: &'a str,
    items: &'a [motcua_domain::catalog::DocumentItem],
}

#[derive(askama::Template)]
#[template(path = "public/procedure.html")]
struct ProcedurePage<'a> {
    ctx: &'a Ctx,
    check: Option<Checklist>,
    /// The steps as the source lists them: an item per bullet, with its following paragraphs.
    steps: Vec<Vec<String>>,
    r: &'a procedures::ProcedureRow,
    d: Option<&'a Detail>,
    levels: String,
    online_label: &'a str,
    where_: &'a str,
    own: Vec<(String, String)>,
    offered_online: bool,
    partly: &'a str,
    channels: Vec<(String, String, String)>,
    groups: Vec<DocGroup<'a>>,
    source: &'a str,
}

/// Groups the record's step lines as the source lists them: a line starting with a bullet ("-", "+", "Bước 2",
/// "(ii)", "a)") opens an item; a line starting in lowercase continues the sentence before it; any other line is a
/// paragraph of the item.
fn step_items(lines: &[String]) -> Vec<Vec<String>> {
    let bullet = |l: &str| {
        let l = l.trim_start();
        l.starts_with(['-', '+', '•', '*'])
            || l.to_lowercase().starts_with("bước")
            || l.starts_with('(')
            || l.chars().next().is_some_and(|c| c.is_ascii_digit())
            || (l.len() > 2 && l.as_bytes()[1] == b')' && l.as_bytes()[0].is_ascii_lowercase())
    };
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let lower = line.chars().next().is_some_and(char::is_lowercase);
        match out.last_mut() {
            Some(item) if lower && !bullet(line) => {
                if let Some(last) = item.last_mut() {
                    last.push(' ');
                    last.push_str(line);
                }
            }
            Some(item) if !bullet(line) => item.push(line.to_owned()),
            _ => out.push(vec![line.to_owned()]),
        }
    }
    out
}

impl ProcedurePage<'_> {
    /// "1 bản chính, 1 bản sao" as the page says it.
    fn quantity(&self, p: &Paper) -> String {
        let mut v = Vec::new();
        if p.originals > 0 {
            v.push(format!(
                "{} {}",
                p.originals,
                self.ctx.t("bản chính", "original")
            ));
        }
        if p.copies > 0 {
            v.push(format!("{} {}", p.copies, self.ctx.t("bản sao", "copy")));
        }
        v.join(", ")
    }

    /// Whether a paper is needed in every case (not only in the situation its text states).
    fn required(&self, p: &Paper) -> bool {
        p.need == Need::Required
    }

    /// Whether some of the papers are needed only in a stated situation.
    fn any_optional(&self, papers: &[Paper]) -> bool {
        papers.iter().any(|p| p.need != Need::Required)
    }

    /// Whether the record's table could not be read item by item.
    fn unreadable(&self, c: &Checklist) -> bool {
        c.source == Source::Unreadable
    }
}
