//! The sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::server::Login;

#[component]
pub fn LoginPage() -> impl IntoView {
    // Made here, inside the routes: a form posted without JavaScript comes back with its
    // error in the URL, which an action reads from the router when it is created.
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = move || login.value().get().and_then(Result::err);
    let fields = move || error().and_then(|e| e.fields().cloned());
    let kept_email = move || {
        fields()
            .and_then(|f| f.kept("email").map(str::to_string))
            .unwrap_or_default()
    };
    let field_message =
        move |name: &'static str| fields().and_then(|f| f.message(name).map(str::to_string));
    let form_message = move || {
        error().map(|e| match e.fields() {
            Some(f) if f.form.is_none() => "Please correct the highlighted fields.".to_string(),
            _ => e.to_string(),
        })
    };
    view! {
        <Title text="Sign in" />
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"Sign in"</h1>
            <p class="muted">"For program admins, partner teams and client users."</p>
            <ActionForm action=login attr:novalidate="true">
                <input type="hidden" name="next" value=next />
                {move || form_message().map(|message| view! {
                    <p class="form-error" role="alert" id="login-error">{message}</p>
                })}
                <div class="field">
                    <label for="email">"Email"</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        autofocus
                        prop:value=kept_email
                        value=kept_email
                        aria-invalid=move || field_message("email").is_some().to_string()
                        aria-describedby=move || field_message("email").map(|_| "email-error")
                    />
                    {move || field_message("email").map(|m| view! { <p class="field-error" id="email-error">{m}</p> })}
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || field_message("password").is_some().to_string()
                        aria-describedby=move || field_message("password").map(|_| "password-error")
                    />
                    {move || field_message("password").map(|m| view! { <p class="field-error" id="password-error">{m}</p> })}
                </div>
                <button type="submit" class="button button-wide" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </section>
    }
}
