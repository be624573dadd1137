//! SQL for the client portal. Scoped by the caller's own client and partner.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::ClientAccount;
use crate::clients::model::SubscriptionStatus;

pub async fn account(
    pool: &PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<ClientAccount>> {
    sqlx::query_as!(
        ClientAccount,
        r#"select c.company_name, pl.name as plan_name, c.status as "status: SubscriptionStatus",
                  case when c.billing_owned_by_reseller and c.custom_price is not null
                       then c.custom_price else pl.monthly_price end as "monthly_price!",
                  p.name as reseller_name
           from clients c
           join plans pl on pl.code = c.plan
           join partners p on p.id = c.partner_id
           where c.partner_id = $1 and c.id = $2"#,
        partner_id,
        client_id
    )
    .fetch_optional(pool)
    .await
}
