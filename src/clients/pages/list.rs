//! `/partner/clients` and `/partner/clients/new`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::form::{ClientFields, ClientValues};
use crate::page_data::page_data;
use crate::program::{Position, SubscriptionStatus};
use crate::{
    clients::{
        list::{ClientPage, ClientQuery, ClientSort},
        model::PlanOption,
        server::{list_clients, list_plans, CreateClient},
    },
    components::{
        form::FormErrorSummary,
        format::{count, money, total},
        loaded,
        table::{Column, DataTable, Pager, SortLink},
    },
};

#[component]
pub fn ClientListPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| ClientQuery::from_params(|k| p.get(k))));
    let page = page_data(move || query.get(), list_clients);
    let plans = page_data(|| (), |_| list_plans());
    view! {
        <Title text="Clients" />
        <header class="page-header with-actions">
            <div>
                <h1>"Clients"</h1>
                <p class="muted">"Your client accounts and their subscriptions."</p>
            </div>
        </header>
        {loaded(plans, move |plans: Vec<PlanOption>| view! { <ClientFilters query=query.get_untracked() plans /> })}
        {loaded(page, move |p: ClientPage| view! { <ClientTable page=p query=query.get_untracked() /> })}
    }
}

#[component]
fn ClientFilters(query: ClientQuery, plans: Vec<PlanOption>) -> impl IntoView {
    let statuses = [
        SubscriptionStatus::Active,
        SubscriptionStatus::Suspended,
        SubscriptionStatus::Canceled,
    ]
    .map(
        |s| view! { <option value=s.slug() selected=query.status == Some(s)>{s.label()}</option> },
    );
    let plan_options = plans
        .into_iter()
        .map(|p| view! { <option value=p.code.clone() selected=query.plan.as_deref() == Some(p.code.as_str())>{p.name}</option> })
        .collect_view();
    let sorts = [
        (ClientSort::Company, "company", "Company"),
        (ClientSort::Created, "created", "Created"),
        (ClientSort::Plan, "plan", "Plan"),
        (ClientSort::Price, "price", "Price"),
    ]
    .map(|(s, v, l)| view! { <option value=v selected=query.sort == s>{l}</option> });
    let filter = query.query_string(|q| q.position = Position::First);
    let export = move |ext: &str| format!("/partner/clients/export.{ext}?{filter}");
    view! {
        <form method="get" action="/partner/clients" class="filters" role="search" aria-label="Filter clients">
            <div class="field">
                <label for="q">"Search company, contact or e-mail"</label>
                <input id="q" name="q" type="search" maxlength="100" value=query.search.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="status">"Status"</label>
                <select id="status" name="status"><option value="">"Any status"</option>{statuses}</select>
            </div>
            <div class="field">
                <label for="plan-filter">"Plan"</label>
                <select id="plan-filter" name="plan"><option value="">"Any plan"</option>{plan_options}</select>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">{sorts}</select>
            </div>
            <div class="field">
                <label for="dir">"Order"</label>
                <select id="dir" name="dir">
                    <option value="asc" selected=!query.descending>"Ascending"</option>
                    <option value="desc" selected=query.descending>"Descending"</option>
                </select>
            </div>
            <button type="submit" class="button">"Apply filters"</button>
            <a class="button button-quiet" href=export("csv") rel="external" download>"Export CSV"</a>
            <a class="button button-quiet" href=export("xlsx") rel="external" download>"Export Excel"</a>
        </form>
    }
}

#[component]
fn ClientTable(page: ClientPage, query: ClientQuery) -> impl IntoView {
    let cap = page.tier.client_cap();
    let gauge = match cap {
        Some(cap) => {
            let (low, high) = (cap * 8 / 10, cap * 95 / 100);
            view! {
            <div class="gauge" data-testid="headroom">
                <label for="headroom-meter">
                    {count(page.open_clients)} " of " {count(cap)} " client places used (" {page.tier.label()} " tier)"
                </label>
                <meter id="headroom-meter" min="0" max=cap value=page.open_clients low=low high=high optimum="0"></meter>
            </div>
        }
        .into_any()
        }
        None => view! { <p class="gauge" data-testid="headroom">{count(page.open_clients)} " clients · no cap at " {page.tier.label()}</p> }.into_any(),
    };
    let new_button = page
        .can_edit
        .then(|| view! { <a class="button" href="/partner/clients/new">"New client"</a> });
    let filtered = query
        != (ClientQuery {
            position: query.position.clone(),
            ..Default::default()
        });
    let empty = if filtered {
        "No clients match these filters."
    } else {
        "No clients yet. Create your first client to start earning commission."
    };
    // A header sorts by its column; the sorted one turns the order round.
    let sort_by = |sort: ClientSort, label: &'static str| {
        let sorted = query.sort == sort;
        let descending = query.descending;
        Column::new(label).sorted(SortLink {
            href: query.href(|q| {
                q.descending = if sorted {
                    !descending
                } else {
                    sort == ClientSort::Created
                };
                q.sort = sort;
                q.position = Position::First;
            }),
            descending: sorted.then_some(descending),
        })
    };
    let columns = vec![
        sort_by(ClientSort::Company, "Company"),
        Column::new("Contact"),
        sort_by(ClientSort::Plan, "Plan"),
        Column {
            numeric: true,
            ..sort_by(ClientSort::Price, "Price / month")
        },
        Column::new("Status"),
    ];
    let rows = page
        .rows
        .iter()
        .map(|c| view! {
            <tr>
                <th scope="row"><a href=format!("/partner/clients/{}", c.id)>{c.company_name.clone()}</a></th>
                <td>{c.contact_name.clone()}<span class="muted small">" · " {c.contact_email.clone()}</span></td>
                <td>{c.plan_name.clone()}</td>
                <td class="num">{money(c.price)}</td>
                <td>
                    <span class=format!("status-badge status-{}", c.status.slug())>{c.status.label()}</span>
                    {(!c.risks.is_empty()).then(|| view! {
                        <br /><span class="risk" data-testid="churn-risk">
                            {format!("At risk: {}", c.risks.iter().map(|r| r.label()).collect::<Vec<_>>().join(", "))}
                        </span>
                    })}
                </td>
            </tr>
        })
        .collect_view();
    view! {
        {page.management_off.then(|| view! {
            <p class="notice" role="status" data-testid="management-off">{crate::auth::SWITCHED_OFF_NOTICE}</p>
        })}
        <div class="list-toolbar">{gauge}{new_button}</div>
        <DataTable caption="Clients" columns is_empty=page.rows.is_empty() empty>
            {rows}
        </DataTable>
        <Pager
            label="Client pages"
            first=page.links.first.as_ref().map(|p| query.at(p))
            previous=page.links.previous.as_ref().map(|p| query.at(p))
            next=page.links.next.as_ref().map(|p| query.at(p))
            last=page.links.last.as_ref().map(|p| query.at(p))
            position=format!("{} clients", total(page.total))
        />
    }
}

#[component]
pub fn NewClientPage() -> impl IntoView {
    let create = ServerAction::<CreateClient>::new();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let plans = page_data(|| (), |_| list_plans());
    view! {
        <Title text="New client" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/partner/clients">"Clients"</a></nav>
        <header class="page-header"><h1>"New client"</h1>
            <p class="muted">"The contact gets an e-mail to set up their account."</p></header>
        {loaded(plans, move |plans: Vec<PlanOption>| view! {
            <ActionForm action=create attr:class="form-card" attr:novalidate="true">
                <FormErrorSummary error />
                <ClientFields values=ClientValues { billing_owned_by_reseller: true, ..Default::default() } plans error />
                <button type="submit" class="button">"Create client"</button>
            </ActionForm>
        })}
    }
}
