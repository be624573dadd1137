//! Partner tiers: thresholds, commission rates and client caps (DESIGN.md 2).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

    /// The tier a slug names, as forms and addresses write it.
    pub fn from_slug(slug: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.slug() == slug)
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
