//! SQL for the admin area.

use sqlx::{PgPool, Postgres, QueryBuilder};

use super::{
    model::{LeaderRow, PartnerRow},
    partner_list::{PartnerQuery, PartnerSort},
};
use crate::{
    auth::model::PartnerStatus,
    db::keyset::SortKey,
    program::{PageLinks, Position, Tier, Total},
};

/// Partners per page of the admin's list.
pub const PARTNERS_PAGE: i64 = 50;
/// Partner counts past this read "more than".
const PARTNER_COUNT_BOUND: i64 = 100_000;

/// The columns of the list and its export, from the partners and their read-model figures.
const PARTNER_COLUMNS: &str = "p.id, p.name, p.slug, p.tier, p.tier_pinned, p.status, \
    coalesce(f.active_clients, 0)::int8 as active_clients, \
    coalesce(f.open_clients, 0)::int8 as open_clients, \
    (select count(*) from partner_members m where m.partner_id = p.id) as members";

/// The list's sort key.
fn partner_key(sort: PartnerSort) -> SortKey {
    match sort {
        PartnerSort::Name => SortKey::new(&[("p.name_key", "text"), ("p.id", "uuid")], false),
        PartnerSort::Clients => SortKey::new(
            &[("coalesce(f.active_clients, 0)", "int4"), ("p.id", "uuid")],
            true,
        ),
        PartnerSort::Mrr => {
            SortKey::new(&[("coalesce(f.mrr, 0)", "numeric"), ("p.id", "uuid")], true)
        }
        PartnerSort::Joined => {
            SortKey::new(&[("p.created_at", "timestamptz"), ("p.id", "uuid")], true)
        }
    }
}

/// Appends the search and the filters (after a `where`).
fn push_partner_filters(builder: &mut QueryBuilder<'_, Postgres>, query: &PartnerQuery) {
    if let Some(search) = &query.search {
        builder
            .push(" and (lower(p.name) || ' ' || p.slug) like ")
            .push_bind(crate::db::like_pattern(&search.to_lowercase()));
    }
    if let Some(tier) = query.tier {
        builder.push(" and p.tier = ").push_bind(tier);
    }
    if let Some(status) = query.status {
        builder.push(" and p.status = ").push_bind(status);
    }
}

/// A page of partners under `query`, with client and member counts from the read models,
/// its links, and how many partners match (bounded).
pub async fn list_partners(
    pool: &PgPool,
    query: &PartnerQuery,
) -> sqlx::Result<(Vec<PartnerRow>, PageLinks, Total)> {
    let key = partner_key(query.sort);
    let mut page = QueryBuilder::new(format!(
        "select {PARTNER_COLUMNS}, {} as page_key \
         from partners p left join partner_figures f on f.partner_id = p.id where true",
        key.select()
    ));
    push_partner_filters(&mut page, query);
    key.push_bound(&mut page, &query.position);
    key.push_order(&mut page, &query.position, PARTNERS_PAGE);
    let rows: Vec<PartnerListRow> = page.build_query_as().fetch_all(pool).await?;
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| (PartnerRow::from(&r), r.page_key))
            .collect(),
        &query.position,
        PARTNERS_PAGE,
    );
    let mut count = QueryBuilder::new("select count(*) from (select 1 from partners p where true");
    push_partner_filters(&mut count, query);
    count
        .push(" limit ")
        .push_bind(PARTNER_COUNT_BOUND + 1)
        .push(") bounded");
    let counted: i64 = count.build_query_scalar().fetch_one(pool).await?;
    Ok((rows, links, Total::bounded(counted, PARTNER_COUNT_BOUND)))
}

/// Every partner under `query`, sorted as the list is, for the CSV export (5,000 rows are
/// small; the export still streams them from a cursor).
pub fn export_partners(query: &PartnerQuery) -> QueryBuilder<'static, Postgres> {
    let key = partner_key(query.sort);
    let mut builder = QueryBuilder::new(format!(
        "select {PARTNER_COLUMNS}, {} as page_key, p.partnership_type::text as partnership_type, \
                coalesce(f.mrr, 0) as mrr, p.created_at \
         from partners p left join partner_figures f on f.partner_id = p.id where true",
        key.select()
    ));
    push_partner_filters(&mut builder, query);
    key.push_order(&mut builder, &Position::First, i64::MAX - 1);
    builder
}

impl From<&PartnerListRow> for PartnerRow {
    fn from(r: &PartnerListRow) -> Self {
        PartnerRow {
            id: r.id,
            name: r.name.clone(),
            slug: r.slug.clone(),
            tier: r.tier,
            tier_pinned: r.tier_pinned,
            status: r.status,
            active_clients: r.active_clients,
            open_clients: r.open_clients,
            members: r.members,
            certification: None,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct PartnerListRow {
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
