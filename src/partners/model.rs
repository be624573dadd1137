//! Partner tiers and the partner overview, as the program rules define them (DESIGN.md 2).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::model::PartnerStatus;

/// A partner's tier, set by its count of active clients at each monthly close.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "partner_tier", rename_all = "lowercase")
)]
pub enum Tier {
    Bronze,
    Silver,
    Gold,
    Platinum,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Bronze, Tier::Silver, Tier::Gold, Tier::Platinum];

    pub fn label(self) -> &'static str {
        match self {
            Tier::Bronze => "Bronze",
            Tier::Silver => "Silver",
            Tier::Gold => "Gold",
            Tier::Platinum => "Platinum",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Tier::Bronze => "bronze",
            Tier::Silver => "silver",
            Tier::Gold => "gold",
            Tier::Platinum => "platinum",
        }
    }

    /// Fewest active clients that earn this tier.
    pub fn min_active_clients(self) -> i64 {
        match self {
            Tier::Bronze => 0,
            Tier::Silver => 10,
            Tier::Gold => 25,
            Tier::Platinum => 50,
        }
    }

    /// Commission rate on list price: 15%, 20%, 25%, 30%.
    pub fn commission_rate(self) -> Decimal {
        match self {
            Tier::Bronze => Decimal::new(15, 2),
            Tier::Silver => Decimal::new(20, 2),
            Tier::Gold => Decimal::new(25, 2),
            Tier::Platinum => Decimal::new(30, 2),
        }
    }

    /// Most non-canceled clients a partner of this tier may have; `None` is unlimited.
    pub fn client_cap(self) -> Option<i64> {
        match self {
            Tier::Bronze => Some(25),
            Tier::Silver => Some(50),
            Tier::Gold => Some(100),
            Tier::Platinum => None,
        }
    }

    /// The tier earned by `active_clients`.
    pub fn for_active_clients(active_clients: i64) -> Tier {
        Tier::ALL
            .into_iter()
            .rev()
            .find(|t| active_clients >= t.min_active_clients())
            .unwrap_or(Tier::Bronze)
    }

    pub fn next(self) -> Option<Tier> {
        match self {
            Tier::Bronze => Some(Tier::Silver),
            Tier::Silver => Some(Tier::Gold),
            Tier::Gold => Some(Tier::Platinum),
            Tier::Platinum => None,
        }
    }

    /// What a partner at the cap is told: the tier, its cap, and how to grow.
    pub fn cap_reached_message(self, open_clients: i64) -> String {
        let cap = self.client_cap().unwrap_or(i64::MAX);
        let grow = match self.next() {
            Some(next) => format!(
                " Cancel a client you no longer serve, or reach {} active clients for {} ({}).",
                next.min_active_clients(),
                next.label(),
                next.client_cap()
                    .map(|c| format!("{c} clients"))
                    .unwrap_or_else(|| "no cap".into())
            ),
            None => String::new(),
        };
        format!(
            "Client cap reached: the {} tier allows {cap} clients and you have {open_clients}.{grow}",
            self.label()
        )
    }

    /// White-label is on by default from Gold up (an admin switch can override).
    pub fn white_label_by_default(self) -> bool {
        self >= Tier::Gold
    }
}

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
    pub charts: Vec<crate::components::chart::ChartSpec>,
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
    pub mrr_by_month: Vec<(crate::commissions::model::Month, Decimal)>,
    /// Closed statements (with adjustments), oldest first, up to 12.
    pub commission_by_month: Vec<(crate::commissions::model::Month, Decimal)>,
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

/// How an audit action reads in the activity list.
pub fn activity_label(action: &str) -> String {
    let known = match action {
        "auth.sign_in" => "Signed in",
        "auth.sign_out" => "Signed out",
        "client.created" => "Added a client",
        "client.updated" => "Changed a client's subscription",
        "client.status_changed" => "Changed a client's status",
        "client.exported" => "Exported the client list",
        "client.contact_updated" => "Updated a client's contact",
        "client.user_invited" => "Invited a client user",
        "client.user_removed" => "Removed a client user",
        "client.reseller_access_changed" => "Changed reseller access",
        "impersonation.requested" => "Asked to log in as a client",
        "impersonation.started" => "Logged in as a client",
        "impersonation.ended" => "Ended a client session",
        "invitation.created" => "Invited a team member",
        "invitation.accepted" => "Joined the team",
        "partner.created" => "Partner account created",
        "partner.tier_changed" => "Tier changed at the monthly close",
        "payout.paid" => "A payout was paid",
        "payout.method_changed" => "Changed the payout method",
        "commissions.adjusted" => "A statement was adjusted",
        "commissions.statement_exported" => "Exported a statement",
        _ => "",
    };
    if known.is_empty() {
        action.replace(['.', '_'], " ")
    } else {
        known.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_thresholds_follow_the_program_rules() {
        let cases = [
            (0, Tier::Bronze),
            (9, Tier::Bronze),
            (10, Tier::Silver),
            (24, Tier::Silver),
            (25, Tier::Gold),
            (49, Tier::Gold),
            (50, Tier::Platinum),
            (10_000, Tier::Platinum),
        ];
        for (clients, tier) in cases {
            assert_eq!(
                Tier::for_active_clients(clients),
                tier,
                "{clients} active clients"
            );
        }
    }

    #[test]
    fn rates_caps_and_order() {
        let rates: Vec<String> = Tier::ALL
            .iter()
            .map(|t| t.commission_rate().to_string())
            .collect();
        assert_eq!(rates, ["0.15", "0.20", "0.25", "0.30"]);
        let caps: Vec<Option<i64>> = Tier::ALL.iter().map(|t| t.client_cap()).collect();
        assert_eq!(caps, [Some(25), Some(50), Some(100), None]);
        assert!(Tier::Bronze < Tier::Platinum);
        assert_eq!(Tier::Gold.next(), Some(Tier::Platinum));
        assert_eq!(Tier::Platinum.next(), None);
        assert!(!Tier::Silver.white_label_by_default());
        assert!(Tier::Gold.white_label_by_default());
    }

    #[test]
    fn the_cap_message_names_the_tier_and_the_way_up() {
        let message = Tier::Bronze.cap_reached_message(25);
        assert!(
            message.contains("Bronze tier allows 25 clients and you have 25"),
            "{message}"
        );
        assert!(
            message.contains("10 active clients for Silver (50 clients)"),
            "{message}"
        );
        assert!(Tier::Gold
            .cap_reached_message(100)
            .contains("Platinum (no cap)"));
    }
}
