//! The intake checklist (kiểm tra thành phần hồ sơ) from a procedure's parsed record: the papers to submit, which of
//! them an officer ticked, and what is still missing (the guidance slip lists those).

use crate::catalog::{Detail, DocumentDuty};

/// The papers to submit, in the record's order (the first "to submit" group; trailing punctuation dropped).
pub fn required(d: &Detail) -> Vec<String> {
    d.documents
        .iter()
        .find(|g| g.duty == DocumentDuty::Submit)
        .map(|g| {
            g.items
                .iter()
                .map(|i| i.name.trim_end_matches(['.', ';']).to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The required papers not ticked, with their numbers (1-based).
pub fn missing<'a>(required: &'a [String], given: &[u32]) -> Vec<(usize, &'a String)> {
    required
        .iter()
        .enumerate()
        .map(|(i, name)| (i + 1, name))
        .filter(|(n, _)| !given.iter().any(|g| usize::try_from(*g).ok() == Some(*n)))
        .collect()
}

/// Why a checklist is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A ticked number the procedure does not have.
    NoSuchNumber { number: u32, count: usize },
    /// Papers still missing, as "n. name".
    Missing(Vec<String>),
}

/// Every required paper ticked, and only numbers the procedure has.
pub fn check(required: &[String], given: &[u32]) -> Result<(), Refusal> {
    if required.is_empty() {
        return Ok(());
    }
    if let Some(bad) = given
        .iter()
        .find(|n| **n == 0 || usize::try_from(**n).map_or(true, |n| n > required.len()))
    {
        return Err(Refusal::NoSuchNumber {
            number: *bad,
            count: required.len(),
        });
    }
    let missing: Vec<String> = missing(required, given)
        .into_iter()
        .map(|(n, name)| format!("{n}. {name}"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Refusal::Missing(missing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_missing() {
        let req = vec!["Tờ khai".to_owned(), "Giấy chứng sinh".to_owned()];
        assert_eq!(check(&req, &[1, 2]), Ok(()));
        assert_eq!(
            check(&req, &[1]),
            Err(Refusal::Missing(vec!["2. Giấy chứng sinh".into()]))
        );
        assert_eq!(
            check(&req, &[3]),
            Err(Refusal::NoSuchNumber {
                number: 3,
                count: 2
            })
        );
        assert_eq!(check(&[], &[]), Ok(()));
    }
}
