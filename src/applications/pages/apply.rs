//! `/apply` and `/apply/thanks`. The form works without JavaScript (the server answers with
//! messages by the fields and the input kept); with it, fields are checked as people type,
//! by the same validation the server runs.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::program::PartnershipType;
use crate::{
    applications::{
        model::{limits, ApplicationInput, CompanySize},
        server::SubmitApplication,
    },
    components::form::{
        input_name, kept_value, message_for, Field as SharedField, FormErrorSummary,
    },
    error::AppError,
};

/// What every field of the form shares: the server's answer, and the live draft.
#[derive(Clone, Copy)]
struct ApplyForm {
    server_error: Signal<Option<AppError>>,
    draft: RwSignal<ApplicationInput>,
    touched: RwSignal<HashSet<&'static str>>,
}

impl ApplyForm {
    /// A field's message: the live check once the person has edited it, else the server's.
    fn message(&self, field: &'static str) -> Option<String> {
        if self.touched.with(|t| t.contains(field)) {
            self.draft
                .with(|d| d.validate().err())
                .and_then(|e| e.message(field).map(str::to_string))
        } else {
            message_for(self.server_error.get(), field)
        }
    }

    fn on_input(&self, field: &'static str, value: String) {
        self.draft.update(|d| d.set(field, value));
        self.touched.update(|t| {
            t.insert(field);
        });
    }
}

#[component]
pub fn ApplyPage() -> impl IntoView {
    let submit = ServerAction::<SubmitApplication>::new();
    let server_error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let form = ApplyForm {
        server_error,
        draft: RwSignal::new(ApplicationInput::default()),
        touched: RwSignal::new(HashSet::new()),
    };
    // A new answer from the server replaces the live checks.
    Effect::new(move || {
        if let Some(error) = server_error.get() {
            form.touched.set(HashSet::new());
            if let Some(fields) = error.fields() {
                form.draft.update(|d| {
                    for (name, value) in &fields.kept {
                        d.set(name, value.clone());
                    }
                });
            }
        }
    });
    provide_context(form);

    let types = PartnershipType::ALL.map(|t| (t.slug(), t.label()));
    let sizes = CompanySize::ALL.map(|s| (s.label(), s.label()));
    view! {
        <Title text="Apply to the partner program" />
        <header class="page-header">
            <h1>"Apply to the partner program"</h1>
            <p class="muted">"Fields marked * are required. We usually reply within a few working days."</p>
        </header>
        <ActionForm action=submit attr:class="form-card" attr:novalidate="true">
            <FormErrorSummary error=server_error />
            <fieldset>
                <legend>"Your company"</legend>
                <Field name="company_name" label="Company name" required=true max=limits::NAME autocomplete="organization" />
                <Field name="website" label="Website" kind="url" max=limits::WEBSITE help="Starting with https://" />
                <Choice name="partnership_type" label="Partnership type" options=types.to_vec() />
                <Choice name="company_size" label="Company size (people)" options=sizes.to_vec() />
                <Field name="industry" label="Industry" required=true max=limits::INDUSTRY />
            </fieldset>
            <fieldset>
                <legend>"Contact"</legend>
                <Field name="contact_name" label="Contact name" required=true max=limits::NAME autocomplete="name" />
                <Field name="contact_email" label="Contact e-mail" required=true kind="email" max=limits::EMAIL autocomplete="email" />
                <Field name="contact_phone" label="Contact phone" kind="tel" max=limits::PHONE autocomplete="tel" />
            </fieldset>
            <fieldset>
                <legend>"Your plans"</legend>
                <Field name="motivation" label="Why do you want to partner with us?" required=true multiline=true max=limits::LONG_TEXT
                    help="At least 20 characters." />
                <Field name="target_market" label="Target market" multiline=true max=limits::SHORT_TEXT />
                <Field name="current_solutions" label="Solutions you sell today" multiline=true max=limits::SHORT_TEXT />
                <Field name="additional_info" label="Anything else" multiline=true max=limits::LONG_TEXT />
            </fieldset>
            <button type="submit" class="button" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { "Sending…" } else { "Submit application" }}
            </button>
        </ActionForm>
    }
}

/// A field of the application: the shared field, checked live once edited.
#[component]
fn Field(
    name: &'static str,
    label: &'static str,
    max: usize,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] help: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let form = expect_context::<ApplyForm>();
    view! {
        <SharedField
            name
            label
            max=Some(max)
            required
            multiline
            kind
            hint=help
            autocomplete
            message=Signal::derive(move || form.message(name))
            value=Signal::derive(move || kept_value(form.server_error.get(), name))
            on_input=Callback::new(move |value| form.on_input(name, value))
        />
    }
}

/// A required choice from a closed list.
#[component]
fn Choice(
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let form = expect_context::<ApplyForm>();
    let selected = move || kept_value(form.server_error.get(), name);
    let message = move || form.message(name);
    let options = options
        .into_iter()
        .map(|(value, text)| view! { <option value=value selected=move || selected() == value>{text}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for=name>{label} " *"</label>
            <select id=name name=input_name(name) required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| format!("{name}-error"))
                on:change=move |ev| form.on_input(name, event_target_value(&ev))>
                <option value="">"Choose…"</option>
                {options}
            </select>
            {move || message().map(|m| view! { <p class="field-error" id=format!("{name}-error")>{m}</p> })}
        </div>
    }
}

#[component]
pub fn ApplyThanksPage() -> impl IntoView {
    let query = use_query_map();
    // Only a well-formed reference is echoed back.
    let reference = move || {
        query.read().get("ref").filter(|r| {
            r.len() == 12
                && r.starts_with("APP-")
                && r[4..].chars().all(|c| c.is_ascii_alphanumeric())
        })
    };
    view! {
        <Title text="Application received" />
        <section class="status-page" aria-labelledby="thanks-title">
            <h1 id="thanks-title">"Thank you, we have your application"</h1>
            {move || reference().map(|r| view! {
                <p>"Your reference is " <strong data-testid="reference">{r}</strong> "."</p>
            })}
            <p>"We sent a confirmation to your e-mail address and will write again when its status changes."</p>
            <p><a href="/">"Back to the program"</a></p>
        </section>
    }
}
