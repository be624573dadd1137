//! SQL for the admin area.

use sqlx::PgPool;

use sqlx::QueryBuilder;

use super::model::{LeaderRow, PartnerRow};
use crate::{
    auth::model::PartnerStatus,
    db::keyset::SortKey,
    program::{PageLinks, Position, Tier, Total},
};

/// Partners per page of the admin's list.
pub const PARTNERS_PAGE: i64 = 50;
/// Partner counts past this read "more than".
const PARTNER_COUNT_BOUND: i64 = 100_000;

/// A page of partners by name from `position`, with client and member counts from the
/// read models, its links, and how many partners there are.
pub async fn list_partners(
    pool: &PgPool,
    position: &Position,
) -> sqlx::Result<(Vec<PartnerRow>, PageLinks, Total)> {
    let key = SortKey::new(&[("lower(p.name)", "text"), ("p.id", "uuid")], false);
    let mut page = QueryBuilder::new(format!(
        "select p.id, p.name, p.slug, p.tier, p.tier_pinned, p.status, \
                coalesce(f.active_clients, 0)::int8 as active_clients, \
                coalesce(f.open_clients, 0)::int8 as open_clients, \
                (select count(*) from partner_members m where m.partner_id = p.id) as members, \
                {} as page_key \
         from partners p left join partner_figures f on f.partner_id = p.id where true",
        key.select()
    ));
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, PARTNERS_PAGE);
    let rows: Vec<PartnerListRow> = page.build_query_as().fetch_all(pool).await?;
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| {
                let row = PartnerRow {
                    id: r.id,
                    name: r.name,
                    slug: r.slug,
                    tier: r.tier,
                    tier_pinned: r.tier_pinned,
                    status: r.status,
                    active_clients: r.active_clients,
                    open_clients: r.open_clients,
                    members: r.members,
                };
                (row, r.page_key)
            })
            .collect(),
        position,
        PARTNERS_PAGE,
    );
    let counted = sqlx::query_scalar!(
        r#"select count(*) as "n!" from (select 1 from partners limit $1) bounded"#,
        PARTNER_COUNT_BOUND + 1
    )
    .fetch_one(pool)
    .await?;
    Ok((rows, links, Total::bounded(counted, PARTNER_COUNT_BOUND)))
}

#[derive(sqlx::FromRow)]
struct PartnerListRow {
    id: uuid::Uuid,
    name: String,
    slug: String,
    tier: Tier,
    tier_pinned: bool,
    status: PartnerStatus,
    active_clients: i64,
    open_clients: i64,
    members: i64,
    page_key: Vec<String>,
}

/// Each partner's MRR now and at the close of last month, from the read models: its figures
/// and this month's row (which starts at last month's close; without one, nothing changed
/// this month), whatever the number of clients.
pub async fn leaderboard(
    pool: &PgPool,
    this_month: crate::program::Month,
) -> sqlx::Result<Vec<LeaderRow>> {
    sqlx::query_as!(
        LeaderRow,
        r#"select p.id as "partner_id!", p.name as "name!", p.tier as "tier!: Tier",
                  coalesce(f.mrr, 0) as "mrr!",
                  coalesce(cur.mrr_start, f.mrr, 0) as "mrr_last_month!"
           from partners p
           left join partner_figures f on f.partner_id = p.id
           left join partner_months cur on cur.partner_id = p.id and cur.month = $1::text::date"#,
        crate::db::date_param(this_month.first_day())
    )
    .fetch_all(pool)
    .await
}

/// Unpaid payouts due by `day`: how many and their sum (the partial index on unpaid payouts).
pub async fn payouts_due(
    pool: &PgPool,
    day: chrono::NaiveDate,
) -> sqlx::Result<(i64, rust_decimal::Decimal)> {
    let row = sqlx::query!(
        r#"select count(*) as "count!", coalesce(sum(amount), 0) as "total!"
           from payouts where paid_at is null and due_on <= $1::text::date"#,
        crate::db::date_param(day)
    )
    .fetch_one(pool)
    .await?;
    Ok((row.count, row.total))
}
