//! SQL for a partner's own overview. Every query takes the caller's partner id.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::{ClientLink, PartnerOverview};
use crate::auth::model::PartnerStatus;
use crate::program::Tier;

pub async fn overview(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Option<PartnerOverview>> {
    let Some(row) = sqlx::query!(
        r#"select p.id, p.name, p.tier as "tier: Tier", p.tier_pinned,
                  p.status as "status: PartnerStatus",
                  coalesce(f.active_clients, 0)::int8 as "active_clients!",
                  coalesce(f.open_clients, 0)::int8 as "open_clients!"
           from partners p
           left join partner_figures f on f.partner_id = p.id
           where p.id = $1"#,
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

/// Creates a partner for an approved application, with a slug made from its name (and a
/// number when that slug is taken).
pub async fn create(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    name: &str,
    partnership_type: crate::program::PartnershipType,
    tier: Tier,
) -> sqlx::Result<(Uuid, String)> {
    let base = crate::program::slug::from_name(name).unwrap_or_else(|| "partner".into());
    for n in 1..1000 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let id = sqlx::query_scalar!(
            "insert into partners (slug, name, partnership_type, tier) values ($1, $2, $3, $4)
             on conflict (slug) do nothing returning id",
            slug,
            name,
            partnership_type as crate::program::PartnershipType,
            tier as Tier
        )
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            return Ok((id, slug));
        }
    }
    Err(sqlx::Error::Protocol("no free partner slug".into()))
}

/// The partner's earliest unpaid payout: when it is due and how much.
pub async fn next_unpaid_payout(
    pool: &PgPool,
    partner_id: Uuid,
) -> sqlx::Result<Option<(chrono::NaiveDate, rust_decimal::Decimal)>> {
    Ok(sqlx::query!(
        r#"select due_on as "due_on: chrono::NaiveDate", amount from payouts
           where partner_id = $1 and paid_at is null
           order by due_on, created_at limit 1"#,
        partner_id
    )
    .fetch_optional(pool)
    .await?
    .map(|p| (p.due_on, p.amount)))
}

/// The partner's latest audit rows among `actions`: when, by whom (the real user during an
/// impersonation), and the stored action name.
pub async fn recent_activity(
    pool: &PgPool,
    partner_id: Uuid,
    actions: &[String],
    limit: i64,
) -> sqlx::Result<Vec<(chrono::DateTime<chrono::Utc>, Option<String>, String)>> {
    Ok(sqlx::query!(
        r#"select a.occurred_at as "at: chrono::DateTime<chrono::Utc>", a.action,
                  coalesce(r.display_name, u.display_name) as who
           from audit_log a
           left join users u on u.id = a.actor_user_id
           left join users r on r.id = a.real_user_id
           where a.partner_id = $1 and a.action = any($2)
           order by a.occurred_at desc
           limit $3"#,
        partner_id,
        actions,
        limit
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.at, r.who, r.action))
    .collect())
}
