//! The leaders' figures in the OpenAPI document.

use super::{arr, nullable, obj, op, p, q, with_body};
use serde_json::{json, Value};

/// The routes of this part.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/reports/summary"),
    ("get", "/api/v1/reports/breakdown"),
    ("get", "/api/v1/reports/index766"),
    ("get", "/api/v1/reports/staff"),
    ("post", "/api/v1/reports/staff/secondments"),
    ("put", "/api/v1/reports/staff/officers/{username}"),
];

const FIGURES: &[&str] = &[
    "received",
    "online",
    "in_person",
    "postal",
    "completed",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "in_progress",
    "in_progress_on_time",
    "in_progress_overdue",
    "supplement_pending",
    "withdrawn",
    "stopped",
    "refused",
    "paid_online",
    "digitized",
    "reused",
    "e_result",
    "processing_minutes",
    "charged",
];

fn figures(extra: &[(&str, Value)]) -> Value {
    let mut props: Vec<(&str, Value)> = FIGURES
        .iter()
        .map(|f| (*f, json!({"type": "integer"})))
        .collect();
    props.push(("on_time_pct", nullable("number")));
    props.extend(extra.iter().cloned());
    let mut req: Vec<&str> = FIGURES.to_vec();
    req.extend(extra.iter().map(|(k, _)| *k));
    obj(&props, &req)
}

fn place() -> Value {
    let s = |t: &str| json!({"type": t});
    obj(
        &[
            ("kind", s("string")),
            ("code", s("string")),
            ("name", s("string")),
        ],
        &["kind", "code", "name"],
    )
}

pub(super) fn response(method: &str, path: &str) -> Option<(u16, &'static str, Value)> {
    let s = |t: &str| json!({"type": t});
    let ok = |schema: Value| Some((200, "application/json", schema));
    match (method, path) {
        ("get", "/api/v1/reports/summary") => ok(figures(&[
            ("place", place()),
            ("from", s("string")),
            ("to", s("string")),
            (
                "previous",
                figures(&[("from", s("string")), ("to", s("string"))]),
            ),
        ])),
        ("get", "/api/v1/reports/breakdown") => ok(obj(
            &[
                ("place", place()),
                ("from", s("string")),
                ("to", s("string")),
                ("by", s("string")),
                (
                    "lines",
                    arr(figures(&[("key", s("string")), ("label", s("string"))])),
                ),
            ],
            &["place", "from", "to", "by", "lines"],
        )),
        ("get", "/api/v1/reports/index766") => ok(obj(
            &[
                ("place", place()),
                ("from", s("string")),
                ("to", s("string")),
                ("points", s("number")),
                ("max_points", s("number")),
                ("max_scored", s("number")),
                (
                    "groups",
                    arr(obj(
                        &[
                            ("id", s("string")),
                            ("name", s("string")),
                            ("name_en", s("string")),
                            ("points", s("number")),
                            ("max_scored", s("number")),
                            ("max_points", s("number")),
                            (
                                "indicators",
                                arr(obj(
                                    &[
                                        ("id", s("string")),
                                        ("numerator_label", s("string")),
                                        ("numerator_label_en", s("string")),
                                        ("denominator_label", s("string")),
                                        ("denominator_label_en", s("string")),
                                        ("numerator", nullable("integer")),
                                        ("denominator", nullable("integer")),
                                        ("ratio_pct", nullable("number")),
                                        ("target_pct", nullable("number")),
                                        ("points", nullable("number")),
                                        ("max_points", s("number")),
                                        (
                                            "standing",
                                            json!({"type": "string", "enum": ["scored", "tracking", "no_data", "empty"]}),
                                        ),
                                        ("explanation", s("string")),
                                        ("explanation_en", s("string")),
                                    ],
                                    &[
                                        "id",
                                        "standing",
                                        "explanation",
                                        "explanation_en",
                                        "max_points",
                                    ],
                                )),
                            ),
                        ],
                        &["id", "name", "points", "max_points", "indicators"],
                    )),
                ),
            ],
            &["place", "from", "to", "points", "max_points", "groups"],
        )),
        ("get", "/api/v1/reports/staff") => ok(obj(
            &[
                ("place", place()),
                ("units", arr(s("object"))),
                ("suggestions", arr(s("object"))),
            ],
            &["place", "units", "suggestions"],
        )),
        ("post", "/api/v1/reports/staff/secondments") => Some((
            201,
            "application/json",
            obj(&[("id", s("integer"))], &["id"]),
        )),
        ("put", "/api/v1/reports/staff/officers/{username}") => Some((204, "", json!(null))),
        _ => None,
    }
}

pub(super) fn paths() -> Value {
    let s = |t: &str| json!({"type": t});
    let common = || {
        vec![
            q("unit", "Mã đơn vị hành chính hoặc mã cơ quan (mặc định: phạm vi của người gọi) / a unit code or agency identifier", false, s("string")),
            q("province", "Mã tỉnh / province code", false, s("string")),
            q("from", "YYYY-MM-DD hoặc dd/mm/yyyy (mặc định đầu tháng) / default the 1st of this month", false, s("string")),
            q("to", "YYYY-MM-DD hoặc dd/mm/yyyy (mặc định hôm nay) / default today", false, s("string")),
        ]
    };
    let mut by = common();
    by.push(q(
        "by",
        "agency | procedure | field | month | day",
        true,
        json!({"type": "string", "enum": ["agency", "procedure", "field", "month", "day"]}),
    ));
    json!({
        "/api/v1/reports/summary": {"get": op("Số liệu tổng hợp của kỳ, so với kỳ trước / the period's figures beside the previous period's", common(), true)},
        "/api/v1/reports/breakdown": {"get": op("Số liệu chia theo cơ quan, thủ tục, lĩnh vực, tháng hoặc ngày / the figures broken down", by, true)},
        "/api/v1/reports/index766": {"get": op("Bộ chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg) / the Decision 766 index", common(), true)},
        "/api/v1/reports/staff": {"get": op("Cán bộ, khối lượng công việc và đề xuất điều động / staff, workload and suggested secondments", common(), true)},
        "/api/v1/reports/staff/secondments": {"post": with_body(op("Quyết định điều động, biệt phái cán bộ / record a secondment", vec![], true),
            json!({"type": "object", "required": ["officer", "to_agency", "starts_on", "reason"], "properties": {"officer": s("string"), "to_agency": s("string"), "starts_on": s("string"), "ends_on": s("string"), "reason": s("string")}}))},
        "/api/v1/reports/staff/officers/{username}": {"put": with_body(op("Chức vụ, chuyên môn của cán bộ / an officer's position and specialty", vec![p("username", "Tên đăng nhập / username")], true),
            json!({"type": "object", "required": ["position", "specialty"], "properties": {"position": s("string"), "specialty": {"type": "string", "enum": ["", "it", "finance_accounting", "land", "construction", "justice_civil_status", "culture_social", "general"]}}}))},
    })
}
