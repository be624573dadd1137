//! What admins see of partners.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{auth::model::PartnerStatus, program::Tier};

/// One row of the admin's partner list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerRow {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub tier: Tier,
    pub tier_pinned: bool,
    pub status: PartnerStatus,
    pub active_clients: i64,
    pub open_clients: i64,
    pub members: i64,
}

/// A page of the admin's partner list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPage {
    pub rows: Vec<PartnerRow>,
    pub links: crate::program::PageLinks,
    pub total: crate::program::Total,
}

/// The admin's program overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramOverview {
    pub mrr: rust_decimal::Decimal,
    pub mrr_last_month: rust_decimal::Decimal,
    pub partners_by_tier: Vec<(Tier, i64)>,
    pub top_by_mrr: Vec<LeaderRow>,
    pub top_by_growth: Vec<LeaderRow>,
    /// Unpaid payouts due within 30 days (overdue ones included), soonest first.
    pub payouts_due: Vec<crate::commissions::model::Payout>,
    /// More are due than the overview shows.
    pub more_payouts_due: bool,
    /// All unpaid payouts due within 30 days: how many, and their sum.
    pub due_count: i64,
    pub due_total: rust_decimal::Decimal,
}

/// One partner on the leaderboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderRow {
    pub partner_id: Uuid,
    pub name: String,
    pub tier: Tier,
    pub mrr: rust_decimal::Decimal,
    pub mrr_last_month: rust_decimal::Decimal,
}

impl LeaderRow {
    pub fn change(&self) -> rust_decimal::Decimal {
        self.mrr - self.mrr_last_month
    }

    pub fn growth_percent(&self) -> Option<rust_decimal::Decimal> {
        crate::commissions::model::growth_percent(self.mrr_last_month, self.mrr)
    }
}
