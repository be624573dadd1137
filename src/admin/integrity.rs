//! The admin's check of the audit log's hash chains (on `/admin`): the same check as
//! `partner-portal audit verify`, on demand.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::page_data::page_data;

/// What a check found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityCheck {
    pub rows: i64,
    pub chains: i64,
    /// Each broken chain's first broken link, in words.
    pub broken: Vec<String>,
    pub seconds: String,
}

/// Recomputes every chain of the audit log (admins only).
#[server(endpoint = "admin/audit/verify")]
#[cfg_attr(feature = "ssr", tracing::instrument)]
pub async fn verify_audit_log() -> Result<IntegrityCheck, AppError> {
    use crate::{
        auth::{model::Perm, require},
        state::{pool, settings},
    };

    require(Perm::Admin).await?;
    let started = std::time::Instant::now();
    let mut tx = pool()?.begin().await?;
    crate::db::long_statements(&mut tx, settings()?.database.long_statement_timeout_ms).await?;
    let report = crate::audit::verify::verify(&mut tx).await?;
    tx.commit().await?;
    Ok(IntegrityCheck {
        rows: report.rows,
        chains: report.chains,
        broken: report.broken.iter().map(ToString::to_string).collect(),
        seconds: format!("{:.1}", started.elapsed().as_secs_f64()),
    })
}

/// The check runs when the page is opened with `?check=audit` (the button is a link), so
/// that it works without JavaScript as well.
#[component]
pub fn IntegritySection() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let wanted = move || query.read().get("check").as_deref() == Some("audit");
    let check = page_data(wanted, |wanted| async move {
        if wanted {
            Some(verify_audit_log().await)
        } else {
            None
        }
    });
    let answer = move || {
        Suspend::new(async move {
            check.await.map(|result| match result {
                Ok(found) if found.broken.is_empty() => view! {
                    <p class="form-ok" role="status" data-testid="audit-intact">
                        {format!("Intact: {} rows in {} chains, checked in {} s.", found.rows, found.chains, found.seconds)}
                    </p>
                }
                .into_any(),
                Ok(found) => {
                    let heading = format!(
                        "Broken in {} of {} chains: rows were changed or removed outside the portal.",
                        found.broken.len(),
                        found.chains
                    );
                    let items = found.broken.into_iter().map(|b| view! { <li>{b}</li> }).collect_view();
                    view! {
                        <div class="form-error" role="alert">
                            <p>{heading}</p>
                            <ul>{items}</ul>
                        </div>
                    }
                    .into_any()
                }
                Err(error) => view! { <p class="form-error" role="alert">{error.to_string()}</p> }.into_any(),
            })
        })
    };
    view! {
        <section class="card narrow" aria-labelledby="integrity-title">
            <h2 id="integrity-title">"Audit log integrity"</h2>
            <p class="muted">"Each partner's audit rows, and the program's, form a hash chain: a row changed or removed outside the portal breaks it."</p>
            <p><a class="button button-quiet" href="/admin?check=audit">"Check the audit log"</a></p>
            <Transition fallback=|| view! { <p class="muted" role="status">"Checking…"</p> }>{answer}</Transition>
        </section>
    }
}
