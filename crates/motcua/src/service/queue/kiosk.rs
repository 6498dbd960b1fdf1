//! The kiosk: who is at it (the ID card's QR, or the number typed), the procedures to offer, and what it prints.

use super::tickets::KioskPerson;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::pdf::queue::{Declaration, TicketPrint};
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::procedures::{self, ProcedureFilter, ProcedureRow};
use crate::store::queue::{self as qstore, TicketRow};
use crate::store::units;
use motcua_domain::catalog::Channel;
use motcua_domain::qr::CardQr;
use motcua_domain::search::Level;
use time::Duration;

/// Minutes after taking the ticket during which the kiosk may still print the declaration.
pub const PRINT_MINUTES: i64 = 30;

fn dmy(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// The person on a scanned card, the printed address with today's ward beside it; a refusal names what is wrong.
pub async fn from_qr(st: &AppState, qr: &str) -> AppResult<KioskPerson> {
    if qr.len() > 2000 {
        return Err(AppError::field(
            "qr",
            "Mã QR quá dài",
            "the QR text is too long",
        ));
    }
    // What a scanner typed is not for reading aloud: one plain sentence, the parser's reason kept in English.
    let card = CardQr::parse(qr.trim()).map_err(|e| {
        AppError::field(
            "qr",
            "Không đọc được mã QR của thẻ. Vui lòng đặt lại thẻ vào đầu đọc, hoặc nhập số định danh.",
            format!("the card's QR could not be read ({e}); hold the card to the reader again, or type the ID number"),
        )
    })?;
    let units = crate::service::catalog::idcard::resolve(st, &card.address).await?;
    let now: Vec<&str> = units
        .iter()
        .map(|u| u.name.as_str())
        .filter(|n| !card.address.contains(n))
        .collect();
    let address = if now.is_empty() {
        card.address.clone()
    } else {
        format!("{} (nay: {})", card.address, now.join(" hoặc "))
    };
    Ok(KioskPerson {
        name: card.name.clone(),
        id_number: card.id.expose().to_owned(),
        old_id: card.old_id.as_ref().map(|i| i.expose().to_owned()),
        birth_date: dmy(card.birth_date),
        sex: card.sex.clone(),
        address,
        issued: card.issued.map(dmy),
    })
}

/// Whether a person born on `birth` (dd/mm/yyyy) is 60 or more at `now`.
pub fn is_elderly(birth: &str, now: time::OffsetDateTime) -> bool {
    let p: Vec<&str> = birth.split('/').collect();
    let (Some(d), Some(m), Some(y)) = (
        p.first().and_then(|x| x.parse::<u8>().ok()),
        p.get(1).and_then(|x| x.parse::<u8>().ok()),
        p.get(2).and_then(|x| x.parse::<i32>().ok()),
    ) else {
        return false;
    };
    let today = now.to_offset(motcua_domain::calendar::VN).date();
    let had_birthday = (u8::from(today.month()), today.day()) >= (m, d);
    today.year() - y - i32::from(!had_birthday) >= 60
}

/// The person from a typed ID number and name (no card at hand).
pub fn from_typed(id_number: &str, name: &str) -> AppResult<KioskPerson> {
    let id: String = id_number.chars().filter(|c| !c.is_whitespace()).collect();
    if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::field(
            "id_number",
            "Số định danh cá nhân gồm 12 chữ số",
            "the personal ID number has 12 digits",
        ));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field(
            "name",
            "Nhập họ và tên",
            "type your full name",
        ));
    }
    Ok(KioskPerson {
        name: name.to_owned(),
        id_number: id,
        old_id: None,
        birth_date: String::new(),
        sex: String::new(),
        address: String::new(),
        issued: None,
    })
}

/// The level a center's procedures are searched at.
pub fn level_of(center: &AgencyRow) -> Level {
    match center.tier {
        motcua_domain::agency::Tier::Province => Level::Province,
        motcua_domain::agency::Tier::Commune => Level::Commune,
    }
}

/// Procedures to offer: by search text, by field, else the center's most received in the last 90 days.
pub async fn offer(
    st: &AppState,
    center: &AgencyRow,
    q: &str,
    field: &str,
) -> AppResult<Vec<ProcedureRow>> {
    let level = level_of(center);
    let lv = match level {
        Level::Province => "province",
        _ => "commune",
    };
    if !q.trim().is_empty() || !field.trim().is_empty() {
        let f = ProcedureFilter {
            q: Some(q.trim().to_owned()).filter(|q| !q.is_empty()),
            field: Some(field.trim().to_owned()).filter(|f| !f.is_empty()),
            level: Some(lv.into()),
            limit: 12,
            ..ProcedureFilter::default()
        };
        return Ok(
            crate::service::catalog::search::find(&st.search, &st.db, &f, Some(level))
                .await?
                .1,
        );
    }
    let popular =
        qstore::popular_procedures(&st.db, center.id, st.clock.now() - Duration::days(90), 8)
            .await?;
    let codes: Vec<&str> = popular.iter().map(|p| p.0.as_str()).collect();
    let mut rows = procedures::rows_of(
        &st.db,
        &codes,
        &ProcedureFilter {
            limit: 8,
            ..ProcedureFilter::default()
        },
    )
    .await?;
    rows.sort_by_key(|r| codes.iter().position(|c| *c == r.code));
    Ok(rows)
}

/// The fields the center's services take (the kiosk's "by field" buttons).
pub async fn fields(st: &AppState, center: &AgencyRow) -> AppResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in qstore::services_of(&st.db, center.id).await? {
        for f in s.fields.lines().map(str::trim).filter(|f| !f.is_empty()) {
            if !out.iter().any(|o| o == f) {
                out.push(f.to_owned());
            }
        }
    }
    Ok(out)
}

/// A ticket the kiosk may still print for (by its token, taken within [`PRINT_MINUTES`], not yet finished).
pub async fn printable(st: &AppState, token: &str) -> AppResult<TicketRow> {
    let (t, _) = super::tickets::by_token(st, token).await?;
    if !t.state.open() || st.clock.now() - t.taken_at > Duration::minutes(PRINT_MINUTES) {
        return Err(AppError::code(ErrorCode::TicketNotFound));
    }
    Ok(t)
}

/// The queue ticket to print.
pub async fn ticket_pdf(st: &AppState, center: &AgencyRow, t: &TicketRow) -> AppResult<Vec<u8>> {
    let s = super::tickets::status_for(st, t).await?;
    let p = t.priority().map_err(anyhow::Error::from)?;
    Ok(crate::pdf::queue::ticket(&TicketPrint {
        center: center.name.clone(),
        label: t.label(),
        service: t.service_name.clone(),
        taken_at: t.taken_at,
        ahead: s.ahead,
        wait_minutes: s.estimated_wait_minutes,
        priority: p.map(|p| p.label().0.to_owned()),
        tracking_url: format!(
            "{}/xep-hang/ve/{}",
            st.config.public_url.trim_end_matches('/'),
            t.token
        ),
    }))
}

/// The procedure's declaration prefilled with the person's data (audited: personal data leaves on paper).
pub async fn declaration_pdf(
    st: &AppState,
    center: &AgencyRow,
    t: &TicketRow,
    request_id: &str,
) -> AppResult<Vec<u8>> {
    let person = super::tickets::person_of(st, t)?
        .ok_or_else(|| AppError::code(ErrorCode::TicketNotFound))?;
    let code = t
        .procedure_code
        .clone()
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let p = procedures::get(&st.db, &code)
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let unit = units::get(&st.db, &center.unit_code).await?;
    let province = unit
        .as_ref()
        .and_then(|u| u.province_code.clone())
        .unwrap_or_else(|| center.unit_code.clone());
    let list = crate::service::dossier::rules::checklist(
        st,
        &p.row.code,
        p.detail.as_deref(),
        Channel::InPerson,
        &province,
    )
    .await?;
    let title = list
        .papers
        .iter()
        .chain(list.cases.iter().flat_map(|c| c.papers.iter()))
        .map(|p| p.name.trim())
        .find(|n| {
            let k = motcua_domain::text::search_key(n);
            k.starts_with("to khai") || k.starts_with("don ")
        })
        .map(|n| {
            let n = n
                .split([';', '(', ':'])
                .next()
                .unwrap_or(n)
                .trim()
                .trim_end_matches('.');
            // "Tờ khai đăng ký khai sinh theo mẫu" names the form: the title is what comes before.
            let cut = [" theo mẫu", " theo Mẫu"]
                .iter()
                .filter_map(|m| n.find(m))
                .min();
            cut.map_or(n, |i| &n[..i]).to_owned()
        })
        .unwrap_or_else(|| format!("Tờ khai / Đơn đề nghị: {}", p.row.name));
    st.access
        .append(&super::audit(
            None,
            "print_declaration",
            t.id.to_string(),
            request_id,
            st.clock.now(),
        ))
        .await?;
    Ok(crate::pdf::queue::declaration(&Declaration {
        center: center.name.clone(),
        place: unit.map(|u| u.short_name).unwrap_or_default(),
        title,
        procedure: p.row.name.clone(),
        procedure_code: p.row.code.clone(),
        name: person.name,
        birth_date: person.birth_date,
        sex: person.sex,
        id_number: person.id_number,
        old_id: person.old_id,
        address: person.address,
        issued: person.issued,
        assisted_by: t.assisted_by.clone(),
        ticket: t.label(),
        at: st.clock.now(),
    }))
}
