//! How a citizen's refused upload is said on the form it came from: the file named, the limits given.

use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

/// A file refused on a form, said on the form: too large names the file and the limit (the API answers 413).
pub(super) fn file_refused(st: &AppState, e: AppError, name: &str) -> AppError {
    if e.error_code() != ErrorCode::PayloadTooLarge {
        return e;
    }
    let mb = st.config.max_upload_mb;
    AppError::field(
        "file",
        format!("«{name}» lớn hơn {mb} MB: hãy chụp lại với độ phân giải thấp hơn hoặc chia thành nhiều tệp."),
        format!("«{name}» is larger than {mb} MB: take the photo at a lower resolution or split it into several files."),
    )
}

/// The refusal of an upload larger than a request may be.
pub(super) fn too_large(st: &AppState) -> AppError {
    let mb = st.config.max_upload_mb;
    let all = crate::http::upload_body_limit(st) / (1024 * 1024);
    AppError::field(
        "file",
        format!("Tệp tải lên quá lớn: mỗi tệp tối đa {mb} MB, mỗi lần gửi tối đa {all} MB. Hãy tải từng tệp hoặc giảm dung lượng ảnh chụp."),
        format!("the upload is too large: at most {mb} MB a file and {all} MB at once. Upload one file at a time or make the photos smaller."),
    )
}
