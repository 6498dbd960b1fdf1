//! Administrative units, the 2026 update with history, and the old→new look-up.

use crate::both;
use crate::support::{Backend, TestApp};
use axum::http::StatusCode;
use motcua::service::catalog::import;

async fn counts(b: Backend) {
    let app = TestApp::new(b).await;
    let r = app.get("/api/v1/units?level=province", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 34);
    let municipalities = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "municipality")
        .count();
    assert_eq!(municipalities, 6, "6 centrally-run cities in 2025");
    assert_eq!(app.get("/api/v1/units", None).await.body["total"], 3321);
    assert_eq!(
        app.get("/api/v1/units?province=01", None).await.body["total"],
        126
    );
    assert_eq!(
        app.get("/api/v1/units?province=1", None).await.body["total"],
        126
    );
    let zones = app.get("/api/v1/units?kind=special_zone", None).await;
    assert_eq!(zones.body["total"], 13);
    let q = app
        .get("/api/v1/units?q=hai%20chau&province=48", None)
        .await;
    assert_eq!(q.body["items"][0]["code"], "20242");
    let bad = app.get("/api/v1/units?level=district", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["code"], "invalid_input");
    assert!(bad.body["error"]["fields"]["level"]["vi"]
        .as_str()
        .unwrap()
        .contains("Cấp"));
    let bad = app.get("/api/v1/units?province=abc", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unit = app.get("/api/v1/units/20242", None).await;
    assert_eq!(unit.body["unit"]["name"], "Phường Hải Châu");
    assert_eq!(
        unit.body["agencies"].as_array().unwrap().len(),
        3,
        "People's Committee, service center and the demo ward police"
    );
    assert_eq!(
        app.get("/api/v1/units/99999", None).await.body["error"]["code"],
        "unit_not_found"
    );
}
both!(unit_counts, counts);

async fn update_2026(b: Backend) {
    let app = TestApp::new(b).await;
    let r = import::units_csv(
        &app.state.db,
        import::UNITS_2026,
        import::EFFECTIVE_2026,
        "2026",
    )
    .await
    .unwrap();
    // Đồng Nai became a municipality, and the source re-spelled Thanh Hoá and Khánh Hoà (two province changes that
    // admin_units_2026_changes.csv does not list); 10 communes became wards and 192 were re-spelled.
    assert_eq!((r.provinces.inserted, r.provinces.changed), (0, 3));
    assert_eq!(
        (
            r.communes.inserted,
            r.communes.changed,
            r.communes.unchanged
        ),
        (0, 202, 3321 - 202)
    );
    let dn = app.get("/api/v1/units/75", None).await;
    assert_eq!(dn.body["unit"]["kind"], "municipality");
    assert_eq!(dn.body["unit"]["name"], "Thành phố Đồng Nai");
    let h = dn.body["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["name"], "Tỉnh Đồng Nai");
    assert_eq!(h[0]["valid_to"], "2026-04-30");
    assert_eq!(h[1]["valid_to"], serde_json::Value::Null);
    let wards = app.get("/api/v1/units?province=75&kind=ward", None).await;
    let communes = app
        .get("/api/v1/units?province=75&kind=commune", None)
        .await;
    assert_eq!(
        wards.body["total"].as_u64().unwrap() + communes.body["total"].as_u64().unwrap(),
        95
    );
    assert_eq!(
        app.get("/api/v1/units", None).await.body["total"],
        3321,
        "codes unchanged"
    );
    // Importing the same state again changes nothing.
    let again = import::units_csv(
        &app.state.db,
        import::UNITS_2026,
        import::EFFECTIVE_2026,
        "2026",
    )
    .await
    .unwrap();
    assert_eq!((again.provinces.changed, again.communes.changed), (0, 0));
}
both!(units_2026_update_keeps_codes_and_history, update_2026);

async fn old_lookup(b: Backend) {
    let app = TestApp::new(b).await;
    let r = app
        .get(
            "/api/v1/units/old?name=B%E1%BA%BFn%20Ngh%C3%A9&province=79",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["total"], 1);
    assert_eq!(r.body["items"][0]["new"]["unit_code"], "26740");
    assert_eq!(r.body["items"][0]["new"]["unit_name"], "Phường Sài Gòn");
    // Without diacritics and with the type word.
    let r2 = app
        .get("/api/v1/units/old?name=phuong%20ben%20nghe", None)
        .await;
    assert_eq!(r2.body["items"][0]["new"]["unit_code"], "26740");
    // By old code, and with the old province name.
    let r3 = app
        .get(
            "/api/v1/units/old?code=4&province=H%C3%A0%20N%E1%BB%99i",
            None,
        )
        .await;
    assert_eq!(r3.body["items"][0]["old"]["unit_name"], "Phường Trúc Bạch");
    assert_eq!(r3.body["items"][0]["new"]["unit_code"], "00004");
    // A partially split old commune gives several candidates.
    let split = app.state.db.clone();
    let rows = motcua::store::units::lookup_old(
        &split,
        &motcua::store::units::OldFilter {
            code: Some(partial_code(&app).await),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        rows.len() >= 2 && rows.iter().all(|r| r.merge_type == "partial"),
        "{rows:?}"
    );
    // An island district with no communes.
    let island = app
        .get("/api/v1/units/old?name=B%E1%BA%A1ch%20Long%20V%C4%A9", None)
        .await;
    assert_eq!(island.body["items"][0]["new"]["unit_code"], "11948");
    let bad = app.get("/api/v1/units/old", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app.get("/api/v1/units/old?code=x1", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app.get("/api/v1/units/old?nmae=x", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["error"]["code"], "bad_request");
    assert_eq!(
        motcua::store::units::merge_map_count(&app.state.db)
            .await
            .unwrap(),
        10604
    );
}
both!(old_unit_lookup, old_lookup);

async fn partial_code(app: &TestApp) -> String {
    let rows: Vec<(String,)> = motcua::on_db!(&app.state.db, |p| sqlx::query_as(
        "select old_unit_code from merge_map where merge_type = 'partial' and old_unit_code <> '' group by old_unit_code having count(*) > 1 order by old_unit_code limit 1"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    rows[0].0.clone()
}

/// `POST /api/v1/id-card`: the card read, its pre-reform address as today's ward (Phường Tân Kiểng, Quận 7 →
/// Phường Tân Hưng), a current address by name; a malformed or inconsistent QR is a 422; the access is audited
/// without the number.
async fn id_card(b: Backend) {
    let app = TestApp::new(b).await;
    let qr = serde_json::json!({"qr": "079190001234||NGUYEN THI D|01011990|Nữ|12 Trần Xuân Soạn, Phường Tân Kiểng, Quận 7, TP. Hồ Chí Minh|15042021"});
    assert_eq!(
        app.post("/api/v1/id-card", None, qr.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let hc = app.login("tiepnhan.haichau").await;
    let r = app.post("/api/v1/id-card", Some(&hc), qr).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], "079190001234");
    assert_eq!(r.body["birth_date"], "1990-01-01");
    assert_eq!(r.body["issued"], "2021-04-15");
    assert_eq!(r.body["old_id"], serde_json::Value::Null);
    assert_eq!(r.body["current_units"][0]["code"], "27475", "{}", r.body);
    assert_eq!(r.body["current_units"][0]["name"], "Phường Tân Hưng");
    // An address written after the reform names today's ward.
    let now = app.post("/api/v1/id-card", Some(&hc), serde_json::json!({"qr": "048303001234||LE THI C|15062003|Nữ|Phường Hải Châu, Thành phố Đà Nẵng|01072025"})).await;
    assert_eq!(
        now.body["current_units"][0]["code"], "20242",
        "{}",
        now.body
    );
    // "Xã Tân Tiến" is a commune of seven provinces today: the card's province picks the one.
    for (province, code) in [
        ("Tỉnh Đồng Nai", "25318"),
        ("Tỉnh Đắk Lắk", "24526"),
        ("Tỉnh Cà Mau", "32188"),
    ] {
        let qr = format!(
            "999000003001||(demo) Tân Tiến|01011990|Nữ|Ấp 3, Xã Tân Tiến, {province}|02072025"
        );
        let r = app
            .post("/api/v1/id-card", Some(&hc), serde_json::json!({"qr": qr}))
            .await;
        let units = r.body["current_units"].as_array().unwrap();
        assert_eq!(units.len(), 1, "{province}: {}", r.body);
        assert_eq!(units[0]["code"], code, "{province}: {}", r.body);
    }
    for bad in [
        "abc",
        "079090001234||X|01011990|Nữ|addr|15042021",
        "003190001234||X|01011990|Nữ|addr|15042021",
    ] {
        let r = app
            .post("/api/v1/id-card", Some(&hc), serde_json::json!({"qr": bad}))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert!(
            r.body["error"]["fields"]["qr"]["vi"].is_string(),
            "{}",
            r.body
        );
    }
    // At the counter, the scanned address keeps the printed text with today's ward beside it.
    let (s, _, page) = app
        .form_post(
            "/can-bo/tiep-nhan",
            Some(&hc),
            Some(crate::support::CSRF),
            &[
                ("procedure", "1.001193"),
                ("qr", "079190001234||NGUYEN THI D|01011990|Nữ|12 Trần Xuân Soạn, Phường Tân Kiểng, Quận 7, TP. Hồ Chí Minh|15042021"),
            ],
        )
        .await;
    // No paper ticked: refused, the form shown again with what was read from the card.
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("Phường Tân Kiểng, Quận 7, TP. Hồ Chí Minh (nay: Phường Tân Hưng)"),
        "{page}"
    );
    app.state.access.flush().await.expect("access log");
    let logged: Vec<String> = motcua::on_db!(&app.state.db, |p| sqlx::query_scalar(
        "select coalesce(entity_key, '') || coalesce(purpose, '') from audit_log where action = 'read_id_card'"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(
        logged.len(),
        5,
        "the API's five reads; the counter form parses the card itself"
    );
    assert!(
        logged.iter().all(|l| !l.contains("079190001234")),
        "{logged:?}"
    );
}
both!(an_id_card_reads_with_todays_ward, id_card);
