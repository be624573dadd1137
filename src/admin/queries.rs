//! SQL for the admin area.

use sqlx::PgPool;

use super::model::{LeaderRow, PartnerRow};
use crate::{auth::model::PartnerStatus, program::Tier};

/// Every partner with its client and member counts, by name.
pub async fn list_partners(pool: &PgPool) -> sqlx::Result<Vec<PartnerRow>> {
    sqlx::query_as!(
        PartnerRow,
        r#"select p.id, p.name, p.slug, p.tier as "tier: Tier", p.tier_pinned,
                  p.status as "status: PartnerStatus",
                  coalesce(c.active, 0) as "active_clients!",
                  coalesce(c.open, 0) as "open_clients!",
                  (select count(*) from partner_members m where m.partner_id = p.id) as "members!"
           from partners p
           left join (
               select partner_id,
                      count(*) filter (where status = 'active') as active,
                      count(*) filter (where status <> 'canceled') as open
               from clients group by partner_id
           ) c on c.partner_id = p.id
           order by p.name"#
    )
    .fetch_all(pool)
    .await
}

/// Each partner's MRR now and at the close of last month, from the subscription events:
/// the list price of every client whose latest event before the moment left it ACTIVE.
pub async fn leaderboard(
    pool: &PgPool,
    now: chrono::DateTime<chrono::Utc>,
    last_close: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<Vec<LeaderRow>> {
    sqlx::query_as!(
        LeaderRow,
        r#"with at_now as (
               select distinct on (client_id) partner_id, to_status, list_price
               from subscription_events where occurred_at <= $1::text::timestamptz
               order by client_id, occurred_at desc, seq desc
           ), at_close as (
               select distinct on (client_id) partner_id, to_status, list_price
               from subscription_events where occurred_at <= $2::text::timestamptz
               order by client_id, occurred_at desc, seq desc
           )
           select p.id as partner_id, p.name, p.tier as "tier: Tier",
                  coalesce((select sum(list_price) from at_now n where n.partner_id = p.id and n.to_status = 'active'), 0)
                      as "mrr!",
                  coalesce((select sum(list_price) from at_close c where c.partner_id = p.id and c.to_status = 'active'), 0)
                      as "mrr_last_month!"
           from partners p
           order by p.name"#,
        crate::db::timestamp_param(now),
        crate::db::timestamp_param(last_close)
    )
    .fetch_all(pool)
    .await
}
