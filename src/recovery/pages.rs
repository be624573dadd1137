//! `/forgot-password` (ask for a link) and `/reset-password/:token` (choose a new password).
//! Both work without JavaScript: a plain post is redirected (`?sent=1`, then to sign in).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    input::LINK_SENT,
    server::{ForgotPassword, ResetPassword},
};
use crate::components::form::{
    input_name, kept_value, message_for, reload_on_success, Field, FormErrorSummary,
};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let query = use_query_map();
    let sent = move || {
        action.value().with(|v| matches!(v, Some(Ok(()))))
            || query.read().get("sent").as_deref() == Some("1")
    };
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="Forgot your password?" />
        <section class="auth-card" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"Forgot your password?"</h1>
            {move || if sent() {
                view! {
                    <p class="form-ok" role="status">{LINK_SENT}</p>
                    <p><a href="/login">"Back to sign in"</a></p>
                }.into_any()
            } else {
                view! {
                    <p class="muted">"Enter the e-mail address you sign in with. We will send it a link to choose a new password."</p>
                    <ActionForm action attr:novalidate="true">
                        <FormErrorSummary error />
                        <Field name="email" label="E-mail" required=true kind=Some("email") autocomplete=Some("username")
                            value=Signal::derive(move || kept_value(error.get(), "email"))
                            message=Signal::derive(move || message_for(error.get(), "email")) />
                        <button type="submit" class="button button-wide" disabled=move || action.pending().get()>"Send the link"</button>
                    </ActionForm>
                    <p><a href="/login">"Back to sign in"</a></p>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let action = ServerAction::<ResetPassword>::new();
    reload_on_success(action);
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Title text="Choose a new password" />
        <section class="auth-card" aria-labelledby="reset-title">
            <h1 id="reset-title">"Choose a new password"</h1>
            <p class="muted">"Every session of your account ends when you save it; then sign in with the new password."</p>
            <ActionForm action attr:novalidate="true">
                <input type="hidden" name=input_name("token") value=token />
                <FormErrorSummary error />
                <Field name="password" label="New password" required=true kind=Some("password")
                    autocomplete=Some("new-password") hint=Some("At least 12 characters; a passphrase works well.")
                    message=Signal::derive(move || message_for(error.get(), "password")) />
                <Field name="password_confirm" label="New password again" required=true kind=Some("password")
                    autocomplete=Some("new-password")
                    message=Signal::derive(move || message_for(error.get(), "password_confirm")) />
                <button type="submit" class="button button-wide" disabled=move || action.pending().get()>"Save the new password"</button>
            </ActionForm>
            <p><a href="/forgot-password">"Ask for a new link"</a></p>
        </section>
    }
}
