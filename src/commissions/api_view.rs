//! A statement as the API shows it, and as the `statement.closed` webhook event carries it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::StatementSummary;

/// A closed month's statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Statement {
    /// The month, `YYYY-MM`.
    #[schema(example = "2026-10")]
    pub month: String,
    /// The tier the month was paid at.
    #[schema(example = "silver")]
    pub tier: &'static str,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "0.20")]
    pub rate: Decimal,
    pub active_clients: i64,
    pub lines: i64,
    /// The sum of the lines, fixed at the close.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub total: Decimal,
    /// The sum of later corrections.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub adjustments: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String)]
    pub amount_due: Decimal,
    pub payable_on: NaiveDate,
    /// `scheduled`, `due` or `paid`; null while the amount is carried forward.
    pub payout: Option<&'static str>,
}

impl From<StatementSummary> for Statement {
    fn from(s: StatementSummary) -> Self {
        Statement {
            month: s.month.to_string(),
            tier: s.tier.slug(),
            rate: s.rate,
            active_clients: s.active_clients,
            lines: s.lines,
            total: s.total,
            adjustments: s.adjustments,
            amount_due: s.amount_due(),
            payable_on: s.payable_on,
            payout: s.payout.map(|p| p.state.slug()),
        }
    }
}
