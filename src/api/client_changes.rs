//! Changing a client through the API: its details and subscription (plan and price), and its
//! status. Each goes through the code the client pages use (`clients::changes`), acting as
//! the member who made the key.

use axum::{
    body::Bytes,
    extract::{Path, State},
    Json,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{caller::ApiCaller, clients::Client, context::within, problem::Problem};
use crate::{
    api_keys::model::ApiScope,
    auth::model::Perm,
    clients::{input::ClientInput, model::StatusChange},
    error::AppError,
    program::SubscriptionStatus,
    state::AppState,
};

/// The body of `PATCH /v1/clients/{id}`: the fields to change, the others kept. A change of
/// `plan` or `custom_price` is a subscription change (an event, and the next close counts
/// it). `custom_price: null` goes back to the plan's price.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientChange {
    pub company_name: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// A plan code, e.g. `growth`.
    pub plan: Option<String>,
    /// A price a month instead of the plan's, e.g. "45.00"; null for the plan's.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub custom_price: Option<Option<String>>,
    pub billing_owned_by_reseller: Option<bool>,
    pub region: Option<String>,
}

/// Tells a field sent as `null` (`Some(None)`) from a field left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl ClientChange {
    /// The whole form: `client` as it is, with this change over it.
    fn over(self, client: &Client) -> ClientInput {
        let price = client.custom_price.map(|p| p.to_string());
        ClientInput {
            company_name: self
                .company_name
                .unwrap_or_else(|| client.company_name.clone()),
            contact_name: self
                .contact_name
                .unwrap_or_else(|| client.contact_name.clone()),
            contact_email: self
                .contact_email
                .unwrap_or_else(|| client.contact_email.clone()),
            contact_phone: self
                .contact_phone
                .or_else(|| client.contact_phone.clone())
                .unwrap_or_default(),
            plan: self.plan.unwrap_or_else(|| client.plan.clone()),
            custom_price: self.custom_price.unwrap_or(price).unwrap_or_default(),
            billing_owned_by_reseller: self
                .billing_owned_by_reseller
                .unwrap_or(client.billing_owned_by_reseller)
                .then(|| "on".to_string()),
            region: self
                .region
                .or_else(|| client.region.clone())
                .unwrap_or_default(),
        }
    }
}

fn client_id(id: &str) -> Result<Uuid, Problem> {
    Ok(Uuid::parse_str(id).map_err(|_| AppError::NotFound)?)
}

/// Changes a client's details or subscription.
#[utoipa::path(
    patch, path = "/v1/clients/{id}", tag = "clients", request_body = ClientChange,
    params(("id" = Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client after the change", body = Client)),
    security(("bearer" = ["clients:write"]))
)]
pub async fn update(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Client>, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::ClientsWrite)?;
    let id = client_id(&id)?;
    let change: ClientChange = super::json_body(&body)?;
    within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::EditClients).await?;
        let before = super::clients::read(&state, partner_id, id).await?;
        let input = change.over(&before);
        crate::clients::changes::update(&me, id, &input, Some(caller.credential.key_id)).await?;
        Ok(Json(super::clients::read(&state, partner_id, id).await?))
    })
    .await
}

async fn set_status(
    state: AppState,
    caller: ApiCaller,
    id: String,
    to: SubscriptionStatus,
) -> Result<Json<Client>, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::ClientsWrite)?;
    let id = client_id(&id)?;
    within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::EditClients).await?;
        let change = StatusChange {
            client_id: id,
            status: to.slug().into(),
            // The operation's own name is the confirmation the page asks a tick for.
            confirm: Some("yes".into()),
        };
        crate::clients::changes::change_status(&me, &change, Some(caller.credential.key_id))
            .await?;
        Ok(Json(super::clients::read(&state, partner_id, id).await?))
    })
    .await
}

/// Suspends an active client (a suspended client stays suspended).
#[utoipa::path(
    post, path = "/v1/clients/{id}/suspend", tag = "clients",
    params(("id" = Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client, suspended", body = Client)),
    security(("bearer" = ["clients:write"]))
)]
pub async fn suspend(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Client>, Problem> {
    set_status(state, caller, id, SubscriptionStatus::Suspended).await
}

/// Makes a suspended or canceled client active again (a canceled one only under the cap).
#[utoipa::path(
    post, path = "/v1/clients/{id}/resume", tag = "clients",
    params(("id" = Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client, active", body = Client)),
    security(("bearer" = ["clients:write"]))
)]
pub async fn resume(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Client>, Problem> {
    set_status(state, caller, id, SubscriptionStatus::Active).await
}

/// Cancels a client's subscription: it stops counting from the next close.
#[utoipa::path(
    post, path = "/v1/clients/{id}/cancel", tag = "clients",
    params(("id" = Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client, canceled", body = Client)),
    security(("bearer" = ["clients:write"]))
)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Client>, Problem> {
    set_status(state, caller, id, SubscriptionStatus::Canceled).await
}
