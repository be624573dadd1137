//! `POST /oauth/token`: OAuth 2.0 client credentials (RFC 6749 section 4.4). The client is
//! an API key: its id is the `client_id` and its secret the `client_secret`, sent with HTTP
//! Basic authentication (or, as RFC 6749 section 2.3.1 allows, in the form body). The
//! answer is a bearer token valid for an hour, with the key's scopes or fewer, that stops
//! working with its key.

use axum::{
    extract::State,
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Form, Json,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    api_keys::{
        model::ApiScope,
        queries,
        token::{self, Kind},
    },
    auth::model::PartnerStatus,
    state::AppState,
};

/// How long a bearer token lasts.
pub const TOKEN_SECONDS: i64 = 3600;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenRequest {
    grant_type: String,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

#[derive(Debug, Serialize)]
struct TokenAnswer {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    scope: String,
}

/// An error of the token endpoint (RFC 6749 section 5.2).
#[derive(Debug, Serialize)]
pub struct TokenError {
    error: &'static str,
    error_description: &'static str,
    #[serde(skip)]
    basic: bool,
}

impl TokenError {
    fn new(error: &'static str, error_description: &'static str) -> Self {
        TokenError {
            error,
            error_description,
            basic: false,
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let status = if self.error == "invalid_client" {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        let basic = self.basic;
        let mut response = (status, Json(self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if status == StatusCode::UNAUTHORIZED {
            let challenge = if basic {
                r#"Basic realm="partner-api""#
            } else {
                r#"Bearer realm="partner-api""#
            };
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

/// The client's id and secret from HTTP Basic (each form-urlencoded, RFC 6749 section
/// 2.3.1), if the request carries it.
fn basic_credentials(parts: &Parts) -> Option<(String, String)> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    // Each half is form-urlencoded before it is joined (RFC 6749 section 2.3.1).
    let unescape = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    Some((unescape(id), unescape(secret)))
}

pub async fn token(
    State(state): State<AppState>,
    parts: Parts,
    form: Result<Form<TokenRequest>, axum::extract::rejection::FormRejection>,
) -> Result<Response, TokenError> {
    let Ok(Form(request)) = form else {
        return Err(TokenError::new(
            "invalid_request",
            "Send the request as application/x-www-form-urlencoded.",
        ));
    };
    if request.grant_type != "client_credentials" {
        return Err(TokenError::new(
            "unsupported_grant_type",
            "Only grant_type=client_credentials is supported.",
        ));
    }
    let from_header = basic_credentials(&parts);
    let basic = from_header.is_some();
    let (client_id, secret) = match (from_header, request.client_id, request.client_secret) {
        (Some(pair), None, None) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), _, _) => {
            return Err(TokenError::new(
                "invalid_request",
                "Send the client credentials once: in the Authorization header or in the body.",
            ))
        }
        _ => {
            return Err(TokenError::new(
                "invalid_client",
                "Authenticate with the key's id as client_id and the key as client_secret.",
            ))
        }
    };
    let refused = TokenError {
        basic,
        ..TokenError::new(
            "invalid_client",
            "The client is unknown, revoked or expired.",
        )
    };
    let Ok(client_id) = Uuid::parse_str(client_id.trim()) else {
        return Err(refused);
    };
    if Kind::of(&secret) != Some(Kind::Key) {
        return Err(refused);
    }
    let addr = super::caller::addr_of(&parts, &state);
    let credential = queries::use_key(&state.pool, &token::hash(&secret), Some(addr))
        .await
        .map_err(|error| {
            tracing::error!(%error, "token endpoint");
            TokenError::new("server_error", "The token could not be issued. Try again.")
        })?
        .filter(|c| c.key_id == client_id)
        .ok_or(refused)?;
    if credential.partner_status == PartnerStatus::Suspended {
        return Err(TokenError::new(
            "unauthorized_client",
            "The partner account is suspended: the API is closed to it.",
        ));
    }
    let scopes = match request.scope.as_deref().map(ApiScope::parse_list) {
        None => credential.scopes.clone(),
        Some(Some(asked))
            if asked.iter().all(|s| credential.scopes.contains(s)) && !asked.is_empty() =>
        {
            asked
        }
        Some(_) => {
            return Err(TokenError::new(
                "invalid_scope",
                "Ask for scopes the key holds, separated by spaces.",
            ))
        }
    };
    let access_token = token::generate(Kind::AccessToken);
    queries::insert_token(
        &state.pool,
        &credential,
        &scopes,
        &token::hash(&access_token),
        TOKEN_SECONDS,
    )
    .await
    .map_err(|error| {
        tracing::error!(%error, "token endpoint");
        TokenError::new("server_error", "The token could not be issued. Try again.")
    })?;
    let mut response = Json(TokenAnswer {
        access_token,
        token_type: "Bearer",
        expires_in: TOKEN_SECONDS,
        scope: ApiScope::join(&scopes),
    })
    .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    Ok(response)
}
