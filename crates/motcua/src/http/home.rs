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
