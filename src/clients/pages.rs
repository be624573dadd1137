//! Client pages in the partner area.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::{model::ClientDetail, server::get_client};
use crate::{
    components::{
        format::{date, money},
        loaded,
    },
    error::AppError,
};

#[component]
pub fn ClientDetailPage() -> impl IntoView {
    let params = use_params_map();
    let client = Resource::new(
        move || params.read().get("id"),
        |id| async move {
            let id = id
                .and_then(|id| id.parse::<Uuid>().ok())
                .ok_or(AppError::NotFound)?;
            get_client(id).await
        },
    );
    view! { {loaded(client, |c: ClientDetail| view! { <ClientDetailView client=c /> })} }
}

#[component]
fn ClientDetailView(client: ClientDetail) -> impl IntoView {
    let price = match client.custom_price {
        Some(custom) => format!("{} (list {})", money(custom), money(client.list_price)),
        None => money(client.list_price),
    };
    view! {
        <Title text=client.company_name.clone() />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/partner">"Dashboard"</a> " / Clients"</nav>
        <header class="page-header">
            <h1>{client.company_name.clone()}</h1>
            <p>
                <span class=format!("status-badge status-{}", client.status.slug())>{client.status.label()}</span>
            </p>
        </header>
        <dl class="details">
            <dt>"Plan"</dt><dd>{client.plan_name}</dd>
            <dt>"Price per month"</dt><dd>{price}</dd>
            <dt>"Billing"</dt>
            <dd>{if client.billing_owned_by_reseller { "Billed by you" } else { "Billed by the vendor" }}</dd>
            <dt>"Contact"</dt><dd>{client.contact_name} " · " {client.contact_email}</dd>
            <dt>"Region"</dt><dd>{client.region.unwrap_or_else(|| "—".into())}</dd>
            <dt>"Client since"</dt><dd>{date(client.created_at)}</dd>
        </dl>
    }
}
