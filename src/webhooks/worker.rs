//! Sending the deliveries: a background task on every app server.
//!
//! Each round leases the endpoints whose oldest pending delivery is due (`for update skip
//! locked`, so two servers never lease the same endpoint) and serves them side by side: one
//! slow endpoint never delays another. An endpoint's deliveries go out one at a time in the
//! order of their events; one that fails waits for its next attempt, and the ones after it
//! wait behind it. A failed attempt is tried again after 5 s, 5 min, 30 min, 2 h, 5 h, then
//! every 10 h, for about three days. A `410 Gone` turns the endpoint off at once; five days of
//! failures turn it off and tell its partner's owners by e-mail.
//!
//! The time is a parameter of [`run_once`], so that tests can move the clock.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::future::join_all;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{
    audit::{self, Action, AuditEntry},
    error::AppError,
};

use super::{
    signing::{signature_header, Secret},
    target::TargetPolicy,
};

/// The wait before each retry; the last repeats until [`GIVE_UP_AFTER`] attempts.
const BACKOFF_SECS: [i64; 6] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600];
/// Attempts in all: the first, then retries for about three days (67 h 35 min).
pub const GIVE_UP_AFTER: i32 = 12;
/// An endpoint failing this long is turned off.
const DISABLE_AFTER: TimeDelta = TimeDelta::days(5);
/// How long one attempt may take, and how long a lease lasts (well past an attempt, so that a
/// lease outlives the attempts of its round).
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
const LEASE: TimeDelta = TimeDelta::minutes(5);
/// Endpoints served at once by one server, and deliveries sent to one endpoint in a round.
const ENDPOINTS_PER_ROUND: i64 = 64;
const DELIVERIES_PER_LEASE: usize = 50;
/// How much of an answer is kept for the log.
const RESPONSE_KEPT: usize = 1000;

/// The wait after `attempts` failed attempts, or `None` when it is time to give up.
pub fn backoff(attempts: i32) -> Option<TimeDelta> {
    if attempts >= GIVE_UP_AFTER {
        return None;
    }
    let i = usize::try_from(attempts - 1).unwrap_or(0);
    let secs = BACKOFF_SECS[i.min(BACKOFF_SECS.len() - 1)];
    Some(TimeDelta::seconds(secs))
}

/// The HTTP client deliveries go out with: names looked up through the target guard, no
/// redirects, no proxy, a time limit per attempt.
#[derive(Clone)]
pub struct Sender {
    client: reqwest::Client,
    policy: Arc<TargetPolicy>,
}

impl Sender {
    pub fn new(policy: TargetPolicy) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(policy.resolver()?))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(ATTEMPT_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .user_agent("PartnerPortal-Webhooks/1")
            .build()
            .map_err(|e| format!("the webhook client could not start: {e}"))?;
        Ok(Sender {
            client,
            policy: Arc::new(policy),
        })
    }
}

/// What an attempt came to.
struct Answer {
    status: Option<u16>,
    duration_ms: i32,
    response: String,
    error: Option<String>,
}

impl Sender {
    /// Posts `body` to `url`, signed; never follows a redirect.
    async fn post(&self, url: &str, headers: [(&str, String); 3], body: String) -> Answer {
        let started = std::time::Instant::now();
        let elapsed = |started: std::time::Instant| {
            i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX)
        };
        // The URL was checked when it was saved; checked again here, since the settings may
        // have changed (a network no longer allowed).
        if let Err(reason) = self.policy.check_url(url) {
            return Answer {
                status: None,
                duration_ms: 0,
                response: String::new(),
                error: Some(reason.to_string()),
            };
        }
        let mut request = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let bytes = response.bytes().await.unwrap_or_default();
                let kept = &bytes[..bytes.len().min(RESPONSE_KEPT)];
                Answer {
                    status: Some(status),
                    duration_ms: elapsed(started),
                    response: String::from_utf8_lossy(kept).into_owned(),
                    error: None,
                }
            }
            Err(error) => Answer {
                status: None,
                duration_ms: elapsed(started),
                response: String::new(),
                error: Some(describe(&error)),
            },
        }
    }
}

/// An error with its causes (reqwest's own message hides why a connection failed).
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Serves the due deliveries until the process ends, polling once a second when idle.
pub async fn run(pool: PgPool, sender: Sender) {
    loop {
        match run_once(&pool, &sender, Utc::now()).await {
            Ok(0) => tokio::time::sleep(Duration::from_secs(1)).await,
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, "webhook delivery round failed");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

struct Endpoint {
    id: Uuid,
    partner_id: Uuid,
    url: String,
    secret: Vec<u8>,
    previous_secret: Option<Vec<u8>>,
    previous_expires_at: Option<DateTime<Utc>>,
}

/// One round at time `now`: leases the endpoints with a due delivery and serves them side by
/// side; returns how many attempts were made.
pub async fn run_once(
    pool: &PgPool,
    sender: &Sender,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let endpoints = sqlx::query_as!(
        Endpoint,
        r#"update webhook_endpoints w set leased_until = $1::timestamptz + $2::interval
           where w.id in (
               select e.id from webhook_endpoints e
               where e.enabled and e.deleted_at is null and e.leased_until < $1
                 and (select d.next_attempt_at from webhook_deliveries d
                      where d.endpoint_id = e.id and d.state = 'pending'
                      order by d.occurred_at, d.id limit 1) <= $1
               for update skip locked
               limit $3)
           returning w.id, w.partner_id, w.url, w.secret, w.previous_secret,
                     w.previous_expires_at as "previous_expires_at: DateTime<Utc>""#,
        now as _,
        interval(LEASE),
        ENDPOINTS_PER_ROUND
    )
    .fetch_all(pool)
    .await?;
    let served = join_all(
        endpoints
            .iter()
            .map(|endpoint| serve(pool, sender, endpoint, now)),
    )
    .await;
    let mut attempts = 0;
    for (endpoint, result) in endpoints.iter().zip(served) {
        sqlx::query!(
            "update webhook_endpoints set leased_until = '-infinity' where id = $1",
            endpoint.id
        )
        .execute(pool)
        .await?;
        attempts += result?;
    }
    Ok(attempts)
}

fn interval(delta: TimeDelta) -> sqlx::postgres::types::PgInterval {
    sqlx::postgres::types::PgInterval {
        months: 0,
        days: 0,
        microseconds: delta.num_microseconds().unwrap_or(i64::MAX),
    }
}

/// Sends an endpoint's due deliveries in event order, stopping at the first that fails or is
/// not due; returns how many attempts were made.
async fn serve(
    pool: &PgPool,
    sender: &Sender,
    endpoint: &Endpoint,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut secrets = Vec::new();
    secrets.extend(Secret::from_bytes(&endpoint.secret));
    if endpoint.previous_expires_at.is_some_and(|at| at > now) {
        secrets.extend(
            endpoint
                .previous_secret
                .as_deref()
                .and_then(Secret::from_bytes),
        );
    }
    let secrets: Vec<&Secret> = secrets.iter().collect();
    let mut attempts = 0;
    while attempts < DELIVERIES_PER_LEASE {
        let Some(next) = sqlx::query!(
            r#"select d.id, d.attempts, d.next_attempt_at as "next_attempt_at!: DateTime<Utc>",
                      e.id as event_id, e.event_type,
                      e.occurred_at as "occurred_at: DateTime<Utc>", e.payload
               from webhook_deliveries d join webhook_events e on e.id = d.event_id
               where d.endpoint_id = $1 and d.state = 'pending'
               order by d.occurred_at, d.id limit 1"#,
            endpoint.id
        )
        .fetch_optional(pool)
        .await?
        else {
            break;
        };
        if next.next_attempt_at > now {
            break;
        }
        let message_id = format!("msg_{}", next.event_id.simple());
        let body = serde_json::json!({
            "id": format!("evt_{}", next.event_id.simple()),
            "type": next.event_type,
            "timestamp": next.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "data": next.payload,
        })
        .to_string();
        let timestamp = now.timestamp();
        let signature = signature_header(&secrets, &message_id, timestamp, body.as_bytes());
        let answer = sender
            .post(
                &endpoint.url,
                [
                    ("webhook-id", message_id),
                    ("webhook-timestamp", timestamp.to_string()),
                    ("webhook-signature", signature),
                ],
                body,
            )
            .await;
        attempts += 1;
        let delivered = record(pool, endpoint, next.id, next.attempts + 1, &answer, now).await?;
        if !delivered {
            break;
        }
    }
    Ok(attempts)
}

/// Records an attempt and its consequences; returns whether the delivery succeeded.
async fn record(
    pool: &PgPool,
    endpoint: &Endpoint,
    delivery_id: Uuid,
    attempts: i32,
    answer: &Answer,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let succeeded = answer.status.is_some_and(|s| (200..300).contains(&s));
    let gone = answer.status == Some(410);
    let next_attempt = if succeeded || gone {
        None
    } else {
        backoff(attempts).map(|wait| now + wait)
    };
    let state = match (succeeded, next_attempt) {
        (true, _) => "succeeded",
        (false, Some(_)) => "pending",
        (false, None) => "failed",
    };
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "insert into webhook_attempts (partner_id, delivery_id, attempted_at, status, duration_ms,
                                       response, error)
         values ($1, $2, $3, $4, $5, $6, $7)",
        endpoint.partner_id,
        delivery_id,
        now as _,
        answer.status.map(i32::from),
        answer.duration_ms,
        answer.response,
        answer.error
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update webhook_deliveries set state = $2, attempts = $3, next_attempt_at = $4,
                last_status = $5
         where id = $1",
        delivery_id,
        state,
        attempts,
        next_attempt as _,
        answer.status.map(i32::from)
    )
    .execute(&mut *tx)
    .await?;
    // The endpoint: failing since the first failure after a success; off after a 410 or
    // five days of failures.
    let ended = sqlx::query_scalar!(
        r#"update webhook_endpoints
           set failing_since = case when $2 then null else coalesce(failing_since, $3) end,
               enabled = enabled and not $4
                         and not ($2 = false and coalesce(failing_since, $3) <= $3 - $5::interval),
               disabled_reason = case
                   when $4 then 'gone'
                   when not $2 and coalesce(failing_since, $3) <= $3 - $5::interval then 'failing'
                   else disabled_reason end
           where id = $1
           returning case when enabled then null else disabled_reason end as ended"#,
        endpoint.id,
        succeeded,
        now as _,
        gone,
        interval(DISABLE_AFTER)
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(reason) = ended.as_deref() {
        let entry = AuditEntry::system(Action::WebhookEndpointDisabled)
            .partner(endpoint.partner_id)
            .target("webhook_endpoint", endpoint.id)
            .detail(serde_json::json!({
                "url": endpoint.url, "reason": reason, "status": answer.status,
            }));
        audit::record(&mut *tx, entry).await?;
        if reason == "failing" {
            tell_owners(&mut tx, endpoint).await?;
        }
    }
    tx.commit().await?;
    Ok(succeeded)
}

/// E-mails the partner's owners that an endpoint was turned off for failing.
async fn tell_owners(tx: &mut sqlx::PgConnection, endpoint: &Endpoint) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into email_outbox (partner_id, to_address, subject, body_text)
         select m.partner_id, u.email, 'A webhook endpoint was turned off',
                'Every delivery to ' || $2 || ' has failed for five days, so the portal turned '
                || 'the endpoint off. Fix the receiver, then turn the endpoint on again under '
                || 'Webhooks: deliveries that waited are sent again from the log.'
         from partner_members m join users u on u.id = m.user_id
         where m.partner_id = $1 and m.role = 'owner'
           and exists (select 1 from webhook_endpoints w
                       where w.id = $3 and w.disabled_reason = 'failing' and not w.enabled)",
        endpoint.partner_id,
        endpoint.url,
        endpoint.id
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_for_about_three_days_then_stop() {
        let waits: Vec<i64> = (1..GIVE_UP_AFTER)
            .map(|n| backoff(n).unwrap().num_seconds())
            .collect();
        assert_eq!(&waits[..6], &[5, 300, 1800, 7200, 18000, 36000]);
        assert!(waits[6..].iter().all(|w| *w == 36000));
        let total: i64 = waits.iter().sum();
        assert!((2 * 86400..4 * 86400).contains(&total), "{total} s");
        assert_eq!(backoff(GIVE_UP_AFTER), None);
    }
}
