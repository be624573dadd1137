//! The editor's live preview of the client portal, its versions and the custom domain.

use leptos::prelude::*;

use super::Actions;
use crate::branding::{
    model::{parse_color, AssetRow, BrandInput, DomainStatus, VersionRow, VENDOR_COLORS},
    server::RestoreBranding,
};
use crate::components::{
    form::{field_error, FormErrorSummary},
    format::date_time,
};

/// The client portal and its sign-in page, dressed in the form's values.
#[component]
pub(super) fn BrandPreview(
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
            .map(|u| {
                format!(
                    "background-image:url(\"{}\")",
                    crate::branding::model::css_url(&u)
                )
            })
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
    }    .into_any()
}

#[component]
pub(super) fn Versions(
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
pub(super) fn DomainSection(domain: Option<DomainStatus>, actions: Actions) -> impl IntoView {
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
