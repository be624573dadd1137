//! Who is signed in and what they may do: roles, permissions (DESIGN.md section 4) and the
//! password policy. Pure data and pure functions, shared with the browser.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A partner member's role inside their partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "member_role", rename_all = "lowercase")
)]
pub enum Role {
    Owner,
    Manager,
    Sales,
    Support,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Manager,
        Role::Sales,
        Role::Support,
        Role::Viewer,
    ];

    /// The roles an owner gives by invitation or by a change of role; ownership only
    /// passes by a transfer.
    pub const ASSIGNABLE: [Role; 4] = [Role::Manager, Role::Sales, Role::Support, Role::Viewer];

    /// The role's name in forms and URLs (`manager`), as the database spells it.
    pub fn slug(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Sales => "sales",
            Role::Support => "support",
            Role::Viewer => "viewer",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Manager => "Manager",
            Role::Sales => "Sales",
            Role::Support => "Support",
            Role::Viewer => "Viewer",
        }
    }
}

/// A partner's standing in the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "partner_status", rename_all = "lowercase")
)]
pub enum PartnerStatus {
    Active,
    /// Members cannot sign in.
    Suspended,
    /// Members can sign in and read, but change nothing.
    Frozen,
}

impl PartnerStatus {
    pub fn label(self) -> &'static str {
        match self {
            PartnerStatus::Active => "Active",
            PartnerStatus::Suspended => "Suspended",
            PartnerStatus::Frozen => "Frozen",
        }
    }
}

/// Something a server function may require of its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Perm {
    /// The admin area and everything in it.
    Admin,
    /// Partner dashboard, client list and client detail.
    PartnerRead,
    /// Create and edit clients, change subscriptions and prices.
    EditClients,
    /// Log in as a client.
    Impersonate,
    /// Commissions, statements and payouts.
    Commissions,
    /// The branding editor.
    Branding,
    /// Invite members, change roles, remove members.
    Team,
    /// API keys.
    ApiKeys,
    /// Webhook endpoints, their secrets and their delivery log.
    Webhooks,
    /// Choosing how the partner is paid.
    PayoutMethod,
    /// Registering deals (and, later, accepting or declining leads).
    Deals,
    /// The partner's audit log.
    PartnerAudit,
    /// The client portal, for a client's users.
    ClientPortal,
    /// Managing a client account's users and its support-access switch (the client's owner).
    ClientAdmin,
}

impl Perm {
    /// Whether the permission changes state; a frozen partner keeps only the others.
    pub fn writes(self) -> bool {
        matches!(
            self,
            Perm::EditClients
                | Perm::Impersonate
                | Perm::Branding
                | Perm::Team
                | Perm::ApiKeys
                | Perm::Webhooks
                | Perm::PayoutMethod
                | Perm::Deals
        )
    }
}

impl Role {
    /// The permission table of DESIGN.md section 4, for members of a partner.
    pub fn allows(self, perm: Perm) -> bool {
        use Role::*;
        match perm {
            Perm::PartnerRead => true,
            Perm::EditClients | Perm::Deals => matches!(self, Owner | Manager | Sales),
            Perm::Impersonate => matches!(self, Owner | Manager | Support),
            Perm::Commissions | Perm::Branding | Perm::PartnerAudit | Perm::Webhooks => {
                matches!(self, Owner | Manager)
            }
            Perm::Team | Perm::ApiKeys | Perm::PayoutMethod => self == Owner,
            Perm::Admin | Perm::ClientPortal | Perm::ClientAdmin => false,
        }
    }
}

/// The signed-in person, as read from the database on every call (never cached in the
/// session), so that a demotion or a suspension takes effect at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub kind: PrincipalKind,
    /// Set while a reseller member acts as this client user ("log in as client").
    pub acting: Option<Acting>,
    /// Two-factor sign-in: whether the person has it, and whether it is asked of them.
    pub two_factor: TwoFactor,
}

/// A person's two-factor sign-in. Admins must have it; a partner's members must when their
/// owner requires it for the team; it is a choice for everyone else. Until a person who
/// must have it sets it up, they may sign in and use `/account`, and nothing else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactor {
    pub enabled: bool,
    pub required: bool,
}

impl TwoFactor {
    /// Required and not set up yet: every permission is refused until it is.
    pub fn missing(self) -> bool {
        self.required && !self.enabled
    }
}

/// Who is really acting during an impersonation, and for how long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acting {
    pub impersonation_id: Uuid,
    pub real_user_id: Uuid,
    pub real_name: String,
    pub partner_id: Uuid,
    pub client_id: Uuid,
    /// Whole minutes left, computed by the server.
    pub minutes_left: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrincipalKind {
    Admin,
    Member {
        partner_id: Uuid,
        partner_name: String,
        partner_status: PartnerStatus,
        role: Role,
        /// The admins' switch for managing clients (creating, changing, logging in as them).
        client_management: bool,
    },
    ClientUser {
        partner_id: Uuid,
        client_id: Uuid,
        client_name: String,
        is_owner: bool,
    },
}

/// Why a principal was refused a permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not allowed for this kind of user or role.
    NotPermitted,
    /// The partner is suspended.
    PartnerInactive,
    /// The partner is frozen: a change was asked of a read-only account.
    Frozen,
    /// Not while a reseller is acting as the client (credentials, users, access, API keys).
    Impersonating,
    /// Two-factor sign-in is required of this person and not set up yet.
    TwoFactorMissing,
    /// The program team switched the feature off for this partner.
    SwitchedOff,
}

impl Principal {
    /// Whether this principal holds `perm`. Admins hold the admin permission; partner
    /// permissions need a member of an active partner (read-only when frozen); client
    /// permissions need a client user.
    pub fn check(&self, perm: Perm) -> Result<(), Refusal> {
        if self.two_factor.missing() {
            return Err(Refusal::TwoFactorMissing);
        }
        match &self.kind {
            PrincipalKind::Admin => (perm == Perm::Admin)
                .then_some(())
                .ok_or(Refusal::NotPermitted),
            PrincipalKind::Member {
                role,
                partner_status,
                client_management,
                ..
            } => {
                if !role.allows(perm) {
                    return Err(Refusal::NotPermitted);
                }
                if !client_management && matches!(perm, Perm::EditClients | Perm::Impersonate) {
                    return Err(Refusal::SwitchedOff);
                }
                match partner_status {
                    PartnerStatus::Active => Ok(()),
                    PartnerStatus::Frozen if !perm.writes() => Ok(()),
                    PartnerStatus::Frozen => Err(Refusal::Frozen),
                    PartnerStatus::Suspended => Err(Refusal::PartnerInactive),
                }
            }
            PrincipalKind::ClientUser { is_owner, .. } => match perm {
                Perm::ClientPortal => Ok(()),
                Perm::ClientAdmin if self.acting.is_some() => Err(Refusal::Impersonating),
                Perm::ClientAdmin if *is_owner => Ok(()),
                _ => Err(Refusal::NotPermitted),
            },
        }
    }

    pub fn has(&self, perm: Perm) -> bool {
        self.check(perm).is_ok()
    }

    /// The partner whose data this principal may see, if any.
    /// Which audit rows of its partner's activity this principal may read.
    pub fn audit_audiences(&self) -> Vec<crate::audit::Audience> {
        use crate::audit::Audience;
        let mut audiences = vec![Audience::Team];
        if self.has(Perm::Commissions) {
            audiences.push(Audience::Money);
        }
        if self.has(Perm::Branding) {
            audiences.push(Audience::Branding);
        }
        audiences
    }

    pub fn partner_id(&self) -> Option<Uuid> {
        match &self.kind {
            PrincipalKind::Admin => None,
            PrincipalKind::Member { partner_id, .. }
            | PrincipalKind::ClientUser { partner_id, .. } => Some(*partner_id),
        }
    }

    /// The client (and its partner) a client user belongs to: `(partner_id, client_id)`.
    pub fn client_scope(&self) -> Option<(Uuid, Uuid)> {
        match self.kind {
            PrincipalKind::ClientUser {
                partner_id,
                client_id,
                ..
            } => Some((partner_id, client_id)),
            _ => None,
        }
    }

    /// Where this principal starts after signing in.
    pub fn home(&self) -> &'static str {
        match self.kind {
            PrincipalKind::Admin => "/admin",
            PrincipalKind::Member { .. } => "/partner",
            PrincipalKind::ClientUser { .. } => "/app",
        }
    }
}

/// Shortest password accepted (OWASP ASVS 2.1.1 asks for at least 12).
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Longest password accepted: long enough for passphrases, short enough to bound hashing.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// The password policy for new passwords: length in characters, not too repetitive, and not
/// the e-mail address. Returns the message to show next to the field.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(format!("Use at least {PASSWORD_MIN_CHARS} characters."));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(format!("Use at most {PASSWORD_MAX_CHARS} characters."));
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 {
        return Err("Use a less repetitive password.".into());
    }
    let lowered = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    if lowered == email.to_lowercase() || (local_part.len() >= 4 && lowered.contains(&local_part)) {
        return Err("Do not use your e-mail address in your password.".into());
    }
    Ok(())
}

/// A `next` path from the query string is followed after sign-in only if it stays on this
/// site: an absolute path, not `//host` or `/\host` (which browsers treat as another site).
pub fn safe_next_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(next)
}

/// The audit log records a principal as the user, and while impersonating also the reseller
/// member who really acted.
#[cfg(feature = "ssr")]
impl From<&Principal> for crate::audit::Actor {
    fn from(who: &Principal) -> Self {
        Self {
            user_id: who.user_id,
            real_user_id: who.acting.as_ref().map(|a| a.real_user_id),
            impersonation_id: who.acting.as_ref().map(|a| a.impersonation_id),
            partner_id: who.partner_id(),
        }
    }
}

#[cfg(test)]
mod tests;
