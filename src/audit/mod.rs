//! The audit log: one append-only row per change of state, written in the same transaction
//! as the change (a database trigger refuses UPDATE, DELETE and TRUNCATE).

#[cfg(feature = "ssr")]
mod record;
#[cfg(feature = "ssr")]
pub use record::{record, AuditEntry};

/// What happened. The string form is what the log stores and what readers filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl Action {
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
        }
    }
}
