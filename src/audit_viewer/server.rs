//! Server functions of the audit log viewers: a partner's owners and managers read their
//! partner's log, admins read the program's.

use leptos::prelude::*;

use super::model::{AuditPage, AuditQuery};
use crate::error::AppError;

/// The actions a partner's log shows its owners and managers: everything of their partner
/// but the program team's own (sign-ins, reviews, account security).
#[cfg(feature = "ssr")]
pub fn partner_actions() -> Vec<crate::audit::Action> {
    use crate::audit::{Action, Audience};
    Action::ALL
        .into_iter()
        .filter(|a| {
            matches!(
                a.audience(),
                Audience::Team | Audience::Money | Audience::Branding
            )
        })
        .collect()
}

/// Whose rows `me` reads, for the page and its export.
#[cfg(feature = "ssr")]
pub fn reader_for(
    me: &crate::auth::model::Principal,
    scope: super::model::LogScope,
) -> Result<super::queries::Reader, AppError> {
    use super::{model::LogScope, queries::Reader};
    match scope {
        LogScope::Program => Ok(Reader::Program),
        LogScope::Partner => Ok(Reader::Partner {
            id: me.partner_id().ok_or(AppError::Forbidden)?,
            actions: partner_actions()
                .into_iter()
                .map(|a| a.as_str().to_string())
                .collect(),
        }),
    }
}

/// A page of the log `reader` may read, under `query`.
#[cfg(feature = "ssr")]
async fn read(
    reader: super::queries::Reader,
    actions: Vec<crate::audit::Action>,
    query: AuditQuery,
) -> Result<AuditPage, AppError> {
    use super::{model::ActionOption, queries};
    use crate::program::{PageLinks, Total};

    let pool = crate::state::pool()?;
    let actions = actions
        .into_iter()
        .map(|a| ActionOption {
            name: a.as_str().to_string(),
            description: a.description().to_string(),
        })
        .collect();
    let empty = |problem: Option<(String, String)>| AuditPage {
        rows: Vec::new(),
        links: PageLinks::default(),
        total: Total::Exact(0),
        actions: Vec::new(),
        problem,
    };
    if let Some((field, message)) = query.problem() {
        return Ok(AuditPage {
            actions,
            ..empty(Some((field.to_string(), message.to_string())))
        });
    }
    let person = match &query.person {
        Some(email) => match queries::person_id(&pool, email).await? {
            Some(id) => Some(id),
            None => {
                return Ok(AuditPage {
                    actions,
                    ..empty(None)
                })
            }
        },
        None => None,
    };
    let filter = queries::Filter {
        reader: &reader,
        query: &query,
        person,
    };
    let (rows, links, total) = queries::page(&pool, &filter).await?;
    Ok(AuditPage {
        rows,
        links,
        total,
        actions,
        problem: None,
    })
}

/// A page of the partner's log, newest first (owners and managers).
#[server(endpoint = "partner/audit")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn partner_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::auth::{model::Perm, require};

    let me = require(Perm::PartnerAudit).await?;
    let reader = reader_for(&me, super::model::LogScope::Partner)?;
    read(reader, partner_actions(), query).await
}

/// A page of the program's whole log, newest first (admins).
#[server(endpoint = "admin/audit")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn admin_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::auth::{model::Perm, require};

    require(Perm::Admin).await?;
    read(
        super::queries::Reader::Program,
        crate::audit::Action::ALL.to_vec(),
        query,
    )
    .await
}
