//! The OpenAPI 3 document of `/api/v1`, written by hand and checked against the router by a test.

pub mod money;
mod queue;
mod reports;

use crate::error::ErrorCode;
use serde_json::{json, Value};

fn q(name: &str, desc: &str, required: bool, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": required, "description": desc, "schema": schema })
}

fn p(name: &str, desc: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": desc, "schema": {"type": "string"} })
}

fn op(summary: &str, params: Vec<Value>, auth: bool) -> Value {
    let mut o = json!({
        "summary": summary,
        "parameters": params,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {}}},
            "4XX": {"description": "Lỗi do dữ liệu gửi lên / client error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
    });
    if auth {
        o["security"] = json!([{"bearer": []}, {"cookie": []}]);
    }
    o
}

fn with_body(mut o: Value, schema: Value) -> Value {
    o["requestBody"] =
        json!({ "required": true, "content": {"application/json": {"schema": schema}} });
    o
}

/// Paths and methods the API serves (the test compares them with the document).
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/units/old"),
    ("post", "/api/v1/id-card"),
    ("get", "/api/v1/units/{code}"),
    ("get", "/api/v1/procedures"),
    ("get", "/api/v1/procedures/fields"),
    ("get", "/api/v1/procedures/{code}"),
    ("put", "/api/v1/procedures/{code}/checklist"),
    ("get", "/api/v1/calendar/due"),
    ("get", "/api/v1/calendar/holidays"),
    ("get", "/api/v1/statuses"),
    ("get", "/api/v1/track"),
    ("post", "/api/v1/track"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/auth/me"),
    ("get", "/api/v1/dossiers"),
    ("post", "/api/v1/dossiers"),
    ("get", "/api/v1/dossiers/{code}"),
    ("post", "/api/v1/dossiers/{code}/actions"),
    ("get", "/api/v1/dossiers/{code}/access-log"),
    ("get", "/api/v1/dossiers/{code}/receipt.pdf"),
    ("get", "/api/v1/dossiers/{code}/forms/{form}"),
    ("get", "/api/v1/register.pdf"),
    ("post", "/api/v1/procedures/{code}/guidance.pdf"),
    ("get", "/api/v1/worklists"),
    ("post", "/api/v1/bundles"),
    ("post", "/api/v1/dossiers/{code}/documents"),
    ("post", "/api/v1/dossiers/{code}/documents/reuse"),
    ("get", "/api/v1/dossiers/{code}/documents/{id}"),
    ("get", "/api/v1/dossiers/{code}/reuse-offers"),
    ("get", "/api/v1/procedures/{code}/workflow"),
    ("put", "/api/v1/procedures/{code}/workflow"),
    ("get", "/api/v1/queue/staffing"),
    ("get", "/api/v1/queue/level"),
    ("get", "/api/v1/queue/centers/{center}"),
    ("post", "/api/v1/queue/centers/{center}/tickets"),
    ("get", "/api/v1/queue/centers/{center}/board"),
    ("get", "/api/v1/queue/centers/{center}/slots"),
    ("post", "/api/v1/queue/centers/{center}/appointments"),
    ("get", "/api/v1/queue/tickets/{ticket}"),
    ("post", "/api/v1/queue/tickets/{ticket}/actions"),
    ("post", "/api/v1/queue/counters/{id}/call"),
];

/// Every documented operation: the core's, the queue's and money's.
pub fn all_routes() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    ROUTES
        .iter()
        .chain(money::ROUTES.iter())
        .chain(reports::ROUTES.iter())
}

fn obj(props: &[(&str, Value)], required: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in props {
        m.insert((*k).to_owned(), v.clone());
    }
    json!({"type": "object", "required": required, "properties": m})
}

fn r(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn arr(items: Value) -> Value {
    json!({"type": "array", "items": items})
}

fn nullable(t: &str) -> Value {
    json!({"type": t, "nullable": true})
}

/// The answer of each operation: its status, media type and schema.
fn response(method: &str, path: &str) -> (u16, &'static str, Value) {
    let json_ok = |schema: Value| (200, "application/json", schema);
    if let Some(r) = queue::response(method, path)
        .or_else(|| money::response(method, path))
        .or_else(|| reports::response(method, path))
    {
        return r;
    }
    match (method, path) {
        ("get", "/api/v1/openapi.json") => json_ok(obj(
            &[
                ("openapi", json!({"type": "string"})),
                ("paths", json!({"type": "object"})),
            ],
            &["openapi", "paths"],
        )),
        ("get", "/api/v1/units") => json_ok(r("UnitList")),
        ("get", "/api/v1/units/old") => json_ok(r("OldUnitList")),
        ("post", "/api/v1/id-card") => json_ok(
            json!({"type": "object", "required": ["id", "name", "birth_date", "sex", "address", "current_units"],
            "properties": {"id": {"type": "string"}, "old_id": {"type": "string", "nullable": true}, "name": {"type": "string"},
                "birth_date": {"type": "string", "format": "date"}, "sex": {"type": "string"}, "address": {"type": "string"},
                "issued": {"type": "string", "format": "date", "nullable": true},
                "current_units": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "province_code": {"type": "string"}}}}}}),
        ),
        ("get", "/api/v1/units/{code}") => json_ok(r("UnitDetail")),
        ("get", "/api/v1/procedures") => json_ok(r("ProcedureList")),
        ("get", "/api/v1/procedures/fields") => json_ok(arr(obj(
            &[
                ("field", json!({"type": "string"})),
                ("procedures", json!({"type": "integer"})),
            ],
            &["field", "procedures"],
        ))),
        ("get", "/api/v1/procedures/{code}") => json_ok(r("Procedure")),
        ("put", "/api/v1/procedures/{code}/checklist") => json_ok(obj(
            &[
                ("version", json!({"type": "integer"})),
                ("checklist", json!({"type": "object"})),
            ],
            &["version", "checklist"],
        )),
        ("get", "/api/v1/calendar/due") => json_ok(obj(
            &[
                ("due", json!({"type": "string"})),
                ("due_vi", json!({"type": "string"})),
            ],
            &["due", "due_vi"],
        )),
        ("get", "/api/v1/calendar/holidays") => json_ok(r("Holidays")),
        ("get", "/api/v1/statuses") => json_ok(arr(obj(
            &[
                ("code", json!({"type": "integer"})),
                ("key", json!({"type": "string"})),
                ("vi", json!({"type": "string"})),
                ("en", json!({"type": "string"})),
                ("terminal", json!({"type": "boolean"})),
            ],
            &["code", "key", "vi", "en", "terminal"],
        ))),
        ("get" | "post", "/api/v1/track") => json_ok(r("Tracked")),
        ("post", "/api/v1/auth/login") => json_ok(obj(
            &[
                ("token", json!({"type": "string"})),
                ("expires_at", json!({"type": "string"})),
                ("user", r("Actor")),
            ],
            &["token", "expires_at", "user"],
        )),
        ("post", "/api/v1/auth/logout") => (204, "", Value::Null),
        ("get", "/api/v1/auth/me") => json_ok(r("Actor")),
        ("get", "/api/v1/dossiers") => json_ok(obj(
            &[
                ("total", json!({"type": "integer"})),
                ("items", arr(r("Dossier"))),
            ],
            &["total", "items"],
        )),
        ("post", "/api/v1/dossiers" | "/api/v1/bundles") => (201, "application/json", r("Dossier")),
        ("get", "/api/v1/dossiers/{code}") | ("post", "/api/v1/dossiers/{code}/actions") => {
            json_ok(r("Dossier"))
        }
        ("get", "/api/v1/dossiers/{code}/access-log") => json_ok(arr(obj(
            &[
                ("at", json!({"type": "string"})),
                ("at_vi", json!({"type": "string"})),
                ("actor_user_id", nullable("integer")),
                ("actor_role", json!({"type": "string"})),
                ("action", json!({"type": "string"})),
                ("purpose", json!({"type": "string"})),
            ],
            &["at", "actor_role", "action", "purpose"],
        ))),
        ("get", "/api/v1/worklists") => json_ok(arr(obj(
            &[
                ("key", json!({"type": "string"})),
                ("vi", json!({"type": "string"})),
                ("en", json!({"type": "string"})),
                ("count", json!({"type": "integer"})),
            ],
            &["key", "vi", "en", "count"],
        ))),
        (
            "post",
            "/api/v1/dossiers/{code}/documents" | "/api/v1/dossiers/{code}/documents/reuse",
        ) => (201, "application/json", r("Document")),
        ("get", "/api/v1/dossiers/{code}/documents/{id}") => (
            200,
            "application/octet-stream",
            json!({"type": "string", "format": "binary", "description": "PDF, JPEG hoặc PNG / the stored file"}),
        ),
        ("get", "/api/v1/dossiers/{code}/reuse-offers") => json_ok(arr(obj(
            &[
                ("component", json!({"type": "string"})),
                ("present", json!({"type": "boolean"})),
                ("reusable", arr(r("Document"))),
            ],
            &["component", "present", "reusable"],
        ))),
        ("get" | "put", "/api/v1/procedures/{code}/workflow") => json_ok(r("Workflow")),
        _ if path.ends_with(".pdf") || path.ends_with("{form}") => (
            200,
            "application/pdf",
            json!({"type": "string", "format": "binary"}),
        ),
        _ => json_ok(json!({"type": "object"})),
    }
}

/// The response schemas referred to by [`response`].
fn schemas() -> Vec<(&'static str, Value)> {
    let mut all = catalog_schemas();
    all.extend(dossier_schemas());
    all
}

/// The schemas of units, agencies and procedures.
fn catalog_schemas() -> Vec<(&'static str, Value)> {
    let st = || json!({"type": "string"});
    let int = || json!({"type": "integer"});
    let b = || json!({"type": "boolean"});
    let agency = obj(
        &[
            ("id", int()),
            ("identifier", st()),
            ("identifier_is_placeholder", b()),
            ("name", st()),
            ("kind", st()),
            ("unit_code", st()),
            (
                "tier",
                json!({"type": "string", "enum": ["province", "commune"]}),
            ),
        ],
        &["id", "identifier", "name", "kind", "unit_code", "tier"],
    );
    let unit = obj(
        &[
            ("code", st()),
            ("name", st()),
            ("name_en", st()),
            ("short_name", st()),
            ("level", st()),
            ("kind", st()),
            ("province_code", nullable("string")),
            ("valid_from", st()),
            ("valid_to", nullable("string")),
        ],
        &["code", "name", "level", "kind"],
    );
    let proc_row = obj(
        &[
            ("code", st()),
            ("name", st()),
            ("field", st()),
            (
                "online_level",
                json!({"type": "string", "enum": ["full", "partial", "none"]}),
            ),
            ("boundary_free", b()),
            ("level_commune", b()),
            ("level_province", b()),
            ("cutoff", nullable("string")),
            ("parse_status", st()),
        ],
        &["code", "name", "field", "online_level", "boundary_free"],
    );
    vec![
        ("Agency", agency),
        ("Unit", unit),
        (
            "UnitList",
            obj(
                &[("total", int()), ("items", arr(r("Unit")))],
                &["total", "items"],
            ),
        ),
        (
            "OldUnitList",
            obj(
                &[
                    ("total", int()),
                    (
                        "items",
                        arr(obj(
                            &[
                                ("merge_type", st()),
                                ("resolution", st()),
                                ("old", json!({"type": "object"})),
                                ("new", json!({"type": "object"})),
                            ],
                            &["old", "new"],
                        )),
                    ),
                ],
                &["total", "items"],
            ),
        ),
        (
            "UnitDetail",
            obj(
                &[
                    ("unit", r("Unit")),
                    ("history", arr(json!({"type": "object"}))),
                    ("agencies", arr(r("Agency"))),
                ],
                &["unit", "history", "agencies"],
            ),
        ),
        ("ProcedureRow", proc_row),
        (
            "ProcedureList",
            obj(
                &[("total", int()), ("items", arr(r("ProcedureRow")))],
                &["total", "items"],
            ),
        ),
        (
            "Procedure",
            obj(
                &[
                    ("code", st()),
                    ("name", st()),
                    ("field", st()),
                    ("online_level", st()),
                    ("boundary_free", b()),
                    ("detail", nullable("object")),
                ],
                &["code", "name", "field", "online_level", "boundary_free"],
            ),
        ),
        (
            "Holidays",
            obj(
                &[
                    ("year", int()),
                    ("office_hours", st()),
                    (
                        "items",
                        arr(obj(
                            &[
                                ("date", st()),
                                ("date_vi", st()),
                                ("name", st()),
                                ("source", st()),
                            ],
                            &["date", "date_vi", "name"],
                        )),
                    ),
                ],
                &["year", "office_hours", "items"],
            ),
        ),
    ]
}

/// The schemas of dossiers and the people who handle them.
fn dossier_schemas() -> Vec<(&'static str, Value)> {
    let st = || json!({"type": "string"});
    let int = || json!({"type": "integer"});
    let b = || json!({"type": "boolean"});
    let status = obj(
        &[("code", int()), ("key", st()), ("vi", st()), ("en", st())],
        &["code", "key", "vi", "en"],
    );
    vec![
        (
            "Tracked",
            obj(
                &[
                    ("code", st()),
                    ("procedure", st()),
                    ("receiving_agency", st()),
                    ("status_code", int()),
                    ("status_vi", st()),
                    ("status_en", st()),
                    ("submitted_vi", st()),
                    ("due_vi", nullable("string")),
                    ("steps", arr(json!({"type": "object"}))),
                    ("token", st()),
                    ("result_grant", nullable("string")),
                    ("can_rate", b()),
                ],
                &[
                    "code",
                    "procedure",
                    "status_code",
                    "status_vi",
                    "status_en",
                    "steps",
                    "token",
                    "can_rate",
                ],
            ),
        ),
        (
            "Actor",
            obj(
                &[
                    ("user_id", int()),
                    ("username", st()),
                    ("display_name", st()),
                    ("role", st()),
                    ("agency", json!({"allOf": [r("Agency")], "nullable": true})),
                    ("is_demo", b()),
                ],
                &["user_id", "username", "display_name", "role", "is_demo"],
            ),
        ),
        ("Status", status),
        (
            "Dossier",
            obj(
                &[
                    ("code", st()),
                    (
                        "procedure",
                        obj(&[("code", st()), ("name", st())], &["code", "name"]),
                    ),
                    (
                        "channel",
                        json!({"type": "string", "enum": ["in_person", "online", "postal"]}),
                    ),
                    ("status", r("Status")),
                    ("applicant", json!({"type": "object"})),
                    ("receiving_agency", json!({"type": "object"})),
                    ("competent_agency", json!({"type": "object"})),
                    ("submitted_at", st()),
                    ("due_at", nullable("string")),
                    (
                        "limit_source",
                        json!({"type": "string", "enum": ["catalog", "workflow", "law"], "nullable": true,
                               "description": "where the time limit comes from: the published procedure, or the issued internal workflow when the record states none"}),
                    ),
                    ("your_roles", arr(st())),
                    ("allowed_actions", arr(st())),
                    (
                        "supplement",
                        json!({"type": "object", "description": "the open supplement request (detail read only): reason, at, and papers [{name, sent}]; it stays open until every paper is sent or an officer closes it"}),
                    ),
                ],
                &[
                    "code",
                    "procedure",
                    "channel",
                    "status",
                    "applicant",
                    "submitted_at",
                    "allowed_actions",
                ],
            ),
        ),
        (
            "Document",
            obj(
                &[
                    ("id", int()),
                    ("component", st()),
                    ("is_result", b()),
                    ("file_name", st()),
                    ("content_type", st()),
                    ("size", int()),
                    ("sha256", st()),
                ],
                &[
                    "id",
                    "component",
                    "is_result",
                    "file_name",
                    "content_type",
                    "size",
                ],
            ),
        ),
        (
            "Workflow",
            obj(
                &[
                    ("procedure", st()),
                    ("version", int()),
                    ("versions", arr(int())),
                    ("steps", arr(json!({"type": "object"}))),
                    ("total_days", json!({"type": "number"})),
                    ("limit_days", json!({"type": "number", "nullable": true})),
                    ("cases", arr(json!({"type": "object"}))),
                    ("province", st()),
                ],
                &[
                    "procedure",
                    "version",
                    "versions",
                    "steps",
                    "total_days",
                    "cases",
                    "province",
                ],
            ),
        ),
    ]
}

/// Sets each operation's success response (and the upload's request body) from [`response`].
fn complete(doc: &mut Value) {
    for (method, path) in all_routes() {
        let (status, media, schema) = response(method, path);
        let ok = if media.is_empty() {
            json!({"description": "Không có nội dung / no content"})
        } else {
            json!({"description": "OK", "content": {media: {"schema": schema}}})
        };
        let o = &mut doc["paths"][*path][*method];
        if let Some(rs) = o["responses"].as_object_mut() {
            rs.remove("200");
            rs.insert(status.to_string(), ok);
        }
        if *path == "/api/v1/dossiers/{code}/documents" {
            let file = json!({"schema": {"type": "string", "format": "binary"}});
            o["requestBody"] = json!({"required": true, "description": "Tệp PDF, JPEG hoặc PNG (nhận dạng theo nội dung) / the file itself", "content": {"application/pdf": file, "image/jpeg": file, "image/png": file}});
        }
    }
    for (name, schema) in schemas().into_iter().chain(queue::schemas()) {
        doc["components"]["schemas"][name] = schema;
    }
}

/// The document.
pub fn document() -> Value {
    let mut doc = base();
    for part in [queue::paths(), money::paths(), reports::paths()] {
        if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), part) {
            for (path, ops) in more {
                match (paths.get_mut(&path), ops) {
                    (Some(Value::Object(have)), Value::Object(add)) => have.extend(add),
                    (_, ops) => {
                        paths.insert(path, ops);
                    }
                }
            }
        }
    }
    complete(&mut doc);
    doc
}

fn base() -> Value {
    let s = |t: &str| json!({"type": t});
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "motcua API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Hệ thống thông tin giải quyết thủ tục hành chính một cửa / One-stop public administrative service system. Lỗi trả về JSON có mã ổn định và thông điệp tiếng Việt, tiếng Anh."
        },
        "paths": {
            "/api/v1/openapi.json": {"get": op("Tài liệu OpenAPI / this document", vec![], false)},
            "/api/v1/units": {"get": op("Đơn vị hành chính / administrative units", vec![
                q("level", "province | commune (mặc định) | all", false, s("string")),
                q("province", "Mã tỉnh 2 chữ số / 2-digit province code", false, s("string")),
                q("q", "Tìm theo tên, không dấu / name search, diacritics-insensitive", false, s("string")),
                q("kind", "ward | commune | special_zone | province | municipality", false, s("string"))], false)},
            "/api/v1/units/old": {"get": op("Tra cứu xã, phường cũ (trước 01/07/2025) / old unit look-up", vec![
                q("name", "Tên xã, phường cũ / old commune name", false, s("string")),
                q("code", "Mã xã cũ / old commune code", false, s("string")),
                q("province", "Mã tỉnh mới hoặc tên tỉnh cũ / new province code or old province name", false, s("string")),
                q("district", "Tên huyện cũ / old district name", false, s("string"))], false)},
            "/api/v1/id-card": {"post": with_body(op("Đọc mã QR căn cước, địa chỉ theo đơn vị hiện nay / read an ID card's QR, its address as today's units", vec![], true),
                json!({"type": "object", "required": ["qr"], "properties": {"qr": {"type": "string", "description": "Nội dung mã QR trên thẻ căn cước / the card's QR text"}}}))},
            "/api/v1/units/{code}": {"get": op("Một đơn vị, lịch sử và cơ quan / one unit with history and agencies", vec![p("code", "Mã đơn vị")], false)},
            "/api/v1/procedures": {"get": op("Tìm thủ tục hành chính / search procedures", vec![
                q("q", "Từ khóa, không phân biệt dấu / keywords, diacritics-insensitive", false, s("string")),
                q("level", "province | commune | ministry | other", false, s("string")),
                q("field", "Lĩnh vực / field", false, s("string")),
                q("boundary_free", "Phi địa giới / boundary-free", false, s("boolean")),
                q("province", "Mã tỉnh: cờ trực tuyến, phi địa giới của tỉnh / a province's own online levels and boundary-free list", false, s("string")),
                q("limit", "1–500, mặc định 20", false, s("integer")),
                q("offset", "≥ 0", false, s("integer"))], false)},
            "/api/v1/procedures/fields": {"get": op("Lĩnh vực / fields", vec![], false)},
            "/api/v1/procedures/{code}": {"get": op("Chi tiết thủ tục, kèm danh sách giấy tờ (checklist: giấy tờ chung, trường hợp, lưu ý) / procedure detail with its document checklist", vec![p("code", "Mã thủ tục, ví dụ 1.001193"), q("province", "Mã tỉnh: danh sách giấy tờ theo điều chỉnh của tỉnh / province code: its corrected checklist", false, s("string"))], false)},
            "/api/v1/calendar/due": {"get": op("Tính hạn giải quyết / due date", vec![
                q("from", "RFC 3339", true, s("string")),
                q("amount", "Số lượng (cho phép 0.25)", true, s("number")),
                q("unit", "working_days | days | hours | same_day | months", true, s("string")),
                q("cutoff", "Giờ chốt nhận, ví dụ 15:00", false, s("string"))], false)},
            "/api/v1/calendar/holidays": {"get": op("Ngày nghỉ của năm / days off of a year", vec![q("year", "Năm", false, s("integer"))], false)},
            "/api/v1/track": {
                "get": op("Tra cứu công khai bằng mã QR của phiếu hẹn / public tracking by the receipt's QR token", vec![
                    q("code", "Mã hồ sơ", true, s("string")),
                    q("proof", "Mã t trên QR của phiếu hẹn (20 ký tự hex); số định danh chỉ gửi bằng POST", true, s("string"))], false),
                "post": with_body(op("Tra cứu công khai (mã hồ sơ + số định danh hoặc mã QR) / public tracking", vec![], false),
                    json!({"type": "object", "required": ["code", "proof"], "properties": {"code": s("string"), "proof": {"type": "string", "description": "Số định danh của người nộp, hoặc mã QR / the applicant's ID number or the QR token"}}}))
            },
            "/api/v1/statuses": {"get": op("Trạng thái hồ sơ quốc gia 1–10 / national statuses", vec![], false)},
            "/api/v1/auth/login": {"post": with_body(op("Đăng nhập / sign in", vec![], false), json!({"type": "object", "required": ["username", "password"], "properties": {"username": s("string"), "password": s("string"), "otp": {"type": "string", "description": "TOTP (quản trị viên / administrators)"}}}))},
            "/api/v1/auth/logout": {"post": op("Đăng xuất / sign out", vec![], true)},
            "/api/v1/auth/me": {"get": op("Người dùng hiện tại / current user", vec![], true)},
            "/api/v1/dossiers": {
                "get": op("Danh sách hồ sơ trong phạm vi / dossiers in scope", vec![
                    q("status", "Mã 1–10 hoặc tên", false, s("string")),
                    q("procedure", "Mã thủ tục", false, s("string")),
                    q("list", "mine | online | pool | due_soon | overdue | waiting_citizen", false, s("string")),
                    q("q", "Mã hồ sơ, số định danh (được ghi nhật ký) hoặc tên người nộp / code, ID number (logged) or applicant name", false, s("string")),
                    q("field", "Lĩnh vực / field", false, s("string")),
                    q("channel", "in_person | online | postal", false, s("string")),
                    q("from", "Tiếp nhận từ ngày / received from (YYYY-MM-DD)", false, s("string")),
                    q("to", "Đến ngày / to (YYYY-MM-DD)", false, s("string")),
                    q("limit", "1–500", false, s("integer")),
                    q("offset", "≥ 0", false, s("integer"))], true),
                "post": with_body(op("Tiếp nhận / nộp hồ sơ / create a dossier", vec![], true), json!({"$ref": "#/components/schemas/CreateDossier"}))
            },
            "/api/v1/dossiers/{code}": {"get": op("Chi tiết hồ sơ (ghi nhật ký truy cập) / dossier detail (access is logged)", vec![p("code", "Mã hồ sơ")], true)},
            "/api/v1/dossiers/{code}/receipt.pdf": {"get": op("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01, PDF) / receipt", vec![p("code", "Mã hồ sơ")], true)},
            "/api/v1/dossiers/{code}/access-log": {"get": op("Nhật ký truy cập hồ sơ (quản trị viên, giám đốc trung tâm) / who accessed a dossier", vec![p("code", "Mã hồ sơ")], true)},
            "/api/v1/dossiers/{code}/actions": {"post": with_body(op("Thao tác trên hồ sơ (chỉ các thao tác trong allowed_actions) / apply an action (those in allowed_actions)", vec![p("code", "Mã hồ sơ")], true), json!({"type": "object", "required": ["action"], "properties": {
                "action": {"type": "string", "enum": motcua_domain::status::Action::ALL.map(|a| a.as_str())},
                "note": {"type": "string", "description": "Lý do / reason (refuse, return_step, request_supplement, extend, stop)"},
                "assignee": {"type": "string", "description": "Tên đăng nhập cán bộ được giao / officer's username (assign, forward)"},
                "documents": {"type": "array", "items": s("integer"), "description": "Số thứ tự thành phần hồ sơ đã có / checklist numbers present (accept)"},
                "document_case": {"type": "string", "description": "Trường hợp của danh sách giấy tờ (tiếp nhận) / the checklist case that applies (accept)"},
                "missing": {"type": "array", "items": s("string"), "description": "Giấy tờ cần bổ sung / what to supplement (request_supplement)"},
                "new_due": {"type": "string", "description": "Ngày hẹn mới RFC 3339 / new date (extend)"},
                "amount": {"type": "integer", "description": "Số tiền (đồng) / amount in VND (request_payment)"},
                "method": {"type": "string", "enum": ["counter", "online", "post"]},
                "receiver_name": s("string"),
                "paper_result": {"type": "boolean", "description": "Phê duyệt: kết quả cấp bằng bản giấy (không có tệp kết quả) / approve: the result is issued on paper"}}}))},
            "/api/v1/dossiers/{code}/forms/{form}": {"get": op("Biểu mẫu PDF: transfer.pdf phiếu chuyển, 01.pdf tiếp nhận, 02.pdf bổ sung, 03.pdf từ chối, 04.pdf xin lỗi, 05.pdf dừng, 06.pdf phiếu kiểm soát / form PDFs", vec![p("code", "Mã hồ sơ"), p("form", "01.pdf … 06.pdf")], true)},
            "/api/v1/register.pdf": {"get": op("Sổ theo dõi hồ sơ (Mẫu 07) / dossier register", vec![
                q("from", "Từ ngày YYYY-MM-DD", true, s("string")),
                q("to", "Đến ngày YYYY-MM-DD", true, s("string"))], true)},
            "/api/v1/bundles": {"post": with_body(op("Tiếp nhận hồ sơ liên thông: một lần nộp, nhiều thủ tục ở nhiều cơ quan / receive an interlinked bundle", vec![], true), json!({"type": "object", "required": ["procedure", "applicant", "children"], "properties": {
                "procedure": {"type": "string", "description": "Thủ tục liên thông, ví dụ 2.000986"}, "summary": s("string"),
                "applicant": {"$ref": "#/components/schemas/CreateDossier/properties/applicant"},
                "documents": {"type": "array", "items": s("integer")},
                "document_case": s("string"),
                "children": {"type": "array", "minItems": 2, "maxItems": 10, "items": {"type": "object", "required": ["procedure", "competent_agency"], "properties": {
                    "procedure": s("string"), "competent_agency": s("string"), "documents": {"type": "array", "items": s("integer")}, "document_case": s("string")}}}}}))},
            "/api/v1/dossiers/{code}/documents": {"post": op("Tải lên thành phần hồ sơ (thân yêu cầu là tệp PDF/JPEG/PNG, nhận dạng theo nội dung) / upload a document: the body is the file", vec![p("code", "Mã hồ sơ"),
                q("component", "Tên thành phần hồ sơ", true, s("string")), q("name", "Tên tệp", false, s("string")), q("result", "Là kết quả giải quyết", false, s("boolean"))], true)},
            "/api/v1/dossiers/{code}/documents/reuse": {"post": with_body(op("Tái sử dụng giấy tờ đã số hóa của người nộp / reuse a digitised document", vec![p("code", "Mã hồ sơ")], true), json!({"type": "object", "required": ["document_id"], "properties": {"document_id": s("integer"), "component": s("string")}}))},
            "/api/v1/dossiers/{code}/documents/{id}": {"get": op("Tải tệp (ghi nhật ký) / download a document (logged)", vec![p("code", "Mã hồ sơ"), p("id", "Mã tài liệu")], true)},
            "/api/v1/dossiers/{code}/reuse-offers": {"get": op("Giấy tờ có thể tái sử dụng, không yêu cầu nộp lại / once-only reuse offers", vec![p("code", "Mã hồ sơ")], true)},
            "/api/v1/procedures/{code}/guidance.pdf": {"post": with_body(op("Phiếu hướng dẫn hoàn thiện hồ sơ (PDF) khi hồ sơ chưa đủ / guidance slip listing what is missing", vec![p("code", "Mã thủ tục")], true), json!({"type": "object", "properties": {"documents": {"type": "array", "items": s("integer")}, "document_case": s("string")}}))},
            "/api/v1/worklists": {"get": op("Số hồ sơ theo danh sách công việc / work list counts", vec![], true)},
            "/api/v1/procedures/{code}/checklist": {
                "put": with_body(op("Điều chỉnh danh sách giấy tờ của thủ tục cho tỉnh (phiên bản mới, thay cho kết quả đọc thủ tục công bố) / correct the document checklist for the province (a new version, winning over the record's parse)", vec![p("code", "Mã thủ tục")], true), json!({"type": "object", "required": ["text"], "properties": {
                    "text": {"type": "string", "description": "Mỗi dòng một giấy tờ: + bắt buộc, ? chỉ khi thuộc trường hợp, > xuất trình, # tên trường hợp, ! lưu ý / one line a paper: + required, ? only if it applies, > shown, # case title, ! note"},
                    "note": s("string")}}))
            },
            "/api/v1/procedures/{code}/workflow": {
                "get": op("Quy trình nội bộ hiện hành của một trường hợp, và danh sách trường hợp / current workflow of a case, and the cases", vec![p("code", "Mã thủ tục"), q("case", "Tên trường hợp (mặc định: trường hợp chung)", false, s("string"))], true),
                "put": with_body(op("Sửa quy trình (phiên bản mới, áp dụng cho hồ sơ mới) / edit: new version for new dossiers", vec![p("code", "Mã thủ tục")], true), json!({"type": "object", "required": ["steps"], "properties": {"note": s("string"), "case": {"type": "string", "description": "Tên trường hợp; bỏ trống: trường hợp chung"}, "limit_days": {"type": "number", "description": "Thời hạn riêng của trường hợp (ngày làm việc)"}, "steps": {"type": "array", "items": {"type": "object", "required": ["name", "role", "place", "kind", "days"], "properties": {
                    "name": s("string"), "role": s("string"), "place": {"type": "string", "enum": ["receiving", "competent"]},
                    "kind": {"type": "string", "enum": ["process", "approve", "return"]}, "days": {"type": "number", "description": "Ngày làm việc, bội số 1/32 (15 phút) / working days in quarter hours"}}}}}}))
            }
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "cookie": {"type": "apiKey", "in": "cookie", "name": crate::http::extract::COOKIE}
            },
            "schemas": {
                "Error": {"type": "object", "properties": {"error": {"type": "object", "required": ["code", "message", "message_en"], "properties": {
                    "code": {"type": "string", "enum": codes}, "message": s("string"), "message_en": s("string"), "detail": s("string"), "fields": s("object")}}}},
                "CreateDossier": {"type": "object", "required": ["procedure", "applicant"], "properties": {
                    "procedure": s("string"), "channel": {"type": "string", "enum": ["in_person", "postal", "online"]},
                    "summary": s("string"), "receiving_agency": s("string"), "competent_agency": s("string"),
                    "documents": {"type": "array", "items": s("integer"), "description": "Thành phần hồ sơ đã có (tiếp nhận tại quầy) / checklist numbers present"},
                    "document_case": {"type": "string", "description": "Trường hợp của danh sách giấy tờ (khóa trong checklist.cases) / the checklist case that applies"},
                    "case": {"type": "string", "description": "Trường hợp của thủ tục (nếu có quy trình riêng) / the procedure's case"},
                    "ticket": {"type": "integer", "description": "Số thứ tự (id vé xếp hàng) của người đang ở quầy: thời gian chờ, phục vụ gắn vào hồ sơ / the queue ticket of the person at the counter"},
                    "applicant": {"type": "object", "required": ["name", "id_number"], "properties": {
                        "kind": {"type": "string", "enum": ["person", "enterprise", "agency", "organization"]},
                        "name": s("string"), "id_number": s("string"), "phone": s("string"), "address": s("string")}}}}
            }
        }
    })
}
