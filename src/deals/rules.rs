//! How long a registration protects its prospect: the program's numbers and the two rules
//! that use them, in one place.

use chrono::{DateTime, TimeDelta, Utc};

/// Days of exclusive protection an approval gives.
pub const PROTECTION_DAYS: i64 = 90;
/// Recorded activity keeps a deal protected for at least this many days after it...
pub const EXTENSION_DAYS: i64 = 30;
/// ...but never longer than this many days after the approval.
pub const PROTECTION_LIMIT_DAYS: i64 = 180;
/// Days an admin's grant of an extension request adds (past the limit, if need be).
pub const GRANT_DAYS: i64 = 30;
/// Days before the end of protection at which the registrant is reminded, furthest first.
pub const REMINDER_DAYS: [i64; 3] = [14, 7, 1];

/// The end of protection after activity recorded `at`: at least [`EXTENSION_DAYS`] after
/// it, never earlier than it was, never past [`PROTECTION_LIMIT_DAYS`] after `approved_at`.
pub fn extended(
    until: DateTime<Utc>,
    approved_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> DateTime<Utc> {
    let limit = approved_at + TimeDelta::days(PROTECTION_LIMIT_DAYS);
    (at + TimeDelta::days(EXTENSION_DAYS))
        .max(until)
        .min(limit.max(until))
}

/// The reminder due `now` for a protection that ends `until`, given the last one sent (its
/// days): the nearest threshold reached and not yet sent, if any. One e-mail at a time: a
/// sweep that finds 6 days left and none sent sends the 7-day reminder only.
pub fn reminder_due(until: DateTime<Utc>, now: DateTime<Utc>, sent: Option<i64>) -> Option<i64> {
    if until <= now {
        return None;
    }
    REMINDER_DAYS
        .into_iter()
        .filter(|days| until - now <= TimeDelta::days(*days))
        .filter(|days| sent.is_none_or(|last| *days < last))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(n: i64) -> DateTime<Utc> {
        "2027-01-01T12:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::days(n)
    }

    #[test]
    fn activity_moves_the_end_on_up_to_the_limit() {
        let approved = day(0);
        let until = day(PROTECTION_DAYS);
        // Early activity changes nothing: 90 days are more than 30 after it.
        assert_eq!(extended(until, approved, day(10)), until);
        // Activity on day 80 keeps it to day 110.
        assert_eq!(extended(until, approved, day(80)), day(110));
        // Late activity stops at the limit, 180 days after the approval.
        assert_eq!(extended(day(170), approved, day(165)), day(180));
        // A protection already past the limit stays where it is.
        assert_eq!(extended(day(200), approved, day(190)), day(200));
    }

    #[test]
    fn reminders_come_at_14_7_and_1_days_once_each() {
        let until = day(30);
        assert_eq!(reminder_due(until, day(10), None), None);
        assert_eq!(reminder_due(until, day(16), None), Some(14));
        assert_eq!(reminder_due(until, day(17), Some(14)), None);
        assert_eq!(reminder_due(until, day(23), Some(14)), Some(7));
        // A sweep that missed the 14-day mark sends the nearest only.
        assert_eq!(reminder_due(until, day(25), None), Some(7));
        assert_eq!(
            reminder_due(until, day(29) + TimeDelta::hours(1), Some(7)),
            Some(1)
        );
        assert_eq!(
            reminder_due(until, day(29) + TimeDelta::hours(2), Some(1)),
            None
        );
        assert_eq!(
            reminder_due(until, day(31), None),
            None,
            "ended: no reminder"
        );
    }

    proptest! {
        #[test]
        fn activity_never_shortens_protection_nor_passes_the_limit_by_itself(
            approved_day in 0i64..400,
            until_offset in 0i64..200,
            at_offset in 0i64..250,
        ) {
            let approved = day(approved_day);
            let until = approved + TimeDelta::days(until_offset);
            let at = approved + TimeDelta::days(at_offset);
            let after = extended(until, approved, at);
            prop_assert!(after >= until);
            prop_assert!(after <= until.max(approved + TimeDelta::days(PROTECTION_LIMIT_DAYS)));
            prop_assert!(after >= (at + TimeDelta::days(EXTENSION_DAYS)).min(approved + TimeDelta::days(PROTECTION_LIMIT_DAYS)));
        }

        #[test]
        fn each_reminder_is_due_at_most_once_as_time_passes(hours in prop::collection::vec(1i64..200, 1..40)) {
            let until = day(20);
            let mut now = day(0);
            let mut sent = None;
            let mut seen = Vec::new();
            for step in hours {
                now += TimeDelta::hours(step);
                if let Some(days) = reminder_due(until, now, sent) {
                    prop_assert!(!seen.contains(&days));
                    seen.push(days);
                    sent = Some(days);
                }
            }
            let mut sorted = seen.clone();
            sorted.sort_by(|a, b| b.cmp(a));
            prop_assert_eq!(seen, sorted, "furthest first");
        }
    }
}
