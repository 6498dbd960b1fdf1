//! The public portal: procedure search and pages, dossier tracking, result download and satisfaction rating.

use super::page::{CsrfForm, PageResult};
use super::{esc, see_other, url_enc, Ctx};
use crate::error::{AppError, ErrorCode};
use crate::http::extract::{AppPath, AppQuery};
use crate::service::dossier::tracking::{self, Tracked, REASONS};
use crate::state::AppState;
use crate::store::procedures::{self, ProcedureFilter};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use motcua_domain::catalog::{Detail, DocumentDuty};
use serde::Deserialize;
use std::fmt::Write as _;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
    level: String,
    field: String,
    page: i64,
}

const PAGE: i64 = 20;

fn levels(ctx: &Ctx, p: &procedures::ProcedureRow) -> String {
    let mut v = Vec::new();
    if p.level_province {
        v.push(ctx.t("Cấp tỉnh", "Province level"));
    }
    if p.level_commune {
        v.push(ctx.t("Cấp xã", "Commune level"));
    }
    if p.level_ministry {
        v.push(ctx.t("Cấp bộ", "Ministry level"));
    }
    if p.level_other {
        v.push(ctx.t("Cơ quan khác", "Other agencies"));
    }
    v.join(", ")
}

fn online(ctx: &Ctx, level: &str) -> &'static str {
    match level {
        "full" => ctx.t("Dịch vụ công trực tuyến toàn trình", "Fully online"),
        "partial" => ctx.t("Dịch vụ công trực tuyến một phần", "Partly online"),
        _ => ctx.t("Nộp trực tiếp hoặc qua bưu chính", "In person or by post"),
    }
}

/// `/`: procedure search (diacritics optional), by field and level.
pub async fn home(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<SearchQuery>, AppError>,
) -> PageResult {
    let q = match q {
        Ok(AppQuery(q)) => q,
        Err(e) => return Err(e.into()),
    };
    let fields = match procedures::fields(&st.db).await {
        Ok(f) => f,
        Err(e) => return Err(e.into()),
    };
    let level = ["commune", "province"]
        .contains(&q.level.as_str())
        .then(|| q.level.clone());
    let page = q.page.clamp(1, 500);
    let mut body = format!(
        "<h1>{}</h1><p class=\"lead\">{}</p>",
        ctx.t("Tra cứu thủ tục hành chính", "Find an administrative procedure"),
        ctx.t(
            "Gõ tên thủ tục, có dấu hoặc không dấu (“ket hon” tìm được “kết hôn”), hoặc mã thủ tục.",
            "Type the procedure's name, with or without Vietnamese accents (“ket hon” finds “kết hôn”), or its code."
        )
    );
    let sel = |a: &str, b: &str| if a == b { " selected" } else { "" };
    let _ = write!(
        body,
        r#"<form method="get" action="/" role="search" class="search">
<div class="row"><label for="q">{l_q}</label>
<input id="q" name="q" type="search" value="{q}" placeholder="{ph}"></div>
<div class="row"><label for="field">{l_field}</label><select id="field" name="field"><option value="">{all}</option>"#,
        l_q = ctx.t("Tên hoặc mã thủ tục", "Procedure name or code"),
        q = esc(&q.q),
        ph = ctx.t(
            "ví dụ: đăng ký khai sinh",
            "e.g. đăng ký khai sinh (birth registration)"
        ),
        l_field = ctx.t("Lĩnh vực", "Field"),
        all = ctx.t("Tất cả lĩnh vực", "All fields"),
    );
    for (f, n) in &fields {
        let _ = write!(
            body,
            "<option value=\"{v}\"{s}>{v} ({n})</option>",
            v = esc(f),
            s = sel(f, &q.field)
        );
    }
    let _ = write!(
        body,
        r#"</select></div>
<div class="row"><label for="level">{l_level}</label><select id="level" name="level"><option value="">{all}</option><option value="commune"{s1}>{commune}</option><option value="province"{s2}>{province}</option></select></div>
<button type="submit">{go}</button></form>"#,
        l_level = ctx.t("Cấp thực hiện", "Level"),
        all = ctx.t("Tất cả các cấp", "All levels"),
        s1 = sel("commune", &q.level),
        s2 = sel("province", &q.level),
        commune = ctx.t("Cấp xã", "Commune level"),
        province = ctx.t("Cấp tỉnh", "Province level"),
        go = ctx.t("Tìm kiếm", "Search"),
    );
    if !q.q.trim().is_empty() || !q.field.is_empty() || level.is_some() {
        let f = ProcedureFilter {
            q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
            level,
            field: Some(q.field.clone()).filter(|s| !s.is_empty()),
            limit: PAGE,
            offset: (page - 1) * PAGE,
            ..Default::default()
        };
        let (total, rows) = match procedures::search(&st.db, &f).await {
            Ok(r) => r,
            Err(e) => return Err(e.into()),
        };
        let _ = write!(
            body,
            "<p class=\"count\" data-test=\"result-count\" role=\"status\">{} <strong>{total}</strong> {}</p><ol class=\"results\" start=\"{}\">",
            ctx.t("Tìm thấy", "Found"),
            ctx.t("thủ tục", "procedures"),
            (page - 1) * PAGE + 1
        );
        for p in &rows {
            let bf = if p.boundary_free {
                format!(
                    " · <span class=\"badge\">{}</span>",
                    ctx.t("Không phụ thuộc địa giới", "Boundary-free")
                )
            } else {
                String::new()
            };
            let _ = write!(
                body,
                "<li><a href=\"/thu-tuc/{code}\">{name}</a><br><small><span class=\"code\">{code}</span> · {field} · {lv} · {ol}{bf}</small></li>",
                code = esc(&p.code),
                name = esc(&p.name),
                field = esc(&p.field),
                lv = levels(&ctx, p),
                ol = online(&ctx, &p.online_level),
            );
        }
        body.push_str("</ol>");
        if total > page * PAGE {
            let _ = write!(
                body,
                "<p><a rel=\"next\" href=\"/?q={}&amp;field={}&amp;level={}&amp;page={}\">{}</a></p>",
                url_enc(&q.q),
                url_enc(&q.field),
                url_enc(&q.level),
                page + 1,
                ctx.t("Trang sau", "Next page")
            );
        }
    }
    Ok(ctx.page(
        ctx.t("Thủ tục hành chính", "Administrative procedures"),
        &body,
    ))
}

/// `/thu-tuc/{code}`: everything a citizen needs before going: documents, fees, time, where, online or not.
pub async fn procedure(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
) -> PageResult {
    let code = match path {
        Ok(AppPath(c)) => c,
        Err(e) => return Err(e.into()),
    };
    let p = match procedures::get(&st.db, &code).await {
        Ok(Some(p)) => p,
        Ok(None) => return Err(AppError::code(ErrorCode::ProcedureNotFound).into()),
        Err(e) => return Err(e.into()),
    };
    let d: Option<Detail> = p
        .detail
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let r = &p.row;
    // A province may offer it online on its own list even where the national level is "none".
    let offered_online = match procedures::online_somewhere(&st.db, &r.code).await {
        Ok(o) => o,
        Err(e) => return Err(e.into()),
    };
    let mut body = format!(
        "<p class=\"crumbs\"><a href=\"/\">{}</a></p><h1>{}</h1><dl class=\"facts\">\
         <dt>{}</dt><dd><span class=\"code\">{}</span></dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd data-test=\"online-level\">{}</dd>",
        ctx.t("Thủ tục hành chính", "Procedures"),
        esc(&r.name),
        ctx.t("Mã thủ tục", "Code"),
        esc(&r.code),
        ctx.t("Lĩnh vực", "Field"),
        esc(&r.field),
        ctx.t("Cấp thực hiện", "Level"),
        levels(&ctx, r),
        ctx.t("Mức độ trực tuyến", "Online service"),
        online(&ctx, &r.online_level),
    );
    let where_ = if r.boundary_free {
        ctx.t(
            "Bất kỳ Trung tâm Phục vụ hành chính công nào trong tỉnh (thủ tục không phụ thuộc địa giới hành chính).",
            "Any public administrative service center in the province (boundary-free procedure).",
        )
    } else if r.level_commune {
        ctx.t(
            "Trung tâm Phục vụ hành chính công cấp xã nơi có thẩm quyền, hoặc nộp trực tuyến.",
            "The commune's public administrative service center, or online.",
        )
    } else {
        ctx.t(
            "Trung tâm Phục vụ hành chính công cấp xã bất kỳ (hồ sơ được chuyển lên tỉnh) hoặc Trung tâm cấp tỉnh, hoặc nộp trực tuyến.",
            "Any commune service center (the dossier is forwarded to the province), the provincial center, or online.",
        )
    };
    let _ = write!(
        body,
        "<dt>{}</dt><dd data-test=\"where\">{}</dd>",
        ctx.t("Nơi nộp hồ sơ", "Where to submit"),
        where_
    );
    // Each province issues its own lists: say where they differ from the national catalog.
    let own = match procedures::province_overrides(&st.db, &r.code).await {
        Ok(o) => o,
        Err(e) => return Err(e.into()),
    };
    if !own.is_empty() {
        let _ = write!(
            body,
            "<dt>{}</dt><dd data-test=\"province-flags\"><ul>",
            ctx.t("Quy định riêng của tỉnh", "Provinces' own lists")
        );
        for (name, level, bf) in &own {
            let mut parts: Vec<&str> = Vec::new();
            if let Some(l) = level {
                parts.push(online(&ctx, l));
            }
            match bf {
                Some(true) => parts.push(ctx.t("phi địa giới", "boundary-free")),
                Some(false) => parts.push(ctx.t("theo địa giới", "within its commune")),
                None => {}
            }
            let _ = write!(body, "<li>{}: {}</li>", esc(name), esc(&parts.join(", ")));
        }
        body.push_str("</ul></dd>");
    }
    if let Some(d) = &d {
        if !d.implementing_agency.is_empty() {
            let _ = write!(
                body,
                "<dt>{}</dt><dd>{}</dd>",
                ctx.t("Cơ quan thực hiện", "Implementing agency"),
                esc(&d.implementing_agency)
            );
        }
    }
    body.push_str("</dl>");
    if offered_online {
        let partly = if r.online_level == "partial" {
            ctx.t(
                " Thủ tục trực tuyến một phần: có bước (như nộp bản gốc, nhận kết quả) thực hiện trực tiếp.",
                " Partly online: some steps (such as showing originals or collecting the result) are done in person.",
            )
        } else {
            ""
        };
        let _ = write!(
            body,
            "<form method=\"post\" action=\"/nop/{code}\" class=\"inline\">{csrf}<button type=\"submit\" data-test=\"submit-online\">{l}</button></form><p class=\"muted\"><small>{hint}{partly}</small></p>",
            code = esc(&r.code),
            csrf = ctx.csrf_field(),
            l = ctx.t("Nộp hồ sơ trực tuyến", "Apply online"),
            hint = ctx.t("Cần đăng nhập.", "Sign-in needed."),
        );
    }
    if let Some(d) = &d {
        let _ = write!(
            body,
            "<h2>{}</h2><table><caption class=\"sr\">{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            ctx.t("Cách thức thực hiện, thời hạn và phí", "Channels, time limits and fees"),
            ctx.t("Thời hạn và phí theo cách nộp", "Time limit and fee per channel"),
            ctx.t("Cách nộp", "Channel"),
            ctx.t("Thời hạn giải quyết", "Time limit"),
            ctx.t("Phí, lệ phí", "Fees"),
        );
        for c in &d.channels {
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{}</td><td data-test=\"fee\">{}</td></tr>",
                esc(c.channel.vi()),
                esc(&crate::http::api::time_vi(&c.time)),
                esc(&crate::http::api::fee_vi(&c.fee)),
            );
        }
        body.push_str("</tbody></table>");
        let _ = write!(body, "<h2>{}</h2>", ctx.t("Thành phần hồ sơ", "Documents"));
        for g in &d.documents {
            let duty = match g.duty {
                DocumentDuty::Submit => ctx.t("Giấy tờ phải nộp", "To submit"),
                DocumentDuty::Show => ctx.t("Giấy tờ phải xuất trình", "To show"),
            };
            let folded = motcua_domain::text::search_key(&g.title);
            let title = if folded.is_empty() || folded.starts_with("giay to phai") {
                String::new()
            } else {
                format!(" — {}", esc(&g.title))
            };
            let _ = write!(body, "<h3>{duty}{title}</h3><ol class=\"docs\">");
            for it in &g.items {
                let qty = if it.quantity_raw.is_empty() {
                    String::new()
                } else {
                    format!(
                        " <small>({}: {})</small>",
                        ctx.t("số lượng", "quantity"),
                        esc(&it.quantity_raw)
                    )
                };
                let form = it.form.as_deref().map_or_else(String::new, |f| {
                    format!(" <small>· {}: {}</small>", ctx.t("mẫu", "form"), esc(f))
                });
                let _ = write!(body, "<li>{}{qty}{form}</li>", esc(&it.name));
            }
            body.push_str("</ol>");
        }
        if !d.steps.is_empty() {
            let _ = write!(
                body,
                "<h2>{}</h2><ol>",
                ctx.t("Trình tự thực hiện", "Steps")
            );
            for s in &d.steps {
                let _ = write!(body, "<li>{}</li>", esc(s));
            }
            body.push_str("</ol>");
        }
        if !d.conditions.is_empty() {
            let _ = write!(
                body,
                "<h2>{}</h2><p>{}</p>",
                ctx.t("Yêu cầu, điều kiện", "Conditions"),
                esc(&d.conditions)
            );
        }
        if !d.results.is_empty() {
            let _ = write!(body, "<h2>{}</h2><ul>", ctx.t("Kết quả", "Result"));
            for x in &d.results {
                let _ = write!(body, "<li>{}</li>", esc(&x.name));
            }
            body.push_str("</ul>");
        }
        if !d.legal_basis.is_empty() {
            let _ = write!(
                body,
                "<h2>{}</h2><ul class=\"legal\">",
                ctx.t("Căn cứ pháp lý", "Legal basis")
            );
            for l in &d.legal_basis {
                let _ = write!(body, "<li>{} {}</li>", esc(&l.number), esc(&l.name));
            }
            body.push_str("</ul>");
        }
    } else {
        let _ = write!(
            body,
            "<p class=\"notice\">{}</p>",
            ctx.t(
                "Chưa có thông tin chi tiết của thủ tục này; vui lòng hỏi tại Trung tâm.",
                "No detail is recorded for this procedure yet; please ask at a service center."
            )
        );
    }
    let _ = write!(
        body,
        "<p class=\"muted\"><small>{}: {}</small></p>",
        ctx.t("Nguồn", "Source"),
        esc(&p.source)
    );
    Ok(ctx.page(&r.name, &body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackGet {
    ma: String,
    t: String,
    rated: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackPost {
    csrf: String,
    ma: String,
    so: String,
}

fn track_form(ctx: &Ctx, ma: &str) -> String {
    format!(
        r#"<form method="post" action="/tra-cuu">{csrf}
<div class="row"><label for="ma">{l_ma}</label>
<input id="ma" name="ma" value="{ma}" placeholder="20242-261123-0001" required autocomplete="off"></div>
<div class="row"><label for="so">{l_so}</label>
<input id="so" name="so" inputmode="numeric" autocomplete="off" required></div>
<button type="submit">{go}</button></form>
<p class="muted"><small>{hint}</small></p>"#,
        csrf = ctx.csrf_field(),
        l_ma = ctx.t("Mã hồ sơ", "Dossier code"),
        ma = esc(ma),
        l_so = ctx.t(
            "Số định danh cá nhân của người nộp (hoặc mã số thuế của tổ chức)",
            "The applicant's personal ID number (or the organisation's tax code)"
        ),
        go = ctx.t("Tra cứu", "Track"),
        hint = ctx.t(
            "Hoặc quét mã QR trên giấy tiếp nhận hồ sơ. Số định danh không được lưu trong địa chỉ trang.",
            "Or scan the QR code on your receipt. Your ID number never appears in the page address."
        ),
    )
}

/// The result documents: links when the viewer proved the ID number or is the signed-in applicant (a grant); else
/// the names and a form asking for the ID number (the receipt token alone never downloads a result).
fn results_list(ctx: &Ctx, t: &Tracked) -> String {
    let mut b = format!(
        "<h3>{}</h3><ul data-test=\"results\">",
        ctx.t("Kết quả giải quyết", "Result")
    );
    let grant = t.result_grant.as_deref();
    for d in &t.results {
        let kb = (d.size + 1023) / 1024;
        if grant.is_some() {
            let _ = write!(
                b,
                "<li><a href=\"/tra-cuu/{code}/ket-qua/{id}{g}\" data-test=\"result-link\">{name}</a> <small>({kb} KB)</small></li>",
                code = esc(&t.code),
                id = d.id,
                g = grant.map_or_else(String::new, |g| format!("?g={}", esc(g))),
                name = esc(&d.file_name),
            );
        } else {
            let _ = write!(b, "<li>{} <small>({kb} KB)</small></li>", esc(&d.file_name));
        }
    }
    b.push_str("</ul>");
    if grant.is_none() {
        let _ = write!(
            b,
            "<p class=\"muted\" data-test=\"result-needs-id\">{}</p>",
            ctx.t(
                "Để tải kết quả, vui lòng nhập số định danh của người nộp vào ô tra cứu bên dưới (mã QR trên phiếu hẹn chỉ dùng để xem tiến độ).",
                "To download the result, enter the applicant's ID number in the form below (the receipt's QR code only shows progress)."
            )
        );
    } else {
        let _ = write!(
            b,
            "<p class=\"muted\"><small>{}</small></p>",
            ctx.t(
                "Liên kết tải kết quả có hiệu lực trong 30 phút.",
                "The download links work for 30 minutes."
            )
        );
    }
    b
}

fn render_tracked(ctx: &Ctx, t: &Tracked, rated_now: bool) -> String {
    let mut b = format!(
        "<section class=\"tracked\" data-test=\"tracked\" aria-labelledby=\"tracked-h\"><h2 id=\"tracked-h\">{} {}</h2><dl>\
         <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
         <dt>{}</dt><dd><strong data-test=\"status\">{}</strong>{}</dd>\
         <dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd data-test=\"due\">{}{}</dd><dt>{}</dt><dd>{}</dd></dl>",
        ctx.t("Hồ sơ", "Dossier"),
        esc(&t.code),
        ctx.t("Thủ tục", "Procedure"),
        esc(&t.procedure),
        ctx.t("Nơi tiếp nhận", "Received by"),
        esc(&t.receiving_agency),
        ctx.t("Trạng thái", "Status"),
        ctx.t(t.status_vi, t.status_en),
        t.current_step.as_deref().map_or_else(String::new, |s| format!(
            "<br><small data-test=\"step\">{} {}</small>",
            ctx.t("Bước hiện tại:", "Current step:"),
            esc(s)
        )),
        ctx.t("Ngày nộp", "Submitted"),
        t.submitted_vi,
        ctx.t("Ngày tiếp nhận", "Received"),
        t.received_vi.as_deref().unwrap_or("—"),
        ctx.t("Hẹn trả kết quả", "Result due"),
        t.due_vi.as_deref().unwrap_or("—"),
        t.original_due_vi.as_deref().map_or_else(String::new, |o| format!(
            "<br><small data-test=\"apology\">{} {o}.</small>",
            ctx.t(
                "Cơ quan giải quyết đã xin lỗi và hẹn lại ngày trả; ngày hẹn ban đầu",
                "The agency apologised and set a new date; the first date was"
            )
        )),
        ctx.t("Thời gian còn lại", "Time left"),
        esc(ctx.t(
            t.remaining_vi.as_deref().unwrap_or("—"),
            t.remaining_en.as_deref().unwrap_or("—")
        )),
    );
    if let Some((reason, items)) = &t.supplement {
        let _ = write!(
            b,
            "<div class=\"notice\" data-test=\"supplement\"><h3>{}</h3><p>{}</p><ul>",
            ctx.t(
                "Cơ quan yêu cầu bổ sung hồ sơ",
                "The agency asks for more documents"
            ),
            esc(reason)
        );
        for i in items {
            let _ = write!(b, "<li>{}</li>", esc(i));
        }
        let _ = write!(
            b,
            "</ul><p>{} <a href=\"/ho-so-cua-toi/{}\">{}</a></p></div>",
            ctx.t(
                "Bổ sung trực tuyến sau khi đăng nhập, hoặc mang giấy tờ đến nơi tiếp nhận.",
                "Answer online after signing in, or bring the documents to where you applied."
            ),
            esc(&t.code),
            ctx.t("Bổ sung trực tuyến", "Answer online")
        );
    }
    if !t.results.is_empty() {
        b.push_str(&results_list(ctx, t));
    }
    let _ = write!(
        b,
        "<h3>{}</h3><ol class=\"timeline\">",
        ctx.t("Tiến trình", "Progress")
    );
    for s in &t.steps {
        let status = ctx.t(s.status_vi, s.status_en);
        match (s.action_vi, s.action_en) {
            (Some(a), Some(e)) => {
                let _ = write!(
                    b,
                    "<li>{} — {} <span class=\"muted\">({status})</span></li>",
                    s.at_vi,
                    ctx.t(a, e)
                );
            }
            _ => {
                let _ = write!(b, "<li>{} — {status}</li>", s.at_vi);
            }
        }
    }
    b.push_str("</ol>");
    if rated_now || t.rating.is_some() {
        let _ = write!(
            b,
            "<p class=\"ok\" role=\"status\" data-test=\"rated\">{}</p>",
            ctx.t(
                "Cảm ơn bạn đã đánh giá mức độ hài lòng.",
                "Thank you for rating our service."
            )
        );
    } else if t.can_rate {
        let _ = write!(
            b,
            r#"<form method="post" action="/tra-cuu/{code}/danh-gia" class="rate" data-test="rate-form">{csrf}<input type="hidden" name="t" value="{tok}">
<fieldset><legend>{q}</legend>
<label class="choice"><input type="radio" name="level" value="1" required> {l1}</label>
<label class="choice"><input type="radio" name="level" value="2"> {l2}</label>
<label class="choice"><input type="radio" name="level" value="3"> {l3}</label></fieldset>
<fieldset><legend>{rq}</legend>"#,
            code = esc(&t.code),
            csrf = ctx.csrf_field(),
            tok = esc(&t.token),
            q = ctx.t(
                "Bạn có hài lòng với việc giải quyết hồ sơ?",
                "Are you satisfied with how your dossier was handled?"
            ),
            l1 = ctx.t("Rất hài lòng", "Very satisfied"),
            l2 = ctx.t("Hài lòng", "Satisfied"),
            l3 = ctx.t("Không hài lòng", "Not satisfied"),
            rq = ctx.t("Lý do (nếu không hài lòng)", "Reasons (if not satisfied)"),
        );
        for (k, vi, en) in REASONS {
            let _ = write!(
                b,
                "<label class=\"choice\"><input type=\"checkbox\" name=\"reasons\" value=\"{k}\"> {}</label>",
                ctx.t(vi, en)
            );
        }
        let _ = write!(
            b,
            "</fieldset><div class=\"row\"><label for=\"comment\">{}</label><textarea id=\"comment\" name=\"comment\" rows=\"3\" maxlength=\"1000\"></textarea></div><button type=\"submit\">{}</button></form>",
            ctx.t("Ý kiến khác (không bắt buộc)", "Other comments (optional)"),
            ctx.t("Gửi đánh giá", "Send rating")
        );
    }
    b.push_str("</section>");
    b
}

fn track_page(
    ctx: &Ctx,
    ma: &str,
    result: Option<Result<Tracked, AppError>>,
    rated_now: bool,
) -> Response {
    let mut body = format!("<h1>{}</h1>", ctx.t("Tra cứu hồ sơ", "Track a dossier"));
    let mut status = axum::http::StatusCode::OK;
    match result {
        Some(Ok(t)) => body.push_str(&render_tracked(ctx, &t, rated_now)),
        Some(Err(e)) if e.error_code() == ErrorCode::RateLimited => {
            status = axum::http::StatusCode::TOO_MANY_REQUESTS;
            let _ = write!(
                body,
                "<p class=\"notice\" role=\"alert\" data-test=\"rate-limited\">{}</p>",
                ctx.t(
                    "Bạn tra cứu quá nhiều lần, vui lòng thử lại sau một phút.",
                    "Too many look-ups; please try again in a minute."
                )
            );
        }
        Some(Err(_)) => {
            status = axum::http::StatusCode::NOT_FOUND;
            let _ = write!(
                body,
                "<p class=\"notice\" role=\"alert\" data-test=\"not-found\">{}</p>",
                ctx.t(
                    "Không tìm thấy hồ sơ với mã và số định danh đã nhập.",
                    "No dossier matches this code and ID number."
                )
            );
        }
        None => {}
    }
    body.push_str(&track_form(ctx, ma));
    let mut r = ctx.page(ctx.t("Tra cứu hồ sơ", "Track a dossier"), &body);
    *r.status_mut() = status;
    r
}

/// `GET /tra-cuu`: the form, or a dossier when the receipt's QR token is given.
pub async fn track_get(
    State(st): State<AppState>,
    ctx: Ctx,
    q: Result<AppQuery<TrackGet>, AppError>,
) -> PageResult {
    let q = match q {
        Ok(AppQuery(q)) => q,
        Err(e) => return Err(e.into()),
    };
    let t = q.t.trim();
    // Addresses end up in proxy and browser logs: an ID number may only travel in the form's body.
    let token_like = t.len() == 20 && t.bytes().all(|b| b.is_ascii_hexdigit());
    if !t.is_empty() && !token_like {
        let mut body = format!(
            "<h1>{}</h1><div class=\"notice\" role=\"alert\" data-test=\"id-in-address\"><p>{}</p></div>",
            ctx.t("Tra cứu hồ sơ", "Track a dossier"),
            ctx.t(
                "Số định danh không được gửi trong địa chỉ trang (địa chỉ được lưu trong lịch sử trình duyệt). Vui lòng nhập vào ô bên dưới.",
                "ID numbers never go in the page address (addresses stay in the browser's history). Please enter it in the form below."
            )
        );
        body.push_str(&track_form(&ctx, &q.ma));
        let mut r = ctx.page(ctx.t("Tra cứu hồ sơ", "Track a dossier"), &body);
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    let result = if q.ma.trim().is_empty() || t.is_empty() {
        None
    } else {
        Some(
            tracking::track(
                &st,
                ctx.ip,
                &q.ma,
                t,
                ctx.actor.as_ref().map(|a| a.user_id),
                &ctx.rid,
            )
            .await,
        )
    };
    Ok(track_page(&ctx, &q.ma, result, q.rated == "1"))
}

/// `POST /tra-cuu`: tracking by code and ID number (the number travels in the body, never in the address).
pub async fn track_post(
    State(st): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<TrackPost>,
) -> PageResult {
    let result = tracking::track(
        &st,
        ctx.ip,
        &f.ma,
        &f.so,
        ctx.actor.as_ref().map(|a| a.user_id),
        &ctx.rid,
    )
    .await;
    Ok(track_page(&ctx, &f.ma, Some(result), false))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct GrantQuery {
    g: String,
}

/// `/tra-cuu/{code}/ket-qua/{id}?g=`: the e-result for someone who tracked it with the ID number, or its signed-in
/// applicant.
pub async fn result_file(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<(String, i64)>, AppError>,
    q: Result<AppQuery<GrantQuery>, AppError>,
) -> PageResult {
    let (Ok(AppPath((code, id))), Ok(AppQuery(q))) = (path, q) else {
        return Err(AppError::code(ErrorCode::BadRequest).into());
    };
    let owner = ctx.actor.as_ref().map(|a| a.user_id);
    match tracking::result_file(&st, &code, &q.g, owner, id, &ctx.rid).await {
        Ok((ct, name, bytes)) => Ok((
            [
                (axum::http::header::CONTENT_TYPE, ct),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    super::disposition("attachment", &name),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /tra-cuu/{code}/danh-gia`: the satisfaction rating.
pub async fn rate(
    State(st): State<AppState>,
    ctx: Ctx,
    path: Result<AppPath<String>, AppError>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let Ok(AppPath(code)) = path else {
        return Err(AppError::code(ErrorCode::BadRequest).into());
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let reasons: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "reasons")
        .map(|(_, v)| v.clone())
        .collect();
    let level: i16 = get("level").parse().unwrap_or(0);
    let token = get("t").to_owned();
    match tracking::rate(
        &st,
        &code,
        &token,
        level,
        &reasons,
        get("comment"),
        &ctx.rid,
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/tra-cuu?ma={}&t={}&rated=1",
            url_enc(&code),
            url_enc(&token)
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The public portal: search, procedure pages, tracking, e-results and ratings.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(home))
        .route("/thu-tuc/{code}", get(procedure))
        .route("/tra-cuu", get(track_get).post(track_post))
        .route("/tra-cuu/{code}/ket-qua/{id}", get(result_file))
        .route("/tra-cuu/{code}/danh-gia", post(rate))
}
