//! The client list's filters, sort and page, as they appear in the URL.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::program::{PageLinks, Position, SubscriptionStatus, Tier, Total};

pub const PAGE_SIZE: i64 = 25;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientSort {
    #[default]
    Company,
    Created,
    Plan,
    Price,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientQuery {
    pub status: Option<SubscriptionStatus>,
    pub plan: Option<String>,
    pub search: Option<String>,
    pub sort: ClientSort,
    /// Company A-Z and plans cheapest first read naturally ascending; dates newest first.
    pub descending: bool,
    pub position: Position,
}

impl ClientQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        ClientQuery {
            status: get("status")
                .as_deref()
                .and_then(SubscriptionStatus::from_slug),
            plan: get("plan").filter(|p| {
                !p.is_empty() && p.len() <= 30 && p.chars().all(|c| c.is_ascii_lowercase())
            }),
            search: get("q")
                .map(|q| q.trim().chars().take(100).collect::<String>())
                .filter(|q| !q.is_empty()),
            sort: match get("sort").as_deref() {
                Some("created") => ClientSort::Created,
                Some("plan") => ClientSort::Plan,
                Some("price") => ClientSort::Price,
                _ => ClientSort::Company,
            },
            descending: get("dir").as_deref() == Some("desc"),
            position: Position::from_params(get),
        }
    }

    /// The query string (without `?`) for this view with `edit` applied.
    pub fn query_string(&self, edit: impl FnOnce(&mut ClientQuery)) -> String {
        let mut q = self.clone();
        edit(&mut q);
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(status) = q.status {
            params.push(("status", status.slug().into()));
        }
        if let Some(plan) = &q.plan {
            params.push(("plan", plan.clone()));
        }
        if let Some(search) = &q.search {
            params.push(("q", search.clone()));
        }
        match q.sort {
            ClientSort::Company => {}
            ClientSort::Created => params.push(("sort", "created".into())),
            ClientSort::Plan => params.push(("sort", "plan".into())),
            ClientSort::Price => params.push(("sort", "price".into())),
        }
        if q.descending {
            params.push(("dir", "desc".into()));
        }
        if let Some(param) = q.position.param() {
            params.push(param);
        }
        crate::components::format::query_string(params)
    }

    /// The same view starting at `position` (a page link).
    pub fn at(&self, position: &Position) -> String {
        self.href(|q| q.position = position.clone())
    }

    /// A different view (filter or sort): from its first page.
    pub fn href(&self, edit: impl FnOnce(&mut ClientQuery)) -> String {
        let query = self.query_string(edit);
        if query.is_empty() {
            "/partner/clients".into()
        } else {
            format!("/partner/clients?{query}")
        }
    }
}

/// One row of the client list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub plan_name: String,
    /// What the client pays: the custom price if set, else the list price.
    pub price: Decimal,
    pub status: SubscriptionStatus,
    /// Why the client may be about to leave (churn risk), if it may.
    pub risks: Vec<Risk>,
}

/// Days without a sign-in by any of a client's users after which it counts as inactive, and
/// the days a downgrade stays a warning.
pub const INACTIVE_DAYS: i64 = 60;
pub const DOWNGRADE_DAYS: i64 = 90;

/// A sign that a client may leave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Risk {
    Suspended,
    /// Moved to a cheaper plan in the last [`DOWNGRADE_DAYS`].
    Downgraded,
    /// None of its users signed in for [`INACTIVE_DAYS`] (and it is older than that).
    Inactive,
}

impl Risk {
    pub const fn label(self) -> &'static str {
        match self {
            Risk::Suspended => "suspended",
            Risk::Downgraded => "downgraded recently",
            Risk::Inactive => "inactive",
        }
    }

    /// The risks of a client: its status, whether it moved to a cheaper plan recently, and
    /// the last sign-in of any of its users, on `now`.
    pub fn of(
        status: SubscriptionStatus,
        downgraded_recently: bool,
        created_at: chrono::DateTime<chrono::Utc>,
        last_sign_in: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<Risk> {
        if status == SubscriptionStatus::Canceled {
            return Vec::new();
        }
        let quiet_since = now - chrono::TimeDelta::days(INACTIVE_DAYS);
        [
            (status == SubscriptionStatus::Suspended).then_some(Risk::Suspended),
            downgraded_recently.then_some(Risk::Downgraded),
            (created_at < quiet_since && last_sign_in.is_none_or(|at| at < quiet_since))
                .then_some(Risk::Inactive),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// One page of clients, and the partner's headroom under its tier's cap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPage {
    pub rows: Vec<ClientRow>,
    /// Exact for the partner's own figures, bounded when a search or plan filter applies.
    pub total: Total,
    pub links: PageLinks,
    pub tier: Tier,
    /// Clients counting against the cap (not canceled).
    pub open_clients: i64,
    pub can_edit: bool,
    /// The program team switched client management off for the partner.
    pub management_off: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_at_risk_when_suspended_downgraded_or_quiet() {
        let now: chrono::DateTime<chrono::Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        let days = |n| now - chrono::TimeDelta::days(n);
        let active = SubscriptionStatus::Active;
        assert_eq!(Risk::of(active, false, days(400), Some(days(3)), now), []);
        assert_eq!(
            Risk::of(
                SubscriptionStatus::Suspended,
                true,
                days(400),
                Some(days(3)),
                now
            ),
            [Risk::Suspended, Risk::Downgraded]
        );
        assert_eq!(
            Risk::of(active, false, days(400), Some(days(61)), now),
            [Risk::Inactive]
        );
        assert_eq!(
            Risk::of(active, false, days(400), None, now),
            [Risk::Inactive]
        );
        // A new client is not yet quiet; a cancelled one is gone, not at risk.
        assert_eq!(Risk::of(active, false, days(10), None, now), []);
        assert_eq!(
            Risk::of(SubscriptionStatus::Canceled, true, days(400), None, now),
            []
        );
    }

    #[test]
    fn the_url_round_trips_and_nonsense_is_ignored() {
        let pairs = [
            ("status", "suspended"),
            ("plan", "starter"),
            ("q", "a&b"),
            ("sort", "price"),
            ("dir", "desc"),
            ("after", "Y3Vyc29y"),
        ];
        let q = ClientQuery::from_params(|k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(
            q.href(|_| {}),
            "/partner/clients?status=suspended&plan=starter&q=a%26b&sort=price&dir=desc&after=Y3Vyc29y"
        );
        let junk = [
            ("status", "x"),
            ("plan", "DROP TABLE"),
            ("sort", "?"),
            ("at", "0"),
        ];
        let q = ClientQuery::from_params(|k| {
            junk.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(q, ClientQuery::default());
    }
}
