//! `POST /admin/leads/import` (multipart: `file`): a CSV file of leads, taken whole or
//! refused whole. Every row is checked first; a file with a bad row keeps nothing and its
//! report names each refused row. A good file's leads are stored in one transaction and
//! placed by the rules in the background; the leads page follows the import's progress.
//! A plain form post, with or without JavaScript: it answers with a redirect to the report.

use axum::{
    extract::{Multipart, State},
    response::{IntoResponse, Redirect, Response},
};
use tower_sessions::Session;

use super::model::IMPORT_BYTES_MAX;
use crate::{
    audit::{Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    db::scope::{scoped, Scope},
    error::AppError,
    state::AppState,
};

pub async fn import(
    State(state): State<AppState>,
    session: Session,
    multipart: Multipart,
) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Admin).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    scoped(Scope::All, async move {
        let back_with = |message: &str| {
            Redirect::to(&format!(
                "/admin/leads?import_error={}#import",
                crate::components::format::url_encode(message)
            ))
            .into_response()
        };
        let (file_name, bytes) = match read_file(multipart).await {
            Ok(file) => file,
            Err(message) => return back_with(&message),
        };
        let parsed = match super::csv_file::parse(&bytes) {
            Ok(parsed) => parsed,
            Err(message) => return back_with(&message),
        };
        let stored = async {
            let mut tx = state.pool.begin().await?;
            let id = super::queries::record_import(
                &mut tx,
                &file_name,
                parsed.rows,
                &parsed.rejected,
                me.user_id,
            )
            .await?;
            if parsed.rejected.is_empty() {
                super::queries::insert(&mut tx, &parsed.leads, Some(id), me.user_id).await?;
                crate::audit::record(
                    &mut *tx,
                    AuditEntry::by(&me, Action::LeadsImported)
                        .target("lead_import", id)
                        .detail(serde_json::json!({
                            "file_name": file_name,
                            "leads": parsed.leads.len(),
                        })),
                )
                .await?;
            }
            tx.commit().await?;
            Ok::<_, AppError>(id)
        }
        .await;
        match stored {
            Ok(id) => {
                if parsed.rejected.is_empty() {
                    let pool = state.pool.clone();
                    tokio::spawn(scoped(Scope::All, async move {
                        if let Err(error) = super::assign::run_once(&pool, chrono::Utc::now()).await {
                            tracing::warn!(%error, "placing imported leads stopped; the sweep carries on");
                        }
                    }));
                }
                Redirect::to(&format!("/admin/leads?import={id}#import")).into_response()
            }
            Err(error) => {
                tracing::error!(?error, "storing a lead import failed");
                back_with("The file could not be imported. Nothing was kept; please try again.")
            }
        }
    })
    .await
}

/// The uploaded file's name and bytes.
async fn read_file(mut multipart: Multipart) -> Result<(String, Vec<u8>), String> {
    let unreadable = || "The upload could not be read. Please try again.".to_string();
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        if field.name() == Some("file") {
            let name: String = field
                .file_name()
                .unwrap_or_default()
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect();
            let bytes = field.bytes().await.map_err(|_| {
                format!(
                    "The file is larger than {} MB.",
                    IMPORT_BYTES_MAX / (1024 * 1024)
                )
            })?;
            if bytes.is_empty() {
                return Err("Choose a CSV file of leads.".into());
            }
            if bytes.len() > IMPORT_BYTES_MAX {
                return Err(format!(
                    "The file is larger than {} MB.",
                    IMPORT_BYTES_MAX / (1024 * 1024)
                ));
            }
            let name = if name.trim().is_empty() {
                "leads.csv".into()
            } else {
                name
            };
            return Ok((name, bytes.to_vec()));
        }
    }
    Err("Choose a CSV file of leads.".into())
}
