//! `/partner/branding`, the editor with its live preview; and the pieces every page uses to
//! wear the published brand (its `<style>`, the header's mark, the support footer).

use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};
use leptos_meta::{Link, Title};
use leptos_router::hooks::use_query_map;

use super::{
    model::{
        contrast_warning, parse_color, AssetKind, AssetRow, Brand, BrandInput, BrandingEditor,
        CheckedCss, DomainStatus, VersionRow, VENDOR_COLORS,
    },
    server::{
        check_css, get_branding, PublishBranding, RestoreBranding, SaveBranding, SetCustomDomain,
        VerifyCustomDomain,
    },
};
use crate::{
    components::{
        form::{field_error, FormErrorSummary},
        format::date_time,
        loaded,
    },
    error::AppError,
};

/// The published brand of the page being shown (`None`: the vendor's own look).
#[derive(Clone, Copy)]
pub struct PageBrand(pub Resource<Option<Brand>>);

/// The brand's `<style>`, title and favicon, rendered once the brand is known.
#[component]
pub fn BrandHead() -> impl IntoView {
    let brand = expect_context::<PageBrand>().0;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                brand.await.map(|brand| {
                    let company = brand.company_name.clone();
                    view! {
                        <style data-brand-style inner_html=brand.stylesheet()></style>
                        <Title formatter=move |title: String| {
                            if title.is_empty() { company.clone() } else { format!("{title} · {company}") }
                        } />
                        {brand.favicon_url.clone().map(|href| view! { <Link rel="icon" href=href /> })}
                    }
                })
            })}
        </Transition>
    }
}

/// The header's mark: the brand's logo and company name, or the vendor's.
#[component]
pub fn BrandMark() -> impl IntoView {
    let brand = expect_context::<PageBrand>().0;
    let vendor = || {
        view! {
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "Partner Portal"
            </a>
        }
    };
    view! {
        <Transition fallback=vendor>
            {move || Suspend::new(async move {
                match brand.await {
                    Some(brand) => view! {
                        <a class="brand" href="/app" data-testid="brand-mark">
                            {brand.logo_url.clone().map(|src| view! { <img class="brand-logo" src=src alt="" /> })}
                            {brand.company_name.clone()}
                        </a>
                    }.into_any(),
                    None => vendor().into_any(),
                }
            })}
        </Transition>
    }
}

/// Support contacts, terms and privacy links under a branded page.
#[component]
pub fn BrandFooter() -> impl IntoView {
    let brand = expect_context::<PageBrand>().0;
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                brand.await.map(|brand| view! {
                    <footer class="brand-footer" data-testid="brand-footer">
                        <span>{brand.company_name.clone()}</span>
                        {brand.support_email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                        {brand.support_phone.clone().map(|p| view! { <a href=format!("tel:{}", p.replace(' ', ""))>{p.clone()}</a> })}
                        {brand.terms_url.clone().map(|u| view! { <a href=u rel="noopener">"Terms"</a> })}
                        {brand.privacy_url.clone().map(|u| view! { <a href=u rel="noopener">"Privacy"</a> })}
                    </footer>
                })
            })}
        </Transition>
    }
}

/// The sign-in page's heading: "Sign in to <company>" with the logo, when branded.
#[component]
pub fn SignInHeading() -> impl IntoView {
    let brand = expect_context::<PageBrand>().0;
    let plain = || view! { <h1 id="login-title">"Sign in"</h1> };
    view! {
        <Transition fallback=plain>
            {move || Suspend::new(async move {
                match brand.await {
                    Some(brand) => view! {
                        {brand.logo_url.clone().map(|src| view! { <img class="login-logo" src=src alt="" /> })}
                        <h1 id="login-title">"Sign in to " {brand.company_name.clone()}</h1>
                    }.into_any(),
                    None => plain().into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn BrandingPage() -> impl IntoView {
    let save = ServerAction::<SaveBranding>::new();
    let publish = ServerAction::<PublishBranding>::new();
    let restore = ServerAction::<RestoreBranding>::new();
    let domain = ServerAction::<SetCustomDomain>::new();
    let verify = ServerAction::<VerifyCustomDomain>::new();
    let data = Resource::new(
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
struct Actions {
    save: ServerAction<SaveBranding>,
    publish: ServerAction<PublishBranding>,
    restore: ServerAction<RestoreBranding>,
    domain: ServerAction<SetCustomDomain>,
    verify: ServerAction<VerifyCustomDomain>,
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
        _ if previewing => BrandInput::from_pairs(|f| query.read_untracked().get(f)),
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
                    <fieldset>
                        <legend>"Colors"</legend>
                        {VENDOR_COLORS.iter().map(|(field, _)| view! { <ColorField field form error=save_error /> }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"Images"</legend>
                        {AssetKind::ALL.into_iter().map(|kind| view! { <ImageField kind form assets=assets.get_value() error=save_error /> }).collect_view()}
                    </fieldset>
                    <fieldset>
                        <legend>"Content"</legend>
                        <TextField field="company_name" label="Company name" kind="text" form error=save_error />
                        <TextField field="support_email" label="Support e-mail" kind="email" form error=save_error />
                        <TextField field="support_phone" label="Support phone" kind="tel" form error=save_error />
                        <TextField field="terms_url" label="Terms URL" kind="url" form error=save_error />
                        <TextField field="privacy_url" label="Privacy URL" kind="url" form error=save_error />
                    </fieldset>
                    <fieldset>
                        <legend>"Custom CSS"</legend>
                        {if custom_css_allowed {
                            view! {
                                <p class="field-help" id="custom_css-help">
                                    "Applies inside your clients' portal only. It is rebuilt from what is allowed: no @import, no fonts from elsewhere, and url() only for images you uploaded."
                                </p>
                            }.into_any()
                        } else {
                            view! {
                                <p class="field-help" id="custom_css-help" data-testid="css-locked">
                                    "Custom CSS is part of the Platinum tier (50 active clients)."
                                </p>
                            }.into_any()
                        }}
                        <div class="field">
                            <label for="custom_css">"Stylesheet"</label>
                            <textarea
                                id="custom_css"
                                name="custom_css"
                                rows="8"
                                spellcheck="false"
                                class="code"
                                aria-describedby="custom_css-help"
                                readonly=!custom_css_allowed
                                prop:value=move || form.with(|f| f.custom_css.clone())
                                on:input=move |ev| form.update(|f| f.custom_css = event_target_value(&ev))
                                on:change=move |ev| { check.dispatch(event_target_value(&ev)); }
                            >{form.with_untracked(|f| f.custom_css.clone())}</textarea>
                            {move || field_error(save_error.get(), "custom_css")}
                        </div>
                        <CssRemovals css />
                    </fieldset>
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
}

/// One color: a hex text field (works without JavaScript), a picker once the page is live,
/// and the contrast warning for the primary and secondary colors.
#[component]
fn ColorField(
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
                <input id=field name=field type="text" inputmode="text" autocomplete="off"
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
fn TextField(
    field: &'static str,
    label: &'static str,
    kind: &'static str,
    form: RwSignal<BrandInput>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=field>{label}</label>
            <input id=field name=field type=kind
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
fn ImageField(
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
            <select id=field name=field on:change=move |ev| form.update(|f| f.set(field, event_target_value(&ev)))>
                <option value="" selected=move || selected().is_empty()>"No upload"</option>
                {options}
            </select>
            {move || field_error(error.get(), field)}
        </div>
        <div class="field">
            <label for=url_field>{url_label}</label>
            <input id=url_field name=url_field type="url" placeholder="https://"
                value=form.with_untracked(|f| f.get(url_field).to_string())
                prop:value=move || form.with(|f| f.get(url_field).to_string())
                on:input=move |ev| form.update(|f| f.set(url_field, event_target_value(&ev))) />
            {move || field_error(error.get(), url_field)}
        </div>
    }
}

/// Uploading an image: a plain multipart form, with or without JavaScript.
#[component]
fn Uploads(assets: Vec<AssetRow>) -> impl IntoView {
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
fn CssRemovals(css: Signal<CheckedCss>) -> impl IntoView {
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

/// The client portal and its sign-in page, dressed in the form's values.
#[component]
fn BrandPreview(
    form: RwSignal<BrandInput>,
    assets: Vec<AssetRow>,
    css: Signal<String>,
) -> impl IntoView {
    let assets = StoredValue::new(assets);
    let image = move |field: &str, url_field: &str| {
        form.with(|f| {
            let picked = f.get(field);
            if picked.is_empty() {
                Some(f.get(url_field).to_string()).filter(|u| u.starts_with("https://"))
            } else {
                assets.with_value(|a| {
                    a.iter()
                        .find(|a| a.id.to_string() == picked)
                        .map(|a| a.url.clone())
                })
            }
        })
    };
    // Only checked colors reach the style attribute; while one is mistyped, the vendor's stands.
    let style = move || {
        form.with(|f| {
            let mut colors = f.clone();
            for (field, vendor) in VENDOR_COLORS {
                colors.set(
                    field,
                    parse_color(f.get(field)).unwrap_or_else(|_| vendor.to_string()),
                );
            }
            colors.colors().custom_properties()
        })
    };
    let background = move || {
        image("background", "background_url")
            .map(|u| format!("background-image:url(\"{}\")", super::model::css_url(&u)))
            .unwrap_or_default()
    };
    let company = move || form.with(|f| f.company_name.clone());
    let logo = move || {
        image("logo", "logo_url").map(|src| view! { <img class="brand-logo" src=src alt="" /> })
    };
    let logo2 = move || {
        image("logo", "logo_url").map(|src| view! { <img class="login-logo" src=src alt="" /> })
    };
    let email = move || form.with(|f| f.support_email.clone());
    view! {
        <div class="brand-preview" data-brand-preview style=style data-testid="brand-preview">
            <style inner_html=css></style>
            <div class="preview-portal">
                <div class="site-header preview-header">
                    <span class="brand" data-testid="preview-company">{logo} {company}</span>
                    <span class="main-nav"><a href="#preview">"My account"</a><a href="#preview">"Users"</a></span>
                </div>
                <div class="preview-body">
                    <h3>"Acme Inc"</h3>
                    <p>
                        <span class="status-badge status-active">"Active"</span> " "
                        <span class="status-badge status-suspended">"Suspended"</span>
                    </p>
                    <p class="form-ok">"Saved."</p>
                    <p class="field-error">"Enter a contact name."</p>
                    <button type="button" class="button" data-testid="preview-button" tabindex="-1">"Save contact"</button>
                    " "
                    <button type="button" class="button button-secondary" tabindex="-1">"Secondary"</button>
                </div>
                <div class="brand-footer">{company} " · " {email}</div>
            </div>
            <div class="preview-login" style=background>
                <div class="auth-card">
                    {logo2}
                    <h3>"Sign in to " {company}</h3>
                    <button type="button" class="button button-wide" tabindex="-1">"Sign in"</button>
                </div>
            </div>
        </div>
    }
}

#[component]
fn Versions(
    versions: Vec<VersionRow>,
    newest: Option<i32>,
    restore: ServerAction<RestoreBranding>,
) -> impl IntoView {
    if versions.is_empty() {
        return view! { <p class="empty">"Nothing saved yet. Save the form above to make your first draft."</p> }
            .into_any();
    }
    let rows = versions
        .into_iter()
        .map(|v| {
            let status = if v.is_published {
                "Live".to_string()
            } else if Some(v.number) == newest {
                "Draft".to_string()
            } else if v.published_at.is_some() {
                "Was live".to_string()
            } else {
                "Not published".to_string()
            };
            let published_line = match (&v.published_by, v.published_at) {
                (Some(who), Some(at)) => format!("{who}, {}", date_time(at)),
                _ => "—".to_string(),
            };
            let restored = v
                .restored_from
                .map(|n| format!(" (restored from {n})"))
                .unwrap_or_default();
            let can_restore = Some(v.number) != newest;
            let number = v.number;
            view! {
                <tr data-testid=format!("version-{number}")>
                    <th scope="row">{format!("{number}{restored}")}</th>
                    <td>{v.saved_by.clone()} ", " {date_time(v.saved_at)}</td>
                    <td>{published_line}</td>
                    <td><span class=format!("status-badge status-{}", if v.is_published { "active" } else { "pending" })>{status}</span></td>
                    <td>
                        {can_restore.then(|| view! {
                            <ActionForm action=restore attr:class="inline-form">
                                <input type="hidden" name="version" value=number />
                                <button type="submit" class="button button-small button-quiet">{format!("Restore version {number} as a draft")}</button>
                            </ActionForm>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table">
            <thead><tr><th scope="col">"Version"</th><th scope="col">"Saved"</th><th scope="col">"Published"</th><th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn DomainSection(domain: Option<DomainStatus>, actions: Actions) -> impl IntoView {
    let domain_error = Signal::derive(move || actions.domain.value().get().and_then(Result::err));
    let verify_error = Signal::derive(move || actions.verify.value().get().and_then(Result::err));
    let current = domain
        .as_ref()
        .map(|d| d.domain.clone())
        .unwrap_or_default();
    let status = domain.map(|d| {
        let verified = d.verified_at.map(date_time);
        view! {
            <dl class="domain-records">
                <dt>"CNAME"</dt><dd><code>{d.domain.clone()}</code> " → " <code data-testid="cname-target">{d.cname_target.clone()}</code></dd>
                <dt>"TXT"</dt><dd><code>{d.txt_name.clone()}</code> " = " <code data-testid="txt-value">{d.txt_value.clone()}</code></dd>
            </dl>
            {match verified {
                Some(at) => view! { <p class="form-ok" data-testid="domain-verified">{format!("Verified {at}. Clients can sign in at https://{}/login.", d.domain)}</p> }.into_any(),
                None => view! {
                    <p data-testid="domain-unverified">"Not verified yet: nothing is served branded on this domain until it is."</p>
                    <ActionForm action=actions.verify>
                        <button type="submit" class="button">"Verify"</button>
                    </ActionForm>
                    {move || field_error(verify_error.get(), "verify")}
                }.into_any(),
            }}
        }
    });
    view! {
        <section class="card" id="domain" aria-labelledby="domain-title">
            <h2 id="domain-title">"Custom domain"</h2>
            <p class="field-help">"Serve your clients' sign-in page and portal from your own domain. Point it at us with a CNAME record, then prove it is yours with a TXT record."</p>
            <ActionForm action=actions.domain>
                <FormErrorSummary error=domain_error />
                <div class="field">
                    <label for="domain">"Domain"</label>
                    <input id="domain" name="domain" type="text" placeholder="portal.yourcompany.com" value=current />
                    {move || field_error(domain_error.get(), "domain")}
                </div>
                <button type="submit" class="button button-quiet">"Save domain"</button>
            </ActionForm>
            {status}
        </section>
    }
}
