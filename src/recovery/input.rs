//! What the two recovery forms submit, and how each is checked.

use serde::{Deserialize, Serialize};

use crate::{auth::model::check_new_password, error::FieldErrors};

/// How long a reset link works.
pub const RESET_MINUTES: i32 = 30;

/// What every request for a link is told, whether or not the address has an account.
pub const LINK_SENT: &str = "If an account uses that address, we have sent it a link to choose a new password. The link works once, for 30 minutes.";

/// Why a reset link cannot be used; one message for all, so a link reveals nothing.
pub const LINK_UNUSABLE: &str = "This link cannot be used: it may have expired (links work for 30 minutes), been used already, or been copied incompletely. Ask for a new one.";

/// The "forgot password" form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForgotInput {
    pub email: String,
}

impl ForgotInput {
    /// The address, lower-cased, or the field's message with what was typed kept.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let email = self.email.trim().to_lowercase();
        match crate::program::Email::parse(&email) {
            Ok(_) => Ok(email),
            Err(message) => {
                Err(FieldErrors::field("email", message).keep("email", self.email.clone()))
            }
        }
    }
}

/// The new password form behind the link. `Debug` never shows a password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResetInput {
    pub token: String,
    pub password: String,
    pub password_confirm: String,
}

impl std::fmt::Debug for ResetInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResetInput { <hidden> }")
    }
}

impl ResetInput {
    /// Each field's message for the account of `email`; no error keeps a password.
    pub fn validate(&self, email: &str) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Err(message) = check_new_password(&self.password, email) {
            errors.add("password", message);
        } else if self.password != self.password_confirm {
            errors.add("password_confirm", "The two passwords are not the same.");
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_lower_cased_and_a_bad_one_is_kept_with_its_message() {
        let good = ForgotInput {
            email: "  Dana@Example.COM ".into(),
        };
        assert_eq!(good.validate(), Ok("dana@example.com".into()));
        let bad = ForgotInput {
            email: "dana-at-example".into(),
        }
        .validate()
        .unwrap_err();
        assert!(bad.message("email").is_some());
        assert_eq!(bad.kept("email"), Some("dana-at-example"));
    }

    #[test]
    fn a_new_password_follows_the_policy_and_is_typed_twice() {
        let reset = |password: &str, confirm: &str| ResetInput {
            token: String::new(),
            password: password.into(),
            password_confirm: confirm.into(),
        };
        assert_eq!(
            reset("a fresh passphrase 2026", "a fresh passphrase 2026").validate("d@x.example"),
            Ok(())
        );
        let short = reset("short", "short").validate("d@x.example").unwrap_err();
        assert!(short.message("password").is_some());
        let differ = reset("a fresh passphrase 2026", "another passphrase 2026")
            .validate("d@x.example")
            .unwrap_err();
        assert_eq!(
            differ.message("password_confirm"),
            Some("The two passwords are not the same.")
        );
        assert_eq!(differ.kept("password"), None);
        let shown = format!("{:?}", reset("a fresh passphrase 2026", ""));
        assert!(!shown.contains("fresh"), "{shown}");
    }
}
