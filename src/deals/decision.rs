//! An admin's decision on a pending registration, as posted and as checked.

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
    }
}
