//! The events a partner's webhook endpoints can ask for.

use serde::{Deserialize, Serialize};

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
}
