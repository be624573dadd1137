//! `/admin/payouts`: payouts due and scheduled, each due one with a form to record it paid,
//! and the latest paid ones.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::page_data::page_data;
use crate::{
    commissions::{
        model::{Payout, PayoutMethod, PayoutPage, PayoutState},
        server::{get_payouts, PayPayout},
    },
    components::{
        form::FormErrorSummary,
        format::{date_time, day, money},
        loaded,
        table::PositionPager,
    },
    program::Position,
};

#[component]
pub fn AdminPayoutsPage() -> impl IntoView {
    let pay = ServerAction::<PayPayout>::new();
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let payouts = page_data(
        move || (pay.version().get(), position.get()),
        |(_, position)| get_payouts(Some(position)),
    );
    let done = move || {
        pay.value()
            .get()
            .and_then(Result::ok)
            .map(|message| view! { <p class="notice" role="status" data-testid="pay-outcome">{message}</p> })
    };
    let error = move || pay.value().get().and_then(Result::err);
    view! {
        <Title text="Payouts" />
        <header class="page-header">
            <h1>"Payouts"</h1>
            <p class="muted">"A closed statement is payable 30 days after its month ends. Balances below $500.00 are carried forward."</p>
        </header>
        {done}
        <FormErrorSummary error=Signal::derive(error) />
        {loaded(payouts, move |page: PayoutPage| {
            let links = page.links.clone();
            view! {
                <PayoutTables rows=page.rows pay />
                <PositionPager label="Payout pages" path="/admin/payouts" links
                    position="Unpaid first, soonest due first; then paid, latest first" />
            }
        })}
    }
}

#[component]
fn PayoutTables(rows: Vec<Payout>, pay: ServerAction<PayPayout>) -> impl IntoView {
    let (open, paid): (Vec<Payout>, Vec<Payout>) =
        rows.into_iter().partition(|p| p.state != PayoutState::Paid);
    let open_body = if open.is_empty() {
        view! { <p class="empty">"Nothing to pay: every payout is paid."</p> }.into_any()
    } else {
        let rows = open
            .into_iter()
            .map(|p| view! { <OpenPayoutRow payout=p pay /> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="open-payouts">
                    <caption class="visually-hidden">"Payouts to make"</caption>
                    <thead><tr>
                        <th scope="col">"Partner"</th><th scope="col">"Statements"</th><th scope="col">"Due"</th>
                        <th scope="col" class="num">"Amount"</th><th scope="col">"Record payment"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let paid_body = if paid.is_empty() {
        view! { <p class="empty">"No payout has been paid yet."</p> }.into_any()
    } else {
        let rows = paid
            .into_iter()
            .map(|p| {
                view! {
                    <tr>
                        <th scope="row">{p.partner_name.clone()}</th>
                        <td>{months(&p)}</td>
                        <td class="num">{money(p.amount)}</td>
                        <td>{p.paid_at.map(date_time)}</td>
                        <td>{p.method.map(PayoutMethod::label)} " · " {p.reference.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table compact">
                    <caption class="visually-hidden">"Paid payouts"</caption>
                    <thead><tr>
                        <th scope="col">"Partner"</th><th scope="col">"Statements"</th><th scope="col" class="num">"Amount"</th>
                        <th scope="col">"Paid"</th><th scope="col">"Method and reference"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="open-title">
            <h2 id="open-title">"To pay"</h2>
            {open_body}
        </section>
        <section aria-labelledby="paid-title">
            <h2 id="paid-title">"Paid"</h2>
            {paid_body}
        </section>
    }
}

pub fn months(p: &Payout) -> String {
    p.months
        .iter()
        .map(|m| m.short_label())
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn OpenPayoutRow(payout: Payout, pay: ServerAction<PayPayout>) -> impl IntoView {
    let id = payout.id.to_string();
    let id_value = id.clone();
    let form = if payout.state == PayoutState::Due {
        let methods =
            PayoutMethod::ALL.map(|m| view! { <option value=m.slug()>{m.label()}</option> });
        let method_id = format!("method-{id}");
        let reference_id = format!("reference-{id}");
        view! {
            <ActionForm action=pay attr:class="inline-form">
                <input type="hidden" name="input[payout_id]" value=id_value />
                <label for=method_id.clone() class="visually-hidden">"Method"</label>
                <select id=method_id name="input[method]">{methods}</select>
                <label for=reference_id.clone() class="visually-hidden">"Payment reference"</label>
                <input id=reference_id name="input[reference]" required maxlength="100" placeholder="Reference" />
                <button type="submit" class="button button-small">"Mark paid"</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <span class="muted">"Scheduled"</span> }.into_any()
    };
    view! {
        <tr data-payout=id.clone()>
            <th scope="row">{payout.partner_name.clone()}</th>
            <td>{months(&payout)}</td>
            <td>
                {day(payout.due_on)}
                <span class=format!("status-badge payout-{}", payout.state.slug())>{payout.state.label()}</span>
            </td>
            <td class="num">{money(payout.amount)}</td>
            <td>{form}</td>
        </tr>
    }
}
