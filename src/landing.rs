//! The public home page: what the partner program offers and its tiers.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::format::{count, percent},
    program::Tier,
};

#[component]
pub fn LandingPage() -> impl IntoView {
    let tiers = Tier::ALL
        .into_iter()
        .map(|tier| {
            let clients = match tier.next() {
                Some(next) => format!("{}–{}", tier.min_active_clients(), next.min_active_clients() - 1),
                None => format!("{}+", tier.min_active_clients()),
            };
            let cap = tier.client_cap().map(count).unwrap_or_else(|| "Unlimited".into());
            view! {
                <tr>
                    <th scope="row"><span class=format!("tier-badge tier-{}", tier.slug())>{tier.label()}</span></th>
                    <td>{clients}</td>
                    <td class="num">{percent(tier.commission_rate())}</td>
                    <td class="num">{cap}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"Grow with our partner program"</h1>
            <p class="lead">
                "Resell our product under your own brand, earn a recurring commission on every "
                "client you bring, and manage it all in one place."
            </p>
            <p class="actions">
                <a class="button" href="/apply">"Apply to become a partner"</a>
                <a class="button button-quiet" href="/login">"Sign in"</a>
            </p>
        </section>
        <section class="features" aria-label="What partners get">
            <article>
                <h2>"Recurring commission"</h2>
                <p>"Every month, a share of each active client's subscription, paid NET-30."</p>
            </article>
            <article>
                <h2>"Your brand"</h2>
                <p>"From Gold up, your clients see a portal with your logo, colours and support contacts."</p>
            </article>
            <article>
                <h2>"Client management"</h2>
                <p>"Create client accounts, change plans, and help clients by signing in as them, on the record."</p>
            </article>
        </section>
        <section aria-labelledby="tiers-title">
            <h2 id="tiers-title">"Tiers"</h2>
            <p>"Your tier follows your count of active clients, recomputed at each monthly close."</p>
            <div class="table-wrap">
                <table class="data-table">
                    <caption class="visually-hidden">"Partner tiers, their thresholds, commission and client cap"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Tier"</th>
                            <th scope="col">"Active clients"</th>
                            <th scope="col" class="num">"Commission"</th>
                            <th scope="col" class="num">"Client cap"</th>
                        </tr>
                    </thead>
                    <tbody>{tiers}</tbody>
                </table>
            </div>
        </section>
    }
}
