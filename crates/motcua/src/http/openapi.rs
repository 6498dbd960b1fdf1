//! The OpenAPI 3 document of `/api/v1`, written by hand and checked against the router by a test.

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
    ("get", "/api/v1/units/{code}"),
    ("get", "/api/v1/procedures"),
    ("get", "/api/v1/procedures/fields"),
    ("get", "/api/v1/procedures/{code}"),
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
];

/// The document.
pub fn document() -> Value {
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
            "/api/v1/procedures/{code}": {"get": op("Chi tiết thủ tục / procedure detail", vec![p("code", "Mã thủ tục, ví dụ 1.001193")], false)},
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
                    q("list", "mine | pool | due_soon | overdue | waiting_citizen", false, s("string")),
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
                "missing": {"type": "array", "items": s("string"), "description": "Giấy tờ cần bổ sung / what to supplement (request_supplement)"},
                "new_due": {"type": "string", "description": "Ngày hẹn mới RFC 3339 / new date (extend)"},
                "amount": {"type": "integer", "description": "Số tiền (đồng) / amount in VND (request_payment)"},
                "method": {"type": "string", "enum": ["counter", "online", "post"]},
                "receiver_name": s("string")}}))},
            "/api/v1/dossiers/{code}/forms/{form}": {"get": op("Biểu mẫu PDF: transfer.pdf phiếu chuyển, 01.pdf tiếp nhận, 02.pdf bổ sung, 03.pdf từ chối, 04.pdf xin lỗi, 05.pdf dừng, 06.pdf phiếu kiểm soát / form PDFs", vec![p("code", "Mã hồ sơ"), p("form", "01.pdf … 06.pdf")], true)},
            "/api/v1/register.pdf": {"get": op("Sổ theo dõi hồ sơ (Mẫu 07) / dossier register", vec![
                q("from", "Từ ngày YYYY-MM-DD", true, s("string")),
                q("to", "Đến ngày YYYY-MM-DD", true, s("string"))], true)},
            "/api/v1/bundles": {"post": with_body(op("Tiếp nhận hồ sơ liên thông: một lần nộp, nhiều thủ tục ở nhiều cơ quan / receive an interlinked bundle", vec![], true), json!({"type": "object", "required": ["procedure", "applicant", "children"], "properties": {
                "procedure": {"type": "string", "description": "Thủ tục liên thông, ví dụ 2.000986"}, "summary": s("string"),
                "applicant": {"$ref": "#/components/schemas/CreateDossier/properties/applicant"},
                "documents": {"type": "array", "items": s("integer")},
                "children": {"type": "array", "minItems": 2, "maxItems": 10, "items": {"type": "object", "required": ["procedure", "competent_agency"], "properties": {
                    "procedure": s("string"), "competent_agency": s("string"), "documents": {"type": "array", "items": s("integer")}}}}}}))},
            "/api/v1/dossiers/{code}/documents": {"post": op("Tải lên thành phần hồ sơ (thân yêu cầu là tệp PDF/JPEG/PNG, nhận dạng theo nội dung) / upload a document: the body is the file", vec![p("code", "Mã hồ sơ"),
                q("component", "Tên thành phần hồ sơ", true, s("string")), q("name", "Tên tệp", false, s("string")), q("result", "Là kết quả giải quyết", false, s("boolean"))], true)},
            "/api/v1/dossiers/{code}/documents/reuse": {"post": with_body(op("Tái sử dụng giấy tờ đã số hóa của người nộp / reuse a digitised document", vec![p("code", "Mã hồ sơ")], true), json!({"type": "object", "required": ["document_id"], "properties": {"document_id": s("integer"), "component": s("string")}}))},
            "/api/v1/dossiers/{code}/documents/{id}": {"get": op("Tải tệp (ghi nhật ký) / download a document (logged)", vec![p("code", "Mã hồ sơ"), p("id", "Mã tài liệu")], true)},
            "/api/v1/dossiers/{code}/reuse-offers": {"get": op("Giấy tờ có thể tái sử dụng, không yêu cầu nộp lại / once-only reuse offers", vec![p("code", "Mã hồ sơ")], true)},
            "/api/v1/procedures/{code}/guidance.pdf": {"post": with_body(op("Phiếu hướng dẫn hoàn thiện hồ sơ (PDF) khi hồ sơ chưa đủ / guidance slip listing what is missing", vec![p("code", "Mã thủ tục")], true), json!({"type": "object", "properties": {"documents": {"type": "array", "items": s("integer")}}}))},
            "/api/v1/worklists": {"get": op("Số hồ sơ theo danh sách công việc / work list counts", vec![], true)},
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
                    "case": {"type": "string", "description": "Trường hợp của thủ tục (nếu có quy trình riêng) / the procedure's case"},
                    "applicant": {"type": "object", "required": ["name", "id_number"], "properties": {
                        "kind": {"type": "string", "enum": ["person", "enterprise", "agency", "organization"]},
                        "name": s("string"), "id_number": s("string"), "phone": s("string"), "address": s("string")}}}}
            }
        }
    })
}
