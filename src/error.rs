//! `AppError`: the one error type that crosses the server-function boundary.
//!
//! Messages are written for the person using the portal. Detail (SQL, driver messages) is
//! logged on the server and never put into an `AppError`.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You do not have access to this page or action.")]
    Forbidden,
    /// Refused for a reason the person should know (a feature the program team switched
    /// off, a frozen account): a 403 with its own message.
    #[error("{0}")]
    Refused(String),
    /// Two-factor sign-in is required of the caller and not set up: a 403 whose page links
    /// to `/account`, where it is set up.
    #[error("Two-factor sign-in is required for your account. Set it up on your account page to continue.")]
    TwoFactorRequired,
    #[error("We could not find what you were looking for.")]
    NotFound,
    #[error("{}", .0.summary())]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    /// A limit was reached; `retry_after` (seconds) is sent as the `Retry-After` header.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u32 },
    #[error("The request was not understood. Please reload the page and try again.")]
    BadRequest,
    #[error("The portal could not be reached. Check your connection and try again.")]
    Network,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The portal is overloaded (no database connection came free in time, or a statement
    /// ran past its time limit): a deliberate 503 with `Retry-After`, never a failure.
    #[error("The portal is busy right now. Please try again in a few seconds.")]
    Unavailable { retry_after: u32 },
}

impl AppError {
    /// The HTTP status a server function answers with for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::Refused(_) | AppError::TwoFactorRequired => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::BadRequest => 400,
            AppError::Network => 502,
            AppError::Internal => 500,
            AppError::Unavailable { .. } => 503,
        }
    }

    /// How many seconds the caller should wait before trying again, for 429 and 503.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            AppError::TooManyRequests { retry_after, .. }
            | AppError::Unavailable { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// The field errors, if this is a validation error.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Validation(fields) => Some(fields),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            _ => AppError::Internal,
        }
    }
}

/// What was wrong with a submitted form: messages per field, plus the non-secret values the
/// person typed, so that a form re-rendered on the server (no JavaScript) loses nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    /// A message about the form as a whole, shown above its fields.
    pub form: Option<String>,
    pub fields: Vec<FieldError>,
    pub kept: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// A form-level error with no single field to blame.
    pub fn form(message: impl Into<String>) -> Self {
        Self {
            form: Some(message.into()),
            ..Self::default()
        }
    }

    /// The message of one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// A validation error on one field.
    pub fn one(field: &str, message: impl Into<String>) -> AppError {
        AppError::Validation(Self::field(field, message))
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Remembers what the person typed into `field` (never use this for secrets).
    pub fn keep(mut self, field: &str, value: impl Into<String>) -> Self {
        self.kept.push((field.to_string(), value.into()));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.form.is_none() && self.fields.is_empty()
    }

    /// The first message for `field`.
    pub fn message(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The value the person typed into `field`, if it was kept.
    pub fn kept(&self, field: &str) -> Option<&str> {
        self.kept
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
    }

    /// `Ok(())` when nothing is wrong, otherwise the validation error.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }

    fn summary(&self) -> String {
        match (&self.form, self.fields.len()) {
            (Some(message), _) => message.clone(),
            (None, 1) => "Please correct the highlighted field.".into(),
            _ => "Please correct the highlighted fields.".into(),
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::ResultExt;

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    /// How long an overloaded caller is asked to wait.
    const BUSY_RETRY_AFTER: u32 = 5;
    /// PostgreSQL's SQLSTATE for a statement cancelled by `statement_timeout`.
    const QUERY_CANCELED: &str = "57014";

    /// Whether the database is away for a moment rather than refusing this request: its
    /// backend was terminated or is shutting down or starting (SQLSTATE class 57P), or the
    /// connection broke. The caller may retry; the pool replaces the connection.
    fn database_away(error: &sqlx::Error) -> bool {
        match error {
            sqlx::Error::Io(_) | sqlx::Error::PoolClosed => true,
            sqlx::Error::Database(db) => db.code().is_some_and(|code| code.starts_with("57P")),
            _ => false,
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match &error {
                // Overload, not failure: every connection stayed busy, or a statement ran
                // past its limit. The caller gets a 503 with Retry-After.
                sqlx::Error::PoolTimedOut => {
                    tracing::warn!("no database connection came free in time");
                    AppError::Unavailable {
                        retry_after: BUSY_RETRY_AFTER,
                    }
                }
                sqlx::Error::Database(db) if db.code().as_deref() == Some(QUERY_CANCELED) => {
                    tracing::warn!(%error, "statement stopped by its time limit");
                    AppError::Unavailable {
                        retry_after: BUSY_RETRY_AFTER,
                    }
                }
                _ if database_away(&error) => {
                    tracing::warn!(%error, "the database went away");
                    AppError::Unavailable {
                        retry_after: BUSY_RETRY_AFTER,
                    }
                }
                _ => {
                    tracing::error!(%error, "database error");
                    AppError::Internal
                }
            }
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(error: tower_sessions::session::Error) -> Self {
            tracing::error!(%error, "session store error");
            AppError::Internal
        }
    }

    /// For plain axum handlers (downloads): the status and the same generic message.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(self.status_code())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = (status, self.to_string()).into_response();
            if let Some(seconds) = self.retry_after() {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
            }
            response
        }
    }

    /// Turns a violation of one named constraint into the error the caller chooses (a field
    /// error, say); every other database error becomes `Internal` as usual. The write itself
    /// is the check: never read first and write after.
    pub trait ResultExt<T> {
        fn on_constraint(
            self,
            name: &str,
            to_error: impl FnOnce(&dyn sqlx::error::DatabaseError) -> AppError,
        ) -> Result<T, AppError>;
    }

    impl<T> ResultExt<T> for Result<T, sqlx::Error> {
        fn on_constraint(
            self,
            name: &str,
            to_error: impl FnOnce(&dyn sqlx::error::DatabaseError) -> AppError,
        ) -> Result<T, AppError> {
            self.map_err(|error| match &error {
                sqlx::Error::Database(db) if db.constraint() == Some(name) => to_error(db.as_ref()),
                _ => error.into(),
            })
        }
    }

    impl From<tokio::task::JoinError> for AppError {
        fn from(error: tokio::task::JoinError) -> Self {
            tracing::error!(%error, "blocking task failed");
            AppError::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_survive_the_wire_format() {
        let mut fields = FieldErrors::new();
        fields.add("email", "Enter an e-mail address.");
        let errors = [
            AppError::Forbidden,
            AppError::Refused("Switched off.".into()),
            AppError::TwoFactorRequired,
            AppError::Validation(fields.keep("email", "a@b")),
            AppError::Conflict("taken".into()),
            AppError::TooManyRequests {
                message: "Wait".into(),
                retry_after: 60,
            },
            AppError::Unavailable { retry_after: 5 },
        ];
        for error in errors {
            let bytes = error.ser();
            assert_eq!(AppError::de(bytes), error);
        }
    }

    #[test]
    fn validation_messages_are_found_by_field() {
        let mut fields = FieldErrors::new();
        assert!(fields.clone().into_result().is_ok());
        fields.add("email", "Enter an e-mail address.");
        let error = fields.keep("email", "typed").into_result().unwrap_err();
        let fields = error.fields().unwrap();
        assert_eq!(fields.message("email"), Some("Enter an e-mail address."));
        assert_eq!(fields.message("password"), None);
        assert_eq!(fields.kept("email"), Some("typed"));
        assert_eq!(error.to_string(), "Please correct the highlighted field.");
        assert_eq!(error.status_code(), 422);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn overload_and_a_lost_database_are_503_with_retry_after_not_failures() {
        for error in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::Io(std::io::Error::other("connection reset")),
        ] {
            let error = AppError::from(error);
            assert_eq!(error.status_code(), 503);
            assert_eq!(error.retry_after(), Some(5));
        }
        assert_eq!(AppError::from(sqlx::Error::RowNotFound).status_code(), 500);
    }

    #[test]
    fn transport_failures_do_not_leak_detail() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"users\" does not exist".into(),
        ));
        assert_eq!(error, AppError::Internal);
        assert!(!error.to_string().contains("relation"));
    }
}
