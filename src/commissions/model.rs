//! Commission rules (DESIGN.md 2) as pure functions, and the types shared with the browser.
//!
//! A client's history is the list of its subscription events, each giving the state after
//! it. From that history this module derives MRR at any moment, the days a client was ACTIVE
//! in a month, and statement lines: list price x (days ACTIVE / days in month) x rate,
//! rounded half-even to cents once per line.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::program::Month;
use crate::program::{SubscriptionStatus, Tier};

/// Payouts per page of the admin's payouts list.
pub const PAYOUTS_PAGE: i64 = 50;

/// A page of payouts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutPage {
    pub rows: Vec<Payout>,
    pub links: crate::program::PageLinks,
}

/// A payable balance below this is carried forward to the next payout.
pub const PAYOUT_MINIMUM: Decimal = Decimal::from_parts(50_000, 0, 0, false, 2);

/// The state of a subscription after one of its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub status: SubscriptionStatus,
    pub plan: String,
    /// The plan's list price when the event happened (commission is always on list price).
    pub list_price: Decimal,
}

/// One client's subscription history, oldest change first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub client_id: Uuid,
    pub client_name: String,
    pub changes: Vec<Change>,
}

impl History {
    /// The state in effect at `at` (the last change at or before it).
    pub fn state_at(&self, at: DateTime<Utc>) -> Option<&Change> {
        self.changes.iter().take_while(|c| c.at <= at).last()
    }

    pub fn is_active_at(&self, at: DateTime<Utc>) -> bool {
        self.state_at(at)
            .is_some_and(|c| c.status == SubscriptionStatus::Active)
    }

    /// The list price counted in MRR at `at`: the price while ACTIVE, nothing otherwise.
    pub fn mrr_at(&self, at: DateTime<Utc>) -> Decimal {
        match self.state_at(at) {
            Some(c) if c.status == SubscriptionStatus::Active => c.list_price,
            _ => Decimal::ZERO,
        }
    }

    /// The ACTIVE stretches of the history that overlap `[from, until)`, clipped to it, each
    /// with the change that began it.
    fn active_spans(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>, &Change)> {
        self.changes.iter().enumerate().filter_map(move |(i, c)| {
            if c.status != SubscriptionStatus::Active {
                return None;
            }
            let end = self.changes.get(i + 1).map_or(until, |next| next.at);
            let (start, end) = (c.at.max(from), end.min(until));
            (start < end).then_some((start, end, c))
        })
    }

    /// Days of `month` on which the client was ACTIVE at any moment, counting only the time
    /// before `until` (the month's end for a close, now for this month's accrual).
    pub fn days_active(&self, month: Month, until: DateTime<Utc>) -> u32 {
        let mut days = 0u64; // bit d-1 set: day d was active
        for (start, end, _) in self.active_spans(month.start(), until.min(month.end())) {
            let first = start.day();
            // The last day touched: the day of the last instant before `end`.
            let last = (end - Duration::nanoseconds(1)).day();
            for day in first..=last {
                days |= 1 << (day - 1);
            }
        }
        days.count_ones()
    }

    /// The statement line for `month` at `rate`, or `None` if the client was never ACTIVE in
    /// it before `until`. The plan and list price are those of the client's last ACTIVE
    /// moment in the month.
    pub fn line(
        &self,
        month: Month,
        until: DateTime<Utc>,
        tier: Tier,
        rate: Decimal,
    ) -> Option<LineComputation> {
        let until = until.min(month.end());
        let (_, _, last) = self.active_spans(month.start(), until).last()?;
        let days_active = self.days_active(month, until);
        Some(LineComputation {
            client_id: self.client_id,
            client_name: self.client_name.clone(),
            plan: last.plan.clone(),
            list_price: last.list_price,
            days_active,
            days_in_month: month.days(),
            tier,
            rate,
            amount: prorated_commission(last.list_price, days_active, month.days(), rate),
        })
    }
}

/// list price x (days active / days in month) x rate, rounded half-even to cents.
pub fn prorated_commission(
    list_price: Decimal,
    days_active: u32,
    days_in_month: u32,
    rate: Decimal,
) -> Decimal {
    (list_price * Decimal::from(days_active) * rate / Decimal::from(days_in_month))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// How one statement line was computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineComputation {
    pub client_id: Uuid,
    pub client_name: String,
    pub plan: String,
    pub list_price: Decimal,
    pub days_active: u32,
    pub days_in_month: u32,
    pub tier: Tier,
    pub rate: Decimal,
    pub amount: Decimal,
}

/// A statement's total: the sum of its rounded lines.
pub fn statement_total<'a>(lines: impl IntoIterator<Item = &'a LineComputation>) -> Decimal {
    lines.into_iter().map(|l| l.amount).sum()
}

/// The tier a partner has after a close: recomputed from its active clients unless pinned.
pub fn tier_after_close(current: Tier, pinned: bool, active_clients: i64) -> Tier {
    if pinned {
        current
    } else {
        Tier::for_active_clients(active_clients)
    }
}

/// Whether a partner's payable balance is paid out now or carried forward.
pub fn payout_due(balance: Decimal) -> bool {
    balance >= PAYOUT_MINIMUM
}

/// MRR change in percent against `previous`, one decimal; `None` when there was none.
pub fn growth_percent(previous: Decimal, current: Decimal) -> Option<Decimal> {
    (!previous.is_zero()).then(|| {
        ((current - previous) * Decimal::ONE_HUNDRED / previous)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
    })
}

/// Why a payout cannot be marked paid: it was paid already, or it is not yet due.
pub fn not_payable(paid_at: Option<DateTime<Utc>>, due_on: NaiveDate) -> String {
    match paid_at {
        Some(paid_at) => format!(
            "This payout was already paid on {}; it cannot be paid twice.",
            paid_at.format("%-d %B %Y")
        ),
        None => format!(
            "This payout is not due until {}.",
            due_on.format("%-d %B %Y")
        ),
    }
}

/// Parses an adjustment typed by an admin: a non-zero amount in cents, `-` for a deduction.
pub fn parse_adjustment(text: &str) -> Result<Decimal, &'static str> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let amount = crate::program::parse_price(digits)?;
    if amount.is_zero() {
        return Err("An adjustment cannot be zero.");
    }
    Ok(if negative { -amount } else { amount })
}

// ---- Types the pages use -------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "payout_method", rename_all = "lowercase")
)]
pub enum PayoutMethod {
    Ach,
    Wire,
    Paypal,
}

impl PayoutMethod {
    pub const ALL: [PayoutMethod; 3] =
        [PayoutMethod::Ach, PayoutMethod::Wire, PayoutMethod::Paypal];

    pub fn label(self) -> &'static str {
        match self {
            PayoutMethod::Ach => "ACH",
            PayoutMethod::Wire => "Wire transfer",
            PayoutMethod::Paypal => "PayPal",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            PayoutMethod::Ach => "ach",
            PayoutMethod::Wire => "wire",
            PayoutMethod::Paypal => "paypal",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.slug() == slug)
    }

    /// A method chosen in a form, or the message to show beside the field.
    pub fn from_field(text: &str) -> Result<Self, &'static str> {
        Self::from_slug(text.trim()).ok_or("Choose ACH, wire transfer or PayPal.")
    }
}

/// Where a payout stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayoutState {
    /// Created at a close; its due date has not come.
    Scheduled,
    /// Due (or overdue) and not yet paid.
    Due,
    Paid,
}

impl PayoutState {
    pub fn of(due_on: NaiveDate, paid: bool, today: NaiveDate) -> PayoutState {
        if paid {
            PayoutState::Paid
        } else if due_on <= today {
            PayoutState::Due
        } else {
            PayoutState::Scheduled
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PayoutState::Scheduled => "Scheduled",
            PayoutState::Due => "Due",
            PayoutState::Paid => "Paid",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            PayoutState::Scheduled => "scheduled",
            PayoutState::Due => "due",
            PayoutState::Paid => "paid",
        }
    }
}

/// A payout as partners and admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub partner_name: String,
    pub amount: Decimal,
    pub due_on: NaiveDate,
    pub state: PayoutState,
    pub paid_at: Option<DateTime<Utc>>,
    pub method: Option<PayoutMethod>,
    pub reference: Option<String>,
    /// The months whose statements it pays, e.g. `["2026-08", "2026-09"]`.
    pub months: Vec<Month>,
}

/// A statement in a list: month, tier, totals and the payout it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementSummary {
    pub id: Uuid,
    pub month: Month,
    pub tier: Tier,
    pub rate: Decimal,
    pub active_clients: i64,
    pub lines: i64,
    /// Sum of the client lines, fixed at the close.
    pub total: Decimal,
    /// Sum of later adjustment lines.
    pub adjustments: Decimal,
    pub payable_on: NaiveDate,
    pub payout: Option<PayoutRef>,
}

impl StatementSummary {
    pub fn amount_due(&self) -> Decimal {
        self.total + self.adjustments
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutRef {
    pub id: Uuid,
    pub due_on: NaiveDate,
    pub state: PayoutState,
}

/// A correction to a closed statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub id: Uuid,
    pub amount: Decimal,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

/// One page of a statement's lines, with its adjustments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementDetail {
    pub summary: StatementSummary,
    pub lines: Vec<LineComputation>,
    pub page: i64,
    pub pages: i64,
    pub adjustments: Vec<Adjustment>,
}

/// What the partner's commission page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerCommissions {
    pub statements: Vec<StatementSummary>,
    pub payouts: Vec<Payout>,
    /// Closed, payable amounts not yet in a payout because they sum below the minimum.
    pub carried_forward: Decimal,
    pub payout_method: Option<PayoutMethod>,
    pub payout_account: Option<String>,
    /// Whether the caller may change the payout method (owners).
    pub may_set_payout_method: bool,
}

/// One partner's figures in a month's close (preview or result).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerClose {
    pub partner_id: Uuid,
    pub partner_name: String,
    pub tier_before: Tier,
    pub tier_after: Tier,
    pub pinned: bool,
    pub active_clients: i64,
    pub lines: i64,
    pub total: Decimal,
}

/// A month's close as the admin sees it before or after closing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosePreview {
    pub month: Month,
    pub partners: Vec<PartnerClose>,
    pub total: Decimal,
    /// Set when the month is already closed (the figures are then the stored statements).
    pub closed_at: Option<DateTime<Utc>>,
}

/// The outcome of asking to close a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloseOutcome {
    Closed {
        month: Month,
        statements: i64,
        total: Decimal,
        tier_changes: i64,
        payouts: i64,
    },
    AlreadyClosed {
        month: Month,
        closed_at: DateTime<Utc>,
    },
    /// Still going after the admin's request stopped waiting: it carries on in the background
    /// and the commissions page shows its progress.
    Running { month: Month },
}

/// A close that has started and not finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseProgress {
    pub month: Month,
    pub started_at: DateTime<Utc>,
    pub partners_total: i64,
    pub partners_done: i64,
    pub clients_done: i64,
    /// A process is at it now; otherwise it stopped (its process ended) and closing the month
    /// again carries on where it stopped.
    pub running: bool,
}

impl CloseOutcome {
    pub fn message(&self) -> String {
        match self {
            CloseOutcome::Closed {
                month,
                statements,
                total,
                tier_changes,
                payouts,
            } => format!(
                "{} is closed: {statements} statement(s) totalling {}, {tier_changes} tier change(s), {payouts} payout(s) scheduled.",
                month.label(),
                crate::components::format::money(*total)
            ),
            CloseOutcome::AlreadyClosed { month, closed_at } => format!(
                "{} was already closed on {}; nothing changed.",
                month.label(),
                closed_at.format("%-d %B %Y")
            ),
            CloseOutcome::Running { month } => format!(
                "{} is closing in the background; its progress shows on this page.",
                month.label()
            ),
        }
    }
}

/// The admin's commission page: months that can be closed and months already closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommissionMonths {
    /// Ended months after the latest close, oldest first (the next one to close first).
    pub open: Vec<Month>,
    pub closed: Vec<ClosedMonth>,
    pub partners: Vec<(Uuid, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedMonth {
    pub month: Month,
    pub closed_at: DateTime<Utc>,
    pub statements: i64,
    pub total: Decimal,
}

#[cfg(test)]
mod tests;
