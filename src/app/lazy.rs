//! The pages the browser loads on demand. Pages are grouped by the part of the site they
//! belong to, and each group is a split point (a `#[lazy]` function): its pages' code, and the
//! server functions and types only they use, leave the main WebAssembly bundle for a chunk of
//! their own, which the router fetches before it shows one of them, and which the server
//! names in the page's head so that a first visit loads it beside the main bundle. Code that
//! several groups share lands in shared chunks, loaded once.
//!
//! Groups, not single pages: every split point multiplies the small shared chunks (one per set
//! of split points that share code), and a page's files are fetched one round trip at a time
//! per connection. Groups are split where a page of theirs passed 600 KB gzip: the admin
//! program (the overview, the partner list, one partner's page), the people pages (account,
//! team, API keys) and the review (the queue, one application) each became two or three
//! groups. With these seventeen, a page loads 100 to 194 files and 499 to 586 KB, except one
//! partner's admin page (610 KB) and the branding editor (634 KB). The dashboard, the page
//! members open most, is a group of its own (499 KB).
//!
//! The sign-in and landing pages stay in the main bundle: they are the first page most people
//! see, and they are small.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::{
    account::pages::AccountPage,
    admin::pages::{AdminHomePage, AdminPartnersPage},
    api_keys::pages::ApiKeysPage,
    applications::pages::{
        ApplicationDetailPage, ApplicationQueuePage, ApplicationStatsPage, ApplyPage,
        ApplyThanksPage,
    },
    audit_viewer::pages::{AdminAuditPage, PartnerAuditPage},
    auth::pages::TwoFactorPage,
    branding::pages::BrandingPage,
    clients::pages::{ClientDetailPage, ClientListPage, NewClientPage},
    commissions::pages::{
        AdminCommissionsPage, AdminPayoutsPage, PartnerCommissionsPage, StatementPage,
    },
    deals::pages::{AdminDealsPage, PartnerDealsPage},
    governance::{new_partner::NewPartnerPage, pages::AdminPartnerPage},
    health::{admin_board::AdminLeaderboardPage, pages::LeaderboardPage},
    invitations::pages::InvitePage,
    leads::pages::{AdminLeadsPage, PartnerLeadsPage},
    partners::pages::PartnerHomePage,
    portal::pages::{AccountUsersPage, ClientHomePage, SupportAccessPage},
    recovery::pages::{ForgotPasswordPage, ResetPasswordPage},
    team::pages::TeamPage,
    webhooks::pages::{WebhookEndpointPage, WebhooksPage},
};

#[cfg(feature = "ssr")]
mod preload;

/// A route whose view is one page of a lazy group. The route's data half is empty: the pages
/// load their own data. `preload` starts fetching the group's chunk as soon as the router
/// matches the route (the function `#[lazy]` made beside the group's, in the browser only);
/// on the server the page's head names the group's files, so that a first visit fetches
/// them beside the main bundle instead of after it.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $group:ident($($page:expr)?), $preload:ident) => {
        $(#[$doc])*
        pub struct $route;
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }
            async fn view(_: Self) -> AnyView {
                #[cfg(feature = "ssr")]
                preload::register(stringify!($group));
                $group($($page)?).await
            }
            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

/// Pages of the public site behind a link: the application form, an invitation, the
/// password reset, and the second step of a two-factor sign-in.
#[derive(Clone, Copy)]
pub enum PublicPage {
    Apply,
    ApplyThanks,
    Invite,
    ForgotPassword,
    ResetPassword,
    TwoFactor,
}

#[lazy]
fn public_pages(page: PublicPage) -> AnyView {
    match page {
        PublicPage::Apply => view! { <ApplyPage /> }.into_any(),
        PublicPage::ApplyThanks => view! { <ApplyThanksPage /> }.into_any(),
        PublicPage::Invite => view! { <InvitePage /> }.into_any(),
        PublicPage::ForgotPassword => view! { <ForgotPasswordPage /> }.into_any(),
        PublicPage::ResetPassword => view! { <ResetPasswordPage /> }.into_any(),
        PublicPage::TwoFactor => view! { <TwoFactorPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/apply`"] Apply => public_pages(PublicPage::Apply), __preload_public_pages);
lazy_page!(#[doc = "`/apply/thanks`"] ApplyThanks => public_pages(PublicPage::ApplyThanks), __preload_public_pages);
lazy_page!(#[doc = "`/invite/:token`"] Invite => public_pages(PublicPage::Invite), __preload_public_pages);
lazy_page!(#[doc = "`/forgot-password`"] ForgotPassword => public_pages(PublicPage::ForgotPassword), __preload_public_pages);
lazy_page!(#[doc = "`/reset-password/:token`"] ResetPassword => public_pages(PublicPage::ResetPassword), __preload_public_pages);
lazy_page!(#[doc = "`/login/two-factor`"] TwoFactor => public_pages(PublicPage::TwoFactor), __preload_public_pages);

/// The admin's program pages: the overview and the payouts.
#[derive(Clone, Copy)]
pub enum AdminPage {
    Home,
    Payouts,
}

#[lazy]
fn admin_program(page: AdminPage) -> AnyView {
    match page {
        AdminPage::Home => view! { <AdminHomePage /> }.into_any(),
        AdminPage::Payouts => view! { <AdminPayoutsPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/admin`"] AdminHome => admin_program(AdminPage::Home), __preload_admin_program);
lazy_page!(#[doc = "`/admin/payouts`"] AdminPayouts => admin_program(AdminPage::Payouts), __preload_admin_program);

/// The admin's partner list and the form that adds a partner directly.
#[derive(Clone, Copy)]
pub enum PartnersPage {
    List,
    New,
}

#[lazy]
fn admin_partners(page: PartnersPage) -> AnyView {
    match page {
        PartnersPage::List => view! { <AdminPartnersPage /> }.into_any(),
        PartnersPage::New => view! { <NewPartnerPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/admin/partners`"] AdminPartners => admin_partners(PartnersPage::List), __preload_admin_partners);
lazy_page!(#[doc = "`/admin/partners/new`"] NewPartner => admin_partners(PartnersPage::New), __preload_admin_partners);

/// One partner's governance page: its many forms are a group of their own.
#[lazy]
fn admin_partner() -> AnyView {
    view! { <AdminPartnerPage /> }.into_any()
}

lazy_page!(#[doc = "`/admin/partners/:id`"] AdminPartner => admin_partner(), __preload_admin_partner);

#[lazy]
fn admin_commissions() -> AnyView {
    view! { <AdminCommissionsPage /> }.into_any()
}

lazy_page!(#[doc = "`/admin/commissions`"] AdminCommissions => admin_commissions(), __preload_admin_commissions);

/// The admin's review queue and its statistics.
#[derive(Clone, Copy)]
pub enum ApplicationsPage {
    Queue,
    Stats,
}

#[lazy]
fn admin_applications(page: ApplicationsPage) -> AnyView {
    match page {
        ApplicationsPage::Queue => view! { <ApplicationQueuePage /> }.into_any(),
        ApplicationsPage::Stats => view! { <ApplicationStatsPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/admin/applications`"] ApplicationQueue => admin_applications(ApplicationsPage::Queue), __preload_admin_applications);
lazy_page!(#[doc = "`/admin/applications/stats`"] ApplicationStats => admin_applications(ApplicationsPage::Stats), __preload_admin_applications);

/// One application under review, with its decision forms.
#[lazy]
fn application_detail() -> AnyView {
    view! { <ApplicationDetailPage /> }.into_any()
}

lazy_page!(#[doc = "`/admin/applications/:id`"] ApplicationDetail => application_detail(), __preload_application_detail);

/// A partner's dashboard: the page members open most, in a group of its own so that it loads
/// no code of the commission pages.
#[lazy]
fn partner_dashboard() -> AnyView {
    view! { <PartnerHomePage /> }.into_any()
}

lazy_page!(#[doc = "`/partner`"] PartnerHome => partner_dashboard(), __preload_partner_dashboard);

/// A partner's commissions and statements.
#[derive(Clone, Copy)]
pub enum CommissionsPage {
    List,
    Statement,
}

#[lazy]
fn partner_commissions(page: CommissionsPage) -> AnyView {
    match page {
        CommissionsPage::List => view! { <PartnerCommissionsPage /> }.into_any(),
        CommissionsPage::Statement => view! { <StatementPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/partner/commissions`"] PartnerCommissions => partner_commissions(CommissionsPage::List), __preload_partner_commissions);
lazy_page!(#[doc = "`/partner/commissions/:month`"] Statement => partner_commissions(CommissionsPage::Statement), __preload_partner_commissions);

/// A partner's client list.
#[lazy]
fn client_list() -> AnyView {
    view! { <ClientListPage /> }.into_any()
}

lazy_page!(#[doc = "`/partner/clients`"] ClientList => client_list(), __preload_client_list);

/// One client, new or existing (they share the client form).
#[derive(Clone, Copy)]
pub enum ClientPage {
    New,
    Detail,
}

#[lazy]
fn client_detail(page: ClientPage) -> AnyView {
    match page {
        ClientPage::New => view! { <NewClientPage /> }.into_any(),
        ClientPage::Detail => view! { <ClientDetailPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/partner/clients/new`"] NewClient => client_detail(ClientPage::New), __preload_client_detail);
lazy_page!(#[doc = "`/partner/clients/:id`"] ClientDetail => client_detail(ClientPage::Detail), __preload_client_detail);

#[lazy]
fn partner_branding() -> AnyView {
    view! { <BrandingPage /> }.into_any()
}

lazy_page!(#[doc = "`/partner/branding`"] Branding => partner_branding(), __preload_partner_branding);

/// The client portal.
#[derive(Clone, Copy)]
pub enum PortalPage {
    Home,
    Users,
    SupportAccess,
}

#[lazy]
fn client_portal(page: PortalPage) -> AnyView {
    match page {
        PortalPage::Home => view! { <ClientHomePage /> }.into_any(),
        PortalPage::Users => view! { <AccountUsersPage /> }.into_any(),
        PortalPage::SupportAccess => view! { <SupportAccessPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/app`"] ClientHome => client_portal(PortalPage::Home), __preload_client_portal);
lazy_page!(#[doc = "`/app/users`"] AccountUsers => client_portal(PortalPage::Users), __preload_client_portal);
lazy_page!(#[doc = "`/app/support-access`"] SupportAccess => client_portal(PortalPage::SupportAccess), __preload_client_portal);

/// Anyone's own account: password, two-factor sign-in.
#[lazy]
fn account_page() -> AnyView {
    view! { <AccountPage /> }.into_any()
}

lazy_page!(#[doc = "`/account`"] Account => account_page(), __preload_account_page);

/// A partner's team.
#[lazy]
fn team_page() -> AnyView {
    view! { <TeamPage /> }.into_any()
}

lazy_page!(#[doc = "`/partner/team`"] Team => team_page(), __preload_team_page);

/// A partner's API keys.
#[lazy]
fn api_keys_page() -> AnyView {
    view! { <ApiKeysPage /> }.into_any()
}

lazy_page!(#[doc = "`/partner/api-keys`"] ApiKeys => api_keys_page(), __preload_api_keys_page);

/// A partner's webhook endpoints, and one endpoint with its delivery log.
#[derive(Clone, Copy)]
pub enum WebhookPage {
    List,
    Endpoint,
}

#[lazy]
fn webhook_pages(page: WebhookPage) -> AnyView {
    match page {
        WebhookPage::List => view! { <WebhooksPage /> }.into_any(),
        WebhookPage::Endpoint => view! { <WebhookEndpointPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/partner/webhooks`"] Webhooks => webhook_pages(WebhookPage::List), __preload_webhook_pages);
lazy_page!(#[doc = "`/partner/webhooks/:id`"] WebhookEndpoint => webhook_pages(WebhookPage::Endpoint), __preload_webhook_pages);

/// The pipeline: a partner's deals, the admins' queue, and the leaderboard.
#[derive(Clone, Copy)]
pub enum PipelinePage {
    Deals,
    AdminDeals,
    Leaderboard,
    AdminLeaderboard,
}

#[lazy]
fn pipeline_pages(page: PipelinePage) -> AnyView {
    match page {
        PipelinePage::Deals => view! { <PartnerDealsPage /> }.into_any(),
        PipelinePage::AdminDeals => view! { <AdminDealsPage /> }.into_any(),
        PipelinePage::Leaderboard => view! { <LeaderboardPage /> }.into_any(),
        PipelinePage::AdminLeaderboard => view! { <AdminLeaderboardPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/partner/deals`"] PartnerDeals => pipeline_pages(PipelinePage::Deals), __preload_pipeline_pages);
lazy_page!(#[doc = "`/admin/deals`"] AdminDeals => pipeline_pages(PipelinePage::AdminDeals), __preload_pipeline_pages);
lazy_page!(#[doc = "`/partner/leaderboard`"] PartnerLeaderboard => pipeline_pages(PipelinePage::Leaderboard), __preload_pipeline_pages);
lazy_page!(#[doc = "`/admin/leaderboard`"] AdminLeaderboard => pipeline_pages(PipelinePage::AdminLeaderboard), __preload_pipeline_pages);

/// Leads: a partner's offers, and the admins' leads with the CSV import.
#[derive(Clone, Copy)]
pub enum LeadPage {
    Partner,
    Admin,
}

#[lazy]
fn lead_pages(page: LeadPage) -> AnyView {
    match page {
        LeadPage::Partner => view! { <PartnerLeadsPage /> }.into_any(),
        LeadPage::Admin => view! { <AdminLeadsPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/partner/leads`"] PartnerLeads => lead_pages(LeadPage::Partner), __preload_lead_pages);
lazy_page!(#[doc = "`/admin/leads`"] AdminLeads => lead_pages(LeadPage::Admin), __preload_lead_pages);

/// The audit log, a partner's and the program's: one viewer.
#[derive(Clone, Copy)]
pub enum AuditPage {
    Partner,
    Program,
}

#[lazy]
fn audit_pages(page: AuditPage) -> AnyView {
    match page {
        AuditPage::Partner => view! { <PartnerAuditPage /> }.into_any(),
        AuditPage::Program => view! { <AdminAuditPage /> }.into_any(),
    }
}

lazy_page!(#[doc = "`/partner/audit`"] PartnerAudit => audit_pages(AuditPage::Partner), __preload_audit_pages);
lazy_page!(#[doc = "`/admin/audit`"] AdminAudit => audit_pages(AuditPage::Program), __preload_audit_pages);
