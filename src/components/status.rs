//! Error and status pages. On the server they also set the HTTP status of the response.

use leptos::{either::EitherOf5, prelude::*};
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_location};

use crate::error::AppError;

/// Sets the response status while rendering on the server; does nothing in the browser.
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(code) {
            response.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// The sign-in page, with a way back to where the visitor was going.
pub fn login_path_back_to(path_and_query: &str) -> String {
    format!(
        "/login?next={}",
        leptos_router::location::Url::escape(path_and_query)
    )
}

/// The current path with its query string, e.g. `/partner/clients?page=2`.
pub fn current_path() -> String {
    let location = use_location();
    let search = location.search.get_untracked();
    let path = location.pathname.get_untracked();
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// Explains an error the way the visitor needs it: sign in, no access, set up two-factor
/// sign-in, not found, or a generic failure.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthorized => {
            EitherOf5::A(view! { <Redirect path=login_path_back_to(&current_path()) /> })
        }
        AppError::Forbidden => EitherOf5::B(view! { <ForbiddenPage /> }),
        AppError::NotFound => EitherOf5::C(view! { <NotFoundPage /> }),
        AppError::TwoFactorRequired => EitherOf5::D(view! { <TwoFactorRequiredPage /> }),
        other => {
            set_status(other.status_code());
            EitherOf5::E(view! {
                <section class="status-page" aria-labelledby="error-title">
                    <h1 id="error-title">"Something went wrong"</h1>
                    <p>{other.to_string()}</p>
                </section>
            })
        }
    }
}

/// Every page but `/account` answers this to a person who must use two-factor sign-in and
/// has not set it up yet.
#[component]
pub fn TwoFactorRequiredPage() -> impl IntoView {
    set_status(403);
    view! {
        <Title text="Two-factor sign-in required · Partner Portal" />
        <section class="status-page" aria-labelledby="two-factor-title">
            <p class="status-code">"403"</p>
            <h1 id="two-factor-title">"Set up two-factor sign-in to continue"</h1>
            <p>{AppError::TwoFactorRequired.to_string()}</p>
            <p><a class="button" href="/account#two-factor">"Set up two-factor sign-in"</a></p>
        </section>
    }
}

#[component]
pub fn ForbiddenPage() -> impl IntoView {
    set_status(403);
    view! {
        <Title text="No access · Partner Portal" />
        <section class="status-page" aria-labelledby="forbidden-title">
            <p class="status-code">"403"</p>
            <h1 id="forbidden-title">"You do not have access to this page"</h1>
            <p>
                "Your account is signed in, but its role does not include this area. "
                "If you think it should, ask your account owner or the partner program team."
            </p>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Not found · Partner Portal" />
        <section class="status-page" aria-labelledby="not-found-title">
            <p class="status-code">"404"</p>
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"The page you asked for does not exist or has moved."</p>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
}
