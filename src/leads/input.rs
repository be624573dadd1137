//! What an admin types for a lead (the form, or one row of a CSV file), and what a partner
//! answers: checked field by field, with what was typed kept.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    deals::domain::Domain,
    error::FieldErrors,
    governance::profile::{is_country, INDUSTRIES},
    program::Email,
};

const TEXT_MAX: usize = 200;
const NOTES_MAX: usize = 2000;
const SEATS_MAX: i64 = 100_000;
const REASON_MAX: usize = 500;

/// A lead as typed: text, so that nothing is lost on an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadInput {
    pub company_name: String,
    pub domain: String,
    pub contact_name: String,
    pub contact_email: String,
    pub country: String,
    pub industry: String,
    pub seats: String,
    pub notes: String,
}

/// A checked lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewLead {
    pub company_name: String,
    pub domain: Domain,
    pub contact_name: String,
    pub contact_email: Email,
    pub country: String,
    pub industry: String,
    pub seats: i32,
    pub notes: String,
}

impl LeadInput {
    /// The fields, in the order of the form and of a CSV file's columns.
    pub const FIELDS: [&'static str; 8] = [
        "company_name",
        "domain",
        "contact_name",
        "contact_email",
        "country",
        "industry",
        "seats",
        "notes",
    ];

    pub fn get(&self, field: &str) -> &str {
        match field {
            "company_name" => &self.company_name,
            "domain" => &self.domain,
            "contact_name" => &self.contact_name,
            "contact_email" => &self.contact_email,
            "country" => &self.country,
            "industry" => &self.industry,
            "seats" => &self.seats,
            "notes" => &self.notes,
            _ => "",
        }
    }

    pub fn set(&mut self, field: &str, value: String) {
        match field {
            "company_name" => self.company_name = value,
            "domain" => self.domain = value,
            "contact_name" => self.contact_name = value,
            "contact_email" => self.contact_email = value,
            "country" => self.country = value,
            "industry" => self.industry = value,
            "seats" => self.seats = value,
            "notes" => self.notes = value,
            _ => {}
        }
    }

    /// Checks every field: the industry by slug or label, the country as an ISO code.
    pub fn validate(&self) -> Result<NewLead, FieldErrors> {
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
        let company_name = text("company_name", "the company's name");
        let contact_name = text("contact_name", "the contact's name");
        let domain = Domain::parse(&self.domain).map_err(|m| errors.add("domain", m));
        let contact_email = Email::parse(&self.contact_email.trim().to_lowercase())
            .map_err(|m| errors.add("contact_email", m));
        let country = self.country.trim().to_uppercase();
        if !is_country(&country) {
            errors.add(
                "country",
                "Enter the country as a two-letter ISO code, such as US, DE or GB.",
            );
        }
        let typed = self.industry.trim();
        let industry = INDUSTRIES
            .iter()
            .find(|(slug, label)| *slug == typed || label.eq_ignore_ascii_case(typed))
            .map(|(slug, _)| slug.to_string());
        if industry.is_none() {
            errors.add("industry", "Choose an industry from the list.");
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
        let notes = self.notes.trim().to_string();
        if notes.chars().count() > NOTES_MAX {
            errors.add(
                "notes",
                format!("Keep the notes to {NOTES_MAX} characters."),
            );
        }
        match (domain, contact_email, industry) {
            (Ok(domain), Ok(contact_email), Some(industry)) if errors.is_empty() => Ok(NewLead {
                company_name,
                domain,
                contact_name,
                contact_email,
                country,
                industry,
                seats,
                notes,
            }),
            _ => Err(Self::FIELDS
                .into_iter()
                .fold(errors, |errors, field| errors.keep(field, self.get(field)))),
        }
    }
}

/// A partner's acceptance of a lead: what a registration needs that the lead does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceptInput {
    pub lead_id: Uuid,
    pub plan: String,
    pub monthly_value: String,
    pub expected_close: String,
}

/// A partner's refusal of a lead, with its reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeclineInput {
    pub lead_id: Uuid,
    pub reason: String,
}

impl DeclineInput {
    /// The reason, trimmed, or its message.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        reason(
            &self.reason,
            "Say why you decline it: the program team reads it.",
        )
    }
}

/// An admin's hand-off of a lead: to one of the partners the rules put first (by id), or to
/// any other active partner (by its slug); with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReassignInput {
    pub lead_id: Uuid,
    pub partner_id: String,
    pub partner_slug: String,
    pub reason: String,
}

/// The partner an admin chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Id(Uuid),
    Slug(String),
}

impl ReassignInput {
    /// The partner chosen and the reason, or the messages.
    pub fn validate(&self) -> Result<(Choice, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let slug = self.partner_slug.trim().to_lowercase();
        let choice = match (self.partner_id.trim(), slug.is_empty()) {
            ("", true) => {
                errors.add(
                    "partner_id",
                    "Choose a partner, or name another by its slug.",
                );
                None
            }
            ("", false) => Some(Choice::Slug(slug)),
            (id, _) => match Uuid::parse_str(id) {
                Ok(id) => Some(Choice::Id(id)),
                Err(_) => {
                    errors.add("partner_id", "Choose a partner from the list.");
                    None
                }
            },
        };
        let reason = match reason(&self.reason, "Say why the lead moves.") {
            Ok(reason) => reason,
            Err(e) => {
                errors.fields.extend(e.fields);
                String::new()
            }
        };
        match choice {
            Some(choice) if errors.is_empty() => Ok((choice, reason)),
            _ => Err(errors
                .keep("reason", self.reason.clone())
                .keep("partner_slug", self.partner_slug.clone())),
        }
    }
}

fn reason(text: &str, missing: &str) -> Result<String, FieldErrors> {
    let reason = text.trim();
    if reason.chars().count() < 3 {
        Err(FieldErrors::field("reason", missing).keep("reason", text))
    } else if reason.chars().count() > REASON_MAX {
        Err(
            FieldErrors::field("reason", format!("Use at most {REASON_MAX} characters."))
                .keep("reason", text),
        )
    } else {
        Ok(reason.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> LeadInput {
        LeadInput {
            company_name: "Adatum Robotics".into(),
            domain: "https://www.adatum.example/".into(),
            contact_name: "Ana Ruiz".into(),
            contact_email: "Ana@Adatum.example".into(),
            country: "de".into(),
            industry: "Manufacturing".into(),
            seats: "40".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_good_lead_is_normalised() {
        let lead = good().validate().unwrap();
        assert_eq!(lead.domain.as_str(), "adatum.example");
        assert_eq!(lead.country, "DE");
        assert_eq!(lead.industry, "manufacturing");
        assert_eq!(lead.contact_email.as_str(), "ana@adatum.example");
        assert_eq!(lead.seats, 40);
    }

    #[test]
    fn each_bad_field_is_named_and_what_was_typed_is_kept() {
        let cases = [
            ("company_name", ""),
            ("domain", "gmail.com"),
            ("contact_email", "not an address"),
            ("country", "XX"),
            ("industry", "astrology"),
            ("seats", "0"),
            ("seats", "ten"),
        ];
        for (field, value) in cases {
            let mut input = good();
            input.set(field, value.to_string());
            let errors = input.validate().unwrap_err();
            assert!(errors.message(field).is_some(), "{field} = {value:?}");
            assert_eq!(errors.fields.len(), 1, "{field} = {value:?}");
            assert_eq!(errors.kept(field), Some(value));
            assert_eq!(
                errors.kept("company_name"),
                Some(input.company_name.as_str())
            );
        }
    }

    #[test]
    fn a_decline_and_a_hand_off_need_a_reason() {
        let decline = DeclineInput {
            lead_id: Uuid::nil(),
            reason: " no ".into(),
        };
        assert!(decline.validate().unwrap_err().message("reason").is_some());
        let hand_off = ReassignInput {
            lead_id: Uuid::nil(),
            partner_id: "nobody".into(),
            ..ReassignInput::default()
        };
        let errors = hand_off.validate().unwrap_err();
        assert!(errors.message("partner_id").is_some());
        assert!(errors.message("reason").is_some());
        let unnamed = ReassignInput {
            partner_id: String::new(),
            reason: "Their rep is on leave".into(),
            ..hand_off.clone()
        };
        assert!(unnamed
            .validate()
            .unwrap_err()
            .message("partner_id")
            .is_some());
        let by_slug = ReassignInput {
            partner_slug: " Litware ".into(),
            ..unnamed
        };
        assert_eq!(
            by_slug.validate().unwrap(),
            (
                Choice::Slug("litware".into()),
                "Their rep is on leave".to_string()
            )
        );
    }
}
