//! `/invite/:token`: set a password and join.

use leptos::{either::EitherOf3, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::server::{get_invitation, AcceptInvitation};
use crate::components::{
    form::{field_error, kept_value, reload_on_success, FormErrorSummary},
    loaded,
};
use crate::page_data::page_data;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let invitation = page_data(token, get_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    reload_on_success(accept);
    let errors = move || accept.value().get().and_then(Result::err);

    view! {
        <Title text="Join your partner team" />
        <section class="auth-card" aria-labelledby="invite-title">
            {loaded(invitation, move |found| match found {
                Err(problem) => EitherOf3::A(view! {
                    <h1 id="invite-title">"This link cannot be used"</h1>
                    <p class="form-error" role="alert">{problem.message()}</p>
                    <p><a href="/login">"Go to sign in"</a></p>
                }),
                Ok(invitation) if accept.value().get().is_some_and(|r| r.is_ok()) => EitherOf3::B(view! {
                    <h1 id="invite-title">"Welcome to " {invitation.joins().to_string()}</h1>
                    <p><a href=if invitation.client_name.is_some() { "/app" } else { "/partner" }>"Continue"</a></p>
                }),
                Ok(invitation) => EitherOf3::C(view! {
                    <h1 id="invite-title">"Join " {invitation.joins().to_string()}</h1>
                    <p class="muted">
                        "You are invited " {invitation.as_what()} " with "
                        <strong>{invitation.email.clone()}</strong> ". Choose a password to finish."
                    </p>
                    <ActionForm action=accept>
                        <input type="hidden" name="input[token]" value=token />
                        <FormErrorSummary error=Signal::derive(errors) />
                        <div class="field">
                            <label for="display_name">"Your name"</label>
                            <input id="display_name" name="input[display_name]" autocomplete="name" required
                                value=move || kept_value(errors(), "display_name") />
                            {move || field_error(errors(), "display_name")}
                        </div>
                        <div class="field">
                            <label for="password">"Password"</label>
                            <input id="password" name="input[password]" type="password" autocomplete="new-password" required
                                aria-describedby="password-help" />
                            <p class="help" id="password-help">"At least 12 characters; a passphrase works well."</p>
                            {move || field_error(errors(), "password")}
                        </div>
                        <div class="field">
                            <label for="password_confirm">"Repeat password"</label>
                            <input id="password_confirm" name="input[password_confirm]" type="password" autocomplete="new-password" required />
                            {move || field_error(errors(), "password_confirm")}
                        </div>
                        <button type="submit" class="button button-wide">"Set password and join"</button>
                    </ActionForm>
                }),
            })}
        </section>
    }
}
