//! What the team page shows and what its forms submit, each form checked before anything is
//! stored.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{auth::model::Role, error::FieldErrors, program::PageLinks};

/// How long a team invitation link stays valid.
pub const TEAM_INVITATION_HOURS: i32 = 72;
/// Invitations a partner may have waiting at once: the list of them is never long, and a
/// compromised owner account cannot flood strangers.
pub const PENDING_INVITATIONS_MAX: i64 = 50;
/// Members per page of the team list.
pub const MEMBERS_PAGE: i64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub joined: DateTime<Utc>,
    pub last_sign_in: Option<DateTime<Utc>>,
    /// Signs in with a code from an app as well.
    pub two_factor: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub expired: bool,
}

/// One page of the team, and (for its owner) the invitations waiting for an answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPage {
    pub members: Vec<TeamMember>,
    pub links: PageLinks,
    pub member_count: i64,
    /// Empty unless the viewer manages the team.
    pub invitations: Vec<PendingInvitation>,
    /// The viewer may invite, change roles, remove and transfer (the owner).
    pub manage: bool,
    pub me: Uuid,
    pub two_factor: TeamTwoFactor,
}

/// The team's two-factor rule: whether the owner requires it, and how many members have
/// not set it up (they can use nothing but their account page while it is required).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamTwoFactor {
    pub required: bool,
    pub members_without: i64,
    /// The viewer has it on: an owner must, before requiring it of the team.
    pub mine: bool,
}

/// The owner's change of the two-factor rule. Requiring it needs the box ticked (`yes`):
/// members without it are shut out until they set it up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TwoFactorRuleInput {
    pub required: bool,
    pub confirm: Option<String>,
}

impl TwoFactorRuleInput {
    /// The rule asked for, if the owner may set it: `owner_has_it` is whether the owner
    /// signs in with two factors themselves (else they would shut themselves out).
    pub fn validate(&self, owner_has_it: bool) -> Result<bool, FieldErrors> {
        if !self.required {
            return Ok(false);
        }
        if !owner_has_it {
            return Err(FieldErrors::form(
                "Turn on two-factor sign-in for yourself first, on your account page.",
            ));
        }
        match self.confirm.as_deref() {
            Some("yes") => Ok(true),
            _ => Err(FieldErrors::field(
                "confirm",
                "Tick the box to confirm: members without two-factor sign-in will have to set it up before they can continue.",
            )),
        }
    }
}

/// The role picked in a form, one an owner may give (not ownership: that is transferred).
fn assignable_role(slug: &str) -> Result<Role, &'static str> {
    match Role::from_slug(slug.trim()) {
        Some(Role::Owner) => Err("To make someone the owner, transfer ownership to them."),
        Some(role) => Ok(role),
        None => Err("Choose a role: manager, sales, support or viewer."),
    }
}

/// The invitation form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InviteInput {
    pub email: String,
    pub role: String,
}

impl InviteInput {
    /// The address (lower-cased) and role, or each field's message with what was typed kept.
    pub fn validate(&self) -> Result<(String, Role), FieldErrors> {
        let email = self.email.trim().to_lowercase();
        let mut errors = FieldErrors::new();
        if let Err(message) = crate::program::Email::parse(&email) {
            errors.add("email", message);
        }
        let role = assignable_role(&self.role).map_err(|m| errors.add("role", m));
        match role {
            Ok(role) if errors.is_empty() => Ok((email, role)),
            _ => Err(errors
                .keep("email", self.email.clone())
                .keep("role", self.role.clone())),
        }
    }
}

/// A change of one member's role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoleInput {
    pub user_id: Uuid,
    pub role: String,
}

impl RoleInput {
    pub fn validate(&self) -> Result<Role, FieldErrors> {
        assignable_role(&self.role).map_err(|m| FieldErrors::field("role", m))
    }
}

/// Removing a member or handing them the ownership: who, and the confirmation (`yes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    pub user_id: Uuid,
    pub confirm: Option<String>,
}

impl MemberInput {
    /// Refuses unless the box was ticked; `what` says what it confirms.
    pub fn confirmed(&self, what: &str) -> Result<Uuid, FieldErrors> {
        match self.confirm.as_deref() {
            Some("yes") => Ok(self.user_id),
            _ => Err(FieldErrors::field(
                "confirm",
                format!("Tick the box to confirm {what}."),
            )),
        }
    }
}

/// What a member's row says about their last sign-in.
pub fn last_seen(member: &TeamMember) -> String {
    member
        .last_sign_in
        .map(crate::components::format::date)
        .unwrap_or_else(|| "Never".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(email: &str, role: &str) -> InviteInput {
        InviteInput {
            email: email.into(),
            role: role.into(),
        }
    }

    #[test]
    fn an_invitation_needs_an_address_and_a_role_below_owner() {
        assert_eq!(
            invite(" Ada@Example.COM ", "sales").validate(),
            Ok(("ada@example.com".into(), Role::Sales))
        );
        let errors = invite("not an address", "owner").validate().unwrap_err();
        assert!(errors.message("email").is_some());
        assert_eq!(
            errors.message("role"),
            Some("To make someone the owner, transfer ownership to them.")
        );
        assert_eq!(errors.kept("email"), Some("not an address"));
        let errors = invite("ada@example.com", "wizard").validate().unwrap_err();
        assert!(errors.message("role").unwrap().starts_with("Choose a role"));
        assert_eq!(errors.message("email"), None);
    }

    #[test]
    fn every_role_but_owner_can_be_given() {
        for role in Role::ALL {
            let given = RoleInput {
                user_id: Uuid::nil(),
                role: role.slug().into(),
            }
            .validate();
            assert_eq!(given.is_ok(), role != Role::Owner, "{role:?}");
            assert_eq!(given.is_ok(), Role::ASSIGNABLE.contains(&role));
        }
    }

    #[test]
    fn removal_and_transfer_need_the_box_ticked() {
        let mut input = MemberInput {
            user_id: Uuid::from_u128(7),
            confirm: None,
        };
        let refused = input.confirmed("the removal").unwrap_err();
        assert_eq!(
            refused.message("confirm"),
            Some("Tick the box to confirm the removal.")
        );
        input.confirm = Some("yes".into());
        assert_eq!(input.confirmed("the removal"), Ok(Uuid::from_u128(7)));
    }
}
