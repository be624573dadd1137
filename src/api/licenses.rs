//! Licenses through the API: issued to a partner's active client, listed, revoked, and
//! checked offline by a product with the public key at `/v1/licenses/public-key`.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    caller::ApiCaller,
    clients::Links,
    context::within,
    idempotency::{self, Outcome},
    problem::Problem,
};
use crate::{
    api_keys::model::ApiScope,
    audit::{self, Action, AuditEntry},
    auth::model::Perm,
    db::scope::{scoped, Scope},
    error::{AppError, FieldErrors},
    licenses::{
        model::{License as LicenseRow, LicensePayload, LicenseRequest, LICENSES_PAGE},
        queries::{self, NewLicense},
        signing,
    },
    state::AppState,
};

/// What to issue.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueLicense {
    /// `trial`, `subscription` or `perpetual`.
    #[serde(rename = "type")]
    #[schema(example = "subscription")]
    pub kind: String,
    /// Days the license lasts (1 to 3650); left out for a perpetual license.
    #[serde(default)]
    #[schema(example = 365)]
    pub duration_days: Option<i64>,
    /// Feature names the product turns on: lowercase letters, digits, - and _.
    #[serde(default)]
    #[schema(example = json!(["sso", "audit-log"]))]
    pub features: Vec<String>,
    /// Most users the product allows (1 to 100000).
    #[schema(example = 50)]
    pub max_users: i64,
}

/// A license.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct License {
    pub id: Uuid,
    pub client_id: Uuid,
    #[serde(rename = "type")]
    #[schema(example = "subscription")]
    pub kind: &'static str,
    pub features: Vec<String>,
    pub max_users: i32,
    pub issued_at: DateTime<Utc>,
    /// Null for a perpetual license.
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `active`, `expired` or `revoked`.
    #[schema(example = "active")]
    pub status: &'static str,
    /// `PPL1.<payload>.<signature>`: base64url JSON and its Ed25519 signature.
    pub license_key: String,
}

impl From<LicenseRow> for License {
    fn from(l: LicenseRow) -> Self {
        let status = if l.revoked_at.is_some() {
            "revoked"
        } else if l.expires_at.is_some_and(|at| at <= Utc::now()) {
            "expired"
        } else {
            "active"
        };
        License {
            id: l.id,
            client_id: l.client_id,
            kind: l.kind.slug(),
            features: l.features,
            max_users: l.max_users,
            issued_at: l.issued_at,
            expires_at: l.expires_at,
            revoked_at: l.revoked_at,
            status,
            license_key: l.license_key,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct LicenseList {
    /// Newest first.
    pub data: Vec<License>,
    pub links: Links,
}

/// The key licenses are signed with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct PublicKey {
    #[schema(example = "Ed25519")]
    pub algorithm: &'static str,
    /// The 32-byte public key, base64.
    pub public_key: String,
    /// The same key as a PEM SubjectPublicKeyInfo (OpenSSL reads it).
    pub pem: String,
    /// How a license key is laid out.
    pub format: &'static str,
}

fn uuid_or_404(id: &str) -> Result<Uuid, Problem> {
    Ok(Uuid::parse_str(id).map_err(|_| AppError::NotFound)?)
}

/// Issues a license to an active client.
#[utoipa::path(
    post, path = "/v1/clients/{id}/licenses", tag = "licenses", request_body = IssueLicense,
    params(
        ("id" = Uuid, Path, description = "The client's id"),
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Retries with the same key and body get the first answer for 24 hours"),
    ),
    responses((status = 201, description = "The license, with its signed key", body = License)),
    security(("bearer" = ["licenses:write"]))
)]
pub async fn issue(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::LicensesWrite)?;
    idempotency::key_of(&headers)?;
    let client_id = uuid_or_404(&id)?;
    let request: IssueLicense = super::json_body(&body)?;
    let path = format!("/v1/clients/{client_id}/licenses");
    let work = within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::EditClients).await?;
        let terms = LicenseRequest {
            kind: request.kind,
            duration_days: request.duration_days,
            features: request.features,
            max_users: request.max_users,
        }
        .parse()
        .map_err(AppError::Validation)?;
        let client = super::clients::read(&state, partner_id, client_id).await?;
        if client.status != "active" {
            return Err(AppError::Conflict(format!(
                "Only an active client can be issued a license: this one is {}.",
                client.status
            ))
            .into());
        }
        let key = signing::signing_key(&state.pool)
            .await
            .map_err(AppError::from)?;
        let issued_at = Utc::now()
            .duration_trunc(TimeDelta::seconds(1))
            .unwrap_or_else(|_| Utc::now());
        let payload = LicensePayload {
            v: 1,
            license_id: Uuid::new_v4(),
            partner_id,
            client_id,
            kind: terms.kind,
            features: terms.features,
            max_users: terms.max_users,
            issued_at,
            expires_at: terms.duration.map(|d| issued_at + d),
        };
        let license_key = signing::sign(&key, &payload);
        let mut tx = state.pool.begin().await.map_err(AppError::from)?;
        let new = NewLicense {
            id: payload.license_id,
            partner_id,
            client_id,
            kind: payload.kind,
            features: &payload.features,
            max_users: payload.max_users,
            issued_at,
            expires_at: payload.expires_at,
            issued_by: me.user_id,
            api_key_id: Some(caller.credential.key_id),
            license_key: &license_key,
        };
        queries::insert(&mut tx, &new)
            .await
            .map_err(AppError::from)?;
        audit::record(
            &mut *tx,
            AuditEntry::by(&me, Action::LicenseIssued)
                .target("client", client_id)
                .detail(serde_json::json!({
                    "license": payload.license_id,
                    "type": payload.kind.slug(),
                    "max_users": payload.max_users,
                    "expires_at": payload.expires_at,
                }))
                .via_api_key(Some(caller.credential.key_id)),
        )
        .await?;
        tx.commit().await.map_err(AppError::from)?;
        // What was stored, without reading it back.
        Ok::<_, Problem>(License::from(LicenseRow {
            id: payload.license_id,
            client_id,
            kind: payload.kind,
            features: payload.features,
            max_users: payload.max_users,
            issued_at,
            expires_at: payload.expires_at,
            revoked_at: None,
            license_key,
        }))
    });
    let outcome = idempotency::once(
        &state.pool,
        &caller,
        &headers,
        (&path, &body),
        StatusCode::CREATED,
        work,
    )
    .await?;
    let license = match outcome {
        Outcome::Ran(license) => license,
        Outcome::Replay(answer) => return Ok(answer),
    };
    let location = format!("/v1/licenses/{}", license.id);
    Ok(super::created(license, &location))
}

#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LicenseListParams {
    /// A cursor from `links.next`.
    pub after: Option<Uuid>,
}

/// A client's licenses, 25 at a time.
#[utoipa::path(
    get, path = "/v1/clients/{id}/licenses", tag = "licenses",
    params(("id" = Uuid, Path, description = "The client's id"), LicenseListParams),
    responses((status = 200, description = "A page of the client's licenses, newest first", body = LicenseList)),
    security(("bearer" = ["clients:read"]))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<LicenseList>, Problem> {
    let partner_id = caller.partner_for(ApiScope::ClientsRead)?;
    let client_id = uuid_or_404(&id)?;
    let after = match params.get("after") {
        None => None,
        Some(text) => Some(Uuid::parse_str(text).map_err(|_| {
            AppError::Validation(FieldErrors::field(
                "after",
                "Use the cursor from links.next.",
            ))
        })?),
    };
    scoped(Scope::Partner(partner_id), async {
        super::clients::read(&state, partner_id, client_id).await?;
        let mut rows =
            queries::for_client(&state.pool, partner_id, client_id, after, LICENSES_PAGE + 1)
                .await
                .map_err(AppError::from)?;
        let more = rows.len() > LICENSES_PAGE as usize;
        rows.truncate(LICENSES_PAGE as usize);
        let next = more
            .then(|| rows.last().map(|l| l.id))
            .flatten()
            .map(|last| format!("/v1/clients/{client_id}/licenses?after={last}"));
        Ok(Json(LicenseList {
            data: rows.into_iter().map(License::from).collect(),
            links: Links {
                next,
                previous: None,
            },
        }))
    })
    .await
}

/// One license.
#[utoipa::path(
    get, path = "/v1/licenses/{id}", tag = "licenses",
    params(("id" = Uuid, Path, description = "The license's id")),
    responses((status = 200, description = "The license", body = License)),
    security(("bearer" = ["clients:read"]))
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<License>, Problem> {
    let partner_id = caller.partner_for(ApiScope::ClientsRead)?;
    let id = uuid_or_404(&id)?;
    let found = scoped(
        Scope::Partner(partner_id),
        queries::find(&state.pool, partner_id, id),
    )
    .await
    .map_err(AppError::from)?;
    Ok(Json(License::from(found.ok_or(AppError::NotFound)?)))
}

/// Revokes a license: a product that checks online sees it at once (offline checks see
/// only the expiry).
#[utoipa::path(
    post, path = "/v1/licenses/{id}/revoke", tag = "licenses",
    params(("id" = Uuid, Path, description = "The license's id")),
    responses((status = 200, description = "The license, revoked", body = License)),
    security(("bearer" = ["licenses:write"]))
)]
pub async fn revoke(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<License>, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::LicensesWrite)?;
    let id = uuid_or_404(&id)?;
    within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::EditClients).await?;
        let mut tx = state.pool.begin().await.map_err(AppError::from)?;
        if !queries::revoke(&mut tx, partner_id, id)
            .await
            .map_err(AppError::from)?
        {
            return Err(AppError::NotFound.into());
        }
        audit::record(
            &mut *tx,
            AuditEntry::by(&me, Action::LicenseRevoked)
                .detail(serde_json::json!({ "license": id }))
                .via_api_key(Some(caller.credential.key_id)),
        )
        .await?;
        tx.commit().await.map_err(AppError::from)?;
        let license = queries::find(&state.pool, partner_id, id)
            .await
            .map_err(AppError::from)?
            .ok_or(AppError::NotFound)?;
        Ok(Json(License::from(license)))
    })
    .await
}

/// The public key licenses are signed with. No credential needed: products fetch it once and
/// keep it.
#[utoipa::path(
    get, path = "/v1/licenses/public-key", tag = "licenses",
    responses((status = 200, description = "The Ed25519 public key", body = PublicKey)),
    security(())
)]
pub async fn public_key(State(state): State<AppState>) -> Result<Json<PublicKey>, Problem> {
    let key = signing::signing_key(&state.pool)
        .await
        .map_err(AppError::from)?
        .verifying_key();
    Ok(Json(PublicKey {
        algorithm: "Ed25519",
        public_key: base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            key.as_bytes(),
        ),
        pem: signing::public_pem(&key),
        format:
            "PPL1.<base64url(JSON payload)>.<base64url(Ed25519 signature of the payload bytes)>",
    }))
}
