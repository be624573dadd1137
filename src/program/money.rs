//! Money typed by people. Money is always `Decimal`, never a float.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Largest custom price accepted per month.
pub const MAX_PRICE: i64 = 1_000_000;

/// Parses money typed by a person: digits with at most two decimal places, no sign, no
/// thousands separators, at most 1,000,000.00.
pub fn parse_price(text: &str) -> Result<Decimal, &'static str> {
    let text = text.trim().trim_start_matches('$');
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err("Enter an amount like 249.00.");
    }
    let price = Decimal::from_str(text).map_err(|_| "Enter an amount like 249.00.")?;
    if price.scale() > 2 {
        return Err("Use at most two decimal places.");
    }
    if price > Decimal::from(MAX_PRICE) {
        return Err("That price is too high.");
    }
    Ok(price)
}
