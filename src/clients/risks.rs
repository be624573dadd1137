//! What the client pages read beside a client: its churn risks (for the list) and the deal
//! it was won from (for its page).

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::list::{ClientRow, Risk, DOWNGRADE_DAYS};

/// The page's rows with their churn risks: one statement for the page's clients (their
/// latest downgrade and their users' latest sign-in, each an index lookup per client).
pub async fn with_risks(
    pool: &PgPool,
    partner_id: Uuid,
    mut rows: Vec<ClientRow>,
) -> sqlx::Result<Vec<ClientRow>> {
    if rows.is_empty() {
        return Ok(rows);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    #[derive(sqlx::FromRow)]
    struct Facts {
        id: Uuid,
        created_at: DateTime<Utc>,
        downgraded: bool,
        seen: Option<DateTime<Utc>>,
    }
    let facts: Vec<Facts> = sqlx::query_as(
        "select c.id, c.created_at,
                exists (select 1 from subscription_events e
                        join plans f on f.code = e.from_plan join plans t on t.code = e.to_plan
                        where e.partner_id = c.partner_id and e.client_id = c.id
                          and e.kind = 'plan_changed' and t.monthly_price < f.monthly_price
                          and e.occurred_at > now() - make_interval(days => $3)) as downgraded,
                (select max(u.last_sign_in_at) from client_users cu join users u on u.id = cu.user_id
                 where cu.client_id = c.id) as seen
         from clients c where c.partner_id = $1 and c.id = any($2)",
    )
    .bind(partner_id)
    .bind(&ids)
    .bind(DOWNGRADE_DAYS as i32)
    .fetch_all(pool)
    .await?;
    let now = Utc::now();
    for row in &mut rows {
        if let Some(f) = facts.iter().find(|f| f.id == row.id) {
            row.risks = Risk::of(row.status, f.downgraded, f.created_at, f.seen, now);
        }
    }
    Ok(rows)
}

/// When the deal that client `client_id` was won from was registered, if it was.
pub async fn won_as(
    pool: &sqlx::PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar("select created_at from deals where partner_id = $1 and client_id = $2")
        .bind(partner_id)
        .bind(client_id)
        .fetch_optional(pool)
        .await
}
