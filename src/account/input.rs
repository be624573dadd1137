//! What the account forms submit, and how each is checked before anything is stored.

use serde::{Deserialize, Serialize};

use crate::{
    auth::{input::PASSWORD_INPUT_MAX_CHARS, model::check_new_password},
    error::FieldErrors,
};

/// Longest display name (the column's limit).
pub const DISPLAY_NAME_MAX_CHARS: usize = 200;

/// The details form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub display_name: String,
}

impl ProfileInput {
    /// The name as stored (trimmed, runs of spaces made one), or the field's message with
    /// what was typed kept.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let name = self
            .display_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let problem = if name.is_empty() {
            Some("Enter the name others see, such as Dana Smith.".to_string())
        } else if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
            Some(format!("Use at most {DISPLAY_NAME_MAX_CHARS} characters."))
        } else if name.chars().any(char::is_control) {
            Some("Use letters, digits, spaces and punctuation only.".to_string())
        } else {
            None
        };
        match problem {
            None => Ok(name),
            Some(message) => Err(FieldErrors::field("display_name", message)
                .keep("display_name", self.display_name.clone())),
        }
    }
}

/// The password form. `Debug` never shows a password, and no error keeps one.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordInput {
    pub current: String,
    pub new: String,
    pub confirm: String,
}

impl std::fmt::Debug for PasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordInput { <hidden> }")
    }
}

impl PasswordInput {
    /// Each field's message, before the current password is checked (which costs a hash):
    /// the new password must follow the policy for `email`'s account and be typed twice.
    pub fn validate(&self, email: &str) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.current.is_empty() {
            errors.add("current", "Enter your current password.");
        } else if self.current.chars().count() > PASSWORD_INPUT_MAX_CHARS {
            errors.add("current", "That password is too long.");
        }
        if let Err(message) = check_new_password(&self.new, email) {
            errors.add("new", message);
        } else if self.new == self.current {
            errors.add("new", "Choose a password other than your current one.");
        } else if self.confirm != self.new {
            errors.add("confirm", "The two new passwords are not the same.");
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

    fn profile(name: &str) -> Result<String, FieldErrors> {
        ProfileInput {
            display_name: name.into(),
        }
        .validate()
    }

    fn password(current: &str, new: &str, confirm: &str) -> Result<(), FieldErrors> {
        PasswordInput {
            current: current.into(),
            new: new.into(),
            confirm: confirm.into(),
        }
        .validate("dana@northwind.example")
    }

    #[test]
    fn names_are_tidied_and_bad_ones_explained_with_the_text_kept() {
        assert_eq!(profile("  Dana   Smith "), Ok("Dana Smith".into()));
        let blank = profile("   ").unwrap_err();
        assert!(blank.message("display_name").is_some());
        let long = "x".repeat(DISPLAY_NAME_MAX_CHARS + 1);
        let errors = profile(&long).unwrap_err();
        assert_eq!(errors.kept("display_name"), Some(long.as_str()));
        assert!(profile("Dana\u{7}").is_err());
        assert_eq!(
            profile(&"é".repeat(DISPLAY_NAME_MAX_CHARS)).map(|n| n.chars().count()),
            Ok(DISPLAY_NAME_MAX_CHARS)
        );
    }

    #[test]
    fn a_new_password_follows_the_policy_differs_and_is_typed_twice() {
        let good = "correct horse battery";
        assert_eq!(password("old password 1", good, good), Ok(()));
        let errors = password("", good, good).unwrap_err();
        assert!(errors.message("current").is_some());
        let errors = password("old password 1", "short", "short").unwrap_err();
        assert!(errors.message("new").is_some());
        let errors = password("old password 1", good, "correct horse battery!").unwrap_err();
        assert!(errors.message("confirm").is_some());
        assert!(errors.message("new").is_none());
        let errors = password(good, good, good).unwrap_err();
        assert!(errors.message("new").is_some());
        let errors = password("x", "xdanax-northwind-2026", "xdanax-northwind-2026");
        assert!(
            errors.unwrap_err().message("new").is_some(),
            "not the address"
        );
    }

    #[test]
    fn passwords_are_never_shown_or_kept() {
        let input = PasswordInput {
            current: "hunter2-secret".into(),
            new: "short".into(),
            confirm: "short".into(),
        };
        assert!(!format!("{input:?}").contains("hunter2"));
        let errors = input.validate("dana@northwind.example").unwrap_err();
        for field in ["current", "new", "confirm"] {
            assert_eq!(errors.kept(field), None);
        }
    }
}
