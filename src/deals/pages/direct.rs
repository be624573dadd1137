//! On `/admin/deals`: recording that a protected prospect bought directly from the vendor
//! (seed 001 section 6.2). The partner whose registration protects the domain is credited:
//! the prospect becomes its client, and the close counts it for the partner.

use leptos::prelude::*;

use crate::{
    components::form::{input_name, kept_value, message_for, Confirm, Field, FormErrorSummary},
    deals::server::RecordDirectPurchase,
};

#[component]
pub fn DirectPurchaseForm(
    action: ServerAction<RecordDirectPurchase>,
    plans: Vec<(String, String)>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let message =
        move |field: &'static str| Signal::derive(move || message_for(error.get(), field));
    let plan_kept = Signal::derive(move || kept_value(error.get(), "plan"));
    let options = plans
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
        <section class="card" aria-labelledby="direct-title" id="direct">
            <h2 id="direct-title">"A protected prospect bought directly"</h2>
            <p class="help">
                "When a prospect that a partner's registration protects buys from us directly, the partner still "
                "earns the commission: record the purchase here. The prospect becomes that partner's client (we bill it), "
                "the deal is won, and each close counts the client for the partner."
            </p>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="domain" label="The buyer's web domain" required=true max=Some(253)
                    value=Signal::derive(move || kept_value(error.get(), "domain")) message=message("domain") />
                <div class="field">
                    <label for="direct-plan">"Plan it bought *"</label>
                    <select id="direct-plan" name=input_name("plan")
                        aria-invalid=move || message("plan").get().is_some().to_string()>
                        <option value="">"Choose a plan"</option>
                        {options}
                    </select>
                    {move || message("plan").get().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
                <Confirm id="direct-confirm"
                    label="Yes: credit the protecting partner with this customer and its commission."
                    error />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Credit the partner"</button>
            </ActionForm>
        </section>
    }
}
