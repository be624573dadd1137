//! The events a partner's webhook endpoints can ask for, and the endpoints and their delivery
//! log as `/partner/webhooks` shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{error::FieldErrors, program::PageLinks, program::Position};

/// The type of the event "Send test event" sends: no endpoint subscribes to it, it goes to
/// the one endpoint it was sent to.
pub const TEST_EVENT: &str = "webhook.test";
/// Deliveries per page of an endpoint's log.
pub const DELIVERIES_PAGE: i64 = 25;
/// How far back "Send everything since" reaches, and how many events one replay sends.
pub const REPLAY_DAYS: i64 = 30;
pub const REPLAY_MAX: i64 = 10_000;

/// A kind of event, named as the API and the signed bodies name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    ClientCreated,
    ClientUpdated,
    SubscriptionChanged,
    StatementClosed,
    PayoutPaid,
    TierChanged,
    ClientAtRisk,
}

impl EventType {
    pub const ALL: [EventType; 7] = [
        Self::ClientCreated,
        Self::ClientUpdated,
        Self::SubscriptionChanged,
        Self::StatementClosed,
        Self::PayoutPaid,
        Self::TierChanged,
        Self::ClientAtRisk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::ClientCreated => "client.created",
            Self::ClientUpdated => "client.updated",
            Self::SubscriptionChanged => "subscription.changed",
            Self::StatementClosed => "statement.closed",
            Self::PayoutPaid => "payout.paid",
            Self::TierChanged => "tier.changed",
            Self::ClientAtRisk => "client.at_risk",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// What it means, for the endpoint form.
    pub fn description(self) -> &'static str {
        match self {
            Self::ClientCreated => "A client was added.",
            Self::ClientUpdated => "A client's details, plan, price or status changed.",
            Self::SubscriptionChanged => "A client's plan, price or status changed.",
            Self::StatementClosed => "A month was closed and its statement issued.",
            Self::PayoutPaid => "A payout was paid.",
            Self::TierChanged => "The partner's tier changed.",
            Self::ClientAtRisk => "A client was suspended or moved to a cheaper plan.",
        }
    }
}

/// An endpoint as its partner (and the API) sees it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Endpoint {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    /// Whether deliveries are sent: off when the portal turned it off (`disabled_reason`).
    pub enabled: bool,
    /// `gone` (the receiver answered 410) or `failing` (five days of failures).
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Endpoint {
    /// Why it is off, in words; `None` when it is on.
    pub fn off_because(&self) -> Option<&'static str> {
        if self.enabled {
            return None;
        }
        Some(match self.disabled_reason.as_deref() {
            Some("gone") => "Off: the receiver answered 410 Gone.",
            Some("failing") => "Off: every delivery failed for five days.",
            _ => "Off: turned off by your team.",
        })
    }
}

/// An endpoint as typed: its URL, what it is for, and the events it wants by name
/// (`input[events][N]`, one per ticked box).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
}

/// A change to an endpoint: its fields, and whether it is on (`input[enabled]`, a box that
/// posts `on` when ticked).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditEndpointInput {
    pub endpoint_id: Uuid,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: Option<String>,
}

impl EditEndpointInput {
    pub fn fields(&self) -> EndpointInput {
        EndpointInput {
            url: self.url.clone(),
            description: self.description.clone(),
            events: self.events.clone(),
        }
    }

    pub fn turned_on(&self) -> bool {
        self.enabled.is_some()
    }
}

/// An action on one endpoint; those that cannot be undone need the box ticked (`yes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointAction {
    pub endpoint_id: Uuid,
    pub confirm: Option<String>,
}

impl EndpointAction {
    /// The endpoint, once the box is ticked; else the message that says what happens.
    pub fn confirmed(&self, what_happens: &str) -> Result<Uuid, FieldErrors> {
        match self.confirm.as_deref() {
            Some("yes") => Ok(self.endpoint_id),
            _ => Err(FieldErrors::field(
                "confirm",
                format!("Tick the box to confirm: {what_happens}"),
            )),
        }
    }
}

/// Sending one delivery again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResendInput {
    pub endpoint_id: Uuid,
    pub delivery_id: Uuid,
}

/// Sending every event since a time again (UTC, as a `datetime-local` field posts it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplayInput {
    pub endpoint_id: Uuid,
    pub since: String,
}

impl ReplayInput {
    /// The time, if it is one within the last [`REPLAY_DAYS`] days before `now`.
    pub fn since(&self, now: DateTime<Utc>) -> Result<DateTime<Utc>, FieldErrors> {
        let typed = self.since.trim();
        let parsed = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| chrono::NaiveDateTime::parse_from_str(typed, format).ok())
            .map(|t| t.and_utc());
        let message = match parsed {
            None => "Give a date and time (UTC), such as 2026-11-30 09:00.".to_string(),
            Some(at) if at > now => "Choose a time in the past.".to_string(),
            Some(at) if at < now - chrono::TimeDelta::days(REPLAY_DAYS) => {
                format!("Replays reach back {REPLAY_DAYS} days at most.")
            }
            Some(at) => return Ok(at),
        };
        Err(FieldErrors::field("since", message).keep("since", typed))
    }
}

/// What became of a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Waiting for its first or next attempt.
    Pending,
    Succeeded,
    /// Given up on (or dropped with its endpoint).
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Succeeded, Outcome::Pending, Outcome::Failed];

    /// The name in the database and in the URL.
    pub const fn slug(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Outcome::Pending => "Waiting to retry",
            Outcome::Succeeded => "Delivered",
            Outcome::Failed => "Failed",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.slug() == slug)
    }
}

/// Which deliveries of an endpoint's log to show: the URL's `type`, `outcome` and position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryQuery {
    pub endpoint_id: Uuid,
    pub event_type: Option<String>,
    pub outcome: Option<Outcome>,
    pub position: Position,
}

impl DeliveryQuery {
    /// From the URL; an unknown type or outcome is no filter.
    pub fn from_params(endpoint_id: Uuid, get: impl Fn(&str) -> Option<String>) -> Self {
        let event_type =
            get("type").filter(|t| t == TEST_EVENT || EventType::from_name(t).is_some());
        DeliveryQuery {
            endpoint_id,
            event_type,
            outcome: get("outcome").and_then(|o| Outcome::from_slug(&o)),
            position: Position::from_params(get),
        }
    }

    pub fn filtered(&self) -> bool {
        self.event_type.is_some() || self.outcome.is_some()
    }

    /// The log's URL with these filters at `position`.
    pub fn href(&self, position: &Position) -> String {
        let mut params = Vec::new();
        if let Some(t) = &self.event_type {
            params.push(format!("type={t}"));
        }
        if let Some(o) = self.outcome {
            params.push(format!("outcome={}", o.slug()));
        }
        if let Some((name, value)) = position.param() {
            params.push(format!(
                "{name}={}",
                crate::components::format::url_encode(&value)
            ));
        }
        let path = format!("/partner/webhooks/{}", self.endpoint_id);
        if params.is_empty() {
            path
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }
}

/// One attempt to deliver: when, the answer's status (none when there was no answer), how
/// long it took and the first bytes of the answer, which are shown as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub attempted_at: DateTime<Utc>,
    pub status: Option<i32>,
    pub duration_ms: i32,
    pub response: String,
    pub error: Option<String>,
}

/// One delivery of an event to the endpoint, with its attempts, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub outcome: Outcome,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub attempts: Vec<AttemptRow>,
}

/// A page of an endpoint's deliveries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLog {
    pub rows: Vec<DeliveryRow>,
    pub links: PageLinks,
}

/// A signing secret, in the one answer that shows it (after the endpoint is made or its
/// secret rotated).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSecret {
    pub endpoint_id: Uuid,
    pub secret: String,
    /// When the secret it replaced stops signing (a rotation).
    pub previous_until: Option<DateTime<Utc>>,
}

/// `/partner/webhooks`: the partner's endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksPage {
    pub endpoints: Vec<Endpoint>,
    pub max: i64,
}

/// `/partner/webhooks/{id}`: one endpoint, and its secret when the post before this page
/// made or rotated it (without JavaScript, read once from the session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointPage {
    pub endpoint: Endpoint,
    pub secret: Option<NewSecret>,
    /// What the plain form post before this page did, when it has more to say than `?done=`.
    pub notice: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_from_its_name_and_names_are_unique() {
        for t in EventType::ALL {
            assert_eq!(EventType::from_name(t.name()), Some(t));
        }
        let names: std::collections::HashSet<_> = EventType::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names.len(), EventType::ALL.len());
        assert_eq!(EventType::from_name("client.deleted"), None);
    }

    #[test]
    fn a_replay_time_is_in_the_past_and_at_most_thirty_days_back() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .to_utc();
        let input = |since: &str| ReplayInput {
            endpoint_id: Uuid::nil(),
            since: since.into(),
        };
        assert_eq!(
            input("2026-11-30T09:15").since(now).unwrap().to_rfc3339(),
            "2026-11-30T09:15:00+00:00"
        );
        assert!(input(" 2026-11-30 09:15 ").since(now).is_ok());
        for (typed, says) in [
            ("yesterday", "date and time"),
            ("2026-12-01T10:01", "past"),
            ("2026-10-31T09:59", "30 days"),
        ] {
            let errors = input(typed).since(now).unwrap_err();
            assert!(errors.message("since").unwrap().contains(says), "{typed}");
            assert_eq!(errors.kept("since"), Some(typed));
        }
    }

    #[test]
    fn the_log_query_reads_back_from_its_url_and_ignores_nonsense() {
        let id = Uuid::from_u128(7);
        let query = DeliveryQuery::from_params(id, |k| match k {
            "type" => Some("subscription.changed".into()),
            "outcome" => Some("failed".into()),
            _ => None,
        });
        assert_eq!(query.outcome, Some(Outcome::Failed));
        let href = query.href(&Position::First);
        assert_eq!(
            href,
            format!("/partner/webhooks/{id}?type=subscription.changed&outcome=failed")
        );
        let nonsense = DeliveryQuery::from_params(id, |k| match k {
            "type" => Some("<script>".into()),
            "outcome" => Some("maybe".into()),
            _ => None,
        });
        assert!(!nonsense.filtered());
        assert_eq!(
            nonsense.href(&Position::First),
            format!("/partner/webhooks/{id}")
        );
        assert!(EditEndpointInput {
            enabled: Some("on".into()),
            ..Default::default()
        }
        .turned_on());
    }
}
