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
async fn plans() -> Result<std::sync::Arc<Vec<PlanOption>>, AppError> {
    let pool = crate::state::pool()?;
    let references = crate::state::references()?;
    Ok(references
        .get("plans", || super::queries::plans(&pool))
        .await?)
}

/// The form checked against the plans that exist.
#[cfg(feature = "ssr")]
async fn checked(
    input: &super::input::ClientInput,
) -> Result<super::input::ClientFields, AppError> {
    let plans: Vec<String> = plans().await?.iter().map(|p| p.code.clone()).collect();
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
    let client = super::queries::find(&pool()?, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ClientDetail {
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
    Ok(plans().await?.as_ref().clone())
}

/// Creates a client under the tier's cap, records its first subscription event, and invites
/// its owner by e-mail. Goes to the new client's page.
#[server(endpoint = "partner/clients/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_client(input: super::input::ClientInput) -> Result<(), AppError> {
    use crate::auth::{model::Perm, require};

    let me = require(Perm::EditClients).await?;
    let client_id = create(&me, &input, None).await?;
    leptos_axum::redirect(&format!("/partner/clients/{client_id}"));
    Ok(())
}

/// The creation itself, for the page's server function and the API alike: `me` has been
/// allowed to edit clients; `api_key` is the key the API call came with, recorded in the
/// audit row.
#[cfg(feature = "ssr")]
pub async fn create(
    me: &crate::auth::model::Principal,
    input: &super::input::ClientInput,
    api_key: Option<Uuid>,
) -> Result<Uuid, AppError> {
    use super::queries::{self, NewEvent};
    use crate::program::SubscriptionStatus;
    use crate::{
        audit::{self, Action, AuditEntry},
        state::pool,
    };

    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let fields = checked(input).await?;

    let mut tx = pool.begin().await?;
    let (tier, open) = queries::lock_cap(&mut tx, partner_id).await?;
    if tier.client_cap().is_some_and(|cap| open >= cap) {
        return Err(AppError::Conflict(tier.cap_reached_message(open)));
    }
    let client_id = queries::insert(&mut tx, partner_id, &fields).await?;
    queries::record_event(
        &mut tx,
        &NewEvent {
            partner_id,
            client_id,
            actor: me.user_id,
            real_user: None,
            impersonation: None,
            kind: "created",
            from_plan: None,
            to_plan: &fields.plan,
            from_custom_price: None,
            to_custom_price: fields.custom_price,
            from_status: None,
            to_status: SubscriptionStatus::Active,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(me, Action::ClientCreated)
            .target("client", client_id)
            .detail(serde_json::json!({ "company": fields.company_name, "plan": fields.plan }))
            .via_api_key(api_key),
    )
    .await?;
    super::invite::invite_client_user(
        &mut tx,
        me,
        partner_id,
        client_id,
        &fields.company_name,
        &fields.contact_email,
        true,
    )
    .await?;
    tx.commit().await?;
    Ok(client_id)
}

/// Edits a client's details, plan and price; each change of plan or price is an event.
#[server(endpoint = "partner/clients/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_client(
    client_id: Uuid,
    input: super::input::ClientInput,
) -> Result<(), AppError> {
    use super::queries::{self, NewEvent};
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        state::pool,
    };

    let me = require(Perm::EditClients).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let fields = checked(&input).await?;

    let mut tx = pool.begin().await?;
    let before = queries::lock_subscription(&mut tx, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    queries::update_fields(&mut tx, partner_id, client_id, &fields).await?;
    let event = |kind| NewEvent {
        partner_id,
        client_id,
        actor: me.user_id,
        real_user: None,
        impersonation: None,
        kind,
        from_plan: Some(&before.plan),
        to_plan: &fields.plan,
        from_custom_price: before.custom_price,
        to_custom_price: fields.custom_price,
        from_status: Some(before.status),
        to_status: before.status,
    };
    if before.plan != fields.plan {
        queries::record_event(&mut tx, &event("plan_changed")).await?;
    }
    if before.custom_price != fields.custom_price {
        queries::record_event(&mut tx, &event("price_changed")).await?;
    }
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ClientUpdated)
            .target("client", client_id)
            .detail(serde_json::json!({
                "plan": { "from": before.plan, "to": fields.plan },
                "custom_price": { "from": before.custom_price, "to": fields.custom_price },
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// ACTIVE <-> SUSPENDED, either -> CANCELED (only with `confirm`), CANCELED -> ACTIVE
/// (under the cap).
#[server(endpoint = "partner/clients/status")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn change_client_status(input: super::model::StatusChange) -> Result<(), AppError> {
    use super::queries::{self, NewEvent};
    use crate::program::SubscriptionStatus;
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        error::FieldErrors,
        state::pool,
    };

    let me = require(Perm::EditClients).await?;
    let super::model::StatusChange {
        client_id,
        status,
        confirm,
    } = input;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let to = SubscriptionStatus::from_slug(status.trim()).ok_or(AppError::BadRequest)?;
    if to == SubscriptionStatus::Canceled && confirm.as_deref().is_none_or(str::is_empty) {
        let mut errors = FieldErrors::new();
        errors.add(
            "confirm",
            "Tick the box to confirm: canceling ends the client's subscription.",
        );
        return Err(AppError::Validation(errors));
    }

    let mut tx = pool()?.begin().await?;
    // The cap's lock first (same order as creation), then the client's.
    let (tier, open) = queries::lock_cap(&mut tx, partner_id).await?;
    let before = queries::lock_subscription(&mut tx, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.status == to {
        return Ok(());
    }
    if !before.status.can_move_to(to) {
        return Err(AppError::Conflict(format!(
            "A {} client cannot become {}.",
            before.status.label().to_lowercase(),
            to.label().to_lowercase()
        )));
    }
    if before.status.reopens(to) && tier.client_cap().is_some_and(|cap| open >= cap) {
        return Err(AppError::Conflict(tier.cap_reached_message(open)));
    }
    queries::set_status(&mut tx, partner_id, client_id, to).await?;
    queries::record_event(
        &mut tx,
        &NewEvent {
            partner_id,
            client_id,
            actor: me.user_id,
            real_user: None,
            impersonation: None,
            kind: "status_changed",
            from_plan: Some(&before.plan),
            to_plan: &before.plan,
            from_custom_price: before.custom_price,
            to_custom_price: before.custom_price,
            from_status: Some(before.status),
            to_status: to,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::ClientStatusChanged)
            .target("client", client_id)
            .detail(serde_json::json!({ "from": before.status.slug(), "to": to.slug() })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
