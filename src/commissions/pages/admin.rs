//! `/admin/commissions`: pick a month, preview its statements, close it (after confirming),
//! and correct a closed statement with an adjustment.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::page_data::page_data;
use crate::program::Month;
use crate::{
    commissions::{
        model::{CloseProgress, CommissionMonths, PartnerClose},
        server::{
            get_close_progress, get_commission_months, preview_close, AddAdjustment, CloseMonth,
        },
    },
    components::{
        form::{field_error, kept_value, Confirm, FormErrorSummary},
        format::{count, date_time, money, percent},
        loaded, ErrorView,
    },
    error::AppError,
};

#[component]
pub fn AdminCommissionsPage() -> impl IntoView {
    let params = use_query_map();
    let close = ServerAction::<CloseMonth>::new();
    let adjust = ServerAction::<AddAdjustment>::new();
    let months = page_data(
        move || (close.version().get(), adjust.version().get()),
        |_| get_commission_months(),
    );
    let chosen = Memo::new(move |_| params.with(|p| p.get("month")));
    view! {
        <Title text="Commissions" />
        <header class="page-header">
            <h1>"Commissions"</h1>
            <p class="muted">"Close a month to write every partner's statement, recompute tiers and schedule payouts."</p>
        </header>
        {loaded(months, move |m: CommissionMonths| {
            let month = chosen
                .get_untracked()
                .and_then(|text| Month::parse(&text))
                .or_else(|| m.open.first().copied())
                .or_else(|| m.closed.first().map(|c| c.month));
            view! {
                <CloseProgressNotice close />
                <MonthPicker months=m.clone() chosen=month />
                {month.map(|month| view! { <Preview month close /> })}
                <ClosedMonths months=m.clone() />
                <AdjustmentForm months=m adjust />
            }
        })}
    }
}

/// A close that has started and not finished: how far it has gone, followed every two
/// seconds while a process is at it (before the WebAssembly loads, a Refresh link). When it
/// finishes, the page reloads to show the closed month.
#[component]
fn CloseProgressNotice(close: ServerAction<CloseMonth>) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let progress = page_data(
        move || (close.version().get(), tick.get()),
        |_| get_close_progress(),
    );
    let followed = StoredValue::new(false);
    Effect::new(move |_| match progress.get() {
        Some(Ok(Some(p))) if p.running => {
            followed.set_value(true);
            set_timeout(
                move || tick.update(|t| *t += 1),
                std::time::Duration::from_secs(2),
            );
        }
        Some(Ok(None)) if followed.get_value() => {
            let _ = window().location().reload();
        }
        _ => {}
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match progress.await {
                    Ok(Some(p)) => view! { <ProgressCard p /> }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProgressCard(p: CloseProgress) -> impl IntoView {
    let share = (p.partners_done * 100)
        .checked_div(p.partners_total)
        .unwrap_or(100);
    let heading = if p.running {
        format!("Closing {}", p.month.label())
    } else {
        format!("The close of {} stopped", p.month.label())
    };
    let status = format!(
        "{} of {} partners ({share}%), {} clients, started {}.",
        count(p.partners_done),
        count(p.partners_total),
        count(p.clients_done),
        date_time(p.started_at)
    );
    view! {
        <section class="card" aria-labelledby="close-progress-title" data-testid="close-progress">
            <h2 id="close-progress-title">{heading}</h2>
            <progress max=p.partners_total value=p.partners_done>{format!("{share}%")}</progress>
            <p role="status">{status}</p>
            {if p.running {
                view! {
                    <p class="muted">
                        "Statements are written a batch of partners at a time; the month shows as closed when the last batch is done. "
                        <a href=format!("/admin/commissions?month={}", p.month)>"Refresh"</a>
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="form-error">
                        "Its process ended before it finished. Close the month again below: it carries on from where it stopped, and no partner is counted twice."
                    </p>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn MonthPicker(months: CommissionMonths, chosen: Option<Month>) -> impl IntoView {
    let option = move |m: Month, note: &'static str| {
        view! { <option value=m.to_string() selected=chosen == Some(m)>{m.label()} {note}</option> }
    };
    let open = months
        .open
        .iter()
        .rev()
        .map(|m| option(*m, " (open)"))
        .collect_view();
    let closed = months
        .closed
        .iter()
        .map(|c| option(c.month, " (closed)"))
        .collect_view();
    view! {
        <form method="get" action="/admin/commissions" class="filters" aria-label="Choose a month">
            <div class="field">
                <label for="month">"Month"</label>
                <select id="month" name="month">{open}{closed}</select>
            </div>
            <button type="submit" class="button button-quiet">"Preview"</button>
        </form>
    }
}

#[component]
fn Preview(month: Month, close: ServerAction<CloseMonth>) -> impl IntoView {
    let preview = page_data(
        move || close.version().get(),
        move |_| preview_close(month.to_string()),
    );
    let error = move || close.value().get().and_then(Result::err);
    let done = move || {
        close
            .value()
            .get()
            .and_then(Result::ok)
            .map(|outcome| view! { <p class="notice" role="status" data-testid="close-outcome">{outcome.message()}</p> })
    };
    view! {
        <section aria-labelledby="preview-title" class="card">
            {done}
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let p = match preview.await {
                    Ok(p) => p,
                    // Why this month cannot be closed (not ended, or before a closed one).
                    Err(AppError::Conflict(message)) => {
                        return view! { <p class="form-error" role="alert" data-testid="preview-status">{message}</p> }.into_any();
                    }
                    Err(error) => return view! { <ErrorView error /> }.into_any(),
                };
                let closed = p.closed_at.is_some();
                let heading = if closed {
                    format!("{} — closed", p.month.label())
                } else {
                    format!("{} — preview", p.month.label())
                };
                let status = match p.closed_at {
                    Some(at) => format!("Closed on {}. These are the stored statements.", date_time(at)),
                    None => "Nothing is written until you close the month.".into(),
                };
                view! {
                    <h2 id="preview-title">{heading}</h2>
                    <p class="muted" data-testid="preview-status">{status}</p>
                    <PreviewTable partners=p.partners.clone() closed />
                    <p class="total">"Total commission: " <strong data-testid="preview-total">{money(p.total)}</strong></p>
                    {(!closed).then(|| view! {
                        <ActionForm action=close attr:class="confirm-form">
                            <FormErrorSummary error=Signal::derive(error) />
                            <input type="hidden" name="input[month]" value=p.month.to_string() />
                            <Confirm
                                id="confirm-close"
                                label="I have checked this preview. Statements cannot be changed once the month is closed."
                                error=Signal::derive(error)
                            />
                            <button type="submit" class="button">{format!("Close {}", p.month.label())}</button>
                        </ActionForm>
                    })}
                }
                .into_any()
            })}
            </Transition>
        </section>
    }
}

#[component]
fn PreviewTable(partners: Vec<PartnerClose>, closed: bool) -> impl IntoView {
    if partners.is_empty() {
        return view! { <p class="empty">"No partner had an active client in this month."</p> }
            .into_any();
    }
    let rows = partners
        .into_iter()
        .map(|p| {
            let tier = if p.tier_after == p.tier_before || closed {
                p.tier_after.label().to_string()
            } else {
                format!("{} → {}", p.tier_before.label(), p.tier_after.label())
            };
            view! {
                <tr>
                    <th scope="row">{p.partner_name}</th>
                    <td>{tier} {p.pinned.then_some(" (pinned)")}</td>
                    <td class="num">{percent(p.tier_after.commission_rate())}</td>
                    <td class="num">{count(p.active_clients)}</td>
                    <td class="num">{count(p.lines)}</td>
                    <td class="num">{money(p.total)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table">
                <caption class="visually-hidden">"Statements by partner"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Partner"</th>
                        <th scope="col">"Tier at close"</th>
                        <th scope="col" class="num">"Rate"</th>
                        <th scope="col" class="num">"Active clients"</th>
                        <th scope="col" class="num">"Lines"</th>
                        <th scope="col" class="num">"Commission"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ClosedMonths(months: CommissionMonths) -> impl IntoView {
    let body = if months.closed.is_empty() {
        view! { <p class="empty">"No month has been closed yet."</p> }.into_any()
    } else {
        let rows = months
            .closed
            .into_iter()
            .map(|c| {
                view! {
                    <tr>
                        <th scope="row"><a href=format!("/admin/commissions?month={}", c.month)>{c.month.label()}</a></th>
                        <td>{date_time(c.closed_at)}</td>
                        <td class="num">{count(c.statements)}</td>
                        <td class="num">{money(c.total)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table compact">
                    <caption class="visually-hidden">"Closed months"</caption>
                    <thead><tr>
                        <th scope="col">"Month"</th><th scope="col">"Closed"</th>
                        <th scope="col" class="num">"Statements"</th><th scope="col" class="num">"Total"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="closed-title">
            <h2 id="closed-title">"Closed months"</h2>
            {body}
        </section>
    }
}

#[component]
fn AdjustmentForm(months: CommissionMonths, adjust: ServerAction<AddAdjustment>) -> impl IntoView {
    if months.closed.is_empty() {
        return ().into_any();
    }
    let error = move || adjust.value().get().and_then(Result::err);
    let saved = move || {
        matches!(adjust.value().get(), Some(Ok(())))
            .then(|| view! { <p class="notice" role="status">"Adjustment recorded; it is paid with the partner's next payout."</p> })
    };
    let partners = months.partners.clone();
    let closed = months.closed.clone();
    view! {
        <section aria-labelledby="adjust-title" class="card">
            <h2 id="adjust-title">"Correct a statement"</h2>
            <p class="muted">"Closed statements never change. A correction is an adjustment line with a reason, shown on the statement and paid with the next payout."</p>
            {saved}
            <ActionForm action=adjust attr:class="form-grid">
                <FormErrorSummary error=Signal::derive(error) />
                <div class="field">
                    <label for="adj-partner">"Partner"</label>
                    <select id="adj-partner" name="input[partner_id]" required>
                        {move || {
                            let kept = kept_value(error(), "partner_id");
                            partners.iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=kept == id.to_string()>{name.clone()}</option>
                            }).collect_view()
                        }}
                    </select>
                    {move || field_error(error(), "partner_id")}
                </div>
                <div class="field">
                    <label for="adj-month">"Statement month"</label>
                    <select id="adj-month" name="input[month]" required>
                        {move || {
                            let kept = kept_value(error(), "month");
                            closed.iter().map(|c| view! {
                                <option value=c.month.to_string() selected=kept == c.month.to_string()>{c.month.label()}</option>
                            }).collect_view()
                        }}
                    </select>
                    {move || field_error(error(), "month")}
                </div>
                <div class="field">
                    <label for="adj-amount">"Amount (USD, negative to deduct)"</label>
                    <input id="adj-amount" name="input[amount]" inputmode="decimal" required placeholder="-25.00"
                        value=move || kept_value(error(), "amount") />
                    {move || field_error(error(), "amount")}
                </div>
                <div class="field">
                    <label for="adj-reason">"Reason (the partner sees it)"</label>
                    <input id="adj-reason" name="input[reason]" maxlength="500" required
                        value=move || kept_value(error(), "reason") />
                    {move || field_error(error(), "reason")}
                </div>
                <button type="submit" class="button button-quiet">"Add adjustment"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
