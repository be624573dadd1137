//! `/partner/api-keys`: the owner's API keys, newest first, a page at a time; a form to make
//! one (its secret shown once, right after) and a revoke with a ticked box on each key in
//! use. Every form works without JavaScript: a plain post comes back here with `?done=`, and
//! a new key's secret with it, read once from the session.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    model::{
        ApiKeyRow, ApiKeysPage, ApiScope, CreatedKey, KeyState, ACTIVE_KEYS_MAX, DEFAULT_DAYS,
        LIFETIMES,
    },
    server::{get_api_keys, CreateApiKey, RevokeApiKey},
};
use crate::page_data::page_data;
use crate::{
    components::{
        form::{input_name, kept_value, message_for, Confirm, Field, FormErrorSummary},
        format, loaded,
        table::PositionPager,
    },
    program::Position,
};

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let params = use_query_map();
    let position = Memo::new(move |_| params.with(|p| Position::from_params(|k| p.get(k))));
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = page_data(
        move || {
            (
                position.get(),
                create.version().get(),
                revoke.version().get(),
            )
        },
        |(position, _, _)| get_api_keys(Some(position)),
    );
    let revoked = move || {
        matches!(revoke.value().get(), Some(Ok(())))
            || params.read().get("done").as_deref() == Some("revoked")
    };
    let created = Signal::derive(move || create.value().get().and_then(Result::ok));
    view! {
        <Title text="API keys" />
        <header class="page-header">
            <h1>"API keys"</h1>
            <p class="muted">
                "Keys let your systems use the partner API, each with only the scopes it needs. "
                "Send a key in the " <code>"Authorization: Bearer"</code> " header, never in a URL; "
                "or trade it at " <code>"POST /oauth/token"</code> " for a token that lasts an hour."
            </p>
        </header>
        {move || revoked().then(|| view! { <p class="form-ok" role="status">"The key is revoked: it stopped working at once."</p> })}
        <FormErrorSummary error=Signal::derive(move || revoke.value().get().and_then(Result::err)) />
        {loaded(keys, move |page: ApiKeysPage| view! { <KeysView page created create revoke /> })}
    }
}

#[component]
fn KeysView(
    page: ApiKeysPage,
    created: Signal<Option<CreatedKey>>,
    create: ServerAction<CreateApiKey>,
    revoke: ServerAction<RevokeApiKey>,
) -> impl IntoView {
    let ApiKeysPage {
        keys,
        links,
        active,
        created: posted,
    } = page;
    let body = if keys.is_empty() {
        view! { <p class="empty">"No keys yet. Make one below for each system that will use the API."</p> }
            .into_any()
    } else {
        let rows = keys
            .into_iter()
            .map(|key| view! { <KeyRow key revoke /> })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" data-testid="api-keys">
                    <caption class="visually-hidden">"API keys"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Key"</th>
                            <th scope="col">"Scopes"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Last used"</th>
                            <th scope="col">"Expires"</th>
                            <th scope="col">"State"</th>
                            <th scope="col"><span class="visually-hidden">"Revoke"</span></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let in_use = format!("{} of {ACTIVE_KEYS_MAX} keys in use", format::count(active));
    view! {
        {move || created.get().or_else(|| posted.clone()).map(|key| view! { <NewSecret key /> })}
        {body}
        <PositionPager label="Key pages" path="/partner/api-keys" links position=in_use />
        <NewKeyForm action=create />
    }
}

/// The secret of the key just made: the only time it is shown.
#[component]
fn NewSecret(key: CreatedKey) -> impl IntoView {
    view! {
        <section class="card new-secret" aria-labelledby="new-key-title" role="status">
            <h2 id="new-key-title">{format!("Your new key \u{201c}{}\u{201d}", key.name)}</h2>
            <p>"Copy it now and keep it somewhere safe: it is not shown again, and the portal keeps only a hash of it."</p>
            <label for="new-key-secret">"Secret"</label>
            <input id="new-key-secret" data-testid="new-key-secret" class="secret" type="text" readonly
                value=key.secret spellcheck="false" autocomplete="off" />
            <p class="muted">
                {format!("It works until {}. For OAuth client credentials its client id is ", format::date_time(key.expires_at))}
                <code data-testid="new-key-id">{key.id.to_string()}</code>"."
            </p>
        </section>
    }
}

#[component]
fn KeyRow(key: ApiKeyRow, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let ApiKeyRow {
        id,
        name,
        shown,
        scopes,
        created_by,
        created_at,
        expires_at,
        last_used_at,
        last_used_from,
        state,
    } = key;
    let scopes = scopes
        .iter()
        .map(|s| s.slug())
        .collect::<Vec<_>>()
        .join(", ");
    let created = match created_by {
        Some(by) => format!("{} by {by}", format::date(created_at)),
        None => format::date(created_at),
    };
    let used = match (last_used_at, last_used_from) {
        (Some(at), Some(from)) => format!("{} from {from}", format::date_time(at)),
        (Some(at), None) => format::date_time(at),
        _ => "Never".to_string(),
    };
    let control = (state == KeyState::Active).then(|| {
        let confirm_label = format!("Yes, revoke {name}: whatever uses it stops working at once.");
        view! {
            <details class="row-confirm">
                <summary>{format!("Revoke {name}…")}</summary>
                <ActionForm action=revoke>
                    <input type="hidden" name=input_name("key_id") value=id.to_string() />
                    <Confirm id=format!("revoke-{id}") label=confirm_label
                        error=Signal::derive(move || revoke.value().get().and_then(Result::err)) />
                    <button type="submit" class="button button-small button-danger">"Revoke"</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <tr data-state=state.label()>
            <th scope="row">{name}</th>
            <td><code>{shown}"…"</code><br /><span class="muted">"id "<code>{id.to_string()}</code></span></td>
            <td>{scopes}</td>
            <td>{created}</td>
            <td>{used}</td>
            <td>{format::date(expires_at)}</td>
            <td>{state.label()}</td>
            <td>{control}</td>
        </tr>
    }
}

#[component]
fn NewKeyForm(action: ServerAction<CreateApiKey>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let scope_boxes = move || {
        let kept = kept_value(error.get(), "scopes");
        ApiScope::ALL
            .into_iter()
            .enumerate()
            .map(|(n, scope)| {
                let id = format!("scope-{}", scope.slug().replace(':', "-"));
                let checked = kept.split(' ').any(|s| s == scope.slug());
                view! {
                    <div class="field field-check">
                        <input id=id.clone() type="checkbox" name=format!("input[scopes][{n}]")
                            value=scope.slug() checked=checked />
                        <label for=id><code>{scope.slug()}</code>" \u{2014} "{scope.describe()}</label>
                    </div>
                }
            })
            .collect_view()
    };
    let lifetimes = move || {
        let kept = kept_value(error.get(), "days");
        let picked = kept.parse().unwrap_or(DEFAULT_DAYS);
        LIFETIMES
            .into_iter()
            .map(|days| view! { <option value=days.to_string() selected=days == picked>{format!("{days} days")}</option> })
            .collect_view()
    };
    view! {
        <section class="card narrow" aria-labelledby="new-key-form-title">
            <h2 id="new-key-form-title">"Make a key"</h2>
            <ActionForm action attr:novalidate="true">
                <FormErrorSummary error />
                <Field name="name" label="Name" required=true max=Some(60) autocomplete=Some("off")
                    hint=Some("What will use it, such as \u{201c}CRM sync\u{201d}.")
                    value=Signal::derive(move || kept_value(error.get(), "name"))
                    message=Signal::derive(move || message_for(error.get(), "name")) />
                <fieldset class="field"
                    aria-describedby=move || message_for(error.get(), "scopes").map(|_| "scopes-error")>
                    <legend>"Scopes *"</legend>
                    {scope_boxes}
                    {move || message_for(error.get(), "scopes").map(|m| view! { <p class="field-error" id="scopes-error">{m}</p> })}
                </fieldset>
                <div class="field">
                    <label for="days">"Expires after"</label>
                    <select id="days" name=input_name("days")
                        aria-invalid=move || message_for(error.get(), "days").is_some().to_string()>{lifetimes}</select>
                    {move || message_for(error.get(), "days").map(|m| view! { <p class="field-error" id="days-error">{m}</p> })}
                    <p class="help">"The owner is e-mailed a week before it expires."</p>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button" disabled=move || action.pending().get()>"Make key"</button>
                </div>
            </ActionForm>
        </section>
    }
}
