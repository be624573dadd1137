//! Subscription histories read from the events table, one client at a time.

use chrono::{DateTime, Utc};
use futures_util::{Stream, TryStreamExt};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::commissions::model::{Change, History};
use crate::program::SubscriptionStatus;

struct EventRow {
    partner_id: Uuid,
    client_id: Uuid,
    client_name: String,
    occurred_at: DateTime<Utc>,
    to_status: SubscriptionStatus,
    plan: String,
    list_price: Decimal,
}

/// Calls `each(partner_id, history)` for every client with events before `until` of the
/// partners whose ids lie from `first` to `last`, in partner order: one range of the events'
/// (partner_id, client_id, occurred_at) index. Rows are streamed, so memory holds one client.
pub async fn for_each_history_between(
    conn: &mut PgConnection,
    first: Uuid,
    last: Uuid,
    until: DateTime<Utc>,
    each: impl FnMut(Uuid, History),
) -> sqlx::Result<()> {
    let rows = sqlx::query_as!(
        EventRow,
        r#"select e.partner_id, e.client_id, c.company_name as client_name,
                  e.occurred_at as "occurred_at: DateTime<Utc>",
                  e.to_status as "to_status: SubscriptionStatus",
                  coalesce(e.to_plan, c.plan) as "plan!", e.list_price
           from subscription_events e
           join clients c on c.partner_id = e.partner_id and c.id = e.client_id
           where e.partner_id between $1 and $2 and e.occurred_at < $3::text::timestamptz
           order by e.partner_id, e.client_id, e.occurred_at, e.seq"#,
        first,
        last,
        crate::db::timestamp_param(until)
    )
    .fetch(conn);
    fold(rows, each).await
}

/// The same for one partner's clients. A separate query rather than an optional filter on
/// the one above: `($1 is null or partner_id = $1)` makes PostgreSQL's generic plan scan every
/// partner's events, where this one uses the (partner_id, client_id, occurred_at) index.
pub async fn for_each_partner_history(
    conn: &mut PgConnection,
    partner_id: Uuid,
    until: DateTime<Utc>,
    each: impl FnMut(Uuid, History),
) -> sqlx::Result<()> {
    let rows = sqlx::query_as!(
        EventRow,
        r#"select e.partner_id, e.client_id, c.company_name as client_name,
                  e.occurred_at as "occurred_at: DateTime<Utc>",
                  e.to_status as "to_status: SubscriptionStatus",
                  coalesce(e.to_plan, c.plan) as "plan!", e.list_price
           from subscription_events e
           join clients c on c.partner_id = e.partner_id and c.id = e.client_id
           where e.partner_id = $1 and e.occurred_at < $2::text::timestamptz
           order by e.client_id, e.occurred_at, e.seq"#,
        partner_id,
        crate::db::timestamp_param(until)
    )
    .fetch(conn);
    fold(rows, each).await
}

/// Every history of one partner before `until`.
pub async fn partner_histories(
    conn: &mut PgConnection,
    partner_id: Uuid,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<History>> {
    let mut all = Vec::new();
    for_each_partner_history(conn, partner_id, until, |_, h| all.push(h)).await?;
    Ok(all)
}

async fn fold(
    mut rows: impl Stream<Item = sqlx::Result<EventRow>> + Unpin,
    mut each: impl FnMut(Uuid, History),
) -> sqlx::Result<()> {
    let mut current: Option<(Uuid, History)> = None;
    while let Some(row) = rows.try_next().await? {
        let change = Change {
            at: row.occurred_at,
            status: row.to_status,
            plan: row.plan,
            list_price: row.list_price,
        };
        match &mut current {
            Some((_, history)) if history.client_id == row.client_id => {
                history.changes.push(change)
            }
            _ => {
                if let Some((partner, history)) = current.take() {
                    each(partner, history);
                }
                current = Some((
                    row.partner_id,
                    History {
                        client_id: row.client_id,
                        client_name: row.client_name,
                        changes: vec![change],
                    },
                ));
            }
        }
    }
    if let Some((partner, history)) = current {
        each(partner, history);
    }
    Ok(())
}
