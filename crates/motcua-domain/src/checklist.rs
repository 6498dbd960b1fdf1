//! The intake checklist (kiểm tra thành phần hồ sơ) of a procedure, read from its flattened document table
//! (`../shared/DOMAIN.md` §4): papers required in every case, case groups (one case applies; its papers are then
//! required), papers needed only in a stated situation, alternatives (one of), and notes (shown, never ticked).
//!
//! The markers, as the published records write them: a quantity of 0 marks a note; an item that begins with
//! "Trường hợp …" or says "… trong trường hợp …" is needed only in that situation; "A; trường hợp không có A thì nộp
//! B" is an alternative; "(nếu … nộp hồ sơ theo hình thức trực tiếp …)" limits a paper to some channels; a group
//! titled "Lưu ý" holds notes; groups under their own headings (other than "Giấy tờ phải nộp / phải xuất trình")
//! are cases. A province may correct the result ([`Correction`]); the correction wins over the parse.

use crate::catalog::{Channel, Detail, DocumentDuty, DocumentGroup, DocumentItem};
use crate::text::search_key;
use serde::{Deserialize, Serialize};

/// When a paper is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Always (in its case, for a case's paper).
    Required,
    /// Only in the situation its text states (abandoned child, authorisation, …): the officer judges; never forced.
    IfApplicable,
}

/// A paper of the checklist, numbered for ticking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    /// 1-based, across the whole checklist (always-papers first, then each case's).
    pub number: u32,
    pub name: String,
    /// What may be given instead ("trường hợp không có … thì nộp …").
    #[serde(default)]
    pub instead: Option<String>,
    #[serde(default)]
    pub originals: u32,
    #[serde(default)]
    pub copies: u32,
    /// Shown (xuất trình) and handed back, not kept in the dossier.
    #[serde(default)]
    pub shown: bool,
    pub need: Need,
}

/// One case of a procedure (trường hợp) with its own papers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseGroup {
    /// A stable key from the title (folded), unique within the checklist.
    pub key: String,
    pub title: String,
    pub papers: Vec<Paper>,
}

/// How the checklist was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Read from the published record, with papers recognised.
    Parsed,
    /// The record's table holds only notes: nothing to tick until the province adds the papers.
    NotesOnly,
    /// The record has no readable table: the raw text is shown and nothing is forced.
    Unreadable,
    /// The province's correction.
    Corrected,
}

/// The checklist of a procedure for one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// Papers of every case.
    pub papers: Vec<Paper>,
    /// Cases: when there are any, exactly one applies.
    pub cases: Vec<CaseGroup>,
    pub notes: Vec<String>,
    pub source: Source,
}

/// What a record's parse recognised, for the import report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Recognised {
    pub required: usize,
    pub if_applicable: usize,
    pub alternatives: usize,
    pub cases: usize,
    pub notes: usize,
}

/// Why a ticked checklist is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The procedure has cases and none was chosen.
    NoCase,
    /// A case the checklist does not have.
    NoSuchCase(String),
    /// A ticked number the checklist does not have (or one of another case).
    NoSuchNumber { number: u32, count: usize },
    /// Required papers not ticked, by name (the numbers are the form's, not the reader's).
    Missing(Vec<String>),
}

enum Kind {
    Note,
    Paper(Need, Option<String>),
    /// Needed only on some channels (and then always).
    OnlyOn(Vec<Channel>),
}

fn classify(item: &DocumentItem) -> Kind {
    let name = item.name.trim();
    let key = search_key(name);
    // The interactive e-form is the online declaration itself (filled in, never uploaded): a note.
    if item.originals == 0 && item.copies == 0
        || name.ends_with(':')
        || key.contains("dien tu tuong tac")
    {
        return Kind::Note;
    }
    if let Some(on) = channel_condition(&key) {
        return Kind::OnlyOn(on);
    }
    if key.starts_with("truong hop ") {
        return Kind::Paper(Need::IfApplicable, None);
    }
    // "A; trường hợp không có A thì nộp B": one of.
    if let Some(i) = name
        .find("; trường hợp không có")
        .or_else(|| name.find("; nếu không có"))
    {
        return Kind::Paper(
            Need::Required,
            Some(name[i + 1..].trim().trim_end_matches(['.', ';']).to_owned()),
        );
    }
    if key.contains(" trong truong hop ") || key.contains("(neu co") || key.contains("(neu ") {
        return Kind::Paper(Need::IfApplicable, None);
    }
    Kind::Paper(Need::Required, None)
}

/// "(nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp …)": the channels a paper is for.
fn channel_condition(key: &str) -> Option<Vec<Channel>> {
    // "… để chứng minh về nhân thân khi làm thủ tục trực tiếp tại cơ quan": for the counter only.
    if [
        "khi lam thu tuc truc tiep",
        "khi nop ho so truc tiep",
        "khi thuc hien truc tiep",
    ]
    .iter()
    .any(|m| key.contains(m))
    {
        return Some(vec![Channel::InPerson]);
    }
    let at = key.find("neu nguoi co yeu cau lua chon")?;
    let clause = &key[at..];
    let online = clause.contains("truc tuyen");
    let counter = clause.contains("truc tiep") || clause.contains("buu chinh");
    match (online, counter) {
        (true, false) => Some(vec![Channel::Online]),
        (false, true) => Some(vec![Channel::InPerson, Channel::Postal]),
        _ => None,
    }
}

fn paper(item: &DocumentItem, shown: bool, need: Need, instead: Option<String>) -> Paper {
    let name = match &instead {
        Some(_) => item.name.split(';').next().unwrap_or(&item.name).to_owned(),
        None => item.name.clone(),
    };
    Paper {
        number: 0,
        name: name.trim().trim_end_matches(['.', ';']).to_owned(),
        instead,
        originals: item.originals,
        copies: item.copies,
        shown,
        need,
    }
}

enum GroupKind {
    Notes,
    Always { shown: bool },
    Case,
}

fn group_kind(g: &DocumentGroup) -> GroupKind {
    let t = search_key(&g.title);
    if t.contains("luu y") {
        GroupKind::Notes
    } else if g.duty == DocumentDuty::Show {
        GroupKind::Always { shown: true }
    } else if t.is_empty() || t.contains("giay to phai nop") || t.contains("thanh phan ho so") {
        GroupKind::Always { shown: false }
    } else {
        GroupKind::Case
    }
}

/// A case's key from its title (folded, dashed, at most 60 bytes), made unique among the cases so far.
fn unique_key(cases: &[CaseGroup], title: &str) -> String {
    let mut base = search_key(title).replace(' ', "-");
    while base.len() > 60 {
        base.pop();
    }
    let mut key = base.clone();
    let mut n = 2;
    while cases.iter().any(|k| k.key == key) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
}

impl Checklist {
    /// Reads a record's document table for a channel.
    pub fn parse(d: &Detail, channel: Channel) -> (Checklist, Recognised) {
        let mut c = Checklist {
            papers: Vec::new(),
            cases: Vec::new(),
            notes: Vec::new(),
            source: Source::Parsed,
        };
        let mut r = Recognised::default();
        let case_groups = d
            .documents
            .iter()
            .filter(|g| matches!(group_kind(g), GroupKind::Case))
            .count();
        for g in &d.documents {
            let kind = group_kind(g);
            let mut into = Vec::new();
            for item in &g.items {
                let shown = matches!(kind, GroupKind::Always { shown: true });
                match (&kind, classify(item)) {
                    (GroupKind::Notes, _) | (_, Kind::Note) => {
                        c.notes.push(item.name.trim().to_owned());
                    }
                    (_, Kind::OnlyOn(on)) if !on.contains(&channel) => {}
                    (_, Kind::OnlyOn(_)) => into.push(paper(item, shown, Need::Required, None)),
                    // Online there is nothing to show: identity and papers to show are looked up (the national
                    // population database, VNeID) and uploaded only when asked.
                    (_, Kind::Paper(_, instead)) if shown && channel == Channel::Online => {
                        r.alternatives += usize::from(instead.is_some());
                        into.push(paper(item, shown, Need::IfApplicable, instead));
                    }
                    (_, Kind::Paper(need, instead)) => {
                        r.alternatives += usize::from(instead.is_some());
                        into.push(paper(item, shown, need, instead));
                    }
                }
            }
            // A single case heading is the procedure's only case: its papers are always needed.
            if matches!(kind, GroupKind::Case) && case_groups > 1 && !into.is_empty() {
                let key = unique_key(&c.cases, &g.title);
                c.cases.push(CaseGroup {
                    key,
                    title: g.title.trim().to_owned(),
                    papers: into,
                });
            } else {
                c.papers.extend(into);
            }
        }
        c.tell_apart_cases();
        c.renumber();
        for p in c.all() {
            match p.need {
                Need::Required => r.required += 1,
                Need::IfApplicable => r.if_applicable += 1,
            }
        }
        r.cases = c.cases.len();
        r.notes = c.notes.len();
        c.source = if d.documents.is_empty() {
            Source::Unreadable
        } else if c.all().next().is_none() {
            Source::NotesOnly
        } else {
            Source::Parsed
        };
        (c, r)
    }

    /// Two cases under the same heading (the published record repeats one by mistake) are told apart by their
    /// first paper, so nobody opens the wrong one.
    fn tell_apart_cases(&mut self) {
        let titles: Vec<String> = self.cases.iter().map(|k| search_key(&k.title)).collect();
        for (i, k) in self.cases.iter_mut().enumerate() {
            if titles.iter().filter(|t| **t == titles[i]).count() < 2 {
                continue;
            }
            if let Some(first) = k.papers.first() {
                let mut name: String = first.name.chars().take(70).collect();
                if first.name.chars().count() > 70 {
                    name.push('…');
                }
                k.title = format!("{} (gồm: {name})", k.title);
            }
        }
    }

    /// Numbers the papers 1, 2, … in the order shown.
    pub fn renumber(&mut self) {
        let mut n = 0;
        for p in self
            .papers
            .iter_mut()
            .chain(self.cases.iter_mut().flat_map(|c| c.papers.iter_mut()))
        {
            n += 1;
            p.number = n;
        }
    }

    /// Every paper, always-papers first.
    pub fn all(&self) -> impl Iterator<Item = &Paper> {
        self.papers
            .iter()
            .chain(self.cases.iter().flat_map(|c| c.papers.iter()))
    }

    /// The papers that apply in a case (`None`: the procedure has no cases).
    fn applying(&self, case: Option<&str>) -> Result<Vec<&Paper>, Refusal> {
        let mut v: Vec<&Paper> = self.papers.iter().collect();
        if self.cases.is_empty() {
            return Ok(v);
        }
        let key = case.filter(|k| !k.is_empty()).ok_or(Refusal::NoCase)?;
        let c = self
            .cases
            .iter()
            .find(|c| c.key == key)
            .ok_or_else(|| Refusal::NoSuchCase(key.to_owned()))?;
        v.extend(c.papers.iter());
        Ok(v)
    }

    /// Checks what an officer ticked (or a citizen gave): every required paper of the case, and only papers of it.
    pub fn check(&self, case: Option<&str>, ticked: &[u32]) -> Result<(), Refusal> {
        let applying = self.applying(case)?;
        if let Some(bad) = ticked
            .iter()
            .find(|n| !applying.iter().any(|p| p.number == **n))
        {
            return Err(Refusal::NoSuchNumber {
                number: *bad,
                count: self.all().count(),
            });
        }
        let missing: Vec<String> = applying
            .iter()
            .filter(|p| p.need == Need::Required && !ticked.contains(&p.number))
            .map(|p| p.name.clone())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Refusal::Missing(missing))
        }
    }

    /// The required papers of a case, for a guidance slip.
    pub fn required_in(&self, case: Option<&str>) -> Vec<&Paper> {
        self.applying(case)
            .unwrap_or_else(|_| self.papers.iter().collect())
            .into_iter()
            .filter(|p| p.need == Need::Required)
            .collect()
    }

    /// The papers ticked, in order: what the receipt (form 01) lists as received.
    pub fn ticked<'a>(&'a self, ticked: &[u32]) -> Vec<&'a Paper> {
        self.all().filter(|p| ticked.contains(&p.number)).collect()
    }

    /// The numbers of every required paper of a case (a helper for forms and tests).
    pub fn required_numbers(&self, case: Option<&str>) -> Vec<u32> {
        self.required_in(case).iter().map(|p| p.number).collect()
    }
}

/// A province's correction of a procedure's checklist, as an administrator writes it, one line each:
/// `+ paper` (required), `? paper` (only if applicable), `> paper` (shown, required), `?> paper` (shown, only if
/// applicable), `# Case title` (the papers
/// after it belong to that case), `! note`. Blank lines are ignored; an unmarked line is a required paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub text: String,
}

/// A line of a correction that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub vi: String,
    pub en: String,
}

impl Correction {
    /// The checklist it describes.
    pub fn checklist(&self) -> Result<Checklist, BadLine> {
        let mut c = Checklist {
            papers: Vec::new(),
            cases: Vec::new(),
            notes: Vec::new(),
            source: Source::Corrected,
        };
        for (i, raw) in self.text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            // "?>": shown, and only if it applies.
            let (mark, rest) = if let Some(r) = line.strip_prefix("?>") {
                ('^', r.trim())
            } else {
                match line.chars().next() {
                    Some(m @ ('+' | '?' | '>' | '#' | '!')) => (m, line[m.len_utf8()..].trim()),
                    _ => ('+', line),
                }
            };
            if rest.is_empty() {
                return Err(BadLine {
                    line: i + 1,
                    vi: format!("Dòng {}: chưa ghi nội dung sau dấu {mark}", i + 1),
                    en: format!("line {}: nothing after the {mark}", i + 1),
                });
            }
            if rest.chars().count() > 10_000 {
                return Err(BadLine {
                    line: i + 1,
                    vi: format!("Dòng {}: dài quá 10.000 ký tự", i + 1),
                    en: format!("line {}: longer than 10,000 characters", i + 1),
                });
            }
            let p = |need, shown| Paper {
                number: 0,
                name: rest.to_owned(),
                instead: None,
                originals: 1,
                copies: 0,
                shown,
                need,
            };
            match mark {
                '#' => {
                    let key = unique_key(&c.cases, rest);
                    c.cases.push(CaseGroup {
                        key,
                        title: rest.to_owned(),
                        papers: Vec::new(),
                    });
                }
                '!' => c.notes.push(rest.to_owned()),
                m => {
                    let paper = match m {
                        '^' => p(Need::IfApplicable, true),
                        '?' => p(Need::IfApplicable, false),
                        '>' => p(Need::Required, true),
                        _ => p(Need::Required, false),
                    };
                    match c.cases.last_mut() {
                        Some(case) => case.papers.push(paper),
                        None => c.papers.push(paper),
                    }
                }
            }
        }
        c.renumber();
        Ok(c)
    }

    /// A checklist written as a correction (to start an administrator's edit from what is shown today).
    pub fn of(c: &Checklist) -> Correction {
        let mut out = Vec::new();
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let line = |p: &Paper| {
            let mark = match (p.need, p.shown) {
                (Need::IfApplicable, true) => "?>",
                (Need::IfApplicable, false) => "?",
                (Need::Required, true) => ">",
                (Need::Required, false) => "+",
            };
            match &p.instead {
                Some(i) => format!("{mark} {}; {}", flat(&p.name), flat(i)),
                None => format!("{mark} {}", flat(&p.name)),
            }
        };
        out.extend(c.papers.iter().map(line));
        for case in &c.cases {
            out.push(format!("# {}", flat(&case.title)));
            out.extend(case.papers.iter().map(line));
        }
        out.extend(c.notes.iter().map(|n| format!("! {}", flat(n))));
        Correction {
            text: out.join("\n"),
        }
    }
}

#[cfg(test)]
mod tests;
