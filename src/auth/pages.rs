//! The sign-in page. Its heading is passed in (the app gives it the brand's), so that
//! signing in does not depend on branding.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::server::Login;
use crate::components::form::{field_error, kept_value, reload_on_success, FormErrorSummary};

#[component]
pub fn LoginPage(children: Children) -> impl IntoView {
    // Made here, inside the routes: a form posted without JavaScript comes back with its
    // error in the URL, which an action reads from the router when it is created.
    let login = ServerAction::<Login>::new();
    reload_on_success(login);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || login.value().get().and_then(Result::err);
    let invalid = move |field: &'static str| {
        error()
            .and_then(|e| e.fields().map(|f| f.message(field).is_some()))
            .unwrap_or(false)
            .to_string()
    };

    view! {
        <Title text="Sign in" />
        <div class="login-backdrop">
        <section class="auth-card" aria-labelledby="login-title">
            {children()}
            {move || (query.read().get("reset").as_deref() == Some("done")).then(|| view! {
                <p class="form-ok" role="status">"Your password was changed and every session ended. Sign in with the new password."</p>
            })}
            <ActionForm action=login attr:novalidate="true">
                <input type="hidden" name="input[next]" value=next />
                <FormErrorSummary error=Signal::derive(error) />
                <div class="field">
                    <label for="email">"Email"</label>
                    <input
                        id="email"
                        name="input[email]"
                        type="email"
                        autocomplete="username"
                        required
                        autofocus
                        prop:value=move || kept_value(error(), "email")
                        value=move || kept_value(error(), "email")
                        aria-invalid=move || invalid("email")
                    />
                    {move || field_error(error(), "email")}
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="input[password]"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || invalid("password")
                    />
                    {move || field_error(error(), "password")}
                    <p class="help"><a href="/forgot-password">"Forgot password?"</a></p>
                </div>
                <button type="submit" class="button button-wide" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </section>
        </div>
    }
}

/// `/login/two-factor`: the code from the person's app, or a recovery code.
#[component]
pub fn TwoFactorPage() -> impl IntoView {
    use super::second_step::VerifySecondStep;
    use crate::components::form::{message_for, Field};

    let verify = ServerAction::<VerifySecondStep>::new();
    reload_on_success(verify);
    let error = Signal::derive(move || verify.value().get().and_then(Result::err));
    view! {
        <Title text="Two-factor sign-in" />
        <div class="login-backdrop">
        <section class="auth-card" aria-labelledby="two-factor-title">
            <h1 id="two-factor-title">"Enter your code"</h1>
            <p class="muted">"Open your authenticator app and enter the six-digit code it shows for Partner Portal. Lost your phone? Enter one of your recovery codes instead."</p>
            <ActionForm action=verify attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="code" label="Code" required=true autocomplete=Some("one-time-code")
                    max=Some(20)
                    message=Signal::derive(move || message_for(error.get(), "code")) />
                <button type="submit" class="button button-wide" disabled=move || verify.pending().get()>"Sign in"</button>
            </ActionForm>
            <p><a href="/login">"Start again"</a></p>
        </section>
        </div>
    }
}
