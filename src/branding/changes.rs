//! Saving and publishing a brand, for the editor's server functions and the API alike. `me`
//! has been allowed to brand; `api_key` is the key an API call came with, which the audit
//! row records.

use uuid::Uuid;

use super::{css::sanitize, model::BrandInput, model::BRAND_ROOT, queries};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::model::Principal,
    error::{AppError, FieldErrors},
    state::pool,
};

/// Saves `input` as a new draft version; returns its number.
pub async fn save(
    me: &Principal,
    input: &BrandInput,
    api_key: Option<Uuid>,
) -> Result<i32, AppError> {
    let pool = pool()?;
    let (partner_id, info) = super::server::white_label_partner(&pool, me).await?;
    let brand = input.validate(info.eligibility.custom_css)?;
    // A picked upload must be one of this partner's, of the right kind; the same uploads
    // are the only URLs its custom CSS may name.
    let assets = queries::assets(&pool, partner_id).await?;
    for (kind, source) in super::input::images(&brand) {
        let owned = |id| assets.iter().any(|a| a.id == id && a.kind == kind);
        if source.asset().is_some_and(|id| !owned(id)) {
            let mut errors = input
                .fields()
                .into_iter()
                .fold(FieldErrors::new(), |e, (f, v)| e.keep(f, v));
            errors.add(kind.slug(), "Pick one of your uploaded images.");
            return Err(AppError::Validation(errors));
        }
    }
    let urls: Vec<String> = assets.into_iter().map(|a| a.url).collect();
    let rebuilt = sanitize(&brand.custom_css, BRAND_ROOT, &urls);
    let mut tx = pool.begin().await?;
    let number =
        queries::insert_version(&mut tx, partner_id, me.user_id, &brand, &rebuilt.css, None)
            .await?;
    audit::record(
        &mut *tx,
        AuditEntry::by(me, Action::BrandingSaved)
            .detail(serde_json::json!({
                "version": number,
                "css_removed": rebuilt.removed.len(),
            }))
            .via_api_key(api_key),
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Makes saved version `version` the live brand.
pub async fn publish(me: &Principal, version: i32, api_key: Option<Uuid>) -> Result<(), AppError> {
    let pool = pool()?;
    let (partner_id, _) = super::server::white_label_partner(&pool, me).await?;
    let mut tx = pool.begin().await?;
    if !queries::publish(&mut tx, partner_id, version, me.user_id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        AuditEntry::by(me, Action::BrandingPublished)
            .detail(serde_json::json!({ "version": version }))
            .via_api_key(api_key),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
