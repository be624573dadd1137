//! `/app`: the account's plan, status and price, its contact, and the reseller's support.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::page_data::page_data;
use crate::{
    components::{
        form::{field_error, kept_value, FormErrorSummary},
        format::money,
        loaded,
    },
    portal::{
        model::ClientAccount,
        server::{my_account, UpdateContact},
    },
};

#[component]
pub fn ClientHomePage() -> impl IntoView {
    let update = ServerAction::<UpdateContact>::new();
    let account = page_data(move || update.version().get(), |_| my_account());
    view! {
        <Title text="My account" />
        {loaded(account, move |a: ClientAccount| view! { <AccountView account=a update /> })}
    }
}

#[component]
fn AccountView(account: ClientAccount, update: ServerAction<UpdateContact>) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let value = move |field: &'static str, current: String| {
        move || {
            error
                .get()
                .map(|e| kept_value(Some(e), field))
                .unwrap_or_else(|| current.clone())
        }
    };
    view! {
        <header class="page-header">
            <h1>{account.company_name.clone()}</h1>
            <p class="muted">"Your subscription, provided by " {account.reseller_name.clone()}</p>
        </header>
        <section class="cards" aria-label="Subscription">
            <article class="card">
                <h2 class="card-label">"Plan"</h2>
                <p class="card-value" data-testid="plan">{account.plan_name.clone()}</p>
            </article>
            <article class="card">
                <h2 class="card-label">"Status"</h2>
                <p class="card-value">
                    <span class=format!("status-badge status-{}", account.status.slug())>{account.status.label()}</span>
                </p>
            </article>
            <article class="card">
                <h2 class="card-label">"Price per month"</h2>
                <p class="card-value">{money(account.monthly_price)}</p>
            </article>
        </section>
        <div class="two-columns">
            <section aria-labelledby="contact-title" class="card">
                <h2 id="contact-title">"Account contact"</h2>
                <ActionForm action=update>
                    <FormErrorSummary error />
                    {move || update.value().get().is_some_and(|r| r.is_ok()).then(|| view! { <p class="form-ok" role="status">"Saved."</p> })}
                    <div class="field">
                        <label for="contact_name">"Contact name"</label>
                        <input id="contact_name" name="input[contact_name]" required value=value("contact_name", account.contact_name.clone()) />
                        {move || field_error(error.get(), "contact_name")}
                    </div>
                    <div class="field">
                        <label for="contact_phone">"Contact phone"</label>
                        <input id="contact_phone" name="input[contact_phone]" type="tel"
                            value=value("contact_phone", account.contact_phone.clone().unwrap_or_default()) />
                        {move || field_error(error.get(), "contact_phone")}
                    </div>
                    <button type="submit" class="button">"Save contact"</button>
                </ActionForm>
            </section>
            <aside class="card" aria-labelledby="help-title" data-testid="help-card">
                <h2 id="help-title">"Need help?"</h2>
                <p>{account.reseller_name.clone()} " looks after your subscription."</p>
                {account.support_email.clone().map(|e| view! { <p><a href=format!("mailto:{e}")>{e.clone()}</a></p> })}
                {account.support_phone.clone().map(|t| view! { <p><a href=format!("tel:{t}")>{t.clone()}</a></p> })}
            </aside>
        </div>
    }
}
