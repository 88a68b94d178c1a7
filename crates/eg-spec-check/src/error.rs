//! The error for an input that cannot be read or parsed.

/// An input that cannot be read or parsed; the comparison did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The file cannot be read at all.
    #[error("{file}: cannot read: {message}")]
    Read {
        /// The file, as named by the caller.
        file: String,
        /// The I/O error.
        message: String,
    },
    /// No docs page was given.
    #[error("no docs page to check")]
    NoPages,
    /// The file is not a docs page / an OpenAPI 3.0 document.
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// The file, as named by the caller.
        file: String,
        /// 1-based line at fault.
        line: usize,
        /// What is wrong there.
        message: String,
    },
}

pub(crate) fn invalid(file: &str, line: usize, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}
