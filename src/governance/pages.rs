//! `/admin/partners/:id`: one partner as admins govern it. The three forms (standing, tier,
//! switches) each need a reason, work without JavaScript (a plain post comes back here with
//! `?done=`), and show their errors next to the field with what was typed kept.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    model::{PartnerDetail, MAX_REASON},
    profile::{industry_label, INDUSTRIES},
    server::{get_partner, ChangeProfile, ChangeStatus, ChangeSwitches, ChangeTier},
};
use crate::page_data::page_data;
use crate::{
    auth::model::PartnerStatus,
    components::{
        form::{input_name, kept_value, message_for, Field, FormErrorSummary},
        format::{count, date, date_time, day, money},
        loaded,
    },
    error::AppError,
    program::Tier,
};

/// The page's four changes.
#[derive(Clone, Copy)]
struct Changes {
    status: ServerAction<ChangeStatus>,
    tier: ServerAction<ChangeTier>,
    switches: ServerAction<ChangeSwitches>,
    profile: ServerAction<ChangeProfile>,
}

impl Changes {
    fn versions(&self) -> [usize; 4] {
        [
            self.status.version().get(),
            self.tier.version().get(),
            self.switches.version().get(),
            self.profile.version().get(),
        ]
    }
}

fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "status" => "Standing changed.",
        "tier" => "Tier changed.",
        "switches" => "Switches saved.",
        "profile" => "Profile saved.",
        "created" => "Partner created. Its owner has been e-mailed an invitation to join.",
        _ => return None,
    })
}

#[component]
pub fn AdminPartnerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok())));
    let changes = Changes {
        status: ServerAction::new(),
        tier: ServerAction::new(),
        switches: ServerAction::new(),
        profile: ServerAction::new(),
    };
    let partner = page_data(
        move || (id.get(), changes.versions()),
        |(id, _)| async move {
            match id {
                Some(id) => get_partner(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let done = move || {
        let finished = [
            changes.status.value().get().map(|r| r.map(|_| "status")),
            changes.tier.value().get().map(|r| r.map(|_| "tier")),
            changes
                .switches
                .value()
                .get()
                .map(|r| r.map(|_| "switches")),
            changes.profile.value().get().map(|r| r.map(|_| "profile")),
        ];
        finished
            .into_iter()
            .flatten()
            .find_map(Result::ok)
            .map(str::to_string)
            .or_else(|| query.read().get("done"))
    };
    view! {
        <Title text="Partner" />
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/admin/partners">"Partners"</a></nav>
        {move || done().as_deref().and_then(done_message).map(|m| view! { <p class="form-ok" role="status">{m}</p> })}
        // Sections with data of their own load beside the partner's, not inside it: a resource
        // made after another resolves is not always hydrated from the page's own data.
        {move || id.get().map(|partner_id| view! { <super::proposal_pages::AdminProposalCard partner_id /> })}
        {loaded(partner, move |p: PartnerDetail| view! { <PartnerView partner=p changes /> })}
        {move || id.get().map(|partner_id| view! { <crate::certifications::pages::AdminCertifications partner_id /> })}
    }
}

#[component]
fn PartnerView(partner: PartnerDetail, changes: Changes) -> impl IntoView {
    let cap = partner.tier.client_cap();
    let clients = match cap {
        Some(cap) => format!(
            "{} of {} places used",
            count(partner.open_clients),
            count(cap)
        ),
        None => format!(
            "{} clients, no cap at {}",
            count(partner.open_clients),
            partner.tier.label()
        ),
    };
    let status_line = partner
        .status_reason
        .clone()
        .filter(|_| partner.status != PartnerStatus::Active);
    let application = partner.application.clone().map(|a| {
        view! {
            <dt>"Application"</dt><dd>{a.reference}</dd>
            <dt>"Industry"</dt><dd>{a.industry}</dd>
            <dt>"Company size"</dt><dd>{a.company_size}</dd>
            <dt>"Target market"</dt><dd>{a.target_market.unwrap_or_else(|| "—".into())}</dd>
            <dt>"Website"</dt><dd>{a.website.unwrap_or_else(|| "—".into())}</dd>
        }
    });
    let members = partner
        .members
        .iter()
        .map(|m| view! { <li>{m.name.clone()} <span class="muted small">{format!("{} · {} · joined {}", m.email, m.role.label(), date(m.joined))}</span></li> })
        .collect_view();
    let more_members = (partner.member_count > partner.members.len() as i64).then(|| {
        format!(
            "and {} more",
            count(partner.member_count - partner.members.len() as i64)
        )
    });
    let statements = partner
        .statements
        .iter()
        .map(|s| view! { <tr><th scope="row">{s.month.format("%B %Y").to_string()}</th><td>{s.tier.label()}</td><td class="num">{money(s.total)}</td></tr> })
        .collect_view();
    let payouts = partner
        .payouts
        .iter()
        .map(|p| view! {
            <tr>
                <th scope="row">{day(p.due_on)}</th>
                <td class="num">{money(p.amount)}</td>
                <td>{p.paid_at.map(date).map(|d| format!("Paid {d}")).unwrap_or_else(|| "Unpaid".into())}</td>
            </tr>
        })
        .collect_view();
    let audit_link = format!("/admin/audit?partner={}", partner.id);
    let listed = |items: Vec<String>| {
        if items.is_empty() {
            "None yet".to_string()
        } else {
            items.join(", ")
        }
    };
    let territories = listed(partner.profile.territories.clone());
    let industries = listed(
        partner
            .profile
            .industries
            .iter()
            .map(|i| industry_label(i).to_string())
            .collect(),
    );
    view! {
        <header class="page-header">
            <h1>{partner.name.clone()}</h1>
            <p class="muted">
                <span class=format!("tier-badge tier-{}", partner.tier.slug())>{partner.tier.label()}</span>
                " " <span data-testid="partner-status">{partner.status.label()}</span>
                " · " {partner.partnership_type.clone()} " partner since " {date(partner.created_at)}
            </p>
            {status_line.map(|r| view! { <p class="notice" data-testid="status-reason">"Reason: " {r}</p> })}
        </header>
        <div class="two-columns">
            <div>
                <section class="card" aria-labelledby="profile-heading">
                    <h2 id="profile-heading">"Profile"</h2>
                    <dl class="facts">
                        <dt>"Slug"</dt><dd>{partner.slug.clone()}</dd>
                        <dt>"Clients"</dt><dd data-testid="client-places">{clients}</dd>
                        <dt>"Active clients"</dt><dd>{count(partner.active_clients)}</dd>
                        <dt>"MRR"</dt><dd>{money(partner.mrr)}</dd>
                        <dt>"Territories"</dt><dd data-testid="territories">{territories}</dd>
                        <dt>"Industries"</dt><dd data-testid="industries">{industries}</dd>
                        {application}
                    </dl>
                </section>
                <section class="card" aria-labelledby="members-heading">
                    <h2 id="members-heading">"Members (" {count(partner.member_count)} ")"</h2>
                    <ul class="plain">{members}</ul>
                    {more_members.map(|m| view! { <p class="muted small">{m}</p> })}
                </section>
                <section class="card" aria-labelledby="statements-heading">
                    <h2 id="statements-heading">"Statements"</h2>
                    {if partner.statements.is_empty() {
                        view! { <p class="empty">"No closed months yet."</p> }.into_any()
                    } else {
                        view! { <table class="data-table compact"><caption class="visually-hidden">"Latest statements"</caption>
                            <thead><tr><th scope="col">"Month"</th><th scope="col">"Tier"</th><th scope="col" class="num">"Commission"</th></tr></thead>
                            <tbody>{statements}</tbody></table> }.into_any()
                    }}
                    <h2>"Payouts"</h2>
                    {if partner.payouts.is_empty() {
                        view! { <p class="empty">"No payouts yet."</p> }.into_any()
                    } else {
                        view! { <table class="data-table compact"><caption class="visually-hidden">"Latest payouts"</caption>
                            <thead><tr><th scope="col">"Due"</th><th scope="col" class="num">"Amount"</th><th scope="col">"State"</th></tr></thead>
                            <tbody>{payouts}</tbody></table> }.into_any()
                    }}
                </section>
                <section class="card" aria-labelledby="timeline-heading">
                    <h2 id="timeline-heading">"Timeline"</h2>
                    <Timeline partner=partner.clone() />
                    <p><a href=audit_link>"Everything in the audit log for this partner"</a></p>
                </section>
            </div>
            <aside>
                <StandingForm partner=partner.clone() action=changes.status />
                <TierForm partner=partner.clone() action=changes.tier />
                <SwitchesForm partner=partner.clone() action=changes.switches />
                <ProfileForm partner action=changes.profile />
            </aside>
        </div>
    }
}

#[component]
fn Timeline(partner: PartnerDetail) -> impl IntoView {
    if partner.timeline.is_empty() {
        return view! { <p class="empty">"No changes yet."</p> }.into_any();
    }
    let items = partner
        .timeline
        .into_iter()
        .map(|t| view! {
            <li class="timeline-item">
                <p class="timeline-meta">{date_time(t.at)} " · " {t.who.unwrap_or_else(|| "The monthly close".into())}</p>
                <p>{crate::audit::describe(&t.action)}</p>
                {t.reason.map(|r| view! { <p class="muted">"Reason: " {r}</p> })}
            </li>
        })
        .collect_view();
    view! { <ol class="timeline" data-testid="timeline">{items}</ol> }.into_any()
}

/// The reason every change needs, with its message and what was typed.
#[component]
pub(super) fn Reason(error: Signal<Option<AppError>>, id: &'static str) -> impl IntoView {
    let message = move || message_for(error.get(), "reason");
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field">
            <label for=id>"Reason *"</label>
            <textarea id=id name=input_name("reason") rows="2" maxlength=MAX_REASON required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone())>{move || kept_value(error.get(), "reason")}</textarea>
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

#[component]
fn StandingForm(partner: PartnerDetail, action: ServerAction<ChangeStatus>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let choices = [
        ("reactivate", "Reactivate", PartnerStatus::Active),
        ("freeze", "Freeze (read-only)", PartnerStatus::Frozen),
        ("suspend", "Suspend (no sign-in)", PartnerStatus::Suspended),
    ]
    .into_iter()
    .filter(|(_, _, to)| *to != partner.status)
    .map(|(value, label, _)| view! { <option value=value>{label}</option> })
    .collect_view();
    view! {
        <section class="card" aria-labelledby="standing-heading">
            <h2 id="standing-heading">"Standing"</h2>
            <p class="help">"Frozen: members sign in and read, but change nothing. Suspended: members cannot sign in and are signed out; the reseller's client portals keep working."</p>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <input type="hidden" name=input_name("partner_id") value=partner.id.to_string() />
                <div class="field">
                    <label for="change">"Change to"</label>
                    <select id="change" name=input_name("change")>{choices}</select>
                </div>
                <Reason error id="status-reason" />
                <button type="submit" class="button">"Change standing"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn TierForm(partner: PartnerDetail, action: ServerAction<ChangeTier>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let pinned = match (partner.tier_pinned, partner.tier_pinned_until) {
        (false, _) => "Recomputed at each monthly close.".to_string(),
        (true, None) => format!("Pinned at {}.", partner.tier.label()),
        (true, Some(until)) => format!("Pinned at {} until {}.", partner.tier.label(), day(until)),
    };
    let computed = format!(
        "Computed from {} active clients: {}.",
        count(partner.active_clients),
        partner.computed_tier.label()
    );
    let options = Tier::ALL
        .map(|t| view! { <option value=t.slug() selected=partner.tier_pinned && t == partner.tier>{format!("Pin at {}", t.label())}</option> });
    view! {
        <section class="card" aria-labelledby="tier-heading">
            <h2 id="tier-heading">"Tier"</h2>
            <p data-testid="tier-state">{pinned}</p>
            <p class="muted" data-testid="computed-tier">{computed}</p>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <input type="hidden" name=input_name("partner_id") value=partner.id.to_string() />
                <div class="field">
                    <label for="pin-tier">"Tier"</label>
                    <select id="pin-tier" name=input_name("tier")>
                        <option value="" selected=!partner.tier_pinned>"Unpin: recompute at the next close"</option>
                        {options}
                    </select>
                </div>
                <Field name="until" label="Pinned until (optional)" kind=Some("date")
                    message=Signal::derive(move || message_for(error.get(), "until"))
                    value=Signal::derive(move || kept_value(error.get(), "until"))
                    hint=Some("After this day the next monthly close recomputes the tier.") />
                <Reason error id="tier-reason" />
                <button type="submit" class="button">"Save tier"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SwitchesForm(partner: PartnerDetail, action: ServerAction<ChangeSwitches>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let white_label = [("tier", "As the tier says (Gold and up)", None), ("on", "On", Some(true)), ("off", "Off", Some(false))]
        .map(|(value, label, state)| view! { <option value=value selected=partner.white_label == state>{label}</option> });
    view! {
        <section class="card" aria-labelledby="switches-heading">
            <h2 id="switches-heading">"Switches"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <input type="hidden" name=input_name("partner_id") value=partner.id.to_string() />
                <div class="field field-check">
                    <input id="client-management" type="checkbox" name=input_name("client_management") value="on" checked=partner.client_management />
                    <label for="client-management">"Client management (create, change, log in as clients)"</label>
                </div>
                <div class="field">
                    <label for="white-label">"White-label"</label>
                    <select id="white-label" name=input_name("white_label")>{white_label}</select>
                </div>
                <div class="field field-check">
                    <input id="custom-css" type="checkbox" name=input_name("custom_css") value="on" checked=partner.custom_css />
                    <label for="custom-css">"Custom CSS (Platinum with white-label)"</label>
                </div>
                <Reason error id="switches-reason" />
                <button type="submit" class="button">"Save switches"</button>
            </ActionForm>
        </section>
    }
}

/// The countries the partner serves and the industries it knows, as lead assignment reads
/// them.
#[component]
fn ProfileForm(partner: PartnerDetail, action: ServerAction<ChangeProfile>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let current = partner.profile.territories.join(", ");
    let industries = INDUSTRIES
        .iter()
        .enumerate()
        .map(|(n, (slug, label))| {
            let id = format!("industry-{slug}");
            let checked = partner.profile.industries.iter().any(|i| i == slug);
            view! {
                <div class="field field-check">
                    <input id=id.clone() type="checkbox" name=format!("input[industries][{n}]") value=*slug checked=checked />
                    <label for=id>{*label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="profile-form-heading">
            <h2 id="profile-form-heading">"Territories and industries"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <input type="hidden" name=input_name("partner_id") value=partner.id.to_string() />
                <Field name="territories" label="Countries served"
                    hint=Some("Two-letter ISO codes, separated by commas: US, CA, GB.")
                    message=Signal::derive(move || message_for(error.get(), "territories"))
                    value=Signal::derive(move || {
                        let kept = kept_value(error.get(), "territories");
                        if error.get().is_some() { kept } else { current.clone() }
                    }) />
                <fieldset class="field">
                    <legend>"Industries"</legend>
                    {industries}
                    {move || message_for(error.get(), "industries").map(|m| view! { <p class="field-error" id="industries-error">{m}</p> })}
                </fieldset>
                <Reason error id="profile-reason" />
                <button type="submit" class="button">"Save profile"</button>
            </ActionForm>
        </section>
    }
}
