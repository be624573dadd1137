//! `/admin/partners/new`: an admin creates a partner without an application. Its owner gets
//! an invitation by e-mail; the admin lands on the new partner's page. Works without
//! JavaScript; a mistake is named next to its field with everything typed kept.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{pages::Reason, server::CreatePartner};
use crate::{
    components::form::{input_name, kept_value, message_for, Field, FormErrorSummary},
    error::AppError,
    program::{PartnershipType, Tier},
};

#[component]
pub fn NewPartnerPage() -> impl IntoView {
    let create = ServerAction::<CreatePartner>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="New partner" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/admin/partners">"Partners"</a></nav>
        <header class="page-header">
            <h1>"New partner"</h1>
            <p class="muted">"For a partner signed outside the application form. The owner gets an e-mail to choose a password."</p>
        </header>
        <ActionForm action=create attr:class="form-card" attr:novalidate="true">
            <FormErrorSummary error />
            <Field name="name" label="Company" required=true max=Some(super::model::MAX_PARTNER_NAME)
                message=Signal::derive(move || message_for(error.get(), "name"))
                value=Signal::derive(move || kept_value(error.get(), "name")) />
            <Choice error name="partnership_type" label="Partnership type"
                options=PartnershipType::ALL.map(|t| (t.slug(), t.label())).to_vec() default="reseller" />
            <Choice error name="tier" label="Tier"
                options=Tier::ALL.map(|t| (t.slug(), t.label())).to_vec() default="bronze" />
            <Field name="owner_email" label="Owner's e-mail" required=true kind=Some("email")
                autocomplete=Some("off")
                hint=Some("Someone without an account in the portal yet.")
                message=Signal::derive(move || message_for(error.get(), "owner_email"))
                value=Signal::derive(move || kept_value(error.get(), "owner_email")) />
            <Reason error id="reason" />
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || create.pending().get()>"Create partner and invite owner"</button>
            </div>
        </ActionForm>
    }
}

/// A labelled choice that keeps what was picked when the form comes back with an error.
#[component]
fn Choice(
    error: Signal<Option<AppError>>,
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    default: &'static str,
) -> impl IntoView {
    let picked = move || {
        let kept = kept_value(error.get(), name);
        if kept.is_empty() {
            default.to_string()
        } else {
            kept
        }
    };
    let message = move || message_for(error.get(), name);
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    let options = options
        .into_iter()
        .map(|(value, text)| view! { <option value=value selected=move || picked() == value>{text}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=input_name(name)
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone())>{options}</select>
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}
