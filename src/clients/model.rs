//! Client accounts as partners see them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
}

/// One client account, as its reseller sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub plan_name: String,
    pub list_price: Decimal,
    pub custom_price: Option<Decimal>,
    pub billing_owned_by_reseller: bool,
    pub status: SubscriptionStatus,
    pub region: Option<String>,
    pub created_at: DateTime<Utc>,
}
