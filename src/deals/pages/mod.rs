//! `/partner/deals`: the partner's registrations, newest first, a page at a time, and the
//! registration form, whose conflict check answers while the partner types (with
//! JavaScript) or on "Check availability" (without: the form is sent to this page as a
//! GET, and the page answers with everything typed kept).

mod actions;
mod admin;
mod direct;
mod form;

pub use admin::AdminDealsPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{DealRow, DealStatus, DealsPage},
    server::{get_deals, ConvertDeal, RecordDealActivity, RegisterDeal, RequestExtension},
};
use crate::{
    components::{format, loaded, table::PositionPager},
    page_data::page_data,
    program::Position,
};
use actions::{ProtectedDealActions, RowActions};

#[component]
pub fn PartnerDealsPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let register = ServerAction::<RegisterDeal>::new();
    let actions = RowActions {
        activity: ServerAction::<RecordDealActivity>::new(),
        convert: ServerAction::<ConvertDeal>::new(),
        extension: ServerAction::<RequestExtension>::new(),
    };
    let deals = page_data(
        move || {
            (
                position.get(),
                register.version().get(),
                actions.activity.version().get(),
                actions.extension.version().get(),
            )
        },
        |(position, _, _, _)| get_deals(Some(position)),
    );
    let registered = move || {
        matches!(register.value().get(), Some(Ok(_)))
            || params.read().get("done").as_deref() == Some("registered")
    };
    let recorded = move || {
        let until = actions.activity.value().get().and_then(Result::ok);
        match (until, params.read().get("done").as_deref()) {
            (Some(until), _) => Some(format!(
                "Recorded: protected until {}.",
                format::date(until)
            )),
            (None, Some("activity")) => {
                Some("Recorded: the deal's protection is extended.".to_string())
            }
            _ => None,
        }
    };
    view! {
        <Title text="Deals" />
        <header class="page-header">
            <h1>"Deals"</h1>
            <p class="muted">
                "Register the prospects your team works on. Once the program team approves a registration, "
                "the prospect is yours alone for 90 days: no other partner can register it, and if it buys "
                "direct you still earn the commission."
            </p>
        </header>
        {move || registered().then(|| view! {
            <p class="form-ok" role="status">"Registered: the program team reviews it, usually within two working days. You are told by e-mail."</p>
        })}
        {move || recorded().map(|text| view! { <p class="form-ok" role="status">{text}</p> })}
        {loaded(deals, move |page: DealsPage| view! { <DealsView page register actions /> })}
    }
}

#[component]
fn DealsView(
    page: DealsPage,
    register: ServerAction<RegisterDeal>,
    actions: RowActions,
) -> impl IntoView {
    let DealsPage {
        deals,
        links,
        can_register,
        plans,
    } = page;
    let body = if deals.is_empty() {
        view! { <p class="empty">"No deals registered yet."</p> }.into_any()
    } else {
        let rows = deals
            .into_iter()
            .map(|deal| view! { <DealLine deal actions=can_register.then_some(actions) /> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="deals">
                    <caption class="visually-hidden">"Registered deals"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Prospect"</th>
                            <th scope="col">"Contact"</th>
                            <th scope="col" class="num">"Monthly value"</th>
                            <th scope="col">"Expected close"</th>
                            <th scope="col">"Registered"</th>
                            <th scope="col">"Status"</th>
                            {can_register.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="deals-title">
            <h2 id="deals-title" class="visually-hidden">"Your registrations"</h2>
            {body}
            <PositionPager label="Deal pages" path="/partner/deals" links position=String::new() />
        </section>
        {can_register.then(|| view! { <form::RegisterForm action=register plans /> })}
    }
}

#[component]
fn DealLine(deal: DealRow, actions: Option<RowActions>) -> impl IntoView {
    let DealRow {
        id,
        company_name,
        domain,
        contact_name,
        contact_email,
        country,
        plan,
        seats,
        monthly_value,
        expected_close,
        status,
        registered_by,
        created_at,
        protected_until,
        decision_reason,
        client_id,
        extension_requested_at,
        ..
    } = deal;
    let protected_now = status == DealStatus::Approved;
    let controls = actions.map(|actions| {
        let company = company_name.clone();
        view! {
            <td>
                {protected_now.then(|| view! {
                    <ProtectedDealActions id company asked=extension_requested_at.is_some() actions />
                })}
            </td>
        }
    });
    let standing = match (status, protected_until) {
        (DealStatus::Approved, Some(until)) => {
            format!("{} until {}", status.label(), format::date(until))
        }
        _ => status.label().to_string(),
    };
    let registered = match registered_by {
        Some(by) => format!("{} by {by}", format::date(created_at)),
        None => format::date(created_at),
    };
    view! {
        <tr data-status=status.slug()>
            <th scope="row">{company_name}<br /><span class="muted">{format!("{domain} · {country} · {plan}, {seats} seats")}</span></th>
            <td>{contact_name}<br /><span class="muted break-anywhere">{contact_email}</span></td>
            <td class="num">{format::money(monthly_value)}</td>
            <td>{format::day(expected_close)}</td>
            <td>{registered}</td>
            <td>
                <span class=format!("status-badge deal-{}", status.slug())>{standing}</span>
                {decision_reason.map(|r| view! { <br /><span class="muted">{r}</span> })}
                {client_id.map(|client| view! { <br /><a href=format!("/partner/clients/{client}")>"Open the client"</a> })}
                {extension_requested_at.map(|at| view! { <br /><span class="muted">{format!("More time asked on {}", format::date(at))}</span> })}
            </td>
            {controls}
        </tr>
    }
}
