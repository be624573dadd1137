//! What is posted about a registration, and how it is checked: an admin's decision, a
//! member's recorded activity, and the conversion of a won deal into a client.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::FieldErrors;

/// An admin's decision on a registration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecideInput {
    pub deal_id: Uuid,
    /// `approve` or `deny`.
    pub decision: String,
    /// Required to deny; shown to the partner.
    pub reason: String,
}

/// A checked decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve { note: Option<String> },
    Deny { reason: String },
}

impl DecideInput {
    pub fn validate(&self) -> Result<Decision, FieldErrors> {
        let reason = self.reason.trim().to_string();
        if reason.chars().count() > 500 {
            return Err(
                FieldErrors::field("reason", "Keep the reason to 500 characters.")
                    .keep("reason", &self.reason),
            );
        }
        match self.decision.as_str() {
            "approve" => Ok(Decision::Approve {
                note: Some(reason).filter(|r| !r.is_empty()),
            }),
            "deny" if reason.is_empty() => Err(FieldErrors::field(
                "reason",
                "Say why it is denied: the partner reads it.",
            )),
            "deny" => Ok(Decision::Deny { reason }),
            _ => Err(FieldErrors::form("Choose to approve or to deny.")),
        }
    }
}

/// Activity on a protected deal, in a few words; it extends the protection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    pub deal_id: Uuid,
    pub note: String,
}

impl ActivityInput {
    /// The note, trimmed.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let note = self.note.trim();
        match note.chars().count() {
            0..=2 => Err(FieldErrors::field(
                "note",
                "Say what happened, such as \u{201c}Demo with their IT team\u{201d}.",
            )),
            501.. => {
                Err(FieldErrors::field("note", "Keep it to 500 characters.")
                    .keep("note", &self.note))
            }
            _ => Ok(note.to_string()),
        }
    }
}

/// Converting a won deal into a client, confirmed with a ticked box.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConvertInput {
    pub deal_id: Uuid,
    pub confirm: Option<String>,
}

impl ConvertInput {
    pub fn confirmed(&self) -> Result<Uuid, FieldErrors> {
        match self.confirm.as_deref() {
            Some("yes") => Ok(self.deal_id),
            _ => Err(FieldErrors::field(
                "confirm",
                "Tick the box to confirm: the prospect becomes a client and the deal is won.",
            )),
        }
    }
}

/// An admin's record that a protected prospect bought directly from the vendor: by its
/// domain, with the plan it bought. The protecting partner is credited with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectInput {
    pub domain: String,
    pub plan: String,
    pub confirm: Option<String>,
}

impl DirectInput {
    /// The domain and plan, or each field's message with what was typed kept.
    pub fn validate(
        &self,
        plans: &[String],
    ) -> Result<(super::domain::Domain, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let domain =
            super::domain::Domain::parse(&self.domain).map_err(|m| errors.add("domain", m));
        let plan = self.plan.trim().to_string();
        if !plans.contains(&plan) {
            errors.add("plan", "Choose the plan it bought.");
        }
        if self.confirm.as_deref() != Some("yes") {
            errors.add(
                "confirm",
                "Tick the box to confirm: the protecting partner gets the client and its commission.",
            );
        }
        match domain {
            Ok(domain) if errors.is_empty() => Ok((domain, plan)),
            _ => Err(errors
                .keep("domain", self.domain.clone())
                .keep("plan", self.plan.clone())),
        }
    }
}

/// A member's request for more protection, with the reason the admins read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtensionInput {
    pub deal_id: Uuid,
    pub reason: String,
}

impl ExtensionInput {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let reason = self.reason.trim();
        match reason.chars().count() {
            0..=4 => Err(FieldErrors::field(
                "reason",
                "Say why the deal needs more time, such as the buyer's next budget round.",
            )),
            501.. => Err(FieldErrors::field("reason", "Keep it to 500 characters.")
                .keep("reason", &self.reason)),
            _ => Ok(reason.to_string()),
        }
    }
}

/// An admin's answer to an extension request: `grant` or `decline` (with a reason).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtensionDecision {
    pub deal_id: Uuid,
    pub decision: String,
    pub reason: String,
}

impl ExtensionDecision {
    /// Whether it is granted, and the reason (required to decline).
    pub fn validate(&self) -> Result<(bool, String), FieldErrors> {
        let reason = self.reason.trim().to_string();
        match self.decision.as_str() {
            "grant" => Ok((true, reason)),
            "decline" if reason.is_empty() => Err(FieldErrors::field(
                "reason",
                "Say why it is declined: the partner reads it.",
            )),
            "decline" if reason.chars().count() > 500 => {
                Err(FieldErrors::field("reason", "Keep it to 500 characters."))
            }
            "decline" => Ok((false, reason)),
            _ => Err(FieldErrors::form("Choose to grant or to decline.")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denying_needs_a_reason_and_approving_does_not() {
        let decide = |decision: &str, reason: &str| DecideInput {
            deal_id: Uuid::nil(),
            decision: decision.into(),
            reason: reason.into(),
        };
        assert_eq!(
            decide("approve", " ").validate().unwrap(),
            Decision::Approve { note: None }
        );
        assert!(decide("deny", "")
            .validate()
            .unwrap_err()
            .message("reason")
            .is_some());
        assert_eq!(
            decide("deny", "Direct deal").validate().unwrap(),
            Decision::Deny {
                reason: "Direct deal".into()
            }
        );
        assert!(decide("maybe", "x").validate().is_err());
        let activity = |note: &str| ActivityInput {
            deal_id: Uuid::nil(),
            note: note.into(),
        };
        assert_eq!(activity(" Demo held ").validate().unwrap(), "Demo held");
        assert!(activity("ok").validate().is_err());
        assert!(activity(&"x".repeat(501)).validate().is_err());
        let convert = |confirm: Option<&str>| ConvertInput {
            deal_id: Uuid::nil(),
            confirm: confirm.map(str::to_string),
        };
        assert!(convert(None).confirmed().is_err());
        assert_eq!(convert(Some("yes")).confirmed().unwrap(), Uuid::nil());
        let ask = |reason: &str| ExtensionInput {
            deal_id: Uuid::nil(),
            reason: reason.into(),
        };
        assert!(ask("soon").validate().is_err());
        assert_eq!(
            ask(" Budget in March ").validate().unwrap(),
            "Budget in March"
        );
        let answer = |decision: &str, reason: &str| ExtensionDecision {
            deal_id: Uuid::nil(),
            decision: decision.into(),
            reason: reason.into(),
        };
        assert_eq!(
            answer("grant", "").validate().unwrap(),
            (true, String::new())
        );
        assert!(answer("decline", " ").validate().is_err());
        assert!(answer("later", "x").validate().is_err());
    }
}
