//! The states program records move through.

use serde::{Deserialize, Serialize};

/// A client's subscription status: ACTIVE <-> SUSPENDED, either -> CANCELED.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "subscription_status", rename_all = "lowercase")
)]
pub enum SubscriptionStatus {
    Active,
    Suspended,
    Canceled,
}

impl SubscriptionStatus {
    pub fn label(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "Active",
            SubscriptionStatus::Suspended => "Suspended",
            SubscriptionStatus::Canceled => "Canceled",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Suspended => "suspended",
            SubscriptionStatus::Canceled => "canceled",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Self::Active, Self::Suspended, Self::Canceled]
            .into_iter()
            .find(|s| s.slug() == slug)
    }

    /// ACTIVE <-> SUSPENDED, either -> CANCELED, and a canceled client may be reactivated
    /// (which counts against the tier's cap again).
    pub fn can_move_to(self, to: SubscriptionStatus) -> bool {
        use SubscriptionStatus::*;
        matches!(
            (self, to),
            (Active, Suspended | Canceled) | (Suspended, Active | Canceled) | (Canceled, Active)
        )
    }

    /// Whether a move to `to` makes the client count against the cap again.
    pub fn reopens(self, to: SubscriptionStatus) -> bool {
        self == SubscriptionStatus::Canceled && to != SubscriptionStatus::Canceled
    }
}

/// How a partner works with the vendor (seed 001).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "partnership_type", rename_all = "lowercase")
)]
pub enum PartnershipType {
    Reseller,
    Referral,
    Technology,
}

impl PartnershipType {
    pub const ALL: [PartnershipType; 3] = [Self::Reseller, Self::Referral, Self::Technology];

    pub fn label(self) -> &'static str {
        match self {
            Self::Reseller => "Reseller",
            Self::Referral => "Referral",
            Self::Technology => "Technology",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Reseller => "reseller",
            Self::Referral => "referral",
            Self::Technology => "technology",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}
