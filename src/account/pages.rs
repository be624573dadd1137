//! `/account`: the person's details and password, each its own form that works without
//! JavaScript (a plain post is redirected back here with `?saved=`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    input::DISPLAY_NAME_MAX_CHARS,
    server::{get_account, AccountView, ChangePassword, UpdateProfile},
};
use crate::page_data::page_data;
use crate::{
    auth::model::PASSWORD_MIN_CHARS,
    components::{
        form::{field_error, input_name, kept_value, message_for, Field, FormErrorSummary},
        loaded,
    },
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let profile = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    let account = page_data(move || profile.version().get(), |_| get_account());
    view! {
        <Title text="Your account" />
        <header class="page-header">
            <h1>"Your account"</h1>
            <p class="muted">"Your name as others see it, and your password."</p>
        </header>
        {loaded(account, move |account: AccountView| view! { <ProfileForm account action=profile /> })}
        <PasswordForm action=password />
        <super::two_factor_section::TwoFactorSection />
    }
}

/// "Saved" with JavaScript (`answered`: whether the action's answer was a success) or
/// without (the redirect's `?saved=which`).
fn saved(
    answered: impl Fn() -> Option<bool> + Send + Sync + 'static,
    which: &'static str,
) -> Signal<bool> {
    let query = use_query_map();
    Signal::derive(move || {
        answered().unwrap_or_else(|| query.read().get("saved").as_deref() == Some(which))
    })
}

#[component]
fn ProfileForm(account: AccountView, action: ServerAction<UpdateProfile>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let done = saved(
        move || action.value().with(|v| v.as_ref().map(Result::is_ok)),
        "profile",
    );
    // What was typed, after an error; else the stored name.
    let name = account.display_name.clone();
    let shown = move || match error.get() {
        Some(e) => kept_value(Some(e), "display_name"),
        None => name.clone(),
    };
    view! {
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title">"Your details"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                {move || done.get().then(|| view! { <p class="form-ok" role="status">"Saved."</p> })}
                <dl class="details">
                    <dt>"E-mail"</dt><dd data-testid="account-email">{account.email.clone()}</dd>
                    <dt>"Signed in as"</dt><dd>{account.standing.clone()}</dd>
                </dl>
                <Field name="display_name" label="Display name" required=true
                    max=Some(DISPLAY_NAME_MAX_CHARS) autocomplete=Some("name")
                    value=Signal::derive(shown)
                    message=Signal::derive(move || message_for(error.get(), "display_name")) />
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Save"</button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn PasswordForm(action: ServerAction<ChangePassword>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let done = saved(
        move || action.value().with(|v| v.as_ref().map(Result::is_ok)),
        "password",
    );
    // Passwords are never kept: every answer empties the fields.
    let empty = move || {
        action.version().get();
        String::new()
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      autocomplete: &'static str,
                      help: Option<String>| {
        let described = if help.is_some() {
            format!("{id}-help {id}-error")
        } else {
            format!("{id}-error")
        };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {help.map(|h| view! { <p class="field-help" id=format!("{id}-help")>{h}</p> })}
                <input id=id name=input_name(id) type="password" autocomplete=autocomplete
                    required aria-describedby=described prop:value=empty
                    aria-invalid=move || message_for(error.get(), id).is_some().to_string() />
                {move || field_error(error.get(), id)}
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <p class="muted">"Changing it signs you out everywhere else."</p>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                {move || done.get().then(|| view! {
                    <p class="form-ok" role="status" data-testid="password-changed">
                        "Password changed. Every other session of yours has ended."
                    </p>
                })}
                {field("current", "Current password", "current-password", None)}
                {field("new", "New password", "new-password",
                    Some(format!("At least {PASSWORD_MIN_CHARS} characters, and not your e-mail address.")))}
                {field("confirm", "New password again", "new-password", None)}
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Change password"</button>
                </div>
            </ActionForm>
        </section>
    }
    .into_any()
}
