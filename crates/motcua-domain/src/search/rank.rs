//! Ranking: how much of the query a procedure holds (rare words counting more), the shape of its name (the general
//! procedure before its variants, the words in the order asked), the caller's level.

use super::{Hit, Index, Level, Scores};

impl Index {
    pub(super) fn rank(
        &self,
        s: &Scores,
        rarity: &[f32],
        (wanted, accented): (&[&str], Option<&str>),
        level: Option<Level>,
    ) -> Vec<Hit<'_>> {
        let all: f32 = rarity.iter().sum();
        let mut hits: Vec<(u32, f32)> = Vec::new();
        for (d, &raw) in s.total.iter().enumerate() {
            if raw <= 0.0 {
                continue;
            }
            // How much of what was asked the procedure has, rare words counting more.
            let coverage = if all <= 0.0 {
                1.0
            } else {
                let got: f32 = rarity
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let bit = 1u32 << i;
                        if s.strong[d] & bit != 0 {
                            *r
                        } else if s.weak[d] & bit != 0 {
                            r * 0.5
                        } else {
                            0.0
                        }
                    })
                    .sum();
                got / all
            };
            if rarity.len() >= 2 && coverage < 0.45 || coverage == 0.0 {
                continue;
            }
            // A case listed in a long name counts by how much of the query it holds.
            let shape = self.names[d]
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let held = if i == 0 || wanted.is_empty() {
                        1.0
                    } else {
                        wanted.iter().filter(|w| n.iter().any(|x| x == *w)).count() as f32
                            / wanted.len() as f32
                    };
                    self.shape(n, wanted, accented) * held
                })
                .fold(0.0f32, f32::max);
            let v = raw * coverage * coverage * shape;
            let v = if level.is_some_and(|l| l.of(&self.levels[d])) {
                v * 1.25
            } else {
                v
            };
            hits.push((u32::try_from(d).unwrap_or(u32::MAX), v));
        }
        let top = hits.iter().map(|h| h.1).fold(0.0f32, f32::max);
        hits.retain(|h| h.1 >= top * 0.2);
        hits.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.codes[a.0 as usize].cmp(&self.codes[b.0 as usize]))
        });
        hits.into_iter()
            .map(|(d, score)| Hit {
                code: &self.codes[d as usize],
                score,
            })
            .collect()
    }

    /// How well a name's shape fits what was asked: the general procedure before its variants ("cấp lại",
    /// "có yếu tố nước ngoài", "lưu động" not asked for), the words asked in the order asked.
    fn shape(&self, name: &[String], wanted: &[&str], accented: Option<&str>) -> f32 {
        let mut v = 1.0;
        let extra = name
            .iter()
            .filter(|w| !wanted.contains(&w.as_str()))
            .count();
        v /= 1.0 + 0.03 * extra.min(25) as f32;
        let variants = self
            .variants
            .iter()
            .filter(|(folded, spellings)| {
                let typed = contains_run(wanted, folded);
                let as_typed = match accented {
                    None => typed,
                    Some(q) => typed && spellings.iter().any(|s| q.contains(s.as_str())),
                };
                contains_run(name, folded) && !as_typed
            })
            .count();
        v *= 0.8f32.powi(i32::try_from(variants.min(3)).unwrap_or(3));
        // Citizens search for themselves: a procedure for individuals and households before one for organisations,
        // unless an organisation was asked for.
        let personal = ["ca nhan", "ho gia dinh", "cong dan"]
            .iter()
            .any(|m| contains_run(name, &m.split(' ').collect::<Vec<_>>()));
        let organisation = ["to chuc", "doanh nghiep", "cong ty"]
            .iter()
            .any(|m| contains_run(wanted, &m.split(' ').collect::<Vec<_>>()));
        if personal && !organisation {
            v *= 1.1;
        }
        if wanted.len() >= 2 {
            if name.iter().map(String::as_str).eq(wanted.iter().copied()) {
                v *= 1.5;
            }
            if name.len() >= wanted.len() && name.iter().zip(wanted).all(|(a, b)| a == b) {
                v *= 1.4;
            } else if contains_run(name, wanted) {
                v *= 1.2;
            }
        }
        v
    }
}

/// Words that make a procedure a variant of a more general one, as written (with the other spellings of a tone
/// mark after `|`): a variant word counts as asked only when it was typed, and, when the query has diacritics, with
/// its own ("lái xe" does not ask for "cấp lại").
pub(super) const VARIANTS: &[&str] = &[
    "lại",
    "đổi",
    "thay đổi",
    "điều chỉnh",
    "gia hạn",
    "khôi phục",
    "thu hồi",
    "hủy|huỷ",
    "xóa|xoá",
    "chấm dứt",
    "tạm ngừng",
    "dừng",
    "mất",
    "đính chính",
    "cập nhật",
    "hiệu đính",
    "yếu tố nước ngoài",
    "lưu động",
    "biên giới",
    "tạm thời",
    "bổ sung",
    "kết hợp",
    "đối với tổ chức",
    "cho tổ chức",
    "tổ chức kinh tế",
    "không xác định được",
];

/// Lowercase words with their diacritics, single spaces, padded (" cấp lại ").
pub(super) fn accented_words(s: &str) -> String {
    let mut out = String::from(" ");
    for w in unicode_normalization::UnicodeNormalization::nfc(s)
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(w);
        out.push(' ');
    }
    out
}

fn contains_run<A: AsRef<str>, B: AsRef<str>>(name: &[A], run: &[B]) -> bool {
    !run.is_empty()
        && name
            .windows(run.len())
            .any(|w| w.iter().zip(run).all(|(a, b)| a.as_ref() == b.as_ref()))
}
