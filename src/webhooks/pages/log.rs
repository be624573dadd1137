//! An endpoint's delivery log: filters by event and outcome, each delivery with its attempts
//! (the receiver's answer shown as text), "send again", and pages newest first.

use leptos::prelude::*;
use uuid::Uuid;

use super::endpoint::Actions;
use crate::{
    components::{form::input_name, format, loaded, table::Pager},
    page_data::page_data,
    webhooks::{
        model::{
            AttemptRow, DeliveryLog, DeliveryQuery, DeliveryRow, EventType, Outcome, TEST_EVENT,
        },
        server::{get_webhook_deliveries, ResendDelivery},
    },
};

/// How often, and how many times, the log looks again while deliveries wait.
const REFRESH_MS: u64 = 2000;
const REFRESHES: u32 = 30;
#[component]
pub(super) fn DeliveryLogView(
    endpoint_id: Uuid,
    actions: Actions,
    log_query: Memo<DeliveryQuery>,
) -> impl IntoView {
    // Bumped to read the log again: by the refresh link, and every few seconds while
    // deliveries wait.
    let refresh = RwSignal::new(0_u32);
    let log = page_data(
        move || {
            (
                log_query.get(),
                refresh.get(),
                actions.test.version().get(),
                actions.resend.version().get(),
                actions.replay.version().get(),
            )
        },
        |(query, ..)| get_webhook_deliveries(query),
    );
    Effect::new(move || {
        let waiting = log.with(|l| {
            l.as_ref()
                .and_then(|l| l.as_ref().ok())
                .is_some_and(|l| l.rows.iter().any(|r| r.outcome == Outcome::Pending))
        });
        if waiting && refresh.get_untracked() < REFRESHES {
            set_timeout(
                move || refresh.update(|n| *n += 1),
                std::time::Duration::from_millis(REFRESH_MS),
            );
        }
    });
    let here = move || log_query.with(|q| q.href(&q.position));
    view! {
        <section aria-labelledby="log-title">
            <h2 id="log-title">"Delivery log"</h2>
            <LogFilters query=log_query.get_untracked() />
            <p>
                <a href=here on:click=move |ev| {
                    ev.prevent_default();
                    refresh.update(|n| *n += 1);
                }>"Refresh"</a>
            </p>
            {loaded(log, move |page: DeliveryLog| {
                view! { <DeliveryTable endpoint_id page query=log_query.get_untracked() resend=actions.resend /> }
            })}
        </section>
    }
}

#[component]
fn LogFilters(query: DeliveryQuery) -> impl IntoView {
    let path = format!("/partner/webhooks/{}", query.endpoint_id);
    let clear = query.filtered().then(|| {
        let path = path.clone();
        view! { <a class="button button-quiet" href=path>"Clear"</a> }
    });
    let types = EventType::ALL
        .into_iter()
        .map(|t| t.name())
        .chain([TEST_EVENT])
        .map(|name| view! { <option value=name selected=query.event_type.as_deref() == Some(name)>{name}</option> })
        .collect_view();
    let outcomes = Outcome::ALL
        .into_iter()
        .map(|o| view! { <option value=o.slug() selected=query.outcome == Some(o)>{o.label()}</option> })
        .collect_view();
    view! {
        <form method="get" action=path class="filters" role="search" aria-label="Filter the delivery log">
            <div class="field">
                <label for="type">"Event"</label>
                <select id="type" name="type"><option value="">"Any event"</option>{types}</select>
            </div>
            <div class="field">
                <label for="outcome">"Outcome"</label>
                <select id="outcome" name="outcome"><option value="">"Any outcome"</option>{outcomes}</select>
            </div>
            <button type="submit" class="button">"Apply filters"</button>
            {clear}
        </form>
    }
}

#[component]
fn DeliveryTable(
    endpoint_id: Uuid,
    page: DeliveryLog,
    query: DeliveryQuery,
    resend: ServerAction<ResendDelivery>,
) -> impl IntoView {
    if page.rows.is_empty() {
        let empty = if query.filtered() {
            "No deliveries match these filters."
        } else {
            "Nothing sent yet. Send a test event to see a delivery here."
        };
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let rows = page
        .rows
        .into_iter()
        .map(|row| view! { <DeliveryLine endpoint_id row resend /> })
        .collect_view();
    let at = |p: &crate::program::Position| query.href(p);
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="webhook-deliveries">
                <caption class="visually-hidden">"Deliveries, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Event"</th>
                        <th scope="col">"Happened"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Attempts"</th>
                        <th scope="col"><span class="visually-hidden">"Send again"</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Pager
            label="Delivery pages"
            first=page.links.first.as_ref().map(at)
            previous=page.links.previous.as_ref().map(at)
            next=page.links.next.as_ref().map(at)
            last=page.links.last.as_ref().map(at)
            position="Newest first"
        />
    }
    .into_any()
}

#[component]
fn DeliveryLine(
    endpoint_id: Uuid,
    row: DeliveryRow,
    resend: ServerAction<ResendDelivery>,
) -> impl IntoView {
    let DeliveryRow {
        id,
        event_id,
        event_type,
        occurred_at,
        outcome,
        next_attempt_at,
        attempts,
    } = row;
    let outcome_text = match (outcome, next_attempt_at) {
        (Outcome::Pending, Some(at)) if !attempts.is_empty() => {
            format!("{}, next at {}", outcome.label(), format::date_time(at))
        }
        (Outcome::Pending, _) => "Sending".to_string(),
        _ => outcome.label().to_string(),
    };
    let button = if outcome == Outcome::Pending {
        "Try now"
    } else {
        "Send again"
    };
    let attempts = attempts
        .into_iter()
        .map(|a| view! { <Attempt attempt=a /> })
        .collect_view();
    view! {
        <tr data-outcome=outcome.slug() data-event=event_type.clone()>
            <th scope="row"><code>{event_type.clone()}</code><br /><span class="muted">{format!("evt_{}", event_id.simple())}</span></th>
            <td>{format::date_time(occurred_at)}</td>
            <td>{outcome_text}</td>
            <td><ol class="attempts">{attempts}</ol></td>
            <td>
                <ActionForm action=resend>
                    <input type="hidden" name=input_name("endpoint_id") value=endpoint_id.to_string() />
                    <input type="hidden" name=input_name("delivery_id") value=id.to_string() />
                    <button type="submit" class="button button-small button-quiet">{button}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// One attempt: its answer is the receiver's text, shown as text (never as markup).
#[component]
fn Attempt(attempt: AttemptRow) -> impl IntoView {
    let AttemptRow {
        attempted_at,
        status,
        duration_ms,
        response,
        error,
    } = attempt;
    let status = status.map_or_else(|| "No answer".to_string(), |code| format!("HTTP {code}"));
    view! {
        <li>
            <span class="attempt-status">{status}</span>
            {format!(" · {} · {duration_ms} ms", format::date_time(attempted_at))}
            {error.map(|e| view! { <br /><span class="field-error">{e}</span> })}
            {(!response.is_empty()).then(|| view! { <pre class="response">{response}</pre> })}
        </li>
    }
}
