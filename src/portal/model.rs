//! A client account as its own users see it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::clients::model::SubscriptionStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAccount {
    pub company_name: String,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    /// What the client pays per month: the reseller's own price when the reseller bills,
    /// otherwise the list price.
    pub monthly_price: Decimal,
    pub reseller_name: String,
}
