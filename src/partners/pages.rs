//! The partner area's home page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{model::PartnerOverview, server::get_partner_overview};
use crate::components::{
    format::{count, percent},
    loaded,
};

#[component]
pub fn PartnerHomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_partner_overview());
    view! {
        <Title text="Dashboard" />
        {loaded(overview, |o: PartnerOverview| view! { <PartnerOverviewView overview=o /> })}
    }
}

#[component]
fn PartnerOverviewView(overview: PartnerOverview) -> impl IntoView {
    let cap = overview
        .tier
        .client_cap()
        .map(|cap| {
            format!(
                "{} of {} client places used",
                count(overview.open_clients),
                count(cap)
            )
        })
        .unwrap_or_else(|| format!("{} clients, no cap", count(overview.open_clients)));
    let recent = if overview.recent_clients.is_empty() {
        view! { <p class="empty">"No clients yet."</p> }.into_any()
    } else {
        let items = overview
            .recent_clients
            .into_iter()
            .map(|c| view! { <li><a href=format!("/partner/clients/{}", c.id)>{c.company_name}</a></li> })
            .collect_view();
        view! { <ul class="link-list">{items}</ul> }.into_any()
    };
    view! {
        <header class="page-header">
            <h1>{overview.name.clone()}</h1>
            <p class="muted">"Partner dashboard"</p>
        </header>
        <section class="cards" aria-label="Summary">
            <article class="card">
                <h2 class="card-label">"Tier"</h2>
                <p class="card-value">
                    <span class=format!("tier-badge tier-{}", overview.tier.slug())>{overview.tier.label()}</span>
                </p>
                <p class="card-note">
                    {percent(overview.tier.commission_rate())} " commission"
                    {overview.tier_pinned.then_some(" · set by the program team")}
                </p>
            </article>
            <article class="card">
                <h2 class="card-label">"Active clients"</h2>
                <p class="card-value" data-testid="active-clients">{count(overview.active_clients)}</p>
                <p class="card-note">{cap}</p>
            </article>
            <article class="card">
                <h2 class="card-label">"Status"</h2>
                <p class="card-value">{overview.status.label()}</p>
            </article>
        </section>
        <section aria-labelledby="recent-title">
            <h2 id="recent-title">"Recently added clients"</h2>
            {recent}
        </section>
    }
}
