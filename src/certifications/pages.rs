//! Certifications on the pages: the level badge, the partner dashboard's card, and the
//! admins' section of a partner's page (record a completion, revoke one). Every form works
//! without JavaScript: a plain post comes back to the partner's page with `?done=`.

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    model::{CertificationRow, CertificationState, PartnerCertifications, Track},
    server::{
        get_certifications, get_partner_certifications, RecordCertification, RevokeCertification,
    },
};
use crate::{
    components::{
        form::{input_name, kept_value, message_for, Confirm, FormErrorSummary},
        format, loaded_part,
    },
    page_data::page_data,
};

/// A partner's certification level as a badge.
#[component]
pub fn LevelBadge(level: Option<Track>) -> impl IntoView {
    match level {
        Some(track) => view! {
            <span class=format!("status-badge cert-{}", track.slug()) data-testid="certification-level">{track.badge()}</span>
        }
        .into_any(),
        None => view! { <span class="muted" data-testid="certification-level">"Not certified yet"</span> }.into_any(),
    }
}

/// The partner dashboard's card: the level and who holds what.
#[component]
pub fn CertificationCard() -> impl IntoView {
    let data = page_data(|| (), |_| get_certifications());
    loaded_part(data, |page: PartnerCertifications| {
        view! {
            <section class="card" aria-labelledby="certification-title">
                <h2 id="certification-title">"Certification"</h2>
                <p><LevelBadge level=page.level /></p>
                <p class="muted small">"Two Advanced members make an Expert Partner, two Master members a Master Partner; one Foundation member a Certified Partner."</p>
                <CertificationTable rows=page.certifications revoke=None />
            </section>
        }
    })
}

#[component]
fn CertificationTable(
    rows: Vec<CertificationRow>,
    revoke: Option<ServerAction<RevokeCertification>>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty">"No certifications yet."</p> }.into_any();
    }
    let lines = rows
        .into_iter()
        .map(|row| {
            let control = revoke.filter(|_| {
                matches!(row.state, CertificationState::Valid | CertificationState::ExpiringSoon)
            });
            let control = control.map(|action| {
                let id = row.id;
                let label = format!("Yes, revoke {}'s {} certification.", row.member, row.track.label());
                view! {
                    <details class="row-confirm">
                        <summary>"Revoke…"</summary>
                        <ActionForm action>
                            <input type="hidden" name=input_name("certification_id") value=id.to_string() />
                            <Confirm id=format!("revoke-cert-{id}") label
                                error=Signal::derive(move || action.value().get().and_then(Result::err)) />
                            <button type="submit" class="button button-small button-danger">"Revoke"</button>
                        </ActionForm>
                    </details>
                }
            });
            view! {
                <tr data-state=row.state.label()>
                    <th scope="row">{row.member}</th>
                    <td>{row.track.label()}</td>
                    <td>{format::day(row.completed_on)}</td>
                    <td>{format::day(row.expires_on)}</td>
                    <td>{row.state.label()}</td>
                    {revoke.map(|_| view! { <td>{control}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data-table compact" data-testid="certifications">
            <caption class="visually-hidden">"Certifications"</caption>
            <thead><tr>
                <th scope="col">"Member"</th><th scope="col">"Track"</th><th scope="col">"Completed"</th>
                <th scope="col">"Expires"</th><th scope="col">"State"</th>
                {revoke.map(|_| view! { <th scope="col"><span class="visually-hidden">"Revoke"</span></th> })}
            </tr></thead>
            <tbody>{lines}</tbody>
        </table>
    }
    .into_any()
}

/// The admins' section of a partner's page.
#[component]
pub fn AdminCertifications(partner_id: Uuid) -> impl IntoView {
    let record = ServerAction::<RecordCertification>::new();
    let revoke = ServerAction::<RevokeCertification>::new();
    let data = page_data(
        move || (record.version().get(), revoke.version().get()),
        move |_| get_partner_certifications(partner_id),
    );
    loaded_part(data, move |page: PartnerCertifications| {
        view! {
            <section class="card" id="certifications" aria-labelledby="certifications-heading">
                <h2 id="certifications-heading">"Certifications"</h2>
                <p><LevelBadge level=page.level /></p>
                <CertificationTable rows=page.certifications revoke=Some(revoke) />
                <RecordForm partner_id members=page.members action=record />
            </section>
        }
    })
}

#[component]
fn RecordForm(
    partner_id: Uuid,
    members: Vec<(Uuid, String)>,
    action: ServerAction<RecordCertification>,
) -> impl IntoView {
    if members.is_empty() {
        return view! { <p class="empty">"The partner has no members to certify yet."</p> }
            .into_any();
    }
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let recorded = move || matches!(action.value().get(), Some(Ok(_)));
    let member_options = members
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    let mut n = 0;
    let module_sets = Track::ALL
        .into_iter()
        .map(|track| {
            let boxes = track
                .modules()
                .iter()
                .map(|(slug, title)| {
                    let id = format!("module-{slug}");
                    let name = format!("input[modules][{n}]");
                    n += 1;
                    let checked = move || kept_value(error.get(), "modules").split(' ').any(|m| m == *slug);
                    view! {
                        <div class="field field-check">
                            <input id=id.clone() type="checkbox" name=name value=*slug checked=checked />
                            <label for=id>{*title}</label>
                        </div>
                    }
                })
                .collect_view();
            view! { <fieldset class="field"><legend>{format!("{} modules", track.label())}</legend>{boxes}</fieldset> }
        })
        .collect_view();
    view! {
        <h3>"Record a completion"</h3>
        {move || recorded().then(|| view! { <p class="form-ok" role="status">"Recorded."</p> })}
        <ActionForm action attr:novalidate="true">
            <FormErrorSummary error />
            <input type="hidden" name=input_name("partner_id") value=partner_id.to_string() />
            <div class="field">
                <label for="cert-member">"Member *"</label>
                <select id="cert-member" name=input_name("user_id")>{member_options}</select>
            </div>
            <div class="field">
                <label for="cert-track">"Track *"</label>
                <select id="cert-track" name=input_name("track")
                    aria-invalid=move || message_for(error.get(), "track").is_some().to_string()>
                    {Track::ALL.into_iter().map(|t| view! { <option value=t.slug()>{t.label()}</option> }).collect_view()}
                </select>
                {move || message_for(error.get(), "track").map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <p class="help">"Tick every module of the track completed."</p>
            {module_sets}
            {move || message_for(error.get(), "modules").map(|m| view! { <p class="field-error" id="modules-error">{m}</p> })}
            <div class="field">
                <label for="cert-completed">"Completed on *"</label>
                <input id="cert-completed" type="date" name=input_name("completed_on")
                    value=move || kept_value(error.get(), "completed_on") />
                {move || message_for(error.get(), "completed_on").map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <div class="field">
                <label for="cert-expires">"Expires on"</label>
                <input id="cert-expires" type="date" name=input_name("expires_on") aria-describedby="cert-expires-help"
                    value=move || kept_value(error.get(), "expires_on") />
                <p class="help" id="cert-expires-help">"Leave empty for two years after completion."</p>
                {move || message_for(error.get(), "expires_on").map(|m| view! { <p class="field-error">{m}</p> })}
            </div>
            <button type="submit" class="button" disabled=move || action.pending().get()>"Record completion"</button>
        </ActionForm>
    }
    .into_any()
}
