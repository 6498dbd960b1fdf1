//! The queue's part of the OpenAPI document.

use super::{arr, nullable, obj, op, p, q, r, with_body};
use serde_json::{json, Value};

/// The queue's response schemas.
pub(super) fn schemas() -> Vec<(&'static str, Value)> {
    let s = |t: &str| json!({"type": t});
    vec![
        (
            "TicketStatus",
            obj(
                &[
                    ("label", s("string")),
                    ("service", s("string")),
                    (
                        "state",
                        json!({"type": "string", "enum": ["waiting", "called", "serving", "done", "no_show"]}),
                    ),
                    ("state_vi", s("string")),
                    ("state_en", s("string")),
                    ("ahead", s("integer")),
                    ("estimated_wait_minutes", s("integer")),
                    ("counter", nullable("integer")),
                    ("scheduled", s("boolean")),
                    ("taken_at", json!({"type": "string", "format": "date-time"})),
                    (
                        "appointment_at",
                        json!({"type": "string", "format": "date-time", "nullable": true}),
                    ),
                ],
                &[
                    "label",
                    "service",
                    "state",
                    "ahead",
                    "estimated_wait_minutes",
                    "taken_at",
                ],
            ),
        ),
        (
            "StaffTicket",
            obj(
                &[
                    ("id", s("integer")),
                    ("label", s("string")),
                    ("service_id", s("integer")),
                    ("service", s("string")),
                    (
                        "state",
                        json!({"type": "string", "enum": ["waiting", "called", "serving", "done", "no_show"]}),
                    ),
                    (
                        "source",
                        json!({"type": "string", "enum": ["kiosk", "phone", "appointment", "counter"]}),
                    ),
                    (
                        "priority",
                        json!({"type": "string", "nullable": true, "enum": ["elderly", "disability", "pregnant", "child_under_6", "merit"]}),
                    ),
                    ("counter", nullable("integer")),
                    ("recalls", s("integer")),
                    ("dossier_id", nullable("integer")),
                    ("has_kiosk_data", s("boolean")),
                    ("assisted_by", nullable("string")),
                ],
                &[
                    "id",
                    "label",
                    "service_id",
                    "state",
                    "source",
                    "recalls",
                    "has_kiosk_data",
                ],
            ),
        ),
        (
            "Taken",
            obj(
                &[("token", s("string")), ("ticket", r("TicketStatus"))],
                &["token", "ticket"],
            ),
        ),
    ]
}

/// The answer of a queue operation (`None`: not a queue path).
pub(super) fn response(method: &str, path: &str) -> Option<(u16, &'static str, Value)> {
    let ok = |schema: Value| Some((200, "application/json", schema));
    let s = |t: &str| json!({"type": t});
    match (method, path) {
        ("get", "/api/v1/queue/staffing") => ok(obj(
            &[
                ("counters", s("integer")),
                ("service_level", s("number")),
                ("mean_wait_minutes", nullable("number")),
                ("wait_probability", s("number")),
                ("load", s("number")),
                (
                    "model",
                    json!({"type": "string", "enum": ["erlang_c", "erlang_a"]}),
                ),
            ],
            &[
                "counters",
                "service_level",
                "mean_wait_minutes",
                "wait_probability",
                "load",
                "model",
            ],
        )),
        ("get", "/api/v1/queue/level") => ok(obj(
            &[
                ("center", s("string")),
                (
                    "services",
                    arr(obj(
                        &[
                            ("service_id", nullable("integer")),
                            ("name", s("string")),
                            ("waiting", s("integer")),
                            ("current_wait_minutes", s("number")),
                            ("projected_wait_minutes", s("number")),
                            ("open_counters", s("integer")),
                            ("handling_minutes", s("number")),
                            ("tickets", s("integer")),
                            ("called", s("integer")),
                            ("p50_wait_minutes", nullable("number")),
                            ("p90_wait_minutes", nullable("number")),
                            ("within_share", nullable("number")),
                            ("over_minutes", s("integer")),
                            ("no_shows", s("integer")),
                        ],
                        &[
                            "name",
                            "waiting",
                            "current_wait_minutes",
                            "projected_wait_minutes",
                            "within_share",
                            "over_minutes",
                        ],
                    )),
                ),
            ],
            &["center", "services"],
        )),
        ("get", "/api/v1/queue/centers/{center}") => ok(obj(
            &[
                ("center", s("string")),
                ("name", s("string")),
                (
                    "services",
                    arr(obj(
                        &[
                            ("id", s("integer")),
                            ("letter", s("string")),
                            ("name", s("string")),
                        ],
                        &["id", "letter", "name"],
                    )),
                ),
                (
                    "priority_classes",
                    arr(obj(
                        &[
                            ("code", s("string")),
                            ("vi", s("string")),
                            ("en", s("string")),
                        ],
                        &["code", "vi", "en"],
                    )),
                ),
            ],
            &["center", "name", "services", "priority_classes"],
        )),
        (
            "post",
            "/api/v1/queue/centers/{center}/tickets"
            | "/api/v1/queue/centers/{center}/appointments",
        ) => Some((201, "application/json", r("Taken"))),
        ("get", "/api/v1/queue/centers/{center}/board") => ok(obj(
            &[
                ("center", s("string")),
                (
                    "calls",
                    arr(obj(
                        &[
                            ("counter", s("integer")),
                            ("label", s("string")),
                            ("service", s("string")),
                            ("recalls", s("integer")),
                            ("key", s("string")),
                        ],
                        &["counter", "label", "key"],
                    )),
                ),
                ("next", arr(s("string"))),
                ("waiting", s("integer")),
                ("at", s("string")),
            ],
            &["center", "calls", "next", "waiting", "at"],
        )),
        ("get", "/api/v1/queue/centers/{center}/slots") => ok(obj(
            &[(
                "slots",
                arr(obj(
                    &[
                        ("at", json!({"type": "string", "format": "date-time"})),
                        ("free", s("integer")),
                    ],
                    &["at", "free"],
                )),
            )],
            &["slots"],
        )),
        ("get", "/api/v1/queue/tickets/{ticket}") => ok(r("TicketStatus")),
        ("post", "/api/v1/queue/tickets/{ticket}/actions") => ok(r("StaffTicket")),
        ("post", "/api/v1/queue/counters/{id}/call") => ok(obj(
            &[(
                "ticket",
                json!({"allOf": [r("StaffTicket")], "nullable": true}),
            )],
            &["ticket"],
        )),
        _ => None,
    }
}

/// The queue's paths.
pub(super) fn paths() -> Value {
    let s = |t: &str| json!({"type": t});
    let center = || p("center", "Mã định danh Trung tâm / center identifier");
    json!({
        "/api/v1/queue/staffing": {"get": op("Số quầy cần mở (Erlang C; Erlang A khi có tỷ lệ bỏ về) / counters for a demand", vec![
            q("arrivals_per_hour", "Lượt đến mỗi giờ / arrivals per hour", true, s("number")),
            q("handling_minutes", "Thời gian phục vụ trung bình (phút) / mean handling time", true, s("number")),
            q("within_minutes", "Thời gian chờ mục tiêu (mặc định 20) / target wait", false, s("number")),
            q("target", "Tỷ lệ gọi trong thời gian mục tiêu (mặc định 0.9) / target share", false, s("number")),
            q("abandon_per_hour", "Tỷ lệ bỏ về mỗi giờ chờ (Erlang A) / abandonment per hour waited", false, s("number"))], false)},
        "/api/v1/queue/level": {"get": op("Mức phục vụ hiện tại của Trung tâm của người gọi / the caller's center's live service level", vec![], true)},
        "/api/v1/queue/centers/{center}": {"get": op("Dịch vụ xếp hàng của Trung tâm / a center's queue services", vec![center()], false)},
        "/api/v1/queue/centers/{center}/tickets": {"post": with_body(op("Lấy số thứ tự (điện thoại, mã QR) / take a ticket", vec![center()], false),
            json!({"type": "object", "required": ["service"], "properties": {"service": s("integer"),
                "priority": {"type": "string", "enum": ["elderly", "disability", "pregnant", "child_under_6", "merit"]},
                "procedure": {"type": "string", "description": "Mã thủ tục (để gợi ý dịch vụ) / procedure code"}}}))},
        "/api/v1/queue/centers/{center}/board": {"get": op("Màn hình sảnh: lượt đang gọi, số tiếp theo / the hall display's board", vec![center()], false)},
        "/api/v1/queue/centers/{center}/slots": {"get": op("Giờ hẹn còn trống / free appointment slots", vec![center(),
            q("service", "Mã dịch vụ / service id", true, s("integer")), q("day", "YYYY-MM-DD", true, s("string"))], false)},
        "/api/v1/queue/centers/{center}/appointments": {"post": with_body(op("Đặt lịch hẹn (công dân đã đăng nhập) / book a slot (signed-in citizen)", vec![center()], true),
            json!({"type": "object", "required": ["service", "at"], "properties": {"service": s("integer"), "at": {"type": "string", "format": "date-time"}}}))},
        "/api/v1/queue/tickets/{ticket}": {"get": op("Vị trí và thời gian chờ dự kiến của một số (theo mã trên phiếu) / where a ticket stands, by its token", vec![p("ticket", "Mã trên phiếu / the ticket's token")], false)},
        "/api/v1/queue/tickets/{ticket}/actions": {"post": with_body(op("Gọi lại, vắng mặt, bắt đầu, xong, chuyển dịch vụ / recall, no-show, start, finish, transfer", vec![p("ticket", "Mã số (id) vé / ticket id")], true),
            json!({"type": "object", "required": ["action"], "properties": {"action": {"type": "string", "enum": ["recall", "no_show", "start", "finish", "transfer"]}, "service": s("integer")}}))},
        "/api/v1/queue/counters/{id}/call": {"post": op("Gọi số tiếp theo đến quầy / call the next ticket to the counter", vec![p("id", "Mã quầy / counter id")], true)},
    })
}
