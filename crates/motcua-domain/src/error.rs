//! Domain errors: what went wrong with an input, in data, never in HTTP terms.

/// An input that could not be parsed into a domain value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A field's value has the wrong shape.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field, in snake_case as the API names it.
        field: &'static str,
        /// A short Vietnamese reason.
        reason_vi: &'static str,
        /// A short English reason.
        reason: &'static str,
    },
}

impl DomainError {
    /// Shorthand for [`DomainError::Invalid`].
    pub const fn invalid(
        field: &'static str,
        reason_vi: &'static str,
        reason: &'static str,
    ) -> Self {
        Self::Invalid {
            field,
            reason_vi,
            reason,
        }
    }
}

/// A stored value that is none of the known ones (a damaged row, or one written by a newer version): reading it is
/// an error, never a silent default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored {what}: {value}")]
pub struct UnknownStored {
    /// What was read ("status", "channel" …).
    pub what: &'static str,
    /// The value found.
    pub value: String,
}
