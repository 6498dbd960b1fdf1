//! The catalogue search's everyday names as a deployment edits them: read by administrators, saved by system
//! administrators (audited), applied at once to the portal, the counter and the API.

use crate::both;
use crate::support::{Backend, TestApp, CSRF};
use axum::http::StatusCode;

async fn first(app: &TestApp, q: &str) -> Option<String> {
    let r = app
        .get(&format!("/api/v1/procedures?q={q}&level=commune"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    r.body["items"][0]["code"].as_str().map(str::to_owned)
}

async fn synonyms(b: Backend) {
    let app = TestApp::new(b).await;
    assert_eq!(first(&app, "xyzcuoihoi").await, None);
    let province = app.login("quantri.danang").await;
    let system = app.login("quantri.hethong").await;
    // A province administrator reads the list and tries a query, but cannot change what every search uses.
    let (s, _, page) = app
        .page(
            "/quan-tri/tim-kiem?thu=lam%20so%20do",
            &format!("motcua_session={province}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("data-test=\"try-results\""), "{page}");
    assert!(page.contains("Giấy chứng nhận quyền sử dụng đất"), "{page}");
    assert!(page.contains("data-test=\"synonyms-readonly\""), "{page}");
    let (s, _, _) = app
        .form_post(
            "/quan-tri/tim-kiem",
            Some(&province),
            Some(CSRF),
            &[("text", "xyzcuoihoi = đăng ký kết hôn")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A line that cannot be read is refused, named, and the text kept.
    let (s, _, page) = app
        .form_post(
            "/quan-tri/tim-kiem",
            Some(&system),
            Some(CSRF),
            &[("text", "sổ đỏ = giấy chứng nhận\nkhông có dấu bằng")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Dòng 2"), "{page}");
    assert!(page.contains("không có dấu bằng"), "{page}");
    assert_eq!(first(&app, "xyzcuoihoi").await, None);
    let text = format!(
        "{}\nxyzcuoihoi = đăng ký kết hôn\n",
        motcua::service::catalog::search::DEFAULT_SYNONYMS
    );
    let (s, h, _) = app
        .form_post(
            "/quan-tri/tim-kiem",
            Some(&system),
            Some(CSRF),
            &[("text", &text)],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/quan-tri/tim-kiem?da_luu=1");
    assert_eq!(first(&app, "xyzcuoihoi").await.as_deref(), Some("1.000894"));
    assert!(first(&app, "lam%20so%20hong").await.is_some());
    let n: i64 = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select count(*) from audit_log where action = 'set_search_synonyms'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(n, 1);
}
both!(everyday_names_are_edited_and_applied, synonyms);
