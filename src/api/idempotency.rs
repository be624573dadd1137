//! `Idempotency-Key` on POST (as the IETF draft describes it): the first request with a key
//! runs; a retry with the same key and the same body gets the first answer again, for 24
//! hours; the same key with another body is refused, and so is a retry while the first is
//! still running. The claim is its own statement, so two retries racing each other cannot
//! both run.

use std::future::Future;

use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use super::{caller::ApiCaller, problem::Problem};
use crate::error::AppError;

pub const HEADER: &str = "idempotency-key";

/// What to do with a request that carries a key.
pub enum Claim {
    /// Run it, then [`finish`] (or [`release`] if it failed on our side).
    Run { key: String },
    /// Answer with what the first request answered.
    Replay(Response),
}

/// The request's `Idempotency-Key`, if any: 1 to 255 visible ASCII characters.
pub fn key_of(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key) if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(Some(key.to_string()))
        }
        _ => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Bad request",
            "Idempotency-Key must be 1 to 255 visible ASCII characters.",
        )),
    }
}

/// What a POST did: ran now, or answered a retry with the first answer.
pub enum Outcome<T> {
    Ran(T),
    Replay(Response),
}

/// Runs `work` once per `Idempotency-Key` (if the request has one): `success` is the status
/// of its answer. A success or a refusal of the input is kept for retries; anything else may
/// go otherwise next time (the cap, a busy database), so a retry runs again.
pub async fn once<T, F>(
    pool: &PgPool,
    caller: &ApiCaller,
    headers: &HeaderMap,
    request: (&str, &[u8]),
    success: StatusCode,
    work: F,
) -> Result<Outcome<T>, Problem>
where
    T: Serialize,
    F: Future<Output = Result<T, Problem>>,
{
    let key_id = caller.credential.key_id;
    let claimed = match key_of(headers)? {
        None => None,
        Some(key) => match claim(pool, key_id, caller.credential.partner_id, key, request).await? {
            Claim::Replay(answer) => return Ok(Outcome::Replay(answer)),
            Claim::Run { key } => Some(key),
        },
    };
    let outcome = work.await;
    if let Some(key) = claimed {
        let (status, text) = match &outcome {
            Ok(value) => (success, serde_json::to_string(value)),
            Err(problem) => (problem.status(), serde_json::to_string(problem)),
        };
        match text {
            Ok(text) if status == success || status == StatusCode::UNPROCESSABLE_ENTITY => {
                finish(pool, key_id, &key, status, &text).await?
            }
            _ => release(pool, key_id, &key).await,
        }
    }
    outcome.map(Outcome::Ran)
}

/// Claims `key` for this request (its path and body), or finds what it answered before.
pub async fn claim(
    pool: &PgPool,
    api_key: Uuid,
    partner_id: Uuid,
    key: String,
    (path, body): (&str, &[u8]),
) -> Result<Claim, Problem> {
    let hash = crate::api_keys::token::hash(&format!("{path}\n{}", String::from_utf8_lossy(body)));
    // A claim older than a day is forgotten first: the key may be used afresh.
    sqlx::query!(
        "delete from api_idempotency where key_id = $1 and idem_key = $2
           and created_at < now() - interval '24 hours'",
        api_key,
        key
    )
    .execute(pool)
    .await
    .map_err(AppError::from)?;
    let claimed = sqlx::query!(
        "insert into api_idempotency (key_id, idem_key, partner_id, request_hash)
         values ($1, $2, $3, $4) on conflict do nothing",
        api_key,
        key,
        partner_id,
        hash
    )
    .execute(pool)
    .await
    .map_err(AppError::from)?
    .rows_affected();
    if claimed == 1 {
        return Ok(Claim::Run { key });
    }
    let earlier = sqlx::query!(
        "select request_hash, status, body from api_idempotency where key_id = $1 and idem_key = $2",
        api_key,
        key
    )
    .fetch_optional(pool)
    .await
    .map_err(AppError::from)?;
    let Some(earlier) = earlier else {
        // Released between the two statements: the caller may simply retry.
        return Err(in_progress());
    };
    if earlier.request_hash != hash {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Idempotency key reused",
            "This Idempotency-Key was used with another request body. Use a new key for a new request.",
        ));
    }
    match (earlier.status, earlier.body) {
        (Some(status), Some(body)) => {
            let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            let kind = if status.is_success() {
                "application/json"
            } else {
                super::problem::CONTENT_TYPE
            };
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            Ok(Claim::Replay(response))
        }
        _ => Err(in_progress()),
    }
}

fn in_progress() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "Request in progress",
        "A request with this Idempotency-Key is still running. Retry in a moment.",
    )
    .with_retry_after(1)
}

/// Stores the answer of the request that claimed `key`, for its retries.
pub async fn finish(
    pool: &PgPool,
    api_key: Uuid,
    key: &str,
    status: StatusCode,
    body: &str,
) -> Result<(), Problem> {
    sqlx::query!(
        "update api_idempotency set status = $3, body = $4 where key_id = $1 and idem_key = $2",
        api_key,
        key,
        status.as_u16() as i16,
        body
    )
    .execute(pool)
    .await
    .map_err(AppError::from)?;
    Ok(())
}

/// Gives `key` up after a failure on our side, so that a retry runs again.
pub async fn release(pool: &PgPool, api_key: Uuid, key: &str) {
    let released = sqlx::query!(
        "delete from api_idempotency where key_id = $1 and idem_key = $2 and status is null",
        api_key,
        key
    )
    .execute(pool)
    .await;
    if let Err(error) = released {
        tracing::warn!(%error, "idempotency claim not released");
    }
}
