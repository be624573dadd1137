//! `/admin/leads`: every lead, newest first (by status in tabs), with who holds it, who
//! passed on it and why; a lead not yet accepted can be handed to one of the partners the
//! rules put first, or to any other by its slug. Above the list: a CSV import (the file is
//! taken whole or refused whole; while its leads are placed, a progress bar follows) and a
//! form for one lead.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use super::import_card::ImportCard;
use crate::{
    components::{
        form::{input_name, kept_value, message_for, Field, FormErrorSummary},
        format, loaded,
        table::Pager,
    },
    governance::profile::{industry_label, INDUSTRIES},
    leads::{
        model::{AdminLead, AdminLeadsPage, LeadStatus},
        server::{get_admin_leads, CreateLead, ReassignLead},
    },
    page_data::page_data,
    program::Position,
};

#[component]
pub fn AdminLeadsPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let status = Memo::new(move |_| params.read().get("status"));
    let create = ServerAction::<CreateLead>::new();
    let reassign = ServerAction::<ReassignLead>::new();
    let leads = page_data(
        move || {
            (
                status.get(),
                position.get(),
                create.version().get(),
                reassign.version().get(),
            )
        },
        |(status, position, _, _)| get_admin_leads(status, Some(position)),
    );
    let done = move || {
        let created = create.value().get().and_then(Result::ok);
        let reassigned = matches!(reassign.value().get(), Some(Ok(())));
        match (created, reassigned, params.read().get("done").as_deref()) {
            (Some(Some(partner)), _, _) => Some(format!("Created: offered to {partner}.")),
            (Some(None), _, _) | (None, _, Some("unmatched")) => {
                Some("Created. No partner qualifies for it now: hand it to one below.".to_string())
            }
            (None, _, Some("offered")) => Some("Created and offered by the rules.".to_string()),
            (None, true, _) | (None, _, Some("reassigned")) => {
                Some("Handed over: the partner has 48 hours to answer.".to_string())
            }
            _ => None,
        }
    };
    view! {
        <Title text="Leads" />
        <header class="page-header">
            <h1>"Leads"</h1>
            <p class="muted">
                "Each lead is offered to one partner at a time: one that serves its country (or, if none qualifies, its "
                "region), knows its industry, has room under its capacity and was active in the last 30 days; the best "
                "health score first, and among equals the one that waited longest. Unanswered offers move on after 48 hours."
            </p>
        </header>
        {move || done().map(|text| view! { <p class="form-ok" role="status">{text}</p> })}
        <ImportCard />
        <CreateForm action=create />
        {loaded(leads, move |page: AdminLeadsPage| view! { <LeadsView page reassign /> })}
    }
}

#[component]
fn LeadsView(page: AdminLeadsPage, reassign: ServerAction<ReassignLead>) -> impl IntoView {
    let AdminLeadsPage {
        leads,
        links,
        status,
    } = page;
    let with_status = move |extra: Option<(&str, String)>| {
        let mut params: Vec<(&str, String)> = status
            .map(|s| ("status", s.slug().to_string()))
            .into_iter()
            .collect();
        params.extend(extra);
        format!("/admin/leads{}", format::query_string(params))
    };
    let tab = move |s: Option<LeadStatus>, label: &'static str| {
        let href = match s {
            Some(s) => format!("/admin/leads?status={}", s.slug()),
            None => "/admin/leads".to_string(),
        };
        view! { <a href=href class="tab" aria-current=(status == s).then_some("page")>{label}</a> }
    };
    let tabs = std::iter::once(tab(None, "All"))
        .chain(LeadStatus::ALL.into_iter().map(|s| tab(Some(s), s.label())))
        .collect_view();
    let body = if leads.is_empty() {
        view! { <p class="empty">"No leads here yet. Import a CSV file or create one above."</p> }
            .into_any()
    } else {
        let rows = leads
            .into_iter()
            .map(|lead| view! { <LeadLine lead reassign /> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="leads">
                    <caption class="visually-hidden">"Leads"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Lead"</th>
                            <th scope="col">"Contact"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col"><span class="visually-hidden">"Hand over"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let at = move |p: &Position| with_status(p.param());
    view! {
        <section aria-labelledby="leads-title">
            <h2 id="leads-title">"All leads"</h2>
            <nav class="tabs" aria-label="Status">{tabs}</nav>
            {body}
            <Pager label="Lead pages".to_string()
                first=links.first.as_ref().map(at) previous=links.previous.as_ref().map(at)
                next=links.next.as_ref().map(at) last=links.last.as_ref().map(at)
                position=String::new() />
        </section>
    }
}

#[component]
fn LeadLine(lead: AdminLead, reassign: ServerAction<ReassignLead>) -> impl IntoView {
    let AdminLead {
        id,
        company_name,
        domain,
        contact_name,
        contact_email,
        country,
        industry,
        seats,
        status,
        partner,
        offer_expires_at,
        created_at,
        passed,
        candidates,
    } = lead;
    let standing = match (status, &partner, offer_expires_at) {
        (LeadStatus::Offered, Some((_, name)), Some(until)) => {
            format!("Offered to {name} until {}", format::date_time(until))
        }
        (LeadStatus::Accepted, Some((_, name)), _) => format!("Accepted by {name}"),
        _ => status.label().to_string(),
    };
    let passed = (!passed.is_empty()).then(|| {
        view! {
            <ul class="muted compact-list">
                {passed.into_iter().map(|(who, why)| view! { <li>{format!("{who} passed: {why}")}</li> }).collect_view()}
            </ul>
        }
    });
    let open = matches!(status, LeadStatus::Offered | LeadStatus::Unmatched);
    view! {
        <tr data-status=status.slug()>
            <th scope="row">
                {company_name.clone()}<br />
                <span class="muted">{format!("{domain} · {country} · {} · {seats} seats", industry_label(&industry))}</span>
            </th>
            <td>{contact_name}<br /><span class="muted break-anywhere">{contact_email}</span></td>
            <td>{format::date(created_at)}</td>
            <td><span class=format!("status-badge lead-{}", status.slug())>{standing}</span>{passed}</td>
            <td>{open.then(|| view! { <HandOver id company=company_name candidates reassign /> })}</td>
        </tr>
    }
}

#[component]
fn HandOver(
    id: Uuid,
    company: String,
    candidates: Vec<crate::leads::model::Candidate>,
    reassign: ServerAction<ReassignLead>,
) -> impl IntoView {
    let sent = RwSignal::new(false);
    let error = Signal::derive(move || {
        sent.get()
            .then(|| reassign.value().get().and_then(Result::err))
            .flatten()
    });
    let message = move |field: &'static str| {
        move || message_for(error.get(), field).map(|m| view! { <p class="field-error">{m}</p> })
    };
    let options = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let label = format!(
                "{}{}{}",
                c.name,
                if c.in_country {
                    ""
                } else {
                    " (serves the region)"
                },
                if i == 0 { ", next by the rules" } else { "" }
            );
            view! { <option value=c.id.to_string()>{label}</option> }
        })
        .collect_view();
    let field_id = move |what: &str| format!("{what}-{id}");
    view! {
        <details class="row-confirm" on:submit=move |_| sent.set(true)>
            <summary>{format!("Hand {company} to…")}</summary>
            <ActionForm action=reassign>
                <input type="hidden" name=input_name("lead_id") value=id.to_string() />
                <div class="field">
                    <label for=field_id("partner")>"Partner"</label>
                    <select id=field_id("partner") name=input_name("partner_id")>
                        {options}
                        <option value="">"Another partner, named below"</option>
                    </select>
                    {message("partner_id")}
                </div>
                <div class="field">
                    <label for=field_id("slug")>"Another partner's slug"</label>
                    <input id=field_id("slug") type="text" name=input_name("partner_slug") maxlength="63"
                        value=move || kept_value(error.get(), "partner_slug") />
                    {message("partner_slug")}
                </div>
                <div class="field">
                    <label for=field_id("reason")>"Why *"</label>
                    <input id=field_id("reason") type="text" name=input_name("reason") maxlength="500" required=true
                        value=move || kept_value(error.get(), "reason") />
                    {message("reason")}
                </div>
                <FormErrorSummary error />
                <button type="submit" class="button button-small">"Hand over"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn CreateForm(action: ServerAction<CreateLead>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let typed = move |field: &'static str| Signal::derive(move || kept_value(error.get(), field));
    let message =
        move |field: &'static str| Signal::derive(move || message_for(error.get(), field));
    let industry_kept = typed("industry");
    let industries = INDUSTRIES
        .into_iter()
        .map(|(slug, label)| {
            view! { <option value=slug selected=move || industry_kept.get() == slug>{label}</option> }
        })
        .collect_view();
    view! {
        <details class="card" id="create" open=move || error.get().is_some()>
            <summary><h2 class="inline-heading">"Create a lead"</h2></summary>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="company_name" label="Company" required=true max=Some(200)
                    value=typed("company_name") message=message("company_name") />
                <Field name="domain" label="Web domain" required=true max=Some(253)
                    value=typed("domain") message=message("domain") />
                <Field name="contact_name" label="Contact" required=true max=Some(200)
                    value=typed("contact_name") message=message("contact_name") />
                <Field name="contact_email" label="Contact e-mail" required=true kind=Some("email") max=Some(254)
                    value=typed("contact_email") message=message("contact_email") />
                <Field name="country" label="Country" required=true max=Some(2)
                    hint=Some("Two-letter ISO code, such as US, DE or GB.")
                    value=typed("country") message=message("country") />
                <div class="field">
                    <label for="industry">"Industry *"</label>
                    <select id="industry" name=input_name("industry")
                        aria-invalid=move || message("industry").get().is_some().to_string()>
                        <option value="">"Choose an industry"</option>
                        {industries}
                    </select>
                    {move || message("industry").get().map(|m| view! { <p class="field-error" id="industry-error">{m}</p> })}
                </div>
                <Field name="seats" label="Seats" required=true kind=Some("number")
                    value=typed("seats") message=message("seats") />
                <Field name="notes" label="Notes" multiline=true max=Some(2000)
                    value=typed("notes") message=message("notes") />
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Create and offer"</button>
                </div>
            </ActionForm>
        </details>
    }
}
