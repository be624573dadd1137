//! Who may read an action's rows in a partner's activity.

use super::Action;

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
            | Action::WebhookDeliveryResent
            // Every member reads deals, the partner's level and the board.
            | Action::DealRegistered | Action::DealApproved | Action::DealDenied
            | Action::DealActivityRecorded | Action::DealProtectionEnded | Action::DealWon
            | Action::CertificationRecorded | Action::CertificationRevoked
            | Action::LeaderboardVisibilityChanged
            | Action::PartnerProfileProposed
            | Action::PartnerProfileProposalDismissed
            | Action::DealExtensionRequested
            | Action::DealExtensionGranted
            | Action::DealExtensionDeclined
            // The leads offered to the partner and its answers.
            | Action::LeadOffered
            | Action::LeadAccepted
            | Action::LeadDeclined
            | Action::LeadOfferLapsed
            | Action::LeadReassigned
            | Action::DealBoughtDirect => Audience::Team,
            // Leads before any partner holds them are the program team's.
            Action::LeadCreated | Action::LeadsImported | Action::LeadUnmatched => {
                Audience::Admins
            }
        }
    }
}
