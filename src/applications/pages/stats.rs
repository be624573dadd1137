//! `/admin/applications/stats`: charts (ECharts, drawn by public/charts.js) each with a table
//! of the same numbers, readable without JavaScript and by screen readers.

use leptos::prelude::*;
use leptos_meta::{Script, Title};

use crate::page_data::page_data;
use crate::{
    applications::{server::get_application_stats, stats::ApplicationStats},
    components::{format::count, loaded},
};

#[component]
pub fn ApplicationStatsPage() -> impl IntoView {
    let stats = page_data(|| (), |_| get_application_stats());
    view! {
        <Title text="Application statistics" />
        <Script src="/charts.js" defer="true" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/admin/applications">"Applications"</a></nav>
        <header class="page-header"><h1>"Application statistics"</h1></header>
        {loaded(stats, |s: ApplicationStats| view! { <StatsView stats=s /> })}
    }
}

#[component]
fn StatsView(stats: ApplicationStats) -> impl IntoView {
    let rate = stats
        .approval_rate()
        .map(|r| format!("{r}%"))
        .unwrap_or_else(|| "—".into());
    let median = stats
        .median_hours_to_decision
        .map(|h| {
            if h < 48.0 {
                format!("{h:.1} hours")
            } else {
                format!("{:.1} days", h / 24.0)
            }
        })
        .unwrap_or_else(|| "—".into());
    let tables = [
        ("per-month", "Month", &stats.per_month),
        ("by-status", "Status", &stats.by_status),
        ("by-type", "Partnership type", &stats.by_type),
        ("by-size", "Company size", &stats.by_size),
    ];
    let sections = stats
        .charts
        .iter()
        .map(|chart| {
            let (_, heading, rows) = tables.iter().find(|(id, _, _)| *id == chart.id).cloned().unwrap_or(("", "", &stats.by_status));
            let body = rows
                .iter()
                .map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td class="num">{count(*n)}</td></tr> })
                .collect_view();
            let title_id = format!("{}-title", chart.id);
            view! {
                <section class="chart-section" aria-labelledby=title_id.clone()>
                    <h2 id=format!("{}-title", chart.id)>{chart.title.clone()}</h2>
                    <div class="chart" data-chart=chart.option_json.clone() aria-hidden="true"></div>
                    <table class="data-table compact">
                        <caption class="visually-hidden">{chart.title.clone()}</caption>
                        <thead><tr><th scope="col">{heading}</th><th scope="col" class="num">"Applications"</th></tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="cards" aria-label="Summary">
            <article class="card">
                <h2 class="card-label">"Approval rate"</h2>
                <p class="card-value" data-testid="approval-rate">{rate}</p>
                <p class="card-note">{count(stats.approved)} " approved, " {count(stats.rejected)} " rejected"</p>
            </article>
            <article class="card">
                <h2 class="card-label">"Median time to decision"</h2>
                <p class="card-value">{median}</p>
            </article>
        </section>
        <div class="chart-grid">{sections}</div>
    }
}
