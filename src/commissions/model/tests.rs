use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use super::*;
use crate::program::month::midnight;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    midnight(NaiveDate::from_ymd_opt(y, m, d).unwrap()) + Duration::hours(h.into())
}

fn change(at: DateTime<Utc>, status: SubscriptionStatus, price: i64) -> Change {
    Change {
        at,
        status,
        plan: "starter".into(),
        list_price: Decimal::new(price, 2),
    }
}

fn history(changes: Vec<Change>) -> History {
    History {
        client_id: Uuid::nil(),
        client_name: "Fabrikam".into(),
        changes,
    }
}

#[test]
fn months_parse_and_know_their_days_and_payment_date() {
    let oct = Month::parse("2026-10").unwrap();
    assert_eq!(oct.days(), 31);
    assert_eq!(oct.to_string(), "2026-10");
    assert_eq!(oct.label(), "October 2026");
    assert_eq!(Month::parse("2028-02").unwrap().days(), 29);
    assert_eq!(Month::parse("2027-02").unwrap().days(), 28);
    assert_eq!(
        Month::parse("2026-12").unwrap().next().to_string(),
        "2027-01"
    );
    assert_eq!(
        Month::parse("2027-01").unwrap().previous().to_string(),
        "2026-12"
    );
    for bad in [
        "2026-13",
        "2026-00",
        "26-10",
        "2026-1",
        "october",
        "",
        "2026-10-01",
    ] {
        assert_eq!(Month::parse(bad), None, "{bad:?}");
    }
    // NET-30 after the month's last day.
    assert_eq!(
        oct.payable_on(),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    );
    assert_eq!(
        Month::parse("2027-02").unwrap().payable_on(),
        NaiveDate::from_ymd_opt(2027, 3, 30).unwrap()
    );
    assert_eq!(
        Month::parse("2026-12").unwrap().payable_on(),
        NaiveDate::from_ymd_opt(2027, 1, 30).unwrap()
    );
}

#[test]
fn a_day_counts_when_the_client_was_active_at_any_moment_of_it() {
    use SubscriptionStatus::*;
    let oct = Month::parse("2026-10").unwrap();
    // Created on the 10th at noon, suspended on the 20th at 09:00, back on the 25th.
    let h = history(vec![
        change(at(2026, 10, 10, 12), Active, 9900),
        change(at(2026, 10, 20, 9), Suspended, 9900),
        change(at(2026, 10, 25, 0), Active, 9900),
    ]);
    // 10..=20 is 11 days, 25..=31 is 7 days.
    assert_eq!(h.days_active(oct, oct.end()), 18);
    // Until the 22nd (accrual so far): 10..=20 only.
    assert_eq!(h.days_active(oct, at(2026, 10, 22, 0)), 11);
    let line = h
        .line(oct, oct.end(), Tier::Gold, Tier::Gold.commission_rate())
        .unwrap();
    // 99.00 x 18/31 x 0.25 = 14.3709... -> 14.37
    assert_eq!(line.amount, Decimal::new(1437, 2));
    // Not active in September: no line.
    let sep = Month::parse("2026-09").unwrap();
    assert_eq!(
        h.line(sep, sep.end(), Tier::Gold, Decimal::new(25, 2)),
        None
    );
}

#[test]
fn rounding_is_half_even_to_cents() {
    // 0.125 -> 0.12, 0.135 -> 0.14
    assert_eq!(
        prorated_commission(Decimal::new(125, 3), 1, 1, Decimal::ONE),
        Decimal::new(12, 2)
    );
    assert_eq!(
        prorated_commission(Decimal::new(135, 3), 1, 1, Decimal::ONE),
        Decimal::new(14, 2)
    );
}

#[test]
fn plan_and_price_are_those_of_the_last_active_moment() {
    use SubscriptionStatus::*;
    let oct = Month::parse("2026-10").unwrap();
    let mut upgraded = change(at(2026, 10, 15, 0), Active, 29900);
    upgraded.plan = "professional".into();
    let h = history(vec![
        change(at(2026, 1, 1, 0), Active, 9900),
        upgraded,
        change(at(2026, 10, 28, 0), Canceled, 29900),
    ]);
    let line = h
        .line(oct, oct.end(), Tier::Bronze, Decimal::new(15, 2))
        .unwrap();
    assert_eq!(line.plan, "professional");
    assert_eq!(line.list_price, Decimal::new(29900, 2));
    // Canceled at midnight starting the 28th: the 1st to the 27th.
    assert_eq!(line.days_active, 27);
    assert_eq!(h.mrr_at(at(2026, 10, 20, 0)), Decimal::new(29900, 2));
    assert_eq!(h.mrr_at(at(2026, 11, 1, 0)), Decimal::ZERO);
    assert_eq!(h.mrr_at(at(2025, 12, 31, 0)), Decimal::ZERO);
}

#[test]
fn tiers_are_recomputed_unless_pinned_and_payouts_wait_for_the_minimum() {
    assert_eq!(tier_after_close(Tier::Bronze, false, 10), Tier::Silver);
    assert_eq!(tier_after_close(Tier::Platinum, true, 0), Tier::Platinum);
    assert!(!payout_due(Decimal::new(49999, 2)));
    assert!(payout_due(Decimal::new(50000, 2)));
    assert_eq!(
        growth_percent(Decimal::new(1000, 0), Decimal::new(1125, 0)),
        Some(Decimal::new(125, 1))
    );
    assert_eq!(growth_percent(Decimal::ZERO, Decimal::ONE), None);
}

// ---- Properties ----------------------------------------------------------------------

/// A list price from rust_decimal's own generator, brought to a plausible money amount.
fn list_price() -> impl Strategy<Value = Decimal> {
    any::<Decimal>().prop_map(|d| {
        (d.abs() % Decimal::from(10_000)).round_dp_with_strategy(2, RoundingStrategy::ToZero)
    })
}

fn tier() -> impl Strategy<Value = Tier> {
    prop::sample::select(Tier::ALL.to_vec())
}

fn status() -> impl Strategy<Value = SubscriptionStatus> {
    prop::sample::select(vec![
        SubscriptionStatus::Active,
        SubscriptionStatus::Suspended,
        SubscriptionStatus::Canceled,
    ])
}

fn month() -> impl Strategy<Value = Month> {
    (2024..2030i32, 1..=12u32).prop_map(|(y, m)| Month::new(y, m).unwrap())
}

/// A history of changes from a little before `month` to a little after it, in hours.
fn history_around(month: Month) -> impl Strategy<Value = History> {
    let span_hours = (month.days() as i64 + 20) * 24;
    (
        list_price(),
        prop::collection::vec((0..span_hours, status()), 1..12),
    )
        .prop_map(move |(price, mut steps)| {
            steps.sort_by_key(|(h, _)| *h);
            let origin = month.start() - Duration::days(10);
            history(
                steps
                    .into_iter()
                    .map(|(h, s)| Change {
                        at: origin + Duration::hours(h),
                        status: s,
                        plan: "starter".into(),
                        list_price: price,
                    })
                    .collect(),
            )
        })
}

/// The reference: walk the month hour by hour; a day is active if the client was ACTIVE at
/// any of its instants (changes fall on whole hours here).
fn reference_days(h: &History, month: Month) -> u32 {
    (0..month.days())
        .filter(|d| {
            let day_start = month.start() + Duration::days((*d).into());
            (0..24).any(|hour| h.is_active_at(day_start + Duration::hours(hour)))
        })
        .count() as u32
}

fn month_with_histories(max: usize) -> impl Strategy<Value = (Month, Vec<History>)> {
    month().prop_flat_map(move |m| (Just(m), prop::collection::vec(history_around(m), 1..=max)))
}

proptest! {
    #[test]
    fn statement_total_is_the_sum_of_its_lines_and_no_line_is_negative(
        (month, histories) in month_with_histories(20),
        t in tier(),
    ) {
        let lines: Vec<LineComputation> = histories
            .iter()
            .filter_map(|h| h.line(month, month.end(), t, t.commission_rate()))
            .collect();
        let total = statement_total(&lines);
        let mut sum = Decimal::ZERO;
        for line in &lines {
            prop_assert!(line.amount >= Decimal::ZERO, "negative line {line:?}");
            prop_assert_eq!(line.amount, line.amount.round_dp(2));
            prop_assert!(line.days_active >= 1 && line.days_active <= month.days());
            sum += line.amount;
        }
        prop_assert_eq!(total, sum);
    }

    #[test]
    fn a_client_active_all_month_earns_exactly_rate_times_list_price(
        m in month(),
        t in tier(),
        price in list_price(),
        started_days_before in 0..400i64,
    ) {
        let h = history(vec![Change {
            at: m.start() - Duration::days(started_days_before),
            status: SubscriptionStatus::Active,
            plan: "enterprise".into(),
            list_price: price,
        }]);
        let line = h.line(m, m.end(), t, t.commission_rate()).unwrap();
        prop_assert_eq!(line.days_active, m.days());
        let expected = (price * t.commission_rate())
            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
        prop_assert_eq!(line.amount, expected);
    }

    #[test]
    fn proration_over_any_pattern_of_suspensions_matches_a_day_by_day_reference(
        (m, histories) in month_with_histories(1),
    ) {
        let h = &histories[0];
        let reference = reference_days(h, m);
        prop_assert_eq!(h.days_active(m, m.end()), reference, "{:?}", h.changes);
        let rate = Tier::Silver.commission_rate();
        match h.line(m, m.end(), Tier::Silver, rate) {
            Some(line) => prop_assert_eq!(
                line.amount,
                prorated_commission(line.list_price, reference, m.days(), rate)
            ),
            None => prop_assert_eq!(reference, 0),
        }
    }
}
