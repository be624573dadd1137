//! The application: the HTML shell and the routes. It is the one place that knows every
//! feature; it puts the signed-in user and the sign-out action in context for every page.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Outlet, ParentRoute, Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

use crate::{
    admin::pages::{AdminHomePage, AdminPartnersPage},
    applications::pages::{
        ApplicationDetailPage, ApplicationQueuePage, ApplicationStatsPage, ApplyPage,
        ApplyThanksPage,
    },
    auth::{
        context::{AuthActions, CurrentUser},
        pages::LoginPage,
        server::{whoami, Logout},
    },
    branding::{
        model::BrandKey,
        pages::{BrandFooter, BrandHead, BrandMark, BrandingPage, PageBrand, SignInHeading},
        server::page_brand,
    },
    clients::pages::{ClientDetailPage, ClientListPage, NewClientPage},
    commissions::pages::{
        AdminCommissionsPage, AdminPayoutsPage, PartnerCommissionsPage, StatementPage,
    },
    components::{layout::SiteHeader, NotFoundPage},
    impersonation::banner::ImpersonationBanner,
    invitations::pages::InvitePage,
    landing::LandingPage,
    partners::pages::PartnerHomePage,
    portal::pages::{AccountUsersPage, ClientHomePage, SupportAccessPage},
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
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
        <Stylesheet id="leptos" href="/pkg/partner-portal.css" />
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
    let me = Resource::new(|| (), |_| whoami());
    provide_context(AuthActions { logout });
    provide_context(CurrentUser(me));
    // The published brand this page wears: the client's reseller, or the partner named by the
    // address (branded sign-in, invitation) or by a verified custom domain.
    let location = use_location();
    let brand_key = Memo::new(move |_| BrandKey::for_path(&location.pathname.get()));
    let brand = Resource::new(
        move || brand_key.get(),
        |key| async move { page_brand(key).await.ok().flatten() },
    );
    provide_context(PageBrand(brand));
    // Effects run only in the browser, after hydration: a marker that the page is live,
    // which the browser tests wait for before they interact.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

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
                <Route path=path!("/b/:slug/login") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("/apply") view=ApplyPage ssr=SsrMode::Async />
                <Route path=path!("/apply/thanks") view=ApplyThanksPage ssr=SsrMode::Async />
                <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async />
                <ParentRoute
                    path=path!("/admin")
                    view=Outlet
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view=AdminHomePage />
                    <Route path=path!("/partners") view=AdminPartnersPage />
                    <Route path=path!("/commissions") view=AdminCommissionsPage />
                    <Route path=path!("/payouts") view=AdminPayoutsPage />
                    <Route path=path!("/applications") view=ApplicationQueuePage />
                    <Route path=path!("/applications/stats") view=ApplicationStatsPage />
                    <Route path=path!("/applications/:id") view=ApplicationDetailPage />
                </ParentRoute>
                <ParentRoute
                    path=path!("/partner")
                    view=Outlet
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view=PartnerHomePage />
                    <Route path=path!("/clients") view=ClientListPage />
                    <Route path=path!("/clients/new") view=NewClientPage />
                    <Route path=path!("/clients/:id") view=ClientDetailPage />
                    <Route path=path!("/commissions") view=PartnerCommissionsPage />
                    <Route path=path!("/commissions/:month") view=StatementPage />
                    <Route path=path!("/branding") view=BrandingPage />
                </ParentRoute>
                <ParentRoute
                    path=path!("/app")
                    view=Outlet
                    ssr=SsrMode::Async
                >
                    <Route path=path!("") view=ClientHomePage />
                    <Route path=path!("/users") view=AccountUsersPage />
                    <Route path=path!("/support-access") view=SupportAccessPage />
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
