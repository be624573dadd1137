//! The client form, shared by "new client" and "edit client".

use leptos::prelude::*;

use crate::{
    clients::{input::REGIONS, model::PlanOption},
    components::form::{field_error, kept_value, message_for, Field},
    error::AppError,
};

/// Current values to start from (empty for a new client).
#[derive(Clone, Debug, Default)]
pub struct ClientValues {
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub plan: String,
    pub custom_price: String,
    pub billing_owned_by_reseller: bool,
    pub region: String,
}

/// The fields of the client form. After an error, what was typed wins over `values`.
#[component]
pub fn ClientFields(
    values: ClientValues,
    plans: Vec<PlanOption>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let value = move |field: &'static str, current: String| {
        move || match error.get() {
            Some(e) if e.fields().is_some() => kept_value(Some(e), field),
            _ => current.clone(),
        }
    };
    let text = move |field: &'static str,
                     label: &'static str,
                     kind: &'static str,
                     current: String,
                     required: bool| {
        view! {
            <Field
                name=field
                label
                kind=Some(kind)
                required
                message=Signal::derive(move || message_for(error.get(), field))
                value=Signal::derive(value(field, current))
            />
        }
    };
    let selected_plan = value("plan", values.plan.clone());
    let plan_options = plans
        .into_iter()
        .map(|p| {
            let code = p.code.clone();
            let selected_plan = selected_plan.clone();
            view! {
                <option value=p.code.clone() selected=move || selected_plan() == code>
                    {format!("{} ({}/month)", p.name, crate::components::format::money(p.monthly_price))}
                </option>
            }
        })
        .collect_view();
    let selected_region = value("region", values.region.clone());
    let region_options = REGIONS
        .map(|r| {
            let selected_region = selected_region.clone();
            view! { <option value=r selected=move || selected_region() == r>{r}</option> }
        })
        .collect_view();
    let billed = values.billing_owned_by_reseller;
    view! {
        {text("company_name", "Company", "text", values.company_name.clone(), true)}
        {text("contact_name", "Contact name", "text", values.contact_name.clone(), true)}
        {text("contact_email", "Contact e-mail", "email", values.contact_email.clone(), true)}
        {text("contact_phone", "Contact phone", "tel", values.contact_phone.clone(), false)}
        <div class="field">
            <label for="plan">"Plan *"</label>
            <select id="plan" name="input[plan]" required>
                <option value="">"Choose…"</option>
                {plan_options}
            </select>
            {move || field_error(error.get(), "plan")}
        </div>
        <div class="field">
            <label for="custom_price">"Your price per month (optional)"</label>
            <input id="custom_price" name="input[custom_price]" inputmode="decimal" placeholder="e.g. 249.00"
                value=value("custom_price", values.custom_price.clone()) aria-describedby="custom_price-help" />
            <p class="help" id="custom_price-help">"What you charge the client. Your commission is always on the list price."</p>
            {move || field_error(error.get(), "custom_price")}
        </div>
        <div class="field field-check">
            <input id="billing_owned_by_reseller" name="input[billing_owned_by_reseller]" type="checkbox" value="on" checked=billed />
            <label for="billing_owned_by_reseller">"You bill this client"</label>
        </div>
        <div class="field">
            <label for="region">"Region"</label>
            <select id="region" name="input[region]">
                <option value="">"Not set"</option>
                {region_options}
            </select>
            {move || field_error(error.get(), "region")}
        </div>
    }
}
