//! The registration form and its conflict check.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    components::form::{input_name, kept_value, message_for, Field, FormErrorSummary},
    deals::{
        model::{Availability, CheckInput},
        server::{check_deal, RegisterDeal},
    },
    page_data::page_data,
};

/// How long typing must pause before the prospect is checked.
const SETTLE: Duration = Duration::from_millis(350);

#[component]
pub fn RegisterForm(
    action: ServerAction<RegisterDeal>,
    plans: Vec<(String, String)>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let params = use_query_map();
    // What was typed: after a refused post, what the server kept; after "Check
    // availability" without JavaScript, what the GET brought back.
    let typed = move |field: &'static str| {
        Signal::derive(move || {
            let kept = kept_value(error.get(), field);
            if kept.is_empty() {
                params.read().get(&input_name(field)).unwrap_or_default()
            } else {
                kept
            }
        })
    };
    let message =
        move |field: &'static str| Signal::derive(move || message_for(error.get(), field));
    let company = RwSignal::new(typed("company_name").get_untracked());
    let domain = RwSignal::new(typed("domain").get_untracked());
    let settled = RwSignal::new((company.get_untracked(), domain.get_untracked()));
    let settle = move || {
        let now = (company.get_untracked(), domain.get_untracked());
        set_timeout(
            move || {
                if (company.get_untracked(), domain.get_untracked()) == now {
                    settled.set(now);
                }
            },
            SETTLE,
        );
    };
    let availability = page_data(
        move || settled.get(),
        |(company_name, domain)| async move {
            if company_name.trim().is_empty() && domain.trim().is_empty() {
                Ok(Availability::NotChecked)
            } else {
                check_deal(CheckInput {
                    company_name,
                    domain,
                })
                .await
            }
        },
    );
    // The GET button serves browsers without JavaScript; once the page runs, the check
    // answers as the partner types.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let plan_kept = typed("plan");
    let plan_options = plans
        .into_iter()
        .map(|(code, name)| {
            let selected = {
                let code = code.clone();
                move || plan_kept.get() == code
            };
            view! { <option value=code selected=selected>{name}</option> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="register-title">
            <h2 id="register-title">"Register a deal"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="company_name" label="Company" required=true max=Some(200) autocomplete=Some("organization")
                    value=typed("company_name") message=message("company_name")
                    on_input=Callback::new(move |text| { company.set(text); settle(); }) />
                <Field name="domain" label="Web domain" required=true max=Some(253) autocomplete=Some("off")
                    hint=Some("The company's own domain, such as acme.com: it is how registrations are told apart.")
                    value=typed("domain") message=message("domain")
                    on_input=Callback::new(move |text| { domain.set(text); settle(); }) />
                <AvailabilityNote availability />
                {move || (!hydrated.get()).then(|| view! {
                    <p>
                        <button type="submit" class="button button-quiet" formmethod="get"
                            formaction="/partner/deals" formnovalidate=true>"Check availability"</button>
                    </p>
                })}
                <Field name="contact_name" label="Contact" required=true max=Some(200) autocomplete=Some("off")
                    value=typed("contact_name") message=message("contact_name") />
                <Field name="contact_email" label="Contact e-mail" required=true kind=Some("email") max=Some(254)
                    autocomplete=Some("off") value=typed("contact_email") message=message("contact_email") />
                <Field name="country" label="Country" required=true max=Some(2) autocomplete=Some("off")
                    hint=Some("Two-letter ISO code, such as US, DE or GB.")
                    value=typed("country") message=message("country") />
                <div class="field">
                    <label for="plan">"Expected plan *"</label>
                    <select id="plan" name=input_name("plan")
                        aria-invalid=move || message("plan").get().is_some().to_string()>
                        <option value="">"Choose a plan"</option>
                        {plan_options}
                    </select>
                    {move || message("plan").get().map(|m| view! { <p class="field-error" id="plan-error">{m}</p> })}
                </div>
                <Field name="seats" label="Seats" required=true kind=Some("number") value=typed("seats") message=message("seats") />
                <Field name="monthly_value" label="Estimated monthly value (USD)" required=true
                    hint=Some("What the prospect would pay each month, such as 1200.00.")
                    value=typed("monthly_value") message=message("monthly_value") />
                <Field name="expected_close" label="Expected close date" required=true kind=Some("date")
                    value=typed("expected_close") message=message("expected_close") />
                <Field name="notes" label="Notes" multiline=true max=Some(2000)
                    hint=Some("What the program team should know: the opportunity, who decides, the timeline.")
                    value=typed("notes") message=message("notes") />
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Register deal"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The conflict check's answer, read out politely as it changes.
#[component]
fn AvailabilityNote(
    availability: crate::page_data::PageData<Result<Availability, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <div aria-live="polite" data-testid="deal-availability">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match availability.await {
                        Ok(Availability::Available) => view! {
                            <p class="availability availability-free">
                                "Available: no other partner has registered this prospect, and it is not a customer yet."
                            </p>
                        }.into_any(),
                        Ok(Availability::Taken(conflicts)) => view! {
                            <div class="availability availability-taken">
                                <strong>"Check before you register:"</strong>
                                <ul>{conflicts.iter().map(|c| view! { <li>{c.sentence()}</li> }).collect_view()}</ul>
                            </div>
                        }.into_any(),
                        Ok(Availability::NotChecked) | Err(_) => ().into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
