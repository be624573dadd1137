//! Partner applications: what an applicant submits, how it is checked, and the review
//! state machine (DESIGN.md section 2). Pure data and functions, shared with the browser.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::program::{PartnershipType, Tier};
use crate::{
    error::FieldErrors,
    program::{Email, HttpsUrl, Phone},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "application_status", rename_all = "lowercase")
)]
pub enum ApplicationStatus {
    Pending,
    Reviewing,
    Approved,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 4] = [
        Self::Pending,
        Self::Reviewing,
        Self::Approved,
        Self::Rejected,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Reviewing => "In review",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Reviewing => "reviewing",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Reviewing)
    }

    /// PENDING -> REVIEWING -> APPROVED | REJECTED, PENDING straight to a decision, and a
    /// decision back to REVIEWING only by an explicit reopen.
    pub fn can_move_to(self, to: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, to),
            (Pending, Reviewing | Approved | Rejected)
                | (Reviewing, Approved | Rejected)
                | (Approved | Rejected, Reviewing)
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "company_size"))]
pub enum CompanySize {
    #[cfg_attr(feature = "ssr", sqlx(rename = "1-10"))]
    S1To10,
    #[cfg_attr(feature = "ssr", sqlx(rename = "11-50"))]
    S11To50,
    #[cfg_attr(feature = "ssr", sqlx(rename = "51-200"))]
    S51To200,
    #[cfg_attr(feature = "ssr", sqlx(rename = "201-500"))]
    S201To500,
    #[cfg_attr(feature = "ssr", sqlx(rename = "501+"))]
    S501Plus,
}

impl CompanySize {
    pub const ALL: [CompanySize; 5] = [
        Self::S1To10,
        Self::S11To50,
        Self::S51To200,
        Self::S201To500,
        Self::S501Plus,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::S1To10 => "1-10",
            Self::S11To50 => "11-50",
            Self::S51To200 => "51-200",
            Self::S201To500 => "201-500",
            Self::S501Plus => "501+",
        }
    }

    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.label() == label)
    }
}

/// The application form exactly as submitted: every field is text, so that nothing the
/// applicant typed is lost when something is wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationInput {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub website: String,
    pub partnership_type: String,
    pub company_size: String,
    pub industry: String,
    pub current_solutions: String,
    pub target_market: String,
    pub motivation: String,
    pub additional_info: String,
}

/// A checked application, ready to store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApplication {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    pub partnership_type: PartnershipType,
    pub company_size: CompanySize,
    pub industry: String,
    pub current_solutions: Option<String>,
    pub target_market: Option<String>,
    pub motivation: String,
    pub additional_info: Option<String>,
}

/// Length limits, in characters, shown in the form and enforced by the server.
pub mod limits {
    pub const NAME: usize = 200;
    pub const EMAIL: usize = crate::program::contact::EMAIL_MAX_CHARS;
    pub const PHONE: usize = 40;
    pub const WEBSITE: usize = 300;
    pub const INDUSTRY: usize = 100;
    pub const SHORT_TEXT: usize = 2000;
    pub const LONG_TEXT: usize = 4000;
    pub const MOTIVATION_MIN: usize = 20;
}

/// The form's field names, in order, for keeping what was typed.
pub const FIELDS: [&str; 12] = [
    "company_name",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "partnership_type",
    "company_size",
    "industry",
    "current_solutions",
    "target_market",
    "motivation",
    "additional_info",
];

impl ApplicationInput {
    pub fn get(&self, field: &str) -> &str {
        match field {
            "company_name" => &self.company_name,
            "contact_name" => &self.contact_name,
            "contact_email" => &self.contact_email,
            "contact_phone" => &self.contact_phone,
            "website" => &self.website,
            "partnership_type" => &self.partnership_type,
            "company_size" => &self.company_size,
            "industry" => &self.industry,
            "current_solutions" => &self.current_solutions,
            "target_market" => &self.target_market,
            "motivation" => &self.motivation,
            "additional_info" => &self.additional_info,
            _ => "",
        }
    }

    /// Sets `field` to `value` (for the form's live checks).
    pub fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "company_name" => &mut self.company_name,
            "contact_name" => &mut self.contact_name,
            "contact_email" => &mut self.contact_email,
            "contact_phone" => &mut self.contact_phone,
            "website" => &mut self.website,
            "partnership_type" => &mut self.partnership_type,
            "company_size" => &mut self.company_size,
            "industry" => &mut self.industry,
            "current_solutions" => &mut self.current_solutions,
            "target_market" => &mut self.target_market,
            "motivation" => &mut self.motivation,
            "additional_info" => &mut self.additional_info,
            _ => return,
        };
        *slot = value;
    }

    /// Checks every field and returns the clean application, or every problem at once with
    /// the input kept.
    pub fn validate(&self) -> Result<NewApplication, FieldErrors> {
        let mut errors = FieldErrors::new();
        let company_name = required(
            &mut errors,
            "company_name",
            &self.company_name,
            limits::NAME,
            "your company's name",
        );
        let contact_name = required(
            &mut errors,
            "contact_name",
            &self.contact_name,
            limits::NAME,
            "a contact name",
        );
        let contact_email = self.contact_email.trim().to_lowercase();
        if let Err(message) = Email::parse(&contact_email) {
            errors.add("contact_email", message);
        }
        let contact_phone = optional(
            &mut errors,
            "contact_phone",
            &self.contact_phone,
            limits::PHONE,
        );
        if let Some(phone) = &contact_phone {
            if let Err(message) = Phone::parse(phone) {
                errors.add("contact_phone", message);
            }
        }
        let website = optional(&mut errors, "website", &self.website, limits::WEBSITE);
        if let Some(site) = &website {
            if let Err(message) = HttpsUrl::parse(site) {
                errors.add("website", message);
            }
        }
        let partnership_type = PartnershipType::from_slug(self.partnership_type.trim());
        if partnership_type.is_none() {
            errors.add("partnership_type", "Choose a partnership type.");
        }
        let company_size = CompanySize::from_label(self.company_size.trim());
        if company_size.is_none() {
            errors.add("company_size", "Choose your company's size.");
        }
        let industry = required(
            &mut errors,
            "industry",
            &self.industry,
            limits::INDUSTRY,
            "your industry",
        );
        let current_solutions = optional(
            &mut errors,
            "current_solutions",
            &self.current_solutions,
            limits::SHORT_TEXT,
        );
        let target_market = optional(
            &mut errors,
            "target_market",
            &self.target_market,
            limits::SHORT_TEXT,
        );
        let motivation = required(
            &mut errors,
            "motivation",
            &self.motivation,
            limits::LONG_TEXT,
            "why you want to partner with us",
        );
        if !motivation.is_empty() && motivation.chars().count() < limits::MOTIVATION_MIN {
            errors.add(
                "motivation",
                format!(
                    "Tell us a little more (at least {} characters).",
                    limits::MOTIVATION_MIN
                ),
            );
        }
        let additional_info = optional(
            &mut errors,
            "additional_info",
            &self.additional_info,
            limits::LONG_TEXT,
        );

        match (errors.is_empty(), partnership_type, company_size) {
            (true, Some(partnership_type), Some(company_size)) => Ok(NewApplication {
                company_name,
                contact_name,
                contact_email,
                contact_phone,
                website,
                partnership_type,
                company_size,
                industry,
                current_solutions,
                target_market,
                motivation,
                additional_info,
            }),
            _ => Err(self.keep_all(errors)),
        }
    }

    /// Adds every field's value to `errors`, so that the form comes back as it was sent.
    pub fn keep_all(&self, errors: FieldErrors) -> FieldErrors {
        FIELDS
            .iter()
            .fold(errors, |errors, field| errors.keep(field, self.get(field)))
    }
}

fn required(errors: &mut FieldErrors, field: &str, value: &str, max: usize, what: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, format!("Enter {what}."));
    } else if value.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
    value.to_string()
}

fn optional(errors: &mut FieldErrors, field: &str, value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > max {
        errors.add(field, format!("Use at most {max} characters."));
    }
    (!value.is_empty()).then(|| value.to_string())
}

/// One row of the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: Uuid,
    pub reference: String,
    pub company_name: String,
    pub contact_email: String,
    pub partnership_type: PartnershipType,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    /// Whole days since submission, computed by the server (so that both renderings agree).
    pub age_days: i64,
}

/// Everything about one application, for its detail page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub id: Uuid,
    pub reference: String,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub website: Option<String>,
    pub partnership_type: PartnershipType,
    pub company_size: CompanySize,
    pub industry: String,
    pub current_solutions: Option<String>,
    pub target_market: Option<String>,
    pub motivation: String,
    pub additional_info: Option<String>,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub partner_id: Option<Uuid>,
    pub notes: Vec<ApplicationNote>,
    pub history: Vec<StatusChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationNote {
    pub id: Uuid,
    pub author: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from_status: Option<ApplicationStatus>,
    pub to_status: ApplicationStatus,
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// The decision an admin takes on an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    StartReview,
    Approve(Tier),
    Reject,
    Reopen,
}

impl Decision {
    pub fn target(self) -> ApplicationStatus {
        match self {
            Decision::StartReview | Decision::Reopen => ApplicationStatus::Reviewing,
            Decision::Approve(_) => ApplicationStatus::Approved,
            Decision::Reject => ApplicationStatus::Rejected,
        }
    }
}

/// A decision on an application: what to do (`start_review`, `approve`, `reject`, `reopen`), the tier
/// an approval grants, and the reason a rejection or reopening gives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    pub id: Uuid,
    pub action: String,
    pub tier: Option<String>,
    pub reason: Option<String>,
}

/// An internal note on an application.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoteInput {
    pub id: Uuid,
    pub body: String,
}

#[cfg(test)]
mod tests;
