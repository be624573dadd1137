//! An admin's view of one partner, and the admins' changes to it: each carries a reason,
//! which the audit log keeps and the partner's timeline shows.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    auth::model::{PartnerStatus, Role},
    error::FieldErrors,
    program::{PartnershipType, Tier},
};

/// Longest reason kept.
pub const MAX_REASON: usize = 500;

/// One partner as admins govern it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerDetail {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub partnership_type: String,
    pub created_at: DateTime<Utc>,
    pub status: PartnerStatus,
    pub status_reason: Option<String>,
    pub tier: Tier,
    pub tier_pinned: bool,
    pub tier_pinned_until: Option<NaiveDate>,
    /// What the monthly close would give it from its active clients today.
    pub computed_tier: Tier,
    pub client_management: bool,
    /// `None`: as the tier says (on from Gold up).
    pub white_label: Option<bool>,
    pub custom_css: bool,
    pub active_clients: i64,
    /// Clients that count against the cap (not canceled).
    pub open_clients: i64,
    pub mrr: Decimal,
    pub member_count: i64,
    pub members: Vec<MemberLine>,
    pub statements: Vec<StatementLine>,
    pub payouts: Vec<PayoutLine>,
    /// The admins' changes and the closes' tier changes, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// From the application the partner came from, if it applied.
    pub application: Option<ApplicationFacts>,
    pub profile: super::profile::Profile,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberLine {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub joined: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub month: NaiveDate,
    pub tier: Tier,
    pub total: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutLine {
    pub due_on: NaiveDate,
    pub amount: Decimal,
    pub paid_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub action: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFacts {
    pub reference: String,
    pub industry: String,
    pub company_size: String,
    pub target_market: Option<String>,
    pub website: Option<String>,
}

/// A change of standing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusChange {
    Freeze,
    Suspend,
    Reactivate,
}

impl StatusChange {
    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "freeze" => Some(Self::Freeze),
            "suspend" => Some(Self::Suspend),
            "reactivate" => Some(Self::Reactivate),
            _ => None,
        }
    }

    /// The status it leads to.
    pub fn status(self) -> PartnerStatus {
        match self {
            Self::Freeze => PartnerStatus::Frozen,
            Self::Suspend => PartnerStatus::Suspended,
            Self::Reactivate => PartnerStatus::Active,
        }
    }
}

/// A reason, trimmed: required, and at most [`MAX_REASON`] characters.
pub(super) fn reason(text: &str, errors: &mut FieldErrors) -> String {
    let reason = text.trim().to_string();
    if reason.is_empty() {
        errors.add(
            "reason",
            "Give a reason: the partner's timeline and the audit log keep it.",
        );
    } else if reason.chars().count() > MAX_REASON {
        errors.add(
            "reason",
            format!("Keep the reason under {MAX_REASON} characters."),
        );
    }
    reason
}

/// An admin's new partner, made without an application: its owner is invited by e-mail.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPartnerInput {
    pub name: String,
    pub partnership_type: String,
    pub tier: String,
    pub owner_email: String,
    pub reason: String,
}

/// A checked [`NewPartnerInput`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPartner {
    pub name: String,
    pub partnership_type: PartnershipType,
    pub tier: Tier,
    pub owner_email: String,
    pub reason: String,
}

/// Longest partner name (the database allows no more).
pub const MAX_PARTNER_NAME: usize = 200;

impl NewPartnerInput {
    /// The new partner, or each field's message with what was typed kept.
    pub fn validate(&self) -> Result<NewPartner, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.add("name", "Enter the partner's company name.");
        } else if name.chars().count() > MAX_PARTNER_NAME {
            errors.add(
                "name",
                format!("Use at most {MAX_PARTNER_NAME} characters."),
            );
        }
        let partnership_type = PartnershipType::from_slug(self.partnership_type.trim());
        if partnership_type.is_none() {
            errors.add(
                "partnership_type",
                "Choose reseller, referral or technology.",
            );
        }
        let tier = Tier::from_slug(self.tier.trim());
        if tier.is_none() {
            errors.add("tier", "Choose a tier.");
        }
        let owner_email = self.owner_email.trim().to_lowercase();
        if let Err(message) = crate::program::Email::parse(&owner_email) {
            errors.add("owner_email", message);
        }
        let reason = reason(&self.reason, &mut errors);
        match (partnership_type, tier) {
            (Some(partnership_type), Some(tier)) if errors.is_empty() => Ok(NewPartner {
                name,
                partnership_type,
                tier,
                owner_email,
                reason,
            }),
            _ => Err(self.keep_typed(errors)),
        }
    }

    /// `errors` with everything typed kept, for the form to show again.
    pub fn keep_typed(&self, errors: FieldErrors) -> FieldErrors {
        errors
            .keep("name", self.name.clone())
            .keep("partnership_type", self.partnership_type.clone())
            .keep("tier", self.tier.clone())
            .keep("owner_email", self.owner_email.clone())
            .keep("reason", self.reason.clone())
    }
}

/// Freezing, suspending or reactivating a partner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusInput {
    pub partner_id: Uuid,
    pub change: String,
    pub reason: String,
}

impl StatusInput {
    pub fn validate(&self) -> Result<(StatusChange, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let change = StatusChange::from_slug(&self.change);
        if change.is_none() {
            errors.add("change", "Choose freeze, suspend or reactivate.");
        }
        let reason = reason(&self.reason, &mut errors);
        match change {
            Some(change) if errors.is_empty() => Ok((change, reason)),
            _ => Err(errors.keep("reason", self.reason.clone())),
        }
    }
}

/// Pinning a partner's tier (until a day, or for good), or unpinning it (`tier` empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierInput {
    pub partner_id: Uuid,
    pub tier: String,
    pub until: String,
    pub reason: String,
}

/// What a tier form asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierChange {
    Pin {
        tier: Tier,
        until: Option<NaiveDate>,
    },
    Unpin,
}

impl TierInput {
    /// Checked against `today` (an end date must lie ahead).
    pub fn validate(&self, today: NaiveDate) -> Result<(TierChange, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let change = match self.tier.trim() {
            "" => Some(TierChange::Unpin),
            slug => match Tier::from_slug(slug) {
                None => {
                    errors.add("tier", "Choose a tier.");
                    None
                }
                Some(tier) => {
                    let until = match self.until.trim() {
                        "" => None,
                        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                            Ok(day) if day > today => Some(day),
                            Ok(_) => {
                                errors.add("until", "The end date must be after today.");
                                None
                            }
                            Err(_) => {
                                errors.add("until", "Enter the end date as YYYY-MM-DD.");
                                None
                            }
                        },
                    };
                    Some(TierChange::Pin { tier, until })
                }
            },
        };
        let reason = reason(&self.reason, &mut errors);
        match change {
            Some(change) if errors.is_empty() => Ok((change, reason)),
            _ => Err(errors
                .keep("reason", self.reason.clone())
                .keep("until", self.until.clone())),
        }
    }
}

/// The admins' switches for one partner.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwitchesInput {
    pub partner_id: Uuid,
    /// A ticked box sends `on`.
    pub client_management: Option<String>,
    /// `tier` (as the tier says), `on` or `off`.
    pub white_label: String,
    pub custom_css: Option<String>,
    pub reason: String,
}

/// The switches a form sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switches {
    pub client_management: bool,
    pub white_label: Option<bool>,
    pub custom_css: bool,
}

impl SwitchesInput {
    pub fn validate(&self) -> Result<(Switches, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let white_label = match self.white_label.as_str() {
            "tier" | "" => Ok(None),
            "on" => Ok(Some(true)),
            "off" => Ok(Some(false)),
            _ => Err(()),
        };
        if white_label.is_err() {
            errors.add("white_label", "Choose how white-label is decided.");
        }
        let reason = reason(&self.reason, &mut errors);
        match white_label {
            Ok(white_label) if errors.is_empty() => Ok((
                Switches {
                    client_management: self.client_management.is_some(),
                    white_label,
                    custom_css: self.custom_css.is_some(),
                },
                reason,
            )),
            _ => Err(errors.keep("reason", self.reason.clone())),
        }
    }
}

#[cfg(test)]
mod tests;
