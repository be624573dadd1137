//! The application: the HTML shell and the routes. It is the one place that knows every
//! feature; it puts the signed-in user and the sign-out action in context for every page.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags, Title};
use leptos_router::{
    components::{Outlet, ParentRoute, Route, Router, Routes},
    hooks::use_location,
    path, Lazy, SsrMode,
};

mod lazy;

use crate::page_data::page_data;
use crate::{
    auth::{
        context::{AuthActions, CurrentUser},
        pages::LoginPage,
        server::{whoami, Logout},
    },
    branding::{
        model::BrandKey,
        pages::{BrandFooter, BrandHead, BrandMark, PageBrand, SignInHeading},
        server::page_brand,
    },
    components::{layout::SiteHeader, NotFoundPage},
    impersonation::banner::ImpersonationBanner,
    landing::LandingPage,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Title formatter=|title: String| {
            if title.is_empty() { "Partner Portal".to_string() } else { format!("{title} · Partner Portal") }
        } />
        <Router>
            <Frame />
        </Router>
    }
}

/// Everything inside the router: the current user, the header and the routes.
#[component]
fn Frame() -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    crate::components::form::reload_on_success(logout);
    let me = page_data(|| (), |_| whoami());
    provide_context(AuthActions { logout });
    provide_context(CurrentUser(me));
    // The published brand this page wears: the client's reseller, or the partner named by the
    // address (branded sign-in, invitation) or by a verified custom domain.
    let location = use_location();
    let brand_key = Memo::new(move |_| BrandKey::for_path(&location.pathname.get()));
    let brand = page_data(
        move || brand_key.get(),
        |key| async move { page_brand(key).await.ok().flatten() },
    );
    provide_context(PageBrand(brand));

    // The areas (/admin, /partner, /app) need no gate of their own: every page there loads its
    // data through a guarded server function, and its answer decides what the page shows
    // (sign-in redirect, 403 page). A gate that waits for the user and then renders the page
    // would build the page twice while rendering on the server.
    // Everything but the impersonation banner sits inside the branded root, which a partner's
    // custom CSS is scoped under: the banner stays out of its reach.
    view! {
        <ImpersonationBanner />
        <div class="brand-root" data-brand-root>
        <BrandHead />
        <SiteHeader><BrandMark /></SiteHeader>
        <main id="main" tabindex="-1">
            <Routes fallback=|| view! { <NotFoundPage /> }>
                <Route path=path!("/") view=LandingPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/login/two-factor") view={Lazy::<lazy::TwoFactor>::new()} ssr=SsrMode::Async />
                <Route path=path!("/b/:slug/login") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/apply") view={Lazy::<lazy::Apply>::new()} ssr=SsrMode::Async />
                <Route path=path!("/apply/thanks") view={Lazy::<lazy::ApplyThanks>::new()} ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view={Lazy::<lazy::Invite>::new()} ssr=SsrMode::Async />
                <Route path=path!("/account") view={Lazy::<lazy::Account>::new()} ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view={Lazy::<lazy::ForgotPassword>::new()} ssr=SsrMode::Async />
                <Route path=path!("/reset-password/:token") view={Lazy::<lazy::ResetPassword>::new()} ssr=SsrMode::Async />
                <ParentRoute
                    path=path!("/admin")
                    view=Outlet
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view={Lazy::<lazy::AdminHome>::new()} />
                    <Route path=path!("/partners") view={Lazy::<lazy::AdminPartners>::new()} />
                    <Route path=path!("/partners/new") view={Lazy::<lazy::NewPartner>::new()} />
                    <Route path=path!("/partners/:id") view={Lazy::<lazy::AdminPartner>::new()} />
                    <Route path=path!("/commissions") view={Lazy::<lazy::AdminCommissions>::new()} />
                    <Route path=path!("/payouts") view={Lazy::<lazy::AdminPayouts>::new()} />
                    <Route path=path!("/audit") view={Lazy::<lazy::AdminAudit>::new()} />
                    <Route path=path!("/applications") view={Lazy::<lazy::ApplicationQueue>::new()} />
                    <Route path=path!("/applications/stats") view={Lazy::<lazy::ApplicationStats>::new()} />
                    <Route path=path!("/applications/:id") view={Lazy::<lazy::ApplicationDetail>::new()} />
                    <Route path=path!("/deals") view={Lazy::<lazy::AdminDeals>::new()} />
                    <Route path=path!("/leads") view={Lazy::<lazy::AdminLeads>::new()} />
                    <Route path=path!("/leaderboard") view={Lazy::<lazy::AdminLeaderboard>::new()} />
                </ParentRoute>
                <ParentRoute
                    path=path!("/partner")
                    view=Outlet
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view={Lazy::<lazy::PartnerHome>::new()} />
                    <Route path=path!("/clients") view={Lazy::<lazy::ClientList>::new()} />
                    <Route path=path!("/clients/new") view={Lazy::<lazy::NewClient>::new()} />
                    <Route path=path!("/clients/:id") view={Lazy::<lazy::ClientDetail>::new()} />
                    <Route path=path!("/commissions") view={Lazy::<lazy::PartnerCommissions>::new()} />
                    <Route path=path!("/commissions/:month") view={Lazy::<lazy::Statement>::new()} />
                    <Route path=path!("/branding") view={Lazy::<lazy::Branding>::new()} />
                    <Route path=path!("/team") view={Lazy::<lazy::Team>::new()} />
                    <Route path=path!("/api-keys") view={Lazy::<lazy::ApiKeys>::new()} />
                    <Route path=path!("/webhooks") view={Lazy::<lazy::Webhooks>::new()} />
                    <Route path=path!("/webhooks/:id") view={Lazy::<lazy::WebhookEndpoint>::new()} />
                    <Route path=path!("/audit") view={Lazy::<lazy::PartnerAudit>::new()} />
                    <Route path=path!("/deals") view={Lazy::<lazy::PartnerDeals>::new()} />
                    <Route path=path!("/leads") view={Lazy::<lazy::PartnerLeads>::new()} />
                    <Route path=path!("/leaderboard") view={Lazy::<lazy::PartnerLeaderboard>::new()} />
                </ParentRoute>
                <ParentRoute
                    path=path!("/app")
                    view=Outlet
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view={Lazy::<lazy::ClientHome>::new()} />
                    <Route path=path!("/users") view={Lazy::<lazy::AccountUsers>::new()} />
                    <Route path=path!("/support-access") view={Lazy::<lazy::SupportAccess>::new()} />
                </ParentRoute>
            </Routes>
        </main>
        <BrandFooter />
        </div>
    }
}

/// The sign-in page under the brand's heading (the vendor's, or a reseller's).
#[component]
fn SignInPage() -> impl IntoView {
    view! {
        <LoginPage>
            <SignInHeading />
        </LoginPage>
    }
}
