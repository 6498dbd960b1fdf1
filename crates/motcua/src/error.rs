//! The one application error and its stable, bilingual catalogue of codes, mapped once to HTTP.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::collections::BTreeMap;

/// A stable error code: clients and tests depend on these, never on wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    InvalidInput,
    Unauthenticated,
    SessionExpired,
    InvalidCredentials,
    AccountLocked,
    AccountDisabled,
    MfaRequired,
    Forbidden,
    /// The reports are for leaders, center directors and administrators.
    ReportsForLeaders,
    FormExpired,
    RouteNotFound,
    MethodNotAllowed,
    DossierNotFound,
    ProcedureNotFound,
    UnitNotFound,
    AgencyNotFound,
    TicketNotFound,
    PaymentNotFound,
    PaymentUnavailable,
    TransitionNotAllowed,
    Conflict,
    PayloadTooLarge,
    RateLimited,
    Internal,
}

impl ErrorCode {
    /// Every code, for the catalogue test and the OpenAPI document.
    pub const ALL: [ErrorCode; 25] = [
        ErrorCode::BadRequest,
        ErrorCode::InvalidInput,
        ErrorCode::Unauthenticated,
        ErrorCode::SessionExpired,
        ErrorCode::InvalidCredentials,
        ErrorCode::AccountLocked,
        ErrorCode::AccountDisabled,
        ErrorCode::MfaRequired,
        ErrorCode::Forbidden,
        ErrorCode::ReportsForLeaders,
        ErrorCode::FormExpired,
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::DossierNotFound,
        ErrorCode::ProcedureNotFound,
        ErrorCode::UnitNotFound,
        ErrorCode::AgencyNotFound,
        ErrorCode::TicketNotFound,
        ErrorCode::PaymentNotFound,
        ErrorCode::PaymentUnavailable,
        ErrorCode::TransitionNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RateLimited,
        ErrorCode::Internal,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::AccountLocked => "account_locked",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::MfaRequired => "mfa_required",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::ReportsForLeaders => "reports_for_leaders",
            ErrorCode::FormExpired => "form_expired",
            ErrorCode::RouteNotFound => "route_not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::DossierNotFound => "dossier_not_found",
            ErrorCode::ProcedureNotFound => "procedure_not_found",
            ErrorCode::UnitNotFound => "unit_not_found",
            ErrorCode::AgencyNotFound => "agency_not_found",
            ErrorCode::TicketNotFound => "ticket_not_found",
            ErrorCode::PaymentNotFound => "payment_not_found",
            ErrorCode::PaymentUnavailable => "payment_unavailable",
            ErrorCode::TransitionNotAllowed => "transition_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
            ErrorCode::InvalidInput => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Unauthenticated
            | ErrorCode::SessionExpired
            | ErrorCode::InvalidCredentials
            | ErrorCode::MfaRequired => StatusCode::UNAUTHORIZED,
            ErrorCode::AccountLocked => StatusCode::LOCKED,
            ErrorCode::Forbidden
            | ErrorCode::ReportsForLeaders
            | ErrorCode::FormExpired
            | ErrorCode::AccountDisabled => StatusCode::FORBIDDEN,
            ErrorCode::RouteNotFound
            | ErrorCode::DossierNotFound
            | ErrorCode::ProcedureNotFound
            | ErrorCode::UnitNotFound
            | ErrorCode::AgencyNotFound
            | ErrorCode::TicketNotFound
            | ErrorCode::PaymentNotFound => StatusCode::NOT_FOUND,
            ErrorCode::PaymentUnavailable => StatusCode::BAD_GATEWAY,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::TransitionNotAllowed | ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Vietnamese message.
    pub fn vi(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "Yêu cầu không đúng định dạng",
            ErrorCode::InvalidInput => "Dữ liệu nhập chưa hợp lệ",
            ErrorCode::Unauthenticated => "Vui lòng đăng nhập",
            ErrorCode::SessionExpired => "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại",
            ErrorCode::InvalidCredentials => "Tên đăng nhập hoặc mật khẩu không đúng",
            ErrorCode::AccountLocked => {
                "Tài khoản tạm khóa do đăng nhập sai nhiều lần; vui lòng thử lại sau (thường là 15 phút) hoặc liên hệ quản trị viên để mở khóa"
            }
            ErrorCode::AccountDisabled => {
                "Tài khoản đã bị vô hiệu hóa do lâu không sử dụng, vui lòng liên hệ quản trị viên"
            }
            ErrorCode::MfaRequired => "Cần mã xác thực hai lớp (TOTP) hợp lệ",
            ErrorCode::Forbidden => "Bạn không có quyền thực hiện thao tác này",
            ErrorCode::ReportsForLeaders => {
                "Báo cáo, thống kê dành cho lãnh đạo, giám đốc trung tâm và quản trị viên. Nếu cần số liệu, hãy đề nghị lãnh đạo đơn vị."
            }
            ErrorCode::FormExpired => {
                "Biểu mẫu đã hết hạn hoặc không còn hợp lệ; vui lòng tải lại trang rồi gửi lại"
            }
            ErrorCode::RouteNotFound => "Không tìm thấy địa chỉ yêu cầu",
            ErrorCode::MethodNotAllowed => "Phương thức không được hỗ trợ cho địa chỉ này",
            ErrorCode::DossierNotFound => "Không tìm thấy hồ sơ",
            ErrorCode::ProcedureNotFound => "Không tìm thấy thủ tục hành chính",
            ErrorCode::UnitNotFound => "Không tìm thấy đơn vị hành chính",
            ErrorCode::AgencyNotFound => "Không tìm thấy cơ quan",
            ErrorCode::TicketNotFound => "Không tìm thấy số thứ tự (vé xếp hàng)",
            ErrorCode::PaymentNotFound => "Không tìm thấy giao dịch thanh toán",
            ErrorCode::PaymentUnavailable => "Cổng thanh toán chưa trả lời; vui lòng thử lại sau ít phút",
            ErrorCode::TransitionNotAllowed => {
                "Thao tác không được phép ở trạng thái hiện tại của hồ sơ"
            }
            ErrorCode::Conflict => "Dữ liệu vừa được người khác thay đổi, vui lòng tải lại",
            ErrorCode::PayloadTooLarge => "Dữ liệu gửi lên quá lớn",
            ErrorCode::RateLimited => "Bạn thử quá nhiều lần, vui lòng thử lại sau một phút",
            ErrorCode::Internal => "Lỗi hệ thống, vui lòng thử lại sau",
        }
    }

    /// English message.
    pub fn en(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "The request is malformed",
            ErrorCode::InvalidInput => "Some input is not valid",
            ErrorCode::Unauthenticated => "Please sign in",
            ErrorCode::SessionExpired => "Your session has expired; please sign in again",
            ErrorCode::InvalidCredentials => "Wrong username or password",
            ErrorCode::AccountLocked => {
                "The account is locked after repeated failed sign-ins; try again later (usually 15 minutes) or ask an administrator to unlock it"
            }
            ErrorCode::AccountDisabled => {
                "The account was disabled after a long time unused; contact an administrator"
            }
            ErrorCode::MfaRequired => "A valid two-factor (TOTP) code is required",
            ErrorCode::Forbidden => "You are not allowed to do this",
            ErrorCode::ReportsForLeaders => {
                "Reports are for leaders, center directors and administrators. Ask your unit's leader for the figures."
            }
            ErrorCode::FormExpired => "The form has expired or is no longer valid; reload the page and send it again",
            ErrorCode::RouteNotFound => "No such address",
            ErrorCode::MethodNotAllowed => "This method is not allowed at this address",
            ErrorCode::DossierNotFound => "Dossier not found",
            ErrorCode::ProcedureNotFound => "Procedure not found",
            ErrorCode::UnitNotFound => "Administrative unit not found",
            ErrorCode::AgencyNotFound => "Agency not found",
            ErrorCode::TicketNotFound => "Queue ticket not found",
            ErrorCode::PaymentNotFound => "Payment not found",
            ErrorCode::PaymentUnavailable => "The payment gateway did not answer; try again in a few minutes",
            ErrorCode::TransitionNotAllowed => {
                "This action is not allowed in the dossier's current status"
            }
            ErrorCode::Conflict => "Someone else just changed this; please reload",
            ErrorCode::PayloadTooLarge => "The request body is too large",
            ErrorCode::RateLimited => "Too many attempts; please try again in a minute",
            ErrorCode::Internal => "Internal error; please try again later",
        }
    }
}

/// A field-level problem: the field and a bilingual reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub vi: String,
    pub en: String,
}

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A code from the catalogue, with an optional English detail for the client.
    #[error("{code:?}: {detail}")]
    Coded { code: ErrorCode, detail: String },
    /// Field-level validation failures (422).
    #[error("invalid input: {0:?}")]
    Invalid(BTreeMap<String, FieldError>),
    /// Anything unexpected (500, opaque to the client, logged once).
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A catalogue error without detail.
    pub fn code(code: ErrorCode) -> Self {
        AppError::Coded {
            code,
            detail: String::new(),
        }
    }
    /// A catalogue error with an English detail.
    pub fn with(code: ErrorCode, detail: impl Into<String>) -> Self {
        AppError::Coded {
            code,
            detail: detail.into(),
        }
    }
    /// One invalid field.
    pub fn field(name: &str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        let mut m = BTreeMap::new();
        m.insert(
            name.to_owned(),
            FieldError {
                vi: vi.into(),
                en: en.into(),
            },
        );
        AppError::Invalid(m)
    }
    /// Two refusals as one, so that a form shows every invalid field at once: field errors add up; any other error
    /// stands for both.
    #[must_use]
    pub fn and(self, other: AppError) -> AppError {
        match (self, other) {
            (AppError::Invalid(mut a), AppError::Invalid(b)) => {
                for (k, v) in b {
                    a.entry(k).or_insert(v);
                }
                AppError::Invalid(a)
            }
            (e @ (AppError::Coded { .. } | AppError::Internal(_)), _)
            | (AppError::Invalid(_), e) => e,
        }
    }

    /// The first error of some results, with the field errors of all of them.
    pub fn first_of(errors: impl IntoIterator<Item = Option<AppError>>) -> Option<AppError> {
        errors.into_iter().flatten().reduce(AppError::and)
    }

    /// The code this error answers with.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            AppError::Coded { code, .. } => *code,
            AppError::Invalid(_) => ErrorCode::InvalidInput,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<motcua_domain::DomainError> for AppError {
    fn from(e: motcua_domain::DomainError) -> Self {
        match e {
            motcua_domain::DomainError::Invalid {
                field,
                reason_vi,
                reason,
            } => AppError::field(field, format!("Giá trị không hợp lệ: {reason_vi}"), reason),
        }
    }
}

/// Put into response extensions so the logging layer reports the failure once, in the request's span.
#[derive(Debug, Clone)]
pub struct LoggedError {
    pub code: &'static str,
    pub detail: String,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'static str,
    message: &'static str,
    message_en: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a BTreeMap<String, FieldError>>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.error_code();
        let (detail, fields, log_detail) = match &self {
            AppError::Coded { detail, .. } => (detail.as_str(), None, detail.clone()),
            AppError::Invalid(f) => ("", Some(f), format!("{:?}", f.keys().collect::<Vec<_>>())),
            AppError::Internal(e) => ("", None, format!("{e:#}")),
        };
        let body = Body {
            error: Inner {
                code: code.as_str(),
                message: code.vi(),
                message_en: code.en(),
                detail,
                fields,
            },
        };
        let mut resp = (code.status(), axum::Json(body)).into_response();
        resp.extensions_mut().insert(LoggedError {
            code: code.as_str(),
            detail: log_detail,
        });
        resp.extensions_mut()
            .insert(Failed(std::sync::Arc::new(self)));
        resp
    }
}

/// A write refused by a unique key (two saves racing for the same version number) is a 409; anything else stays
/// the database error it is.
pub fn conflict_or_db(err: sqlx::Error) -> AppError {
    if crate::store::is_unique_violation(&err) {
        AppError::code(ErrorCode::Conflict)
    } else {
        err.into()
    }
}

/// The error an API response carries, so that a browser that opened an API address (a PDF link after its session
/// ended) is shown the error page rather than JSON.
#[derive(Debug, Clone)]
pub struct Failed(pub std::sync::Arc<AppError>);

/// Result of a handler or service.
pub type AppResult<T> = Result<T, AppError>;
