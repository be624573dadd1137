//! Server functions of `/partner/webhooks`: the owners' and managers' (`Perm::Webhooks`), each
//! for their own partner, and never while acting as a client. Changes to an endpoint are
//! audited in their own transaction; a secret leaves the server once, in the answer to the
//! post that made it (or, after a plain form post, in the page that follows, read once from
//! the session).

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{
    DeliveryLog, DeliveryQuery, EditEndpointInput, EndpointAction, EndpointInput, EndpointPage,
    NewSecret, ReplayInput, ResendInput, WebhooksPage,
};
use crate::error::AppError;

/// Where a secret made by a post waits for the endpoint's page, read once; and where a plain
/// form post leaves what it did, for the page it returns to.
#[cfg(feature = "ssr")]
const SECRET_FLASH: &str = "webhook_secret";
#[cfg(feature = "ssr")]
const NOTICE_FLASH: &str = "webhook_notice";

/// The caller, if they manage webhooks, and their partner.
#[cfg(feature = "ssr")]
async fn require_manager() -> Result<(crate::auth::model::Principal, Uuid), AppError> {
    let me = crate::auth::require(crate::auth::model::Perm::Webhooks).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    Ok((me, partner_id))
}

/// Runs `change` in a transaction that also records `action` about endpoint `id`, with
/// `detail`.
#[cfg(feature = "ssr")]
async fn audited<T>(
    me: &crate::auth::model::Principal,
    action: crate::audit::Action,
    id: Uuid,
    change: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<(T, serde_json::Value), AppError>,
) -> Result<T, AppError> {
    let mut tx = crate::state::pool()?.begin().await?;
    let (answer, detail) = change(&mut tx).await?;
    crate::audit::record(
        &mut *tx,
        crate::audit::AuditEntry::by(me, action)
            .target("webhook_endpoint", id)
            .detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(answer)
}

/// Keeps `secret` for the endpoint page that follows this post.
#[cfg(feature = "ssr")]
async fn keep_for_next_page(secret: &NewSecret) -> Result<(), AppError> {
    crate::auth::guard::session()
        .await?
        .insert(SECRET_FLASH, secret)
        .await?;
    Ok(())
}

/// The partner's endpoints.
#[server(endpoint = "webhooks")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_webhooks() -> Result<WebhooksPage, AppError> {
    let (_, partner_id) = require_manager().await?;
    Ok(WebhooksPage {
        endpoints: super::endpoints::list(&crate::state::pool()?, partner_id).await?,
        max: super::endpoints::MAX_ENDPOINTS,
    })
}

/// One endpoint, with the secret that the post before this page made, once.
#[server(endpoint = "webhooks/endpoint")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_webhook_endpoint(id: Uuid) -> Result<EndpointPage, AppError> {
    let (_, partner_id) = require_manager().await?;
    let endpoint = super::endpoints::get(&crate::state::pool()?, partner_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = crate::auth::guard::session().await?;
    let kept = session.get::<NewSecret>(SECRET_FLASH).await?;
    let secret = match kept {
        Some(secret) if secret.endpoint_id == id => {
            session.remove::<NewSecret>(SECRET_FLASH).await?;
            Some(secret)
        }
        _ => None,
    };
    let notice = session.remove::<String>(NOTICE_FLASH).await?;
    Ok(EndpointPage {
        endpoint,
        secret,
        notice,
    })
}

/// A page of an endpoint's deliveries, newest first, filtered by type and outcome.
#[server(endpoint = "webhooks/deliveries")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_webhook_deliveries(query: DeliveryQuery) -> Result<DeliveryLog, AppError> {
    let (_, partner_id) = require_manager().await?;
    let pool = crate::state::pool()?;
    // Another partner's endpoint is not found, not an empty log.
    super::endpoints::get(&pool, partner_id, query.endpoint_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::log::page(&pool, partner_id, &query).await?)
}

/// Adds an endpoint. Its secret is kept for the endpoint's page, which the browser goes to
/// next (with JavaScript too), and shown there once.
#[server(endpoint = "webhooks/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn create_webhook_endpoint(input: EndpointInput) -> Result<Uuid, AppError> {
    use super::endpoints::{self, MAX_ENDPOINTS};
    use crate::{audit::Action, error::FieldErrors, state::settings};

    let (me, partner_id) = require_manager().await?;
    let checked = input
        .check(&super::target::TargetPolicy::of(&*settings()?))
        .map_err(AppError::Validation)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let Some((endpoint, secret)) =
        endpoints::create(&mut tx, partner_id, me.user_id, &checked).await?
    else {
        return Err(AppError::Validation(
            FieldErrors::form(format!(
                "Your partner has {MAX_ENDPOINTS} endpoints, the most allowed: delete one first."
            ))
            .keep("url", &input.url)
            .keep("description", &input.description)
            .keep("events", input.events.join(" ")),
        ));
    };
    crate::audit::record(
        &mut *tx,
        crate::audit::AuditEntry::by(&me, Action::WebhookEndpointCreated)
            .target("webhook_endpoint", endpoint.id)
            .detail(serde_json::json!({ "url": endpoint.url, "events": endpoint.events })),
    )
    .await?;
    tx.commit().await?;
    keep_for_next_page(&NewSecret {
        endpoint_id: endpoint.id,
        secret: secret.shown(),
        previous_until: None,
    })
    .await?;
    // With JavaScript too: the browser follows to the page that shows the secret.
    leptos_axum::redirect(&format!("/partner/webhooks/{}?done=created", endpoint.id));
    Ok(endpoint.id)
}

/// Changes an endpoint's URL, description, events, and whether it is on.
#[server(endpoint = "webhooks/update")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn update_webhook_endpoint(input: EditEndpointInput) -> Result<(), AppError> {
    use crate::{audit::Action, state::settings};

    let (me, partner_id) = require_manager().await?;
    let checked = input
        .fields()
        .check(&super::target::TargetPolicy::of(&*settings()?))
        .map_err(|e| AppError::Validation(e.keep("enabled", input.turned_on().to_string())))?;
    let id = input.endpoint_id;
    let enabled = input.turned_on();
    audited(&me, Action::WebhookEndpointUpdated, id, async |tx| {
        if !super::endpoints::update(tx, partner_id, id, &checked, enabled).await? {
            return Err(AppError::NotFound);
        }
        let events: Vec<&str> = checked.events.iter().map(|t| t.name()).collect();
        Ok((
            (),
            serde_json::json!({ "url": checked.url, "events": events, "enabled": enabled }),
        ))
    })
    .await?;
    crate::state::redirect_plain_form(&format!("/partner/webhooks/{id}?done=saved"));
    Ok(())
}

/// A new signing secret; the old one signs beside it for 24 hours.
#[server(endpoint = "webhooks/rotate")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn rotate_webhook_secret(input: EndpointAction) -> Result<NewSecret, AppError> {
    use super::endpoints::{rotate_secret, OLD_SECRET_SIGNS_FOR};
    use crate::audit::Action;

    let (me, partner_id) = require_manager().await?;
    let id = input
        .confirmed("the receiver must learn the new secret within 24 hours.")
        .map_err(AppError::Validation)?;
    let secret = audited(&me, Action::WebhookSecretRotated, id, async |tx| {
        let secret = rotate_secret(tx, partner_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let until = chrono::Utc::now() + OLD_SECRET_SIGNS_FOR;
        Ok((
            NewSecret {
                endpoint_id: id,
                secret: secret.shown(),
                previous_until: Some(until),
            },
            serde_json::json!({ "previous_signs_until": until }),
        ))
    })
    .await?;
    if crate::state::is_plain_form_post() {
        keep_for_next_page(&secret).await?;
        crate::state::redirect_plain_form(&format!("/partner/webhooks/{id}?done=rotated"));
    }
    Ok(secret)
}

/// Deletes an endpoint: nothing more is sent to it, and what waited is dropped.
#[server(endpoint = "webhooks/delete")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn delete_webhook_endpoint(input: EndpointAction) -> Result<(), AppError> {
    use crate::audit::Action;

    let (me, partner_id) = require_manager().await?;
    let id = input
        .confirmed("nothing more is sent to this endpoint, and what waited is dropped.")
        .map_err(AppError::Validation)?;
    audited(&me, Action::WebhookEndpointDeleted, id, async |tx| {
        let url = super::endpoints::get(&mut *tx, partner_id, id)
            .await?
            .ok_or(AppError::NotFound)?
            .url;
        super::endpoints::delete(tx, partner_id, id).await?;
        Ok(((), serde_json::json!({ "url": url })))
    })
    .await?;
    leptos_axum::redirect("/partner/webhooks?done=deleted");
    Ok(())
}

/// Sends a test event (`webhook.test`) to one endpoint.
#[server(endpoint = "webhooks/test")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn send_test_event(input: EndpointAction) -> Result<(), AppError> {
    use crate::audit::Action;

    let (me, partner_id) = require_manager().await?;
    let id = input.endpoint_id;
    audited(&me, Action::WebhookTestSent, id, async |tx| {
        let Some(delivery) = super::log::send_test(tx, partner_id, id, &me.email).await? else {
            return Err(
                match super::endpoints::get(&mut *tx, partner_id, id).await? {
                    Some(_) => AppError::Validation(crate::error::FieldErrors::form(
                        "The endpoint is off: turn it on to send it events.",
                    )),
                    None => AppError::NotFound,
                },
            );
        };
        Ok(((), serde_json::json!({ "delivery_id": delivery })))
    })
    .await?;
    crate::state::redirect_plain_form(&format!("/partner/webhooks/{id}?done=test"));
    Ok(())
}

/// Sends one delivery's event again (or, if it is waiting for a retry, tries it now).
#[server(endpoint = "webhooks/resend")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn resend_delivery(input: ResendInput) -> Result<(), AppError> {
    use crate::audit::Action;

    let (me, partner_id) = require_manager().await?;
    let id = input.endpoint_id;
    audited(&me, Action::WebhookDeliveryResent, id, async |tx| {
        let resent = super::log::resend(tx, partner_id, id, input.delivery_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let how = match resent {
            super::log::Resent::Queued => "queued again",
            super::log::Resent::Hastened => "tried now",
        };
        Ok((
            (),
            serde_json::json!({ "delivery_id": input.delivery_id, "how": how }),
        ))
    })
    .await?;
    crate::state::redirect_plain_form(&format!("/partner/webhooks/{id}?done=resent"));
    Ok(())
}

/// Sends every event since a time again, in order (after an outage of the receiver).
/// Answers how many were queued, and says where to go on from when it stopped at the most
/// one replay sends.
#[server(endpoint = "webhooks/replay")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn replay_webhook_events(input: ReplayInput) -> Result<String, AppError> {
    use super::model::REPLAY_MAX;
    use crate::{audit::Action, components::format};

    let (me, partner_id) = require_manager().await?;
    let since = input
        .since(chrono::Utc::now())
        .map_err(AppError::Validation)?;
    let id = input.endpoint_id;
    let replayed = audited(&me, Action::WebhookEventsReplayed, id, async |tx| {
        let replayed = super::log::replay_since(tx, partner_id, id, since)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((
            replayed,
            serde_json::json!({ "since": since, "events": replayed.events }),
        ))
    })
    .await?;
    let events = match replayed.events {
        1 => "1 event".to_string(),
        n => format!("{} events", format::count(n)),
    };
    let message = match replayed.last {
        None => format!("No events since {} to send again.", format::date_time(since)),
        Some(last) if replayed.events >= REPLAY_MAX => format!(
            "{events} up to {} are queued, the most one replay sends: send again from there for the rest.",
            format::date_time(last)
        ),
        Some(_) => format!(
            "{events} since {} queued, oldest first.",
            format::date_time(since)
        ),
    };
    if crate::state::is_plain_form_post() {
        crate::auth::guard::session()
            .await?
            .insert(NOTICE_FLASH, &message)
            .await?;
        crate::state::redirect_plain_form(&format!("/partner/webhooks/{id}?done=replayed"));
    }
    Ok(message)
}
