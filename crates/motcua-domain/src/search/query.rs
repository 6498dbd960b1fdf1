//! What a query says: folded words, everyday names replaced by official terms, the filler words of a question
//! marked, and words the catalogue does not know corrected to the nearest words it does.

use crate::text::search_key;

/// Words of a question that say nothing about the procedure ("làm", "thế nào", "cần gì"). They are matched only
/// a little and never required. Phrases, because "cần" and "căn" (căn cước), "thẻ" and "thế" fold alike.
const FILLER: &[&str] = &[
    "thu tuc",
    "ho so",
    "giay to",
    "cac buoc",
    "can nhung giay to gi",
    "can nhung gi",
    "can giay to gi",
    "can gi",
    "can lam gi",
    "nhu the nao",
    "the nao",
    "nhu nao",
    "ra sao",
    "lam sao",
    "lam the nao",
    "o dau",
    "bao lau",
    "mat bao lau",
    "bao nhieu tien",
    "bao nhieu",
    "het bao nhieu",
    "duoc khong",
    "co duoc khong",
    "huong dan",
    "cach",
    "muon",
    "xin",
    "lam",
    "giay",
    "toi",
    "minh",
    "em",
    "cho con",
    "cho be",
    "cho chau",
    "cho",
    "cua",
    "va",
    "voi",
    "thi",
    "nhe",
    "a",
    "gi",
    "nao",
    "online",
    "truc tuyen",
    "trong",
    "tren",
    "khi",
    "bi",
    "ve",
    "roi",
    "moi",
    "nay",
];

/// Abbreviations spelled out on both sides (in the catalogue's names and in queries).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("bhxh", "bao hiem xa hoi"),
    ("bhyt", "bao hiem y te"),
    ("bhtn", "bao hiem that nghiep"),
    ("tnhh", "trach nhiem huu han"),
    ("ubnd", "uy ban nhan dan"),
    ("gcn", "giay chung nhan"),
    ("qsdd", "quyen su dung dat"),
    ("cccd", "can cuoc cong dan"),
    ("cmnd", "chung minh nhan dan"),
    ("gplx", "giay phep lai xe"),
    ("pccc", "phong chay chua chay"),
    ("htx", "hop tac xa"),
    ("dn", "doanh nghiep"),
    ("tthc", "thu tuc hanh chinh"),
    ("tncn", "thu nhap ca nhan"),
    ("bds", "bat dong san"),
    ("kbnn", "kho bac nha nuoc"),
    ("nsnn", "ngan sach nha nuoc"),
    ("gpkd", "giay phep kinh doanh"),
];

/// One word of a query as it is matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The indexed form.
    pub term: String,
    /// How much the word counts (1 for a word typed as is; less for fillers and corrections).
    pub weight: f32,
    /// Filler words never count towards "all words matched".
    pub filler: bool,
    /// Position in the query after replacements (for word pairs).
    pub pos: usize,
}

/// An everyday name and the official words it stands for ("sổ đỏ" → "giấy chứng nhận quyền sử dụng đất").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synonym {
    pub everyday: Vec<String>,
    pub official: Vec<String>,
}

/// Reads synonyms, one a line: `everyday = official` (`#` starts a comment; several everyday names may share a
/// line, separated by `;`). Returns the list or the numbers of the lines that could not be read.
pub fn parse_synonyms(text: &str) -> Result<Vec<Synonym>, Vec<usize>> {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let Some((left, right)) = line.split_once('=') else {
            bad.push(i + 1);
            continue;
        };
        let official = words(right);
        let lefts: Vec<Vec<String>> = left.split(';').map(words).collect();
        if official.is_empty() || lefts.iter().any(Vec::is_empty) {
            bad.push(i + 1);
            continue;
        }
        for everyday in lefts {
            out.push(Synonym {
                everyday,
                official: official.clone(),
            });
        }
    }
    if bad.is_empty() {
        // Longest everyday name first, so "giấy chứng nhận độc thân" wins over "độc thân".
        out.sort_by_key(|s| std::cmp::Reverse(s.everyday.len()));
        Ok(out)
    } else {
        Err(bad)
    }
}

/// The indexed words of a text: folded (diacritics, đ), lowercase, with "ký"/"kí", "lý"/"lí", "quy"/"qui"
/// spelled one way.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in search_key(text).split(' ').filter(|w| !w.is_empty()) {
        match ABBREVIATIONS.iter().find(|(a, _)| *a == w) {
            Some((_, full)) => out.extend(full.split(' ').map(str::to_owned)),
            None => out.push(spell(w)),
        }
    }
    out
}

/// Vietnamese writes a syllable of a consonant and final i or y either way (kí/ký, lí/lý, qui/quy, mĩ/mỹ).
pub(super) fn spell(w: &str) -> String {
    let Some(head) = w.strip_suffix('y').or_else(|| w.strip_suffix('i')) else {
        return w.to_owned();
    };
    let consonants = !head.is_empty() && head.chars().all(|c| "bcdghklmnpqrstvx".contains(c));
    if consonants || head == "qu" {
        format!("{head}i")
    } else {
        w.to_owned()
    }
}

/// Replaces everyday names by official words, marks fillers, and returns the words to match.
pub fn analyse(text: &str, synonyms: &[Synonym]) -> Vec<Word> {
    let typed = words(text);
    let mut out: Vec<Word> = Vec::new();
    let mut i = 0;
    let mut pos = 0;
    while i < typed.len() {
        if let Some(s) = synonyms
            .iter()
            .find(|s| starts_with(&typed[i..], &s.everyday))
        {
            // The official words together stand for what was typed: a long official name does not outweigh the
            // rest of the query.
            let weight = (2.0 * s.everyday.len() as f32 / (s.official.len() + 1) as f32).min(1.0);
            for t in &s.official {
                out.push(Word {
                    term: t.clone(),
                    weight,
                    filler: false,
                    pos,
                });
                pos += 1;
            }
            i += s.everyday.len();
            continue;
        }
        if let Some(f) = FILLER
            .iter()
            .map(|f| f.split(' ').collect::<Vec<_>>())
            .filter(|f| starts_with(&typed[i..], f))
            .max_by_key(Vec::len)
        {
            for t in &typed[i..i + f.len()] {
                out.push(Word {
                    term: t.clone(),
                    weight: 0.1,
                    filler: true,
                    pos,
                });
                pos += 1;
            }
            i += f.len();
            continue;
        }
        out.push(Word {
            term: typed[i].clone(),
            weight: 1.0,
            filler: false,
            pos,
        });
        pos += 1;
        i += 1;
    }
    // A query of fillers only ("giấy tờ") still means its words.
    if out.iter().all(|w| w.filler) {
        for w in &mut out {
            w.filler = false;
            w.weight = 1.0;
        }
    }
    out
}

fn starts_with<S: AsRef<str>>(typed: &[String], phrase: &[S]) -> bool {
    typed.len() >= phrase.len() && typed.iter().zip(phrase).all(|(a, b)| a == b.as_ref())
}

/// The edit distance between two words (insert, delete, change, swap of neighbours), or `None` past `max`.
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, x) in d.iter_mut().take(w).enumerate() {
        *x = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    Some(d[a.len() * w + b.len()]).filter(|&v| v <= max)
}

/// How far a typed word may be from a known one: none for two letters, one edit from three, two from eight.
pub fn tolerance(word: &str) -> usize {
    match word.chars().count() {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    }
}
