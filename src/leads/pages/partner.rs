//! `/partner/leads`: the leads offered to the partner, newest first. An open offer shows the
//! lead whole, with how long is left; owners, managers and sales accept it (the lead becomes
//! their deal registration: they add the plan, value and close date they expect) or decline
//! it with a reason. Each answer opens in place, in its row.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    components::{
        form::{input_name, message_for, FormErrorSummary},
        format, loaded,
        table::PositionPager,
    },
    governance::profile::industry_label,
    leads::{
        model::{Offer, PartnerLeadsPage},
        server::{get_partner_leads, AcceptLead, DeclineLead},
    },
    page_data::page_data,
    program::Position,
};

/// The page's two answers, shared by every row.
#[derive(Clone, Copy)]
struct Answers {
    accept: ServerAction<AcceptLead>,
    decline: ServerAction<DeclineLead>,
}

#[component]
pub fn PartnerLeadsPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let answers = Answers {
        accept: ServerAction::<AcceptLead>::new(),
        decline: ServerAction::<DeclineLead>::new(),
    };
    let page = page_data(
        move || {
            (
                position.get(),
                answers.accept.version().get(),
                answers.decline.version().get(),
            )
        },
        |(position, _, _)| get_partner_leads(Some(position)),
    );
    let done = move || {
        let accepted = matches!(answers.accept.value().get(), Some(Ok(_)));
        let declined = matches!(answers.decline.value().get(), Some(Ok(_)));
        match (accepted, declined, params.read().get("done").as_deref()) {
            (true, _, _) | (_, _, Some("accepted")) => Some(
                "Accepted: the lead is your deal registration now. The program team reviews it, as any registration.",
            ),
            (_, true, _) | (_, _, Some("declined")) => {
                Some("Declined: the lead goes to another partner.")
            }
            _ => None,
        }
    };
    view! {
        <Title text="Leads" />
        <header class="page-header">
            <h1>"Leads"</h1>
            <p class="muted">
                "The program team offers you leads that fit your territories and industries. Accept a lead within "
                "48 hours to register it as your deal, or decline it so that another partner can take it."
            </p>
        </header>
        {move || done().map(|text| view! { <p class="form-ok" role="status">{text}</p> })}
        {loaded(page, move |page: PartnerLeadsPage| view! { <OffersView page answers /> })}
    }
}

#[component]
fn OffersView(page: PartnerLeadsPage, answers: Answers) -> impl IntoView {
    let PartnerLeadsPage {
        offers,
        links,
        can_answer,
        plans,
    } = page;
    let body = if offers.is_empty() {
        view! {
            <p class="empty">
                "No leads offered yet. Leads go to partners whose territories and industries fit them, and who are "
                "active: the program team can check your profile with you."
            </p>
        }
        .into_any()
    } else {
        let rows = offers
            .into_iter()
            .map(|offer| {
                let answers = can_answer.then_some(answers);
                view! { <OfferLine offer answers plans=plans.clone() /> }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="lead-offers">
                    <caption class="visually-hidden">"Leads offered to you"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Lead"</th>
                            <th scope="col">"Contact"</th>
                            <th scope="col">"Offered"</th>
                            <th scope="col">"Status"</th>
                            {can_answer.then(|| view! { <th scope="col"><span class="visually-hidden">"Answer"</span></th> })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="offers-title">
            <h2 id="offers-title" class="visually-hidden">"Offers"</h2>
            {body}
            <PositionPager label="Lead pages" path="/partner/leads" links position=String::new() />
        </section>
    }
}

#[component]
fn OfferLine(
    offer: Offer,
    answers: Option<Answers>,
    plans: Vec<(String, String)>,
) -> impl IntoView {
    let Offer {
        lead_id,
        company_name,
        country,
        industry,
        offered_at,
        expires_at,
        answer,
        reason,
        details,
    } = offer;
    let open = answer.is_none() && details.is_some();
    let status = match answer.as_deref() {
        None if open => format!("Open: answer by {}", format::date_time(expires_at)),
        None => "Open".to_string(),
        Some("accepted") => "Accepted".to_string(),
        Some("declined") => "Declined".to_string(),
        Some("expired") => "Lapsed: went to another partner".to_string(),
        Some(_) => "Handed to another partner by the program team".to_string(),
    };
    let contact = details.as_ref().map(|d| {
        view! {
            {d.contact_name.clone()}<br />
            <span class="muted break-anywhere">{d.contact_email.clone()}</span>
        }
    });
    let summary = details.as_ref().map(|d| {
        format!(
            "{} · {country} · {} · {} seats",
            d.domain,
            industry_label(&industry),
            d.seats
        )
    });
    let notes = details
        .as_ref()
        .map(|d| d.notes.clone())
        .filter(|n| !n.is_empty());
    let deal = details.as_ref().and_then(|d| d.deal_id);
    let controls = answers.map(|answers| {
        view! {
            <td>
                {open.then(|| view! { <AnswerForms lead_id company=company_name.clone() answers plans /> })}
            </td>
        }
    });
    view! {
        <tr data-answer=answer.clone().unwrap_or_else(|| "open".into())>
            <th scope="row">
                {company_name.clone()}<br />
                <span class="muted">{summary.unwrap_or_else(|| format!("{country} · {}", industry_label(&industry)))}</span>
                {notes.map(|n| view! { <br /><span class="muted">{n}</span> })}
            </th>
            <td>{contact}</td>
            <td>{format::date(offered_at)}</td>
            <td>
                {status}
                {reason.map(|r| view! { <br /><span class="muted">{r}</span> })}
                {deal.map(|_| view! { <br /><a href="/partner/deals">"See it under Deals"</a> })}
            </td>
            {controls}
        </tr>
    }
}

#[component]
fn AnswerForms(
    lead_id: uuid::Uuid,
    company: String,
    answers: Answers,
    plans: Vec<(String, String)>,
) -> impl IntoView {
    let Answers { accept, decline } = answers;
    // Only the row whose form was sent shows that form's messages.
    let accept_sent = RwSignal::new(false);
    let decline_sent = RwSignal::new(false);
    let accept_error = Signal::derive(move || {
        accept_sent
            .get()
            .then(|| accept.value().get().and_then(Result::err))
            .flatten()
    });
    let decline_error = Signal::derive(move || {
        decline_sent
            .get()
            .then(|| decline.value().get().and_then(Result::err))
            .flatten()
    });
    let id = move |what: &str| format!("{what}-{lead_id}");
    let message = move |error: Signal<Option<crate::error::AppError>>, field: &'static str| {
        move || message_for(error.get(), field).map(|m| view! { <p class="field-error">{m}</p> })
    };
    let plan_options = plans
        .into_iter()
        .map(|(code, name)| view! { <option value=code>{name}</option> })
        .collect_view();
    view! {
        <details class="row-confirm" on:submit=move |_| accept_sent.set(true)>
            <summary>{format!("Accept {company}…")}</summary>
            <ActionForm action=accept attr:novalidate="true">
                <input type="hidden" name=input_name("lead_id") value=lead_id.to_string() />
                <div class="field">
                    <label for=id("plan")>"Expected plan *"</label>
                    <select id=id("plan") name=input_name("plan")>
                        <option value="">"Choose a plan"</option>
                        {plan_options}
                    </select>
                    {message(accept_error, "plan")}
                </div>
                <div class="field">
                    <label for=id("value")>"Estimated monthly value (USD) *"</label>
                    <input id=id("value") type="text" name=input_name("monthly_value") required=true />
                    {message(accept_error, "monthly_value")}
                </div>
                <div class="field">
                    <label for=id("close")>"Expected close date *"</label>
                    <input id=id("close") type="date" name=input_name("expected_close") required=true />
                    {message(accept_error, "expected_close")}
                </div>
                <FormErrorSummary error=accept_error />
                <button type="submit" class="button button-small">"Accept and register"</button>
            </ActionForm>
        </details>
        <details class="row-confirm" on:submit=move |_| decline_sent.set(true)>
            <summary>{format!("Decline {company}…")}</summary>
            <ActionForm action=decline>
                <input type="hidden" name=input_name("lead_id") value=lead_id.to_string() />
                <div class="field">
                    <label for=id("reason")>"Why you decline it *"</label>
                    <input id=id("reason") type="text" name=input_name("reason") maxlength="500" required=true
                        placeholder="Outside our industries" />
                    {message(decline_error, "reason")}
                </div>
                <p class="help">"The lead goes to another partner at once, and is not offered to you again."</p>
                <FormErrorSummary error=decline_error />
                <button type="submit" class="button button-small button-danger">"Decline"</button>
            </ActionForm>
        </details>
    }
}
