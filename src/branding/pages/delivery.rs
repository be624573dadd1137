//! The pieces every page uses to wear the published brand: its `<style>`, title and
//! favicon, the header's mark, the sign-in heading and the support footer.

use leptos::prelude::*;
use leptos_meta::{Link, Title};

use crate::branding::model::Brand;
use crate::page_data::PageData;

/// The published brand of the page being shown (`None`: the vendor's own look).
#[derive(Clone, Copy)]
pub struct PageBrand(pub PageData<Option<Brand>>);

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
