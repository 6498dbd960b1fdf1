//! The chip ID card (CCCD) QR payload: 7 pipe-separated fields (DOMAIN.md §10).

use crate::person::CitizenId;
use crate::DomainError;
use serde::Serialize;
use time::Date;

/// What the QR on a chip ID card says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardQr {
    /// 12-digit personal ID number.
    pub id: CitizenId,
    /// Former 9-digit CMND, often empty.
    pub old_id: Option<CitizenId>,
    /// Full name as printed.
    pub name: String,
    /// Date of birth.
    pub birth_date: Date,
    /// "Nam" or "Nữ".
    pub sex: String,
    /// Permanent address as printed (possibly a pre-2025 address).
    pub address: String,
    /// Issue date, when present.
    pub issued: Option<Date>,
}

fn ddmmyyyy(s: &str) -> Option<Date> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: u8 = s[0..2].parse().ok()?;
    let m: u8 = s[2..4].parse().ok()?;
    let y: i32 = s[4..8].parse().ok()?;
    Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()
}

/// The provinces' codes as they begin a personal ID number ("0" and the province's code where the birth was
/// registered; Decree 137/2015/NĐ-CP art. 7 and Circular 07/2016/TT-BCA): the 63 provinces before the 2025 merger,
/// as in the merge map's `old_province_code` column. A number from 999 is motcua's demo and test range (never
/// issued) and is not checked.
const BIRTH_PROVINCES: [&str; 63] = [
    "01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "22", "24", "25",
    "26", "27", "30", "31", "33", "34", "35", "36", "37", "38", "40", "42", "44", "45", "46", "48",
    "49", "51", "52", "54", "56", "58", "60", "62", "64", "66", "67", "68", "70", "72", "74", "75",
    "77", "79", "80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96",
];

/// What a 12-digit number says of its holder: the century and sex digit (0/1 born 1900–1999 male/female, 2/3
/// 2000–2099, … up to 8/9) and the last two digits of the birth year; the reason when it does not agree with the card.
fn number_agrees(id: &str, birth: Date, sex: &str) -> Result<(), (&'static str, &'static str)> {
    let b = id.as_bytes();
    if id.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        // A chip card's first field is the 12-digit personal number (a 9-digit CMND is only the second).
        return Err((
            "trường đầu tiên phải là số định danh cá nhân 12 chữ số",
            "the first field must be the 12-digit personal ID number",
        ));
    }
    let printed_female = match crate::text::search_key(sex).as_str() {
        "nu" => Some(true),
        "nam" => Some(false),
        _ => None,
    };
    if printed_female.is_none() {
        return Err(("giới tính phải là Nam hoặc Nữ", "sex is Nam or Nữ"));
    }
    if id.starts_with("999") {
        return Ok(());
    }
    if b[0] != b'0' || !BIRTH_PROVINCES.contains(&&id[1..3]) {
        return Err((
            "ba chữ số đầu của số định danh không phải mã tỉnh nơi đăng ký khai sinh",
            "the ID number's first three digits are not a province-of-birth code",
        ));
    }
    let code = i32::from(b[3] - b'0');
    let century = 1900 + 100 * (code / 2);
    let female = code % 2 == 1;
    let year: i32 = id[4..6].parse().unwrap_or(-1);
    if birth.year() != century + year {
        return Err((
            "số định danh không khớp năm sinh in trên thẻ",
            "the ID number does not match the birth year on the card",
        ));
    }
    let printed_female = match crate::text::search_key(sex).as_str() {
        "nu" => Some(true),
        "nam" => Some(false),
        _ => None,
    };
    match printed_female {
        None => Err(("giới tính phải là Nam hoặc Nữ", "sex is Nam or Nữ")),
        Some(f) if f != female => Err((
            "số định danh không khớp giới tính in trên thẻ",
            "the ID number does not match the sex on the card",
        )),
        Some(_) => Ok(()),
    }
}

impl CardQr {
    /// Parses head fields by position, the trailing 8-digit date as the issue date, and the middle as the address.
    pub fn parse(raw: &str) -> Result<CardQr, DomainError> {
        let bad = |vi, en| DomainError::invalid("qr", vi, en);
        let f: Vec<&str> = raw.trim().split('|').collect();
        if f.len() < 5 {
            return Err(bad(
                "mã QR căn cước có ít nhất 5 trường, ngăn cách bởi |",
                "the ID card QR has at least 5 fields separated by |",
            ));
        }
        let id = CitizenId::parse(f[0]).map_err(|_| {
            bad(
                "trường đầu tiên không phải số định danh",
                "the first field is not an ID number",
            )
        })?;
        let old_id = if f[1].trim().is_empty() {
            None
        } else {
            CitizenId::parse(f[1]).ok()
        };
        let birth_date = ddmmyyyy(f[3].trim()).ok_or(bad(
            "ngày sinh không theo dạng ddMMyyyy",
            "the birth date is not ddMMyyyy",
        ))?;
        number_agrees(id.expose(), birth_date, f[4].trim()).map_err(|(vi, en)| bad(vi, en))?;
        let rest = &f[5.min(f.len())..];
        let (address, issued) = match rest.split_last() {
            Some((last, middle)) if ddmmyyyy(last.trim()).is_some() => {
                (middle.join("|"), ddmmyyyy(last.trim()))
            }
            _ => (rest.join("|"), None),
        };
        Ok(CardQr {
            id,
            old_id,
            name: f[2].trim().to_owned(),
            birth_date,
            sex: f[4].trim().to_owned(),
            address: address.trim().to_owned(),
            issued,
        })
    }
}

/// The parts of an address as printed: its commune-level unit, its district (addresses before 1 July 2025) and its
/// province, each as written ("Phường Tân Kiểng", "Quận 7", "TP. Hồ Chí Minh").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressParts {
    pub commune: Option<String>,
    pub district: Option<String>,
    pub province: Option<String>,
}

/// Reads an address: the last part is the province; a part starting with Phường, Xã, Thị trấn or Đặc khu is the
/// commune; a part starting with Quận, Huyện, Thị xã or Thành phố (not the last) is the district. House numbers
/// and streets before them are left out.
pub fn address_parts(address: &str) -> AddressParts {
    let parts: Vec<&str> = address
        .split([',', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let starts = |p: &str, marks: &[&str]| {
        let k = crate::text::search_key(p);
        marks
            .iter()
            .any(|m| k == *m || k.starts_with(&format!("{m} ")))
    };
    let mut out = AddressParts::default();
    let Some((last, head)) = parts.split_last() else {
        return out;
    };
    out.province = Some((*last).to_owned());
    for p in head.iter().rev() {
        if out.commune.is_none() && starts(p, &["phuong", "xa", "thi tran", "dac khu"]) {
            out.commune = Some((*p).to_owned());
        } else if out.district.is_none()
            && starts(p, &["quan", "huyen", "thi xa", "thanh pho", "tp"])
        {
            out.district = Some((*p).to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_the_documented_example() {
        let q = CardQr::parse("001090123456|012345678|NGUYEN VAN A|01011990|Nam|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|15042021")
            .expect("parses");
        assert_eq!(q.id.expose(), "001090123456");
        assert_eq!(q.old_id.as_ref().map(|i| i.expose()), Some("012345678"));
        assert_eq!(q.birth_date, date!(1990 - 01 - 01));
        assert_eq!(q.address, "Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh");
        assert_eq!(q.issued, Some(date!(2021 - 04 - 15)));
    }

    #[test]
    fn empty_old_id_and_pipe_in_address() {
        let q = CardQr::parse(
            "001300123456||TRAN THI B|29022000|Nữ|Số 1 | Ngõ 2, Phường Ba Đình|01072024",
        )
        .expect("parses");
        assert_eq!(q.old_id, None);
        assert_eq!(q.address, "Số 1 | Ngõ 2, Phường Ba Đình");
        assert!(CardQr::parse("abc|def").is_err());
        assert!(CardQr::parse("001200123456||X|31022000|Nam|addr|01072024").is_err());
    }

    #[test]
    fn the_number_agrees_with_the_card() {
        // Đà Nẵng (048), a woman born in 2003: century-sex digit 3, year 03.
        let ok = "048303001234||LE THI C|15062003|Nữ|Phường Hải Châu, Đà Nẵng|01072024";
        assert!(CardQr::parse(ok).is_ok());
        // The 5-field variant (no address, no issue date) is read too.
        assert!(CardQr::parse("048303001234||LE THI C|15062003|Nữ").is_ok());
        let err = |raw: &str| match CardQr::parse(raw) {
            Err(DomainError::Invalid { reason, .. }) => reason.to_string(),
            Ok(_) => String::from("accepted"),
        };
        assert!(err("048203001234||LE THI C|15062003|Nữ|x|01072024").contains("sex"));
        assert!(err("048399001234||LE THI C|15062003|Nữ|x|01072024").contains("birth year"));
        assert!(err("003303001234||LE THI C|15062003|Nữ|x|01072024").contains("province"));
        assert!(err("048303001234||LE THI C|15062003|Khác|x|01072024").contains("Nam or Nữ"));
        // Demo and test numbers (999…) are not checked.
        assert!(CardQr::parse("999000000777||TEST|01011990|Nữ|x|01012021").is_ok());
    }

    #[test]
    fn addresses_split_into_their_units() {
        let a = address_parts("12 Trần Xuân Soạn, Phường Tân Kiểng, Quận 7, TP. Hồ Chí Minh");
        assert_eq!(a.commune.as_deref(), Some("Phường Tân Kiểng"));
        assert_eq!(a.district.as_deref(), Some("Quận 7"));
        assert_eq!(a.province.as_deref(), Some("TP. Hồ Chí Minh"));
        let b = address_parts("Phường Hải Châu, Thành phố Đà Nẵng");
        assert_eq!(
            (b.commune.as_deref(), b.district),
            (Some("Phường Hải Châu"), None)
        );
        assert_eq!(address_parts(""), AddressParts::default());
    }

    proptest::proptest! {
        /// Whatever a scanner types, the parser answers (never panics).
        #[test]
        fn any_input_is_answered(raw in "\\PC{0,200}") {
            let _ = CardQr::parse(&raw);
        }

        /// Card-shaped input with any fields is answered too.
        #[test]
        fn any_card_shape_is_answered(id in "[0-9]{12}", name in "\\PC{0,30}", dob in "[0-9]{8}", sex in "(Nam|Nữ|x)", rest in "[\\PC|]{0,60}") {
            let _ = CardQr::parse(&format!("{id}||{name}|{dob}|{sex}|{rest}"));
        }
    }
}
