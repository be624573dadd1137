//! A partner's webhook endpoints: checked input, and the SQL that keeps them. The signing
//! secret is made here and shown once, when it is made or rotated.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub use super::model::{Endpoint, EndpointInput};
use super::{model::EventType, signing::Secret, target::TargetPolicy};
use crate::error::FieldErrors;

/// At most this many endpoints per partner (deleted ones aside).
pub const MAX_ENDPOINTS: i64 = 10;
/// How long a rotated secret keeps signing beside the new one.
pub const OLD_SECRET_SIGNS_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The input, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedEndpoint {
    pub url: String,
    pub description: String,
    pub events: Vec<EventType>,
}

impl EndpointInput {
    /// Checks every field; each error is named by its field, and what was typed is kept.
    pub fn check(&self, policy: &TargetPolicy) -> Result<CheckedEndpoint, FieldErrors> {
        let mut errors = FieldErrors::new();
        let url = match policy.check_url(&self.url) {
            Ok(url) if url.as_str().len() <= 2000 => Some(url.to_string()),
            Ok(_) => {
                errors.add("url", "Use a URL of at most 2,000 characters.");
                None
            }
            Err(message) => {
                errors.add("url", message);
                None
            }
        };
        let description = self.description.trim().to_string();
        if description.chars().count() > 200 || description.chars().any(char::is_control) {
            errors.add("description", "Use at most 200 characters, on one line.");
        }
        let mut events = Vec::new();
        for name in &self.events {
            match EventType::from_name(name.trim()) {
                Some(t) if !events.contains(&t) => events.push(t),
                Some(_) => {}
                None => errors.add("events", format!("{name:?} is not an event type.")),
            }
        }
        if self.events.is_empty() {
            errors.add("events", "Choose at least one event.");
        }
        match (errors.is_empty(), url) {
            (true, Some(url)) => Ok(CheckedEndpoint {
                url,
                description,
                events,
            }),
            _ => Err(errors
                .keep("url", &self.url)
                .keep("description", &self.description)
                .keep("events", self.events.join(" "))),
        }
    }
}

/// Adds an endpoint; returns it and its secret, which is shown once. `None` when the partner
/// already has [`MAX_ENDPOINTS`].
pub async fn create(
    tx: &mut PgConnection,
    partner_id: Uuid,
    created_by: Uuid,
    endpoint: &CheckedEndpoint,
) -> sqlx::Result<Option<(Endpoint, Secret)>> {
    // Counted under the partner's row lock, so two parallel adds cannot pass the limit.
    sqlx::query!(
        "select id from partners where id = $1 for update",
        partner_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let count = sqlx::query_scalar!(
        r#"select count(*) as "n!" from webhook_endpoints where partner_id = $1 and deleted_at is null"#,
        partner_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if count >= MAX_ENDPOINTS {
        return Ok(None);
    }
    let secret = Secret::generate();
    let events: Vec<String> = endpoint
        .events
        .iter()
        .map(|t| t.name().to_string())
        .collect();
    let row = sqlx::query!(
        r#"insert into webhook_endpoints (partner_id, url, description, event_types, secret, created_by)
           values ($1, $2, $3, $4, $5, $6)
           returning id, created_at as "created_at: DateTime<Utc>""#,
        partner_id,
        endpoint.url,
        endpoint.description,
        &events,
        secret.as_bytes(),
        created_by
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Some((
        Endpoint {
            id: row.id,
            url: endpoint.url.clone(),
            description: endpoint.description.clone(),
            events,
            enabled: true,
            disabled_reason: None,
            created_at: row.created_at,
        },
        secret,
    )))
}

/// The partner's endpoints, oldest first (at most [`MAX_ENDPOINTS`], so no paging).
pub async fn list(db: impl sqlx::PgExecutor<'_>, partner_id: Uuid) -> sqlx::Result<Vec<Endpoint>> {
    sqlx::query_as!(
        Endpoint,
        r#"select id, url, description, event_types as events, enabled, disabled_reason,
                  created_at as "created_at: DateTime<Utc>"
           from webhook_endpoints where partner_id = $1 and deleted_at is null
           order by created_at, id"#,
        partner_id
    )
    .fetch_all(db)
    .await
}

/// One of the partner's endpoints.
pub async fn get(
    db: impl sqlx::PgExecutor<'_>,
    partner_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Endpoint>> {
    sqlx::query_as!(
        Endpoint,
        r#"select id, url, description, event_types as events, enabled, disabled_reason,
                  created_at as "created_at: DateTime<Utc>"
           from webhook_endpoints where partner_id = $1 and id = $2 and deleted_at is null"#,
        partner_id,
        id
    )
    .fetch_optional(db)
    .await
}

/// Deletes an endpoint: nothing more is sent to it. Returns whether it was the partner's.
pub async fn delete(tx: &mut PgConnection, partner_id: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let deleted = sqlx::query!(
        "update webhook_endpoints set deleted_at = now(), enabled = false
         where partner_id = $1 and id = $2 and deleted_at is null",
        partner_id,
        id
    )
    .execute(&mut *tx)
    .await?;
    if deleted.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query!(
        "update webhook_deliveries set state = 'failed', next_attempt_at = null
         where endpoint_id = $1 and state = 'pending'",
        id
    )
    .execute(&mut *tx)
    .await?;
    Ok(true)
}

/// Changes an endpoint's fields and whether it is on; turning it on again forgets why the
/// portal turned it off, and what waited for it is sent. Returns whether it was the
/// partner's.
pub async fn update(
    tx: &mut PgConnection,
    partner_id: Uuid,
    id: Uuid,
    endpoint: &CheckedEndpoint,
    enabled: bool,
) -> sqlx::Result<bool> {
    let events: Vec<String> = endpoint
        .events
        .iter()
        .map(|t| t.name().to_string())
        .collect();
    let updated = sqlx::query!(
        "update webhook_endpoints
         set url = $3, description = $4, event_types = $5, enabled = $6,
             disabled_reason = case when $6 then null else disabled_reason end,
             failing_since = case when $6 and not enabled then null else failing_since end
         where partner_id = $1 and id = $2 and deleted_at is null",
        partner_id,
        id,
        endpoint.url,
        endpoint.description,
        &events,
        enabled
    )
    .execute(&mut *tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// A new secret for an endpoint; the old one signs beside it for [`OLD_SECRET_SIGNS_FOR`].
/// `None` when the endpoint is not the partner's.
pub async fn rotate_secret(
    tx: &mut PgConnection,
    partner_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Secret>> {
    let secret = Secret::generate();
    let rotated = sqlx::query!(
        "update webhook_endpoints
         set previous_secret = secret, previous_expires_at = now() + make_interval(hours => $3),
             secret = $4
         where partner_id = $1 and id = $2 and deleted_at is null",
        partner_id,
        id,
        OLD_SECRET_SIGNS_FOR.num_hours() as i32,
        secret.as_bytes()
    )
    .execute(&mut *tx)
    .await?;
    Ok((rotated.rows_affected() == 1).then_some(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(url: &str, events: &[&str]) -> EndpointInput {
        EndpointInput {
            url: url.into(),
            description: "CRM sync".into(),
            events: events.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_good_endpoint_is_checked_and_bad_fields_are_each_named() {
        let policy = TargetPolicy {
            https_only: true,
            ..Default::default()
        };
        let ok = input(
            "https://crm.example.com/hooks",
            &["client.created", "client.created"],
        )
        .check(&policy)
        .unwrap();
        assert_eq!(ok.events, vec![EventType::ClientCreated]);
        let errors = input("http://10.0.0.1/", &["client.deleted"])
            .check(&policy)
            .unwrap_err();
        assert!(errors.message("url").is_some() && errors.message("events").is_some());
        let none = input("https://crm.example.com/", &[])
            .check(&policy)
            .unwrap_err();
        assert!(none.message("events").is_some() && none.message("url").is_none());
    }
}
