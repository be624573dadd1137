//! `/admin/applications`: the review queue. Filters, sort and page live in the URL; the
//! filter form is a plain GET form, so it works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::page_data::page_data;
use crate::program::{PartnershipType, Position};
use crate::{
    applications::{
        model::ApplicationStatus,
        queue::{QueuePage, QueueQuery, SortField},
        server::list_applications,
    },
    components::{
        format::{count, date},
        loaded,
        table::{Column, DataTable, Pager},
    },
};

#[component]
pub fn ApplicationQueuePage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| QueueQuery::from_params(|k| p.get(k))));
    let page = page_data(move || query.get(), list_applications);
    view! {
        <Title text="Applications" />
        <header class="page-header with-actions">
            <div>
                <h1>"Applications"</h1>
                <p class="muted">"Partner applications waiting for a decision, and the decided ones."</p>
            </div>
            <a class="button button-quiet" href="/admin/applications/stats">"Statistics"</a>
        </header>
        {move || view! { <Filters query=query.get() /> }}
        {loaded(page, move |p: QueuePage| view! { <QueueView page=p query=query.get_untracked() /> })}
    }
}

#[component]
fn Filters(query: QueueQuery) -> impl IntoView {
    let types = PartnershipType::ALL
        .map(|t| view! { <option value=t.slug() selected=query.partnership_type == Some(t)>{t.label()}</option> });
    let sorts = [(SortField::Submitted, "submitted", "Submitted"), (SortField::Company, "company", "Company"), (SortField::Status, "status", "Status")]
        .map(|(field, value, label)| view! { <option value=value selected=query.sort == field>{label}</option> });
    view! {
        <form method="get" action="/admin/applications" class="filters" role="search" aria-label="Filter applications">
            {query.status.map(|s| view! { <input type="hidden" name="status" value=s.slug() /> })}
            <div class="field">
                <label for="q">"Search company or e-mail"</label>
                <input id="q" name="q" type="search" value=query.search.clone().unwrap_or_default() maxlength="100" />
            </div>
            <div class="field">
                <label for="type">"Partnership type"</label>
                <select id="type" name="type">
                    <option value="">"All types"</option>
                    {types}
                </select>
            </div>
            <div class="field">
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort">{sorts}</select>
            </div>
            <div class="field">
                <label for="dir">"Order"</label>
                <select id="dir" name="dir">
                    <option value="desc" selected=!query.ascending>"Newest / Z–A first"</option>
                    <option value="asc" selected=query.ascending>"Oldest / A–Z first"</option>
                </select>
            </div>
            <button type="submit" class="button">"Apply filters"</button>
        </form>
    }
}

#[component]
fn QueueView(page: QueuePage, query: QueueQuery) -> impl IntoView {
    let all: i64 = page.counts.iter().map(|(_, n)| n).sum();
    let tab = |status: Option<ApplicationStatus>, label: &'static str, n: i64| {
        let href = query.href(|q| {
            q.status = status;
            q.position = Position::First;
        });
        let current = query.status == status;
        view! {
            <a href=href class="tab" aria-current=current.then_some("page")>
                {label} " " <span class="tab-count">{count(n)}</span>
            </a>
        }
    };
    let tabs = std::iter::once(tab(None, "All", all))
        .chain(
            page.counts
                .iter()
                .map(|(s, n)| tab(Some(*s), s.label(), *n)),
        )
        .collect_view();

    let rows = page
            .rows
            .iter()
            .map(|a| {
                let age = if a.status.is_open() {
                    match a.age_days {
                        0 => "today".to_string(),
                        1 => "1 day".to_string(),
                        n => format!("{n} days"),
                    }
                } else {
                    "—".to_string()
                };
                view! {
                    <tr>
                        <th scope="row"><a href=format!("/admin/applications/{}", a.id)>{a.company_name.clone()}</a>
                            <span class="muted small">" " {a.reference.clone()}</span></th>
                        <td>{a.contact_email.clone()}</td>
                        <td>{a.partnership_type.label()}</td>
                        <td><span class=format!("status-badge app-{}", a.status.slug())>{a.status.label()}</span></td>
                        <td class="nowrap">{date(a.submitted_at)}</td>
                        <td class="num">{age}</td>
                    </tr>
                }
            })
            .collect_view();
    let columns = vec![
        Column::new("Company"),
        Column::new("Contact e-mail"),
        Column::new("Type"),
        Column::new("Status"),
        Column::new("Submitted"),
        Column::numeric("Waiting"),
    ];
    view! {
        <nav class="tabs" aria-label="Status">{tabs}</nav>
        <DataTable caption="Applications" columns is_empty=page.rows.is_empty()
            empty="No applications match these filters.">
            {rows}
        </DataTable>
        <Pager
            label="Application pages"
            first=page.links.first.clone().map(|p| query.href(|q| q.position = p))
            previous=page.links.previous.clone().map(|p| query.href(|q| q.position = p))
            next=page.links.next.clone().map(|p| query.href(|q| q.position = p))
            last=page.links.last.clone().map(|p| query.href(|q| q.position = p))
            position=format!("{} applications", count(page.total))
        />
    }
}
