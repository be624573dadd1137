//! The partner dashboard's figures, computed from the subscription events and the closed
//! statements (never from numbers kept by hand), and its charts.

use std::collections::BTreeMap;

use charming::{
    component::{Axis, Legend},
    element::{AxisType, Label, Tooltip, Trigger},
    series::{Bar, Line, Pie},
    Chart,
};
use chrono::{DateTime, Datelike, Utc};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use super::model::{Activity, Dashboard, MoneyFigures, NextPayout};
use crate::{
    audit::{describe, Action, Audience},
    commissions::{
        model::{growth_percent, statement_total, History},
        queries as commission_queries,
        queries::{close::unassigned_balance, history::partner_histories},
    },
    error::AppError,
    program::{ChartSpec, Month},
};

/// MRR of `histories` at `at`.
pub fn mrr_at(histories: &[History], at: DateTime<Utc>) -> Decimal {
    histories.iter().map(|h| h.mrr_at(at)).sum()
}

/// Everything the dashboard shows; money figures only when `with_money`, and the activity
/// that `audiences` may read.
pub async fn dashboard(
    pool: &PgPool,
    partner_id: Uuid,
    with_money: bool,
    audiences: &[Audience],
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let overview = super::queries::overview(pool, partner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let histories = partner_histories(&mut *pool.acquire().await?, partner_id, now).await?;
    let plan_names: BTreeMap<String, String> = super::queries::plan_names(pool)
        .await?
        .into_iter()
        .collect();

    let mut by_plan: BTreeMap<String, i64> = BTreeMap::new();
    for state in histories.iter().filter_map(|h| h.state_at(now)) {
        if state.status == crate::program::SubscriptionStatus::Active {
            let name = plan_names.get(&state.plan).unwrap_or(&state.plan).clone();
            *by_plan.entry(name).or_default() += 1;
        }
    }
    let mut clients_by_plan: Vec<(String, i64)> = by_plan.into_iter().collect();
    clients_by_plan.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    let mut charts = vec![donut(&clients_by_plan)];
    let money = if with_money {
        let figures = money_figures(pool, partner_id, &overview, &histories, now).await?;
        charts.insert(0, mrr_line(&figures.mrr_by_month));
        charts.push(commission_bars(&figures.commission_by_month));
        Some(figures)
    } else {
        None
    };
    Ok(Dashboard {
        overview,
        money,
        clients_by_plan,
        charts,
        activity: activity(pool, partner_id, audiences).await?,
    })
}

async fn money_figures(
    pool: &PgPool,
    partner_id: Uuid,
    overview: &super::model::PartnerOverview,
    histories: &[History],
    now: DateTime<Utc>,
) -> Result<MoneyFigures, AppError> {
    let this_month = Month::containing(now);
    let mrr = mrr_at(histories, now);
    let mrr_last_month = mrr_at(histories, this_month.previous().close_instant());
    let mut mrr_by_month: Vec<(Month, Decimal)> = (1..12)
        .rev()
        .map(|back| {
            let month = this_month.minus(back);
            (month, mrr_at(histories, month.close_instant()))
        })
        .collect();
    mrr_by_month.push((this_month, mrr));

    let tier = overview.tier;
    let accrued_this_month = statement_total(
        &histories
            .iter()
            .filter_map(|h| h.line(this_month, now, tier, tier.commission_rate()))
            .collect::<Vec<_>>(),
    );
    let statements = commission_queries::statements(pool, partner_id).await?;
    let earnings_ytd = statements
        .iter()
        .filter(|s| s.month.year == now.year())
        .map(|s| s.amount_due())
        .sum();
    let mut commission_by_month: Vec<(Month, Decimal)> = statements
        .iter()
        .take(12)
        .map(|s| (s.month, s.amount_due()))
        .collect();
    commission_by_month.reverse();

    let next_payout = match super::queries::next_unpaid_payout(pool, partner_id).await? {
        Some((due_on, amount)) => NextPayout::Scheduled { due_on, amount },
        None => {
            let balance = unassigned_balance(&mut *pool.acquire().await?, partner_id).await?;
            if balance > Decimal::ZERO {
                NextPayout::CarriedForward { balance }
            } else {
                NextPayout::Nothing
            }
        }
    };
    let next_tier_gain = tier
        .next()
        .filter(|_| !overview.tier_pinned)
        .map(|next| ((next.commission_rate() - tier.commission_rate()) * mrr).round_dp(2));

    Ok(MoneyFigures {
        mrr,
        arr: mrr * Decimal::from(12),
        mrr_last_month,
        growth_percent: growth_percent(mrr_last_month, mrr),
        accrued_this_month,
        earnings_ytd,
        next_payout,
        next_tier_gain,
        mrr_by_month,
        commission_by_month,
    })
}

/// The ten latest audit rows of the partner that `audiences` may read, in plain words.
async fn activity(
    pool: &PgPool,
    partner_id: Uuid,
    audiences: &[Audience],
) -> Result<Vec<Activity>, AppError> {
    let rows = super::queries::recent_activity(pool, partner_id, &Action::names_for(audiences), 10)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(at, who, action)| Activity {
            at,
            who,
            what: describe(&action),
        })
        .collect())
}

/// ECharts wants numbers; money is sent as its exact decimal text, which ECharts reads as a
/// number (the tables beside the charts show the same text).
fn amounts(values: impl Iterator<Item = Decimal>) -> Vec<String> {
    values.map(|v| v.round_dp(2).to_string()).collect()
}

fn month_axis(months: impl Iterator<Item = Month>) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .data(months.map(|m| m.short_label()).collect())
}

pub fn mrr_line(points: &[(Month, Decimal)]) -> ChartSpec {
    let chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(month_axis(points.iter().map(|(m, _)| *m)))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(
            Line::new()
                .name("MRR (USD)")
                .data(amounts(points.iter().map(|(_, v)| *v))),
        );
    ChartSpec::new("mrr", "MRR over the last 12 months", &chart)
}

pub fn donut(rows: &[(String, i64)]) -> ChartSpec {
    let chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom(0))
        .series(
            Pie::new()
                .name("Active clients")
                .radius(vec!["40%", "70%"])
                .label(Label::new().show(false))
                .data(
                    rows.iter()
                        .map(|(plan, n)| (*n as f64, plan.as_str()))
                        .collect(),
                ),
        );
    ChartSpec::new("plans", "Active clients by plan", &chart)
}

pub fn commission_bars(points: &[(Month, Decimal)]) -> ChartSpec {
    let chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(month_axis(points.iter().map(|(m, _)| *m)))
        .y_axis(Axis::new().type_(AxisType::Value))
        .series(
            Bar::new()
                .name("Commission (USD)")
                .data(amounts(points.iter().map(|(_, v)| *v))),
        );
    ChartSpec::new("commission", "Commission by month", &chart)
}
