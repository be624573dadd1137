//! The two-factor part of `/account`: off (a button to set it up), being set up (the QR
//! code, the secret, and the first code), or on (recovery codes left, and turning it off).
//! Each step is a form that works without JavaScript.

use leptos::{either::EitherOf4, prelude::*};

use super::two_factor::{
    get_two_factor, ConfirmTwoFactor, DisableTwoFactor, StartTwoFactor, TwoFactorView,
};
use crate::components::{
    form::{message_for, Field, FormErrorSummary},
    loaded,
};
use crate::page_data::page_data;

#[component]
pub fn TwoFactorSection() -> impl IntoView {
    let start = ServerAction::<StartTwoFactor>::new();
    let confirm = ServerAction::<ConfirmTwoFactor>::new();
    let disable = ServerAction::<DisableTwoFactor>::new();
    let state = page_data(
        move || {
            (
                start.version().get(),
                confirm.version().get(),
                disable.version().get(),
            )
        },
        |_| get_two_factor(),
    );
    let start_error = Signal::derive(move || start.value().get().and_then(Result::err));
    let confirm_error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    let disable_error = Signal::derive(move || disable.value().get().and_then(Result::err));
    view! {
        <section class="card" id="two-factor" aria-labelledby="two-factor-title">
            <h2 id="two-factor-title">"Two-factor sign-in"</h2>
            {loaded(state, move |view: TwoFactorView| {
                let codes = (!view.new_codes.is_empty()).then(|| {
                    let items = view.new_codes.iter().map(|c| view! { <li><code>{c.clone()}</code></li> }).collect_view();
                    view! {
                        <div class="notice" role="status" data-testid="recovery-codes">
                            <p><strong>"Your recovery codes"</strong>" — shown this once. Keep them somewhere safe: each signs you in once if you lose your phone."</p>
                            <ul class="recovery-codes">{items}</ul>
                        </div>
                    }
                });
                let required = view.required;
                let asked = (required && !view.enabled).then(|| view! {
                    <p class="notice" role="status" data-testid="two-factor-required">
                        "Two-factor sign-in is required for your account. Until it is on, the rest of the portal stays closed to you."
                    </p>
                });
                let body = match (view.enabled, view.enrolling) {
                    (true, _) if required => EitherOf4::A(view! {
                        <p data-testid="two-factor-state">"On: signing in asks for a code from your authenticator app."</p>
                        <p class="muted">{format!("{} recovery codes left.", view.recovery_codes_left)}</p>
                        <p class="muted">{super::two_factor::TWO_FACTOR_STAYS_ON}</p>
                    }),
                    (true, _) => EitherOf4::B(view! {
                        <p data-testid="two-factor-state">"On: signing in asks for a code from your authenticator app."</p>
                        <p class="muted">{format!("{} recovery codes left.", view.recovery_codes_left)}</p>
                        <ActionForm action=disable attr:novalidate="true">
                            <FormErrorSummary error=disable_error />
                            <Field name="password" label="Your password, to turn it off" kind=Some("password")
                                autocomplete=Some("current-password") required=true
                                message=Signal::derive(move || message_for(disable_error.get(), "password")) />
                            <button type="submit" class="button button-quiet">"Turn off two-factor sign-in"</button>
                        </ActionForm>
                    }),
                    (false, Some(enrolment)) => EitherOf4::C(view! {
                        <ol class="steps">
                            <li>"Scan this code with an authenticator app (or type the key below into it)."</li>
                            <li>"Enter the six-digit code the app shows."</li>
                        </ol>
                        <div class="qr-code" role="img" aria-label="QR code for your authenticator app" inner_html=enrolment.qr_svg></div>
                        <p>"Key: " <code data-testid="totp-secret">{enrolment.secret}</code></p>
                        <ActionForm action=confirm attr:novalidate="true">
                            <FormErrorSummary error=confirm_error />
                            <Field name="code" label="Code from the app" required=true autocomplete=Some("one-time-code")
                                max=Some(20)
                                message=Signal::derive(move || message_for(confirm_error.get(), "code")) />
                            <button type="submit" class="button">"Turn on"</button>
                        </ActionForm>
                    }),
                    (false, None) => EitherOf4::D(view! {
                        <p data-testid="two-factor-state">"Off. With it on, signing in also asks for a code from an app on your phone."</p>
                        <ActionForm action=start>
                            <FormErrorSummary error=start_error />
                            <button type="submit" class="button">"Set up two-factor sign-in"</button>
                        </ActionForm>
                    }),
                };
                view! { {asked} {codes} {body} }
            })}
        </section>
    }
}
