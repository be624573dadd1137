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
    /// The partner's certification level, if any.
    pub certification: Option<crate::certifications::model::Track>,
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
    /// Added up over every partner, a few seconds old at most (see `ProgramTotals`).
    #[serde(flatten)]
    pub totals: ProgramTotals,
    /// Unpaid payouts due within 30 days (overdue ones included), soonest first.
    pub payouts_due: Vec<crate::commissions::model::Payout>,
    /// More are due than the overview shows.
    pub more_payouts_due: bool,
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

/// What the overview adds up over every partner: computed once per snapshot for all views,
/// not on each view (5,000 partners' rows, two sorts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramTotals {
    pub mrr: rust_decimal::Decimal,
    pub mrr_last_month: rust_decimal::Decimal,
    pub partners_by_tier: Vec<(Tier, i64)>,
    pub top_by_mrr: Vec<LeaderRow>,
    pub top_by_growth: Vec<LeaderRow>,
    /// All unpaid payouts due within 30 days: how many, and their sum.
    pub due_count: i64,
    pub due_total: rust_decimal::Decimal,
}

/// How many partners each leaderboard shows.
const LEADERS: usize = 10;

impl ProgramTotals {
    /// The totals of every partner's `rows`, with the unpaid payouts `due` (count, sum).
    pub fn add_up(rows: &[LeaderRow], due: (i64, rust_decimal::Decimal)) -> Self {
        let partners_by_tier = Tier::ALL
            .into_iter()
            .map(|t| (t, rows.iter().filter(|r| r.tier == t).count() as i64))
            .collect();
        let top = |keep: &dyn Fn(&LeaderRow) -> bool,
                   key: &dyn Fn(&LeaderRow) -> rust_decimal::Decimal| {
            let mut top: Vec<&LeaderRow> = rows.iter().filter(|r| keep(r)).collect();
            top.sort_by(|a, b| key(b).cmp(&key(a)).then(a.name.cmp(&b.name)));
            top.into_iter().take(LEADERS).cloned().collect()
        };
        Self {
            mrr: rows.iter().map(|r| r.mrr).sum(),
            mrr_last_month: rows.iter().map(|r| r.mrr_last_month).sum(),
            partners_by_tier,
            top_by_mrr: top(&|r| !r.mrr.is_zero(), &|r| r.mrr),
            top_by_growth: top(&|r| r.change() > rust_decimal::Decimal::ZERO, &|r| {
                r.change()
            }),
            due_count: due.0,
            due_total: due.1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn row(name: &str, tier: Tier, mrr: i64, last: i64) -> LeaderRow {
        LeaderRow {
            partner_id: Uuid::new_v4(),
            name: name.into(),
            tier,
            mrr: Decimal::new(mrr, 0),
            mrr_last_month: Decimal::new(last, 0),
        }
    }

    #[test]
    fn totals_add_up_every_partner_and_rank_the_leaders() {
        let mut rows = vec![
            row("Idle", Tier::Bronze, 0, 0),
            row("Shrinking", Tier::Silver, 500, 900),
            row("Beta", Tier::Gold, 300, 100),
            row("Alpha", Tier::Gold, 300, 100),
        ];
        rows.extend((0..20).map(|i| row(&format!("Small {i:02}"), Tier::Bronze, 10, 9)));
        let totals = ProgramTotals::add_up(&rows, (3, Decimal::new(4250, 2)));

        assert_eq!(totals.mrr, Decimal::new(500 + 300 + 300 + 200, 0));
        assert_eq!(
            totals.mrr_last_month,
            Decimal::new(900 + 100 + 100 + 180, 0)
        );
        let by_tier: std::collections::HashMap<_, _> =
            totals.partners_by_tier.iter().copied().collect();
        assert_eq!(by_tier[&Tier::Bronze], 21);
        assert_eq!(by_tier[&Tier::Gold], 2);
        assert_eq!(by_tier[&Tier::Silver], 1);
        assert_eq!(by_tier.values().sum::<i64>(), rows.len() as i64);

        let names = |rows: &[LeaderRow]| rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(totals.top_by_mrr.len(), LEADERS);
        assert_eq!(
            names(&totals.top_by_mrr[..4]),
            ["Shrinking", "Alpha", "Beta", "Small 00"]
        );
        assert!(
            !names(&totals.top_by_mrr).contains(&"Idle".to_string()),
            "no MRR, not a leader"
        );
        assert_eq!(
            names(&totals.top_by_growth[..3]),
            ["Alpha", "Beta", "Small 00"]
        );
        assert!(totals
            .top_by_growth
            .iter()
            .all(|r| r.change() > Decimal::ZERO));
        assert_eq!(
            (totals.due_count, totals.due_total),
            (3, Decimal::new(4250, 2))
        );
    }
}
