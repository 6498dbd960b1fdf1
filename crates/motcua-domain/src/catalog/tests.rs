use super::*;

fn rec(cach: &str) -> RawRecord {
    RawRecord {
        cach_thuc_thuc_hien: cach.into(),
        ..Default::default()
    }
}

#[test]
fn residence_fee_differs_by_channel() {
    let p = parse_record(&rec("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 đồng/lần đăng ký.)Trực tiếp7 Ngày làm việc20,000 Việt Nam Đồng(Ghi chú)"));
    let c = &p.detail.channels;
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].channel, Channel::Online);
    assert_eq!(c[0].time, Some(TimeLimit::working_days(7.0)));
    let Fee::Amounts { items } = &c[0].fee else {
        panic!("fee {:?}", c[0].fee)
    };
    assert_eq!(items[0].amount, Some(10_000));
    let Fee::Amounts { items } = &c[1].fee else {
        panic!("fee")
    };
    assert_eq!(items[0].amount, Some(20_000));
    assert_eq!(items[0].note.as_deref(), Some("Ghi chú"));
}

#[test]
fn copy_certification_tiers_and_usd() {
    let raw = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã, Tổ chức hành nghề công chứng: 2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang, tối đa thu không quá 200.000 đồng/bản. Trang là căn cứ để thu phí được tính theo trang của bản chính;Trực tiếpKhông có thông tin10 USD(/bản)Tại cơ quan đại diện: 10 USD/bản.";
    let mut pr = Vec::new();
    let rows = parse_channels(raw, &mut pr);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let Fee::Amounts { items } = &rows[0].fee else {
        panic!()
    };
    let tiers = items[0].tiers.expect("tiers");
    assert_eq!(
        tiers,
        PageTiers {
            rate: 2000,
            from_page: 3,
            later_rate: 1000,
            cap: Some(200_000)
        }
    );
    assert_eq!(tiers.total(1), 2000);
    assert_eq!(tiers.total(5), 4000 + 3000);
    assert_eq!(tiers.total(500), 200_000);
    let Fee::Amounts { items } = &rows[1].fee else {
        panic!()
    };
    assert_eq!(
        (
            items[0].amount,
            items[0].currency.as_str(),
            items[0].per.as_deref()
        ),
        (Some(10), "USD", Some("bản"))
    );
    assert!(pr.is_empty(), "{pr:?}");
}

#[test]
fn channel_names_inside_descriptions_do_not_start_rows() {
    let raw = "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcMiễn phíHình thức Trực tuyến: nộp hồ sơ trực tuyếnTrực tuyến5 Ngày làm việcMiễn phí";
    let rows = parse_channels(raw, &mut Vec::new());
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].description,
        "Hình thức Trực tuyến: nộp hồ sơ trực tuyến"
    );
}

#[test]
fn bare_numbers_take_the_unit_from_the_description_or_report_it() {
    let mut pr = Vec::new();
    let rows = parse_channels(
        "Trực tuyến3Miễn phí(Không)Trong thời hạn 03 ngày làm việc",
        &mut pr,
    );
    assert_eq!(rows[0].time, Some(TimeLimit::working_days(3.0)));
    assert_eq!(rows[0].time_unit_source, "description");
    assert!(pr.is_empty());
    let rows = parse_channels("Trực tuyến1Miễn phí", &mut pr);
    assert_eq!(rows[0].time, None);
    assert_eq!(pr.len(), 1);
}

#[test]
fn a_bare_one_under_the_1500_rule_is_same_day() {
    let mut pr = Vec::new();
    let rows = parse_channels_in(
        "Trực tiếp1Miễn phí",
        "nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo",
        true,
        &mut pr,
    );
    assert_eq!(
        rows[0].time,
        Some(TimeLimit {
            amount: 0.0,
            unit: TimeUnit::SameDay
        })
    );
    assert_eq!(rows[0].time_unit_source, "cutoff_rule");
    let rows = parse_channels_in(
        "Trực tiếp5Miễn phí",
        "Trong thời hạn 05 ngày làm việc kể từ ngày nhận",
        false,
        &mut pr,
    );
    assert_eq!(
        (rows[0].time, rows[0].time_unit_source.as_str()),
        (Some(TimeLimit::working_days(5.0)), "steps")
    );
    assert!(pr.is_empty(), "{pr:?}");
}

#[test]
fn documents_with_forms_and_duties() {
    let raw = "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai đăng ký (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).1.MuCT01banhnhkmtheoThngts53.doc1 bản chính- Giấy chứng sinh.1 bản chính1 bản sao* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Căn cước.1 bản chính";
    let g = parse_documents(raw, &mut Vec::new());
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].duty, DocumentDuty::Submit);
    assert_eq!(g[0].title, "Giấy tờ phải nộp");
    assert_eq!(
        g[0].items[0].form.as_deref(),
        Some("1.MuCT01banhnhkmtheoThngts53.doc")
    );
    assert_eq!(
        g[0].items[0].name,
        "Tờ khai đăng ký (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)."
    );
    assert_eq!((g[0].items[1].originals, g[0].items[1].copies), (1, 1));
    assert_eq!(g[1].duty, DocumentDuty::Show);
    assert_eq!(g[1].items[0].name, "Căn cước.");
}

#[test]
fn legal_basis_pairs() {
    let raw = "Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí85/2019/TT-BTCNghị định số 123/2015/NĐ-CP ngày 15/11/2015 hướng dẫn Luật Hộ tịch123/2015/NĐ-CPThông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ Tư phápThông tư số 03/2023/TT-BTPLuật 60/2014/QH1360/2014/QH13Quyết định 19/2025/QĐ-TTg19/2025/QĐ-TTg";
    let l = parse_legal_basis(raw);
    let nums: Vec<&str> = l.iter().map(|d| d.number.as_str()).collect();
    assert_eq!(
        nums,
        [
            "85/2019/TT-BTC",
            "123/2015/NĐ-CP",
            "03/2023/TT-BTP",
            "60/2014/QH13",
            "19/2025/QĐ-TTg"
        ]
    );
    assert_eq!(l[0].name, "Thông tư Hướng dẫn về phí");
    assert_eq!(
        l[2].name,
        "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ Tư pháp"
    );
    assert_eq!(l[3].name, "Luật 60/2014/QH13");
    // Two references the source runs together: the number glued to the previous name starts its own row.
    let l = parse_legal_basis("Tên văn bản pháp lýMã văn bảnNghị định sửa đổi thuộc phạm vi quản lý của Bộ Tư pháp18/2026/NĐ-CP Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử87/2020/NĐ-CPLuật Hộ tịch60/2014/QH13");
    let rows: Vec<(&str, &str)> = l
        .iter()
        .map(|d| (d.number.as_str(), d.name.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "18/2026/NĐ-CP",
                "Nghị định sửa đổi thuộc phạm vi quản lý của Bộ Tư pháp"
            ),
            (
                "87/2020/NĐ-CP",
                "Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử"
            ),
            ("60/2014/QH13", "Luật Hộ tịch")
        ]
    );
}

#[test]
fn results_with_codes() {
    let r = parse_results(
        "Giấy khai sinhMã: KQ.G15.000031Bản saoMã: KQ.G15.000021Từ khóaKhông có thông tin",
    );
    assert_eq!(
        r,
        vec![
            ResultDoc {
                name: "Giấy khai sinh".into(),
                code: Some("KQ.G15.000031".into())
            },
            ResultDoc {
                name: "Bản sao".into(),
                code: Some("KQ.G15.000021".into())
            },
        ]
    );
}

#[test]
fn levels() {
    let l = Levels::parse("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác");
    assert!(l.ministry && l.province && l.commune && l.other);
    assert_eq!(
        Levels::parse("Cấp xã"),
        Levels {
            commune: true,
            ..Levels::default()
        }
    );
}

#[test]
fn customs_procedures_are_not_commune_level() {
    let commune = Levels::parse("Cấp xã");
    assert!(!commune.checked_against("Chi cục Hải quan khu vực").commune);
    assert!(commune.checked_against("Chi cục Hải quan khu vực").other);
    assert!(
        commune
            .checked_against("Ủy ban nhân dân xã, phường, đặc khu")
            .commune
    );
    assert!(commune.checked_against("Công an cấp xã").commune);
    assert!(
        commune.checked_against("").commune,
        "no agency named: the portal's level stands"
    );
}
