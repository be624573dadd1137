//! An endpoint's delivery log, and what its partner may send again: one delivery, a test
//! event, or every event since a time. Each statement names the partner, besides row-level
//! security.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool, QueryBuilder};
use uuid::Uuid;

use super::model::{
    AttemptRow, DeliveryLog, DeliveryQuery, DeliveryRow, Outcome, DELIVERIES_PAGE, REPLAY_MAX,
    TEST_EVENT,
};
use crate::db::keyset::SortKey;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    event_id: Uuid,
    event_type: String,
    occurred_at: DateTime<Utc>,
    state: String,
    next_attempt_at: Option<DateTime<Utc>>,
    page_key: Vec<String>,
}

/// A page of the endpoint's deliveries, newest first, each with its attempts. The filters
/// and the cursor are index conditions (`webhook_deliveries_endpoint_*_idx`), so a page costs
/// the same on an endpoint with a million deliveries.
pub async fn page(
    pool: &PgPool,
    partner_id: Uuid,
    query: &DeliveryQuery,
) -> sqlx::Result<DeliveryLog> {
    let key = SortKey::new(&[("d.created_at", "timestamptz"), ("d.id", "uuid")], true);
    let mut page = QueryBuilder::new(format!(
        "select d.id, d.event_id, d.event_type, d.occurred_at, d.state, d.next_attempt_at, \
                {} as page_key \
         from webhook_deliveries d where d.partner_id = ",
        key.select()
    ));
    page.push_bind(partner_id);
    page.push(" and d.endpoint_id = ")
        .push_bind(query.endpoint_id);
    if let Some(event_type) = &query.event_type {
        page.push(" and d.event_type = ")
            .push_bind(event_type.clone());
    }
    if let Some(outcome) = query.outcome {
        page.push(" and d.state = ").push_bind(outcome.slug());
    }
    key.push_bound(&mut page, &query.position);
    key.push_order(&mut page, &query.position, DELIVERIES_PAGE);
    let rows: Vec<Row> = page.build_query_as().fetch_all(pool).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut attempts = sqlx::query!(
        r#"select delivery_id, attempted_at as "attempted_at: DateTime<Utc>", status, duration_ms,
                  response, error
           from webhook_attempts where partner_id = $1 and delivery_id = any($2)
           order by id"#,
        partner_id,
        &ids
    )
    .fetch_all(pool)
    .await?;
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| {
                let mine = attempts
                    .extract_if(.., |a| a.delivery_id == r.id)
                    .map(|a| AttemptRow {
                        attempted_at: a.attempted_at,
                        status: a.status,
                        duration_ms: a.duration_ms,
                        response: a.response,
                        error: a.error,
                    })
                    .collect();
                let row = DeliveryRow {
                    id: r.id,
                    event_id: r.event_id,
                    event_type: r.event_type,
                    occurred_at: r.occurred_at,
                    outcome: Outcome::from_slug(&r.state).unwrap_or(Outcome::Failed),
                    next_attempt_at: r.next_attempt_at,
                    attempts: mine,
                };
                (row, r.page_key)
            })
            .collect(),
        &query.position,
        DELIVERIES_PAGE,
    );
    Ok(DeliveryLog { rows, links })
}

/// Queues a test event for one endpoint (no other endpoint gets it). `None` when the
/// endpoint is not the partner's, or is off.
pub async fn send_test(
    tx: &mut PgConnection,
    partner_id: Uuid,
    endpoint_id: Uuid,
    sent_by: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        r#"with endpoint as (
               select id from webhook_endpoints
               where partner_id = $1 and id = $2 and enabled and deleted_at is null),
           event as (
               insert into webhook_events (partner_id, event_type, payload)
               select $1, $3, jsonb_build_object('object', jsonb_build_object(
                   'endpoint_id', id, 'message', 'A test event from the partner portal.',
                   'sent_by', $4::text))
               from endpoint
               returning id, occurred_at)
           insert into webhook_deliveries (partner_id, endpoint_id, event_id, event_type,
                                           occurred_at, next_attempt_at)
           select $1, $2, id, $3, occurred_at, occurred_at from event
           returning id"#,
        partner_id,
        endpoint_id,
        TEST_EVENT,
        sent_by
    )
    .fetch_optional(&mut *tx)
    .await
}

/// What "send again" did with a delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resent {
    /// A new delivery of the same event was queued.
    Queued,
    /// The delivery was still waiting for a retry: it is tried now.
    Hastened,
}

/// Sends a delivery's event to its endpoint again, as a new delivery (the log keeps the old
/// one); a delivery still waiting for a retry is tried at once instead. `None` when the
/// delivery is not the partner's endpoint's, or the endpoint is gone.
pub async fn resend(
    tx: &mut PgConnection,
    partner_id: Uuid,
    endpoint_id: Uuid,
    delivery_id: Uuid,
) -> sqlx::Result<Option<Resent>> {
    let state = sqlx::query_scalar!(
        "select d.state from webhook_deliveries d
         join webhook_endpoints w on w.id = d.endpoint_id and w.deleted_at is null
         where d.partner_id = $1 and d.endpoint_id = $2 and d.id = $3
         for update of d",
        partner_id,
        endpoint_id,
        delivery_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    match state.as_deref() {
        None => Ok(None),
        Some("pending") => {
            sqlx::query!(
                "update webhook_deliveries set next_attempt_at = least(next_attempt_at, now())
                 where id = $1",
                delivery_id
            )
            .execute(&mut *tx)
            .await?;
            Ok(Some(Resent::Hastened))
        }
        Some(_) => {
            sqlx::query!(
                "insert into webhook_deliveries (partner_id, endpoint_id, event_id, event_type,
                                                 occurred_at, next_attempt_at)
                 select partner_id, endpoint_id, event_id, event_type, occurred_at, now()
                 from webhook_deliveries where id = $1",
                delivery_id
            )
            .execute(&mut *tx)
            .await?;
            Ok(Some(Resent::Queued))
        }
    }
}

/// What a replay queued: how many events, and the time of the last (when it stopped at
/// [`REPLAY_MAX`], the rest start there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replayed {
    pub events: i64,
    pub last: Option<DateTime<Utc>>,
}

/// Queues again, in event order, every event since `since` of the types the endpoint wants
/// (at most [`REPLAY_MAX`]), except those already waiting for it. `None` when the endpoint
/// is not the partner's.
pub async fn replay_since(
    tx: &mut PgConnection,
    partner_id: Uuid,
    endpoint_id: Uuid,
    since: DateTime<Utc>,
) -> sqlx::Result<Option<Replayed>> {
    let endpoint = sqlx::query_scalar!(
        "select id from webhook_endpoints
         where partner_id = $1 and id = $2 and deleted_at is null for update",
        partner_id,
        endpoint_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    if endpoint.is_none() {
        return Ok(None);
    }
    let replayed = sqlx::query!(
        r#"with picked as (
               select e.id, e.event_type, e.occurred_at
               from webhook_events e join webhook_endpoints w on w.id = $2
               where e.partner_id = $1 and e.occurred_at >= $3
                 and e.event_type = any (w.event_types)
                 and not exists (
                     select 1 from webhook_deliveries d
                     where d.endpoint_id = $2 and d.state = 'pending'
                       and d.occurred_at = e.occurred_at and d.event_id = e.id)
               order by e.occurred_at, e.id
               limit $4),
           queued as (
               insert into webhook_deliveries (partner_id, endpoint_id, event_id, event_type,
                                               occurred_at, next_attempt_at)
               select $1, $2, id, event_type, occurred_at, now() from picked
               returning occurred_at)
           select count(*) as "events!", max(occurred_at) as "last: DateTime<Utc>" from queued"#,
        partner_id,
        endpoint_id,
        since as _,
        REPLAY_MAX
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Some(Replayed {
        events: replayed.events,
        last: replayed.last,
    }))
}
