//! Payments, sealed results and notification contacts in the OpenAPI document.

use super::{arr, nullable, obj, op, p, q, with_body};
use serde_json::{json, Value};

/// The routes of this part.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/dossiers/{code}/payments"),
    ("post", "/api/v1/dossiers/{code}/payments"),
    ("post", "/api/v1/dossiers/{code}/payments/counter"),
    ("get", "/api/v1/dossiers/{code}/seals"),
    ("put", "/api/v1/dossiers/{code}/contact"),
    ("post", "/api/v1/seal-keys/agencies/{agency}/rotate"),
    ("post", "/api/v1/seal-keys/{key}/revoke"),
    ("get", "/api/v1/payments/vnpay/ipn"),
    ("post", "/api/v1/payments/dvcqg/confirm"),
    ("get", "/api/v1/payments/reconciliation"),
    ("get", "/api/v1/payments/{order_ref}/receipt.pdf"),
];

pub(super) fn response(method: &str, path: &str) -> Option<(u16, &'static str, Value)> {
    let s = |t: &str| json!({"type": t});
    let ok = |schema: Value| Some((200, "application/json", schema));
    match (method, path) {
        ("get", "/api/v1/dossiers/{code}/payments") => ok(obj(
            &[
                ("fees", arr(s("object"))),
                ("payments", arr(s("object"))),
                (
                    "offered",
                    arr(json!({"type": "string", "enum": ["vnpay", "dvcqg"]})),
                ),
            ],
            &["fees", "payments", "offered"],
        )),
        ("post", "/api/v1/dossiers/{code}/payments") => Some((
            201,
            "application/json",
            obj(
                &[
                    ("order_ref", s("string")),
                    ("amount", s("integer")),
                    ("pay_url", s("string")),
                ],
                &["order_ref", "amount", "pay_url"],
            ),
        )),
        ("post", "/api/v1/dossiers/{code}/payments/counter") => Some((
            201,
            "application/json",
            obj(&[("order_ref", s("string"))], &["order_ref"]),
        )),
        ("get", "/api/v1/dossiers/{code}/seals") => ok(arr(obj(
            &[
                ("token", s("string")),
                ("verify_url", s("string")),
                ("document_id", s("integer")),
                ("title", s("string")),
                ("key_id", s("string")),
                ("sha256", s("string")),
            ],
            &[
                "token",
                "verify_url",
                "document_id",
                "title",
                "key_id",
                "sha256",
            ],
        ))),
        ("put", "/api/v1/dossiers/{code}/contact") | ("post", "/api/v1/seal-keys/{key}/revoke") => {
            Some((204, "", Value::Null))
        }
        ("post", "/api/v1/seal-keys/agencies/{agency}/rotate") => Some((
            201,
            "application/json",
            obj(&[("key_id", s("string"))], &["key_id"]),
        )),
        ("get", "/api/v1/payments/vnpay/ipn") => ok(obj(
            &[
                (
                    "RspCode",
                    json!({"type": "string", "enum": ["00", "01", "02", "04", "97", "99"]}),
                ),
                ("Message", s("string")),
            ],
            &["RspCode", "Message"],
        )),
        ("post", "/api/v1/payments/dvcqg/confirm") => ok(obj(
            &[("MaLoi", s("string")), ("MoTaLoi", s("string"))],
            &["MaLoi", "MoTaLoi"],
        )),
        ("get", "/api/v1/payments/reconciliation") => ok(obj(
            &[
                ("date", s("string")),
                ("agency", s("string")),
                ("lines", arr(s("object"))),
                ("paid_count", s("integer")),
                ("paid_total", s("integer")),
                ("mismatches", s("integer")),
                ("online_total_text", nullable("string")),
            ],
            &[
                "date",
                "agency",
                "lines",
                "paid_count",
                "paid_total",
                "mismatches",
            ],
        )),
        ("get", "/api/v1/payments/{order_ref}/receipt.pdf") => Some((
            200,
            "application/pdf",
            json!({"type": "string", "format": "binary"}),
        )),
        _ => None,
    }
}

pub(super) fn paths() -> Value {
    let s = |t: &str| json!({"type": t});
    let code = || p("code", "Mã hồ sơ / dossier code");
    json!({
        "/api/v1/dossiers/{code}/payments": {
            "get": op("Phí, lệ phí và các giao dịch của hồ sơ / the dossier's fees and payments", vec![code()], true),
            "post": with_body(op("Thanh toán trực tuyến phí đang chờ (người nộp hoặc cán bộ) / pay the open fee online", vec![code()], true),
                json!({"type": "object", "required": ["provider"], "properties": {"provider": {"type": "string", "enum": ["vnpay", "dvcqg"]}}}))},
        "/api/v1/dossiers/{code}/payments/counter": {"post": with_body(op("Ghi nhận thu tiền mặt hoặc chuyển khoản tại quầy / record cash or a transfer at the counter", vec![code()], true),
            json!({"type": "object", "required": ["method"], "properties": {"method": {"type": "string", "enum": ["cash", "transfer"]}, "reference": s("string")}}))},
        "/api/v1/dossiers/{code}/seals": {"get": op("Kết quả điện tử đã đóng dấu số của hồ sơ / the dossier's sealed results", vec![code()], true)},
        "/api/v1/dossiers/{code}/contact": {"put": with_body(op("Kênh nhận thông báo của người nộp / how the applicant is notified", vec![code()], true),
            json!({"type": "object", "required": ["channels"], "properties": {"channels": {"type": "array", "items": {"type": "string", "enum": ["email", "sms", "zalo"]}}, "email": s("string")}}))},
        "/api/v1/seal-keys/agencies/{agency}/rotate": {"post": op("Đổi khóa ký kết quả của cơ quan (quản trị) / rotate an agency's signing key", vec![json!({"name": "agency", "in": "path", "required": true, "schema": s("integer")})], true)},
        "/api/v1/seal-keys/{key}/revoke": {"post": with_body(op("Thu hồi khóa ký (quản trị) / revoke a signing key", vec![p("key", "Mã khóa / key id")], true),
            json!({"type": "object", "required": ["reason"], "properties": {"reason": s("string")}}))},
        "/api/v1/payments/vnpay/ipn": {"get": op("IPN của VNPay 2.1.0 (tham số vnp_*, có chữ ký) / VNPay's IPN", vec![
            q("vnp_TxnRef", "Mã giao dịch / order reference", false, s("string")), q("vnp_SecureHash", "HMAC-SHA512", false, s("string"))], false)},
        "/api/v1/payments/dvcqg/confirm": {"post": with_body(op("Xác nhận thanh toán của Nền tảng thanh toán DVCQG / the national platform's confirm", vec![], false),
            json!({"type": "object", "required": ["LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaTienTe", "MaGiaoDich", "MaNganHang", "ThoiGianGD", "ThongTinGiaoDich", "MaXacThuc"],
                "properties": {"LoaiBanTin": s("string"), "MaLoi": s("string"), "MaDoiTac": s("string"), "MaThamChieu": s("string"), "SoTien": s("integer"), "MaTienTe": s("string"),
                    "MaGiaoDich": s("string"), "MaNganHang": s("string"), "ThoiGianGD": s("string"), "ThongTinGiaoDich": s("string"), "MaXacThuc": s("string")}}))},
        "/api/v1/payments/reconciliation": {"get": op("Đối soát thanh toán trong ngày của cơ quan người gọi / the caller's agency's day", vec![q("date", "YYYY-MM-DD (mặc định hôm nay) / default today", false, s("string"))], true)},
        "/api/v1/payments/{order_ref}/receipt.pdf": {"get": op("Biên lai điện tử / the e-receipt", vec![p("order_ref", "Mã giao dịch / order reference")], true)},
    })
}
