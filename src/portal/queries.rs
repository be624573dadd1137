//! SQL for the client portal. Scoped by the caller's own client and partner.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::model::ClientAccount;
use crate::program::SubscriptionStatus;

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
                  p.name as reseller_name, c.contact_name, c.contact_phone,
                  v.support_email, v.support_phone
           from clients c
           join plans pl on pl.code = c.plan
           join partners p on p.id = c.partner_id
           left join branding_versions v on v.partner_id = p.id and v.is_published
           where c.partner_id = $1 and c.id = $2"#,
        partner_id,
        client_id
    )
    .fetch_optional(pool)
    .await
}

pub async fn users(
    pool: &PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Vec<super::model::AccountUser>> {
    sqlx::query_as!(
        super::model::AccountUser,
        "select u.id, u.display_name as name, u.email, cu.is_owner
         from client_users cu join users u on u.id = cu.user_id
         where cu.partner_id = $1 and cu.client_id = $2 and u.disabled_at is null
         order by cu.is_owner desc, u.display_name",
        partner_id,
        client_id
    )
    .fetch_all(pool)
    .await
}

/// Sets the account's contact name and phone.
pub async fn update_contact(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
    contact_name: &str,
    contact_phone: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update clients set contact_name = $3, contact_phone = $4, updated_at = now()
         where partner_id = $1 and id = $2",
        partner_id,
        client_id,
        contact_name,
        contact_phone
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes a user (never the owner) off the account and disables their sign-in; `None` when
/// no such user is on it.
pub async fn remove_user(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
    user_id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    let removed = sqlx::query_scalar!(
        "delete from client_users where partner_id = $1 and client_id = $2 and user_id = $3 and not is_owner
         returning user_id",
        partner_id,
        client_id,
        user_id
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(removed) = removed {
        sqlx::query!(
            "update users set disabled_at = now() where id = $1",
            removed
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(removed)
}
