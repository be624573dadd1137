//! A client as the API shows it, and as webhook events carry it: the one outside view of a
//! client, so that an event's object is exactly what `GET /v1/clients/{id}` answers.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::ClientDetail;

/// One client in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Client {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub plan: String,
    pub plan_name: String,
    /// The plan's price a month.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "49.00")]
    pub list_price: Decimal,
    /// The price agreed with the client instead of the plan's, if any.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[schema(value_type = Option<String>, example = "45.00")]
    pub custom_price: Option<Decimal>,
    pub billing_owned_by_reseller: bool,
    /// `active`, `suspended` or `canceled`.
    #[schema(example = "active")]
    pub status: &'static str,
    pub region: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ClientDetail> for Client {
    fn from(c: ClientDetail) -> Self {
        Client {
            id: c.id,
            company_name: c.company_name,
            contact_name: c.contact_name,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            plan: c.plan,
            plan_name: c.plan_name,
            list_price: c.list_price,
            custom_price: c.custom_price,
            billing_owned_by_reseller: c.billing_owned_by_reseller,
            status: c.status.slug(),
            region: c.region,
            created_at: c.created_at,
        }
    }
}
