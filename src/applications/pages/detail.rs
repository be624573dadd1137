//! `/admin/applications/:id`: every field, the notes timeline, the status history, and the
//! decisions the current status allows (the server enforces the same rules).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::page_data::page_data;
use crate::{
    applications::{
        model::{ApplicationDetail, ApplicationStatus},
        server::{get_application, AddApplicationNote, DecideApplication},
    },
    components::{
        form::{field_error, kept_value, FormErrorSummary},
        format::{date, date_time},
        loaded,
    },
    error::AppError,
    program::Tier,
};

#[component]
pub fn ApplicationDetailPage() -> impl IntoView {
    let params = use_params_map();
    let note = ServerAction::<AddApplicationNote>::new();
    let decide = ServerAction::<DecideApplication>::new();
    let detail = page_data(
        move || {
            (
                params.read().get("id"),
                note.version().get(),
                decide.version().get(),
            )
        },
        |(id, _, _)| async move {
            let id = id
                .and_then(|id| id.parse::<Uuid>().ok())
                .ok_or(AppError::NotFound)?;
            get_application(id).await
        },
    );
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/admin/applications">"Applications"</a></nav>
        {loaded(detail, move |a: ApplicationDetail| view! { <DetailView app=a note decide /> })}
    }
}

#[component]
fn DetailView(
    app: ApplicationDetail,
    note: ServerAction<AddApplicationNote>,
    decide: ServerAction<DecideApplication>,
) -> impl IntoView {
    let optional = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let fields = vec![
        ("Reference", app.reference.clone()),
        (
            "Contact",
            format!("{} <{}>", app.contact_name, app.contact_email),
        ),
        ("Phone", optional(&app.contact_phone)),
        ("Website", optional(&app.website)),
        ("Partnership type", app.partnership_type.label().to_string()),
        ("Company size", app.company_size.label().to_string()),
        ("Industry", app.industry.clone()),
        ("Target market", optional(&app.target_market)),
        ("Solutions sold today", optional(&app.current_solutions)),
        ("Motivation", app.motivation.clone()),
        ("Anything else", optional(&app.additional_info)),
        ("Submitted", date(app.submitted_at)),
    ];
    let fields = fields
        .into_iter()
        .map(|(k, v)| view! { <dt>{k}</dt><dd class="prewrap">{v}</dd> })
        .collect_view();
    let notes = if app.notes.is_empty() {
        view! { <p class="empty">"No notes yet."</p> }.into_any()
    } else {
        let items = app
            .notes
            .iter()
            .map(|n| view! {
                <li class="timeline-item">
                    <p class="timeline-meta"><strong>{n.author.clone()}</strong> " · " {date_time(n.created_at)}</p>
                    <p class="prewrap">{n.body.clone()}</p>
                </li>
            })
            .collect_view();
        view! { <ol class="timeline">{items}</ol> }.into_any()
    };
    let history = app
        .history
        .iter()
        .map(|c| {
            view! {
                <li>
                    {date_time(c.changed_at)} ": "
                    {c.from_status.map(|s| format!("{} → ", s.label()))}
                    <strong>{c.to_status.label()}</strong>
                    {c.changed_by.clone().map(|who| format!(" by {who}"))}
                    {c.reason.clone().map(|r| view! { <span class="muted">" — " {r}</span> })}
                </li>
            }
        })
        .collect_view();
    let note_error = move || note.value().get().and_then(Result::err);
    view! {
        <Title text=app.company_name.clone() />
        <header class="page-header">
            <h1>{app.company_name.clone()}</h1>
            <p><span class=format!("status-badge app-{}", app.status.slug()) data-testid="status">{app.status.label()}</span>
                {app.rejection_reason.clone().map(|r| view! { <span class="muted">" Reason: " {r}</span> })}</p>
        </header>
        <div class="two-columns">
            <div>
                <dl class="details">{fields}</dl>
                <section aria-labelledby="notes-title">
                    <h2 id="notes-title">"Internal notes"</h2>
                    {notes}
                    <ActionForm action=note>
                        <input type="hidden" name="input[id]" value=app.id.to_string() />
                        <FormErrorSummary error=Signal::derive(note_error) />
                        <div class="field">
                            <label for="body">"Add a note"</label>
                            <textarea id="body" name="input[body]" rows="3" maxlength="5000" required>{move || kept_value(note_error(), "body")}</textarea>
                            {move || field_error(note_error(), "body")}
                        </div>
                        <button type="submit" class="button button-small">"Add note"</button>
                    </ActionForm>
                </section>
            </div>
            <aside>
                <Decisions id=app.id status=app.status decide />
                <section aria-labelledby="history-title">
                    <h2 id="history-title">"Status history"</h2>
                    <ol class="history">{history}</ol>
                </section>
            </aside>
        </div>
    }
}

#[component]
fn Decisions(
    id: Uuid,
    status: ApplicationStatus,
    decide: ServerAction<DecideApplication>,
) -> impl IntoView {
    let error = move || decide.value().get().and_then(Result::err);
    let hidden = move |action: &'static str| {
        view! {
            <input type="hidden" name="input[id]" value=id.to_string() />
            <input type="hidden" name="input[action]" value=action />
        }
    };
    let start = (status == ApplicationStatus::Pending).then(|| {
        view! {
            <ActionForm action=decide>
                {hidden("start_review")}
                <button type="submit" class="button button-quiet">"Start review"</button>
            </ActionForm>
        }
    });
    let decide_forms = status.is_open().then(|| {
        let tiers = Tier::ALL.map(|t| view! { <option value=t.slug() selected=t == Tier::Bronze>{t.label()}</option> });
        view! {
            <ActionForm action=decide attr:class="decision">
                {hidden("approve")}
                <div class="field">
                    <label for="tier">"Initial tier"</label>
                    <select id="tier" name="input[tier]">{tiers}</select>
                </div>
                <button type="submit" class="button">"Approve"</button>
            </ActionForm>
            <ActionForm action=decide attr:class="decision">
                {hidden("reject")}
                <div class="field">
                    <label for="reject-reason">"Reason for rejecting (sent to the applicant)"</label>
                    <textarea id="reject-reason" name="input[reason]" rows="3" maxlength="2000" required>{move || kept_value(error(), "reason")}</textarea>
                    {move || field_error(error(), "reason")}
                </div>
                <button type="submit" class="button button-danger">"Reject"</button>
            </ActionForm>
        }
    });
    let reopen = (!status.is_open()).then(|| {
        view! {
            <ActionForm action=decide attr:class="decision">
                {hidden("reopen")}
                <div class="field">
                    <label for="reopen-reason">"Why reopen? (recorded)"</label>
                    <textarea id="reopen-reason" name="input[reason]" rows="2" maxlength="2000"></textarea>
                </div>
                <button type="submit" class="button button-quiet">"Reopen for review"</button>
            </ActionForm>
        }
    });
    view! {
        <section aria-labelledby="decide-title" class="card">
            <h2 id="decide-title">"Decision"</h2>
            <FormErrorSummary error=Signal::derive(error) />
            {start}
            {decide_forms}
            {reopen}
        </section>
    }
}
