//! Deal registrations as partners and admins see them, what a registration asks for, and
//! how the conflict check answers: never with another partner's name.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::domain::Domain;
use crate::{
    error::FieldErrors,
    program::{Email, PageLinks},
};

/// Deals per page of a partner's list, and of the admins' queue.
pub const DEALS_PAGE: i64 = 25;
pub const QUEUE_PAGE: i64 = 20;
/// Extension requests shown to admins at once, oldest first (each asks for an answer).
pub const REQUESTS_SHOWN: i64 = 50;
/// The furthest ahead a close date may be.
pub const CLOSE_WITHIN_DAYS: i64 = 730;
const TEXT_MAX: usize = 200;
const NOTES_MAX: usize = 2000;
const SEATS_MAX: i64 = 100_000;
const VALUE_MAX: i64 = 10_000_000;

/// Where a registration stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DealStatus {
    Pending,
    Approved,
    Denied,
    Expired,
    Won,
    Lost,
}

impl DealStatus {
    pub const ALL: [DealStatus; 6] = [
        DealStatus::Pending,
        DealStatus::Approved,
        DealStatus::Denied,
        DealStatus::Expired,
        DealStatus::Won,
        DealStatus::Lost,
    ];

    /// The name stored in the database.
    pub const fn slug(self) -> &'static str {
        match self {
            DealStatus::Pending => "pending",
            DealStatus::Approved => "approved",
            DealStatus::Denied => "denied",
            DealStatus::Expired => "expired",
            DealStatus::Won => "won",
            DealStatus::Lost => "lost",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            DealStatus::Pending => "Under review",
            DealStatus::Approved => "Protected",
            DealStatus::Denied => "Denied",
            DealStatus::Expired => "Protection ended",
            DealStatus::Won => "Won",
            DealStatus::Lost => "Lost",
        }
    }

    pub fn from_slug(slug: &str) -> Option<DealStatus> {
        DealStatus::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// One registration in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealRow {
    pub id: Uuid,
    pub company_name: String,
    pub domain: String,
    pub contact_name: String,
    pub contact_email: String,
    pub country: String,
    pub plan: String,
    pub seats: i32,
    pub monthly_value: Decimal,
    pub expected_close: NaiveDate,
    pub notes: String,
    pub status: DealStatus,
    pub registered_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub protected_until: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
    /// The client a won deal became.
    pub client_id: Option<Uuid>,
    /// A request for more protection, waiting for an admin.
    pub extension_requested_at: Option<DateTime<Utc>>,
    pub extension_reason: Option<String>,
}

/// `/partner/deals`: a page of the partner's registrations, newest first, and what the
/// registration form needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealsPage {
    pub deals: Vec<DealRow>,
    pub links: PageLinks,
    /// Whether the caller may register deals (owners, managers, sales).
    pub can_register: bool,
    /// The plans a deal may expect, by code.
    pub plans: Vec<(String, String)>,
}

/// The registration form as submitted: text, so that nothing typed is lost on an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DealInput {
    pub company_name: String,
    pub domain: String,
    pub contact_name: String,
    pub contact_email: String,
    pub country: String,
    pub plan: String,
    pub seats: String,
    pub monthly_value: String,
    pub expected_close: String,
    pub notes: String,
}

/// A checked registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeal {
    pub company_name: String,
    pub domain: Domain,
    pub contact_name: String,
    pub contact_email: Email,
    pub country: String,
    pub plan: String,
    pub seats: i32,
    pub monthly_value: Decimal,
    pub expected_close: NaiveDate,
    pub notes: String,
}

impl DealInput {
    const FIELDS: [&'static str; 10] = [
        "company_name",
        "domain",
        "contact_name",
        "contact_email",
        "country",
        "plan",
        "seats",
        "monthly_value",
        "expected_close",
        "notes",
    ];

    fn get(&self, field: &str) -> &str {
        match field {
            "company_name" => &self.company_name,
            "domain" => &self.domain,
            "contact_name" => &self.contact_name,
            "contact_email" => &self.contact_email,
            "country" => &self.country,
            "plan" => &self.plan,
            "seats" => &self.seats,
            "monthly_value" => &self.monthly_value,
            "expected_close" => &self.expected_close,
            "notes" => &self.notes,
            _ => "",
        }
    }

    /// Checks every field; `plans` are the plan codes that exist, `today` the server's date.
    pub fn validate(&self, plans: &[String], today: NaiveDate) -> Result<NewDeal, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |field: &str, what: &str| {
            let value = self.get(field).trim().to_string();
            if value.chars().count() < 2 {
                errors.add(field, format!("Enter {what}."));
            } else if value.chars().count() > TEXT_MAX {
                errors.add(field, format!("Use at most {TEXT_MAX} characters."));
            }
            value
        };
        let company_name = text("company_name", "the prospect's company name");
        let contact_name = text("contact_name", "the name of your contact there");
        let domain = Domain::parse(&self.domain).map_err(|m| errors.add("domain", m));
        let contact_email = Email::parse(&self.contact_email.trim().to_lowercase())
            .map_err(|m| errors.add("contact_email", m));
        let country = self.country.trim().to_uppercase();
        if !crate::governance::profile::is_country(&country) {
            errors.add(
                "country",
                "Enter the country as a two-letter ISO code, such as US, DE or GB.",
            );
        }
        let plan = self.plan.trim().to_string();
        if !plans.contains(&plan) {
            errors.add("plan", "Choose the plan the prospect is expected to buy.");
        }
        let seats = match self.seats.trim().parse::<i64>() {
            Ok(n) if (1..=SEATS_MAX).contains(&n) => n as i32,
            _ => {
                errors.add(
                    "seats",
                    format!("Enter a whole number of seats from 1 to {SEATS_MAX}."),
                );
                0
            }
        };
        let monthly_value = match crate::program::parse_price(&self.monthly_value) {
            Ok(value) if value <= Decimal::from(VALUE_MAX) => value,
            Ok(_) => {
                errors.add("monthly_value", "That value is too high.");
                Decimal::ZERO
            }
            Err(message) => {
                errors.add("monthly_value", message);
                Decimal::ZERO
            }
        };
        let latest = today + TimeDelta::days(CLOSE_WITHIN_DAYS);
        let expected_close = match NaiveDate::parse_from_str(self.expected_close.trim(), "%Y-%m-%d")
        {
            Ok(day) if day < today => {
                errors.add(
                    "expected_close",
                    "The close date has passed: choose a later one.",
                );
                day
            }
            Ok(day) if day > latest => {
                errors.add("expected_close", "Choose a close date within two years.");
                day
            }
            Ok(day) => day,
            Err(_) => {
                errors.add("expected_close", "Enter a date, such as 2027-03-31.");
                today
            }
        };
        let notes = self.notes.trim().to_string();
        if notes.chars().count() > NOTES_MAX {
            errors.add(
                "notes",
                format!("Keep the notes to {NOTES_MAX} characters."),
            );
        }
        match (domain, contact_email) {
            (Ok(domain), Ok(contact_email)) if errors.is_empty() => Ok(NewDeal {
                company_name,
                domain,
                contact_name,
                contact_email,
                country,
                plan,
                seats,
                monthly_value,
                expected_close,
                notes,
            }),
            _ => Err(self.keep_all(errors)),
        }
    }

    pub fn keep_all(&self, errors: FieldErrors) -> FieldErrors {
        Self::FIELDS
            .into_iter()
            .fold(errors, |errors, field| errors.keep(field, self.get(field)))
    }
}

/// What the partner has typed so far, for the conflict check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckInput {
    pub company_name: String,
    pub domain: String,
}

/// What kind of record a prospect matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictKind {
    Deal,
    Client,
}

/// One match, as the asking partner may know it: never whose it is, unless its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub own: bool,
    /// Matched on the domain (else on a nearly identical company name).
    pub same_domain: bool,
    pub status: String,
    pub since: DateTime<Utc>,
    pub protected_until: Option<DateTime<Utc>>,
}

impl Conflict {
    /// The sentence the form shows.
    pub fn sentence(&self) -> String {
        let on = if self.same_domain {
            "the same domain"
        } else {
            "a nearly identical company name"
        };
        let date = |at: DateTime<Utc>| at.format("%Y-%m-%d").to_string();
        match (self.kind, self.own, self.protected_until) {
            (ConflictKind::Deal, true, _) => format!(
                "Your team registered a deal with {on} on {}.",
                date(self.since)
            ),
            (ConflictKind::Deal, false, Some(until)) => {
                format!("Already protected until {} ({on}).", date(until))
            }
            (ConflictKind::Deal, false, None) => format!(
                "Another registration with {on} is under review since {}.",
                date(self.since)
            ),
            (ConflictKind::Client, true, _) => format!("Already one of your clients ({on})."),
            (ConflictKind::Client, false, _) => {
                format!("Already a customer of the program ({on}).")
            }
        }
    }
}

/// The conflict check's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Availability {
    /// Too little typed to check.
    NotChecked,
    Available,
    Taken(Vec<Conflict>),
}

/// `/admin/deals`: registrations waiting for a decision, oldest first, each with the
/// registrations and clients like it, named, side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub deals: Vec<QueuedDeal>,
    pub links: PageLinks,
    /// Protected deals whose partner asks for more time, oldest request first.
    pub extension_requests: Vec<QueuedDeal>,
    /// The plans a direct purchase may be of, by code.
    pub plans: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedDeal {
    pub partner_id: Uuid,
    pub partner_name: String,
    pub deal: DealRow,
    pub similar: Vec<Similar>,
}

/// A registration or client like a queued one, as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Similar {
    pub kind: ConflictKind,
    pub partner_name: String,
    pub company_name: String,
    pub domain: String,
    pub status: String,
    pub since: DateTime<Utc>,
    pub protected_until: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DealInput {
        DealInput {
            company_name: "Acme Labs".into(),
            domain: "https://www.acme-labs.com".into(),
            contact_name: "Ada Buyer".into(),
            contact_email: "Ada@Acme-Labs.com".into(),
            country: "de".into(),
            plan: "professional".into(),
            seats: "40".into(),
            monthly_value: "1200.50".into(),
            expected_close: "2027-02-01".into(),
            notes: "".into(),
        }
    }

    fn plans() -> Vec<String> {
        vec!["starter".into(), "professional".into()]
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn a_good_registration_is_normalised() {
        let deal = input().validate(&plans(), today()).unwrap();
        assert_eq!(deal.domain.as_str(), "acme-labs.com");
        assert_eq!(deal.contact_email.as_str(), "ada@acme-labs.com");
        assert_eq!(deal.country, "DE");
        assert_eq!(deal.seats, 40);
        assert_eq!(deal.monthly_value, Decimal::new(120050, 2));
    }

    #[test]
    fn each_bad_field_gets_its_message_and_everything_typed_is_kept() {
        let bad = DealInput {
            company_name: " ".into(),
            domain: "gmail.com".into(),
            contact_email: "nobody".into(),
            country: "XX".into(),
            plan: "enterprise-max".into(),
            seats: "0".into(),
            monthly_value: "12.345".into(),
            expected_close: "2026-11-30".into(),
            notes: "n".repeat(2001),
            ..input()
        };
        let errors = bad.validate(&plans(), today()).unwrap_err();
        for field in DealInput::FIELDS
            .into_iter()
            .filter(|f| *f != "contact_name")
        {
            assert!(errors.message(field).is_some(), "{field}");
        }
        assert!(errors.message("contact_name").is_none());
        assert_eq!(errors.kept("domain"), Some("gmail.com"));
        assert_eq!(errors.kept("seats"), Some("0"));
        let far = DealInput {
            expected_close: "2029-01-01".into(),
            ..input()
        };
        let errors = far.validate(&plans(), today()).unwrap_err();
        assert!(errors
            .message("expected_close")
            .unwrap()
            .contains("two years"));
    }

    #[test]
    fn a_conflict_never_names_another_partner_and_says_until_when() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let theirs = Conflict {
            kind: ConflictKind::Deal,
            own: false,
            same_domain: true,
            status: "approved".into(),
            since: at("2026-10-01T09:00:00Z"),
            protected_until: Some(at("2026-12-30T09:00:00Z")),
        };
        assert_eq!(
            theirs.sentence(),
            "Already protected until 2026-12-30 (the same domain)."
        );
        let client = Conflict {
            kind: ConflictKind::Client,
            same_domain: false,
            protected_until: None,
            ..theirs.clone()
        };
        assert!(client.sentence().contains("customer of the program"));
        let ours = Conflict {
            own: true,
            ..theirs
        };
        assert!(ours.sentence().starts_with("Your team"));
    }
}
