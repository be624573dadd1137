//! What an invitee sees before accepting.

use serde::{Deserialize, Serialize};

use crate::auth::model::Role;

/// How long an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub partner_name: String,
    /// For a partner member.
    pub role: Option<Role>,
    /// For a client's user: the client's company.
    pub client_name: Option<String>,
}

impl InvitationView {
    /// Who the invitee joins, e.g. "Northwind" or "Fabrikam".
    pub fn joins(&self) -> &str {
        self.client_name.as_deref().unwrap_or(&self.partner_name)
    }

    /// "as owner", or "as a user of the account".
    pub fn as_what(&self) -> String {
        match self.role {
            Some(role) => format!("as {}", role.label().to_lowercase()),
            None => "as a user of the account".into(),
        }
    }
}

/// Why a link cannot be used; each gets its own plain explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationProblem {
    Unknown,
    Used,
    Revoked,
    Expired,
}

impl InvitationProblem {
    pub fn message(self) -> &'static str {
        match self {
            InvitationProblem::Unknown => "This invitation link is not valid. Check that you copied the whole link from the e-mail.",
            InvitationProblem::Used => "This invitation has already been used. Sign in with the password you set.",
            InvitationProblem::Revoked => "This invitation was withdrawn. Ask the person who invited you if you should still join.",
            InvitationProblem::Expired => "This invitation has expired. Ask the person who invited you to send a new one.",
        }
    }
}

/// Longest display name accepted.
pub const DISPLAY_NAME_MAX_CHARS: usize = 200;

/// The form that accepts an invitation. `Debug` never shows the passwords.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JoinInput {
    pub token: String,
    pub display_name: String,
    pub password: String,
    pub password_confirm: String,
}

impl std::fmt::Debug for JoinInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinInput")
            .field("display_name", &self.display_name)
            .finish_non_exhaustive()
    }
}

impl JoinInput {
    /// The trimmed display name, once the name and the new password (for the invited
    /// `email`) are acceptable; else each field's message, with the name kept.
    pub fn validate(&self, email: &str) -> Result<String, crate::error::FieldErrors> {
        let display_name = self.display_name.trim().to_string();
        let mut errors = crate::error::FieldErrors::new();
        if display_name.is_empty() {
            errors.add("display_name", "Enter your name.");
        } else if display_name.chars().count() > DISPLAY_NAME_MAX_CHARS {
            errors.add("display_name", "Use at most 200 characters.");
        }
        if let Err(message) = crate::auth::model::check_new_password(&self.password, email) {
            errors.add("password", message);
        } else if self.password != self.password_confirm {
            errors.add("password_confirm", "The two passwords differ.");
        }
        if errors.is_empty() {
            Ok(display_name)
        } else {
            Err(errors.keep("display_name", display_name))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(name: &str, password: &str, confirm: &str) -> JoinInput {
        JoinInput {
            token: String::new(),
            display_name: name.into(),
            password: password.into(),
            password_confirm: confirm.into(),
        }
    }

    #[test]
    fn a_good_join_gives_the_trimmed_name() {
        let good = join(
            " Grace Hopper ",
            "compilers-and-moths-1947",
            "compilers-and-moths-1947",
        );
        assert_eq!(
            good.validate("grace@acme.example"),
            Ok("Grace Hopper".into())
        );
    }

    #[test]
    fn each_problem_is_named_by_its_field_and_passwords_are_not_kept() {
        let errors = join("", "short", "short")
            .validate("a@b.example")
            .unwrap_err();
        assert!(errors.message("display_name").is_some());
        assert!(errors.message("password").is_some());
        let errors = join(
            "Ada",
            "a long enough password 2026",
            "another long password 2026",
        )
        .validate("ada@acme.example")
        .unwrap_err();
        assert_eq!(
            errors.message("password_confirm"),
            Some("The two passwords differ.")
        );
        assert_eq!(errors.kept("display_name"), Some("Ada"));
        assert_eq!(errors.kept("password"), None);
        let shown = format!("{:?}", join("Ada", "a long enough password 2026", ""));
        assert!(!shown.contains("long enough"), "{shown}");
    }
}
