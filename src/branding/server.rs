//! Server functions of the branding editor and of white-label delivery.

use leptos::prelude::*;

use super::model::{Brand, BrandKey, BrandingEditor, CheckedCss};
use crate::error::AppError;

/// Everything the editor shows: the newest version's values, the versions, the uploads, the
/// custom domain, and whether the partner's tier allows white-label and custom CSS.
#[server(endpoint = "partner/branding")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_branding() -> Result<BrandingEditor, AppError> {
    use super::{
        css::sanitize,
        model::{BrandInput, PREVIEW_ROOT, VENDOR_COLORS},
        queries,
    };
    use crate::{
        auth::{model::Perm, require},
        state::{pool, settings},
    };

    let me = require(Perm::Branding).await?;
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let pool = pool()?;
    let info = queries::partner_info(&pool, partner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let versions = queries::versions(&pool, partner_id).await?;
    let assets = queries::assets(&pool, partner_id).await?;
    let newest = queries::version_input(&pool, partner_id, None).await?;
    let current = match &newest {
        Some((_, input)) => input.clone(),
        None => {
            let vendor = |field: &str| {
                VENDOR_COLORS
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, c)| c.to_string())
            };
            BrandInput {
                company_name: info.name.clone(),
                ..BrandInput::from_pairs(vendor)
            }
        }
    };
    let urls: Vec<String> = assets.iter().map(|a| a.url.clone()).collect();
    let css = sanitize(&current.custom_css, PREVIEW_ROOT, &urls);
    Ok(BrandingEditor {
        partner_name: info.name,
        slug: info.slug,
        eligibility: info.eligibility,
        newest_version: newest.as_ref().map(|(n, _)| *n),
        published_version: versions.iter().find(|v| v.is_published).map(|v| v.number),
        current,
        versions,
        assets,
        domain: queries::domain(&pool, partner_id, &settings()?.domains.cname_target).await?,
        css,
    })
}

/// The partner's custom CSS as the preview will apply it, and what was removed from it.
#[server(endpoint = "partner/branding/check-css")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(css)))]
pub async fn check_css(css: String) -> Result<CheckedCss, AppError> {
    use super::{
        css::sanitize,
        model::{MAX_CSS_BYTES, PREVIEW_ROOT},
        queries,
    };
    use crate::{
        auth::{model::Perm, require},
        error::FieldErrors,
        state::pool,
    };

    let me = require(Perm::Branding).await?;
    let pool = pool()?;
    let (partner_id, _) = white_label_partner(&pool, &me).await?;
    if css.len() > MAX_CSS_BYTES {
        return Err(FieldErrors::one(
            "custom_css",
            format!("Custom CSS is limited to {MAX_CSS_BYTES} bytes."),
        ));
    }
    let urls = queries::asset_urls(&pool, partner_id).await?;
    Ok(sanitize(&css, PREVIEW_ROOT, &urls))
}

/// Saves the form as a new draft version; returns its number.
#[server(endpoint = "partner/branding/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn save_branding(input: super::model::BrandInput) -> Result<i32, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::redirect_plain_form,
    };

    let me = require(Perm::Branding).await?;
    let number = super::changes::save(&me, &input, None).await?;
    redirect_plain_form(&format!("/partner/branding?saved={number}"));
    Ok(number)
}

/// Makes a saved version the live brand. Audited.
#[server(endpoint = "partner/branding/publish")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn publish_branding(version: i32) -> Result<i32, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::redirect_plain_form,
    };

    let me = require(Perm::Branding).await?;
    super::changes::publish(&me, version, None).await?;
    redirect_plain_form(&format!("/partner/branding?published={version}"));
    Ok(version)
}

/// Copies an earlier version as a new draft; returns the new version's number.
#[server(endpoint = "partner/branding/restore")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn restore_branding(version: i32) -> Result<i32, AppError> {
    use super::queries;
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        state::{pool, redirect_plain_form},
    };

    let me = require(Perm::Branding).await?;
    let pool = pool()?;
    let (partner_id, _) = white_label_partner(&pool, &me).await?;
    let mut tx = pool.begin().await?;
    let number = queries::restore(&mut tx, partner_id, version, me.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::BrandingRestored)
            .detail(serde_json::json!({ "version": number, "restored_from": version })),
    )
    .await?;
    tx.commit().await?;
    redirect_plain_form(&format!("/partner/branding?restored={number}"));
    Ok(number)
}

/// Sets the custom domain (empty removes it). A new domain starts unverified with a new token.
#[server(endpoint = "partner/branding/domain")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(domain)))]
pub async fn set_custom_domain(domain: String) -> Result<(), AppError> {
    use super::{domain::parse_domain, queries};
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        error::{FieldErrors, ResultExt},
        program::token,
        state::{pool, redirect_plain_form},
    };

    let me = require(Perm::Branding).await?;
    let domain = match domain.trim() {
        "" => None,
        text => Some(parse_domain(text).map_err(|message| {
            match FieldErrors::one("domain", message) {
                AppError::Validation(e) => AppError::Validation(e.keep("domain", text)),
                other => other,
            }
        })?),
    };
    let pool = pool()?;
    let (partner_id, _) = white_label_partner(&pool, &me).await?;
    let (new_token, _) = token::new_token();
    let mut tx = pool.begin().await?;
    queries::set_domain(&mut tx, partner_id, domain.as_deref(), &new_token)
        .await
        .on_constraint("partner_domains_domain_key", |_| {
            FieldErrors::one("domain", "Another partner already uses this domain.")
        })?;
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::CustomDomainSet)
            .detail(serde_json::json!({ "domain": domain })),
    )
    .await?;
    tx.commit().await?;
    redirect_plain_form("/partner/branding#domain");
    Ok(())
}

/// Looks the domain's TXT record up; verified when it holds the token.
#[server(endpoint = "partner/branding/domain/verify")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn verify_custom_domain() -> Result<(), AppError> {
    use super::{
        domain::txt_records,
        model::{txt_record_name, txt_record_value},
        queries,
    };
    use crate::{
        audit::{self, Action, AuditEntry},
        auth::{model::Perm, require},
        error::FieldErrors,
        state::{pool, redirect_plain_form, settings},
    };

    let me = require(Perm::Branding).await?;
    let pool = pool()?;
    let (partner_id, _) = white_label_partner(&pool, &me).await?;
    let (domain, token) = queries::domain_token(&pool, partner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = txt_record_name(&domain);
    let expected = txt_record_value(&token);
    let found = match txt_records(&name, settings()?.domains.dns_server).await {
        Ok(records) => records.iter().any(|r| r.trim() == expected),
        Err(error) => {
            tracing::warn!(%error, %name, "TXT lookup failed");
            false
        }
    };
    let mut tx = pool.begin().await?;
    queries::record_check(&mut tx, partner_id, found).await?;
    let action = if found {
        Action::CustomDomainVerified
    } else {
        Action::CustomDomainCheckFailed
    };
    audit::record(
        &mut *tx,
        AuditEntry::by(&me, action).detail(serde_json::json!({ "domain": domain })),
    )
    .await?;
    tx.commit().await?;
    if !found {
        return Err(FieldErrors::one(
            "verify",
            format!("No TXT record {name} with the value {expected} was found yet. DNS changes can take a while to appear; try again later."),
        ));
    }
    redirect_plain_form("/partner/branding#domain");
    Ok(())
}

/// The published brand a page shows, or `None` for the vendor's own look. Public: sign-in
/// pages need it before anyone is signed in, and it holds nothing secret.
#[server(endpoint = "brand")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(key)))]
pub async fn page_brand(key: BrandKey) -> Result<Option<Brand>, AppError> {
    use super::queries;
    use crate::{
        auth::{guard::current_principal, model::PrincipalKind},
        program::token,
        state::pool,
    };

    let pool = pool()?;
    let partner = match key {
        BrandKey::Slug(slug) => queries::partner_by_slug(&pool, &slug).await?,
        BrandKey::Invitation(invite) => {
            queries::partner_by_invitation(&pool, &token::hash(&invite)).await?
        }
        BrandKey::Session => match current_principal().await? {
            Some(me) => match me.kind {
                PrincipalKind::ClientUser { partner_id, .. } => Some(partner_id),
                _ => None,
            },
            None => {
                let host = use_context::<http::request::Parts>().and_then(|parts| {
                    parts
                        .headers
                        .get(http::header::HOST)
                        .and_then(|h| h.to_str().ok())
                        .map(String::from)
                });
                match host {
                    Some(host) => queries::partner_by_host(&pool, &host).await?,
                    None => None,
                }
            }
        },
    };
    match partner {
        Some(partner_id) => Ok(queries::published(&pool, partner_id).await?),
        None => Ok(None),
    }
}

/// The caller's partner and its details, for a change to its brand: refused unless
/// white-label is on for it (Gold and up, or the admin switch). Every change to a brand, the
/// upload route included, goes through it.
#[cfg(feature = "ssr")]
pub async fn white_label_partner(
    pool: &sqlx::PgPool,
    me: &crate::auth::model::Principal,
) -> Result<(uuid::Uuid, super::queries::PartnerBrandInfo), AppError> {
    let partner_id = me.partner_id().ok_or(AppError::Forbidden)?;
    let info = super::queries::partner_info(pool, partner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !info.eligibility.white_label {
        return Err(AppError::Forbidden);
    }
    Ok((partner_id, info))
}
