//! The audit log: one append-only row per change of state, written in the same transaction
//! as the change (a database trigger refuses UPDATE, DELETE and TRUNCATE).

#[cfg(feature = "ssr")]
mod record;
#[cfg(feature = "ssr")]
pub mod verify;
#[cfg(feature = "ssr")]
pub use record::{record, Actor, AuditEntry};

/// What happened. This is the one home of audit actions: the name the log stores (and
/// readers filter on), the plain-language description, and who may read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    SignIn,
    SignInFailed,
    SignOut,
    DemoSeeded,
    ApplicationSubmitted,
    ApplicationNoted,
    ApplicationReviewStarted,
    ApplicationApproved,
    ApplicationRejected,
    ApplicationReopened,
    PartnerCreated,
    InvitationCreated,
    InvitationAccepted,
    ClientCreated,
    ClientUpdated,
    ClientStatusChanged,
    ClientExported,
    ClientContactUpdated,
    ClientUserInvited,
    ClientUserRemoved,
    ResellerAccessChanged,
    ImpersonationRequested,
    ImpersonationStarted,
    ImpersonationEnded,
    CommissionsMonthClosed,
    CommissionAdjusted,
    PartnerTierChanged,
    PayoutPaid,
    PayoutMethodChanged,
    StatementExported,
    BrandingSaved,
    BrandingPublished,
    BrandingRestored,
    BrandingAssetUploaded,
    CustomDomainSet,
    CustomDomainVerified,
    CustomDomainCheckFailed,
    ProfileUpdated,
    PasswordChanged,
    InvitationResent,
    InvitationRevoked,
    MemberRoleChanged,
    MemberRemoved,
    OwnershipTransferred,
    PasswordResetRequested,
    PasswordReset,
    TwoFactorEnabled,
    TwoFactorDisabled,
    AuditExported,
    PartnerFrozen,
    PartnerSuspended,
    PartnerReactivated,
    PartnerTierPinned,
    PartnerTierUnpinned,
    PartnerSwitchesChanged,
    TeamTwoFactorRequired,
    TeamTwoFactorOptional,
    PartnerProfileChanged,
    ApiKeyCreated,
    ApiKeyRevoked,
    LicenseIssued,
    LicenseRevoked,
    WebhookEndpointCreated,
    WebhookEndpointDeleted,
    WebhookSecretRotated,
    WebhookEndpointDisabled,
    WebhookEndpointUpdated,
    WebhookEventsReplayed,
    WebhookTestSent,
    WebhookDeliveryResent,
    DealRegistered,
    DealApproved,
    DealDenied,
    DealActivityRecorded,
    DealProtectionEnded,
    DealWon,
}

/// Who may read rows of an action in a partner's activity. Admins read every row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Every member of the partner.
    Team,
    /// Members who may see commissions and payouts (owners and managers).
    Money,
    /// Members who may edit the brand (owners and managers).
    Branding,
    /// Admins only: sign-ins, application review, program-wide work.
    Admins,
}

impl Action {
    pub const ALL: [Action; 76] = [
        Action::SignIn,
        Action::SignInFailed,
        Action::SignOut,
        Action::DemoSeeded,
        Action::ApplicationSubmitted,
        Action::ApplicationNoted,
        Action::ApplicationReviewStarted,
        Action::ApplicationApproved,
        Action::ApplicationRejected,
        Action::ApplicationReopened,
        Action::PartnerCreated,
        Action::InvitationCreated,
        Action::InvitationAccepted,
        Action::ClientCreated,
        Action::ClientUpdated,
        Action::ClientStatusChanged,
        Action::ClientExported,
        Action::ClientContactUpdated,
        Action::ClientUserInvited,
        Action::ClientUserRemoved,
        Action::ResellerAccessChanged,
        Action::ImpersonationRequested,
        Action::ImpersonationStarted,
        Action::ImpersonationEnded,
        Action::CommissionsMonthClosed,
        Action::CommissionAdjusted,
        Action::PartnerTierChanged,
        Action::PayoutPaid,
        Action::PayoutMethodChanged,
        Action::StatementExported,
        Action::BrandingSaved,
        Action::BrandingPublished,
        Action::BrandingRestored,
        Action::BrandingAssetUploaded,
        Action::CustomDomainSet,
        Action::CustomDomainVerified,
        Action::CustomDomainCheckFailed,
        Action::ProfileUpdated,
        Action::PasswordChanged,
        Action::InvitationResent,
        Action::InvitationRevoked,
        Action::MemberRoleChanged,
        Action::MemberRemoved,
        Action::OwnershipTransferred,
        Action::PasswordResetRequested,
        Action::PasswordReset,
        Action::TwoFactorEnabled,
        Action::TwoFactorDisabled,
        Action::AuditExported,
        Action::PartnerFrozen,
        Action::PartnerSuspended,
        Action::PartnerReactivated,
        Action::PartnerTierPinned,
        Action::PartnerTierUnpinned,
        Action::PartnerSwitchesChanged,
        Action::TeamTwoFactorRequired,
        Action::TeamTwoFactorOptional,
        Action::PartnerProfileChanged,
        Action::ApiKeyCreated,
        Action::ApiKeyRevoked,
        Action::LicenseIssued,
        Action::LicenseRevoked,
        Action::WebhookEndpointCreated,
        Action::WebhookEndpointDeleted,
        Action::WebhookSecretRotated,
        Action::WebhookEndpointDisabled,
        Action::WebhookEndpointUpdated,
        Action::WebhookEventsReplayed,
        Action::WebhookTestSent,
        Action::WebhookDeliveryResent,
        Action::DealRegistered,
        Action::DealApproved,
        Action::DealDenied,
        Action::DealActivityRecorded,
        Action::DealProtectionEnded,
        Action::DealWon,
    ];

    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignIn => "auth.sign_in",
            Action::SignInFailed => "auth.sign_in_failed",
            Action::SignOut => "auth.sign_out",
            Action::DemoSeeded => "demo.seeded",
            Action::ApplicationSubmitted => "application.submitted",
            Action::ApplicationNoted => "application.noted",
            Action::ApplicationReviewStarted => "application.review_started",
            Action::ApplicationApproved => "application.approved",
            Action::ApplicationRejected => "application.rejected",
            Action::ApplicationReopened => "application.reopened",
            Action::PartnerCreated => "partner.created",
            Action::InvitationCreated => "invitation.created",
            Action::InvitationAccepted => "invitation.accepted",
            Action::ClientCreated => "client.created",
            Action::ClientUpdated => "client.updated",
            Action::ClientStatusChanged => "client.status_changed",
            Action::ClientExported => "client.exported",
            Action::ClientContactUpdated => "client.contact_updated",
            Action::ClientUserInvited => "client.user_invited",
            Action::ClientUserRemoved => "client.user_removed",
            Action::ResellerAccessChanged => "client.reseller_access_changed",
            Action::ImpersonationRequested => "impersonation.requested",
            Action::ImpersonationStarted => "impersonation.started",
            Action::ImpersonationEnded => "impersonation.ended",
            Action::CommissionsMonthClosed => "commissions.month_closed",
            Action::CommissionAdjusted => "commissions.adjusted",
            Action::PartnerTierChanged => "partner.tier_changed",
            Action::PayoutPaid => "payout.paid",
            Action::PayoutMethodChanged => "payout.method_changed",
            Action::StatementExported => "commissions.statement_exported",
            Action::BrandingSaved => "branding.saved",
            Action::BrandingPublished => "branding.published",
            Action::BrandingRestored => "branding.restored",
            Action::BrandingAssetUploaded => "branding.asset_uploaded",
            Action::CustomDomainSet => "branding.domain_set",
            Action::CustomDomainVerified => "branding.domain_verified",
            Action::CustomDomainCheckFailed => "branding.domain_check_failed",
            Action::ProfileUpdated => "account.profile_updated",
            Action::PasswordChanged => "account.password_changed",
            Action::InvitationResent => "invitation.resent",
            Action::InvitationRevoked => "invitation.revoked",
            Action::MemberRoleChanged => "team.role_changed",
            Action::MemberRemoved => "team.member_removed",
            Action::OwnershipTransferred => "team.ownership_transferred",
            Action::PasswordResetRequested => "account.password_reset_requested",
            Action::PasswordReset => "account.password_reset",
            Action::TwoFactorEnabled => "account.two_factor_enabled",
            Action::TwoFactorDisabled => "account.two_factor_disabled",
            Action::AuditExported => "audit.exported",
            Action::PartnerFrozen => "partner.frozen",
            Action::PartnerSuspended => "partner.suspended",
            Action::PartnerReactivated => "partner.reactivated",
            Action::PartnerTierPinned => "partner.tier_pinned",
            Action::PartnerTierUnpinned => "partner.tier_unpinned",
            Action::PartnerSwitchesChanged => "partner.switches_changed",
            Action::TeamTwoFactorRequired => "team.two_factor_required",
            Action::TeamTwoFactorOptional => "team.two_factor_optional",
            Action::PartnerProfileChanged => "partner.profile_changed",
            Action::ApiKeyCreated => "api_key.created",
            Action::ApiKeyRevoked => "api_key.revoked",
            Action::LicenseIssued => "license.issued",
            Action::LicenseRevoked => "license.revoked",
            Action::WebhookEndpointCreated => "webhook.endpoint_created",
            Action::WebhookEndpointDeleted => "webhook.endpoint_deleted",
            Action::WebhookSecretRotated => "webhook.secret_rotated",
            Action::WebhookEndpointDisabled => "webhook.endpoint_disabled",
            Action::WebhookEndpointUpdated => "webhook.endpoint_updated",
            Action::WebhookEventsReplayed => "webhook.events_replayed",
            Action::WebhookTestSent => "webhook.test_sent",
            Action::WebhookDeliveryResent => "webhook.delivery_resent",
            Action::DealRegistered => "deal.registered",
            Action::DealApproved => "deal.approved",
            Action::DealDenied => "deal.denied",
            Action::DealActivityRecorded => "deal.activity_recorded",
            Action::DealProtectionEnded => "deal.protection_ended",
            Action::DealWon => "deal.won",
        }
    }

    /// The action a stored name stands for.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// What happened, in plain words, as the activity list and the log viewers show it.
    pub fn description(self) -> &'static str {
        match self {
            Action::SignIn => "Signed in",
            Action::SignInFailed => "Failed to sign in",
            Action::SignOut => "Signed out",
            Action::DemoSeeded => "Seeded the demo data",
            Action::ApplicationSubmitted => "Submitted a partner application",
            Action::ApplicationNoted => "Added a note to an application",
            Action::ApplicationReviewStarted => "Started reviewing an application",
            Action::ApplicationApproved => "Approved an application",
            Action::ApplicationRejected => "Rejected an application",
            Action::ApplicationReopened => "Reopened an application",
            Action::PartnerCreated => "Created the partner account",
            Action::InvitationCreated => "Invited a team member",
            Action::InvitationAccepted => "Joined the team",
            Action::ClientCreated => "Added a client",
            Action::ClientUpdated => "Changed a client's subscription",
            Action::ClientStatusChanged => "Changed a client's status",
            Action::ClientExported => "Exported the client list",
            Action::ClientContactUpdated => "Updated a client's contact",
            Action::ClientUserInvited => "Invited a client user",
            Action::ClientUserRemoved => "Removed a client user",
            Action::ResellerAccessChanged => "Changed reseller access",
            Action::ImpersonationRequested => "Asked to log in as a client",
            Action::ImpersonationStarted => "Logged in as a client",
            Action::ImpersonationEnded => "Ended a client session",
            Action::CommissionsMonthClosed => "Closed a month of commissions",
            Action::CommissionAdjusted => "Adjusted a statement",
            Action::PartnerTierChanged => "Changed the tier at the monthly close",
            Action::PayoutPaid => "Paid a payout",
            Action::PayoutMethodChanged => "Changed the payout method",
            Action::StatementExported => "Exported a statement",
            Action::BrandingSaved => "Saved a branding draft",
            Action::BrandingPublished => "Published a brand",
            Action::BrandingRestored => "Restored an earlier brand version",
            Action::BrandingAssetUploaded => "Uploaded a brand image",
            Action::CustomDomainSet => "Set the custom domain",
            Action::CustomDomainVerified => "Verified the custom domain",
            Action::CustomDomainCheckFailed => "Checked the custom domain without success",
            Action::ProfileUpdated => "Changed their display name",
            Action::PasswordChanged => "Changed their password",
            Action::InvitationResent => "Resent a team invitation",
            Action::InvitationRevoked => "Withdrew a team invitation",
            Action::MemberRoleChanged => "Changed a team member's role",
            Action::MemberRemoved => "Removed a team member",
            Action::OwnershipTransferred => "Transferred the partner's ownership",
            Action::PasswordResetRequested => "Asked for a password reset link",
            Action::PasswordReset => "Reset their password by e-mail link",
            Action::TwoFactorEnabled => "Turned on two-factor sign-in",
            Action::TwoFactorDisabled => "Turned off two-factor sign-in",
            Action::AuditExported => "Exported the audit log",
            Action::PartnerFrozen => "Froze a partner account",
            Action::PartnerSuspended => "Suspended a partner account",
            Action::PartnerReactivated => "Reactivated a partner account",
            Action::PartnerTierPinned => "Pinned a partner's tier",
            Action::PartnerTierUnpinned => "Unpinned a partner's tier",
            Action::PartnerSwitchesChanged => "Changed a partner's feature switches",
            Action::TeamTwoFactorRequired => "Required two-factor sign-in of the team",
            Action::TeamTwoFactorOptional => "Made two-factor sign-in optional for the team",
            Action::PartnerProfileChanged => "Changed a partner's territories and industries",
            Action::ApiKeyCreated => "Created an API key",
            Action::ApiKeyRevoked => "Revoked an API key",
            Action::LicenseIssued => "Issued a license",
            Action::LicenseRevoked => "Revoked a license",
            Action::WebhookEndpointCreated => "Added a webhook endpoint",
            Action::WebhookEndpointDeleted => "Deleted a webhook endpoint",
            Action::WebhookSecretRotated => "Rotated a webhook signing secret",
            Action::WebhookEndpointDisabled => "Turned off a webhook endpoint",
            Action::WebhookEndpointUpdated => "Changed a webhook endpoint",
            Action::WebhookEventsReplayed => "Replayed webhook events to an endpoint",
            Action::WebhookTestSent => "Queued a test event for a webhook endpoint",
            Action::WebhookDeliveryResent => "Resent a webhook delivery",
            Action::DealRegistered => "Registered a deal",
            Action::DealApproved => "Approved a deal registration",
            Action::DealDenied => "Denied a deal registration",
            Action::DealActivityRecorded => "Recorded activity on a deal",
            Action::DealProtectionEnded => "Ended a deal's protection",
            Action::DealWon => "Converted a won deal into a client",
        }
    }

    /// Who may read it in a partner's activity.
    pub fn audience(self) -> Audience {
        match self {
            Action::SignIn => Audience::Admins,
            Action::SignInFailed => Audience::Admins,
            Action::SignOut => Audience::Admins,
            Action::DemoSeeded => Audience::Admins,
            Action::ApplicationSubmitted => Audience::Admins,
            Action::ApplicationNoted => Audience::Admins,
            Action::ApplicationReviewStarted => Audience::Admins,
            Action::ApplicationApproved => Audience::Admins,
            Action::ApplicationRejected => Audience::Admins,
            Action::ApplicationReopened => Audience::Admins,
            Action::PartnerCreated => Audience::Team,
            Action::InvitationCreated => Audience::Team,
            Action::InvitationAccepted => Audience::Team,
            Action::ClientCreated => Audience::Team,
            Action::ClientUpdated => Audience::Team,
            Action::ClientStatusChanged => Audience::Team,
            Action::ClientExported => Audience::Team,
            Action::ClientContactUpdated => Audience::Team,
            Action::ClientUserInvited => Audience::Team,
            Action::ClientUserRemoved => Audience::Team,
            Action::ResellerAccessChanged => Audience::Team,
            Action::ImpersonationRequested => Audience::Team,
            Action::ImpersonationStarted => Audience::Team,
            Action::ImpersonationEnded => Audience::Team,
            Action::CommissionsMonthClosed => Audience::Money,
            Action::CommissionAdjusted => Audience::Money,
            Action::PartnerTierChanged => Audience::Team,
            Action::PayoutPaid => Audience::Money,
            Action::PayoutMethodChanged => Audience::Money,
            Action::StatementExported => Audience::Money,
            Action::BrandingSaved => Audience::Branding,
            Action::BrandingPublished => Audience::Branding,
            Action::BrandingRestored => Audience::Branding,
            Action::BrandingAssetUploaded => Audience::Branding,
            Action::CustomDomainSet => Audience::Branding,
            Action::CustomDomainVerified => Audience::Branding,
            Action::CustomDomainCheckFailed => Audience::Branding,
            Action::ProfileUpdated => Audience::Admins,
            Action::PasswordChanged => Audience::Admins,
            Action::InvitationResent => Audience::Team,
            Action::InvitationRevoked => Audience::Team,
            Action::MemberRoleChanged => Audience::Team,
            Action::MemberRemoved => Audience::Team,
            Action::OwnershipTransferred => Audience::Team,
            Action::PasswordResetRequested => Audience::Admins,
            Action::PasswordReset => Audience::Admins,
            Action::TwoFactorEnabled => Audience::Admins,
            Action::TwoFactorDisabled => Audience::Admins,
            // Owners and managers: the readers of a partner's log.
            Action::AuditExported => Audience::Money,
            Action::PartnerFrozen => Audience::Team,
            Action::PartnerSuspended => Audience::Team,
            Action::PartnerReactivated => Audience::Team,
            Action::PartnerTierPinned => Audience::Team,
            Action::PartnerTierUnpinned => Audience::Team,
            Action::PartnerSwitchesChanged => Audience::Team,
            Action::TeamTwoFactorRequired => Audience::Team,
            Action::TeamTwoFactorOptional => Audience::Team,
            Action::PartnerProfileChanged => Audience::Team,
            Action::ApiKeyCreated => Audience::Team,
            Action::ApiKeyRevoked => Audience::Team,
            Action::LicenseIssued => Audience::Team,
            Action::LicenseRevoked => Audience::Team,
            Action::WebhookEndpointCreated
            | Action::WebhookEndpointDeleted
            | Action::WebhookSecretRotated
            | Action::WebhookEndpointDisabled
            | Action::WebhookEndpointUpdated
            | Action::WebhookEventsReplayed
            | Action::WebhookTestSent
            | Action::WebhookDeliveryResent => Audience::Team,
            Action::DealRegistered
            | Action::DealApproved
            | Action::DealDenied
            | Action::DealActivityRecorded
            | Action::DealProtectionEnded
            | Action::DealWon => Audience::Team,
        }
    }

    /// The stored names of the actions whose audience is one of `audiences`.
    pub fn names_for(audiences: &[Audience]) -> Vec<String> {
        Action::ALL
            .into_iter()
            .filter(|a| audiences.contains(&a.audience()))
            .map(|a| a.as_str().to_string())
            .collect()
    }
}

/// How a stored action name reads: its description, or the name in words for a name this
/// version no longer knows (rows are never rewritten).
pub fn describe(name: &str) -> String {
    Action::parse(name)
        .map(|a| a.description().to_string())
        .unwrap_or_else(|| name.replace(['.', '_'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_action_has_a_unique_name_that_reads_back() {
        let names: HashSet<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), Action::ALL.len());
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert!(!action.description().is_empty(), "{action:?}");
            assert!(action.as_str().contains('.'), "{action:?}");
        }
    }

    #[test]
    fn money_and_sign_ins_stay_out_of_the_team_feed() {
        let team = Action::names_for(&[Audience::Team]);
        assert!(team.contains(&"client.created".to_string()));
        for hidden in [
            "auth.sign_in",
            "payout.paid",
            "commissions.adjusted",
            "branding.published",
        ] {
            assert!(!team.contains(&hidden.to_string()), "{hidden}");
        }
        let owners = Action::names_for(&[Audience::Team, Audience::Money, Audience::Branding]);
        assert!(owners.contains(&"payout.paid".to_string()));
        assert!(owners.contains(&"branding.published".to_string()));
        assert!(!owners.contains(&"auth.sign_in".to_string()));
    }

    #[test]
    fn unknown_names_still_read_as_words() {
        assert_eq!(describe("client.created"), "Added a client");
        assert_eq!(describe("branding.domain_set"), "Set the custom domain");
        assert_eq!(describe("legacy.thing_done"), "legacy thing done");
    }
}
