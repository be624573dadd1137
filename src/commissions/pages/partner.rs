//! `/partner/commissions` (statements, payouts, payout method) and
//! `/partner/commissions/:month` (one statement, line by line, with its computation).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::payouts::months;
use crate::page_data::page_data;
use crate::{
    commissions::{
        model::{PartnerCommissions, Payout, PayoutMethod, StatementDetail, StatementSummary},
        server::{get_partner_commissions, get_statement, SetPayoutMethod},
    },
    components::{
        form::{field_error, kept_value, FormErrorSummary},
        format::{count, date, date_time, day, money, percent},
        loaded,
        table::Pager,
    },
};

#[component]
pub fn PartnerCommissionsPage() -> impl IntoView {
    let set_method = ServerAction::<SetPayoutMethod>::new();
    let data = page_data(
        move || set_method.version().get(),
        |_| get_partner_commissions(),
    );
    view! {
        <Title text="Commissions" />
        <header class="page-header">
            <h1>"Commissions"</h1>
            <p class="muted">"Monthly statements, computed from your clients' subscriptions at the close of each month, and their payouts."</p>
        </header>
        {loaded(data, move |c: PartnerCommissions| view! { <CommissionsView data=c set_method /> })}
    }
}

#[component]
fn CommissionsView(
    data: PartnerCommissions,
    set_method: ServerAction<SetPayoutMethod>,
) -> impl IntoView {
    let carried = (data.carried_forward > rust_decimal::Decimal::ZERO).then(|| {
        view! {
            <p class="notice" data-testid="carried-forward">
                "Carried forward: " <strong>{money(data.carried_forward)}</strong>
                " of closed commission is below the $500.00 payout minimum and will be paid with your next payout."
            </p>
        }
    });
    view! {
        {carried}
        <section aria-labelledby="statements-title">
            <h2 id="statements-title">"Statements"</h2>
            <StatementList statements=data.statements />
        </section>
        <section aria-labelledby="payouts-title">
            <h2 id="payouts-title">"Payouts"</h2>
            <PayoutList payouts=data.payouts />
        </section>
        <PayoutMethodForm
            method=data.payout_method
            account=data.payout_account
            editable=data.may_set_payout_method
            set_method
        />
    }
}

#[component]
fn StatementList(statements: Vec<StatementSummary>) -> impl IntoView {
    if statements.is_empty() {
        return view! { <p class="empty">"No statements yet. The first appears when the program team closes a month in which you had active clients."</p> }.into_any();
    }
    let rows = statements
        .into_iter()
        .map(|s| {
            let payout = match &s.payout {
                Some(p) => format!("{} · {}", p.state.label(), day(p.due_on)),
                None => "Carried forward".into(),
            };
            view! {
                <tr>
                    <th scope="row"><a href=format!("/partner/commissions/{}", s.month)>{s.month.label()}</a></th>
                    <td>{s.tier.label()} " · " {percent(s.rate)}</td>
                    <td class="num">{count(s.lines)}</td>
                    <td class="num">{money(s.total)}</td>
                    <td class="num">{(!s.adjustments.is_zero()).then(|| money(s.adjustments))}</td>
                    <td>{payout}</td>
                    <td>
                        <a href=format!("/partner/commissions/{}/statement.csv", s.month) download="">"CSV"</a>" · "
                        <a href=format!("/partner/commissions/{}/statement.xlsx", s.month) download="">"Excel"</a>" · "
                        <a href=format!("/partner/commissions/{}/statement.pdf", s.month) download="">"PDF"</a>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="statements">
                <caption class="visually-hidden">"Statements by month"</caption>
                <thead><tr>
                    <th scope="col">"Month"</th><th scope="col">"Tier and rate"</th><th scope="col" class="num">"Clients"</th>
                    <th scope="col" class="num">"Commission"</th><th scope="col" class="num">"Adjustments"</th>
                    <th scope="col">"Payout"</th><th scope="col">"Export"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn PayoutList(payouts: Vec<Payout>) -> impl IntoView {
    if payouts.is_empty() {
        return view! { <p class="empty">"No payouts yet. A payout is scheduled when closed commission reaches $500.00."</p> }.into_any();
    }
    let rows = payouts
        .into_iter()
        .map(|p| {
            let paid = p.paid_at.map(|at| {
                format!(
                    "{} by {}, reference {}",
                    date_time(at),
                    p.method.map(PayoutMethod::label).unwrap_or_default(),
                    p.reference.clone().unwrap_or_default()
                )
            });
            view! {
                <tr>
                    <th scope="row">{day(p.due_on)}</th>
                    <td>{months(&p)}</td>
                    <td class="num">{money(p.amount)}</td>
                    <td><span class=format!("status-badge payout-{}", p.state.slug())>{p.state.label()}</span></td>
                    <td>{paid}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="payouts">
                <caption class="visually-hidden">"Payouts"</caption>
                <thead><tr>
                    <th scope="col">"Due"</th><th scope="col">"Statements"</th><th scope="col" class="num">"Amount"</th>
                    <th scope="col">"State"</th><th scope="col">"Paid"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn PayoutMethodForm(
    method: Option<PayoutMethod>,
    account: Option<String>,
    editable: bool,
    set_method: ServerAction<SetPayoutMethod>,
) -> impl IntoView {
    let current = match (&method, &account) {
        (Some(m), Some(a)) => format!("{} — {a}", m.label()),
        _ => "Not chosen yet".into(),
    };
    if !editable {
        return view! {
            <section aria-labelledby="method-title">
                <h2 id="method-title">"Payout method"</h2>
                <p>{current}</p>
                <p class="muted">"Your partner's owner chooses the payout method."</p>
            </section>
        }
        .into_any();
    }
    let error = move || set_method.value().get().and_then(Result::err);
    let saved = move || {
        matches!(set_method.value().get(), Some(Ok(())))
            .then(|| view! { <p class="notice" role="status">"Payout method saved."</p> })
    };
    let account_value = account.clone().unwrap_or_default();
    view! {
        <section aria-labelledby="method-title" class="card">
            <h2 id="method-title">"Payout method"</h2>
            <p class="muted">"Currently: " {current}</p>
            {saved}
            <ActionForm action=set_method attr:class="form-grid">
                <FormErrorSummary error=Signal::derive(error) />
                <div class="field">
                    <label for="payout-method">"Method"</label>
                    <select id="payout-method" name="input[method]">
                        {PayoutMethod::ALL.map(|m| view! { <option value=m.slug() selected=method == Some(m)>{m.label()}</option> })}
                    </select>
                    {move || field_error(error(), "method")}
                </div>
                <div class="field">
                    <label for="payout-account">"Pay to (account's last digits, or PayPal e-mail)"</label>
                    <input id="payout-account" name="input[account]" maxlength="200" required
                        value=move || error().map(|_| kept_value(error(), "account")).unwrap_or_else(|| account_value.clone()) />
                    {move || field_error(error(), "account")}
                </div>
                <button type="submit" class="button button-quiet">"Save payout method"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
pub fn StatementPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let detail = page_data(
        move || {
            (
                params.read().get("month").unwrap_or_default(),
                query
                    .read()
                    .get("page")
                    .and_then(|p| p.parse::<i64>().ok())
                    .unwrap_or(1),
            )
        },
        |(month, page)| get_statement(month, page),
    );
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/partner/commissions">"Commissions"</a></nav>
        {loaded(detail, |d: StatementDetail| view! { <StatementView detail=d /> })}
    }
}

#[component]
fn StatementView(detail: StatementDetail) -> impl IntoView {
    let s = detail.summary.clone();
    let lines = detail
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <th scope="row">{l.client_name.clone()}</th>
                    <td>{l.plan.clone()}</td>
                    <td class="num">{money(l.list_price)}</td>
                    <td class="num">{l.days_active} " / " {l.days_in_month}</td>
                    <td>{l.tier.label()} " · " {percent(l.rate)}</td>
                    <td class="num">{money(l.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    let adjustments = detail
        .adjustments
        .iter()
        .map(|a| {
            view! {
                <tr class="adjustment">
                    <th scope="row">"Adjustment"</th>
                    <td colspan="4">{a.reason.clone()} <span class="muted">" · " {date(a.created_at)}</span></td>
                    <td class="num">{money(a.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    let pager = (detail.pages > 1).then(|| {
        let link = move |page: i64| format!("/partner/commissions/{}?page={page}", s.month);
        view! {
            <Pager
                label="Statement pages"
                first=(detail.page > 2).then(|| link(1))
                previous=(detail.page > 1).then(|| link(detail.page - 1))
                next=(detail.page < detail.pages).then(|| link(detail.page + 1))
                last=(detail.page + 1 < detail.pages).then(|| link(detail.pages))
                position=format!("Page {} of {}", detail.page, detail.pages)
            />
        }
    });
    let payout = match &s.payout {
        Some(p) => format!("{}, due {}", p.state.label(), day(p.due_on)),
        None => "Carried forward to the next payout (below $500.00 so far)".into(),
    };
    view! {
        <Title text=format!("Statement {}", s.month.label()) />
        <header class="page-header with-actions">
            <div>
                <h1>{format!("Statement for {}", s.month.label())}</h1>
                <p class="muted">
                    {s.tier.label()} " tier at the close · " {percent(s.rate)} " of list price · "
                    {count(s.active_clients)} " active clients at month end"
                </p>
            </div>
            <a class="button button-quiet" href=format!("/partner/commissions/{}/statement.csv", s.month) download="">"Download CSV"</a>
            <a class="button button-quiet" href=format!("/partner/commissions/{}/statement.xlsx", s.month) download="">"Download Excel"</a>
            <a class="button" href=format!("/partner/commissions/{}/statement.pdf", s.month) download="">"Download invoice (PDF)"</a>
        </header>
        <dl class="details">
            <dt>"Commission"</dt><dd data-testid="statement-total">{money(s.total)}</dd>
            <dt>"Adjustments"</dt><dd>{money(s.adjustments)}</dd>
            <dt>"Amount due"</dt><dd><strong>{money(s.amount_due())}</strong></dd>
            <dt>"Payable from"</dt><dd>{day(s.payable_on)}</dd>
            <dt>"Payout"</dt><dd data-testid="statement-payout">{payout}</dd>
        </dl>
        <p class="muted small">"Each line: list price × days active ÷ days in month × rate, rounded half-even to the cent."</p>
        <div class="table-wrap">
            <table class="data-table" data-testid="statement-lines">
                <caption class="visually-hidden">"Statement lines"</caption>
                <thead><tr>
                    <th scope="col">"Client"</th><th scope="col">"Plan"</th><th scope="col" class="num">"List price"</th>
                    <th scope="col" class="num">"Days active"</th><th scope="col">"Tier and rate"</th>
                    <th scope="col" class="num">"Commission"</th>
                </tr></thead>
                <tbody>{lines}{adjustments}</tbody>
            </table>
        </div>
        {pager}
    }
}
