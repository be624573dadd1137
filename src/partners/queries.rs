//! SQL for a partner's own overview. Every query takes the caller's partner id.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::{ClientLink, PartnerOverview, Tier};
use crate::auth::model::PartnerStatus;

pub async fn overview(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Option<PartnerOverview>> {
    let Some(row) = sqlx::query!(
        r#"select p.id, p.name, p.tier as "tier: Tier", p.tier_pinned,
                  p.status as "status: PartnerStatus",
                  count(c.id) filter (where c.status = 'active') as "active_clients!",
                  count(c.id) filter (where c.status <> 'canceled') as "open_clients!"
           from partners p
           left join clients c on c.partner_id = p.id
           where p.id = $1
           group by p.id"#,
        partner_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let recent_clients = sqlx::query_as!(
        ClientLink,
        "select id, company_name from clients
         where partner_id = $1 order by created_at desc, company_name limit 5",
        partner_id
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(PartnerOverview {
        id: row.id,
        name: row.name,
        tier: row.tier,
        tier_pinned: row.tier_pinned,
        status: row.status,
        active_clients: row.active_clients,
        open_clients: row.open_clients,
        recent_clients,
    }))
}
