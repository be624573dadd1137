//! Recording an event in the transaction of the change it reports (the outbox): it is
//! delivered only if the change commits, and it is not lost if the process stops before it
//! is sent. The event is fanned out at once to each of the partner's enabled endpoints that
//! want its type. A partner without endpoints gets no rows at all.

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::EventType;

/// Records `event` with its object (`data`, as the API shows that object) and, for some
/// events, what changed (`changes`), for the partner's endpoints.
pub async fn record(
    tx: &mut PgConnection,
    partner_id: Uuid,
    event: EventType,
    data: Value,
    changes: Option<Value>,
) -> sqlx::Result<()> {
    let payload = match changes {
        Some(changes) => serde_json::json!({ "object": data, "changes": changes }),
        None => serde_json::json!({ "object": data }),
    };
    sqlx::query!(
        "with event as (
             insert into webhook_events (partner_id, event_type, payload)
             select $1, $2, $3
             where exists (select 1 from webhook_endpoints
                           where partner_id = $1 and deleted_at is null)
             returning id, partner_id, occurred_at)
         insert into webhook_deliveries (partner_id, endpoint_id, event_id, event_type, occurred_at,
                                         next_attempt_at)
         select e.partner_id, w.id, e.id, $2, e.occurred_at, e.occurred_at
         from event e
         join webhook_endpoints w on w.partner_id = e.partner_id
         where w.enabled and w.deleted_at is null and $2 = any (w.event_types)",
        partner_id,
        event.name(),
        payload
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
