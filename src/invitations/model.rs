//! What an invitee sees before accepting.

use serde::{Deserialize, Serialize};

use crate::auth::model::Role;

/// How long an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub partner_name: String,
    pub role: Role,
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
