//! SQL for client accounts. Every query is scoped by the caller's partner id.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::{ClientDetail, SubscriptionStatus};

/// The client `client_id` if it belongs to `partner_id`; another partner's client is `None`,
/// exactly as if it did not exist.
pub async fn find(
    pool: &PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<ClientDetail>> {
    sqlx::query_as!(
        ClientDetail,
        r#"select c.id, c.company_name, c.contact_name, c.contact_email,
                  pl.name as plan_name, pl.monthly_price as list_price, c.custom_price,
                  c.billing_owned_by_reseller, c.status as "status: SubscriptionStatus",
                  c.region, c.created_at as "created_at: chrono::DateTime<chrono::Utc>"
           from clients c join plans pl on pl.code = c.plan
           where c.partner_id = $1 and c.id = $2"#,
        partner_id,
        client_id
    )
    .fetch_optional(pool)
    .await
}
