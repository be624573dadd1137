//! Calendar months (UTC), the unit of closes, statements and charts.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Days after a month's end before its statement is payable (NET-30).
pub const PAYMENT_TERM_DAYS: i64 = 30;

/// A calendar month (UTC), written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        (1..=12)
            .contains(&month)
            .then_some(Month { year, month })
            .filter(|_| (2000..=9999).contains(&year))
    }

    /// `2026-10` (the form a `<input type="month">` sends).
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        Month::new(year.parse().ok()?, month.parse().ok()?)
    }

    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn containing(at: DateTime<Utc>) -> Month {
        Month::of(at.date_naive())
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("a day before")
    }

    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month `n` months before this one.
    pub fn minus(self, n: u32) -> Month {
        (0..n).fold(self, |m, _| m.previous())
    }

    /// Midnight UTC on the first day.
    pub fn start(self) -> DateTime<Utc> {
        midnight(self.first_day())
    }

    /// The last instant of the month (timestamps are kept to the microsecond): the state at
    /// a month's close.
    pub fn close_instant(self) -> DateTime<Utc> {
        self.end() - Duration::microseconds(1)
    }

    /// Midnight UTC on the first day of the next month (exclusive end).
    pub fn end(self) -> DateTime<Utc> {
        self.next().start()
    }

    /// The day a closed statement for this month becomes payable: NET-30 after month end.
    pub fn payable_on(self) -> NaiveDate {
        self.last_day() + Duration::days(PAYMENT_TERM_DAYS)
    }

    /// "October 2026".
    pub fn label(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }

    /// "Oct 2026", for chart axes.
    pub fn short_label(self) -> String {
        self.first_day().format("%b %Y").to_string()
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
}
