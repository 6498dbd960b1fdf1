//! The home page: what this server is, a procedure search that works without JavaScript, and where the API is.
//! The full citizen portal and officer workspace come with the web-application issue.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::procedures::{self, ProcedureFilter};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HomeQuery {
    q: Option<String>,
    level: Option<String>,
}

const CSS: &str = include_str!("../../static/app.css");

/// `/static/app.css`.
pub async fn css() -> Response {
    (
        [
            ("content-type", "text/css; charset=utf-8"),
            ("cache-control", "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// `/`.
pub async fn home(
    State(st): State<AppState>,
    super::extract::AppQuery(q): super::extract::AppQuery<HomeQuery>,
) -> AppResult<Html<String>> {
    let text = q.q.clone().unwrap_or_default();
    let level = q
        .level
        .clone()
        .filter(|l| ["commune", "province"].contains(&l.as_str()));
    let mut results = String::new();
    if !text.trim().is_empty() {
        let f = ProcedureFilter {
            q: Some(text.clone()),
            level: level.clone(),
            limit: 50,
            ..Default::default()
        };
        let (total, rows) = procedures::search(&st.db, &f).await?;
        results.push_str(&format!(
            "<p class=\"count\" data-test=\"result-count\">Tìm thấy <strong>{total}</strong> thủ tục <span lang=\"en\">({total} procedures found)</span></p><ol class=\"results\">"
        ));
        for p in &rows {
            let mut levels = Vec::new();
            if p.level_province {
                levels.push("Cấp tỉnh");
            }
            if p.level_commune {
                levels.push("Cấp xã");
            }
            results.push_str(&format!(
                "<li><a href=\"/api/v1/procedures/{code}\"><span class=\"code\">{code}</span> {name}</a><br><small>{field} · {levels}</small></li>",
                code = esc(&p.code),
                name = esc(&p.name),
                field = esc(&p.field),
                levels = levels.join(", ")
            ));
        }
        results.push_str("</ol>");
    }
    let sel = |v: &str| {
        if level.as_deref() == Some(v) {
            " selected"
        } else {
            ""
        }
    };
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>motcua — Hệ thống thông tin giải quyết thủ tục hành chính</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header><div class="wrap"><strong>motcua</strong> · Hệ thống một cửa <span lang="en">/ one-stop public service system</span></div></header>
<main class="wrap">
<h1>Tra cứu thủ tục hành chính</h1>
<p lang="en" class="en">Search administrative procedures (diacritics optional: “ket hon” finds “kết hôn”).</p>
<form method="get" action="/" role="search">
<label for="q">Tên hoặc mã thủ tục</label>
<input id="q" name="q" type="search" value="{q}" placeholder="ví dụ: đăng ký khai sinh, 1.001193" autofocus>
<label for="level">Cấp thực hiện</label>
<select id="level" name="level"><option value="">Tất cả</option><option value="commune"{s1}>Cấp xã</option><option value="province"{s2}>Cấp tỉnh</option></select>
<button type="submit">Tìm kiếm</button>
</form>
{results}
<section class="api">
<h2>Dành cho cán bộ và nhà phát triển <span lang="en">/ for officers and developers</span></h2>
<ul>
<li>API JSON: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3)</li>
<li>Đơn vị hành chính 2 cấp: <a href="/api/v1/units?level=province">34 tỉnh, thành phố</a></li>
<li>Ngày nghỉ trong năm: <a href="/api/v1/calendar/holidays">/api/v1/calendar/holidays</a></li>
</ul>
</section>
</main>
<footer><div class="wrap">Dữ liệu thủ tục: Cổng Dịch vụ công quốc gia (bản thu thập); đơn vị hành chính: QĐ 19/2025/QĐ-TTg.</div></footer>
</body>
</html>"#,
        q = esc(&text),
        s1 = sel("commune"),
        s2 = sel("province"),
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TrackQuery {
    ma: Option<String>,
    so: Option<String>,
    t: Option<String>,
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — motcua</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<header><div class="wrap"><a class="home" href="/">motcua</a> · Hệ thống một cửa <span lang="en">/ one-stop public service system</span></div></header>
<main class="wrap">
{body}
</main>
</body>
</html>"#
    )
}

/// `/tra-cuu`: public tracking by dossier code and ID number, or by the receipt's QR link.
pub async fn tracking(
    State(st): State<AppState>,
    super::extract::ReqId(rid): super::extract::ReqId,
    super::extract::ClientIp(ip): super::extract::ClientIp,
    super::extract::AppQuery(q): super::extract::AppQuery<TrackQuery>,
) -> Html<String> {
    let ma = q.ma.clone().unwrap_or_default();
    let mut body =
        String::from("<h1>Tra cứu hồ sơ</h1><p lang=\"en\" class=\"en\">Track a dossier</p>");
    let proof = q.t.clone().or_else(|| q.so.clone()).unwrap_or_default();
    if !ma.trim().is_empty() && !proof.trim().is_empty() {
        match crate::service::tracking::track(&st, ip, &ma, &proof, &rid).await {
            Ok(t) => {
                body.push_str(&format!(
                    "<section class=\"tracked\" data-test=\"tracked\"><h2>Hồ sơ {code}</h2><dl>\
                     <dt>Thủ tục</dt><dd>{proc}</dd><dt>Nơi tiếp nhận</dt><dd>{agency}</dd>\
                     <dt>Trạng thái</dt><dd><strong data-test=\"status\">{svi}</strong> <span lang=\"en\">({sen})</span></dd>\
                     <dt>Ngày nộp</dt><dd>{sub}</dd><dt>Ngày tiếp nhận</dt><dd>{rec}</dd>\
                     <dt>Hẹn trả kết quả</dt><dd data-test=\"due\">{due}{apology}</dd><dt>Thời gian còn lại</dt><dd>{rem}</dd></dl>\
                     <h3>Tiến trình</h3><ol class=\"timeline\">",
                    code = esc(&t.code),
                    proc = esc(&t.procedure),
                    agency = esc(&t.receiving_agency),
                    svi = t.status_vi,
                    sen = t.status_en,
                    sub = t.submitted_vi,
                    rec = t.received_vi.as_deref().unwrap_or("—"),
                    due = t.due_vi.as_deref().unwrap_or("—"),
                    apology = t.original_due_vi.as_deref().map_or_else(String::new, |o| format!(
                        "<br><small data-test=\"apology\">Cơ quan giải quyết đã xin lỗi và hẹn lại; hẹn ban đầu {o}. \
                         <span lang=\"en\">Rescheduled with an apology; first date {o}.</span></small>"
                    )),
                    rem = t.remaining_vi.as_deref().unwrap_or("—"),
                ));
                for s in &t.steps {
                    match s.action_vi {
                        Some(a) => body.push_str(&format!(
                            "<li>{} — {a} <span class=\"muted\">({})</span></li>",
                            s.at_vi, s.status_vi
                        )),
                        None => body.push_str(&format!("<li>{} — {}</li>", s.at_vi, s.status_vi)),
                    }
                }
                body.push_str("</ol></section>");
            }
            Err(e) if e.error_code() == crate::error::ErrorCode::RateLimited => body.push_str(
                "<p class=\"notice\" role=\"alert\" data-test=\"rate-limited\">Bạn tra cứu quá nhiều lần, vui lòng thử lại sau một phút. \
                 <span lang=\"en\">Too many look-ups; try again in a minute.</span></p>",
            ),
            Err(_) => body.push_str(
                "<p class=\"notice\" role=\"alert\" data-test=\"not-found\">Không tìm thấy hồ sơ với mã và số định danh đã nhập. \
                 <span lang=\"en\">No dossier matches this code and ID number.</span></p>",
            ),
        }
    }
    body.push_str(&format!(
        r#"<form method="get" action="/tra-cuu">
<label for="ma">Mã hồ sơ</label>
<input id="ma" name="ma" value="{ma}" placeholder="ví dụ: 20242-261123-0001" required>
<label for="so">Số định danh cá nhân của người nộp (hoặc mã số thuế)</label>
<input id="so" name="so" inputmode="numeric" autocomplete="off" required>
<button type="submit">Tra cứu</button>
</form>"#,
        ma = esc(&ma)
    ));
    Html(page("Tra cứu hồ sơ", &body))
}
