//! Server functions for a partner's client accounts. Each starts with its guard and scopes
//! every query by the caller's partner.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    list::{ClientPage, ClientQuery},
    model::{ClientDetail, PlanOption},
};
use crate::error::AppError;

/// The plans, from the reference data cache (dropped when the plans change).
#[cfg(feature = "ssr")]
pub(crate) async fn plans_cached() -> Result<std::sync::Arc<Vec<PlanOption>>, AppError> {
    let pool = crate::state::pool()?;
    let references = crate::state::references()?;
    Ok(references
        .get("plans", || super::queries::plans(&pool))
        .await?)
}

/// The form checked against the plans that exist.
#[cfg(feature = "ssr")]
pub(crate) async fn checked(
    input: &super::input::ClientInput,
) -> Result<super::input::ClientFields, AppError> {
    let plans: Vec<String> = plans_cached()
        .await?
        .iter()
        .map(|p| p.code.clone())
        .collect();
    input.validate(&plans).map_err(AppError::Validation)
}

/// One page of the caller's partner's clients, with the cap headroom.
#[server(endpoint = "partner/clients")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_clients(query: ClientQuery) -> Result<ClientPage, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let query = ClientQuery {
        search: query.search.map(|s| s.chars().take(100).collect()),
        ..query
    };
    let pool = pool()?;
    let (rows, links, total) = super::queries::list(&pool, partner_id, &query).await?;
    let (tier, open_clients) = super::queries::open_clients(&pool, partner_id).await?;
    Ok(ClientPage {
        rows,
        total,
        links,
        tier,
        open_clients,
        can_edit: me.has(Perm::EditClients),
        management_off: me.check(Perm::EditClients)
            == Err(crate::auth::model::Refusal::SwitchedOff),
    })
}

/// One of the caller's partner's clients, with its subscription history.
#[server(endpoint = "partner/client")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_client(client_id: Uuid) -> Result<ClientDetail, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::PartnerRead).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let client = super::queries::find(&pool, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let won_from_deal = super::risks::won_as(&pool, partner_id, client_id).await?;
    Ok(ClientDetail {
        won_from_deal,
        can_edit: me.has(Perm::EditClients),
        can_impersonate: me.has(Perm::Impersonate),
        ..client
    })
}

/// The plans a client can be on, with list prices.
#[server(endpoint = "partner/plans")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn list_plans() -> Result<Vec<PlanOption>, AppError> {
    use crate::auth::{model::Perm, require};

    require(Perm::PartnerRead).await?;
    Ok(plans_cached().await?.as_ref().clone())
}

/// Creates a client under the tier's cap, records its first subscription event, and invites
/// its owner by e-mail. Goes to the new client's page.
#[server(endpoint = "partner/clients/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_client(input: super::input::ClientInput) -> Result<(), AppError> {
    use crate::auth::{model::Perm, require};

    let me = require(Perm::EditClients).await?;
    let client_id = super::changes::create(&me, &input, None).await?;
    leptos_axum::redirect(&format!("/partner/clients/{client_id}"));
    Ok(())
}

/// Edits a client's details, plan and price; each change of plan or price is an event.
#[server(endpoint = "partner/clients/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_client(
    client_id: Uuid,
    input: super::input::ClientInput,
) -> Result<(), AppError> {
    use crate::auth::{model::Perm, require};

    let me = require(Perm::EditClients).await?;
    super::changes::update(&me, client_id, &input, None).await
}

/// ACTIVE <-> SUSPENDED, either -> CANCELED (only with `confirm`), CANCELED -> ACTIVE
/// (under the cap).
#[server(endpoint = "partner/clients/status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn change_client_status(input: super::model::StatusChange) -> Result<(), AppError> {
    use crate::auth::{model::Perm, require};

    let me = require(Perm::EditClients).await?;
    super::changes::change_status(&me, &input, None).await
}
