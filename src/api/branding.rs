//! `/v1/branding`: saving a draft of the client portal's brand and publishing a version,
//! through the editor's code (eligibility, validation, CSS sanitising, audit rows).

use axum::{body::Bytes, extract::State, Json};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::ApiCaller, context::within, problem::Problem};
use crate::{
    api_keys::model::ApiScope, auth::model::Perm, branding::model::BrandInput, error::AppError,
    state::AppState,
};

/// A brand draft: the newest saved version (or, before the first, the vendor's colours and
/// the partner's name) with the fields given changed; an empty string clears a field.
/// Colours are `#rrggbb`; an image is an uploaded asset's id (`logo`) or an https URL
/// (`logo_url`).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BrandDraft {
    #[schema(example = "#0b5fff")]
    pub primary_color: Option<String>,
    pub secondary_color: Option<String>,
    pub success_color: Option<String>,
    pub warning_color: Option<String>,
    pub error_color: Option<String>,
    pub logo: Option<String>,
    pub logo_url: Option<String>,
    pub favicon: Option<String>,
    pub favicon_url: Option<String>,
    pub background: Option<String>,
    pub background_url: Option<String>,
    pub company_name: Option<String>,
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
    /// Platinum partners only; sanitised as the editor does.
    pub custom_css: Option<String>,
}

impl BrandDraft {
    /// The fields given, by their form names.
    fn changes(self) -> Vec<(&'static str, String)> {
        [
            ("primary_color", self.primary_color),
            ("secondary_color", self.secondary_color),
            ("success_color", self.success_color),
            ("warning_color", self.warning_color),
            ("error_color", self.error_color),
            ("logo", self.logo),
            ("logo_url", self.logo_url),
            ("favicon", self.favicon),
            ("favicon_url", self.favicon_url),
            ("background", self.background),
            ("background_url", self.background_url),
            ("company_name", self.company_name),
            ("support_email", self.support_email),
            ("support_phone", self.support_phone),
            ("terms_url", self.terms_url),
            ("privacy_url", self.privacy_url),
            ("custom_css", self.custom_css),
        ]
        .into_iter()
        .filter_map(|(field, value)| Some((field, value?)))
        .collect()
    }
}

/// What a draft starts from: the newest version, or the editor's first form.
async fn base(state: &AppState, partner_id: uuid::Uuid) -> Result<BrandInput, Problem> {
    use crate::branding::{model::VENDOR_COLORS, queries};
    let pool = &state.pool;
    if let Some((_, input)) = queries::version_input(pool, partner_id, None)
        .await
        .map_err(AppError::from)?
    {
        return Ok(input);
    }
    let info = queries::partner_info(pool, partner_id)
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::NotFound)?;
    let vendor = |field: &str| {
        VENDOR_COLORS
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.to_string())
    };
    Ok(BrandInput {
        company_name: info.name,
        ..BrandInput::from_pairs(vendor)
    })
}

/// A saved or published version of the brand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BrandVersion {
    pub version: i32,
    pub published: bool,
}

/// Saves a new draft version of the brand (the live brand is unchanged until published).
#[utoipa::path(
    post, path = "/v1/branding/drafts", tag = "branding", request_body = BrandDraft,
    responses((status = 201, description = "The new draft", body = BrandVersion)),
    security(("bearer" = ["branding:write"]))
)]
pub async fn save_draft(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Bytes,
) -> Result<(axum::http::StatusCode, Json<BrandVersion>), Problem> {
    let partner_id = caller.partner_to_change(ApiScope::BrandingWrite)?;
    let draft: BrandDraft = super::json_body(&body)?;
    within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::Branding).await?;
        let mut input = base(&state, partner_id).await?;
        for (field, value) in draft.changes() {
            input.set(field, value);
        }
        let version =
            crate::branding::changes::save(&me, &input, Some(caller.credential.key_id)).await?;
        Ok((
            axum::http::StatusCode::CREATED,
            Json(BrandVersion {
                version,
                published: false,
            }),
        ))
    })
    .await
}

/// Which saved version to publish.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    #[schema(minimum = 1)]
    pub version: i32,
}

/// Makes a saved version the live brand of the client portal.
#[utoipa::path(
    post, path = "/v1/branding/publish", tag = "branding", request_body = Publish,
    responses((status = 200, description = "The version now live", body = BrandVersion)),
    security(("bearer" = ["branding:write"]))
)]
pub async fn publish(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Bytes,
) -> Result<Json<BrandVersion>, Problem> {
    let partner_id = caller.partner_to_change(ApiScope::BrandingWrite)?;
    let Publish { version } = super::json_body(&body)?;
    within(&state, partner_id, async {
        let me = caller.acting_member(&state, Perm::Branding).await?;
        crate::branding::changes::publish(&me, version, Some(caller.credential.key_id)).await?;
        Ok(Json(BrandVersion {
            version,
            published: true,
        }))
    })
    .await
}
