//! A client account as its own users see it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    error::FieldErrors,
    program::{Phone, SubscriptionStatus},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAccount {
    pub company_name: String,
    pub plan_name: String,
    pub status: SubscriptionStatus,
    /// What the client pays per month: the reseller's own price when the reseller bills,
    /// otherwise the list price.
    pub monthly_price: Decimal,
    pub reseller_name: String,
    pub contact_name: String,
    pub contact_phone: Option<String>,
    /// Where the client's users get help: the support address and phone of the reseller's
    /// published brand (never a member's own sign-in address).
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
}

/// A user of the client account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUser {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub is_owner: bool,
}

/// Longest contact name accepted.
pub const CONTACT_NAME_MAX_CHARS: usize = 200;

/// The account contact as typed in the client portal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    pub contact_name: String,
    pub contact_phone: String,
}

impl ContactInput {
    /// The trimmed name and the phone (`None` when left empty), or each field's message with
    /// what was typed kept.
    pub fn validate(&self) -> Result<(String, Option<String>), FieldErrors> {
        let name = self.contact_name.trim().to_string();
        let phone = Some(self.contact_phone.trim().to_string()).filter(|p| !p.is_empty());
        let mut errors = FieldErrors::new();
        if name.is_empty() || name.chars().count() > CONTACT_NAME_MAX_CHARS {
            errors.add(
                "contact_name",
                "Enter a contact name (at most 200 characters).",
            );
        }
        if let Some(Err(message)) = phone.as_deref().map(Phone::parse) {
            errors.add("contact_phone", message);
        }
        if errors.is_empty() {
            Ok((name, phone))
        } else {
            Err(errors
                .keep("contact_name", &self.contact_name)
                .keep("contact_phone", &self.contact_phone))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, phone: &str) -> ContactInput {
        ContactInput {
            contact_name: name.into(),
            contact_phone: phone.into(),
        }
    }

    #[test]
    fn a_contact_is_tidied_and_an_empty_phone_is_none() {
        assert_eq!(
            contact(" Dana Lee ", " ").validate(),
            Ok(("Dana Lee".into(), None))
        );
        assert_eq!(
            contact("Dana", "+1 555 0100").validate(),
            Ok(("Dana".into(), Some("+1 555 0100".into())))
        );
    }

    #[test]
    fn bad_contacts_name_each_field_and_keep_what_was_typed() {
        let errors = contact("", "call me").validate().unwrap_err();
        assert!(errors.message("contact_name").is_some());
        assert!(errors.message("contact_phone").is_some());
        assert_eq!(errors.kept("contact_phone"), Some("call me"));
        let long = "x".repeat(CONTACT_NAME_MAX_CHARS + 1);
        let errors = contact(&long, "").validate().unwrap_err();
        assert_eq!(errors.kept("contact_name"), Some(long.as_str()));
    }
}
