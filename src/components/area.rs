//! Gates in front of the admin, partner and client areas. They decide what to render; the
//! server functions behind each page enforce access on their own (DESIGN.md section 5).

use leptos::{either::EitherOf4, prelude::*};
use leptos_router::components::{Outlet, Redirect};

use super::status::{current_path, login_path_back_to, ErrorView, ForbiddenPage};
use crate::{app::CurrentUser, auth::model::Perm};

/// Renders the nested route when the signed-in user holds `perm`; otherwise sends an
/// anonymous visitor to sign in (and back) and shows everyone else a 403 page.
#[component]
pub fn AreaGate(perm: Perm) -> impl IntoView {
    let me = expect_context::<CurrentUser>().0;
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || {
                let here = current_path();
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(user)) if user.has(perm) => EitherOf4::A(view! { <Outlet /> }),
                        Ok(Some(_)) => EitherOf4::B(view! { <ForbiddenPage /> }),
                        Ok(None) => EitherOf4::C(view! { <Redirect path=login_path_back_to(&here) /> }),
                        Err(error) => EitherOf4::D(view! { <ErrorView error /> }),
                    }
                })
            }}
        </Suspense>
    }
}
