//! `/partner/webhooks`: the partner's endpoints and a form to add one; and
//! `/partner/webhooks/{id}` ([`endpoint`]): one endpoint's settings, its secret (shown once,
//! after it is made or rotated), test events and replays, and its delivery log ([`log`]) with
//! each attempt. Every form works without JavaScript: a plain post comes back with `?done=`.
//! With JavaScript, the log refreshes itself while deliveries wait.

mod endpoint;
mod log;

pub use endpoint::WebhookEndpointPage;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{Endpoint, EventType, WebhooksPage as WebhooksData},
    server::{get_webhooks, CreateWebhookEndpoint},
};
use crate::{
    components::{
        form::{kept_value, message_for, Field, FormErrorSummary},
        format, loaded,
    },
    error::AppError,
    page_data::page_data,
};

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let params = use_query_map();
    let create = ServerAction::<CreateWebhookEndpoint>::new();
    let page = page_data(|| (), |_| get_webhooks());
    let deleted = move || params.read().get("done").as_deref() == Some("deleted");
    view! {
        <Title text="Webhooks" />
        <header class="page-header">
            <h1>"Webhooks"</h1>
            <p class="muted">
                "The portal posts events to your systems as they happen: a client added or changed, "
                "a statement closed, a payout paid. Each post is signed as the "
                <a href="https://www.standardwebhooks.com/" rel="external">"Standard Webhooks"</a>
                " specification says; verify the " <code>"webhook-signature"</code>
                " header with the endpoint's secret before trusting a post."
            </p>
        </header>
        {move || deleted().then(|| view! { <p class="form-ok" role="status">"The endpoint is deleted: nothing more is sent to it."</p> })}
        {loaded(page, move |page: WebhooksData| view! { <EndpointList page create /> })}
    }
}

#[component]
fn EndpointList(page: WebhooksData, create: ServerAction<CreateWebhookEndpoint>) -> impl IntoView {
    let WebhooksData { endpoints, max } = page;
    let count = endpoints.len();
    let body = if endpoints.is_empty() {
        view! { <p class="empty">"No endpoints yet. Add one below for each system that should hear about changes."</p> }
            .into_any()
    } else {
        let rows = endpoints
            .into_iter()
            .map(|e| view! { <EndpointLine endpoint=e /> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="webhook-endpoints">
                    <caption class="visually-hidden">"Webhook endpoints"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"URL"</th>
                            <th scope="col">"Events"</th>
                            <th scope="col">"State"</th>
                            <th scope="col">"Added"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let full = i64::try_from(count).unwrap_or(i64::MAX) >= max;
    view! {
        {body}
        <p class="muted">{format!("{count} of {max} endpoints")}</p>
        {if full {
            view! { <p class="notice">{format!("Your partner has {max} endpoints, the most allowed: delete one to add another.")}</p> }.into_any()
        } else {
            view! { <NewEndpointForm action=create /> }.into_any()
        }}
    }
}

#[component]
fn EndpointLine(endpoint: Endpoint) -> impl IntoView {
    let state = endpoint.off_because().unwrap_or("On");
    let href = format!("/partner/webhooks/{}", endpoint.id);
    view! {
        <tr data-enabled=endpoint.enabled.to_string()>
            <th scope="row">
                <a href=href><code>{endpoint.url.clone()}</code></a>
                {(!endpoint.description.is_empty()).then(|| view! { <br /><span class="muted">{endpoint.description.clone()}</span> })}
            </th>
            <td>{endpoint.events.join(", ")}</td>
            <td>{state}</td>
            <td>{format::date(endpoint.created_at)}</td>
        </tr>
    }
}

/// The events to tick, with what each means; `picked` are ticked.
#[component]
fn EventBoxes(
    #[prop(into)] picked: Signal<Vec<String>>,
    #[prop(into)] message: Signal<Option<String>>,
) -> impl IntoView {
    let boxes = move || {
        let picked = picked.get();
        EventType::ALL
            .into_iter()
            .enumerate()
            .map(|(n, event)| {
                let id = format!("event-{}", event.name().replace('.', "-"));
                let checked = picked.iter().any(|p| p == event.name());
                view! {
                    <div class="field field-check">
                        <input id=id.clone() type="checkbox" name=format!("input[events][{n}]")
                            value=event.name() checked=checked />
                        <label for=id><code>{event.name()}</code>" \u{2014} "{event.description()}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field" aria-describedby=move || message.get().map(|_| "events-error")>
            <legend>"Events *"</legend>
            {boxes}
            {move || message.get().map(|m| view! { <p class="field-error" id="events-error">{m}</p> })}
        </fieldset>
    }
}

/// What was typed into the events boxes before an error (kept space-separated).
fn kept_events(error: Option<AppError>) -> Option<Vec<String>> {
    let kept = error?.fields()?.kept("events")?.to_string();
    Some(kept.split_whitespace().map(str::to_string).collect())
}

#[component]
fn NewEndpointForm(action: ServerAction<CreateWebhookEndpoint>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card narrow" aria-labelledby="new-endpoint-title">
            <h2 id="new-endpoint-title">"Add an endpoint"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="url" label="URL" required=true max=Some(2000) kind=Some("url") autocomplete=Some("off")
                    hint=Some("Where events are posted: an https address your system answers on.")
                    value=Signal::derive(move || kept_value(error.get(), "url"))
                    message=Signal::derive(move || message_for(error.get(), "url")) />
                <Field name="description" label="Description" max=Some(200) autocomplete=Some("off")
                    hint=Some("What it is for, such as \u{201c}CRM sync\u{201d}.")
                    value=Signal::derive(move || kept_value(error.get(), "description"))
                    message=Signal::derive(move || message_for(error.get(), "description")) />
                <EventBoxes picked=Signal::derive(move || kept_events(error.get()).unwrap_or_default())
                    message=Signal::derive(move || message_for(error.get(), "events")) />
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Add endpoint"</button>
                </div>
            </ActionForm>
        </section>
    }
}
