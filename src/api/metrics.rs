//! `GET /v1/metrics`: the partner's figures as its dashboard shows them, from the same read
//! models (a few rows whatever the partner's size).

use axum::{extract::State, Json};
use chrono::Utc;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{caller::ApiCaller, problem::Problem};
use crate::{
    api_keys::model::ApiScope,
    db::scope::{scoped, Scope},
    error::AppError,
    partners::dashboard::money_figures,
    state::AppState,
};

/// Money as a string of a decimal number, never floating point.
type Money = Decimal;

/// A partner's figures now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Metrics {
    /// Monthly recurring revenue of the active clients, at list or custom price.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "1234.00")]
    pub mrr: Money,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "14808.00")]
    pub arr: Money,
    /// MRR at the end of last month.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub mrr_last_month: Money,
    /// MRR growth since last month in percent, one decimal; null when last month had none.
    #[serde(with = "rust_decimal::serde::str_option")]
    #[schema(value_type = Option<String>, example = "4.5")]
    pub growth_percent: Option<Money>,
    /// Commission accrued so far this month (an estimate until the month closes).
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub commission_accrued_this_month: Money,
    /// Closed commission this calendar year, adjustments included.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub commission_year_to_date: Money,
    pub active_clients: i64,
    /// Clients that count against the cap (not canceled).
    pub open_clients: i64,
    pub tier: TierStanding,
    /// What the next tier needs and brings; null at the top tier or with a pinned tier.
    pub next_tier: Option<NextTier>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct TierStanding {
    /// `bronze`, `silver`, `gold` or `platinum`.
    #[schema(example = "silver")]
    pub name: &'static str,
    /// Commission rate on list price, e.g. "0.20".
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "0.20")]
    pub commission_rate: Decimal,
    /// Most open clients allowed; null is unlimited.
    pub client_cap: Option<i64>,
    /// Set by the program team, not earned by client count.
    pub pinned: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct NextTier {
    #[schema(example = "gold")]
    pub name: &'static str,
    pub min_active_clients: i64,
    /// Active clients still to win.
    pub clients_needed: i64,
    /// What the next tier's rate would add a month at today's MRR.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub monthly_gain: Money,
}

/// The partner's MRR, ARR, commission, growth, tier and what the next tier needs.
#[utoipa::path(
    get, path = "/v1/metrics", tag = "metrics",
    responses((status = 200, description = "The partner's figures now", body = Metrics)),
    security(("bearer" = ["metrics:read"]))
)]
pub async fn show(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> Result<Json<Metrics>, Problem> {
    let partner_id = caller.partner_for(ApiScope::MetricsRead)?;
    scoped(Scope::Partner(partner_id), async {
        let overview = crate::partners::queries::overview(&state.pool, partner_id)
            .await
            .map_err(AppError::from)?
            .ok_or(AppError::NotFound)?;
        let money = money_figures(&state.pool, partner_id, &overview, Utc::now()).await?;
        let tier = overview.tier;
        let next_tier = tier
            .next()
            .filter(|_| !overview.tier_pinned)
            .map(|next| NextTier {
                name: next.slug(),
                min_active_clients: next.min_active_clients(),
                clients_needed: (next.min_active_clients() - overview.active_clients).max(0),
                monthly_gain: money.next_tier_gain.unwrap_or_default(),
            });
        Ok(Json(Metrics {
            mrr: money.mrr,
            arr: money.arr,
            mrr_last_month: money.mrr_last_month,
            growth_percent: money.growth_percent,
            commission_accrued_this_month: money.accrued_this_month,
            commission_year_to_date: money.earnings_ytd,
            active_clients: overview.active_clients,
            open_clients: overview.open_clients,
            tier: TierStanding {
                name: tier.slug(),
                commission_rate: tier.commission_rate(),
                client_cap: tier.client_cap(),
                pinned: overview.tier_pinned,
            },
            next_tier,
        }))
    })
    .await
}
