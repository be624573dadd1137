//! `/partner/audit` and `/admin/audit`: the log, newest first, a page at a time. The filter is
//! a plain `GET` form and the pages are links, so the page works before the WebAssembly has
//! loaded; "Export CSV" downloads the view as it is filtered.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{ActionOption, AuditPage, AuditQuery, AuditRow, LogScope, TARGET_KINDS},
    server::{admin_audit, partner_audit},
};
use crate::page_data::page_data;
use crate::{
    components::{
        format::{date_time, total},
        loaded,
        table::{Column, DataTable, Pager},
    },
    program::Position,
};

#[component]
pub fn PartnerAuditPage() -> impl IntoView {
    view! { <AuditLog scope=LogScope::Partner /> }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    view! { <AuditLog scope=LogScope::Program /> }
}

#[component]
fn AuditLog(scope: LogScope) -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(|p| AuditQuery::from_params(|k| p.get(k))));
    let page = page_data(
        move || query.get(),
        move |q| async move {
            match scope {
                LogScope::Partner => partner_audit(q).await,
                LogScope::Program => admin_audit(q).await,
            }
        },
    );
    let intro = match scope {
        LogScope::Partner => "Every change made in your partner account, newest first.",
        LogScope::Program => "Every change made in the portal, newest first.",
    };
    view! {
        <Title text="Audit log" />
        <header class="page-header">
            <h1>"Audit log"</h1>
            <p class="muted">{intro}</p>
        </header>
        {loaded(page, move |p: AuditPage| {
            let query = query.get_untracked();
            view! {
                <AuditFilters scope query=query.clone() actions=p.actions.clone() problem=p.problem.clone() />
                <AuditTable scope page=p query />
            }
        })}
    }
}

#[component]
fn AuditFilters(
    scope: LogScope,
    query: AuditQuery,
    actions: Vec<ActionOption>,
    problem: Option<(String, String)>,
) -> impl IntoView {
    let action_options = actions
        .into_iter()
        .map(|a| {
            let selected = query.action.as_deref() == Some(a.name.as_str());
            view! { <option value=a.name.clone() selected=selected>{a.description}</option> }
        })
        .collect_view();
    let kinds = TARGET_KINDS
        .map(|(kind, label)| view! { <option value=kind selected=query.target_kind.as_deref() == Some(kind)>{label}</option> });
    let to_error = problem.filter(|(field, _)| field == "to").map(|(_, m)| m);
    let invalid = to_error.is_some();
    let filter = query.query_string(|q| q.position = Position::First);
    let export = move |ext: &str| format!("{}/export.{ext}?{filter}", scope.path());
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form method="get" action=scope.path() class="filters" role="search" aria-label="Filter the audit log">
            <div class="field">
                <label for="person">"Person (e-mail address)"</label>
                <input id="person" name="person" type="email" maxlength="254" autocomplete="off"
                    value=query.person.clone().unwrap_or_default() />
            </div>
            <div class="field">
                <label for="action">"Action"</label>
                <select id="action" name="action"><option value="">"Any action"</option>{action_options}</select>
            </div>
            <div class="field">
                <label for="target_kind">"Target"</label>
                <select id="target_kind" name="target_kind"><option value="">"Anything"</option>{kinds}</select>
            </div>
            <div class="field">
                <label for="from">"From (UTC)"</label>
                <input id="from" name="from" type="date" value=day(query.from) />
            </div>
            <div class="field" class:has-error=invalid>
                <label for="to">"To (UTC)"</label>
                <input id="to" name="to" type="date" value=day(query.to)
                    aria-invalid=invalid.then_some("true")
                    aria-describedby=invalid.then_some("to-error") />
                {to_error.map(|m| view! { <p class="field-error" id="to-error">{m}</p> })}
            </div>
            {query.target.map(|t| view! { <input type="hidden" name="target" value=t.to_string() /> })}
            {query.partner.map(|p| view! { <input type="hidden" name="partner" value=p.to_string() /> })}
            <button type="submit" class="button">"Apply filters"</button>
            {query.filtered().then(|| view! { <a class="button button-quiet" href=scope.path()>"Clear"</a> })}
            <a class="button button-quiet" href=export("csv") rel="external" download>"Export CSV"</a>
            <a class="button button-quiet" href=export("xlsx") rel="external" download>"Export Excel"</a>
        </form>
    }
}

#[component]
fn AuditTable(scope: LogScope, page: AuditPage, query: AuditQuery) -> impl IntoView {
    let empty = if query.filtered() {
        "No entries match these filters."
    } else {
        "Nothing has been recorded yet."
    };
    let mut columns = vec![Column::new("When"), Column::new("What happened")];
    if scope == LogScope::Program {
        columns.push(Column::new("Partner"));
    }
    columns.extend([Column::new("Who"), Column::new("Details")]);
    let rows = page
        .rows
        .iter()
        .map(|row| view! { <AuditLine scope row=row.clone() /> })
        .collect_view();
    let at = |p: &Position| query.at(scope, p);
    view! {
        <DataTable caption="Audit log" columns is_empty=page.rows.is_empty() empty test_id="audit-log">
            {rows}
        </DataTable>
        <Pager
            label="Audit log pages"
            first=page.links.first.as_ref().map(at)
            previous=page.links.previous.as_ref().map(at)
            next=page.links.next.as_ref().map(at)
            last=page.links.last.as_ref().map(at)
            position=format!("{} entries · newest first", total(page.total))
        />
    }
}

#[component]
fn AuditLine(scope: LogScope, row: AuditRow) -> impl IntoView {
    let who = |p: &super::model::Person| format!("{} ({})", p.name, p.email);
    let doer = row.real.as_ref().or(row.actor.as_ref()).map(who);
    let acted_as = row
        .real
        .as_ref()
        .and(row.actor.as_ref())
        .map(|actor| format!("as {}", who(actor)));
    let details = row
        .detail
        .iter()
        .map(|(k, v)| view! { <li><span class="muted">{k.clone()} ": "</span>{v.clone()}</li> })
        .collect_view();
    let target = row.target_label().map(|label| {
        view! { <span class="muted small">" · " {label}</span> }
    });
    view! {
        <tr data-action=row.action.clone()>
            <td><time datetime=row.at.to_rfc3339()>{date_time(row.at)}</time></td>
            <th scope="row">{row.sentence()}{target}</th>
            {(scope == LogScope::Program).then(|| view! { <td>{row.partner_name.clone().unwrap_or_else(|| "—".into())}</td> })}
            <td>
                {doer.unwrap_or_else(|| "The portal".into())}
                {acted_as.map(|a| view! { <span class="muted small">" " {a}</span> })}
            </td>
            <td><ul class="plain small">{details}</ul></td>
        </tr>
    }
}
