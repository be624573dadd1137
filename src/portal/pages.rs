//! Client portal pages.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{model::ClientAccount, server::my_account};
use crate::components::{format::money, loaded};

#[component]
pub fn ClientHomePage() -> impl IntoView {
    let account = Resource::new(|| (), |_| my_account());
    view! {
        <Title text="My account" />
        {loaded(account, |a: ClientAccount| view! { <AccountView account=a /> })}
    }
}

#[component]
fn AccountView(account: ClientAccount) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{account.company_name}</h1>
            <p class="muted">"Your subscription, provided by " {account.reseller_name}</p>
        </header>
        <section class="cards" aria-label="Subscription">
            <article class="card">
                <h2 class="card-label">"Plan"</h2>
                <p class="card-value" data-testid="plan">{account.plan_name}</p>
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
    }
}
