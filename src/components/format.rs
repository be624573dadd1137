//! How numbers and dates read on the page.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// `1234.5` -> `$1,234.50`. Money is rounded half-even to cents for display only.
pub fn money(amount: Decimal) -> String {
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    let text = format!("{:.2}", rounded.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{sign}${}.{cents}", group_thousands(whole))
}

/// `0.25` -> `25%`.
pub fn percent(rate: Decimal) -> String {
    format!("{}%", (rate * Decimal::ONE_HUNDRED).normalize())
}

/// `12345` -> `12,345`.
pub fn count(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(&n.unsigned_abs().to_string()))
}

/// A bounded count: "1,204" or "more than 10,000".
pub fn total(total: crate::program::Total) -> String {
    match total {
        crate::program::Total::Exact(n) => count(n),
        crate::program::Total::AtLeast(n) => format!("more than {}", count(n)),
    }
}

/// A date as people read it in a table: `21 Nov 2026`.
pub fn date(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y").to_string()
}

/// A calendar day: `30 Nov 2026`.
pub fn day(date: chrono::NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// A moment, to the minute, in UTC: `21 Nov 2026, 14:05 UTC`.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// `name=value` pairs as a query string (without `?`), each value encoded.
pub fn query_string(params: Vec<(&str, String)>) -> String {
    params
        .into_iter()
        .map(|(k, v)| format!("{k}={}", url_encode(&v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Encodes a query-string value (`application/x-www-form-urlencoded`).
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn money_reads_like_money() {
        assert_eq!(money(d("0")), "$0.00");
        assert_eq!(money(d("99")), "$99.00");
        assert_eq!(money(d("1234.5")), "$1,234.50");
        assert_eq!(money(d("1234567.891")), "$1,234,567.89");
        assert_eq!(money(d("-12.5")), "-$12.50");
        // Half-even: 0.125 -> 0.12, 0.135 -> 0.14.
        assert_eq!(money(d("0.125")), "$0.12");
        assert_eq!(money(d("0.135")), "$0.14");
    }

    #[test]
    fn percents_and_counts() {
        assert_eq!(percent(d("0.15")), "15%");
        assert_eq!(percent(d("0.30")), "30%");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(100000), "100,000");
        assert_eq!(count(-1000), "-1,000");
    }

    #[test]
    fn dates_read_like_dates() {
        let at = DateTime::parse_from_rfc3339("2026-11-21T14:05:59Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date(at), "21 Nov 2026");
        assert_eq!(date_time(at), "21 Nov 2026, 14:05 UTC");
    }
}
