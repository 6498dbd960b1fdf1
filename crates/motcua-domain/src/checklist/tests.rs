use super::*;
use crate::catalog::{parse_record, RawRecord};

/// The published records of the sample, as the product ships them.
fn record(code: &str) -> Detail {
    let all: Vec<RawRecord> = serde_json::from_str(include_str!(
        "../../../motcua/data/tthc_commune_level_sample.json"
    ))
    .expect("sample");
    let r = all
        .iter()
        .find(|r| r.ma_thu_tuc == code)
        .expect("record in the sample");
    parse_record(r).detail
}

fn names(ps: &[&Paper]) -> Vec<String> {
    ps.iter().map(|p| p.name.clone()).collect()
}

#[test]
fn an_ordinary_birth_registration_needs_the_declaration_the_birth_certificate_and_an_id() {
    let (c, r) = Checklist::parse(&record("1.001193"), Channel::InPerson);
    assert_eq!(c.source, Source::Parsed);
    assert!(c.cases.is_empty());
    let required = c.required_in(None);
    let req = names(&required);
    assert_eq!(required.len(), 3, "{req:#?}");
    assert!(req[0].starts_with("Giấy chứng sinh"), "{req:#?}");
    assert!(required[0]
        .instead
        .as_deref()
        .is_some_and(|i| i.contains("người làm chứng")));
    assert!(
        req.iter()
            .any(|n| n.starts_with("Tờ khai đăng ký khai sinh")),
        "{req:#?}"
    );
    assert!(
        required
            .iter()
            .any(|p| p.shown && p.name.starts_with("Hộ chiếu")),
        "{req:#?}"
    );
    // The abandoned child, the authorisation and surrogacy are there, never forced.
    let optional: Vec<&Paper> = c.all().filter(|p| p.need == Need::IfApplicable).collect();
    let opt = names(&optional);
    assert!(opt.iter().any(|n| n.contains("bị bỏ rơi")), "{opt:#?}");
    assert!(opt.iter().any(|n| n.contains("ủy quyền")), "{opt:#?}");
    assert!(opt.iter().any(|n| n.contains("mang thai hộ")), "{opt:#?}");
    // The online form and the officer's duties are not papers at the counter.
    assert!(!c.all().any(|p| p.name.contains("Mẫu hộ tịch điện tử")));
    assert!(c
        .notes
        .iter()
        .any(|n| n.starts_with("Người tiếp nhận có trách nhiệm")));
    assert!(r.notes >= 15, "{r:?}");
    // Ticking the three is enough; two are not.
    let n: Vec<u32> = required.iter().map(|p| p.number).collect();
    assert_eq!(c.check(None, &n), Ok(()));
    assert!(
        matches!(c.check(None, &n[..2]), Err(Refusal::Missing(m)) if m.len() == 1 && !m[0].starts_with(char::is_numeric))
    );
    // Online, the declaration is the interactive e-form the applicant fills in (a note, nothing to upload), and the
    // identity paper, shown at the counter, is looked up: the birth certificate is the one paper required.
    let (online, _) = Checklist::parse(&record("1.001193"), Channel::Online);
    let on = names(&online.required_in(None));
    assert_eq!(on, ["Giấy chứng sinh"], "{on:#?}");
    assert!(online
        .notes
        .iter()
        .any(|n| n.starts_with("Mẫu hộ tịch điện tử")));
    assert!(!online
        .all()
        .any(|p| p.name.starts_with("Hộ chiếu") && p.need == Need::Required));
}

#[test]
fn permanent_residence_is_a_choice_of_cases() {
    let (c, r) = Checklist::parse(&record("1.004222"), Channel::InPerson);
    assert!(c.cases.len() >= 6, "{:#?}", c.cases);
    assert_eq!(r.cases, c.cases.len());
    assert_eq!(c.check(None, &[]), Err(Refusal::NoCase));
    let rent = c
        .cases
        .iter()
        .find(|k| k.title.contains("thuê, mượn, ở nhờ"))
        .expect("the renting case");
    let need: Vec<u32> = rent
        .papers
        .iter()
        .filter(|p| p.need == Need::Required)
        .map(|p| p.number)
        .collect();
    assert_eq!(c.check(Some(&rent.key), &need), Ok(()));
    // A paper of another case is not one of this case's.
    let other = c.cases.iter().find(|k| k.key != rent.key).unwrap().papers[0].number;
    assert!(matches!(
        c.check(Some(&rent.key), &[need.clone(), vec![other]].concat()),
        Err(Refusal::NoSuchNumber { .. })
    ));
    assert!(matches!(
        c.check(Some("khong-co"), &need),
        Err(Refusal::NoSuchCase(_))
    ));
}

#[test]
fn marriage_registration_needs_its_declaration_and_a_province_can_correct_it() {
    let (c, r) = Checklist::parse(&record("1.000894"), Channel::InPerson);
    assert_eq!(c.source, Source::Parsed, "{c:#?}");
    let req = names(&c.required_in(None));
    assert!(
        req.iter().any(|n| n.starts_with("Tờ khai đăng ký kết hôn")),
        "{req:#?}"
    );
    assert!(
        c.required_in(None).iter().any(|p| p.shown),
        "an ID is shown"
    );
    assert!(r.notes >= 10, "{r:?}");
    assert!(
        !req.iter().any(|n| n.starts_with("Người tiếp nhận")),
        "{req:#?}"
    );
    let fixed = Correction {
        text: "+ Tờ khai đăng ký kết hôn (Mẫu TP/HT-2020-KH.1)\n> Giấy tờ tùy thân của hai bên\n? Giấy xác nhận tình trạng hôn nhân (nếu đăng ký thường trú ở nơi khác)\n! Hai bên có mặt khi đăng ký".into(),
    }
    .checklist()
    .unwrap();
    assert_eq!(fixed.source, Source::Corrected);
    assert_eq!(fixed.required_numbers(None), vec![1, 2]);
    assert!(fixed.papers[1].shown);
    assert_eq!(fixed.notes, vec!["Hai bên có mặt khi đăng ký".to_owned()]);
}

#[test]
fn a_correction_round_trips_and_moves_papers_into_cases() {
    let (c, _) = Checklist::parse(&record("1.004222"), Channel::InPerson);
    let back = Correction::of(&c).checklist().unwrap();
    assert_eq!(back.cases.len(), c.cases.len());
    assert_eq!(back.all().count(), c.all().count());
    for (a, b) in back.all().zip(c.all()) {
        assert_eq!((a.need, a.shown), (b.need, b.shown), "{}", b.name);
    }
    assert_eq!(back.notes.len(), c.notes.len());
    let moved = Correction {
        text: "+ Tờ khai thay đổi thông tin cư trú (mẫu CT01)\n# Chỗ ở thuộc quyền sở hữu\n+ Giấy tờ chứng minh chỗ ở hợp pháp\n# Chỗ ở thuê, mượn, ở nhờ\n+ Hợp đồng thuê, mượn, ở nhờ".into(),
    }
    .checklist()
    .unwrap();
    assert_eq!(moved.papers.len(), 1);
    assert_eq!(moved.cases.len(), 2);
    assert_eq!(
        moved.required_numbers(Some(&moved.cases[1].key)),
        vec![1, 3]
    );
    let bad = Correction {
        text: "+ Tờ khai\n+ ".into(),
    }
    .checklist();
    assert_eq!(bad.map_err(|e| e.line), Err(2));
}

#[test]
fn every_record_of_the_sample_reads_without_forcing_a_note() {
    let all: Vec<RawRecord> = serde_json::from_str(include_str!(
        "../../../motcua/data/tthc_commune_level_sample.json"
    ))
    .unwrap();
    for r in &all {
        let (c, _) = Checklist::parse(&parse_record(r).detail, Channel::InPerson);
        for p in c.all() {
            assert!(p.originals + p.copies > 0, "{}: {}", r.ma_thu_tuc, p.name);
            assert!(!p.name.ends_with(':'), "{}: {}", r.ma_thu_tuc, p.name);
        }
        let numbers: Vec<u32> = c.all().map(|p| p.number).collect();
        assert_eq!(
            numbers,
            (1..=u32::try_from(numbers.len()).unwrap()).collect::<Vec<_>>()
        );
    }
}
