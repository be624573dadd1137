//! The CSV import on `/admin/leads`: the upload form (a plain multipart post, with or
//! without JavaScript), and after it the import's report: the refused rows, or a progress
//! bar that follows the placing of its leads every second (before the WebAssembly loads, a
//! Refresh link).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::{
    components::{format, ErrorView},
    leads::{
        model::{ImportReport, IMPORT_ROWS_MAX},
        server::get_lead_import,
    },
    page_data::page_data,
};

#[component]
pub fn ImportCard() -> impl IntoView {
    let params = use_query_map();
    let import = Memo::new(move |_| {
        params
            .read()
            .get("import")
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    let problem = move || params.read().get("import_error");
    view! {
        <section class="card" id="import" aria-labelledby="import-title">
            <h2 id="import-title">"Import leads from a CSV file"</h2>
            <p class="help">
                {format!("The first row names the columns: company_name, domain, contact_name, contact_email, country \
                (ISO code), industry, seats, and optionally notes. Up to {} leads per file. Every row is checked first: \
                if any is refused, nothing is imported and each refused row is listed.", format::count(IMPORT_ROWS_MAX as i64))}
            </p>
            <form method="post" action="/admin/leads/import" enctype="multipart/form-data" class="upload-form">
                <div class="field">
                    <label for="lead-file">"CSV file *"</label>
                    <input id="lead-file" type="file" name="file" accept=".csv,text/csv" required=true
                        aria-describedby=move || problem().map(|_| "lead-file-error") />
                    {move || problem().map(|m| view! { <p class="field-error" id="lead-file-error">{m}</p> })}
                </div>
                <button type="submit" class="button">"Import"</button>
            </form>
            {move || import.get().map(|id| view! { <ImportReportView id /> })}
        </section>
    }
}

#[component]
fn ImportReportView(id: Uuid) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let report = page_data(move || tick.get(), move |_| get_lead_import(id));
    Effect::new(move |_| {
        if let Some(Ok(report)) = report.get() {
            if !report.done() {
                set_timeout(
                    move || tick.update(|t| *t += 1),
                    std::time::Duration::from_secs(1),
                );
            }
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <Report report /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let name = report.file_name.clone();
    if report.refused() {
        let rows = report
            .rejected
            .iter()
            .map(|r| {
                view! {
                    <tr><td class="num">{r.line}</td><td>{r.field.replace('_', " ")}</td><td>{r.message.clone()}</td></tr>
                }
            })
            .collect_view();
        let more = report.rejected_count.saturating_sub(report.rejected.len());
        return view! {
            <div data-testid="import-report" class="import-report">
                <p class="form-error" role="alert">
                    {format!("{name} was not imported: {} of its {} rows need fixing. Nothing was kept; fix the rows below and import the file again.",
                        report.rejected_count, report.rows)}
                </p>
                <div class="table-wrap">
                    <table class="data-table">
                        <caption class="visually-hidden">"Refused rows"</caption>
                        <thead><tr><th scope="col" class="num">"Line"</th><th scope="col">"Column"</th><th scope="col">"What is wrong"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {(more > 0).then(|| view! { <p class="muted">{format!("And {more} more.")}</p> })}
            </div>
        }
        .into_any();
    }
    let rows = i64::from(report.rows);
    let share = (report.placed * 100).checked_div(rows).unwrap_or(100);
    let status = if report.done() {
        format!(
            "{name}: all {} leads imported and placed.",
            format::count(rows)
        )
    } else {
        format!(
            "{name}: {} leads imported; placing them with partners, {} of {} ({share}%).",
            format::count(rows),
            format::count(report.placed),
            format::count(rows)
        )
    };
    view! {
        <div data-testid="import-report" class="import-report">
            <progress max=rows value=report.placed>{format!("{share}%")}</progress>
            <p role="status" class="form-ok">{status}</p>
            {(!report.done()).then(|| view! {
                <p class="muted"><a href=format!("/admin/leads?import={}#import", report.id)>"Refresh"</a></p>
            })}
        </div>
    }
    .into_any()
}
