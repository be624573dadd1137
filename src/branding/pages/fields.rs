//! The editor's fields: colors with their contrast warning, text, images and uploads, and
//! what the sanitizer removed from the custom CSS.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::branding::model::{
    contrast_warning, parse_color, AssetKind, AssetRow, BrandInput, CheckedCss,
};
use crate::{
    components::form::{field_error, input_name},
    error::AppError,
};

/// One color: a hex text field (works without JavaScript), a picker once the page is live,
/// and the contrast warning for the primary and secondary colors.
#[component]
pub(super) fn ColorField(
    field: &'static str,
    form: RwSignal<BrandInput>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let label = match field {
        "primary_color" => "Primary",
        "secondary_color" => "Secondary",
        "success_color" => "Success",
        "warning_color" => "Warning",
        _ => "Error",
    };
    let value = move || form.with(|f| f.get(field).to_string());
    let set = move |text: String| form.update(|f| f.set(field, text));
    let warns = matches!(field, "primary_color" | "secondary_color");
    let warning_id = format!("{field}-contrast");
    let warning_id2 = warning_id.clone();
    let warning = move || warns.then(|| contrast_warning(&value())).flatten();
    let picker_label = format!("{label} color picker");
    view! {
        <div class="field color-field">
            <label for=field>{label}</label>
            <div class="color-inputs">
                <input type="color" class="js-only" aria-label=picker_label tabindex="-1"
                    prop:value=move || parse_color(&value()).unwrap_or_else(|_| "#000000".into())
                    on:input=move |ev| set(event_target_value(&ev)) />
                <input id=field name=input_name(field) type="text" inputmode="text" autocomplete="off"
                    size="8" maxlength="7" pattern="#[0-9a-fA-F]{6}"
                    prop:value=value value=form.with_untracked(|f| f.get(field).to_string())
                    aria-describedby=move || warning().map(|_| warning_id.clone())
                    on:input=move |ev| set(event_target_value(&ev)) />
            </div>
            {move || field_error(error.get(), field)}
            {move || warning().map(|w| view! { <p class="field-warning" id=warning_id2.clone() role="status" data-testid="contrast-warning">{w}</p> })}
        </div>
    }
}

#[component]
pub(super) fn TextField(
    field: &'static str,
    label: &'static str,
    kind: &'static str,
    form: RwSignal<BrandInput>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=field>{label}</label>
            <input id=field name=input_name(field) type=kind
                value=form.with_untracked(|f| f.get(field).to_string())
                prop:value=move || form.with(|f| f.get(field).to_string())
                on:input=move |ev| form.update(|f| f.set(field, event_target_value(&ev)))
                aria-invalid=move || error.get().and_then(|e| e.fields().and_then(|f| f.message(field).map(|_| "true"))) />
            {move || field_error(error.get(), field)}
        </div>
    }
}

/// An image: one of the partner's uploads of this kind, or an https URL.
#[component]
pub(super) fn ImageField(
    kind: AssetKind,
    form: RwSignal<BrandInput>,
    assets: Vec<AssetRow>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field: &'static str = kind.slug();
    let url_field: &'static str = match kind {
        AssetKind::Logo => "logo_url",
        AssetKind::Favicon => "favicon_url",
        AssetKind::Background => "background_url",
    };
    let selected = move || form.with(|f| f.get(field).to_string());
    let options = assets
        .into_iter()
        .filter(|a| a.kind == kind)
        .map(|a| {
            let id = a.id.to_string();
            let id2 = id.clone();
            view! {
                <option value=id selected=move || selected() == id2>
                    {format!("{} ({}×{})", a.file_name, a.width, a.height)}
                </option>
            }
        })
        .collect_view();
    let url_label = format!("{} URL (https)", kind.label());
    view! {
        <div class="field">
            <label for=field>{kind.label()}</label>
            <select id=field name=input_name(field) on:change=move |ev| form.update(|f| f.set(field, event_target_value(&ev)))>
                <option value="" selected=move || selected().is_empty()>"No upload"</option>
                {options}
            </select>
            {move || field_error(error.get(), field)}
        </div>
        <div class="field">
            <label for=url_field>{url_label}</label>
            <input id=url_field name=input_name(url_field) type="url" placeholder="https://"
                value=form.with_untracked(|f| f.get(url_field).to_string())
                prop:value=move || form.with(|f| f.get(url_field).to_string())
                on:input=move |ev| form.update(|f| f.set(url_field, event_target_value(&ev))) />
            {move || field_error(error.get(), url_field)}
        </div>
    }
}

/// Uploading an image: a plain multipart form, with or without JavaScript.
#[component]
pub(super) fn Uploads(assets: Vec<AssetRow>) -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("upload_error");
    let uploaded = move || query.read().get("uploaded").is_some();
    let count = assets.len();
    view! {
        <section class="card" id="assets" aria-labelledby="uploads-title">
            <h2 id="uploads-title">"Upload an image"</h2>
            <p class="field-help">"PNG, JPEG, WebP or ICO. Logo up to 1 MB and 2000×2000 pixels, favicon up to 256 KB and 512×512, sign-in background up to 3 MB and 4096×4096."</p>
            {move || uploaded().then(|| view! { <p class="form-ok" role="status">"Uploaded. Pick it below and save."</p> })}
            <form method="post" action="/partner/branding/assets" enctype="multipart/form-data" class="upload-form">
                <div class="field">
                    <label for="upload-kind">"Use as"</label>
                    <select id="upload-kind" name="kind">
                        {AssetKind::ALL.into_iter().map(|k| view! { <option value=k.slug()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="upload-file">"Image file"</label>
                    <input id="upload-file" name="file" type="file" required
                        accept="image/png,image/jpeg,image/webp,image/x-icon,.ico"
                        aria-invalid=move || error().map(|_| "true")
                        aria-describedby="upload-error" />
                    {move || error().map(|e| view! { <p class="field-error" id="upload-error" role="alert">{e}</p> })}
                </div>
                <button type="submit" class="button">"Upload"</button>
            </form>
            <p class="muted">{format!("{count} image(s) uploaded.")}</p>
        </section>
    }
}

/// What the sanitizer removed from the custom CSS, line by line.
#[component]
pub(super) fn CssRemovals(css: Signal<CheckedCss>) -> impl IntoView {
    move || {
        let removed = css.with(|c| c.removed.clone());
        (!removed.is_empty()).then(|| {
            let items = removed
                .into_iter()
                .map(|r| view! { <li>{format!("Line {}: {} removed: {}", r.line, r.what, r.why)}</li> })
                .collect_view();
            view! {
                <div class="notice" role="status" data-testid="css-removed">
                    <p><strong>"Removed from your CSS"</strong></p>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}
