//! The admin area's pages.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{model::PartnerRow, server::list_partners};
use crate::components::{format::count, loaded};

#[component]
pub fn AdminHomePage() -> impl IntoView {
    let partners = Resource::new(|| (), |_| list_partners());
    view! {
        <Title text="Partners" />
        <header class="page-header">
            <h1>"Partners"</h1>
            <p class="muted">"Every partner in the program, with tier, status and clients."</p>
        </header>
        {loaded(partners, |rows: Vec<PartnerRow>| view! { <PartnerTable rows /> })}
    }
}

#[component]
fn PartnerTable(rows: Vec<PartnerRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No partners yet. Approved applications appear here."</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.name}<span class="muted small">" · " {p.slug}</span></th>
                    <td>
                        <span class=format!("tier-badge tier-{}", p.tier.slug())>{p.tier.label()}</span>
                        {p.tier_pinned.then_some(view! { <span class="muted small">" pinned"</span> })}
                    </td>
                    <td>{p.status.label()}</td>
                    <td class="num">{count(p.active_clients)}</td>
                    <td class="num">{count(p.open_clients)}</td>
                    <td class="num">{count(p.members)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="visually-hidden">"Partners"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Tier"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Active clients"</th>
                        <th scope="col" class="num">"Clients"</th>
                        <th scope="col" class="num">"Members"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
