//! The catalogue search shared by the portal, the counter and the kiosk: an index in memory over each procedure's
//! name, results, field and papers, ranked by BM25 with word pairs, favouring the procedure whose name says just what
//! was asked (the general one before its variants) and the caller's level.
//!
//! What it forgives: diacritics and đ, kí/ký and i/y, question words ("làm", "cần gì", "thế nào"), everyday names
//! (editable data: "sổ đỏ" → "giấy chứng nhận quyền sử dụng đất"), typing mistakes (one edit in a word of three to
//! seven letters, two in a longer one) and a last word still being typed.

mod query;
mod rank;
use rank::{accented_words, VARIANTS};
#[cfg(test)]
mod tests;

use crate::catalog::Levels;
use query::Word;
pub use query::{analyse, distance, parse_synonyms, words, Synonym};
use std::collections::HashMap;

/// A procedure as the index reads it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub code: String,
    pub name: String,
    pub field: String,
    /// The names of its results ("Giấy khai sinh").
    pub results: Vec<String>,
    /// The names of its papers and case headings.
    pub documents: Vec<String>,
    pub levels: Levels,
}

/// The level of the office searching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Commune,
    Province,
    Ministry,
}

impl Level {
    /// `commune`, `province` or `ministry`.
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "commune" => Some(Level::Commune),
            "province" => Some(Level::Province),
            "ministry" => Some(Level::Ministry),
            _ => None,
        }
    }

    fn of(self, l: &Levels) -> bool {
        match self {
            Level::Commune => l.commune,
            Level::Province => l.province,
            Level::Ministry => l.ministry,
        }
    }
}

/// One procedure found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit<'a> {
    pub code: &'a str,
    pub score: f32,
}

/// The parts of a record, in this order: name, results, field, papers.
const DOCUMENTS: usize = 3;
/// How much a word found in each part counts.
const WEIGHT: [f32; 4] = [3.0, 1.0, 0.6, 0.12];
const K1: f32 = 1.2;
/// How much a long part is discounted: little for names (official names are long with qualifiers; the variant
/// rules below handle what they add), the usual amount elsewhere.
const B: [f32; 4] = [0.3, 0.75, 0.75, 0.75];

#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    part: u8,
    tf: u16,
}

/// The index.
#[derive(Debug, Default)]
pub struct Index {
    codes: Vec<String>,
    by_code: HashMap<String, u32>,
    /// Each name's words, "thủ tục" dropped.
    names: Vec<Vec<Vec<String>>>,
    levels: Vec<Levels>,
    terms: HashMap<String, u32>,
    /// Single words by length, for corrections.
    by_length: Vec<Vec<u32>>,
    vocabulary: Vec<String>,
    postings: Vec<Vec<Posting>>,
    df: Vec<u32>,
    lens: Vec<[u16; 4]>,
    avg: [f32; 4],
    synonyms: Vec<Synonym>,
    /// [`VARIANTS`] folded, with their spellings.
    variants: Vec<(Vec<String>, Vec<String>)>,
}

/// The words of a name that say what it is: "Thủ tục" and the level in brackets ("(thực hiện tại cấp tỉnh)")
/// dropped, the level being matched apart.
fn name_words(name: &str) -> Vec<String> {
    drop_thu_tuc(words(&without_brackets(name, |inside| {
        !crate::text::search_key(inside).starts_with("thuc hien tai")
    })))
}

/// The shapes a name is judged by: the name without anything in brackets, and each of the cases a long name lists
/// between semicolons ("…; chuyển nhượng, thừa kế, tặng cho quyền sử dụng đất…; …").
fn name_shapes(name: &str) -> Vec<Vec<String>> {
    let core = without_brackets(name, |_| false);
    let mut out = vec![drop_thu_tuc(words(&core))];
    if core.contains(';') {
        out.extend(core.split(';').map(words).filter(|w| !w.is_empty()));
    }
    out
}

fn without_brackets(name: &str, keep: impl Fn(&str) -> bool) -> String {
    let mut kept = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let close = rest[open..].find(')').map_or(rest.len(), |c| open + c + 1);
        kept.push_str(&rest[..open]);
        let inside = &rest[open..close];
        if keep(inside) {
            kept.push_str(inside);
        }
        rest = &rest[close..];
    }
    kept.push_str(rest);
    kept
}

fn drop_thu_tuc(mut w: Vec<String>) -> Vec<String> {
    if w.len() > 2 && w[0] == "thu" && w[1] == "tuc" {
        w.drain(..2);
    }
    w
}

impl Index {
    /// Builds the index over the catalogue with the everyday names given.
    pub fn build(docs: &[Doc], synonyms: Vec<Synonym>) -> Index {
        let mut ix = Index {
            synonyms,
            variants: VARIANTS
                .iter()
                .map(|v| {
                    let spellings: Vec<String> = v.split('|').map(accented_words).collect();
                    (words(&spellings[0]), spellings)
                })
                .collect(),
            ..Index::default()
        };
        for (d, doc) in docs.iter().enumerate() {
            let d = u32::try_from(d).unwrap_or(u32::MAX);
            ix.by_code.insert(doc.code.clone(), d);
            ix.codes.push(doc.code.clone());
            ix.levels.push(doc.levels);
            let parts: [Vec<String>; 4] = [
                name_words(&doc.name),
                words(&doc.results.join(" . ")),
                words(&doc.field),
                words(&doc.documents.join(" . ")),
            ];
            let mut lens = [0u16; 4];
            for (p, w) in parts.iter().enumerate() {
                lens[p] = u16::try_from(w.len()).unwrap_or(u16::MAX);
                let mut tf: HashMap<String, u16> = HashMap::new();
                for t in w {
                    *tf.entry(t.clone()).or_default() += 1;
                }
                for pair in w.windows(2) {
                    *tf.entry(format!("{} {}", pair[0], pair[1])).or_default() += 1;
                }
                for (t, n) in tf {
                    let id = ix.term(&t);
                    let list = &mut ix.postings[id as usize];
                    if list.last().is_none_or(|l| l.doc != d) {
                        ix.df[id as usize] += 1;
                    }
                    list.push(Posting {
                        doc: d,
                        part: u8::try_from(p).unwrap_or(0),
                        tf: n,
                    });
                }
            }
            ix.lens.push(lens);
            ix.names.push(name_shapes(&doc.name));
        }
        let n = ix.lens.len().max(1) as f32;
        for p in 0..4 {
            ix.avg[p] = (ix.lens.iter().map(|l| f32::from(l[p])).sum::<f32>() / n).max(1.0);
        }
        ix
    }

    fn term(&mut self, t: &str) -> u32 {
        if let Some(&id) = self.terms.get(t) {
            return id;
        }
        let id = u32::try_from(self.vocabulary.len()).unwrap_or(u32::MAX);
        self.terms.insert(t.to_owned(), id);
        self.vocabulary.push(t.to_owned());
        self.postings.push(Vec::new());
        self.df.push(0);
        if !t.contains(' ') {
            let len = t.chars().count();
            if self.by_length.len() <= len {
                self.by_length.resize(len + 1, Vec::new());
            }
            self.by_length[len].push(id);
        }
        id
    }

    /// How many procedures are indexed.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    fn idf(&self, id: u32) -> f32 {
        let n = self.codes.len() as f32;
        let df = self.df[id as usize] as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The known words a typed word may stand for, each with how much it counts.
    fn meanings(&self, w: &Word, last: bool) -> Vec<(u32, f32)> {
        let mut out = Vec::new();
        if let Some(&id) = self.terms.get(&w.term) {
            out.push((id, w.weight));
        }
        if last && w.term.chars().count() >= 2 {
            // A word still being typed: the most common words it starts.
            let mut longer: Vec<u32> = self
                .by_length
                .iter()
                .skip(w.term.chars().count() + 1)
                .flatten()
                .copied()
                .filter(|&id| self.vocabulary[id as usize].starts_with(&w.term))
                .collect();
            longer.sort_by_key(|&id| std::cmp::Reverse(self.df[id as usize]));
            let share = if out.is_empty() { 0.8 } else { 0.4 };
            out.extend(longer.into_iter().take(6).map(|id| (id, w.weight * share)));
        }
        if out.is_empty() && !w.filler {
            out = self.corrections(&w.term, w.weight);
        }
        out
    }

    /// The nearest known words to a word the catalogue does not have.
    fn corrections(&self, word: &str, weight: f32) -> Vec<(u32, f32)> {
        let max = query::tolerance(word);
        if max == 0 {
            return Vec::new();
        }
        let len = word.chars().count();
        let mut found: Vec<(usize, u32)> = Vec::new();
        for l in len.saturating_sub(max)..=len + max {
            for &id in self.by_length.get(l).into_iter().flatten() {
                if let Some(d) = distance(word, &self.vocabulary[id as usize], max) {
                    found.push((d, id));
                }
            }
        }
        let Some(best) = found.iter().map(|f| f.0).min() else {
            return Vec::new();
        };
        found.retain(|f| f.0 == best);
        found.sort_by_key(|f| std::cmp::Reverse(self.df[f.1 as usize]));
        found
            .into_iter()
            .take(8)
            .map(|(_, id)| (id, weight * 0.7))
            .collect()
    }

    /// Procedures matching the query, best first; `open_end` when the last word may still be being typed.
    pub fn search(&self, text: &str, level: Option<Level>, open_end: bool) -> Vec<Hit<'_>> {
        let code = text.trim();
        if let Some(&d) = self.by_code.get(code) {
            return vec![Hit {
                code: &self.codes[d as usize],
                score: f32::MAX,
            }];
        }
        let words = analyse(&self.split_joined(text), &self.synonyms);
        let meant: Vec<Vec<(u32, f32)>> = words
            .iter()
            .enumerate()
            .map(|(i, w)| self.meanings(w, open_end && i + 1 == words.len()))
            .collect();
        let mut score = Scores::new(self.codes.len());
        let mut rarity = Vec::new();
        for (w, m) in words.iter().zip(&meant) {
            let flag = if w.filler || m.is_empty() || rarity.len() >= 32 {
                0
            } else {
                rarity.push(
                    m.iter()
                        .map(|(id, w)| self.idf(*id) * w)
                        .fold(0.0, f32::max),
                );
                1 << (rarity.len() - 1)
            };
            self.add(&mut score, m, flag);
        }
        // Word pairs in the order typed count again.
        for (i, pair) in words.windows(2).enumerate() {
            if pair[0].filler || pair[1].filler || pair[1].pos != pair[0].pos + 1 {
                continue;
            }
            let mut ids = Vec::new();
            for (a, wa) in &meant[i] {
                for (b, wb) in &meant[i + 1] {
                    let t = format!(
                        "{} {}",
                        self.vocabulary[*a as usize], self.vocabulary[*b as usize]
                    );
                    if let Some(&id) = self.terms.get(&t) {
                        ids.push((id, wa.min(*wb)));
                    }
                }
            }
            self.add(&mut score, &ids, 0);
        }
        let wanted: Vec<&str> = words
            .iter()
            .zip(&meant)
            .filter(|(w, _)| !w.filler)
            .filter_map(|(_, m)| {
                m.first()
                    .map(|(id, _)| self.vocabulary[*id as usize].as_str())
            })
            .collect();
        let accented = (!text.is_ascii()).then(|| accented_words(text));
        self.rank(&score, &rarity, (&wanted, accented.as_deref()), level)
    }

    /// Words typed together ("khaisinh") split into the catalogue's words, when they split.
    fn split_joined(&self, text: &str) -> String {
        words(text)
            .into_iter()
            .map(|w| {
                if w.len() < 5 || self.terms.contains_key(&w) {
                    return w;
                }
                self.segment(&w).unwrap_or(w)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The fewest known words of two letters or more that make up `w`.
    fn segment(&self, w: &str) -> Option<String> {
        if !w.is_ascii() || w.len() > 48 {
            return None;
        }
        let n = w.len();
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0));
        for end in 2..=n {
            for start in (0..end.saturating_sub(1)).rev() {
                let Some((pieces, _)) = best[start] else {
                    continue;
                };
                if end - start > 7 || !self.terms.contains_key(&query::spell(&w[start..end])) {
                    continue;
                }
                if best[end].is_none_or(|(p, _)| pieces + 1 < p) {
                    best[end] = Some((pieces + 1, start));
                }
            }
        }
        let mut parts = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, start) = best[end]?;
            parts.push(&w[start..end]);
            end = start;
        }
        parts.reverse();
        (parts.len() >= 2).then(|| parts.join(" "))
    }

    /// Adds one word's matches (the best of its meanings per procedure).
    fn add(&self, s: &mut Scores, meanings: &[(u32, f32)], flag: u32) {
        s.word.iter_mut().for_each(|x| *x = 0.0);
        for &(id, weight) in meanings {
            let idf = self.idf(id);
            let mut per_doc: HashMap<u32, f32> = HashMap::new();
            for p in &self.postings[id as usize] {
                let part = usize::from(p.part);
                let len = f32::from(self.lens[p.doc as usize][part]);
                let tf = f32::from(p.tf);
                let norm =
                    tf * (K1 + 1.0) / (tf + K1 * (1.0 - B[part] + B[part] * len / self.avg[part]));
                *per_doc.entry(p.doc).or_default() += WEIGHT[part] * idf * norm * weight;
                if flag != 0 {
                    if part == DOCUMENTS {
                        s.weak[p.doc as usize] |= flag;
                    } else {
                        s.strong[p.doc as usize] |= flag;
                    }
                }
            }
            for (d, v) in per_doc {
                let x = &mut s.word[d as usize];
                *x = x.max(v);
            }
        }
        for (t, w) in s.total.iter_mut().zip(&s.word) {
            *t += w;
        }
    }
}

/// Running scores of one query.
struct Scores {
    total: Vec<f32>,
    word: Vec<f32>,
    /// Which words each procedure has in its name, results or field…
    strong: Vec<u32>,
    /// …or only among its papers.
    weak: Vec<u32>,
}

impl Scores {
    fn new(n: usize) -> Scores {
        Scores {
            total: vec![0.0; n],
            word: vec![0.0; n],
            strong: vec![0; n],
            weak: vec![0; n],
        }
    }
}
