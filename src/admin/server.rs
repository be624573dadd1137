//! Server functions of the admin area.

use leptos::prelude::*;

use super::model::PartnerRow;
use crate::error::AppError;

/// All partners, for admins.
#[server(endpoint = "admin/partners")]
pub async fn list_partners() -> Result<Vec<PartnerRow>, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::pool,
    };

    require(Perm::Admin).await?;
    Ok(super::queries::list_partners(&pool()?).await?)
}
