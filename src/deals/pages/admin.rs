//! `/admin/deals`: registrations waiting for a decision, oldest first, each beside the
//! registrations and clients like it (with their partners named: admins see every partner),
//! with approve and deny (a reason the partner reads).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    components::{
        form::{input_name, message_for, FormErrorSummary},
        format, loaded,
        table::PositionPager,
    },
    deals::{
        model::{ConflictKind, QueuePage, QueuedDeal, Similar},
        server::{get_deal_queue, AnswerExtension, DecideDeal, RecordDirectPurchase},
    },
    page_data::page_data,
    program::Position,
};

#[component]
pub fn AdminDealsPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let decide = ServerAction::<DecideDeal>::new();
    let answer = ServerAction::<AnswerExtension>::new();
    let direct = ServerAction::<RecordDirectPurchase>::new();
    let queue = page_data(
        move || {
            (
                position.get(),
                decide.version().get(),
                answer.version().get(),
                direct.version().get(),
            )
        },
        |(position, _, _, _)| get_deal_queue(Some(position)),
    );
    let done = move || {
        let posted = decide.value().get().is_some_and(|r| r.is_ok());
        match params.read().get("done").as_deref() {
            Some("approved") => {
                Some("Approved: the partner is protected for 90 days and told by e-mail.")
            }
            Some("denied") => Some("Denied: the partner is told why by e-mail."),
            Some("extension") => Some("Answered: the partner is told by e-mail."),
            Some("direct") => Some(
                "Credited: the purchase is the protecting partner's client, and the partner is told by e-mail.",
            ),
            _ if direct.value().get().is_some_and(|r| r.is_ok()) => Some(
                "Credited: the purchase is the protecting partner's client, and the partner is told by e-mail.",
            ),
            _ if answer.value().get().is_some_and(|r| r.is_ok()) => {
                Some("Answered: the partner is told by e-mail.")
            }
            _ if posted => Some("Decided: the partner is told by e-mail."),
            _ => None,
        }
    };
    view! {
        <Title text="Deal registrations" />
        <header class="page-header">
            <h1>"Deal registrations"</h1>
            <p class="muted">"Registrations waiting for a decision, oldest first. Each is shown beside the live registrations and clients with the same domain or a nearly identical name."</p>
        </header>
        {move || done().map(|text| view! { <p class="form-ok" role="status">{text}</p> })}
        <FormErrorSummary error=Signal::derive(move || decide.value().get().and_then(Result::err)) />
        <FormErrorSummary error=Signal::derive(move || answer.value().get().and_then(Result::err)) />
        {loaded(queue, move |page: QueuePage| view! { <QueueView page decide answer direct /> })}
    }
}

#[component]
fn QueueView(
    page: QueuePage,
    decide: ServerAction<DecideDeal>,
    answer: ServerAction<AnswerExtension>,
    direct: ServerAction<RecordDirectPurchase>,
) -> impl IntoView {
    let QueuePage {
        deals,
        links,
        extension_requests,
        plans,
    } = page;
    let requests = (!extension_requests.is_empty()).then(|| {
        let items = extension_requests
            .into_iter()
            .map(|queued| view! { <ExtensionRequest queued answer /> })
            .collect_view();
        view! {
            <section aria-labelledby="requests-title">
                <h2 id="requests-title">"Requests for more time"</h2>
                {items}
            </section>
        }
    });
    let body = if deals.is_empty() {
        view! { <p class="empty">"Nothing waits for a decision."</p> }.into_any()
    } else {
        deals
            .into_iter()
            .map(|queued| view! { <QueuedCard queued decide /> })
            .collect_view()
            .into_any()
    };
    view! {
        {requests}
        <h2>"Registrations waiting for a decision"</h2>
        {body}
        <PositionPager label="Queue pages" path="/admin/deals" links position=String::new() />
        <super::direct::DirectPurchaseForm action=direct plans />
    }
}

#[component]
fn ExtensionRequest(queued: QueuedDeal, answer: ServerAction<AnswerExtension>) -> impl IntoView {
    let QueuedDeal {
        partner_name, deal, ..
    } = queued;
    let id = deal.id;
    let reason_id = format!("decline-reason-{id}");
    let until = deal.protected_until.map(format::date).unwrap_or_default();
    view! {
        <article class="card" data-testid="extension-request">
            <h3>{deal.company_name.clone()}" · "{partner_name}</h3>
            <p>{format!("Protected until {until}. Asked on {}: ", deal.extension_requested_at.map(format::date).unwrap_or_default())}
                {deal.extension_reason.clone().unwrap_or_default()}</p>
            <div class="decide-forms">
                <ActionForm action=answer>
                    <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                    <input type="hidden" name=input_name("decision") value="grant" />
                    <button type="submit" class="button">"Grant 30 more days"</button>
                </ActionForm>
                <details class="row-confirm">
                    <summary>"Decline…"</summary>
                    <ActionForm action=answer>
                        <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                        <input type="hidden" name=input_name("decision") value="decline" />
                        <div class="field">
                            <label for=reason_id.clone()>"Reason (the partner reads it) *"</label>
                            <textarea id=reason_id name=input_name("reason") rows="2" maxlength="500" required=true></textarea>
                        </div>
                        <button type="submit" class="button button-danger">"Decline"</button>
                    </ActionForm>
                </details>
            </div>
        </article>
    }
}

#[component]
fn QueuedCard(queued: QueuedDeal, decide: ServerAction<DecideDeal>) -> impl IntoView {
    let QueuedDeal {
        partner_id,
        partner_name,
        deal,
        similar,
    } = queued;
    let id = deal.id;
    let title_id = format!("deal-{id}");
    let reason_id = format!("deny-reason-{id}");
    // The deny form last sent: only its card shows the message about the reason.
    let sent = RwSignal::new(false);
    let error = Signal::derive(move || {
        sent.get()
            .then(|| decide.value().get().and_then(Result::err))
            .flatten()
    });
    let similar_view = if similar.is_empty() {
        view! { <p class="muted">"No live registration or client is like it."</p> }.into_any()
    } else {
        view! { <ul class="link-list">{similar.into_iter().map(|s| view! { <SimilarLine s /> }).collect_view()}</ul> }
            .into_any()
    };
    view! {
        <section class="card" aria-labelledby=title_id.clone() data-testid="queued-deal">
            <div class="deal-review">
                <div>
                    <h2 id=title_id.clone()>{deal.company_name.clone()}</h2>
                    <dl class="details">
                        <dt>"Partner"</dt><dd><a href=format!("/admin/partners/{partner_id}")>{partner_name}</a></dd>
                        <dt>"Domain"</dt><dd>{deal.domain.clone()}</dd>
                        <dt>"Contact"</dt><dd>{format!("{} <{}>", deal.contact_name, deal.contact_email)}</dd>
                        <dt>"Country"</dt><dd>{deal.country.clone()}</dd>
                        <dt>"Plan"</dt><dd>{format!("{}, {} seats", deal.plan, deal.seats)}</dd>
                        <dt>"Monthly value"</dt><dd>{format::money(deal.monthly_value)}</dd>
                        <dt>"Expected close"</dt><dd>{format::day(deal.expected_close)}</dd>
                        <dt>"Registered"</dt><dd>{format!("{}{}", format::date(deal.created_at), deal.registered_by.map(|b| format!(" by {b}")).unwrap_or_default())}</dd>
                        <dt>"Notes"</dt><dd>{if deal.notes.is_empty() { "None".to_string() } else { deal.notes.clone() }}</dd>
                    </dl>
                </div>
                <div>
                    <h3>"Like it"</h3>
                    {similar_view}
                </div>
            </div>
            <div class="decide-forms">
                <ActionForm action=decide>
                    <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                    <input type="hidden" name=input_name("decision") value="approve" />
                    <button type="submit" class="button">"Approve: protect for 90 days"</button>
                </ActionForm>
                <details class="row-confirm" on:submit=move |_| sent.set(true)>
                    <summary>"Deny…"</summary>
                    <ActionForm action=decide>
                        <input type="hidden" name=input_name("deal_id") value=id.to_string() />
                        <input type="hidden" name=input_name("decision") value="deny" />
                        <div class="field">
                            <label for=reason_id.clone()>"Reason (the partner reads it) *"</label>
                            <textarea id=reason_id name=input_name("reason") rows="2" maxlength="500" required=true></textarea>
                            {move || message_for(error.get(), "reason").map(|m| view! { <p class="field-error">{m}</p> })}
                        </div>
                        <button type="submit" class="button button-danger">"Deny"</button>
                    </ActionForm>
                </details>
            </div>
        </section>
    }
}

#[component]
fn SimilarLine(s: Similar) -> impl IntoView {
    let what = match (s.kind, s.protected_until) {
        (ConflictKind::Deal, Some(until)) => {
            format!("Deal protected until {}", format::date(until))
        }
        (ConflictKind::Deal, None) => format!("Deal under review since {}", format::date(s.since)),
        (ConflictKind::Client, _) => {
            format!("Client ({}) since {}", s.status, format::date(s.since))
        }
    };
    view! {
        <li>
            <strong>{s.company_name}</strong>" · "{s.domain}" · "{s.partner_name}
            <br /><span class="muted">{what}</span>
        </li>
    }
}
