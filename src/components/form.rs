//! Form pieces: a labelled field with its hint and message, the confirmation a destructive
//! action needs, the value kept after an error, and the summary at the top of a form.

use leptos::prelude::*;

use crate::error::AppError;

/// The message for `field` in `error`, as the paragraph shown under the field.
pub fn field_error(error: Option<AppError>, field: &'static str) -> Option<impl IntoView> {
    let message = message_for(error, field)?;
    Some(view! { <p class="field-error" id=format!("{field}-error")>{message}</p> })
}

/// The name a form control posts under: `input[field]`, a field of the one input struct
/// that form server functions take (Leptos decodes nested names into it).
pub fn input_name(field: &str) -> String {
    format!("input[{field}]")
}

/// What the person typed into `field` before the error, so that nothing is lost.
pub fn kept_value(error: Option<AppError>, field: &str) -> String {
    error
        .and_then(|e| e.fields().and_then(|f| f.kept(field).map(str::to_string)))
        .unwrap_or_default()
}

/// The message at the top of a form: the form-level message, or a pointer to the fields.
#[component]
pub fn FormErrorSummary(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            let message = match e.fields() {
                Some(fields) if fields.form.is_none() => e.to_string(),
                Some(fields) => fields.form.clone().unwrap_or_default(),
                None => e.to_string(),
            };
            view! { <p class="form-error" role="alert">{message}</p> }
        })
    }
}

/// After an action that changes who the visitor is (sign-in, sign-out, joining, ending an
/// impersonation), load the answer's page afresh: every part of the page then starts from
/// the new identity. Without JavaScript the server redirects the form post instead.
pub fn reload_on_success<A>(action: ServerAction<A>)
where
    A: leptos::server_fn::ServerFn<Output = String, Error = AppError>
        + Clone
        + Send
        + Sync
        + 'static,
    A::Output: Send + Sync + 'static,
{
    Effect::new(move || {
        if let Some(Ok(destination)) = action.value().get() {
            let _ = window().location().set_href(&destination);
        }
    });
}

/// The message for `field` in `error`, if any.
pub fn message_for(error: Option<AppError>, field: &str) -> Option<String> {
    Some(error?.fields()?.message(field)?.to_string())
}

/// A labelled text field (or text area): its hint and its message are linked to the control
/// with `aria-describedby`, the message also marks it `aria-invalid`, and `value` keeps
/// what was typed. It posts as `input[name]` (see [`input_name`]).
#[component]
pub fn Field(
    /// The field's name in the input struct; also its id.
    name: &'static str,
    label: &'static str,
    /// The message shown under the field.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// What the field shows: the current value, or what was typed before an error.
    #[prop(optional, into)]
    value: Signal<String>,
    #[prop(default = None)] max: Option<usize>,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    /// The input type (`text` unless set).
    #[prop(default = None)]
    kind: Option<&'static str>,
    #[prop(default = None)] hint: Option<&'static str>,
    #[prop(default = None)] autocomplete: Option<&'static str>,
    /// Called with the text as it is typed (live checks).
    #[prop(optional)]
    on_input: Option<Callback<String>>,
) -> impl IntoView {
    let hint_id = format!("{name}-help");
    let error_id = format!("{name}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                message.get().map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || message.get().is_some().to_string();
    let typed = move |ev| {
        if let Some(on_input) = on_input {
            on_input.run(event_target_value(&ev));
        }
    };
    let control = if multiline {
        view! {
            <textarea id=name name=input_name(name) rows="4" maxlength=max required=required
                aria-invalid=invalid aria-describedby=described
                on:input=typed prop:value=value>{value.get_untracked()}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=name name=input_name(name) type=kind.unwrap_or("text") maxlength=max
                required=required autocomplete=autocomplete
                aria-invalid=invalid aria-describedby=described
                on:input=typed value=value.get_untracked() prop:value=value />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=name>{label} {required.then_some(" *")}</label>
            {control}
            {hint.map(|h| view! { <p class="help" id=hint_id>{h}</p> })}
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// The check box a destructive action needs before it runs. The server function refuses
/// without it as well (`input[confirm]=yes`), so neither a stray click nor a replayed post can
/// change anything.
#[component]
pub fn Confirm(
    /// The element id (unique on the page).
    #[prop(into)]
    id: String,
    /// What the person confirms, in plain words.
    #[prop(into)]
    label: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    let message = move || message_for(error.get(), "confirm");
    view! {
        <div class="field field-check confirm">
            <input id=id.clone() name="input[confirm]" type="checkbox" value="yes" required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=move || message().map(|_| described.clone()) />
            <label for=id>{label}</label>
            {move || message().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}
