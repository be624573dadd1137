//! `/v1/clients`: a partner's clients through the API, with the rules and the SQL the
//! client pages use. Another partner's client is 404, exactly as if it did not exist.

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    Json,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use super::{caller::ApiCaller, problem::Problem};
use crate::{
    api_keys::model::ApiScope,
    clients::list::{ClientQuery, ClientRow},
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
        crate::clients::queries::find(&state.pool, partner_id, id),
    )
    .await
    .map_err(AppError::from)?;
    let c = found.ok_or(AppError::NotFound)?;
    Ok(Json(Client {
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
    }))
}
