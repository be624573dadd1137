//! `/v1/clients`: a partner's clients through the API, with the rules and the SQL the
//! client pages use. Another partner's client is 404, exactly as if it did not exist.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    caller::ApiCaller,
    context::within,
    idempotency::{self, Outcome},
    problem::Problem,
};
pub use crate::clients::api_view::Client;
use crate::{
    api_keys::model::ApiScope,
    auth::model::Perm,
    clients::{
        input::ClientInput,
        list::{ClientQuery, ClientRow},
    },
    db::scope::{scoped, Scope},
    error::{AppError, FieldErrors},
    program::{Position, SubscriptionStatus},
    state::AppState,
};

/// A client in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClientSummary {
    pub id: Uuid,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub plan_name: String,
    /// What the client pays a month: the custom price if set, else the plan's.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "49.00")]
    pub price: Decimal,
    /// `active`, `suspended` or `canceled`.
    #[schema(example = "active")]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Links {
    pub next: Option<String>,
    pub previous: Option<String>,
}

/// A page of clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClientList {
    pub data: Vec<ClientSummary>,
    pub links: Links,
}

/// The filters and sorts of `GET /v1/clients`, as the client list page has them.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientListParams {
    /// `active`, `suspended` or `canceled`.
    #[param(pattern = "^(active|suspended|canceled)$")]
    pub status: Option<String>,
    /// A plan code, e.g. `starter`.
    #[param(pattern = "^[a-z]{1,30}$")]
    pub plan: Option<String>,
    /// Words in the company, contact name or e-mail.
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// `company` (the default), `created`, `plan` or `price`.
    #[param(pattern = "^(company|created|plan|price)$")]
    pub sort: Option<String>,
    /// `asc` (the default) or `desc`.
    #[param(pattern = "^(asc|desc)$")]
    pub dir: Option<String>,
    /// A cursor from `links.next`.
    #[param(min_length = 1, max_length = 2000)]
    pub after: Option<String>,
    /// A cursor from `links.previous`.
    #[param(min_length = 1, max_length = 2000)]
    pub before: Option<String>,
}

/// The list's query, every value checked: a filter that cannot match is an error, never a
/// silent "everything".
fn checked_query(params: &HashMap<String, String>) -> Result<ClientQuery, Problem> {
    let mut errors = FieldErrors::new();
    let mut allowed = |name: &str, ok: &dyn Fn(&str) -> bool, message: &str| {
        if params.get(name).is_some_and(|value| !ok(value)) {
            errors.add(name, message);
        }
    };
    allowed(
        "status",
        &|v| SubscriptionStatus::from_slug(v).is_some(),
        "Use active, suspended or canceled.",
    );
    allowed(
        "plan",
        &|v| (1..=30).contains(&v.len()) && v.chars().all(|c| c.is_ascii_lowercase()),
        "A plan code is 1 to 30 lowercase letters.",
    );
    allowed(
        "q",
        &|v| (1..=100).contains(&v.chars().count()),
        "Use 1 to 100 characters.",
    );
    allowed(
        "sort",
        &|v| ["company", "created", "plan", "price"].contains(&v),
        "Use company, created, plan or price.",
    );
    allowed("dir", &|v| ["asc", "desc"].contains(&v), "Use asc or desc.");
    for cursor in ["after", "before"] {
        allowed(
            cursor,
            &|v| (1..=2000).contains(&v.len()),
            "Use the cursor from a links value.",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors).into());
    }
    Ok(ClientQuery::from_params(|k| params.get(k).cloned()))
}

/// A page of 25 clients, with the filters and sorts of the client list page.
#[utoipa::path(
    get, path = "/v1/clients", tag = "clients", params(ClientListParams),
    responses((status = 200, description = "A page of clients; follow `links.next`.", body = ClientList)),
    security(("bearer" = ["clients:read"]))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<ClientList>, Problem> {
    let partner_id = caller.partner_for(ApiScope::ClientsRead)?;
    let query = checked_query(&params)?;
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

/// One client.
#[utoipa::path(
    get, path = "/v1/clients/{id}", tag = "clients",
    params(("id" = Uuid, Path, description = "The client's id")),
    responses((status = 200, description = "The client", body = Client)),
    security(("bearer" = ["clients:read"]))
)]
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

/// The body of `POST /v1/clients`. Prices are strings of a decimal number ("49.00"), never
/// floating point.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// A plan code, e.g. `starter`.
    pub plan: String,
    /// A price a month instead of the plan's, e.g. "45.00".
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

/// Creates a client as the page does (the cap, the plan list, the validation, the
/// subscription event, the owner's invitation and the audit row), acting as the member who
/// made the key, within that member's role today. `Idempotency-Key` makes a retry safe.
#[utoipa::path(
    post, path = "/v1/clients", tag = "clients", request_body = NewClient,
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$", description = "Retries with the same key and body get the first answer for 24 hours")),
    responses((status = 201, description = "The new client", body = Client)),
    security(("bearer" = ["clients:write"]))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::ClientsWrite)?;
    idempotency::key_of(&headers)?;
    let request: NewClient = super::json_body(&body)?;
    let key_id = caller.credential.key_id;
    let work = within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::EditClients).await?;
        let id = crate::clients::changes::create(&me, &request.into(), Some(key_id)).await?;
        read(&state, partner_id, id).await
    });
    let outcome = idempotency::once(
        &state.pool,
        &caller,
        &headers,
        ("/v1/clients", &body),
        StatusCode::CREATED,
        work,
    )
    .await?;
    let client = match outcome {
        Outcome::Ran(client) => client,
        Outcome::Replay(answer) => return Ok(answer),
    };
    let location = format!("/v1/clients/{}", client.id);
    Ok(super::created(client, &location))
}

/// A client as the API shows it, after a change.
pub(super) async fn read(state: &AppState, partner_id: Uuid, id: Uuid) -> Result<Client, Problem> {
    let found = crate::clients::queries::find_without_history(&state.pool, partner_id, id)
        .await
        .map_err(AppError::from)?;
    Ok(Client::from(found.ok_or(AppError::NotFound)?))
}
