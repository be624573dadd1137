//! Errors of the API as RFC 9457 problem details (`application/problem+json`): a title per
//! kind of error, the message a person can act on, and for bad input one entry per field.

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// One problem with one field of the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem: what went wrong, for a person and for a program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    #[serde(skip)]
    retry_after: Option<u32>,
    /// A refused credential: the `WWW-Authenticate` challenge (RFC 6750 section 3).
    #[serde(skip)]
    challenge: Option<&'static str>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
            challenge: None,
        }
    }

    /// 401: no usable credential. `error` is RFC 6750's code (`invalid_request` when the
    /// request is malformed, `invalid_token` when the credential is unknown or spent).
    pub fn unauthenticated(detail: impl Into<String>, invalid_token: bool) -> Self {
        let mut problem = Problem::new(StatusCode::UNAUTHORIZED, "Unauthorized", detail);
        problem.challenge = Some(if invalid_token {
            r#"Bearer realm="partner-api", error="invalid_token""#
        } else {
            r#"Bearer realm="partner-api", error="invalid_request""#
        });
        problem
    }

    /// 403 for a credential without the scope an operation needs.
    pub fn missing_scope(scope: &str) -> Self {
        let mut problem = Problem::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!("This key does not have the {scope} scope."),
        );
        problem.challenge = Some(r#"Bearer realm="partner-api", error="insufficient_scope""#);
        problem
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn with_retry_after(mut self, seconds: u32) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let title = match status {
            StatusCode::UNAUTHORIZED => "Unauthorized",
            StatusCode::FORBIDDEN => "Forbidden",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::UNPROCESSABLE_ENTITY => "Invalid input",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::TOO_MANY_REQUESTS => "Too many requests",
            StatusCode::BAD_REQUEST => "Bad request",
            StatusCode::SERVICE_UNAVAILABLE => "Unavailable",
            _ => "Internal error",
        };
        let errors = error
            .fields()
            .map(|fields| {
                fields
                    .fields
                    .iter()
                    .map(|f| FieldProblem {
                        field: f.field.clone(),
                        message: f.message.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let detail = match &error {
            AppError::Validation(fields) => fields
                .form
                .clone()
                .unwrap_or_else(|| "Some fields are not valid: see errors.".into()),
            AppError::Unauthorized => {
                "Send an API key or token in the Authorization header.".into()
            }
            other => other.to_string(),
        };
        Problem {
            errors,
            retry_after: error.retry_after(),
            ..Problem::new(status, title, detail)
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(challenge) = self.challenge {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
