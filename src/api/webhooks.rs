//! `/v1/webhook-endpoints`: a partner's webhook endpoints through the API, with the
//! `webhooks:write` scope. The signing secret is answered once, when an endpoint is made or
//! its secret rotated.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    Json,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{caller::ApiCaller, context::within, problem::Problem};
use crate::{
    api_keys::model::ApiScope,
    audit::{self, Action, AuditEntry},
    auth::model::{Perm, Principal},
    db::scope::{scoped, Scope},
    error::AppError,
    state::AppState,
    webhooks::{
        endpoints::{self, Endpoint, EndpointInput, MAX_ENDPOINTS},
        target::TargetPolicy,
    },
};

/// An endpoint to add.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    /// Where events are posted: https, a public address.
    #[schema(example = "https://crm.example.com/portal-events")]
    pub url: String,
    /// What it is for (at most 200 characters).
    #[serde(default)]
    pub description: String,
    /// The event types it wants: `client.created`, `client.updated`,
    /// `subscription.changed`, `statement.closed`, `payout.paid`, `tier.changed`,
    /// `client.at_risk`.
    #[schema(example = json!(["client.created", "subscription.changed"]))]
    pub events: Vec<String>,
}

/// An endpoint with its signing secret, answered once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// `whsec_` and the secret's base64: verify each delivery's `webhook-signature` with it.
    /// Shown only now.
    pub secret: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct EndpointList {
    /// Oldest first; a partner has at most 10.
    pub data: Vec<Endpoint>,
}

fn uuid_or_404(id: &str) -> Result<Uuid, Problem> {
    Ok(Uuid::parse_str(id).map_err(|_| AppError::NotFound)?)
}

/// Runs `change` as the key's maker, allowed to manage webhooks, in a transaction that also
/// records the audit row `action` about endpoint `id`.
async fn audited<T>(
    state: &AppState,
    caller: &ApiCaller,
    action: Action,
    change: impl AsyncFnOnce(&mut sqlx::PgConnection, &Principal) -> Result<(Uuid, T), Problem>,
) -> Result<T, Problem> {
    let me = caller.acting_member(state, Perm::Webhooks).await?;
    let mut tx = state.pool.begin().await.map_err(AppError::from)?;
    let (id, answer) = change(&mut tx, &me).await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, action)
            .target("webhook_endpoint", id)
            .via_api_key(Some(caller.credential.key_id)),
    )
    .await?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(answer)
}

/// Adds an endpoint.
#[utoipa::path(
    post, path = "/v1/webhook-endpoints", tag = "webhooks", request_body = NewEndpoint,
    responses((status = 201, description = "The endpoint and its secret, shown once", body = EndpointWithSecret)),
    security(("bearer" = ["webhooks:write"]))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Bytes,
) -> Result<Response, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::WebhooksWrite)?;
    let request: NewEndpoint = super::json_body(&body)?;
    let checked = EndpointInput {
        url: request.url,
        description: request.description,
        events: request.events,
    }
    .check(&TargetPolicy::of(&state.settings))
    .map_err(AppError::Validation)?;
    let created = within(&state, partner_id, async {
        audited(
            &state,
            &caller,
            Action::WebhookEndpointCreated,
            async |tx, me| {
                let (endpoint, secret) = endpoints::create(tx, partner_id, me.user_id, &checked)
                    .await
                    .map_err(AppError::from)?
                    .ok_or_else(|| {
                        AppError::Conflict(format!(
                            "A partner has at most {MAX_ENDPOINTS} endpoints: delete one first."
                        ))
                    })?;
                let answer = EndpointWithSecret {
                    endpoint,
                    secret: secret.shown(),
                };
                Ok((answer.endpoint.id, answer))
            },
        )
        .await
    })
    .await?;
    let location = format!("/v1/webhook-endpoints/{}", created.endpoint.id);
    Ok(super::created(created, &location))
}

/// The partner's endpoints.
#[utoipa::path(
    get, path = "/v1/webhook-endpoints", tag = "webhooks",
    responses((status = 200, description = "Every endpoint, oldest first (never their secrets)", body = EndpointList)),
    security(("bearer" = ["webhooks:write"]))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<EndpointList>, Problem> {
    let partner_id = caller.partner_for(ApiScope::WebhooksWrite)?;
    // Reading them is managing them too: where events go is the owners' and managers' say.
    caller.acting_member(&state, Perm::Webhooks).await?;
    let rows = scoped(
        Scope::Partner(partner_id),
        endpoints::list(&state.pool, partner_id),
    )
    .await
    .map_err(AppError::from)?;
    Ok(Json(EndpointList { data: rows }))
}

/// Deletes an endpoint: nothing more is sent to it, and what waited is dropped.
#[utoipa::path(
    delete, path = "/v1/webhook-endpoints/{id}", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 204, description = "Deleted")),
    security(("bearer" = ["webhooks:write"]))
)]
pub async fn delete(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::WebhooksWrite)?;
    let id = uuid_or_404(&id)?;
    within(&state, partner_id, async {
        audited(
            &state,
            &caller,
            Action::WebhookEndpointDeleted,
            async |tx, _| {
                if !endpoints::delete(tx, partner_id, id)
                    .await
                    .map_err(AppError::from)?
                {
                    return Err(AppError::NotFound.into());
                }
                Ok((id, ()))
            },
        )
        .await
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new signing secret. The old one keeps signing beside it for 24 hours, so that receivers
/// can switch without losing a delivery.
#[utoipa::path(
    post, path = "/v1/webhook-endpoints/{id}/rotate-secret", tag = "webhooks",
    params(("id" = Uuid, Path, description = "The endpoint's id")),
    responses((status = 200, description = "The endpoint and its new secret, shown once", body = EndpointWithSecret)),
    security(("bearer" = ["webhooks:write"]))
)]
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<EndpointWithSecret>, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::WebhooksWrite)?;
    let id = uuid_or_404(&id)?;
    within(&state, partner_id, async {
        audited(
            &state,
            &caller,
            Action::WebhookSecretRotated,
            async |tx, _| {
                let secret = endpoints::rotate_secret(tx, partner_id, id)
                    .await
                    .map_err(AppError::from)?
                    .ok_or(AppError::NotFound)?;
                let endpoint = endpoints::get(&mut *tx, partner_id, id)
                    .await
                    .map_err(AppError::from)?
                    .ok_or(AppError::NotFound)?;
                Ok((
                    id,
                    Json(EndpointWithSecret {
                        endpoint,
                        secret: secret.shown(),
                    }),
                ))
            },
        )
        .await
    })
    .await
}
