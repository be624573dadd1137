//! Client accounts as partners see them: status rules, plans, history.

use crate::program::SubscriptionStatus;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A plan a client can be on, with its list price per month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOption {
    pub code: String,
    pub name: String,
    pub monthly_price: Decimal,
}

/// One change of plan, price or status, as the client's history shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionEvent {
    pub occurred_at: DateTime<Utc>,
    pub kind: String,
    pub actor: Option<String>,
    /// The reseller member who acted while logged in as the client, if so.
    pub real_actor: Option<String>,
    pub from_plan: Option<String>,
    pub to_plan: Option<String>,
    pub from_custom_price: Option<Decimal>,
    pub to_custom_price: Option<Decimal>,
    pub from_status: Option<SubscriptionStatus>,
    pub to_status: SubscriptionStatus,
}

/// One client account, as its reseller sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetail {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub plan: String,
    pub plan_name: String,
    pub list_price: Decimal,
    pub custom_price: Option<Decimal>,
    pub billing_owned_by_reseller: bool,
    pub status: SubscriptionStatus,
    pub region: Option<String>,
    pub created_at: DateTime<Utc>,
    pub reseller_access_enabled: bool,
    pub history: Vec<SubscriptionEvent>,
    /// When the deal registration this client was won from was registered, if it was.
    pub won_from_deal: Option<DateTime<Utc>>,
    /// What the viewer may do here (the server checks again on every action).
    pub can_edit: bool,
    pub can_impersonate: bool,
}

/// A change of a client's subscription status; canceling needs `confirm=yes`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusChange {
    pub client_id: Uuid,
    pub status: String,
    pub confirm: Option<String>,
}
