//! The changes to a client, for the pages' server functions and the API alike. Each takes a
//! member who has been allowed to edit clients (`me`) and the API key the call came with, if
//! any, which its audit row records. The cap, the plan list, the validation, the events and
//! the audit rows are the same whichever way the change arrives.

use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    api_view::Client,
    input::{ClientFields, ClientInput},
    model::StatusChange,
    queries::{self, NewEvent},
    server::checked,
};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::model::Principal,
    error::{AppError, FieldErrors},
    program::SubscriptionStatus,
    state::pool,
    webhooks::{model::EventType, outbox},
};

/// Records webhook events about the client as it now stands in `tx` (the object as the API
/// shows it), with what changed.
async fn announce(
    tx: &mut PgConnection,
    partner_id: Uuid,
    client_id: Uuid,
    events: &[EventType],
    changes: Option<Value>,
) -> Result<(), AppError> {
    if events.is_empty() {
        return Ok(());
    }
    let client = queries::find_without_history(&mut *tx, partner_id, client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data = serde_json::to_value(Client::from(client)).map_err(|_| AppError::Internal)?;
    for event in events {
        outbox::record(tx, partner_id, *event, data.clone(), changes.clone()).await?;
    }
    Ok(())
}

/// Creates a client under the partner's cap, with its first subscription event and an
/// invitation for its contact; returns its id.
pub async fn create(
    me: &Principal,
    input: &ClientInput,
    api_key: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let fields = checked(input).await?;
    let mut tx = pool()?.begin().await?;
    let client_id = create_in(&mut tx, me, &fields, api_key).await?;
    tx.commit().await?;
    Ok(client_id)
}

/// [`create`] with checked fields, in the caller's transaction (a won deal becomes a client
/// in the same transaction that marks it won).
pub async fn create_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    me: &Principal,
    fields: &ClientFields,
    api_key: Option<Uuid>,
) -> Result<Uuid, AppError> {
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    create_for(tx, me, partner_id, fields, api_key, true).await
}

/// Creates a client of `partner_id` by `by` (a member of it, or an admin recording a direct
/// purchase the partner is credited with), under the partner's cap; its contact is invited
/// when `invite`.
pub async fn create_for(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    by: &Principal,
    partner_id: Uuid,
    fields: &ClientFields,
    api_key: Option<Uuid>,
    invite: bool,
) -> Result<Uuid, AppError> {
    let (tier, open) = queries::lock_cap(tx, partner_id).await?;
    if tier.client_cap().is_some_and(|cap| open >= cap) {
        return Err(AppError::Conflict(tier.cap_reached_message(open)));
    }
    let client_id = queries::insert(tx, partner_id, fields).await?;
    queries::record_event(
        tx,
        &NewEvent {
            partner_id,
            client_id,
            actor: by.user_id,
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
        &mut **tx,
        AuditEntry::by(by, Action::ClientCreated)
            .partner(partner_id)
            .target("client", client_id)
            .detail(serde_json::json!({ "company": fields.company_name, "plan": fields.plan }))
            .via_api_key(api_key),
    )
    .await?;
    if invite {
        super::invite::invite_client_user(
            tx,
            by,
            partner_id,
            client_id,
            &fields.company_name,
            &fields.contact_email,
            true,
        )
        .await?;
    }
    announce(tx, partner_id, client_id, &[EventType::ClientCreated], None).await?;
    Ok(client_id)
}

/// Edits a client's details, plan and price; each change of plan or price is an event.
pub async fn update(
    me: &Principal,
    client_id: Uuid,
    input: &ClientInput,
    api_key: Option<Uuid>,
) -> Result<(), AppError> {
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let fields = checked(input).await?;

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
    let mut events = vec![EventType::ClientUpdated];
    let subscription_changed =
        before.plan != fields.plan || before.custom_price != fields.custom_price;
    if subscription_changed {
        events.push(EventType::SubscriptionChanged);
    }
    if queries::is_downgrade(&mut tx, &before.plan, &fields.plan).await? {
        events.push(EventType::ClientAtRisk);
    }
    let changes = subscription_changed.then(|| {
        json!({
            "plan": { "from": before.plan, "to": fields.plan },
            "custom_price": { "from": before.custom_price, "to": fields.custom_price },
        })
    });
    announce(&mut tx, partner_id, client_id, &events, changes).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(me, Action::ClientUpdated)
            .target("client", client_id)
            .detail(serde_json::json!({
                "plan": { "from": before.plan, "to": fields.plan },
                "custom_price": { "from": before.custom_price, "to": fields.custom_price },
            }))
            .via_api_key(api_key),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// ACTIVE <-> SUSPENDED, either -> CANCELED (only with `confirm`), CANCELED -> ACTIVE
/// (under the cap). A change to the status the client already has changes nothing.
pub async fn change_status(
    me: &Principal,
    change: &StatusChange,
    api_key: Option<Uuid>,
) -> Result<(), AppError> {
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let client_id = change.client_id;
    let to = SubscriptionStatus::from_slug(change.status.trim()).ok_or(AppError::BadRequest)?;
    if to == SubscriptionStatus::Canceled && change.confirm.as_deref().is_none_or(str::is_empty) {
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
        AuditEntry::by(me, Action::ClientStatusChanged)
            .target("client", client_id)
            .detail(serde_json::json!({ "from": before.status.slug(), "to": to.slug() }))
            .via_api_key(api_key),
    )
    .await?;
    let mut events = vec![EventType::ClientUpdated, EventType::SubscriptionChanged];
    if to == SubscriptionStatus::Suspended {
        events.push(EventType::ClientAtRisk);
    }
    let changes = json!({ "status": { "from": before.status.slug(), "to": to.slug() } });
    announce(&mut tx, partner_id, client_id, &events, Some(changes)).await?;
    tx.commit().await?;
    Ok(())
}
