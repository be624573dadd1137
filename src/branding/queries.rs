//! SQL for brands, their versions, assets and custom domains. Every query on a partner's
//! brand takes the partner id from the caller's session.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::rules::{asset_url, eligibility};
use super::{
    input::ValidBrand,
    model::{AssetKind, AssetRow, Brand, BrandInput, Colors, Eligibility, VersionRow},
};
use crate::program::Tier;

/// The partner's name, slug and what its tier and the admin switch allow.
pub struct PartnerBrandInfo {
    pub name: String,
    pub slug: String,
    pub eligibility: Eligibility,
}

pub async fn partner_info(
    pool: &PgPool,
    partner_id: Uuid,
) -> sqlx::Result<Option<PartnerBrandInfo>> {
    let row = sqlx::query!(
        r#"select name, slug, tier as "tier: Tier", white_label_enabled, custom_css_enabled
           from partners where id = $1"#,
        partner_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|row| PartnerBrandInfo {
        name: row.name,
        slug: row.slug,
        eligibility: eligibility(row.tier, row.white_label_enabled, row.custom_css_enabled),
    }))
}

pub async fn assets(
    executor: impl PgExecutor<'_>,
    partner_id: Uuid,
) -> sqlx::Result<Vec<AssetRow>> {
    let rows = sqlx::query!(
        r#"select id, kind as "kind: AssetKind", file_name, content_type, sha256, width, height,
                  length(bytes)::bigint as "size!"
           from branding_assets where partner_id = $1 order by created_at desc"#,
        partner_id
    )
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AssetRow {
            url: asset_url(r.id, &r.sha256, &r.content_type),
            id: r.id,
            kind: r.kind,
            file_name: r.file_name,
            width: r.width,
            height: r.height,
            bytes: r.size,
        })
        .collect())
}

/// A checked upload.
pub struct NewAsset<'a> {
    pub kind: AssetKind,
    pub file_name: &'a str,
    pub content_type: &'static str,
    pub bytes: &'a [u8],
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

pub async fn insert_asset(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    by: Uuid,
    asset: &NewAsset<'_>,
) -> sqlx::Result<Uuid> {
    let id = sqlx::query_scalar!(
        "insert into branding_assets
             (partner_id, kind, file_name, content_type, bytes, sha256, width, height, uploaded_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         returning id",
        partner_id,
        asset.kind as AssetKind,
        asset.file_name,
        asset.content_type,
        asset.bytes,
        asset.sha256,
        asset.width as i32,
        asset.height as i32,
        by
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// An asset's bytes for serving: content type, checksum, bytes.
pub async fn asset_bytes(
    pool: &PgPool,
    id: Uuid,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    let row = sqlx::query!(
        "select content_type, sha256, bytes from branding_assets where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.content_type, r.sha256, r.bytes)))
}

/// The URLs of all the partner's assets: the only URLs its custom CSS may name.
pub async fn asset_urls(
    executor: impl PgExecutor<'_>,
    partner_id: Uuid,
) -> sqlx::Result<Vec<String>> {
    Ok(assets(executor, partner_id)
        .await?
        .into_iter()
        .map(|a| a.url)
        .collect())
}

/// Whether the partner has saved any version.
pub async fn has_versions(executor: impl PgExecutor<'_>, partner_id: Uuid) -> sqlx::Result<bool> {
    let found = sqlx::query_scalar!(
        "select exists (select 1 from branding_versions where partner_id = $1)",
        partner_id
    )
    .fetch_one(executor)
    .await?;
    Ok(found.unwrap_or(false))
}

pub async fn versions(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Vec<VersionRow>> {
    let rows = sqlx::query!(
        r#"select v.number, v.saved_at as "saved_at: DateTime<Utc>", v.restored_from,
                  v.is_published, v.published_at as "published_at: DateTime<Utc>",
                  coalesce(s.display_name, 'Someone') as "saved_by!",
                  p.display_name as "published_by?"
           from branding_versions v
           left join users s on s.id = v.saved_by
           left join users p on p.id = v.published_by
           where v.partner_id = $1
           order by v.number desc"#,
        partner_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| VersionRow {
            number: r.number,
            saved_by: r.saved_by,
            saved_at: r.saved_at,
            restored_from: r.restored_from,
            is_published: r.is_published,
            published_by: r.published_by,
            published_at: r.published_at,
        })
        .collect())
}

/// A version's values as the editor's form, with its number.
pub async fn version_input(
    pool: &PgPool,
    partner_id: Uuid,
    number: Option<i32>,
) -> sqlx::Result<Option<(i32, BrandInput)>> {
    let row = sqlx::query!(
        "select number, primary_color, secondary_color, success_color, warning_color, error_color,
                logo_asset_id, logo_url, favicon_asset_id, favicon_url,
                background_asset_id, background_url, company_name, support_email, support_phone,
                terms_url, privacy_url, custom_css_source
         from branding_versions
         where partner_id = $1 and ($2::int is null or number = $2)
         order by number desc limit 1",
        partner_id,
        number
    )
    .fetch_optional(pool)
    .await?;
    let text = |o: Option<String>| o.unwrap_or_default();
    let id = |o: Option<Uuid>| o.map(|i| i.to_string()).unwrap_or_default();
    Ok(row.map(|r| {
        (
            r.number,
            BrandInput {
                primary_color: r.primary_color,
                secondary_color: r.secondary_color,
                success_color: r.success_color,
                warning_color: r.warning_color,
                error_color: r.error_color,
                logo: id(r.logo_asset_id),
                logo_url: text(r.logo_url),
                favicon: id(r.favicon_asset_id),
                favicon_url: text(r.favicon_url),
                background: id(r.background_asset_id),
                background_url: text(r.background_url),
                company_name: text(r.company_name),
                support_email: text(r.support_email),
                support_phone: text(r.support_phone),
                terms_url: text(r.terms_url),
                privacy_url: text(r.privacy_url),
                custom_css: r.custom_css_source,
            },
        )
    }))
}

/// Locks the partner's brand for a change, so that version numbers are handed out in turn.
async fn lock_brand(tx: &mut Transaction<'_, Postgres>, partner_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "select id from partners where id = $1 for update",
        partner_id
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(())
}

/// Saves `brand` (with its rebuilt CSS) as the partner's next version; returns its number.
pub async fn insert_version(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    by: Uuid,
    brand: &ValidBrand,
    rebuilt_css: &str,
    restored_from: Option<i32>,
) -> sqlx::Result<i32> {
    lock_brand(tx, partner_id).await?;
    let number = sqlx::query_scalar!(
        r#"insert into branding_versions
               (partner_id, number, primary_color, secondary_color, success_color, warning_color,
                error_color, logo_asset_id, logo_url, favicon_asset_id, favicon_url,
                background_asset_id, background_url, company_name, support_email, support_phone,
                terms_url, privacy_url, custom_css_source, custom_css, saved_by, restored_from)
           values ($1, (select coalesce(max(number), 0) + 1 from branding_versions where partner_id = $1),
                   $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                   $19, $20, $21)
           returning number"#,
        partner_id,
        brand.colors.primary,
        brand.colors.secondary,
        brand.colors.success,
        brand.colors.warning,
        brand.colors.error,
        brand.logo.asset(),
        brand.logo.url(),
        brand.favicon.asset(),
        brand.favicon.url(),
        brand.background.asset(),
        brand.background.url(),
        brand.company_name,
        brand.support_email,
        brand.support_phone,
        brand.terms_url,
        brand.privacy_url,
        brand.custom_css,
        rebuilt_css,
        by,
        restored_from,
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(number)
}

/// Makes version `number` the published one. `false` if the partner has no such version.
pub async fn publish(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    number: i32,
    by: Uuid,
) -> sqlx::Result<bool> {
    lock_brand(tx, partner_id).await?;
    let exists = sqlx::query_scalar!(
        "select id from branding_versions where partner_id = $1 and number = $2",
        partner_id,
        number
    )
    .fetch_optional(&mut **tx)
    .await?;
    if exists.is_none() {
        return Ok(false);
    }
    sqlx::query!(
        "update branding_versions set is_published = false
         where partner_id = $1 and is_published and number <> $2",
        partner_id,
        number
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update branding_versions
         set is_published = true, published_at = now(), published_by = $3
         where partner_id = $1 and number = $2",
        partner_id,
        number,
        by
    )
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

/// Copies version `number` as the newest draft; returns the new number, or `None` if there is
/// no such version.
pub async fn restore(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    number: i32,
    by: Uuid,
) -> sqlx::Result<Option<i32>> {
    lock_brand(tx, partner_id).await?;
    let copied = sqlx::query_scalar!(
        r#"insert into branding_versions
               (partner_id, number, primary_color, secondary_color, success_color, warning_color,
                error_color, logo_asset_id, logo_url, favicon_asset_id, favicon_url,
                background_asset_id, background_url, company_name, support_email, support_phone,
                terms_url, privacy_url, custom_css_source, custom_css, saved_by, restored_from)
           select partner_id,
                  (select max(number) + 1 from branding_versions where partner_id = $1),
                  primary_color, secondary_color, success_color, warning_color, error_color,
                  logo_asset_id, logo_url, favicon_asset_id, favicon_url, background_asset_id,
                  background_url, company_name, support_email, support_phone, terms_url,
                  privacy_url, custom_css_source, custom_css, $3, number
           from branding_versions where partner_id = $1 and number = $2
           returning number"#,
        partner_id,
        number,
        by
    )
    .fetch_optional(&mut **tx)
    .await?;
    Ok(copied)
}

/// The published brand of a partner, as clients see it: `None` when nothing is published or
/// white-label is off for the partner. Custom CSS is served only while the partner may use it.
pub async fn published(
    executor: impl PgExecutor<'_>,
    partner_id: Uuid,
) -> sqlx::Result<Option<Brand>> {
    let row = sqlx::query!(
        r#"select p.slug, p.name, p.tier as "tier: Tier", p.white_label_enabled, p.custom_css_enabled,
                  v.primary_color, v.secondary_color, v.success_color, v.warning_color,
                  v.error_color, v.logo_url, v.favicon_url, v.background_url, v.company_name,
                  v.support_email, v.support_phone, v.terms_url, v.privacy_url, v.custom_css,
                  l.id as "logo_id?", l.sha256 as "logo_sha?", l.content_type as "logo_type?",
                  f.id as "favicon_id?", f.sha256 as "favicon_sha?", f.content_type as "favicon_type?",
                  b.id as "background_id?", b.sha256 as "background_sha?", b.content_type as "background_type?"
           from branding_versions v
           join partners p on p.id = v.partner_id and p.status <> 'suspended'
           left join branding_assets l on l.id = v.logo_asset_id
           left join branding_assets f on f.id = v.favicon_asset_id
           left join branding_assets b on b.id = v.background_asset_id
           where v.partner_id = $1 and v.is_published"#,
        partner_id
    )
    .fetch_optional(executor)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let allowed = eligibility(r.tier, r.white_label_enabled, r.custom_css_enabled);
    if !allowed.white_label {
        return Ok(None);
    }
    let image = |id: Option<Uuid>,
                 sha: Option<String>,
                 kind: Option<String>,
                 url: Option<String>| match (id, sha, kind) {
        (Some(id), Some(sha), Some(kind)) => Some(asset_url(id, &sha, &kind)),
        _ => url,
    };
    Ok(Some(Brand {
        slug: r.slug,
        company_name: r.company_name.unwrap_or(r.name),
        colors: Colors {
            primary: r.primary_color,
            secondary: r.secondary_color,
            success: r.success_color,
            warning: r.warning_color,
            error: r.error_color,
        },
        logo_url: image(r.logo_id, r.logo_sha, r.logo_type, r.logo_url),
        favicon_url: image(r.favicon_id, r.favicon_sha, r.favicon_type, r.favicon_url),
        background_url: image(
            r.background_id,
            r.background_sha,
            r.background_type,
            r.background_url,
        ),
        support_email: r.support_email,
        support_phone: r.support_phone,
        terms_url: r.terms_url,
        privacy_url: r.privacy_url,
        css: if allowed.custom_css {
            r.custom_css
        } else {
            String::new()
        },
    }))
}

mod domains;
pub use domains::*;
