//! The partner dashboard's figures, read from the read models that the events and the
//! closes keep (see [`super::read_models`]), and its charts.

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
use super::read_models::{self, accrual_estimate, month_figures, MonthFigures};
use crate::{
    audit::{describe, Action, Audience},
    commissions::{model::growth_percent, queries::close::unassigned_balance},
    error::AppError,
    program::{ChartSpec, Month},
};

/// Everything the dashboard shows; money figures only when `with_money`, and the activity
/// that `audiences` may read. Reads the read models: a few rows whatever the partner's size.
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
    let clients_by_plan = read_models::clients_by_plan(pool, partner_id).await?;
    let mut charts = vec![donut(&clients_by_plan)];
    let money = if with_money {
        let figures = money_figures(pool, partner_id, &overview, now).await?;
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

/// The money figures (MRR, growth, accruals, earnings, the next payout) of a partner.
pub async fn money_figures(
    pool: &PgPool,
    partner_id: Uuid,
    overview: &super::model::PartnerOverview,
    now: DateTime<Utc>,
) -> Result<MoneyFigures, AppError> {
    let this_month = Month::containing(now);
    let first_shown = this_month
        .minus(11)
        .min(Month::new(now.year(), 1).unwrap_or(this_month));
    let rows = read_models::months_since(pool, partner_id, first_shown).await?;
    let months: Vec<MonthFigures> = (0..12)
        .rev()
        .map(|back| month_figures(&rows, this_month.minus(back)))
        .collect();
    let mrr = read_models::figures(pool, partner_id).await?.mrr;
    let mrr_last_month = months[10].mrr;
    let mrr_by_month = months.iter().map(|m| (m.month, m.mrr)).collect();

    let tier = overview.tier;
    let accrued_this_month = accrual_estimate(&months[11], now, tier.commission_rate());
    let earnings_ytd = rows
        .iter()
        .filter(|r| r.month.year == now.year())
        .filter_map(|r| r.commission)
        .sum();
    let commission_by_month: Vec<(Month, Decimal)> = rows
        .iter()
        .filter_map(|r| Some((r.month, r.commission?)))
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();

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
