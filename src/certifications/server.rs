//! Server functions of certifications: every member reads their partner's level and
//! certifications; admins read any partner's, record completions and revoke them, each
//! audited with the partner.

use leptos::prelude::*;
use uuid::Uuid;

use super::model::{PartnerCertifications, RecordInput, RevokeInput};
use crate::error::AppError;

/// A partner's level and certifications (with its members, for the admins' form).
#[cfg(feature = "ssr")]
async fn load(partner_id: Uuid, with_members: bool) -> Result<PartnerCertifications, AppError> {
    let pool = crate::state::pool()?;
    let today = chrono::Utc::now().date_naive();
    let certifications = super::queries::for_partner(&pool, partner_id, today).await?;
    let level = super::queries::levels(&pool, &[partner_id], today)
        .await?
        .remove(&partner_id);
    let members = if with_members {
        super::queries::members(&pool, partner_id).await?
    } else {
        Vec::new()
    };
    Ok(PartnerCertifications {
        level,
        certifications,
        members,
    })
}

/// The caller's partner's certification level and its members' certifications.
#[server(endpoint = "certifications")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_certifications() -> Result<PartnerCertifications, AppError> {
    let me = crate::auth::require(crate::auth::model::Perm::PartnerRead).await?;
    load(me.partner_id().ok_or(AppError::Forbidden)?, false).await
}

/// A partner's certifications, for admins, with its members to record a completion for.
#[server(endpoint = "admin/certifications")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn get_partner_certifications(id: Uuid) -> Result<PartnerCertifications, AppError> {
    crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let partner_id = id;
    let exists: Option<Uuid> = sqlx::query_scalar("select id from partners where id = $1")
        .bind(partner_id)
        .fetch_optional(&crate::state::pool()?)
        .await?;
    exists.ok_or(AppError::NotFound)?;
    load(partner_id, true).await
}

/// Records that a member of the partner completed a track (every module of it).
#[server(endpoint = "admin/certifications/record")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input)))]
pub async fn record_certification(input: RecordInput) -> Result<Uuid, AppError> {
    use crate::audit::{Action, AuditEntry};

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    let completion = input
        .validate(chrono::Utc::now().date_naive())
        .map_err(AppError::Validation)?;
    let mut tx = crate::state::pool()?.begin().await?;
    let (id, member) = super::queries::insert(
        &mut tx,
        input.partner_id,
        input.user_id,
        me.user_id,
        &completion,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::CertificationRecorded)
            .partner(input.partner_id)
            .target("certification", id)
            .detail(serde_json::json!({
                "member": member,
                "track": completion.track.slug(),
                "completed_on": completion.completed_on,
                "expires_on": completion.expires_on,
            })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!(
        "/admin/partners/{}?done=certified#certifications",
        input.partner_id
    ));
    Ok(id)
}

/// Revokes a certification in force, confirmed.
#[server(endpoint = "admin/certifications/revoke")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn revoke_certification(input: RevokeInput) -> Result<(), AppError> {
    use crate::{
        audit::{Action, AuditEntry},
        error::FieldErrors,
    };

    let me = crate::auth::require(crate::auth::model::Perm::Admin).await?;
    if input.confirm.as_deref() != Some("yes") {
        return Err(AppError::Validation(FieldErrors::field(
            "confirm",
            "Tick the box to confirm: the certification stops counting at once.",
        )));
    }
    let mut tx = crate::state::pool()?.begin().await?;
    let (partner_id, track, member) =
        super::queries::revoke(&mut tx, input.certification_id, me.user_id)
            .await?
            .ok_or(AppError::NotFound)?;
    crate::audit::record(
        &mut *tx,
        AuditEntry::by(&me, Action::CertificationRevoked)
            .partner(partner_id)
            .target("certification", input.certification_id)
            .detail(serde_json::json!({ "member": member, "track": track })),
    )
    .await?;
    tx.commit().await?;
    crate::state::redirect_plain_form(&format!(
        "/admin/partners/{partner_id}?done=revoked#certifications"
    ));
    Ok(())
}
