//! The partner health score (seed 001 section 8.1): customer retention 40%, revenue growth
//! 30%, certification level 15%, activity 15%. Each part is a score from 0 to 100; the
//! health score is their weighted sum. The formula lives here, and only here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::certifications::model::Track;

/// The weights of the parts, in percent.
pub const WEIGHTS: [(Part, u32); 4] = [
    (Part::Retention, 40),
    (Part::Growth, 30),
    (Part::Certification, 15),
    (Part::Activity, 15),
];
/// Monthly MRR growth that scores 100 (and its negative, 0); no growth scores 50.
pub const GROWTH_FULL_MARKS_PERCENT: i64 = 10;
/// Months of trend on the dashboard.
pub const TREND_MONTHS: usize = 6;
/// Places of the leaderboard every partner sees.
pub const LEADERBOARD_TOP: i32 = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    Retention,
    Growth,
    Certification,
    Activity,
}

impl Part {
    pub const fn label(self) -> &'static str {
        match self {
            Part::Retention => "Customer retention",
            Part::Growth => "Revenue growth",
            Part::Certification => "Certification level",
            Part::Activity => "Activity",
        }
    }
}

/// What a close knows about a partner's month.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonthFacts {
    /// Active clients at the month's start, and how many of those were cancelled in it.
    pub active_at_start: i64,
    pub cancelled: i64,
    pub mrr_start: Decimal,
    pub mrr_end: Decimal,
    /// Members, and those who signed in during the 30 days to the month's end.
    pub members: i64,
    pub active_members: i64,
    pub certification: Option<Track>,
}

/// A partner's health for a month: each part and the score, 0 to 100, one decimal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub retention: Decimal,
    pub growth: Decimal,
    pub certification: Decimal,
    pub activity: Decimal,
    pub score: Decimal,
}

impl Health {
    pub fn part(&self, part: Part) -> Decimal {
        match part {
            Part::Retention => self.retention,
            Part::Growth => self.growth,
            Part::Certification => self.certification,
            Part::Activity => self.activity,
        }
    }
}

fn clamp_0_100(value: Decimal) -> Decimal {
    value.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
}

fn percent(part: i64, whole: i64) -> Decimal {
    if whole <= 0 {
        return Decimal::ONE_HUNDRED;
    }
    clamp_0_100(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
}

/// The health score of a month's facts.
pub fn health(facts: &MonthFacts) -> Health {
    // Retention: the share of the month's starting clients still there (no clients, no loss).
    let retention = percent(
        facts.active_at_start - facts.cancelled.min(facts.active_at_start),
        facts.active_at_start,
    );
    // Growth: 50 for a flat month, 100 at +10% or more, 0 at -10% or worse; a partner that
    // starts from nothing scores 100 for any MRR and 50 for none.
    let growth = if facts.mrr_start > Decimal::ZERO {
        let rate = (facts.mrr_end - facts.mrr_start) * Decimal::ONE_HUNDRED / facts.mrr_start;
        clamp_0_100(
            Decimal::from(50) + rate * Decimal::from(50) / Decimal::from(GROWTH_FULL_MARKS_PERCENT),
        )
    } else if facts.mrr_end > Decimal::ZERO {
        Decimal::ONE_HUNDRED
    } else {
        Decimal::from(50)
    };
    let certification = match facts.certification {
        None => Decimal::ZERO,
        Some(track) => {
            let rank = Track::ALL.iter().position(|t| *t == track).unwrap_or(0) + 1;
            Decimal::from(rank as i64) * Decimal::ONE_HUNDRED
                / Decimal::from(Track::ALL.len() as i64)
        }
    };
    let activity = if facts.members > 0 {
        percent(facts.active_members, facts.members)
    } else {
        Decimal::ZERO
    };
    let round = |d: Decimal| d.round_dp(1);
    let parts = Health {
        retention: round(retention),
        growth: round(growth),
        certification: round(certification),
        activity: round(activity),
        score: Decimal::ZERO,
    };
    let score = WEIGHTS
        .into_iter()
        .map(|(part, weight)| parts.part(part) * Decimal::from(weight))
        .sum::<Decimal>()
        / Decimal::ONE_HUNDRED;
    Health {
        score: round(score),
        ..parts
    }
}

/// One month of a partner's health, for the dashboard's trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub health: Health,
    pub rank: i32,
    pub partners: i64,
}

/// A leaderboard line as a partner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardLine {
    pub rank: i32,
    /// `None` for a partner that did not opt in.
    pub name: Option<String>,
    pub tier: crate::program::Tier,
    pub mrr_growth: Decimal,
    pub own: bool,
}

/// `/partner/leaderboard`: the latest closed month's top places, the partner's own place,
/// and whether its name shows to others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub month: Option<String>,
    pub top: Vec<BoardLine>,
    pub own: Option<BoardLine>,
    pub partners: i64,
    pub opted_in: bool,
    /// Whether the caller may change `opted_in` (the owner).
    pub can_opt: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn the_score_is_the_weighted_sum_of_its_parts() {
        // 20 clients, 2 cancelled: 90. MRR 1,000 -> 1,050 (+5%): 75. Advanced: 66.7.
        // 3 of 4 members signed in: 75.
        let facts = MonthFacts {
            active_at_start: 20,
            cancelled: 2,
            mrr_start: d("1000"),
            mrr_end: d("1050"),
            members: 4,
            active_members: 3,
            certification: Some(Track::Advanced),
        };
        let h = health(&facts);
        assert_eq!(
            (h.retention, h.growth, h.certification, h.activity),
            (d("90.0"), d("75.0"), d("66.7"), d("75.0"))
        );
        // 0.40 x 90 + 0.30 x 75 + 0.15 x 66.7 + 0.15 x 75 = 36 + 22.5 + 10.005 + 11.25.
        assert_eq!(h.score, d("79.8"));
    }

    #[test]
    fn the_parts_stay_between_0_and_100() {
        let shrinking = MonthFacts {
            active_at_start: 5,
            cancelled: 9,
            mrr_start: d("1000"),
            mrr_end: d("100"),
            members: 0,
            ..MonthFacts::default()
        };
        assert_eq!(health(&shrinking), Health::default());
        let new = MonthFacts {
            mrr_end: d("99"),
            members: 2,
            active_members: 2,
            certification: Some(Track::Master),
            ..MonthFacts::default()
        };
        let h = health(&new);
        assert_eq!(
            (h.retention, h.growth, h.certification, h.activity),
            (d("100"), d("100"), d("100"), d("100"))
        );
        assert_eq!(h.score, d("100.0"));
    }
}
