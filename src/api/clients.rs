//! `/v1/clients`: a partner's clients through the API, with the rules and the SQL the
//! client pages use. Another partner's client is 404, exactly as if it did not exist.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    caller::ApiCaller,
    context::within,
    idempotency::{self, Claim},
    problem::Problem,
};
use crate::{
    api_keys::model::ApiScope,
    auth::model::{Perm, Principal},
    clients::{
        input::ClientInput,
        list::{ClientQuery, ClientRow},
        model::ClientDetail,
    },
    db::scope::{scoped, Scope},
    error::AppError,
    program::Position,
    state::AppState,
};

/// A client in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClientSummary {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub plan_name: String,
    /// What the client pays a month: the custom price if set, else the plan's.
    #[serde(with = "rust_decimal::serde::str")]
    pub price: Decimal,
    pub status: &'static str,
}

impl From<ClientRow> for ClientSummary {
    fn from(row: ClientRow) -> Self {
        ClientSummary {
            id: row.id,
            company_name: row.company_name,
            contact_name: row.contact_name,
            contact_email: row.contact_email,
            plan_name: row.plan_name,
            price: row.price,
            status: row.status.slug(),
        }
    }
}

/// Where the next and previous pages start: whole paths, ready to request.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Links {
    pub next: Option<String>,
    pub previous: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClientList {
    pub data: Vec<ClientSummary>,
    pub links: Links,
}

/// One client in full.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Client {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub plan: String,
    pub plan_name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub list_price: Decimal,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub custom_price: Option<Decimal>,
    pub billing_owned_by_reseller: bool,
    pub status: &'static str,
    pub region: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `GET /v1/clients?status=&plan=&q=&sort=&dir=&after=|before=`: a page of 25, with the
/// filters and sorts of the client list page.
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<ClientList>, Problem> {
    let partner_id = caller.partner_for(ApiScope::ClientsRead)?;
    let query = ClientQuery::from_params(|k| params.get(k).cloned());
    let (rows, links, _) = scoped(
        Scope::Partner(partner_id),
        crate::clients::queries::list(&state.pool, partner_id, &query),
    )
    .await
    .map_err(AppError::from)?;
    let at = |position: &Position| {
        let q = query.query_string(|q| q.position = position.clone());
        format!("/v1/clients?{q}")
    };
    Ok(Json(ClientList {
        data: rows.into_iter().map(ClientSummary::from).collect(),
        links: Links {
            next: links.next.as_ref().map(at),
            previous: links.previous.as_ref().map(at),
        },
    }))
}

/// `GET /v1/clients/{id}`.
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<Client>, Problem> {
    let partner_id = caller.partner_for(ApiScope::ClientsRead)?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let found = scoped(
        Scope::Partner(partner_id),
        crate::clients::queries::find_without_history(&state.pool, partner_id, id),
    )
    .await
    .map_err(AppError::from)?;
    Ok(Json(Client::from(found.ok_or(AppError::NotFound)?)))
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

/// The body of `POST /v1/clients`. Prices are strings of a decimal number ("49.00"), never
/// floating point.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: Option<String>,
    pub plan: String,
    #[serde(default)]
    pub custom_price: Option<String>,
    #[serde(default)]
    pub billing_owned_by_reseller: bool,
    #[serde(default)]
    pub region: Option<String>,
}

impl From<NewClient> for ClientInput {
    fn from(c: NewClient) -> Self {
        ClientInput {
            company_name: c.company_name,
            contact_name: c.contact_name,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone.unwrap_or_default(),
            plan: c.plan,
            custom_price: c.custom_price.unwrap_or_default(),
            billing_owned_by_reseller: c.billing_owned_by_reseller.then(|| "on".to_string()),
            region: c.region.unwrap_or_default(),
        }
    }
}

/// `POST /v1/clients`: creates a client as the page does (the cap, the plan list, the
/// validation, the subscription event, the owner's invitation and the audit row), acting
/// as the member who made the key, within that member's role today. `Idempotency-Key`
/// makes a retry safe.
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::ClientsWrite)?;
    let idempotency_key = idempotency::key_of(&headers)?;
    let request: NewClient = serde_json::from_slice(&body).map_err(|error| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Invalid input",
            format!("The body must be a JSON client: {error}"),
        )
    })?;
    let key_id = caller.credential.key_id;
    let claimed = match idempotency_key {
        None => None,
        Some(key) => match idempotency::claim(&state.pool, key_id, partner_id, key, &body).await? {
            Claim::Replay(answer) => return Ok(answer),
            Claim::Run { key } => Some(key),
        },
    };
    let outcome = within(&state, partner_id, async {
        let me = acting_member(&state, &caller).await?;
        let id = crate::clients::server::create(&me, &request.into(), Some(key_id)).await?;
        let created = crate::clients::queries::find_without_history(&state.pool, partner_id, id)
            .await
            .map_err(AppError::from)?
            .ok_or(AppError::Internal)?;
        Ok::<_, Problem>(Client::from(created))
    })
    .await;
    let (status, body) = match &outcome {
        Ok(client) => (StatusCode::CREATED, serde_json::to_string(client)),
        Err(problem) => (problem.status(), serde_json::to_string(problem)),
    };
    if let Some(key) = claimed {
        // A success or a refusal of the input is final; anything else may go otherwise
        // next time (the cap, a busy database), so a retry runs again.
        match (&body, status) {
            (Ok(text), StatusCode::CREATED | StatusCode::UNPROCESSABLE_ENTITY) => {
                idempotency::finish(&state.pool, key_id, &key, status, text).await?
            }
            _ => idempotency::release(&state.pool, key_id, &key).await,
        }
    }
    let client = outcome?;
    let location = format!("/v1/clients/{}", client.id);
    let mut response = (StatusCode::CREATED, Json(client)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The member a key acts as: its maker, still a member of the key's partner and allowed to
/// edit clients today (a key made by an owner since removed or demoted changes nothing).
async fn acting_member(state: &AppState, caller: &ApiCaller) -> Result<Principal, Problem> {
    let gone = || {
        Problem::from(AppError::Refused(
            "The member who made this key can no longer make changes: ask your owner for a new key."
                .into(),
        ))
    };
    let maker = caller.credential.created_by.ok_or_else(gone)?;
    let me = crate::auth::queries::load_principal(&state.pool, maker, None)
        .await
        .map_err(AppError::from)?
        .filter(|me| me.partner_id() == Some(caller.credential.partner_id))
        .ok_or_else(gone)?;
    Ok(crate::auth::guard::permitted(me, Perm::EditClients)?)
}
