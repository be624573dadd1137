//! Demo brands, so that every branding path can be seen: Northwind (Gold) has two published
//! versions, the second live; Litware (Platinum) has a live brand with custom CSS, part of
//! which the sanitizer removes.

use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::{
    branding::{
        css::sanitize,
        input::ValidBrand,
        model::{AssetKind, BrandInput, BRAND_ROOT},
        queries::{self, NewAsset},
    },
    error::AppError,
};

const NORTHWIND_LOGO: &[u8] = include_bytes!("assets/northwind-logo.png");
const LITWARE_LOGO: &[u8] = include_bytes!("assets/litware-logo.png");
const LITWARE_FAVICON: &[u8] = include_bytes!("assets/litware-favicon.png");
const LITWARE_BACKGROUND: &[u8] = include_bytes!("assets/litware-background.png");

/// Litware's custom CSS: a header bar, rounded cards, and two things the sanitizer takes
/// out (a remote font and a remote background). Its rule for the impersonation banner is
/// kept but scoped under the branded root, where the banner is not.
pub const LITWARE_CSS: &str = "@import url(https://fonts.example.com/brand.css);
.site-header { background: #312e81; border-bottom-color: #312e81; }
.site-header .brand, .site-header a, .site-header .account-name { color: #ffffff; }
.card { border-radius: 14px; box-shadow: 0 2px 10px rgba(49, 46, 129, 0.15); }
.page-header h1 { letter-spacing: 0.02em; }
.impersonation-banner { display: none; }
body { background: url(https://tracker.example.com/pixel.png); }
";

/// Seeds both brands, unless the partners already have versions.
pub async fn seed_brands(
    tx: &mut Transaction<'_, Postgres>,
    northwind: (Uuid, Uuid),
    litware: (Uuid, Uuid),
) -> Result<(), AppError> {
    let (northwind, northwind_owner) = northwind;
    if queries::has_versions(&mut **tx, northwind).await? {
        return Ok(());
    }
    let logo = upload(
        tx,
        northwind,
        northwind_owner,
        AssetKind::Logo,
        "northwind-logo.png",
        NORTHWIND_LOGO,
    )
    .await?;
    let first = BrandInput {
        primary_color: "#1e40af".into(),
        secondary_color: "#0f766e".into(),
        success_color: "#15803d".into(),
        warning_color: "#a16207".into(),
        error_color: "#b91c1c".into(),
        company_name: "Northwind Cloud".into(),
        support_email: "support@northwind.demo.test".into(),
        support_phone: "+1 555 0100".into(),
        terms_url: "https://northwind.demo.test/terms".into(),
        privacy_url: "https://northwind.demo.test/privacy".into(),
        ..BrandInput::default()
    };
    let second = BrandInput {
        primary_color: "#0f766e".into(),
        secondary_color: "#115e59".into(),
        logo: logo.to_string(),
        ..first.clone()
    };
    for input in [first, second] {
        let number = save(tx, northwind, northwind_owner, &input, false).await?;
        queries::publish(tx, northwind, number, northwind_owner).await?;
    }

    let (litware, litware_owner) = litware;
    let logo = upload(
        tx,
        litware,
        litware_owner,
        AssetKind::Logo,
        "litware-logo.png",
        LITWARE_LOGO,
    )
    .await?;
    let favicon = upload(
        tx,
        litware,
        litware_owner,
        AssetKind::Favicon,
        "litware-favicon.png",
        LITWARE_FAVICON,
    )
    .await?;
    let background = upload(
        tx,
        litware,
        litware_owner,
        AssetKind::Background,
        "litware-background.png",
        LITWARE_BACKGROUND,
    )
    .await?;
    let input = BrandInput {
        primary_color: "#4f46e5".into(),
        secondary_color: "#312e81".into(),
        success_color: "#15803d".into(),
        warning_color: "#b45309".into(),
        error_color: "#b91c1c".into(),
        logo: logo.to_string(),
        favicon: favicon.to_string(),
        background: background.to_string(),
        company_name: "Litware Workspace".into(),
        support_email: "help@litware.demo.test".into(),
        support_phone: "+1 555 0199".into(),
        terms_url: "https://litware.demo.test/terms".into(),
        privacy_url: "https://litware.demo.test/privacy".into(),
        custom_css: LITWARE_CSS.into(),
        ..BrandInput::default()
    };
    let number = save(tx, litware, litware_owner, &input, true).await?;
    queries::publish(tx, litware, number, litware_owner).await?;
    Ok(())
}

async fn upload(
    tx: &mut Transaction<'_, Postgres>,
    partner: Uuid,
    by: Uuid,
    kind: AssetKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<Uuid, AppError> {
    let asset = NewAsset::checked(kind, file_name, bytes).map_err(|_| AppError::Internal)?;
    Ok(queries::insert_asset(tx, partner, by, &asset).await?)
}

async fn save(
    tx: &mut Transaction<'_, Postgres>,
    partner: Uuid,
    by: Uuid,
    input: &BrandInput,
    css_allowed: bool,
) -> Result<i32, AppError> {
    let brand: ValidBrand = input.validate(css_allowed)?;
    let urls = queries::asset_urls(&mut **tx, partner).await?;
    let rebuilt = sanitize(&brand.custom_css, BRAND_ROOT, &urls);
    Ok(queries::insert_version(tx, partner, by, &brand, &rebuilt.css, None).await?)
}
