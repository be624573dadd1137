//! A client account as its own users see it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::program::SubscriptionStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAccount {
    pub company_name: String,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    /// What the client pays per month: the reseller's own price when the reseller bills,
    /// otherwise the list price.
    pub monthly_price: Decimal,
    pub reseller_name: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    /// Where the client's users get help: the support address and phone of the reseller's
    /// published brand (never a member's own sign-in address).
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
}

/// A user of the client account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUser {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub is_owner: bool,
}
