//! `/partner`: the dashboard. Every member sees clients, tier, the plan mix and activity;
//! owners and managers also see MRR, commissions and payouts (the server decides).

use leptos::prelude::*;
use leptos_meta::{Script, Title};

use super::{
    model::{clients_to_next_tier, Dashboard, MoneyFigures, NextPayout, PartnerOverview},
    server::get_dashboard,
};
use crate::components::{
    chart::ChartFigure,
    format::{count, date_time, day, money, percent},
    loaded,
};
use crate::page_data::page_data;

#[component]
pub fn PartnerHomePage() -> impl IntoView {
    let dashboard = page_data(|| (), |_| get_dashboard());
    view! {
        <Title text="Dashboard" />
        <Script src="/charts.js" defer="true" />
        {loaded(dashboard, |d: Dashboard| view! { <DashboardView dashboard=d /> })}
        // Beside the dashboard's data, not inside it: each card loads its own.
        <div class="two-columns">
            <crate::health::pages::HealthCard />
            <crate::certifications::pages::CertificationCard />
        </div>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let o = dashboard.overview.clone();
    let money_cards = dashboard
        .money
        .clone()
        .map(|m| view! { <MoneyCards figures=m /> });
    let charts = dashboard
        .charts
        .iter()
        .cloned()
        .map(|chart| {
            let (columns, rows): ([&'static str; 2], Vec<(String, String)>) =
                match chart.id.as_str() {
                    "mrr" => (
                        ["Month", "MRR"],
                        dashboard
                            .money
                            .iter()
                            .flat_map(|m| m.mrr_by_month.iter())
                            .map(|(month, v)| (month.label(), money(*v)))
                            .collect(),
                    ),
                    "commission" => (
                        ["Month", "Commission"],
                        dashboard
                            .money
                            .iter()
                            .flat_map(|m| m.commission_by_month.iter())
                            .map(|(month, v)| (month.label(), money(*v)))
                            .collect(),
                    ),
                    _ => (
                        ["Plan", "Active clients"],
                        dashboard
                            .clients_by_plan
                            .iter()
                            .map(|(plan, n)| (plan.clone(), count(*n)))
                            .collect(),
                    ),
                };
            view! { <ChartFigure chart columns rows /> }
        })
        .collect_view();
    let activity = if dashboard.activity.is_empty() {
        view! { <p class="empty">"Nothing has happened yet."</p> }.into_any()
    } else {
        let items = dashboard
            .activity
            .iter()
            .map(|a| {
                view! {
                    <li>
                        <span class="muted small">{date_time(a.at)}</span> " "
                        {a.what.clone()}
                        {a.who.clone().map(|who| view! { <span class="muted">" · " {who}</span> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="timeline" data-testid="activity">{items}</ol> }.into_any()
    };
    let recent = if o.recent_clients.is_empty() {
        view! { <p class="empty">"No clients yet."</p> }.into_any()
    } else {
        let items = o
            .recent_clients
            .iter()
            .map(|c| view! { <li><a href=format!("/partner/clients/{}", c.id)>{c.company_name.clone()}</a></li> })
            .collect_view();
        view! { <ul class="link-list">{items}</ul> }.into_any()
    };
    view! {
        <header class="page-header">
            <h1>{o.name.clone()}</h1>
            <p class="muted">"Partner dashboard"</p>
        </header>
        <section class="cards" aria-label="Summary">
            <article class="card">
                <h2 class="card-label">"Active clients"</h2>
                <p class="card-value" data-testid="active-clients">{count(o.active_clients)}</p>
                <p class="card-note">{cap_note(&o)}</p>
            </article>
            {money_cards}
        </section>
        <TierProgress overview=o.clone() gain=dashboard.money.as_ref().and_then(|m| m.next_tier_gain) />
        <div class="chart-grid">{charts}</div>
        <div class="two-columns">
            <section aria-labelledby="activity-title">
                <h2 id="activity-title">"Recent activity"</h2>
                {activity}
            </section>
            <section aria-labelledby="recent-title">
                <h2 id="recent-title">"Recently added clients"</h2>
                {recent}
            </section>
        </div>
    }
}

fn cap_note(o: &PartnerOverview) -> String {
    match o.tier.client_cap() {
        Some(cap) => format!(
            "{} of {} client places used",
            count(o.open_clients),
            count(cap)
        ),
        None => format!("{} clients, no cap", count(o.open_clients)),
    }
}

#[component]
fn MoneyCards(figures: MoneyFigures) -> impl IntoView {
    let growth = match figures.growth_percent {
        Some(g) if g.is_sign_negative() && !g.is_zero() => {
            format!("{g}% against last month's close")
        }
        Some(g) => format!("+{g}% against last month's close"),
        None => "No MRR at last month's close".into(),
    };
    let (payout_value, payout_note) = match figures.next_payout {
        NextPayout::Scheduled { due_on, amount } => (money(amount), format!("due {}", day(due_on))),
        NextPayout::CarriedForward { balance } => {
            (money(balance), "carried forward: below 500.00".to_string())
        }
        NextPayout::Nothing => ("—".into(), "nothing closed and unpaid".into()),
    };
    view! {
        <article class="card">
            <h2 class="card-label">"MRR"</h2>
            <p class="card-value" data-testid="mrr">{money(figures.mrr)}</p>
            <p class="card-note" data-testid="growth">{growth}</p>
        </article>
        <article class="card">
            <h2 class="card-label">"ARR"</h2>
            <p class="card-value" data-testid="arr">{money(figures.arr)}</p>
            <p class="card-note">"12 × MRR"</p>
        </article>
        <article class="card">
            <h2 class="card-label">"Commission this month"</h2>
            <p class="card-value" data-testid="accrued">{money(figures.accrued_this_month)}</p>
            <p class="card-note">"accrued so far"</p>
        </article>
        <article class="card">
            <h2 class="card-label">"Earnings this year"</h2>
            <p class="card-value" data-testid="ytd">{money(figures.earnings_ytd)}</p>
            <p class="card-note">"closed statements"</p>
        </article>
        <article class="card">
            <h2 class="card-label">"Next payout"</h2>
            <p class="card-value" data-testid="next-payout">{payout_value}</p>
            <p class="card-note">{payout_note}</p>
        </article>
    }
}

#[component]
fn TierProgress(overview: PartnerOverview, gain: Option<rust_decimal::Decimal>) -> impl IntoView {
    let tier = overview.tier;
    let progress = match clients_to_next_tier(tier, overview.active_clients) {
        _ if overview.tier_pinned => {
            "Your tier is set by the program team and is not recomputed at the monthly close."
                .to_string()
        }
        None => "Platinum is the highest tier.".to_string(),
        Some((next, needed)) => {
            let worth = gain
                .map(|g| format!(", +{} per month at today's MRR", money(g)))
                .unwrap_or_default();
            if needed == 0 {
                format!("You have enough active clients for {}: it applies from the next monthly close{worth}.", next.label())
            } else {
                format!("{needed} more active clients → {}{worth}.", next.label())
            }
        }
    };
    let (from, to) = match tier.next() {
        Some(next) => (tier.min_active_clients(), next.min_active_clients()),
        None => (0, 1),
    };
    let value = overview.active_clients.clamp(from, to);
    view! {
        <section class="card tier-progress" aria-labelledby="tier-title">
            <h2 id="tier-title">
                <span class=format!("tier-badge tier-{}", tier.slug())>{tier.label()}</span>
                " " {percent(tier.commission_rate())} " commission"
            </h2>
            <progress max=to - from value=value - from aria-labelledby="tier-title"></progress>
            <p data-testid="tier-progress">{progress}</p>
        </section>
    }
}
