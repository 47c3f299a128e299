//! Errors a user can act on: a message, an optional hint, and the exit code they map to.

use std::fmt;

/// A failed operation the user caused and can fix (exit code 1), with a hint saying how.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> UserError {
        UserError { message: message.into(), hint: None }
    }
    pub fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> UserError {
        UserError { message: message.into(), hint: Some(hint.into()) }
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for UserError {}

/// A command line that makes no sense (exit code 2), found after clap's own checks.
#[derive(Debug)]
pub struct UsageError(pub UserError);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl std::error::Error for UsageError {}

/// Work that stopped on a conflict the user must look at (exit code 3, as stgit's
/// `CONFLICT_ERROR`): nothing is lost, but not everything was done.
#[derive(Debug)]
pub struct ConflictError(pub UserError);

impl fmt::Display for ConflictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl std::error::Error for ConflictError {}

/// Builds a conflict error (exit code 3).
pub fn conflict(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    ConflictError(UserError::with_hint(message, hint)).into()
}

/// Builds an `anyhow::Error` from a message and a hint.
pub fn fail(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UserError::with_hint(message, hint).into()
}

/// Builds a usage error (exit code 2).
pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UsageError(UserError::with_hint(message, hint)).into()
}

/// The exit code and hint for an error chain: 2 for usage errors, 3 for a conflict, 1
/// otherwise; 0 for a closed pipe (a reader such as `head` stopped listening, which is not
/// a failure).
pub fn classify(err: &anyhow::Error) -> (i32, Option<String>) {
    let mut hint = None;
    let mut code = 1;
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::BrokenPipe {
                return (0, None);
            }
        }
        if let Some(u) = cause.downcast_ref::<UserError>() {
            hint = hint.or_else(|| u.hint.clone());
        }
        if let Some(u) = cause.downcast_ref::<UsageError>() {
            code = 2;
            hint = hint.or_else(|| u.0.hint.clone());
        }
        if let Some(u) = cause.downcast_ref::<ConflictError>() {
            code = 3;
            hint = hint.or_else(|| u.0.hint.clone());
        }
    }
    (code, hint)
}
