//! The authorization table: every server function x every kind of caller x the expected
//! answer, through the real router. Each feature adds its rows here.

use std::collections::HashMap;

use crate::common::*;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// Who calls: nobody signed in, or one of the demo accounts.
#[derive(Clone, Copy, Debug)]
enum Caller {
    Anonymous,
    User(&'static str),
}
use Caller::*;

/// Arguments a row needs, resolved against the seeded data.
#[derive(Clone, Copy, Debug)]
enum Args {
    None,
    /// Northwind's client Fabrikam.
    FabrikamClient,
    /// Contoso's client Olympia Tools.
    OlympiaClient,
    /// A demo application.
    Application,
    /// A note on a demo application.
    ApplicationNote,
    /// Approving a demo application.
    ApproveApplication,
    /// Rejecting a demo application.
    RejectApplication,
    /// The first page of a client list.
    ClientListFirstPage,
    /// A new client for the caller's partner.
    NewClient,
    /// Editing Fabrikam (Northwind's).
    EditFabrikam,
    /// Suspending Fabrikam.
    SuspendFabrikam,
    /// Logging in as Fabrikam.
    LogInAsFabrikam,
    /// Updating the account contact in the client portal.
    AccountContact,
    /// Inviting a user in the client portal.
    InviteAccountUser,
    /// Turning reseller access on (it is on already).
    ResellerAccessOn,
    /// The first page of the review queue.
    QueueFirstPage,
    /// Last month (open in the demo data).
    LastMonth,
    /// Closing last month, confirmed.
    CloseLastMonth,
    /// The month before last (closed in the demo data), first page of its statement.
    ClosedStatement,
    /// An adjustment to Northwind's statement of the month before last.
    AdjustNorthwind,
    /// Paying Northwind's earliest due payout.
    PayDuePayout,
    /// Choosing a payout method.
    PayoutMethod,
    /// A complete, valid brand form.
    BrandForm,
    /// Version 1 of the caller's brand.
    BrandVersion,
    /// A stylesheet to check.
    CustomCss,
    /// A custom domain.
    CustomDomain,
    /// The brand of the branded sign-in page of Northwind.
    NorthwindBrandKey,
    /// A demo account with a wrong password.
    WrongPassword,
    /// An application with nothing filled in.
    EmptyApplication,
    /// An invitation token that was never issued.
    UnknownInvitation,
    /// A valid new API key.
    NewApiKey,
    /// Revoking an API key that does not exist, confirmed.
    UnknownApiKeyConfirmed,
    /// Accepting an invitation that was never issued, with a good password.
    AcceptUnknownInvitation,
    /// Removing a user who is not on the account.
    RemoveUnknownUser,
    /// A display name for the caller's own account.
    DisplayName,
    /// A password change with a wrong current password.
    WrongCurrentPassword,
    /// An invitation to the caller's team.
    InviteTeamMember,
    /// A team invitation id that names nothing.
    UnknownTeamInvitation,
    /// A role for a member who is not on the team.
    UnknownMemberRole,
    /// Removing (or making owner) a member who is not on the team, confirmed.
    UnknownMemberConfirmed,
    /// Asking for a reset link for an address without an account.
    ForgotUnknownAddress,
    /// A code that is not the app's.
    WrongCode,
    /// A wrong password to turn two-factor sign-in off.
    WrongPasswordOnly,
    /// A new password through a link that was never issued.
    ResetUnknownLink,
    /// The first page of an audit log, unfiltered.
    AuditFirstPage,
    /// The first page of the admin's partner list.
    PartnerListFirstPage,
    /// A partner id that names nothing.
    UnknownPartner,
    /// A change of standing, with a reason, for a partner that does not exist.
    UnknownPartnerStatus,
    /// A tier pin, with a reason, for a partner that does not exist.
    UnknownPartnerTier,
    /// Switches, with a reason, for a partner that does not exist.
    UnknownPartnerSwitches,
    /// A new partner with nothing filled in.
    EmptyNewPartner,
    /// A profile, with a reason, for a partner that does not exist.
    UnknownPartnerProfile,
    /// A valid webhook endpoint.
    NewWebhookEndpoint,
    /// A webhook endpoint id that names nothing.
    UnknownWebhookEndpoint,
    /// The first page of the delivery log of an endpoint that does not exist.
    UnknownWebhookLog,
    /// Valid settings for an endpoint that does not exist.
    UnknownWebhookEdit,
    /// An endpoint that does not exist, confirmed (rotate, delete) or not (test event).
    UnknownWebhookConfirmed,
    /// Sending again a delivery that does not exist.
    UnknownWebhookDelivery,
    /// Replaying since yesterday to an endpoint that does not exist.
    UnknownWebhookReplay,
    /// A valid deal registration.
    NewDeal,
    /// A prospect to check.
    DealCheck,
    /// Approving a registration that does not exist.
    UnknownDealDecision,
    /// Proposing territories and industries.
    ProposeProfile,
    /// Accepting a proposal of a partner that does not exist.
    UnknownPartnerProposal,
    /// Showing the partner's name on the leaderboard.
    OptIn,
    /// Recording a completion for a member of a partner that does not exist.
    UnknownPartnerCertification,
    /// Revoking a certification that does not exist, confirmed.
    UnknownCertificationConfirmed,
    /// Activity on a deal that does not exist.
    UnknownDealActivity,
    /// Asking for more time on a deal that does not exist.
    UnknownDealExtension,
    /// Granting more time to a deal that does not exist.
    UnknownExtensionAnswer,
    /// Converting a deal that does not exist, confirmed.
    UnknownDealConvert,
    /// Accepting a lead that does not exist.
    UnknownLeadAccept,
    /// Declining a lead that does not exist.
    UnknownLeadDecline,
    /// Handing over a lead that does not exist.
    UnknownLeadReassign,
    /// The report of an import that does not exist.
    UnknownLeadImport,
    /// A new lead (in a country no demo partner serves).
    NewLead,
    /// A direct purchase of a domain nobody protects.
    UnprotectedDirectPurchase,
    /// Requiring two-factor sign-in of the team, confirmed (the demo owners do not have it
    /// themselves, so past the guard it is refused as a form error).
    RequireTeamTwoFactor,
}

/// Changing a team: owners only, of their own partner; past the guard, an id that names
/// nothing of theirs is not found.
const TEAM_OWNERS_FIND_NOTHING: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(NW_MANAGER), 403),
    (User(NW_SALES), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_OWNER), 404),
    (User(CONTOSO_OWNER), 404),
];

/// Owners only, each for their own partner.
const API_KEY_OWNERS: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(NW_MANAGER), 403),
    (User(NW_SALES), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_OWNER), 200),
    (User(CONTOSO_OWNER), 200),
];

/// Webhooks: owners and managers, each of their own partner.
const WEBHOOK_MANAGERS: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(NW_SALES), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_OWNER), 200),
    (User(NW_MANAGER), 200),
    (User(CONTOSO_OWNER), 200),
];

/// Webhooks, past the guard: an id that names nothing of the caller's partner is not found.
const WEBHOOK_MANAGERS_FIND_NOTHING: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(NW_SALES), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_OWNER), 404),
    (User(NW_MANAGER), 404),
    (User(CONTOSO_OWNER), 404),
];

/// Deals, past the guard: an id that names nothing of the caller's partner is not found.
const DEAL_SELLERS_FIND_NOTHING: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(NW_OWNER), 404),
    (User(NW_MANAGER), 404),
    (User(NW_SALES), 404),
    (User(CONTOSO_OWNER), 404),
];

/// Leads, past the guard: a lead that is not on offer to the caller's partner cannot be
/// answered (the same answer as one whose offer lapsed).
const LEAD_ANSWERERS_FIND_NOTHING: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(NW_OWNER), 409),
    (User(NW_MANAGER), 409),
    (User(NW_SALES), 409),
    (User(CONTOSO_OWNER), 409),
];

/// Every member of a partner, each for their own partner; not admins, not client users.
const PARTNER_MEMBERS: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_OWNER), 200),
    (User(NW_MANAGER), 200),
    (User(NW_SALES), 200),
    (User(NW_SUPPORT), 200),
    (User(NW_VIEWER), 200),
    (User(CONTOSO_OWNER), 200),
];

/// Deals: owners, managers and sales of their own partner.
const DEAL_SELLERS: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(NW_OWNER), 200),
    (User(NW_MANAGER), 200),
    (User(NW_SALES), 200),
    (User(CONTOSO_OWNER), 200),
];

/// Everyone signed in, each for their own account; nobody anonymous.
const EVERYONE_FOR_THEMSELVES: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 200),
    (User(NW_OWNER), 200),
    (User(NW_VIEWER), 200),
    (User(CONTOSO_OWNER), 200),
    (User(FABRIKAM_OWNER), 200),
];

/// The branding editor: the same callers as commissions (owners and managers of their own
/// partner); Contoso (Bronze) may look at what unlocks white-label.
const BRANDING_READERS: &[(Caller, u16)] = COMMISSION_READERS;

/// Changing a brand: Northwind's owner and manager; Contoso is Bronze, without white-label.
const BRANDING_EDITORS: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(NW_SALES), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(CONTOSO_OWNER), 403),
    (User(NW_OWNER), 200),
    (User(NW_MANAGER), 200),
];

/// A valid brand form.
pub const BRAND_FORM: [(&str, &str); 17] = [
    ("input[primary_color]", "#0e7490"),
    ("input[secondary_color]", "#155e75"),
    ("input[success_color]", "#15803d"),
    ("input[warning_color]", "#a16207"),
    ("input[error_color]", "#b91c1c"),
    ("input[logo]", ""),
    ("input[logo_url]", ""),
    ("input[favicon]", ""),
    ("input[favicon_url]", ""),
    ("input[background]", ""),
    ("input[background_url]", ""),
    ("input[company_name]", "Northwind Cloud"),
    ("input[support_email]", "support@northwind.example"),
    ("input[support_phone]", ""),
    ("input[terms_url]", ""),
    ("input[privacy_url]", ""),
    ("input[custom_css]", ""),
];

/// Owners and managers of the caller's own partner only.
const COMMISSION_READERS: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(ADMIN), 403),
    (User(NW_SALES), 403),
    (User(NW_SUPPORT), 403),
    (User(NW_VIEWER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(NW_OWNER), 200),
    (User(NW_MANAGER), 200),
    (User(CONTOSO_OWNER), 200),
];

struct Row {
    endpoint: &'static str,
    args: Args,
    expect: &'static [(Caller, u16)],
}

/// Admin functions: everyone else is refused.
const ADMIN_ONLY: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(NW_OWNER), 403),
    (User(NW_MANAGER), 403),
    (User(NW_SALES), 403),
    (User(NW_VIEWER), 403),
    (User(CONTOSO_OWNER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(ADMIN), 200),
];

/// Admin functions on a partner that does not exist: everyone else is refused first.
const ADMIN_FINDS_NOTHING: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(NW_OWNER), 403),
    (User(NW_MANAGER), 403),
    (User(NW_VIEWER), 403),
    (User(CONTOSO_OWNER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(ADMIN), 404),
];

/// Crediting a direct purchase of a domain nobody protects: everyone else is refused first;
/// the admin is told that no partner is credited.
const ADMIN_FINDS_NOTHING_TO_CREDIT: &[(Caller, u16)] = &[
    (Anonymous, 401),
    (User(NW_OWNER), 403),
    (User(NW_MANAGER), 403),
    (User(NW_VIEWER), 403),
    (User(CONTOSO_OWNER), 403),
    (User(FABRIKAM_OWNER), 403),
    (User(ADMIN), 422),
];

/// A well-formed token and id that name nothing.
const UNKNOWN_TOKEN: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

const EVERY_MEMBER_OF_NORTHWIND: [&str; 5] =
    [NW_OWNER, NW_MANAGER, NW_SALES, NW_SUPPORT, NW_VIEWER];

fn table() -> Vec<Row> {
    vec![
        Row {
            endpoint: "whoami",
            args: Args::None,
            expect: &[
                (Anonymous, 200),
                (User(ADMIN), 200),
                (User(NW_VIEWER), 200),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            endpoint: "admin/partners",
            args: Args::PartnerListFirstPage,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 200),
                (User(NW_OWNER), 403),
                (User(NW_MANAGER), 403),
                (User(NW_VIEWER), 403),
                (User(CONTOSO_OWNER), 403),
                (User(FABRIKAM_OWNER), 403),
            ],
        },
        Row {
            // Owners and managers, their own partner's rows only (tests/integration/audit_log.rs).
            endpoint: "partner/audit",
            args: Args::AuditFirstPage,
            expect: COMMISSION_READERS,
        },
        Row {
            // Admins only; past the guard, an id that names nothing is not found
            // (tests/integration/governance.rs changes real partners).
            endpoint: "admin/partner",
            args: Args::UnknownPartner,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/partner/status",
            args: Args::UnknownPartnerStatus,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/partner/tier",
            args: Args::UnknownPartnerTier,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/partner/switches",
            args: Args::UnknownPartnerSwitches,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/partner/profile",
            args: Args::UnknownPartnerProfile,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            // Past the guard, an empty form is named field by field.
            endpoint: "admin/partners/create",
            args: Args::EmptyNewPartner,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(NW_MANAGER), 403),
                (User(NW_VIEWER), 403),
                (User(CONTOSO_OWNER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(ADMIN), 422),
            ],
        },
        Row {
            endpoint: "admin/audit",
            args: Args::AuditFirstPage,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "partner/overview",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_OWNER), 200),
                (User(NW_MANAGER), 200),
                (User(NW_SALES), 200),
                (User(NW_SUPPORT), 200),
                (User(NW_VIEWER), 200),
                (User(CONTOSO_OWNER), 200),
                (User(FABRIKAM_OWNER), 403),
            ],
        },
        Row {
            endpoint: "partner/client",
            args: Args::FabrikamClient,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_OWNER), 200),
                (User(NW_VIEWER), 200),
                // Another partner's member gets "not found", exactly as for a made-up id.
                (User(CONTOSO_OWNER), 404),
                (User(FABRIKAM_OWNER), 403),
            ],
        },
        Row {
            endpoint: "partner/client",
            args: Args::OlympiaClient,
            expect: &[
                (User(NW_OWNER), 404),
                (User(NW_SUPPORT), 404),
                (User(CONTOSO_OWNER), 200),
            ],
        },
        Row {
            endpoint: "admin/applications",
            args: Args::QueueFirstPage,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "partner/dashboard",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_OWNER), 200),
                (User(NW_MANAGER), 200),
                (User(NW_SALES), 200),
                (User(NW_SUPPORT), 200),
                (User(NW_VIEWER), 200),
                (User(CONTOSO_OWNER), 200),
                (User(FABRIKAM_OWNER), 403),
            ],
        },
        Row {
            endpoint: "partner/commissions",
            args: Args::None,
            expect: COMMISSION_READERS,
        },
        Row {
            endpoint: "partner/commissions/statement",
            args: Args::ClosedStatement,
            expect: COMMISSION_READERS,
        },
        Row {
            endpoint: "partner/branding",
            args: Args::None,
            expect: BRANDING_READERS,
        },
        Row {
            endpoint: "partner/branding/check-css",
            args: Args::CustomCss,
            expect: BRANDING_EDITORS,
        },
        Row {
            endpoint: "partner/branding/save",
            args: Args::BrandForm,
            expect: BRANDING_EDITORS,
        },
        Row {
            endpoint: "partner/branding/publish",
            args: Args::BrandVersion,
            expect: BRANDING_EDITORS,
        },
        Row {
            endpoint: "partner/branding/restore",
            args: Args::BrandVersion,
            expect: BRANDING_EDITORS,
        },
        Row {
            // Before the row that sets Northwind's domain, so there is nothing to verify and
            // no DNS is asked; the lookup itself is tested in branding.rs against a real DNS
            // server.
            endpoint: "partner/branding/domain/verify",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_SALES), 403),
                (User(NW_SUPPORT), 403),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(CONTOSO_OWNER), 403),
                (User(NW_OWNER), 404),
                (User(NW_MANAGER), 404),
            ],
        },
        Row {
            endpoint: "partner/branding/domain",
            args: Args::CustomDomain,
            expect: BRANDING_EDITORS,
        },
        Row {
            // Public: the sign-in page needs the brand before anyone signs in.
            endpoint: "brand",
            args: Args::NorthwindBrandKey,
            expect: &[
                (Anonymous, 200),
                (User(FABRIKAM_OWNER), 200),
                (User(CONTOSO_OWNER), 200),
            ],
        },
        Row {
            endpoint: "partner/payout-method",
            args: Args::PayoutMethod,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_MANAGER), 403),
                (User(NW_SALES), 403),
                (User(NW_SUPPORT), 403),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_OWNER), 200),
            ],
        },
        Row {
            endpoint: "admin/overview",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/commissions/months",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/commissions/preview",
            args: Args::LastMonth,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/commissions/close",
            args: Args::CloseLastMonth,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/commissions/close-progress",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/commissions/adjust",
            args: Args::AdjustNorthwind,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/payouts",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/payouts/pay",
            args: Args::PayDuePayout,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/application",
            args: Args::Application,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/application/note",
            args: Args::ApplicationNote,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/applications/stats",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/application/decide",
            args: Args::ApproveApplication,
            // Refused callers first: the admin's approval then really happens.
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(NW_MANAGER), 403),
                (User(NW_VIEWER), 403),
                (User(CONTOSO_OWNER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(ADMIN), 200),
            ],
        },
        Row {
            endpoint: "admin/application/decide",
            args: Args::RejectApplication,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(NW_SALES), 403),
                (User(CONTOSO_OWNER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(ADMIN), 200),
            ],
        },
        Row {
            endpoint: "partner/clients",
            args: Args::ClientListFirstPage,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_VIEWER), 200),
                (User(CONTOSO_OWNER), 200),
            ],
        },
        Row {
            endpoint: "partner/plans",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_SALES), 200),
            ],
        },
        Row {
            endpoint: "partner/clients/create",
            args: Args::NewClient,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_VIEWER), 403),
                (User(NW_SUPPORT), 403),
                (User(NW_SALES), 200),
            ],
        },
        Row {
            endpoint: "partner/clients/update",
            args: Args::EditFabrikam,
            expect: &[
                (Anonymous, 401),
                (User(NW_VIEWER), 403),
                (User(NW_SUPPORT), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(CONTOSO_OWNER), 404),
                (User(NW_MANAGER), 200),
            ],
        },
        Row {
            endpoint: "partner/clients/status",
            args: Args::SuspendFabrikam,
            expect: &[
                (Anonymous, 401),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(CONTOSO_OWNER), 404),
                (User(NW_SALES), 200),
            ],
        },
        Row {
            endpoint: "partner/clients/impersonate",
            args: Args::LogInAsFabrikam,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_SALES), 403),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(CONTOSO_OWNER), 404),
                (User(NW_SUPPORT), 200),
                (User(NW_OWNER), 200),
            ],
        },
        Row {
            endpoint: "app/account/contact",
            args: Args::AccountContact,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(ADMIN), 403),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            endpoint: "app/users",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            endpoint: "app/users/invite",
            args: Args::InviteAccountUser,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(ADMIN), 403),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            endpoint: "app/support-access",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(NW_SUPPORT), 403),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            endpoint: "app/support-access/set",
            args: Args::ResellerAccessOn,
            expect: &[
                (Anonymous, 401),
                (User(NW_OWNER), 403),
                (User(ADMIN), 403),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            endpoint: "app/account",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_OWNER), 403),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            // Every member reads their own team; only owners change it.
            endpoint: "team",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_OWNER), 200),
                (User(NW_VIEWER), 200),
                (User(NW_SUPPORT), 200),
                (User(CONTOSO_OWNER), 200),
            ],
        },
        Row {
            endpoint: "team/invite",
            args: Args::InviteTeamMember,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_MANAGER), 403),
                (User(NW_SALES), 403),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_OWNER), 200),
                (User(CONTOSO_OWNER), 200),
            ],
        },
        Row {
            endpoint: "team/invite/resend",
            args: Args::UnknownTeamInvitation,
            expect: TEAM_OWNERS_FIND_NOTHING,
        },
        Row {
            endpoint: "team/invite/revoke",
            args: Args::UnknownTeamInvitation,
            expect: TEAM_OWNERS_FIND_NOTHING,
        },
        Row {
            endpoint: "team/role",
            args: Args::UnknownMemberRole,
            expect: TEAM_OWNERS_FIND_NOTHING,
        },
        Row {
            endpoint: "team/remove",
            args: Args::UnknownMemberConfirmed,
            expect: TEAM_OWNERS_FIND_NOTHING,
        },
        Row {
            endpoint: "team/transfer",
            args: Args::UnknownMemberConfirmed,
            expect: TEAM_OWNERS_FIND_NOTHING,
        },
        Row {
            // API keys are the owner's alone.
            endpoint: "api-keys",
            args: Args::None,
            expect: API_KEY_OWNERS,
        },
        Row {
            endpoint: "api-keys/create",
            args: Args::NewApiKey,
            expect: API_KEY_OWNERS,
        },
        Row {
            endpoint: "api-keys/revoke",
            args: Args::UnknownApiKeyConfirmed,
            expect: TEAM_OWNERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks",
            args: Args::None,
            expect: WEBHOOK_MANAGERS,
        },
        Row {
            endpoint: "webhooks/create",
            args: Args::NewWebhookEndpoint,
            expect: WEBHOOK_MANAGERS,
        },
        Row {
            endpoint: "webhooks/endpoint",
            args: Args::UnknownWebhookEndpoint,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/deliveries",
            args: Args::UnknownWebhookLog,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/update",
            args: Args::UnknownWebhookEdit,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/rotate",
            args: Args::UnknownWebhookConfirmed,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/delete",
            args: Args::UnknownWebhookConfirmed,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/test",
            args: Args::UnknownWebhookConfirmed,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/resend",
            args: Args::UnknownWebhookDelivery,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "webhooks/replay",
            args: Args::UnknownWebhookReplay,
            expect: WEBHOOK_MANAGERS_FIND_NOTHING,
        },
        Row {
            endpoint: "deals",
            args: Args::None,
            expect: PARTNER_MEMBERS,
        },
        Row {
            endpoint: "deals/check",
            args: Args::DealCheck,
            expect: DEAL_SELLERS,
        },
        Row {
            endpoint: "deals/register",
            args: Args::NewDeal,
            expect: DEAL_SELLERS,
        },
        Row {
            endpoint: "partner/profile",
            args: Args::None,
            expect: PARTNER_MEMBERS,
        },
        Row {
            endpoint: "partner/profile/propose",
            args: Args::ProposeProfile,
            expect: API_KEY_OWNERS,
        },
        Row {
            endpoint: "admin/partner/proposal",
            args: Args::UnknownPartner,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/partner/proposal/decide",
            args: Args::UnknownPartnerProposal,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "health",
            args: Args::None,
            expect: PARTNER_MEMBERS,
        },
        Row {
            endpoint: "leaderboard",
            args: Args::None,
            expect: PARTNER_MEMBERS,
        },
        Row {
            endpoint: "leaderboard/opt-in",
            args: Args::OptIn,
            expect: API_KEY_OWNERS,
        },
        Row {
            endpoint: "certifications",
            args: Args::None,
            expect: PARTNER_MEMBERS,
        },
        Row {
            endpoint: "admin/certifications",
            args: Args::UnknownPartner,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/certifications/record",
            args: Args::UnknownPartnerCertification,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/certifications/revoke",
            args: Args::UnknownCertificationConfirmed,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "deals/activity",
            args: Args::UnknownDealActivity,
            expect: DEAL_SELLERS_FIND_NOTHING,
        },
        Row {
            endpoint: "deals/extension",
            args: Args::UnknownDealExtension,
            expect: DEAL_SELLERS_FIND_NOTHING,
        },
        Row {
            endpoint: "admin/deals/extension",
            args: Args::UnknownExtensionAnswer,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "deals/convert",
            args: Args::UnknownDealConvert,
            expect: DEAL_SELLERS_FIND_NOTHING,
        },
        Row {
            endpoint: "admin/deals",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/deals/direct",
            args: Args::UnprotectedDirectPurchase,
            expect: ADMIN_FINDS_NOTHING_TO_CREDIT,
        },
        Row {
            endpoint: "admin/leaderboard",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "leads",
            args: Args::None,
            expect: PARTNER_MEMBERS,
        },
        Row {
            endpoint: "leads/accept",
            args: Args::UnknownLeadAccept,
            expect: LEAD_ANSWERERS_FIND_NOTHING,
        },
        Row {
            endpoint: "leads/decline",
            args: Args::UnknownLeadDecline,
            expect: LEAD_ANSWERERS_FIND_NOTHING,
        },
        Row {
            endpoint: "admin/leads",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/leads/import",
            args: Args::UnknownLeadImport,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/leads/create",
            args: Args::NewLead,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "admin/leads/reassign",
            args: Args::UnknownLeadReassign,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "admin/deals/decide",
            args: Args::UnknownDealDecision,
            expect: ADMIN_FINDS_NOTHING,
        },
        Row {
            endpoint: "team/two-factor",
            args: Args::RequireTeamTwoFactor,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_MANAGER), 403),
                (User(NW_SALES), 403),
                (User(NW_SUPPORT), 403),
                (User(NW_VIEWER), 403),
                (User(FABRIKAM_OWNER), 403),
                (User(NW_OWNER), 422),
                (User(CONTOSO_OWNER), 422),
            ],
        },
        Row {
            // Public, and answered alike for every caller and every address.
            endpoint: "password/forgot",
            args: Args::ForgotUnknownAddress,
            expect: &[
                (Anonymous, 200),
                (User(ADMIN), 200),
                (User(NW_VIEWER), 200),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            // Public: holding an open link is the permission; this one opens nothing.
            endpoint: "password/reset",
            args: Args::ResetUnknownLink,
            expect: &[
                (Anonymous, 422),
                (User(ADMIN), 422),
                (User(NW_VIEWER), 422),
                (User(FABRIKAM_OWNER), 422),
            ],
        },
        Row {
            endpoint: "account/two-factor",
            args: Args::None,
            expect: EVERYONE_FOR_THEMSELVES,
        },
        Row {
            // The demo admin has it on already (admins must): there is nothing to start.
            endpoint: "account/two-factor/start",
            args: Args::None,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 409),
                (User(NW_OWNER), 200),
                (User(NW_VIEWER), 200),
                (User(CONTOSO_OWNER), 200),
                (User(FABRIKAM_OWNER), 200),
            ],
        },
        Row {
            // After the row above every other caller is setting up; a wrong code is named.
            endpoint: "account/two-factor/confirm",
            args: Args::WrongCode,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 409),
                (User(NW_OWNER), 422),
                (User(NW_VIEWER), 422),
                (User(CONTOSO_OWNER), 422),
                (User(FABRIKAM_OWNER), 422),
            ],
        },
        Row {
            // Required of admins: it cannot be turned off, whatever the password.
            endpoint: "account/two-factor/disable",
            args: Args::WrongPasswordOnly,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_OWNER), 422),
                (User(NW_VIEWER), 422),
                (User(CONTOSO_OWNER), 422),
                (User(FABRIKAM_OWNER), 422),
            ],
        },
        Row {
            // Public: only a sign-in of this session waiting for its code may pass; there is
            // none here, so every caller is told to sign in again.
            endpoint: "login/two-factor",
            args: Args::WrongCode,
            expect: &[
                (Anonymous, 422),
                (User(ADMIN), 422),
                (User(NW_VIEWER), 422),
                (User(FABRIKAM_OWNER), 422),
            ],
        },
        Row {
            endpoint: "admin/audit/verify",
            args: Args::None,
            expect: ADMIN_ONLY,
        },
        Row {
            endpoint: "account",
            args: Args::None,
            expect: EVERYONE_FOR_THEMSELVES,
        },
        Row {
            endpoint: "account/profile",
            args: Args::DisplayName,
            expect: EVERYONE_FOR_THEMSELVES,
        },
        Row {
            // Past the guard, every signed-in caller is told their current password is wrong.
            endpoint: "account/password",
            args: Args::WrongCurrentPassword,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 422),
                (User(NW_OWNER), 422),
                (User(NW_VIEWER), 422),
                (User(CONTOSO_OWNER), 422),
                (User(FABRIKAM_OWNER), 422),
            ],
        },
        Row {
            // Public: anyone may try; a wrong password is refused alike for every caller, as
            // a form-level message that does not say which half was wrong.
            endpoint: "login",
            args: Args::WrongPassword,
            expect: &[
                (Anonymous, 422),
                (User(NW_VIEWER), 422),
                (User(FABRIKAM_OWNER), 422),
            ],
        },
        Row {
            // Public: an empty application is named field by field, for anyone.
            endpoint: "applications/submit",
            args: Args::EmptyApplication,
            expect: &[(Anonymous, 422), (User(NW_OWNER), 422), (User(ADMIN), 422)],
        },
        Row {
            // Public: an invitation link is its own credential; an unknown one shows nothing.
            endpoint: "invitation",
            args: Args::UnknownInvitation,
            expect: &[(Anonymous, 200), (User(NW_OWNER), 200)],
        },
        Row {
            endpoint: "invitation/accept",
            args: Args::AcceptUnknownInvitation,
            expect: &[(Anonymous, 422), (User(CONTOSO_OWNER), 422)],
        },
        Row {
            // Only the client's owner may remove users; they are told the user is not found.
            endpoint: "app/users/remove",
            args: Args::RemoveUnknownUser,
            expect: &[
                (Anonymous, 401),
                (User(ADMIN), 403),
                (User(NW_OWNER), 403),
                (User(NW_SUPPORT), 403),
                (User(FABRIKAM_OWNER), 404),
            ],
        },
        Row {
            // Only a session acting as a client has an impersonation to end.
            endpoint: "app/impersonation/end",
            args: Args::None,
            expect: &[
                (Anonymous, 403),
                (User(ADMIN), 403),
                (User(NW_OWNER), 403),
                (User(FABRIKAM_OWNER), 403),
            ],
        },
        Row {
            // Last: signing out ends the table's sessions. Anyone may sign out.
            endpoint: "logout",
            args: Args::None,
            expect: &[(Anonymous, 200), (User(NW_VIEWER), 200), (User(ADMIN), 200)],
        },
    ]
}

#[sqlx::test]
async fn every_server_function_answers_each_caller_as_the_table_says(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    let (checked, frozen_refusals) = run_table(&app, false).await;
    assert!(checked >= 30, "the table covers {checked} cases");
    assert_eq!(frozen_refusals, 0);
}

/// The whole table again with Northwind frozen: each of its members' calls is answered as
/// the table says or refused with the frozen notice, and afterwards Northwind's audit log
/// holds no change by its members (every change writes a row there). Reads and sign-ins
/// still work, and so does what is not the partner's: a member's own account (name,
/// password, two-factor), its clients' own portal, and the admins' work.
#[sqlx::test]
async fn a_frozen_partner_changes_nothing_through_any_server_function(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    sqlx::query("update partners set status = 'frozen' where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    let started: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("select now()")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (_, frozen_refusals) = run_table(&app, true).await;
    assert!(
        frozen_refusals >= 20,
        "Northwind's members' changes are refused as frozen ({frozen_refusals})"
    );
    let changes: Vec<String> = sqlx::query_scalar(
        "select a.action from audit_log a join partners p on p.id = a.partner_id
         where p.slug = 'northwind' and a.occurred_at >= $1
           and coalesce(a.real_user_id, a.actor_user_id) in
               (select user_id from partner_members where partner_id = p.id)
           and a.action not like 'auth.%' and a.action not like 'account.%'
           and a.action not like '%exported'",
    )
    .bind(started)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(changes.is_empty(), "a frozen partner changed: {changes:?}");
}

/// Runs every row of the table; returns how many calls were checked and how many were
/// refused with the frozen notice (allowed, when `frozen`, for Northwind's members only).
async fn run_table(app: &TestApp, frozen: bool) -> (usize, usize) {
    let fabrikam = app.client_id("fabrikam").await.to_string();
    let olympia = app.client_id("olympia-tools").await.to_string();
    let application: uuid::Uuid = sqlx::query_scalar(
        "select id from partner_applications where status = 'pending' order by reference limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let application = application.to_string();
    let second: uuid::Uuid = sqlx::query_scalar(
        "select id from partner_applications where status = 'pending' order by reference offset 1 limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let second = second.to_string();

    let last_month = partner_portal::program::Month::containing(chrono::Utc::now()).previous();
    let closed_month = last_month.previous().to_string();
    let last_month = last_month.to_string();
    let northwind: uuid::Uuid =
        sqlx::query_scalar("select id from partners where slug = 'northwind'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let northwind = northwind.to_string();
    let due_payout: uuid::Uuid = sqlx::query_scalar(
        "select id from payouts where paid_at is null and due_on <= current_date order by due_on limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let due_payout = due_payout.to_string();
    let next_month = (chrono::Utc::now() + chrono::TimeDelta::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let yesterday = (chrono::Utc::now() - chrono::TimeDelta::days(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();

    let mut cookies: HashMap<&str, String> = HashMap::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut frozen_refusals = 0;
    for row in table() {
        let form: Vec<(&str, &str)> = match row.args {
            Args::None => vec![],
            Args::FabrikamClient => vec![("client_id", fabrikam.as_str())],
            Args::OlympiaClient => vec![("client_id", olympia.as_str())],
            Args::Application => vec![("id", application.as_str())],
            Args::ApplicationNote => vec![
                ("input[id]", application.as_str()),
                ("input[body]", "A note"),
            ],
            Args::ApproveApplication => vec![
                ("input[id]", application.as_str()),
                ("input[action]", "approve"),
            ],
            Args::RejectApplication => vec![
                ("input[id]", second.as_str()),
                ("input[action]", "reject"),
                ("input[reason]", "Not a fit"),
            ],
            Args::ClientListFirstPage => vec![
                ("query[sort]", "Company"),
                ("query[descending]", "false"),
                ("query[position]", "first"),
            ],
            Args::NewClient => vec![
                ("input[company_name]", "Table Client"),
                ("input[contact_name]", "Tab"),
                ("input[contact_email]", "tab@table.example"),
                ("input[contact_phone]", ""),
                ("input[plan]", "starter"),
                ("input[custom_price]", ""),
                ("input[region]", ""),
            ],
            Args::EditFabrikam => vec![
                ("client_id", fabrikam.as_str()),
                ("input[company_name]", "Fabrikam"),
                ("input[contact_name]", "Fabrikam Owner"),
                ("input[contact_email]", "owner@fabrikam.demo.test"),
                ("input[contact_phone]", ""),
                ("input[plan]", "professional"),
                ("input[custom_price]", ""),
                ("input[billing_owned_by_reseller]", "on"),
                ("input[region]", "EMEA"),
            ],
            Args::SuspendFabrikam => {
                vec![
                    ("input[client_id]", fabrikam.as_str()),
                    ("input[status]", "suspended"),
                ]
            }
            Args::LogInAsFabrikam => {
                vec![
                    ("input[client_id]", fabrikam.as_str()),
                    ("input[reason]", "Table test"),
                ]
            }
            Args::AccountContact => vec![
                ("input[contact_name]", "Fabrikam Owner"),
                ("input[contact_phone]", ""),
            ],
            Args::InviteAccountUser => vec![("email", "colleague@fabrikam.example")],
            Args::ResellerAccessOn => vec![("enabled", "true")],
            Args::LastMonth => vec![("month", last_month.as_str())],
            Args::CloseLastMonth => vec![
                ("input[month]", last_month.as_str()),
                ("input[confirm]", "yes"),
            ],
            Args::ClosedStatement => vec![("month", closed_month.as_str()), ("page", "1")],
            Args::AdjustNorthwind => vec![
                ("input[partner_id]", northwind.as_str()),
                ("input[month]", closed_month.as_str()),
                ("input[amount]", "5.00"),
                ("input[reason]", "Table test"),
            ],
            Args::PayDuePayout => vec![
                ("input[payout_id]", due_payout.as_str()),
                ("input[method]", "ach"),
                ("input[reference]", "TABLE-1"),
            ],
            Args::PayoutMethod => vec![("input[method]", "ach"), ("input[account]", "ending 4242")],
            Args::BrandForm => BRAND_FORM.to_vec(),
            Args::BrandVersion => vec![("version", "1")],
            Args::CustomCss => vec![("css", "a { color: red }")],
            Args::CustomDomain => vec![("domain", "portal.northwind.example")],
            Args::NorthwindBrandKey => vec![("key[Slug]", "northwind")],
            Args::WrongPassword => vec![
                ("input[email]", NW_OWNER),
                ("input[password]", "not-the-password"),
            ],
            Args::EmptyApplication => vec![("input[company_name]", "")],
            Args::DisplayName => vec![("input[display_name]", "Renamed Person")],
            Args::WrongCurrentPassword => vec![
                ("input[current]", "not-the-password"),
                ("input[new]", "a longer passphrase 2026"),
                ("input[confirm]", "a longer passphrase 2026"),
            ],
            Args::UnknownInvitation => vec![("token", UNKNOWN_TOKEN)],
            Args::AcceptUnknownInvitation => vec![
                ("input[token]", UNKNOWN_TOKEN),
                ("input[display_name]", "Nobody"),
                ("input[password]", "a long enough password 2026"),
                ("input[password_confirm]", "a long enough password 2026"),
            ],
            Args::RemoveUnknownUser => vec![("user_id", UNKNOWN_ID)],
            Args::InviteTeamMember => vec![
                ("input[email]", "table-invite@example.com"),
                ("input[role]", "sales"),
            ],
            Args::UnknownTeamInvitation => vec![("invitation_id", UNKNOWN_ID)],
            Args::NewApiKey => vec![
                ("input[name]", "Table key"),
                ("input[scopes][0]", "clients:read"),
                ("input[days]", "30"),
            ],
            Args::UnknownApiKeyConfirmed => {
                vec![("input[key_id]", UNKNOWN_ID), ("input[confirm]", "yes")]
            }
            Args::ForgotUnknownAddress => vec![("input[email]", "nobody@example.com")],
            Args::WrongCode => vec![("input[code]", "000000")],
            Args::WrongPasswordOnly => vec![("input[password]", "not-the-password")],
            Args::ResetUnknownLink => vec![
                ("input[token]", UNKNOWN_TOKEN),
                ("input[password]", "a long enough password 2026"),
                ("input[password_confirm]", "a long enough password 2026"),
            ],
            Args::UnknownMemberRole => {
                vec![("input[user_id]", UNKNOWN_ID), ("input[role]", "viewer")]
            }
            Args::UnknownMemberConfirmed => {
                vec![("input[user_id]", UNKNOWN_ID), ("input[confirm]", "yes")]
            }
            Args::AuditFirstPage => vec![("query[position]", "first")],
            Args::UnknownPartner => vec![("id", UNKNOWN_ID)],
            Args::PartnerListFirstPage => {
                vec![("query[search]", "north"), ("query[position]", "first")]
            }
            Args::UnknownPartnerStatus => vec![
                ("input[partner_id]", UNKNOWN_ID),
                ("input[change]", "freeze"),
                ("input[reason]", "Table row"),
            ],
            Args::UnknownPartnerTier => vec![
                ("input[partner_id]", UNKNOWN_ID),
                ("input[tier]", "gold"),
                ("input[until]", ""),
                ("input[reason]", "Table row"),
            ],
            Args::EmptyNewPartner => vec![("input[name]", "")],
            Args::UnknownPartnerProfile => vec![
                ("input[partner_id]", UNKNOWN_ID),
                ("input[territories]", "US"),
                ("input[industries][0]", "retail"),
                ("input[reason]", "Table row"),
            ],
            Args::RequireTeamTwoFactor => {
                vec![("input[required]", "true"), ("input[confirm]", "yes")]
            }
            Args::NewDeal => vec![
                ("input[company_name]", "Table Prospect"),
                ("input[domain]", "table-prospect.example"),
                ("input[contact_name]", "Tab"),
                ("input[contact_email]", "tab@table-prospect.example"),
                ("input[country]", "US"),
                ("input[plan]", "starter"),
                ("input[seats]", "5"),
                ("input[monthly_value]", "99.00"),
                ("input[expected_close]", next_month.as_str()),
                ("input[notes]", ""),
            ],
            Args::DealCheck => vec![
                ("input[company_name]", "Table Prospect"),
                ("input[domain]", "table-prospect.example"),
            ],
            Args::OptIn => vec![("opt_in", "on")],
            Args::UnknownDealExtension => vec![
                ("input[deal_id]", UNKNOWN_ID),
                ("input[reason]", "Their budget opens in March."),
            ],
            Args::UnknownExtensionAnswer => {
                vec![("input[deal_id]", UNKNOWN_ID), ("input[decision]", "grant")]
            }
            Args::ProposeProfile => vec![
                ("input[territories]", "US, CA"),
                ("input[industries][0]", "retail"),
                ("input[reason]", "Table row"),
            ],
            Args::UnknownPartnerProposal => vec![
                ("input[partner_id]", UNKNOWN_ID),
                ("input[decision]", "accept"),
            ],
            Args::UnknownPartnerCertification => vec![
                ("input[partner_id]", UNKNOWN_ID),
                ("input[user_id]", UNKNOWN_ID),
                ("input[track]", "foundation"),
                ("input[modules][0]", "basics"),
                ("input[modules][1]", "onboarding"),
                ("input[modules][2]", "troubleshooting"),
                ("input[modules][3]", "sales"),
                ("input[completed_on]", "2026-11-02"),
                ("input[expires_on]", ""),
            ],
            Args::UnknownCertificationConfirmed => vec![
                ("input[certification_id]", UNKNOWN_ID),
                ("input[confirm]", "yes"),
            ],
            Args::UnknownDealActivity => {
                vec![("input[deal_id]", UNKNOWN_ID), ("input[note]", "Demo held")]
            }
            Args::UnknownDealConvert => {
                vec![("input[deal_id]", UNKNOWN_ID), ("input[confirm]", "yes")]
            }
            Args::UnknownLeadAccept => vec![
                ("input[lead_id]", UNKNOWN_ID),
                ("input[plan]", "professional"),
                ("input[monthly_value]", "500"),
                ("input[expected_close]", "2099-01-01"),
            ],
            Args::UnknownLeadDecline => vec![
                ("input[lead_id]", UNKNOWN_ID),
                ("input[reason]", "Not our market"),
            ],
            Args::UnknownLeadReassign => vec![
                ("input[lead_id]", UNKNOWN_ID),
                ("input[partner_slug]", "litware"),
                ("input[reason]", "Their rep is on leave"),
            ],
            Args::UnknownLeadImport => vec![("id", UNKNOWN_ID)],
            Args::UnprotectedDirectPurchase => vec![
                ("input[domain]", "nobody-protects.example"),
                ("input[plan]", "starter"),
                ("input[confirm]", "yes"),
            ],
            Args::NewLead => vec![
                ("input[company_name]", "Tailspin Toys"),
                ("input[domain]", "tailspin-toys.example"),
                ("input[contact_name]", "Tom Tail"),
                ("input[contact_email]", "tom@tailspin-toys.example"),
                ("input[country]", "JP"),
                ("input[industry]", "retail"),
                ("input[seats]", "12"),
            ],
            Args::UnknownDealDecision => vec![
                ("input[deal_id]", UNKNOWN_ID),
                ("input[decision]", "approve"),
            ],
            Args::NewWebhookEndpoint => vec![
                ("input[url]", "https://hooks.example.com/portal"),
                ("input[description]", "Table row"),
                ("input[events][0]", "client.created"),
            ],
            Args::UnknownWebhookEndpoint => vec![("id", UNKNOWN_ID)],
            Args::UnknownWebhookLog => vec![
                ("query[endpoint_id]", UNKNOWN_ID),
                ("query[position]", "first"),
            ],
            Args::UnknownWebhookEdit => vec![
                ("input[endpoint_id]", UNKNOWN_ID),
                ("input[url]", "https://hooks.example.com/portal"),
                ("input[events][0]", "client.created"),
                ("input[enabled]", "on"),
            ],
            Args::UnknownWebhookConfirmed => {
                vec![
                    ("input[endpoint_id]", UNKNOWN_ID),
                    ("input[confirm]", "yes"),
                ]
            }
            Args::UnknownWebhookDelivery => vec![
                ("input[endpoint_id]", UNKNOWN_ID),
                ("input[delivery_id]", UNKNOWN_ID),
            ],
            Args::UnknownWebhookReplay => vec![
                ("input[endpoint_id]", UNKNOWN_ID),
                ("input[since]", yesterday.as_str()),
            ],
            Args::UnknownPartnerSwitches => vec![
                ("input[partner_id]", UNKNOWN_ID),
                ("input[white_label]", "tier"),
                ("input[reason]", "Table row"),
            ],
            Args::QueueFirstPage => vec![
                ("query[sort]", "Submitted"),
                ("query[ascending]", "false"),
                ("query[position]", "first"),
            ],
        };
        for (caller, expected) in row.expect {
            let cookie = match caller {
                Anonymous => None,
                User(email) => {
                    if !cookies.contains_key(email) {
                        cookies.insert(email, app.sign_in(email).await);
                    }
                    cookies.get(email).cloned()
                }
            };
            let reply = app.call(cookie.as_deref(), row.endpoint, &form).await;
            checked += 1;
            let northwind_member =
                matches!(caller, User(email) if email.ends_with("@northwind.demo.test"));
            let refused_as_frozen =
                reply.status == 403 && reply.body.contains(partner_portal::auth::FROZEN_NOTICE);
            if refused_as_frozen {
                frozen_refusals += 1;
            }
            if frozen && northwind_member && refused_as_frozen {
                // A change refused: the table's answer would have been the unfrozen one.
            } else if reply.status.as_u16() != *expected {
                failures.push(format!(
                    "{} {:?} as {caller:?}: expected {expected}, got {} ({})",
                    row.endpoint, row.args, reply.status, reply.body
                ));
            }
            if reply.status.is_client_error() {
                assert!(
                    !reply.body.contains("sqlx") && !reply.body.to_lowercase().contains("select "),
                    "error bodies carry no internals: {}",
                    reply.body
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (checked, frozen_refusals)
}

/// Every server function the router serves has at least one row in the table above, so a
/// new one cannot ship without saying who may call it.
#[test]
fn every_registered_server_function_has_a_row() {
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    assert!(
        registered.len() >= 40,
        "expected the portal's server functions, found {registered:?}"
    );
    let covered: std::collections::BTreeSet<String> =
        table().iter().map(|row| row.endpoint.to_string()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the authorization table: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "rows for no server function: {unknown:?}"
    );
}

#[sqlx::test]
async fn every_member_sees_their_own_partner_and_no_other(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    for email in EVERY_MEMBER_OF_NORTHWIND {
        let cookie = app.sign_in(email).await;
        let reply = app.call(Some(&cookie), "partner/overview", &[]).await;
        assert_eq!(reply.status, 200);
        let overview: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(overview["name"], "Northwind", "{email}");
        assert_eq!(overview["active_clients"], 26, "{email}");
    }
    let cookie = app.sign_in(CONTOSO_OWNER).await;
    let reply = app.call(Some(&cookie), "partner/overview", &[]).await;
    let overview: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(overview["name"], "Contoso");
    let names: Vec<&str> = overview["recent_clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["company_name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"Fabrikam"),
        "no Northwind client in Contoso's overview: {names:?}"
    );
}

#[sqlx::test]
async fn a_client_user_sees_only_their_own_account(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let cookie = app.sign_in(FABRIKAM_OWNER).await;
    let reply = app.call(Some(&cookie), "app/account", &[]).await;
    assert_eq!(reply.status, 200);
    let account: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(account["company_name"], "Fabrikam");
    assert_eq!(account["plan_name"], "Professional");
    assert_eq!(account["status"], "Active");
    assert_eq!(account["monthly_price"], "299.00");
    assert_eq!(account["reseller_name"], "Northwind");
    // Help comes from the brand's support contacts, never a member's sign-in address.
    assert_eq!(account["support_email"], "support@northwind.demo.test");
    assert_eq!(account["support_phone"], "+1 555 0100");
    assert!(!reply.body.contains(NW_OWNER), "{}", reply.body);
}

#[sqlx::test]
async fn changes_of_role_or_standing_apply_at_the_next_call(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let app = TestApp::new(pool).await;
    let admin = app.sign_in(ADMIN).await;
    assert_eq!(
        app.call(Some(&admin), "admin/partners", &[]).await.status,
        200
    );
    sqlx::query("update users set is_admin = false where email = $1")
        .bind(ADMIN)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call(Some(&admin), "admin/partners", &[]).await.status,
        401,
        "no role left at all"
    );

    let owner = app.sign_in(NW_OWNER).await;
    assert_eq!(
        app.call(Some(&owner), "partner/overview", &[]).await.status,
        200
    );
    sqlx::query("update partners set status = 'suspended' where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call(Some(&owner), "partner/overview", &[]).await.status,
        403
    );

    sqlx::query("update partners set status = 'frozen' where slug = 'northwind'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call(Some(&owner), "partner/overview", &[]).await.status,
        200,
        "frozen partners can read"
    );

    sqlx::query("update users set disabled_at = now() where email = $1")
        .bind(NW_OWNER)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call(Some(&owner), "partner/overview", &[]).await.status,
        401
    );
}

// ---------------------------------------------------------------------------------------
// The partner API: every `/v1` operation x every kind of credential x the expected status.

/// Who calls the API: no key; a Northwind key with every scope but the operation's; a key of
/// another partner (Contoso) with every scope; a Northwind key with every scope made by a
/// member whose role is now the lowest (viewer); and a Northwind owner's key with every scope.
const API_CALLERS: [&str; 5] = [
    "no key",
    "without scope",
    "other partner",
    "lower role",
    "allowed",
];

/// An operation, the scope it needs, its body, and the status each of [`API_CALLERS`] gets,
/// in the order the callers call (the allowed one last, so that the others meet the state
/// before it). `{fabrikam}` is Northwind's client, `{license}` the license issued above,
/// `{month}` the latest closed month, `{version}` Northwind's newest brand version.
const API_TABLE: &[(&str, &str, &str, &str, [u16; 5])] = &[
    ("GET", "/v1/key", "", "", [401, 200, 200, 200, 200]),
    (
        "GET",
        "/v1/clients",
        "clients:read",
        "",
        [401, 403, 200, 200, 200],
    ),
    (
        "GET",
        "/v1/clients/{fabrikam}",
        "clients:read",
        "",
        [401, 403, 404, 200, 200],
    ),
    (
        "POST",
        "/v1/clients",
        "clients:write",
        r#"{"company_name":"Table Test Ltd","contact_name":"Tab Le","contact_email":"tab@table.test","plan":"starter"}"#,
        [401, 403, 201, 403, 201],
    ),
    (
        "PATCH",
        "/v1/clients/{fabrikam}",
        "clients:write",
        r#"{"region":"EMEA"}"#,
        [401, 403, 404, 403, 200],
    ),
    (
        "POST",
        "/v1/clients/{fabrikam}/licenses",
        "licenses:write",
        r#"{"type":"trial","duration_days":30,"max_users":5}"#,
        [401, 403, 404, 403, 201],
    ),
    (
        "GET",
        "/v1/clients/{fabrikam}/licenses",
        "clients:read",
        "",
        [401, 403, 404, 200, 200],
    ),
    (
        "GET",
        "/v1/licenses/{license}",
        "clients:read",
        "",
        [401, 403, 404, 200, 200],
    ),
    (
        "POST",
        "/v1/licenses/{license}/revoke",
        "licenses:write",
        "",
        [401, 403, 404, 403, 200],
    ),
    (
        "POST",
        "/v1/clients/{fabrikam}/suspend",
        "clients:write",
        "",
        [401, 403, 404, 403, 200],
    ),
    (
        "POST",
        "/v1/clients/{fabrikam}/resume",
        "clients:write",
        "",
        [401, 403, 404, 403, 200],
    ),
    (
        "POST",
        "/v1/clients/{fabrikam}/cancel",
        "clients:write",
        "",
        [401, 403, 404, 403, 200],
    ),
    (
        "GET",
        "/v1/metrics",
        "metrics:read",
        "",
        [401, 403, 200, 200, 200],
    ),
    (
        "GET",
        "/v1/statements",
        "commissions:read",
        "",
        [401, 403, 200, 200, 200],
    ),
    (
        "GET",
        "/v1/statements/{month}",
        "commissions:read",
        "",
        [401, 403, 200, 200, 200],
    ),
    // Contoso (Bronze) has no white-label: its key is refused there.
    (
        "POST",
        "/v1/branding/drafts",
        "branding:write",
        r#"{"company_name":"Northwind Cloud"}"#,
        [401, 403, 403, 403, 201],
    ),
    (
        "POST",
        "/v1/branding/publish",
        "branding:write",
        r#"{"version":{version}}"#,
        [401, 403, 403, 403, 200],
    ),
    (
        "GET",
        "/v1/licenses/public-key",
        "",
        "",
        [200, 200, 200, 200, 200],
    ),
    ("GET", "/v1/openapi.json", "", "", [200, 200, 200, 200, 200]),
    // Webhook endpoints are the owners' and managers' (the viewer's key is refused).
    (
        "POST",
        "/v1/webhook-endpoints",
        "webhooks:write",
        r#"{"url":"https://hooks.example.com/portal","events":["client.created"]}"#,
        [401, 403, 201, 403, 201],
    ),
    (
        "GET",
        "/v1/webhook-endpoints",
        "webhooks:write",
        "",
        [401, 403, 200, 403, 200],
    ),
    (
        "POST",
        "/v1/webhook-endpoints/{endpoint}/rotate-secret",
        "webhooks:write",
        "",
        [401, 403, 404, 403, 200],
    ),
    (
        "DELETE",
        "/v1/webhook-endpoints/{endpoint}",
        "webhooks:write",
        "",
        [401, 403, 404, 403, 204],
    ),
];

/// A key made straight in the database (the key page has its own tests): `scopes` for
/// `partner`, made by `maker`.
async fn api_key(app: &TestApp, partner: &str, maker: &str, scopes: &[&str]) -> String {
    use partner_portal::api_keys::token::{generate, hash, shown, Kind};
    let secret = generate(Kind::Key);
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    sqlx::query(
        "insert into api_keys (partner_id, name, shown, secret_hash, scopes, created_by, expires_at)
         select p.id, $3, $4, $5, $6, u.id, now() + interval '30 days'
         from partners p, users u where p.slug = $1 and u.email = $2",
    )
    .bind(partner)
    .bind(maker)
    .bind(format!("table {}", uuid::Uuid::new_v4()))
    .bind(shown(&secret))
    .bind(hash(&secret))
    .bind(&scopes)
    .execute(&app.pool)
    .await
    .unwrap();
    secret
}

#[sqlx::test]
async fn every_api_operation_answers_each_credential_as_the_table_says(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    use axum::{body::Body, http::Request};
    use partner_portal::api_keys::model::ApiScope;

    let app = TestApp::new(test_pool(connect).await).await;
    let every: Vec<&str> = ApiScope::ALL.iter().map(|s| s.slug()).collect();
    let other = api_key(&app, "contoso", CONTOSO_OWNER, &every).await;
    let lower = api_key(&app, "northwind", NW_VIEWER, &every).await;
    let allowed = api_key(&app, "northwind", NW_OWNER, &every).await;
    let fabrikam = app.client_id("fabrikam").await.to_string();
    let month = partner_portal::program::Month::containing(chrono::Utc::now())
        .previous()
        .previous()
        .to_string();
    let mut checked = 0;
    for (method, path, scope, body, expected) in API_TABLE {
        let license: Option<uuid::Uuid> =
            sqlx::query_scalar("select id from licenses order by issued_at desc limit 1")
                .fetch_optional(&app.pool)
                .await
                .unwrap();
        let version: i32 = sqlx::query_scalar(
            "select max(number) from branding_versions v join partners p on p.id = v.partner_id
             where p.slug = 'northwind'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        let endpoint: Option<uuid::Uuid> = sqlx::query_scalar(
            "select w.id from webhook_endpoints w join partners p on p.id = w.partner_id
             where p.slug = 'northwind' and w.deleted_at is null order by w.created_at desc limit 1",
        )
        .fetch_optional(&app.pool)
        .await
        .unwrap();
        let fill = |text: &str| {
            text.replace("{fabrikam}", &fabrikam)
                .replace(
                    "{endpoint}",
                    &endpoint.map(|e| e.to_string()).unwrap_or_default(),
                )
                .replace(
                    "{license}",
                    &license.map(|l| l.to_string()).unwrap_or_default(),
                )
                .replace("{month}", &month)
                .replace("{version}", &version.to_string())
        };
        let others: Vec<&str> = every.iter().copied().filter(|s| s != scope).collect();
        let without = api_key(&app, "northwind", NW_OWNER, &others).await;
        let keys = [
            None,
            Some(without),
            Some(other.clone()),
            Some(lower.clone()),
            Some(allowed.clone()),
        ];
        for ((who, key), want) in API_CALLERS.iter().zip(keys).zip(expected) {
            let mut request = Request::builder()
                .method(*method)
                .uri(fill(path))
                .header("content-type", "application/json");
            if let Some(key) = key {
                request = request.header("authorization", format!("Bearer {key}"));
            }
            let reply = app
                .send(
                    request.body(Body::from(fill(body))).unwrap(),
                    default_peer(),
                )
                .await;
            assert_eq!(
                reply.status.as_u16(),
                *want,
                "{method} {path} by {who}: {}",
                reply.body
            );
            checked += 1;
        }
    }
    assert_eq!(checked, API_TABLE.len() * API_CALLERS.len());
}
