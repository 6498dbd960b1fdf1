//! What each action changes (its effects), from the dossier, the person and the input: one function an action.

use super::{agency_of, officer, parse_time, reason, Cx, Effects, StepStart};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::service::dossier::rules;
use crate::store::dossiers::{self};
use crate::store::steps::{self};
use crate::store::{agencies, procedures};
use motcua_domain::calendar::format_vi;
use motcua_domain::role::Role;
use motcua_domain::status::Action;
use motcua_domain::text::search_key;

/// The effects of `Action::Accept`.
pub(super) async fn on_accept(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let proc = procedures::get(&cx.st.db, &cx.row.procedure_code).await?;
    let detail = proc.as_ref().and_then(|p| p.detail.as_deref());
    let channel = cx.row.channel;
    let province = rules::province_of_unit(cx.st, &cx.row.receiving_unit_code).await?;
    let list = rules::checklist(cx.st, &cx.row.procedure_code, detail, channel, &province).await?;
    let (case, given) = (
        cx.input.document_case.as_deref(),
        cx.input.documents.as_deref(),
    );
    rules::check_papers(&list, case, given, false)?;
    e.change.papers = Some(rules::received(&list, case, given));
    let competent_unit = agencies::by_id(&cx.st.db, cx.row.competent_agency_id)
        .await?
        .map(|a| a.unit_code)
        .unwrap_or_default();
    let pinned = cx
        .pinned
        .ok_or_else(|| anyhow::anyhow!("acceptance without a pinned workflow"))?;
    let (due, source) = rules::legal_due(
        cx.st,
        detail,
        channel,
        (&competent_unit, &cx.row.procedure_field),
        pinned,
        cx.now,
    )
    .await?;
    e.change.received_at = Some(cx.now);
    e.change.due_at = Some(due);
    e.change.legal_due_at = Some(due);
    e.change.limit_source = Some(source);
    e.tell_applicant = Some(format!(
        "Hồ sơ {} đã được tiếp nhận; hẹn trả kết quả {}",
        cx.row.code,
        format_vi(due)
    ));
    Ok(())
}

/// Approving a procedure that issues a result document needs the result file in the dossier, or the statement that
/// the result is issued on paper only (written on the step).
async fn result_attached(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let issues_result = procedures::get(&cx.st.db, &cx.row.procedure_code)
        .await?
        .and_then(|p| p.detail)
        .and_then(|d| serde_json::from_str::<motcua_domain::catalog::Detail>(&d).ok())
        .is_some_and(|d| !d.results.is_empty());
    if !issues_result {
        return Ok(());
    }
    if cx.input.paper_result == Some(true) {
        e.note = if e.note.is_empty() {
            "Kết quả cấp bằng bản giấy".into()
        } else {
            format!("{} (kết quả cấp bằng bản giấy)", e.note)
        };
        return Ok(());
    }
    let attached = crate::store::documents::of_dossier(&cx.st.db, cx.row.id)
        .await?
        .iter()
        .any(|d| d.is_result);
    if attached {
        Ok(())
    } else {
        Err(AppError::field(
            "result",
            "Chưa có tệp kết quả giải quyết (văn bản đã ký) trong hồ sơ: tải tệp kết quả lên trước khi phê duyệt, hoặc đánh dấu kết quả được cấp bằng bản giấy",
            "no result file (the signed document) in the dossier: upload it before approving, or mark the result as issued on paper",
        ))
    }
}

/// The effects of `Action::Refuse`.
pub(super) async fn on_refuse(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do từ chối", "the reason for refusal")?;
    e.notice = Some(("03", r.clone(), vec![], None, None));
    e.tell_applicant = Some(format!("Hồ sơ {} không được tiếp nhận: {r}", cx.row.code));
    Ok(())
}

/// The effects of `Action::Forward | Action::Approve`.
pub(super) async fn on_forward(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    if cx.action == Action::Approve {
        result_attached(cx, e).await?;
        if cx.input.paper_result != Some(true) {
            e.seal = crate::service::results::draft(cx.st, cx.row, cx.actor).await?;
        }
    }
    let (Some(w), Some(s), Some(o)) = (&cx.wf, cx.subj.step, &cx.open) else {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "no cx.open step",
        ));
    };
    let next = s.index + 1;
    let def = w
        .steps
        .get(next)
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no next step"))?;
    let agency = agency_of(
        def.place,
        cx.row.receiving_agency_id,
        cx.row.competent_agency_id,
    );
    let assignee = match &cx.input.assignee {
        Some(u) if cx.action == Action::Forward => Some(officer(cx.st, u, def.role, agency).await?),
        _ => None,
    };
    if agency != o.agency_id {
        let target = agencies::by_id(&cx.st.db, agency).await?;
        let moved = format!(
            "{} từ {} đến {}",
            if cx.action == Action::Approve {
                "Chuyển kết quả"
            } else {
                "Chuyển hồ sơ"
            },
            o.agency,
            target.map(|a| a.name).unwrap_or_default()
        );
        e.note = if e.note.is_empty() {
            moved
        } else {
            format!("{moved}. {}", e.note)
        };
    }
    e.finish = Some(if cx.action == Action::Approve {
        "approved"
    } else {
        "forwarded"
    });
    e.start = Some(StepStart {
        index: next,
        agency,
        assignee,
        due: motcua_domain::workflow::step_due(
            def.kind,
            cx.cal.add_working_minutes(cx.now, def.minutes()),
            cx.row.due_at,
            cx.now,
        ),
    });
    if cx.action == Action::Approve {
        e.change.completed_at = Some(cx.now);
        e.tell_applicant = Some(format!("Hồ sơ {} đã có kết quả", cx.row.code));
    }
    Ok(())
}

/// The effects of `Action::ReturnStep`.
pub(super) async fn on_return_step(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do trả lại", "the reason for sending it back")?;
    e.note = r;
    let (Some(w), Some(s)) = (&cx.wf, cx.subj.step) else {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "no cx.open step",
        ));
    };
    let prev = s.index.saturating_sub(1);
    let def = w
        .steps
        .get(prev)
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no previous step"))?;
    let agency = agency_of(
        def.place,
        cx.row.receiving_agency_id,
        cx.row.competent_agency_id,
    );
    // Back cx.to whoever did the step before; a repeated step counts cx.from its first execution.
    let history = steps::of_dossier(&cx.st.db, cx.row.id).await?;
    let first = history
        .iter()
        .find(|h| usize::try_from(h.step_index).ok() == Some(prev));
    let last = history
        .iter()
        .rev()
        .find(|h| usize::try_from(h.step_index).ok() == Some(prev));
    let by = last.and_then(|h| h.assignee_user_id);
    e.finish = Some("returned");
    e.start = Some(StepStart {
        index: prev,
        agency,
        assignee: by,
        due: first.map_or_else(
            || {
                motcua_domain::workflow::step_due(
                    def.kind,
                    cx.cal.add_working_minutes(cx.now, def.minutes()),
                    cx.row.due_at,
                    cx.now,
                )
            },
            |f| f.due_at,
        ),
    });
    Ok(())
}

/// The effects of `Action::Assign | Action::Claim`.
pub(super) async fn on_assign(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let s = cx
        .subj
        .step
        .ok_or_else(|| AppError::with(ErrorCode::TransitionNotAllowed, "no cx.open step"))?;
    let user = if cx.action == Action::Claim {
        cx.actor.user_id
    } else {
        let name = cx.input.assignee.as_deref().unwrap_or("").trim();
        if name.is_empty() {
            return Err(AppError::field(
                "assignee",
                "Chọn cán bộ được giao",
                "name the officer cx.to e.assign",
            ));
        }
        officer(cx.st, name, s.role, s.agency).await?
    };
    e.assign = Some(user);
    Ok(())
}

/// The effects of `Action::RequestSupplement`.
pub(super) async fn on_request_supplement(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let items: Vec<String> = cx
        .input
        .missing
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect();
    if items.is_empty() || items.len() > 50 || items.iter().any(|i| i.chars().count() > 500) {
        return Err(AppError::field(
            "missing",
            "Liệt kê giấy tờ cần bổ sung, hoàn thiện (1–50 mục, mỗi mục tối đa 500 ký tự)",
            "list what must be supplemented (1–50 items of at most 500 characters)",
        ));
    }
    let r = reason(
        cx.input,
        "lý do yêu cầu bổ sung",
        "the reason for the request",
    )?;
    e.tell_applicant = Some(format!(
        "Hồ sơ {} cần bổ sung: {}",
        cx.row.code,
        items.join("; ")
    ));
    e.notice = Some(("02", r, items, None, None));
    Ok(())
}

/// The effects of `Action::RequestPayment`: the fee from the catalog (or the officer's corrected amount).
pub(super) async fn on_request_payment(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let fee = crate::service::money::fees::assess(cx.st, cx.row, cx.input).await?;
    let amount = fee.amount;
    e.tell_applicant = Some(format!(
        "Hồ sơ {} chờ thực hiện nghĩa vụ tài chính: {}",
        cx.row.code,
        motcua_domain::money::Vnd(amount)
    ));
    e.notice = Some(("payment", e.note.clone(), vec![], None, Some(amount)));
    e.fee = Some(fee);
    Ok(())
}

/// The effects of `Action::ReceiveSupplement | Action::ConfirmPayment`.
pub(super) async fn on_resume(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    // A citizen's supplement closes only with every paper asked for sent; the officer may close it with the rest
    // on paper.
    if cx.action == Action::ReceiveSupplement && cx.actor.role == Role::Citizen {
        if let Some(r) = crate::service::dossier::view::open_request(cx.st, cx.row).await? {
            let sending = cx.input.sending.as_deref().map(search_key);
            let missing: Vec<String> = r
                .missing()
                .into_iter()
                .filter(|m| Some(search_key(m)) != sending)
                .collect();
            if !missing.is_empty() {
                return Err(AppError::field(
                    "missing",
                    format!("Còn thiếu: {}", missing.join("; ")),
                    format!("still missing: {}", missing.join("; ")),
                ));
            }
        }
    }
    // The clock restarts: dates move by the working time it was stopped (each stop counted once).
    let events = dossiers::events(&cx.st.db, cx.row.id).await?;
    let since = events
        .iter()
        .rev()
        .find(|e| e.to_status == cx.row.status && e.from_status != Some(cx.row.status.code()))
        .map(|e| e.at);
    if let Some(since) = since {
        let paused = cx.cal.working_minutes_between(since, cx.now).max(0);
        // Stopped and resumed outside working hours: nothing moves (a date at 17:00 stays there rather than
        // becoming 07:00 of the next working day).
        if paused == 0 {
            return Ok(());
        }
        e.shift = Some(paused);
        e.change.due_at = cx.row.due_at.map(|d| cx.cal.add_working_minutes(d, paused));
        e.change.legal_due_at = cx
            .row
            .legal_due_at
            .map(|d| cx.cal.add_working_minutes(d, paused));
    }
    Ok(())
}

/// The effects of `Action::Extend`.
pub(super) async fn on_extend(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do chậm trễ", "the reason for the delay")?;
    let new_due = parse_time(cx.input.new_due.as_deref().unwrap_or(""))?;
    let due = cx.row.due_at.ok_or_else(|| {
        AppError::with(
            ErrorCode::TransitionNotAllowed,
            "the dossier has no due date",
        )
    })?;
    if cx.now >= due {
        return Err(AppError::with(
            ErrorCode::TransitionNotAllowed,
            "an apology with a new date must be issued before the due date",
        ));
    }
    if new_due <= due {
        return Err(AppError::field(
            "new_due",
            "Ngày hẹn mới phải sau ngày hẹn hiện tại",
            "the new date must be after the current due date",
        ));
    }
    e.change.due_at = Some(new_due);
    e.tell_applicant = Some(format!(
        "Xin lỗi: hồ sơ {} được hẹn lại ngày trả kết quả {}",
        cx.row.code,
        format_vi(new_due)
    ));
    e.notice = Some(("04", r, vec![], Some(new_due), None));
    Ok(())
}

/// The effects of `Action::Withdraw`.
pub(super) async fn on_withdraw(_: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    e.finish = Some("withdrawn");
    e.change.current_step = None;
    Ok(())
}

/// The effects of `Action::Stop`.
pub(super) async fn on_stop(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let r = reason(cx.input, "lý do dừng xử lý", "the reason for stopping")?;
    e.tell_applicant = Some(format!("Hồ sơ {} bị dừng xử lý: {r}", cx.row.code));
    e.notice = Some(("05", r, vec![], None, None));
    e.finish = Some("stopped");
    e.change.current_step = None;
    Ok(())
}

/// The effects of `Action::ReturnResult`.
pub(super) async fn on_return_result(cx: &Cx<'_>, e: &mut Effects) -> AppResult<()> {
    let method = cx.input.method.as_deref().unwrap_or("");
    let receiver = cx
        .input
        .receiver_name
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_owned();
    match method {
        "counter" if receiver.is_empty() || receiver.chars().count() > 200 => {
            return Err(AppError::field(
                "receiver_name",
                "Nhập họ tên người nhận kết quả",
                "give the name of the person who received the result",
            ))
        }
        "counter" | "online" | "post" => {}
        _ => return Err(AppError::field(
            "method",
            "Hình thức trả kết quả: counter (tại quầy), online (trực tuyến) hoặc post (bưu chính)",
            "method is counter, online or post",
        )),
    }
    e.change.result_method = Some(method.to_owned());
    e.change.result_receiver = (!receiver.is_empty()).then_some(receiver);
    e.finish = Some("result_returned");
    e.change.current_step = None;
    Ok(())
}
