//! Form pieces: the message next to a field, the value kept after an error, and the summary
//! at the top of a form.

use leptos::prelude::*;

use crate::error::AppError;

/// The message for `field` in `error`, as the paragraph shown under the field.
pub fn field_error(error: Option<AppError>, field: &'static str) -> Option<impl IntoView> {
    let message = error?.fields()?.message(field)?.to_string();
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
