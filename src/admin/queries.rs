//! SQL for the admin area.

use sqlx::PgPool;

use super::model::PartnerRow;
use crate::{auth::model::PartnerStatus, partners::model::Tier};

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
