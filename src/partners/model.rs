//! Partner tiers and the partner overview, as the program rules define them (DESIGN.md 2).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::model::PartnerStatus;
use crate::program::Tier;

/// What a partner's members see about their partner on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerOverview {
    pub id: Uuid,
    pub name: String,
    pub tier: Tier,
    pub tier_pinned: bool,
    pub status: PartnerStatus,
    pub active_clients: i64,
    /// Clients that count against the cap (not canceled).
    pub open_clients: i64,
    pub recent_clients: Vec<ClientLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientLink {
    pub id: Uuid,
    pub company_name: String,
}

/// The partner dashboard. Money figures are present only for roles that may see
/// commissions (DESIGN.md 4); the server leaves them out for the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub overview: PartnerOverview,
    pub money: Option<MoneyFigures>,
    /// Active clients by plan name, most first.
    pub clients_by_plan: Vec<(String, i64)>,
    pub charts: Vec<crate::program::ChartSpec>,
    pub activity: Vec<Activity>,
}

/// Figures from the events and the statements, to the cent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyFigures {
    pub mrr: Decimal,
    pub arr: Decimal,
    /// MRR at the close of last month.
    pub mrr_last_month: Decimal,
    /// Percent, one decimal; `None` when last month had no MRR.
    pub growth_percent: Option<Decimal>,
    pub accrued_this_month: Decimal,
    pub earnings_ytd: Decimal,
    pub next_payout: NextPayout,
    /// What reaching the next tier would add per month at today's MRR.
    pub next_tier_gain: Option<Decimal>,
    /// MRR at each month's close, the current month as of now; oldest first, 12 months.
    pub mrr_by_month: Vec<(crate::program::Month, Decimal)>,
    /// Closed statements (with adjustments), oldest first, up to 12.
    pub commission_by_month: Vec<(crate::program::Month, Decimal)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NextPayout {
    Scheduled {
        due_on: chrono::NaiveDate,
        amount: Decimal,
    },
    /// Closed commission below the payout minimum, waiting for the next payout.
    CarriedForward {
        balance: Decimal,
    },
    Nothing,
}

/// One row of the partner's recent activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub at: chrono::DateTime<chrono::Utc>,
    pub who: Option<String>,
    pub what: String,
}

/// The next tier and the active clients still needed to reach it (none above Platinum).
pub fn clients_to_next_tier(tier: Tier, active_clients: i64) -> Option<(Tier, i64)> {
    tier.next()
        .map(|next| (next, (next.min_active_clients() - active_clients).max(0)))
}
