//! Writing audit rows.

use std::net::IpAddr;

use sqlx::PgExecutor;
use uuid::Uuid;

use super::Action;
use crate::error::AppError;

/// Who did something, as the log records it. During an impersonation `user_id` is the client
/// user acted as and `real_user_id` the reseller member who really acted. The signed-in
/// principal converts into one (`auth` depends on the log, never the other way round).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub real_user_id: Option<Uuid>,
    pub impersonation_id: Option<Uuid>,
    pub partner_id: Option<Uuid>,
}

/// One audit row. During an impersonation `actor` is the client user acted as and
/// `real_user` the reseller member who really acted.
#[derive(Debug)]
pub struct AuditEntry {
    pub action: Action,
    pub actor: Option<Uuid>,
    pub real_user: Option<Uuid>,
    pub impersonation: Option<Uuid>,
    pub partner_id: Option<Uuid>,
    pub target: Option<(&'static str, Uuid)>,
    pub client_addr: Option<IpAddr>,
    pub detail: serde_json::Value,
    /// When it happened, if not now (a monthly close records its own close time).
    pub occurred_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl AuditEntry {
    /// An entry for something `who` did (with both identities while impersonating).
    pub fn by(who: impl Into<Actor>, action: Action) -> Self {
        let who = who.into();
        Self {
            action,
            actor: Some(who.user_id),
            real_user: who.real_user_id,
            impersonation: who.impersonation_id,
            partner_id: who.partner_id,
            target: None,
            client_addr: None,
            detail: serde_json::Value::Object(Default::default()),
            occurred_at: None,
        }
    }

    /// An entry with no signed-in actor (the system, or an anonymous visitor).
    pub fn system(action: Action) -> Self {
        Self {
            action,
            actor: None,
            real_user: None,
            impersonation: None,
            partner_id: None,
            target: None,
            client_addr: None,
            detail: serde_json::Value::Object(Default::default()),
            occurred_at: None,
        }
    }

    /// The moment the change took effect, when that is not now.
    pub fn at(mut self, occurred_at: chrono::DateTime<chrono::Utc>) -> Self {
        self.occurred_at = Some(occurred_at);
        self
    }

    /// The partner the change belongs to (for system entries and admins' actions).
    pub fn partner(mut self, partner_id: Uuid) -> Self {
        self.partner_id = Some(partner_id);
        self
    }

    pub fn target(mut self, kind: &'static str, id: Uuid) -> Self {
        self.target = Some((kind, id));
        self
    }

    pub fn from_addr(mut self, addr: Option<IpAddr>) -> Self {
        self.client_addr = addr;
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Records the API key a change came through (`api_key` in the detail), if any: every
    /// use of a key is attributable.
    pub fn via_api_key(mut self, key: Option<Uuid>) -> Self {
        if let (Some(key), Some(detail)) = (key, self.detail.as_object_mut()) {
            detail.insert("api_key".into(), serde_json::Value::String(key.to_string()));
        }
        self
    }
}

/// Appends `entry` using `executor`: pass the transaction that makes the change.
pub async fn record<'e>(executor: impl PgExecutor<'e>, entry: AuditEntry) -> Result<(), AppError> {
    let (target_type, target_id) = entry.target.unzip();
    sqlx::query!(
        r#"insert into audit_log
               (action, actor_user_id, real_user_id, impersonation_id, partner_id,
                target_type, target_id, client_addr, detail, occurred_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8::text::inet, $9,
                   coalesce($10::text::timestamptz, now()))"#,
        entry.action.as_str(),
        entry.actor,
        entry.real_user,
        entry.impersonation,
        entry.partner_id,
        target_type,
        target_id,
        entry.client_addr.map(|a| a.to_string()),
        entry.detail,
        entry.occurred_at.map(crate::db::timestamp_param),
    )
    .execute(executor)
    .await?;
    Ok(())
}
