//! `/partner/webhooks/{id}`: one endpoint, the secret shown once, sending a test event or
//! everything since a time, its settings, and rotating or deleting it.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{kept_events, log::DeliveryLogView, EventBoxes};
use crate::{
    components::{
        form::{input_name, kept_value, message_for, Confirm, Field, FormErrorSummary},
        format, loaded,
    },
    error::AppError,
    page_data::page_data,
    webhooks::{
        model::{DeliveryQuery, Endpoint, EndpointPage, NewSecret, REPLAY_DAYS, TEST_EVENT},
        server::{
            get_webhook_endpoint, DeleteWebhookEndpoint, ReplayWebhookEvents, ResendDelivery,
            RotateWebhookSecret, SendTestEvent, UpdateWebhookEndpoint,
        },
    },
};

/// The actions of one endpoint's page, made once so that every part of the page sees them.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) update: ServerAction<UpdateWebhookEndpoint>,
    pub(super) rotate: ServerAction<RotateWebhookSecret>,
    pub(super) delete: ServerAction<DeleteWebhookEndpoint>,
    pub(super) test: ServerAction<SendTestEvent>,
    pub(super) resend: ServerAction<ResendDelivery>,
    pub(super) replay: ServerAction<ReplayWebhookEvents>,
}

impl Actions {
    fn new() -> Self {
        Actions {
            update: ServerAction::new(),
            rotate: ServerAction::new(),
            delete: ServerAction::new(),
            test: ServerAction::new(),
            resend: ServerAction::new(),
            replay: ServerAction::new(),
        }
    }

    /// What the last action did, with JavaScript; or, after a plain post, what `done` says.
    fn notice(self, done: Option<String>, notice: Option<String>) -> Option<String> {
        let ok = |v: Option<Result<(), AppError>>| matches!(v, Some(Ok(())));
        if let Some(Ok(message)) = self.replay.value().get() {
            return Some(message);
        }
        if ok(self.test.value().get()) {
            return Some(TEST_SENT.into());
        }
        if ok(self.resend.value().get()) {
            return Some(RESENT.into());
        }
        if ok(self.update.value().get()) {
            return Some(SAVED.into());
        }
        match done.as_deref()? {
            "created" => Some(
                "The endpoint is added: events of the types it wants are sent to it from now on."
                    .into(),
            ),
            "saved" => Some(SAVED.into()),
            "test" => Some(TEST_SENT.into()),
            "resent" => Some(RESENT.into()),
            "rotated" => Some("The secret is rotated.".into()),
            "replayed" => notice,
            _ => None,
        }
    }
}

const SAVED: &str = "The endpoint is saved.";
const TEST_SENT: &str = "A test event is on its way: it shows in the log below.";
const RESENT: &str = "The delivery is queued again: it shows in the log below.";

#[component]
pub fn WebhookEndpointPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    let actions = Actions::new();
    let endpoint = page_data(
        move || (id.get(), actions.update.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_webhook_endpoint(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let log_query = Memo::new(move |_| {
        let id = id.get().unwrap_or_default();
        query.with(|q| DeliveryQuery::from_params(id, |k| q.get(k)))
    });
    view! {
        <Title text="Webhook endpoint" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/partner/webhooks">"Webhooks"</a></nav>
        {loaded(endpoint, move |page: EndpointPage| {
            let done = query.read_untracked().get("done");
            view! { <EndpointView page done actions log_query /> }
        })}
    }
}

#[component]
fn EndpointView(
    page: EndpointPage,
    done: Option<String>,
    actions: Actions,
    log_query: Memo<DeliveryQuery>,
) -> impl IntoView {
    let EndpointPage {
        endpoint,
        secret,
        notice,
    } = page;
    let rotated = Signal::derive(move || actions.rotate.value().get().and_then(Result::ok));
    let shown = move || rotated.get().or_else(|| secret.clone());
    let status = move || actions.notice(done.clone(), notice.clone());
    let errors = Signal::derive(move || {
        actions
            .test
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.resend.value().get().and_then(Result::err))
    });
    let title = endpoint.url.clone();
    view! {
        <header class="page-header">
            <h1 class="break-anywhere">{title}</h1>
            {(!endpoint.description.is_empty()).then(|| view! { <p>{endpoint.description.clone()}</p> })}
            <p class="muted" data-testid="endpoint-state">
                {endpoint.off_because().unwrap_or("On: events are sent as they happen.")}
            </p>
        </header>
        {move || status().map(|m| view! { <p class="form-ok" role="status">{m}</p> })}
        <FormErrorSummary error=errors />
        {move || shown().map(|secret| view! { <SecretBox secret /> })}
        <SendTools endpoint=endpoint.clone() actions />
        <DeliveryLogView endpoint_id=endpoint.id actions log_query />
        <EditEndpoint endpoint=endpoint.clone() action=actions.update />
        <DangerZone endpoint actions />
    }
}

/// The signing secret, the one time it is shown.
#[component]
fn SecretBox(secret: NewSecret) -> impl IntoView {
    let until = secret.previous_until.map(|at| {
        format!(
            "The old secret also signs every delivery until {}: switch your receiver before then.",
            format::date_time(at)
        )
    });
    view! {
        <section class="card new-secret" aria-labelledby="secret-title" role="status">
            <h2 id="secret-title">"The endpoint's signing secret"</h2>
            <p>"Copy it now and keep it with your receiver: it is not shown again."</p>
            <label for="webhook-secret">"Secret"</label>
            <input id="webhook-secret" data-testid="webhook-secret" class="secret" type="text" readonly
                value=secret.secret spellcheck="false" autocomplete="off" />
            {until.map(|u| view! { <p class="muted">{u}</p> })}
        </section>
    }
}

/// "Send test event" and "send everything since".
#[component]
fn SendTools(endpoint: Endpoint, actions: Actions) -> impl IntoView {
    let (id, replay_id) = (endpoint.id.to_string(), endpoint.id.to_string());
    let replay_error = Signal::derive(move || actions.replay.value().get().and_then(Result::err));
    let off = !endpoint.enabled;
    view! {
        <section class="card send-tools" aria-labelledby="send-title">
            <h2 id="send-title">"Send"</h2>
            <ActionForm action=actions.test>
                <input type="hidden" name=input_name("endpoint_id") value=id />
                <p class="help">"A " <code>{TEST_EVENT}</code> " event, to check that your receiver answers and verifies the signature."</p>
                <button type="submit" class="button" disabled=move || off || actions.test.pending().get()>"Send test event"</button>
            </ActionForm>
            <ActionForm action=actions.replay attr:novalidate="true">
                <FormErrorSummary error=replay_error />
                <input type="hidden" name=input_name("endpoint_id") value=replay_id />
                <div class="field">
                    <label for="since">"Send everything since (UTC)"</label>
                    <input id="since" name=input_name("since") type="datetime-local" required
                        value=move || kept_value(replay_error.get(), "since")
                        aria-invalid=move || message_for(replay_error.get(), "since").is_some().to_string()
                        aria-describedby="since-help" />
                    <p class="help" id="since-help">{format!(
                        "After an outage: every event since then that this endpoint wants is sent again, oldest first. At most {REPLAY_DAYS} days back."
                    )}</p>
                    {move || message_for(replay_error.get(), "since").map(|m| view! { <p class="field-error" id="since-error">{m}</p> })}
                </div>
                <button type="submit" class="button button-quiet" disabled=move || actions.replay.pending().get()>"Send again"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn EditEndpoint(endpoint: Endpoint, action: ServerAction<UpdateWebhookEndpoint>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let Endpoint {
        id,
        url,
        description,
        events,
        enabled,
        ..
    } = endpoint;
    let kept = move |field: &'static str, saved: String| {
        Signal::derive(move || match error.get() {
            Some(e) if e.fields().is_some() => kept_value(Some(e), field),
            _ => saved.clone(),
        })
    };
    let picked = Signal::derive(move || kept_events(error.get()).unwrap_or_else(|| events.clone()));
    let on = move || match error.get().and_then(|e| {
        e.fields()
            .and_then(|f| f.kept("enabled").map(str::to_string))
    }) {
        Some(kept) => kept == "true",
        None => enabled,
    };
    view! {
        <section class="card narrow" aria-labelledby="edit-title">
            <h2 id="edit-title">"Settings"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <input type="hidden" name=input_name("endpoint_id") value=id.to_string() />
                <Field name="url" label="URL" required=true max=Some(2000) kind=Some("url") autocomplete=Some("off")
                    value=kept("url", url)
                    message=Signal::derive(move || message_for(error.get(), "url")) />
                <Field name="description" label="Description" max=Some(200) autocomplete=Some("off")
                    value=kept("description", description)
                    message=Signal::derive(move || message_for(error.get(), "description")) />
                <EventBoxes picked message=Signal::derive(move || message_for(error.get(), "events")) />
                <div class="field field-check">
                    <input id="enabled" type="checkbox" name=input_name("enabled") value="on" checked=on />
                    <label for="enabled">"On: send events to this endpoint"</label>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Save endpoint"</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// Rotating the secret and deleting the endpoint, each behind a ticked box.
#[component]
fn DangerZone(endpoint: Endpoint, actions: Actions) -> impl IntoView {
    let (id, delete_id) = (endpoint.id.to_string(), endpoint.id.to_string());
    let rotate_error = Signal::derive(move || actions.rotate.value().get().and_then(Result::err));
    let delete_error = Signal::derive(move || actions.delete.value().get().and_then(Result::err));
    view! {
        <section class="card narrow" aria-labelledby="danger-title">
            <h2 id="danger-title">"Secret and deletion"</h2>
            <details class="row-confirm">
                <summary>"Rotate the signing secret…"</summary>
                <ActionForm action=actions.rotate>
                    <input type="hidden" name=input_name("endpoint_id") value=id />
                    <Confirm id="rotate-confirm" error=rotate_error
                        label="Yes, make a new secret. The old one keeps signing for 24 hours." />
                    <button type="submit" class="button button-small">"Rotate secret"</button>
                </ActionForm>
            </details>
            <details class="row-confirm">
                <summary>"Delete this endpoint…"</summary>
                <ActionForm action=actions.delete>
                    <input type="hidden" name=input_name("endpoint_id") value=delete_id />
                    <Confirm id="delete-confirm" error=delete_error
                        label="Yes, delete it: nothing more is sent to it, and what waits is dropped." />
                    <button type="submit" class="button button-small button-danger">"Delete endpoint"</button>
                </ActionForm>
            </details>
        </section>
    }
}
