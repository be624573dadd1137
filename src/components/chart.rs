//! Charts: an ECharts option built on the server (charming), drawn in the browser by
//! public/charts.js, always beside a table of the same numbers for readers without
//! JavaScript or sight.

use crate::program::ChartSpec;
use leptos::prelude::*;

/// A chart with its data table: `columns` head the table, `rows` are its cells as text.
#[component]
pub fn ChartFigure(
    chart: ChartSpec,
    columns: [&'static str; 2],
    rows: Vec<(String, String)>,
) -> impl IntoView {
    let title_id = format!("{}-title", chart.id);
    let test_id = format!("chart-{}", chart.id);
    let labelled_by = title_id.clone();
    let body = rows
        .into_iter()
        .map(|(label, value)| view! { <tr><th scope="row">{label}</th><td class="num">{value}</td></tr> })
        .collect_view();
    view! {
        <section class="chart-section" aria-labelledby=labelled_by data-testid=test_id>
            <h2 id=title_id>{chart.title.clone()}</h2>
            <div class="chart" data-chart=chart.option_json aria-hidden="true"></div>
            <table class="data-table compact">
                <caption class="visually-hidden">{chart.title}</caption>
                <thead><tr><th scope="col">{columns[0]}</th><th scope="col" class="num">{columns[1]}</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
}
