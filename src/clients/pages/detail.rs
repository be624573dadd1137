//! `/partner/clients/:id`: the client, its subscription controls, its history, and "Log in as
//! client".

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::form::{ClientFields, ClientValues};
use crate::page_data::page_data;
use crate::{
    clients::{
        model::{ClientDetail, PlanOption, SubscriptionEvent},
        server::{get_client, list_plans, ChangeClientStatus, UpdateClient},
    },
    components::{
        form::{field_error, kept_value, Confirm, FormErrorSummary},
        format::{date, date_time, money},
        loaded,
    },
    error::AppError,
    impersonation::server::StartImpersonation,
    program::SubscriptionStatus,
};

#[component]
pub fn ClientDetailPage() -> impl IntoView {
    let params = use_params_map();
    let update = ServerAction::<UpdateClient>::new();
    let status = ServerAction::<ChangeClientStatus>::new();
    let client = page_data(
        move || {
            (
                params.read().get("id"),
                update.version().get(),
                status.version().get(),
            )
        },
        |(id, _, _)| async move {
            let id = id
                .and_then(|id| id.parse::<Uuid>().ok())
                .ok_or(AppError::NotFound)?;
            get_client(id).await
        },
    );
    let plans = page_data(|| (), |_| list_plans());
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb"><a href="/partner/clients">"Clients"</a></nav>
        {loaded(client, move |c: ClientDetail| view! {
            {loaded(plans, move |p: Vec<PlanOption>| view! { <ClientView client=c.clone() plans=p update status /> })}
        })}
    }
}

#[component]
fn ClientView(
    client: ClientDetail,
    plans: Vec<PlanOption>,
    update: ServerAction<UpdateClient>,
    status: ServerAction<ChangeClientStatus>,
) -> impl IntoView {
    let price = match client.custom_price {
        Some(custom) => format!("{} (list {})", money(custom), money(client.list_price)),
        None => money(client.list_price),
    };
    let values = ClientValues {
        company_name: client.company_name.clone(),
        contact_name: client.contact_name.clone(),
        contact_email: client.contact_email.clone(),
        contact_phone: client.contact_phone.clone().unwrap_or_default(),
        plan: client.plan.clone(),
        custom_price: client
            .custom_price
            .map(|p| p.to_string())
            .unwrap_or_default(),
        billing_owned_by_reseller: client.billing_owned_by_reseller,
        region: client.region.clone().unwrap_or_default(),
    };
    let update_error = Signal::derive(move || update.value().get().and_then(Result::err));
    let saved = move || update.value().get().is_some_and(|r| r.is_ok());
    let edit = client.can_edit.then(|| view! {
        <section aria-labelledby="edit-title" class="card">
            <h2 id="edit-title">"Details and plan"</h2>
            <ActionForm action=update attr:novalidate="true">
                <input type="hidden" name="client_id" value=client.id.to_string() />
                <FormErrorSummary error=update_error />
                {move || saved().then(|| view! { <p class="form-ok" role="status">"Saved."</p> })}
                <ClientFields values=values.clone() plans=plans.clone() error=update_error />
                <button type="submit" class="button">"Save changes"</button>
            </ActionForm>
        </section>
        <StatusControls id=client.id current=client.status action=status />
    });
    let impersonate = (client.can_impersonate && client.status != SubscriptionStatus::Canceled)
        .then(|| {
            view! { <LogInAs id=client.id enabled=client.reseller_access_enabled /> }
        });
    let history = client.history.iter().map(history_line).collect_view();
    view! {
        <Title text=client.company_name.clone() />
        <header class="page-header">
            <h1>{client.company_name.clone()}</h1>
            <p><span class=format!("status-badge status-{}", client.status.slug()) data-testid="client-status">{client.status.label()}</span></p>
        </header>
        <div class="two-columns">
            <div>
                <dl class="details">
                    <dt>"Plan"</dt><dd data-testid="client-plan">{client.plan_name.clone()}</dd>
                    <dt>"Price per month"</dt><dd>{price}</dd>
                    <dt>"Billing"</dt>
                    <dd>{if client.billing_owned_by_reseller { "Billed by you" } else { "Billed by the vendor" }}</dd>
                    <dt>"Contact"</dt><dd>{client.contact_name.clone()} " · " {client.contact_email.clone()}</dd>
                    <dt>"Region"</dt><dd>{client.region.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Client since"</dt><dd>{date(client.created_at)}</dd>
                    {client.won_from_deal.map(|registered| view! {
                        <dt>"Won from"</dt>
                        <dd data-testid="won-from-deal"><a href="/partner/deals">{format!("the deal registered on {}", date(registered))}</a></dd>
                    })}
                </dl>
                {edit}
                <section aria-labelledby="history-title">
                    <h2 id="history-title">"Subscription history"</h2>
                    <ol class="history" data-testid="history">{history}</ol>
                </section>
            </div>
            <aside>{impersonate}</aside>
        </div>
    }
}

fn history_line(e: &SubscriptionEvent) -> impl IntoView {
    let what = match e.kind.as_str() {
        "created" => format!("Created on {}", e.to_plan.clone().unwrap_or_default()),
        "plan_changed" => format!(
            "Plan {} → {}",
            e.from_plan.clone().unwrap_or_default(),
            e.to_plan.clone().unwrap_or_default()
        ),
        "price_changed" => format!(
            "Price {} → {}",
            e.from_custom_price
                .map(money)
                .unwrap_or_else(|| "list".into()),
            e.to_custom_price
                .map(money)
                .unwrap_or_else(|| "list".into())
        ),
        _ => format!(
            "Status {} → {}",
            e.from_status.map(|s| s.label()).unwrap_or("—"),
            e.to_status.label()
        ),
    };
    let who = match (&e.actor, &e.real_actor) {
        (Some(actor), Some(real)) => format!(" by {real} (as {actor})"),
        (Some(actor), None) => format!(" by {actor}"),
        _ => String::new(),
    };
    view! { <li>{date_time(e.occurred_at)} ": " <strong>{what}</strong> {who}</li> }
}

#[component]
fn StatusControls(
    id: Uuid,
    current: SubscriptionStatus,
    action: ServerAction<ChangeClientStatus>,
) -> impl IntoView {
    use SubscriptionStatus::*;
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let button = move |to: SubscriptionStatus, label: &'static str, class: &'static str| {
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="input[client_id]" value=id.to_string() />
                <input type="hidden" name="input[status]" value=to.slug() />
                <button type="submit" class=class>{label}</button>
            </ActionForm>
        }
    };
    let cancel = (current != Canceled).then(|| view! {
        <ActionForm action=action attr:class="decision">
            <input type="hidden" name="input[client_id]" value=id.to_string() />
            <input type="hidden" name="input[status]" value="canceled" />
            <Confirm id="confirm" label="I understand that canceling ends this client's subscription" error />
            <button type="submit" class="button button-danger">"Cancel subscription"</button>
        </ActionForm>
    });
    view! {
        <section aria-labelledby="status-title" class="card">
            <h2 id="status-title">"Subscription status"</h2>
            {move || error.get().filter(|e| e.fields().is_none()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            {(current == Active).then(|| button(Suspended, "Suspend", "button button-quiet"))}
            {(current == Suspended).then(|| button(Active, "Reactivate", "button"))}
            {(current == Canceled).then(|| button(Active, "Reactivate", "button"))}
            {cancel}
        </section>
    }
}

#[component]
fn LogInAs(id: Uuid, enabled: bool) -> impl IntoView {
    let start = ServerAction::<StartImpersonation>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    // With JavaScript the server's answer is the link to follow; without, the form redirects.
    Effect::new(move || {
        if let Some(Ok(url)) = start.value().get() {
            let _ = window().location().set_href(&url);
        }
    });
    view! {
        <section aria-labelledby="login-as-title" class="card">
            <h2 id="login-as-title">"Log in as client"</h2>
            {if enabled {
                view! {
                    <p class="muted small">"You will see the client portal as the client's owner, for at most 30 minutes. Everything you do is recorded and visible to the client."</p>
                    <ActionForm action=start>
                        <input type="hidden" name="input[client_id]" value=id.to_string() />
                        <FormErrorSummary error />
                        <div class="field">
                            <label for="reason">"Reason (shown to the client)"</label>
                            <input id="reason" name="input[reason]" required maxlength="500" value=move || kept_value(error.get(), "reason") />
                            {move || field_error(error.get(), "reason")}
                        </div>
                        <button type="submit" class="button">"Log in as client"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! { <p class="muted">"This client has turned reseller access off."</p> }.into_any()
            }}
        </section>
    }
}
