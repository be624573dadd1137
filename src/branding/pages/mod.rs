//! `/partner/branding`, the editor with its live preview; and the pieces every page uses to
//! wear the published brand (see `delivery`).

mod delivery;
mod fields;
mod preview;

pub use delivery::{BrandFooter, BrandHead, BrandMark, PageBrand, SignInHeading};

use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::branding::{
    model::{AssetKind, AssetRow, BrandInput, BrandingEditor, CheckedCss, VENDOR_COLORS},
    server::{
        check_css, get_branding, PublishBranding, RestoreBranding, SaveBranding, SetCustomDomain,
        VerifyCustomDomain,
    },
};
use crate::page_data::page_data;
use crate::{
    components::{
        form::{field_error, input_name, FormErrorSummary},
        loaded,
    },
    error::AppError,
};
use fields::*;
use preview::*;

#[component]
pub fn BrandingPage() -> impl IntoView {
    let save = ServerAction::<SaveBranding>::new();
    let publish = ServerAction::<PublishBranding>::new();
    let restore = ServerAction::<RestoreBranding>::new();
    let domain = ServerAction::<SetCustomDomain>::new();
    let verify = ServerAction::<VerifyCustomDomain>::new();
    let data = page_data(
        move || {
            (
                save.version().get(),
                publish.version().get(),
                restore.version().get(),
                domain.version().get(),
                verify.version().get(),
            )
        },
        |_| get_branding(),
    );
    let actions = Actions {
        save,
        publish,
        restore,
        domain,
        verify,
    };
    view! {
        <Title text="Branding" />
        <header class="page-header">
            <h1>"Branding"</h1>
            <p class="muted">"How your clients see their portal, its sign-in page and your e-mails."</p>
        </header>
        {loaded(data, move |editor: BrandingEditor| {
            if editor.eligibility.white_label {
                view! { <Editor editor actions /> }.into_any()
            } else {
                view! { <Locked editor /> }.into_any()
            }
        })}
    }
}

#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub(super) save: ServerAction<SaveBranding>,
    pub(super) publish: ServerAction<PublishBranding>,
    pub(super) restore: ServerAction<RestoreBranding>,
    pub(super) domain: ServerAction<SetCustomDomain>,
    pub(super) verify: ServerAction<VerifyCustomDomain>,
}

/// Bronze and Silver (or switched off): what unlocks white-label.
#[component]
fn Locked(editor: BrandingEditor) -> impl IntoView {
    let why = if editor.eligibility.switched_by_admin {
        "The program team has turned white-label off for your partner account. Contact them if you need it.".to_string()
    } else {
        format!(
            "White-label is part of the Gold and Platinum tiers; you are {}. Reach 25 active clients at a monthly close to move up to Gold, and 50 for Platinum, which adds custom CSS.",
            editor.eligibility.tier_label
        )
    };
    view! {
        <section class="card notice" data-testid="branding-locked">
            <h2>"White-label is not available yet"</h2>
            <p>{why}</p>
            <p>"Until then your clients see the Partner Portal's own look, with your company as their provider."</p>
        </section>
    }
}

#[component]
fn Editor(editor: BrandingEditor, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let previewing = query.read_untracked().get("preview").is_some();
    let save_error = Signal::derive(move || actions.save.value().get().and_then(Result::err));
    // Start from what was typed (a preview, or a failed save), else the newest version.
    let start = match save_error.get_untracked() {
        Some(AppError::Validation(errors)) => {
            BrandInput::from_pairs(|f| errors.kept(f).map(String::from))
        }
        _ if previewing => BrandInput::from_pairs(|f| query.read_untracked().get(&input_name(f))),
        _ => editor.current.clone(),
    };
    let form = RwSignal::new(start);
    let assets = StoredValue::new(editor.assets.clone());
    let custom_css_allowed = editor.eligibility.custom_css;

    // With JavaScript, the CSS is checked on the server each time the partner leaves the field;
    // until then it is the newest version's, as the server checked it.
    let check = Action::new(move |source: &String| check_css(source.clone()));
    let saved_css = editor.css.clone();
    let css = Signal::derive(move || {
        check
            .value()
            .get()
            .and_then(Result::ok)
            .unwrap_or_else(|| saved_css.clone())
    });

    let on_submit = move |ev: SubmitEvent| {
        let previewing = ev
            .submitter()
            .and_then(|b| b.get_attribute("name"))
            .is_some_and(|n| n == "preview");
        if previewing {
            // A plain GET: the server renders the preview (the same as the live one).
            return;
        }
        ev.prevent_default();
        match SaveBranding::from_event(&ev) {
            Ok(input) => {
                actions.save.dispatch(input);
            }
            Err(error) => leptos::logging::error!("{error}"),
        }
    };

    let status = move || {
        // With JavaScript the actions' answers say what happened; without, the redirect's query.
        let answered = |action: Option<Result<i32, AppError>>| {
            action.and_then(Result::ok).map(|n| n.to_string())
        };
        let q = query.read();
        if let Some(n) = answered(actions.publish.value().get()).or_else(|| q.get("published")) {
            Some(format!("Version {n} is live."))
        } else if let Some(n) =
            answered(actions.restore.value().get()).or_else(|| q.get("restored"))
        {
            Some(format!("Restored as version {n}, a draft."))
        } else {
            answered(actions.save.value().get())
                .or_else(|| q.get("saved"))
                .map(|n| {
                    format!("Saved as version {n}, a draft. Publish it to show it to your clients.")
                })
        }
    };
    let newest = editor.newest_version;
    let published = editor.published_version;
    let publish_form = newest.filter(|n| Some(*n) != published).map(|n| {
        view! {
            <ActionForm action=actions.publish attr:class="inline-form">
                <input type="hidden" name="version" value=n />
                <button type="submit" class="button" data-testid="publish-newest">{format!("Publish version {n}")}</button>
            </ActionForm>
        }
    });

    view! {
        {move || status().map(|s| view! { <p class="form-ok" role="status">{s}</p> })}
        {previewing.then(|| view! { <p class="notice" role="status">"Previewing your changes: they are not saved yet."</p> })}
        <div class="branding-layout">
            <div class="branding-form">
                <Uploads assets=editor.assets.clone() />
                <form
                    method="post"
                    action=SaveBranding::url()
                    on:submit=on_submit
                    class="card"
                    aria-labelledby="brand-form-title"
                >
                    <h2 id="brand-form-title">"Look and content"</h2>
                    <FormErrorSummary error=save_error />
                    <ColorsAndImages form assets error=save_error />
                    <ContentFields form error=save_error />
                    <CssFields form allowed=custom_css_allowed check css error=save_error />
                    <div class="form-actions">
                        <button type="submit" class="button" disabled=move || actions.save.pending().get()>"Save draft"</button>
                        <button type="submit" class="button button-quiet" name="preview" value="1"
                            formmethod="get" formaction="/partner/branding" formnovalidate>"Preview"</button>
                    </div>
                </form>
            </div>
            <aside class="branding-preview" aria-label="Preview">
                <h2>"Preview"</h2>
                <p class="muted">"What your clients see, updated as you type."</p>
                <BrandPreview form assets=editor.assets.clone() css=Signal::derive(move || css.with(|c| c.css.clone())) />
            </aside>
        </div>
        <section class="card" aria-labelledby="versions-title">
            <div class="section-header">
                <h2 id="versions-title">"Versions"</h2>
                {publish_form}
            </div>
            <Versions versions=editor.versions.clone() newest restore=actions.restore />
        </section>
        <DomainSection domain=editor.domain.clone() actions />
    }
    .into_any()
}

// The form's sections are components of their own, each read on its own. (Splitting the one
// large view did not make the page's WebAssembly smaller: 610 KB gzip before and after.)

#[component]
fn ColorsAndImages(
    form: RwSignal<BrandInput>,
    assets: StoredValue<Vec<AssetRow>>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Colors"</legend>
            {VENDOR_COLORS.iter().map(|(field, _)| view! { <ColorField field form error /> }).collect_view()}
        </fieldset>
        <fieldset>
            <legend>"Images"</legend>
            {AssetKind::ALL.into_iter().map(|kind| view! { <ImageField kind form assets=assets.get_value() error /> }).collect_view()}
        </fieldset>
    }
    .into_any()
}

#[component]
fn ContentFields(form: RwSignal<BrandInput>, error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <fieldset>
            <legend>"Content"</legend>
            <TextField field="company_name" label="Company name" kind="text" form error />
            <TextField field="support_email" label="Support e-mail" kind="email" form error />
            <TextField field="support_phone" label="Support phone" kind="tel" form error />
            <TextField field="terms_url" label="Terms URL" kind="url" form error />
            <TextField field="privacy_url" label="Privacy URL" kind="url" form error />
        </fieldset>
    }
    .into_any()
}

/// The stylesheet: read-only below Platinum; with JavaScript, checked on the server each
/// time the partner leaves the field.
#[component]
fn CssFields(
    form: RwSignal<BrandInput>,
    allowed: bool,
    check: Action<String, Result<CheckedCss, AppError>>,
    css: Signal<CheckedCss>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let help = if allowed {
        "Applies inside your clients' portal only. It is rebuilt from what is allowed: no @import, no fonts from elsewhere, and url() only for images you uploaded."
    } else {
        "Custom CSS is part of the Platinum tier (50 active clients)."
    };
    view! {
        <fieldset>
            <legend>"Custom CSS"</legend>
            <p class="field-help" id="custom_css-help" data-testid=(!allowed).then_some("css-locked")>{help}</p>
            <div class="field">
                <label for="custom_css">"Stylesheet"</label>
                <textarea
                    id="custom_css"
                    name="input[custom_css]"
                    rows="8"
                    spellcheck="false"
                    class="code"
                    aria-describedby="custom_css-help"
                    readonly=!allowed
                    prop:value=move || form.with(|f| f.custom_css.clone())
                    on:input=move |ev| form.update(|f| f.custom_css = event_target_value(&ev))
                    on:change=move |ev| { check.dispatch(event_target_value(&ev)); }
                >{form.with_untracked(|f| f.custom_css.clone())}</textarea>
                {move || field_error(error.get(), "custom_css")}
            </div>
            <CssRemovals css />
        </fieldset>
    }
    .into_any()
}
