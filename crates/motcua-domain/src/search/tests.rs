use super::*;

fn doc(code: &str, name: &str, field: &str) -> Doc {
    Doc {
        code: code.into(),
        name: name.into(),
        field: field.into(),
        levels: Levels {
            commune: true,
            ..Levels::default()
        },
        ..Doc::default()
    }
}

fn index() -> Index {
    let synonyms = parse_synonyms(
        "# everyday = official\nsổ đỏ; sổ hồng = giấy chứng nhận quyền sử dụng đất\ngiấy độc thân = xác nhận tình trạng hôn nhân\n",
    )
    .unwrap_or_default();
    Index::build(
        &[
            doc("1.000094", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới", "Hộ tịch"),
            doc("1.000593", "Thủ tục đăng ký kết hôn lưu động", "Hộ tịch"),
            doc("1.004746", "Thủ tục đăng ký lại kết hôn", "Hộ tịch"),
            doc("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch"),
            doc("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch"),
            doc("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch"),
            doc("1.012345", "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu", "Đất đai"),
            doc("2.000001", "Thủ tục cấp giấy phép xây dựng", "Xây dựng"),
        ],
        synonyms,
    )
}

fn top(ix: &Index, q: &str) -> Vec<String> {
    ix.search(q, Some(Level::Commune), false)
        .iter()
        .take(3)
        .map(|h| h.code.to_owned())
        .collect()
}

#[test]
fn the_general_procedure_comes_before_its_variants() {
    let ix = index();
    assert_eq!(top(&ix, "Thủ tục đăng ký kết hôn")[0], "1.000894");
    assert_eq!(top(&ix, "dang ky ket hon")[0], "1.000894");
}

#[test]
fn spelling_question_words_and_typing_mistakes_are_forgiven() {
    let ix = index();
    assert_eq!(top(&ix, "đăng kí kết hôn")[0], "1.000894");
    assert_eq!(top(&ix, "lam giay khai sinh")[0], "1.001193");
    assert_eq!(top(&ix, "làm giấy khai sinh cho con cần gì")[0], "1.001193");
    assert_eq!(top(&ix, "dang ky khai snh")[0], "1.001193");
    assert_eq!(top(&ix, "ket hno")[0], "1.000894");
    assert_eq!(ix.search("dang ky khai si", None, true)[0].code, "1.001193");
}

#[test]
fn everyday_names_find_the_official_procedure() {
    let ix = index();
    assert_eq!(top(&ix, "sổ đỏ")[0], "1.012345");
    assert_eq!(top(&ix, "lam so hong")[0], "1.012345");
    assert_eq!(top(&ix, "xin giấy độc thân")[0], "1.004873");
    // Only what matches: not every procedure with "giấy" in its name.
    assert_eq!(ix.search("sổ đỏ", None, false).len(), 1);
}

#[test]
fn a_code_finds_its_procedure_and_nonsense_finds_nothing() {
    let ix = index();
    assert_eq!(top(&ix, " 1.000894 "), vec!["1.000894"]);
    assert!(ix.search("zzzz qqqq", None, false).is_empty());
    assert!(ix.search("", None, false).is_empty());
}

#[test]
fn synonyms_that_cannot_be_read_name_their_lines() {
    assert_eq!(
        parse_synonyms("a = b\nno equals sign\n = x\n"),
        Err(vec![2, 3])
    );
    assert_eq!(
        words("Đăng KÝ quy định lý lịch"),
        ["dang", "ki", "qui", "dinh", "li", "lich"]
    );
    assert_eq!(distance("hno", "hon", 1), Some(1));
    assert_eq!(distance("khai", "sinh", 1), None);
}
