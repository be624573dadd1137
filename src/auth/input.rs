//! What the sign-in form submits, and how it is checked before any password is hashed.

use serde::{Deserialize, Serialize};

use crate::{error::FieldErrors, program::contact::EMAIL_MAX_CHARS};

/// A cap on what sign-in will hash, so that a huge body cannot burn CPU.
pub const PASSWORD_INPUT_MAX_CHARS: usize = 1024;

/// The sign-in form. `Debug` never shows the password.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
    /// Where to go afterwards (a path on this site), from the sign-in redirect.
    pub next: Option<String>,
}

impl std::fmt::Debug for SignInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInInput")
            .field("email", &self.email)
            .field("password", &"<hidden>")
            .field("next", &self.next)
            .finish()
    }
}

impl SignInInput {
    /// The e-mail address as accounts are keyed (trimmed, lower case).
    pub fn normalized_email(&self) -> String {
        self.email.trim().to_lowercase()
    }

    /// The normalized e-mail address, or each field's message (the address kept, never the
    /// password).
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let email = self.normalized_email();
        let mut errors = FieldErrors::new();
        if email.is_empty() {
            errors.add("email", "Enter your e-mail address.");
        } else if email.chars().count() > EMAIL_MAX_CHARS {
            errors.add("email", "That e-mail address is too long.");
        }
        if self.password.is_empty() {
            errors.add("password", "Enter your password.");
        } else if self.password.chars().count() > PASSWORD_INPUT_MAX_CHARS {
            errors.add("password", "That password is too long.");
        }
        if errors.is_empty() {
            Ok(email)
        } else {
            Err(errors.keep("email", email))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(email: &str, password: &str) -> SignInInput {
        SignInInput {
            email: email.into(),
            password: password.into(),
            next: None,
        }
    }

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            input("  Dana@Northwind.Example ", "secret").validate(),
            Ok("dana@northwind.example".into())
        );
    }

    #[test]
    fn missing_and_oversized_fields_are_named_and_the_password_is_never_kept() {
        let errors = input("", "").validate().unwrap_err();
        assert!(errors.message("email").is_some());
        assert!(errors.message("password").is_some());
        let long = "p".repeat(PASSWORD_INPUT_MAX_CHARS + 1);
        let errors = input("a@b.example", &long).validate().unwrap_err();
        assert_eq!(
            errors.message("password"),
            Some("That password is too long.")
        );
        assert_eq!(errors.kept("email"), Some("a@b.example"));
        assert_eq!(errors.kept("password"), None);
    }

    #[test]
    fn debug_output_hides_the_password() {
        let shown = format!("{:?}", input("a@b.example", "hunter2-secret"));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("a@b.example"));
    }
}
