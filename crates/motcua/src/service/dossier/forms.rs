//! Printing forms 02–07 from a dossier's notices and steps, or the register of a period; every print is logged.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::pdf::forms::{Block, Form};
use crate::service::account::session::Actor;
use crate::service::dossier::rules;
use crate::service::dossier::rules::audit_entry;
use crate::state::AppState;
use crate::store::dossiers::{self, DossierFilter, DossierRow};
use crate::store::steps::{self, NoticeRow};
use crate::store::units;
use motcua_domain::calendar::{format_vi, VN};
use motcua_domain::codes::DossierCode;
use time::OffsetDateTime;

fn day(t: OffsetDateTime) -> String {
    let l = t.to_offset(VN);
    format!("{:02}/{:02}/{}", l.day(), u8::from(l.month()), l.year())
}

async fn place(st: &AppState, unit: &str) -> AppResult<String> {
    Ok(units::get(&st.db, unit)
        .await?
        .map(|u| u.short_name)
        .unwrap_or_default())
}

fn applicant(d: &DossierRow) -> Vec<Block> {
    let mut b = vec![
        Block::Para(format!("Ông/Bà: {}", d.applicant_name)),
        Block::Para(format!(
            "Số định danh / mã số thuế: {}",
            d.applicant_id_masked
        )),
    ];
    if let Some(a) = &d.applicant_address {
        b.push(Block::Para(format!("Địa chỉ: {a}")));
    }
    b.push(Block::Para(format!(
        "Nội dung yêu cầu giải quyết: {} (mã hồ sơ {})",
        d.procedure_name, d.code
    )));
    b
}

fn latest<'a>(ns: &'a [NoticeRow], form: &str) -> AppResult<(&'a NoticeRow, usize)> {
    let of: Vec<&NoticeRow> = ns.iter().filter(|n| n.form == form).collect();
    of.last().map(|n| (*n, of.len())).ok_or_else(|| {
        AppError::with(
            ErrorCode::TransitionNotAllowed,
            format!("the dossier has no form {form}"),
        )
    })
}

/// Form 02–06 of a dossier (01 is the receipt), as a PDF.
pub async fn dossier_form(
    st: &AppState,
    actor: &Actor,
    code: &str,
    form: &str,
    request_id: &str,
) -> AppResult<Vec<u8>> {
    let number: &'static str = match form {
        "transfer.pdf" => "PC",
        "02.pdf" => "02",
        "03.pdf" => "03",
        "04.pdf" => "04",
        "05.pdf" => "05",
        "06.pdf" => "06",
        _ => return Err(AppError::code(ErrorCode::RouteNotFound)),
    };
    let code = DossierCode::parse(code).map_err(|_| AppError::code(ErrorCode::DossierNotFound))?;
    let d = dossiers::get(&st.db, &actor.scope, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::DossierNotFound))?;
    let notices = steps::notices(&st.db, d.id).await?;
    let place = place(st, &d.receiving_unit_code).await?;
    let now = st.clock.now();
    let mut blocks = Vec::new();
    let (title, signer, at) = match number {
        "02" => supplement_request(&d, &notices, &mut blocks)?,
        "03" => refusal(&d, &notices, &mut blocks)?,
        "04" => apology(&d, &notices, &mut blocks)?,
        "PC" => transfer_slip(st, &d, &mut blocks).await?,
        "05" => stop_notice(&d, &notices, &mut blocks)?,
        _ => control_sheet(st, actor, &d, now, &mut blocks).await?,
    };
    let agency = if matches!(number, "04" | "05") {
        d.competent_agency.clone()
    } else {
        d.receiving_agency.clone()
    };
    let f = Form {
        number,
        title: title.to_owned(),
        agency,
        place,
        reference: d.code.clone(),
        at,
        blocks,
        signers: vec![signer],
    };
    st.access
        .append(&audit_entry(
            actor,
            "print_form",
            code.as_str(),
            Some(d.id),
            &format!("in Mẫu {number}"),
            request_id,
            now,
        ))
        .await?;
    Ok(
        tokio::task::spawn_blocking(move || crate::pdf::forms::render(&f))
            .await
            .map_err(anyhow::Error::from)?,
    )
}

/// The guidance slip (phiếu hướng dẫn hoàn thiện hồ sơ) for an incomplete dossier at the counter: what the
/// procedure requires and which of it is missing. Nothing is recorded about the applicant.
pub async fn guidance(
    st: &AppState,
    actor: &Actor,
    procedure: &str,
    (case, given): (Option<&str>, &[u32]),
) -> AppResult<Vec<u8>> {
    if actor.role == motcua_domain::role::Role::Citizen {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "the guidance slip is printed at the counter",
        ));
    }
    let code = motcua_domain::codes::ProcedureCode::parse(procedure)?;
    let p = crate::store::procedures::get(&st.db, code.as_str())
        .await?
        .ok_or_else(|| AppError::code(ErrorCode::ProcedureNotFound))?;
    let list = rules::counter_checklist(st, actor, &p.row.code, p.detail.as_deref()).await?;
    let required = list.required_in(case);
    let mut blocks = vec![Block::Para(format!(
        "Thủ tục: {} (mã {}).",
        p.row.name, p.row.code
    ))];
    if let Some(c) = list.cases.iter().find(|c| Some(c.key.as_str()) == case) {
        blocks.push(Block::Para(format!("Trường hợp: {}.", c.title)));
    }
    let missing: Vec<(u32, &str)> = required
        .iter()
        .filter(|p| !given.contains(&p.number))
        .map(|p| (p.number, p.name.as_str()))
        .collect();
    if missing.is_empty() {
        blocks.push(Block::Para("Hồ sơ đã đủ thành phần theo quy định.".into()));
    } else {
        blocks.push(Block::Para(
            "Để hoàn thiện hồ sơ, đề nghị Ông/Bà bổ sung các thành phần sau:".into(),
        ));
        for (n, name) in &missing {
            blocks.push(Block::Item(format!("{n}. {name}")));
        }
    }
    blocks.push(Block::Para(format!(
        "Hồ sơ gồm {} thành phần; đã có {}.",
        required.len(),
        required.len() - missing.len()
    )));
    let (agency, place) = match &actor.agency {
        Some(a) => (a.name.clone(), place(st, &a.unit_code).await?),
        None => ("Hệ thống motcua".to_owned(), String::new()),
    };
    let f = Form {
        number: "HD",
        title: "Phiếu hướng dẫn hoàn thiện hồ sơ".into(),
        agency,
        place,
        reference: String::new(),
        at: st.clock.now(),
        blocks,
        signers: vec![("NGƯỜI HƯỚNG DẪN".into(), actor.display_name.clone())],
    };
    Ok(
        tokio::task::spawn_blocking(move || crate::pdf::forms::render(&f))
            .await
            .map_err(anyhow::Error::from)?,
    )
}

/// Form 07: the register of dossiers received in a period, within the caller's scope.
pub async fn register(
    st: &AppState,
    actor: &Actor,
    from: time::Date,
    to: time::Date,
    request_id: &str,
) -> AppResult<Vec<u8>> {
    if actor.role == motcua_domain::role::Role::Citizen {
        return Err(AppError::with(
            ErrorCode::Forbidden,
            "the register is for officers",
        ));
    }
    if to < from || (to - from).whole_days() > 366 {
        return Err(AppError::field(
            "to",
            "Khoảng thời gian từ 1 ngày đến 1 năm, ngày kết thúc không trước ngày bắt đầu",
            "the period is 1 day to 1 year and ends on or after it starts",
        ));
    }
    let start = |d: time::Date| d.midnight().assume_offset(VN);
    let f = DossierFilter {
        from: Some(start(from)),
        to: to.next_day().map(start),
        limit: 5000,
        ..DossierFilter::default()
    };
    let (_, mut rows) = dossiers::list(&st.db, &actor.scope, &f).await?;
    rows.reverse();
    let now = st.clock.now();
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let status = d.status;
            let note = match (d.completed_at, d.legal_due_at) {
                (Some(c), Some(l)) if c.to_offset(VN).date() <= l.to_offset(VN).date() => {
                    "Đúng hạn"
                }
                (Some(_), Some(_)) => "Quá hạn",
                _ => status.vi(),
            };
            vec![
                (i + 1).to_string(),
                d.code.clone(),
                format!("{}. {}", d.procedure_name, d.applicant_name),
                d.received_at.map(day).unwrap_or_default(),
                d.legal_due_at.map(day).unwrap_or_default(),
                d.completed_at.map(day).unwrap_or_default(),
                d.result_method
                    .as_ref()
                    .map(|m| match m.as_str() {
                        "counter" => d
                            .result_receiver
                            .clone()
                            .unwrap_or_else(|| "Tại quầy".into()),
                        "post" => "Bưu chính".into(),
                        _ => "Trực tuyến".into(),
                    })
                    .unwrap_or_default(),
                note.to_owned(),
            ]
        })
        .collect();
    let agency = actor
        .agency
        .as_ref()
        .map_or_else(|| "Hệ thống motcua".to_owned(), |a| a.name.clone());
    let place = match &actor.agency {
        Some(a) => place(st, &a.unit_code).await?,
        None => String::new(),
    };
    let f = Form {
        number: "07",
        title: "Sổ theo dõi hồ sơ".into(),
        agency,
        place,
        reference: String::new(),
        at: now,
        blocks: vec![
            Block::Para(format!(
                "Từ ngày {} đến ngày {}: {} hồ sơ.",
                day(start(from)),
                day(start(to)),
                rows.len()
            )),
            Block::Table {
                widths: vec![22.0, 88.0, 130.0, 48.0, 48.0, 48.0, 55.0, 44.0],
                head: [
                    "TT",
                    "Mã hồ sơ",
                    "Thủ tục, người nộp",
                    "Ngày nhận",
                    "Hẹn trả",
                    "Có kết quả",
                    "Trả kết quả, người nhận",
                    "Ghi chú",
                ]
                .map(String::from)
                .to_vec(),
                rows: table_rows,
            },
        ],
        signers: vec![("NGƯỜI LẬP SỔ".into(), actor.display_name.clone())],
    };
    st.access
        .append(&audit_entry(
            actor,
            "print_register",
            &format!("{from} {to}"),
            None,
            "in sổ theo dõi hồ sơ (Mẫu 07)",
            request_id,
            now,
        ))
        .await?;
    Ok(
        tokio::task::spawn_blocking(move || crate::pdf::forms::render(&f))
            .await
            .map_err(anyhow::Error::from)?,
    )
}

/// A drawn form's title, signer (role, name) and date.
type Drawn = (&'static str, (String, String), OffsetDateTime);

/// Form 02: the supplement request, with the items asked for.
fn supplement_request(
    d: &DossierRow,
    notices: &[NoticeRow],
    blocks: &mut Vec<Block>,
) -> AppResult<Drawn> {
    let (n, count) = latest(notices, "02")?;
    blocks.push(Block::Para(format!(
        "{} đã tiếp nhận hồ sơ của:",
        d.receiving_agency
    )));
    blocks.extend(applicant(d));
    if count > 1 {
        blocks.push(Block::Para(format!("Yêu cầu bổ sung lần thứ {count}.")));
    }
    blocks.push(Block::Para(
        "Sau khi xem xét, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:".into(),
    ));
    let items: Vec<String> = serde_json::from_str(&n.items).unwrap_or_default();
    for (i, it) in items.iter().enumerate() {
        blocks.push(Block::Item(format!("{}. {it}", i + 1)));
    }
    blocks.push(Block::Para(format!("Lý do: {}", n.reason)));
    blocks.push(Block::Para(format!(
        "Thời gian giải quyết hồ sơ tạm dừng từ {} cho đến khi nhận đủ hồ sơ bổ sung; thời hạn trả kết quả được lùi tương ứng.",
        format_vi(n.at)
    )));
    blocks.push(Block::Para(format!(
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ {} để được hướng dẫn.",
        d.receiving_agency
    )));
    Ok((
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        (
            "NGƯỜI HƯỚNG DẪN".into(),
            n.actor.clone().unwrap_or_default(),
        ),
        n.at,
    ))
}

/// Form 03: the refusal to receive, with its reason.
fn refusal(d: &DossierRow, notices: &[NoticeRow], blocks: &mut Vec<Block>) -> AppResult<Drawn> {
    let (n, _) = latest(notices, "03")?;
    blocks.push(Block::Para(format!(
        "{} đã nhận hồ sơ của:",
        d.receiving_agency
    )));
    blocks.extend(applicant(d));
    blocks.push(Block::Para("Qua xem xét, cơ quan, đơn vị tiếp nhận hồ sơ thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:".into()));
    blocks.push(Block::Item(n.reason.clone()));
    blocks.push(Block::Para(
        "Xin thông báo để Ông/Bà được biết và thực hiện.".into(),
    ));
    Ok((
        "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        (
            "NGƯỜI TIẾP NHẬN".into(),
            n.actor.clone().unwrap_or_default(),
        ),
        n.at,
    ))
}

/// Form 04: the apology with the new date.
fn apology(d: &DossierRow, notices: &[NoticeRow], blocks: &mut Vec<Block>) -> AppResult<Drawn> {
    let (n, _) = latest(notices, "04")?;
    let received = d.received_at.map(format_vi).unwrap_or_default();
    let legal = d.legal_due_at.map(format_vi).unwrap_or_default();
    blocks.push(Block::Para(format!(
        "Ngày {received}, {} tiếp nhận hồ sơ của Ông/Bà {}, nội dung yêu cầu giải quyết: {} (mã hồ sơ {}), hẹn trả kết quả {legal}.",
        d.receiving_agency, d.applicant_name, d.procedure_name, d.code
    )));
    blocks.push(Block::Para(format!(
        "Tuy nhiên đến nay, {} chưa trả kết quả giải quyết hồ sơ của Ông/Bà.",
        d.competent_agency
    )));
    blocks.push(Block::Para(format!("Lý do: {}", n.reason)));
    blocks.push(Block::Para(
        "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà; chúng tôi xin lỗi Ông/Bà."
            .into(),
    ));
    blocks.push(Block::Bold(format!(
        "Hồ sơ của Ông/Bà sẽ được trả kết quả vào {}.",
        n.new_due_at.map(format_vi).unwrap_or_default()
    )));
    blocks.push(Block::Para("Xin trân trọng cảm ơn.".into()));
    Ok((
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        (
            "THỦ TRƯỞNG CƠ QUAN".into(),
            n.actor.clone().unwrap_or_default(),
        ),
        n.at,
    ))
}

/// The transfer slip: the first hand-over from the receiving center to another agency.
async fn transfer_slip(st: &AppState, d: &DossierRow, blocks: &mut Vec<Block>) -> AppResult<Drawn> {
    // The transfer slip: the first hand-over from the receiving center to another agency.
    let trail = steps::of_dossier(&st.db, d.id).await?;
    let first = trail.first();
    let moved = trail
        .iter()
        .find(|s| Some(s.agency_id) != first.map(|f| f.agency_id))
        .ok_or_else(|| {
            AppError::with(
                ErrorCode::TransitionNotAllowed,
                "the dossier has not been transferred to another agency",
            )
        })?;
    blocks.push(Block::Para(format!(
        "{} chuyển hồ sơ sau đến {} để giải quyết theo thẩm quyền:",
        d.receiving_agency, moved.agency
    )));
    blocks.extend(applicant(d));
    blocks.push(Block::Para(format!(
        "Tiếp nhận hợp lệ lúc {}; hạn trả kết quả cho công dân: {} (giữ nguyên khi chuyển).",
        d.received_at.map(format_vi).unwrap_or_default(),
        d.due_at
            .map_or_else(|| "theo quy định của thủ tục".to_owned(), format_vi)
    )));
    blocks.push(Block::Para(format!(
        "Chuyển lúc {}; thời hạn của bước {}: đến {}.",
        format_vi(moved.started_at),
        moved.name,
        format_vi(moved.due_at)
    )));
    let docs = crate::store::documents::of_dossier(&st.db, d.id).await?;
    blocks.push(Block::Para(format!(
        "Thành phần hồ sơ điện tử kèm theo: {} tệp.",
        docs.len()
    )));
    for (i, doc) in docs.iter().enumerate() {
        blocks.push(Block::Item(format!(
            "{}. {} ({})",
            i + 1,
            doc.component,
            crate::service::dossier::view::state_vi(doc.state)
        )));
    }
    blocks.push(Block::Para(format!(
        "Kết quả giải quyết được chuyển về {} để trả cho công dân.",
        d.receiving_agency
    )));
    Ok((
        "Phiếu chuyển hồ sơ",
        (
            "NGƯỜI CHUYỂN".into(),
            first
                .and_then(|f| f.finished_by.clone())
                .unwrap_or_default(),
        ),
        moved.started_at,
    ))
}

/// Form 05: the notice that processing stopped.
fn stop_notice(d: &DossierRow, notices: &[NoticeRow], blocks: &mut Vec<Block>) -> AppResult<Drawn> {
    let (n, _) = latest(notices, "05")?;
    blocks.push(Block::Para(format!(
        "{} thông báo dừng giải quyết hồ sơ của:",
        d.competent_agency
    )));
    blocks.extend(applicant(d));
    blocks.push(Block::Para("Lý do dừng giải quyết:".into()));
    blocks.push(Block::Item(n.reason.clone()));
    blocks.push(Block::Para("Xin thông báo để Ông/Bà được biết.".into()));
    Ok((
        "Thông báo dừng giải quyết hồ sơ",
        (
            "THỦ TRƯỞNG CƠ QUAN".into(),
            n.actor.clone().unwrap_or_default(),
        ),
        n.at,
    ))
}

/// Form 06: the control sheet, one row a step.
async fn control_sheet(
    st: &AppState,
    actor: &Actor,
    d: &DossierRow,
    now: OffsetDateTime,
    blocks: &mut Vec<Block>,
) -> AppResult<Drawn> {
    let trail = steps::of_dossier(&st.db, d.id).await?;
    blocks.push(Block::Para(format!(
        "Hồ sơ số {}: {} — người nộp {}.",
        d.code, d.procedure_name, d.applicant_name
    )));
    blocks.push(Block::Para(format!(
        "Tiếp nhận {}; hẹn trả kết quả {}{}.",
        d.received_at.map(format_vi).unwrap_or_default(),
        d.legal_due_at.map(format_vi).unwrap_or_default(),
        match (d.due_at, d.legal_due_at) {
            (Some(a), Some(b)) if a != b => format!(" (hẹn lại {})", format_vi(a)),
            _ => String::new(),
        }
    )));
    let rows = trail
        .iter()
        .map(|s| {
            let result = match s.finished_at {
                None => "Đang xử lý".to_owned(),
                Some(f) if f < s.due_at => "Trước hạn".to_owned(),
                Some(f) if f == s.due_at => "Đúng hạn".to_owned(),
                Some(_) => "Quá hạn".to_owned(),
            };
            vec![
                s.seq.to_string(),
                format!(
                    "{}. {}{}",
                    s.name,
                    s.agency,
                    s.assignee
                        .as_ref()
                        .map(|a| format!(" — {a}"))
                        .unwrap_or_default()
                ),
                format_vi(s.started_at),
                format_vi(s.due_at),
                s.finished_at.map(format_vi).unwrap_or_default(),
                format!(
                    "{result}{}",
                    s.finished_by
                        .as_ref()
                        .map(|b| format!(" ({b})"))
                        .unwrap_or_default()
                ),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        widths: vec![28.0, 170.0, 72.0, 72.0, 72.0, 69.0],
        head: [
            "TT",
            "Bước, cơ quan, người xử lý",
            "Nhận lúc",
            "Hạn của bước",
            "Hoàn thành",
            "Kết quả",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    });
    Ok((
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        ("NGƯỜI LẬP PHIẾU".into(), actor.display_name.clone()),
        now,
    ))
}
