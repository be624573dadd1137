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
    Expired,
}

impl InvitationProblem {
    pub fn message(self) -> &'static str {
        match self {
            InvitationProblem::Unknown => "This invitation link is not valid. Check that you copied the whole link from the e-mail.",
            InvitationProblem::Used => "This invitation has already been used. Sign in with the password you set.",
            InvitationProblem::Expired => "This invitation has expired. Ask the person who invited you to send a new one.",
        }
    }
}
