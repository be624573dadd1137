//! `GET /v1/key`: the credential in use, so that a script or `partner-cli auth` can check a
//! key before relying on it. Needs no scope.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::caller::ApiCaller;
use crate::auth::model::PartnerStatus;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct KeyInfo {
    /// The key's id: the OAuth client id.
    pub key_id: Uuid,
    pub name: String,
    pub partner_id: Uuid,
    /// `active` or `frozen` (a frozen partner may read, not change).
    #[schema(example = "active")]
    pub partner_status: &'static str,
    #[schema(example = json!(["clients:read", "metrics:read"]))]
    pub scopes: Vec<&'static str>,
}

/// The key (or token) this request was made with.
#[utoipa::path(
    get, path = "/v1/key", tag = "keys",
    responses((status = 200, description = "The credential in use", body = KeyInfo)),
    security(("bearer" = []))
)]
pub async fn show(caller: ApiCaller) -> Json<KeyInfo> {
    let c = caller.credential;
    Json(KeyInfo {
        key_id: c.key_id,
        name: c.key_name,
        partner_id: c.partner_id,
        partner_status: match c.partner_status {
            PartnerStatus::Frozen => "frozen",
            _ => "active",
        },
        scopes: c.scopes.iter().map(|s| s.slug()).collect(),
    })
}
