//! Proposals of territories and industries on the pages: the partner's card (on `/partner/team`:
//! the profile, the proposal waiting, and the owner's form) and the admins' card on a partner's
//! page (accept or dismiss).

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    pages::Reason,
    profile::{industry_label, Profile, INDUSTRIES},
    proposal::{
        get_partner_profile, get_proposal, DecideProposal, PartnerProfile, Proposal, ProposeProfile,
    },
};
use crate::{
    components::{
        form::{input_name, kept_value, message_for, Field, FormErrorSummary},
        format, loaded_part,
    },
    page_data::page_data,
};

fn facts(profile: &Profile) -> impl IntoView {
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "None yet".to_string()
        } else {
            items.join(", ")
        }
    };
    let industries = profile
        .industries
        .iter()
        .map(|i| industry_label(i).to_string())
        .collect();
    view! {
        <dl class="facts">
            <dt>"Countries"</dt><dd>{list(profile.territories.clone())}</dd>
            <dt>"Industries"</dt><dd>{list(industries)}</dd>
        </dl>
    }
}

/// The partner's card.
#[component]
pub fn PartnerProfileCard() -> impl IntoView {
    let propose = ServerAction::<ProposeProfile>::new();
    let data = page_data(move || propose.version().get(), |_| get_partner_profile());
    loaded_part(data, move |page: PartnerProfile| {
        view! {
            <section class="card" aria-labelledby="territories-title" data-testid="partner-profile">
                <h2 id="territories-title">"Territories and industries"</h2>
                <p class="muted small">"Leads are offered to partners that serve their country and know their industry."</p>
                <ProfileView page propose />
            </section>
        }
    })
}

#[component]
fn ProfileView(page: PartnerProfile, propose: ServerAction<ProposeProfile>) -> impl IntoView {
    let waiting = page.proposal.clone().map(|p| {
        view! {
            <div class="notice" role="status" data-testid="proposal-waiting">
                <p>{format!("Proposed on {}, waiting for the program team:", format::date(p.proposed_at))}</p>
                {facts(&p.profile)}
            </div>
        }
    });
    let form = page.can_propose.then(|| {
        let start = page
            .proposal
            .map(|p| p.profile)
            .unwrap_or(page.current.clone());
        view! { <ProposeForm start action=propose /> }
    });
    view! { {facts(&page.current)} {waiting} {form} }
}

#[component]
fn ProposeForm(start: Profile, action: ServerAction<ProposeProfile>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let territories = start.territories.join(", ");
    let boxes = INDUSTRIES
        .iter()
        .enumerate()
        .map(|(n, (slug, label))| {
            let id = format!("propose-industry-{slug}");
            let checked = start.industries.iter().any(|i| i == slug);
            view! {
                <div class="field field-check">
                    <input id=id.clone() type="checkbox" name=format!("input[industries][{n}]") value=*slug checked=checked />
                    <label for=id>{*label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <details>
            <summary>"Propose a change…"</summary>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="territories" label="Countries served"
                    hint=Some("Two-letter ISO codes, separated by commas: US, CA, GB.")
                    message=Signal::derive(move || message_for(error.get(), "territories"))
                    value=Signal::derive(move || {
                        if error.get().is_some() { kept_value(error.get(), "territories") } else { territories.clone() }
                    }) />
                <fieldset class="field">
                    <legend>"Industries"</legend>
                    {boxes}
                    {move || message_for(error.get(), "industries").map(|m| view! { <p class="field-error">{m}</p> })}
                </fieldset>
                <Reason error id="proposal-reason" />
                <button type="submit" class="button" disabled=move || action.pending().get()>"Send the proposal"</button>
            </ActionForm>
        </details>
    }
}

/// The admins' card on a partner's page; nothing when no proposal waits.
#[component]
pub fn AdminProposalCard(partner_id: Uuid) -> impl IntoView {
    let decide = ServerAction::<DecideProposal>::new();
    let data = page_data(
        move || decide.version().get(),
        move |_| get_proposal(partner_id),
    );
    view! {
        <FormErrorSummary error=Signal::derive(move || decide.value().get().and_then(Result::err)) />
        {loaded_part(data, move |proposal: Option<Proposal>| proposal.map(|p| view! {
            <section class="card" aria-labelledby="proposal-heading" data-testid="admin-proposal">
                <h2 id="proposal-heading">"Proposed territories and industries"</h2>
                <p class="muted">{format!("By {} on {}: {}", p.proposed_by.clone().unwrap_or_else(|| "the owner".into()), format::date(p.proposed_at), p.reason)}</p>
                {facts(&p.profile)}
                <div class="decide-forms">
                    <ActionForm action=decide>
                        <input type="hidden" name=input_name("partner_id") value=partner_id.to_string() />
                        <input type="hidden" name=input_name("decision") value="accept" />
                        <button type="submit" class="button">"Accept"</button>
                    </ActionForm>
                    <ActionForm action=decide>
                        <input type="hidden" name=input_name("partner_id") value=partner_id.to_string() />
                        <input type="hidden" name=input_name("decision") value="dismiss" />
                        <button type="submit" class="button button-quiet">"Dismiss"</button>
                    </ActionForm>
                </div>
            </section>
        }))}
    }
}
