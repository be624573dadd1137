//! SQL for client accounts. Every query is scoped by the caller's partner id; writes take the
//! caller's transaction so that events and audit rows go in with the change.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::{
    input::ClientFields,
    list::{ClientQuery, ClientRow, ClientSort, PAGE_SIZE},
    model::{ClientDetail, PlanOption, SubscriptionEvent},
};
use crate::db::keyset::SortKey;
use crate::program::{PageLinks, SubscriptionStatus, Tier, Total};

pub async fn plans(pool: &PgPool) -> sqlx::Result<Vec<PlanOption>> {
    sqlx::query_as!(
        PlanOption,
        "select code, name, monthly_price from plans order by sort_order"
    )
    .fetch_all(pool)
    .await
}

/// The client `client_id` if it belongs to `partner_id`, with its subscription history;
/// another partner's client is `None`, exactly as if it did not exist.
pub async fn find(
    pool: &PgPool,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<ClientDetail>> {
    let Some(client) = find_without_history(pool, partner_id, client_id).await? else {
        return Ok(None);
    };
    let history = sqlx::query_as!(
        SubscriptionEvent,
        r#"select e.occurred_at as "occurred_at: DateTime<Utc>", e.kind,
                  a.display_name as "actor?", r.display_name as "real_actor?",
                  e.from_plan, e.to_plan, e.from_custom_price, e.to_custom_price,
                  e.from_status as "from_status: SubscriptionStatus",
                  e.to_status as "to_status: SubscriptionStatus"
           from subscription_events e
           left join users a on a.id = e.actor_user_id
           left join users r on r.id = e.real_user_id
           where e.partner_id = $1 and e.client_id = $2
           order by e.occurred_at desc, e.id desc"#,
        partner_id,
        client_id
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(ClientDetail { history, ..client }))
}

/// [`find`] without the history: what the API answers.
pub async fn find_without_history(
    db: impl sqlx::PgExecutor<'_>,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<ClientDetail>> {
    let Some(c) = sqlx::query!(
        r#"select c.id, c.company_name, c.contact_name, c.contact_email, c.contact_phone, c.plan,
                  pl.name as plan_name, pl.monthly_price as list_price, c.custom_price,
                  c.billing_owned_by_reseller, c.status as "status: SubscriptionStatus",
                  c.region, c.created_at as "created_at: DateTime<Utc>", c.reseller_access_enabled
           from clients c join plans pl on pl.code = c.plan
           where c.partner_id = $1 and c.id = $2"#,
        partner_id,
        client_id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(ClientDetail {
        id: c.id,
        company_name: c.company_name,
        contact_name: c.contact_name,
        contact_email: c.contact_email,
        contact_phone: c.contact_phone,
        plan: c.plan,
        plan_name: c.plan_name,
        list_price: c.list_price,
        custom_price: c.custom_price,
        billing_owned_by_reseller: c.billing_owned_by_reseller,
        status: c.status,
        region: c.region,
        created_at: c.created_at,
        reseller_access_enabled: c.reseller_access_enabled,
        history: Vec::new(),
        won_from_deal: None,
        can_edit: false,
        can_impersonate: false,
    }))
}

/// What the list reads: the partner's clients, or, for a search, the clients that
/// `client_search` (migration 20261204000001) finds. It states the tenant rule itself and
/// matches through the partner-and-trigram index, which a LIKE here could not use under the
/// partner's policy. Both have the columns the page, its filters and its sort keys name.
fn push_source<'a>(
    builder: &mut QueryBuilder<'a, Postgres>,
    partner_id: Uuid,
    query: &ClientQuery,
) {
    match &query.search {
        Some(search) => {
            builder.push(" from ");
            push_search(builder, partner_id, search);
            builder.push(" c");
        }
        None => {
            builder.push(" from clients c");
        }
    }
}

/// `client_search(partner, pattern)` for what the person typed.
fn push_search(builder: &mut QueryBuilder<'_, Postgres>, partner_id: Uuid, search: &str) {
    builder
        .push("client_search(")
        .push_bind(partner_id)
        .push(", ")
        .push_bind(crate::db::like_pattern(search))
        .push(")");
}

/// The list's filters for a query that reads `clients c` itself (the CSV export, which needs
/// columns the search does not return): the search as a filter on the clients it finds.
pub fn filters_with_search<'a>(
    builder: &mut QueryBuilder<'a, Postgres>,
    partner_id: Uuid,
    query: &'a ClientQuery,
) {
    filters(builder, partner_id, query);
    if let Some(search) = &query.search {
        builder.push(" and c.id in (select s.id from ");
        push_search(builder, partner_id, search);
        builder.push(" s)");
    }
}

/// Filters shared by the page and its total, always starting with the partner; the search
/// is the source's (see [`push_source`]).
fn filters<'a>(builder: &mut QueryBuilder<'a, Postgres>, partner_id: Uuid, query: &'a ClientQuery) {
    builder.push(" where c.partner_id = ").push_bind(partner_id);
    if let Some(status) = query.status {
        builder.push(" and c.status = ").push_bind(status);
    }
    if let Some(plan) = &query.plan {
        builder.push(" and c.plan = ").push_bind(plan);
    }
}

/// Counts past this are shown as "more than" (a search or plan filter over a large partner).
const COUNT_BOUND: i64 = 1_000;

/// One page of the partner's clients from `query.position`, its links, and how many match.
pub async fn list(
    pool: &PgPool,
    partner_id: Uuid,
    query: &ClientQuery,
) -> sqlx::Result<(Vec<ClientRow>, PageLinks, Total)> {
    // The order and its key come from a closed list, never from the request's text. Each
    // sort has its index (partner, key..., id), on stored keys of leakproof types, so that a
    // cursor bounds the index scan under the tenant policy (migration 20261210000001).
    let key = match query.sort {
        ClientSort::Company => &[("c.name_key", "text"), ("c.id", "uuid")][..],
        ClientSort::Created => &[("c.created_at", "timestamptz"), ("c.id", "uuid")][..],
        ClientSort::Plan => &[
            ("c.plan_rank", "int"),
            ("c.name_key", "text"),
            ("c.id", "uuid"),
        ][..],
        ClientSort::Price => &[
            ("c.price_key", "int8"),
            ("c.name_key", "text"),
            ("c.id", "uuid"),
        ][..],
    };
    let key = SortKey::new(key, query.descending);
    let mut page = QueryBuilder::new(format!(
        "select c.id, c.company_name, c.contact_name, c.contact_email, pl.name as plan_name, \
         c.sort_price as price, c.status, {} as page_key",
        key.select()
    ));
    if query.search.is_some() {
        // A search is answered once per view: its matches are counted (a window over them
        // all, before the page's bound) and sorted in the statement that reads the page.
        page.push(", c.matches from (select c.*, count(*) over () as matches");
        push_source(&mut page, partner_id, query);
        filters(&mut page, partner_id, query);
        page.push(") c join plans pl on pl.code = c.plan where true");
    } else {
        push_source(&mut page, partner_id, query);
        page.push(" join plans pl on pl.code = c.plan");
        filters(&mut page, partner_id, query);
    }
    key.push_bound(&mut page, &query.position);
    key.push_order(&mut page, &query.position, PAGE_SIZE);
    let rows = page.build_query_as::<ListRow>().fetch_all(pool).await?;
    let matches = rows.first().and_then(|r| r.matches);
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| {
                let k = r.page_key.clone();
                (ClientRow::from(r), k)
            })
            .collect(),
        &query.position,
        PAGE_SIZE,
    );
    let total = match matches {
        Some(n) => Total::bounded(n, COUNT_BOUND),
        // No search, or a search whose page is empty (a cursor past its end): counted apart.
        None => total(pool, partner_id, query).await?,
    };
    let rows = super::risks::with_risks(pool, partner_id, rows).await?;
    Ok((rows, links, total))
}

/// How many clients match: from the partner's figures when only the status filters (exact,
/// one row), else counted up to [`COUNT_BOUND`].
async fn total(pool: &PgPool, partner_id: Uuid, query: &ClientQuery) -> sqlx::Result<Total> {
    if query.plan.is_none() && query.search.is_none() {
        let f = sqlx::query!(
            "select clients, active_clients, open_clients from partner_figures where partner_id = $1",
            partner_id
        )
        .fetch_optional(pool)
        .await?;
        let (all, active, open) = f.map_or((0, 0, 0), |f| {
            (
                i64::from(f.clients),
                i64::from(f.active_clients),
                i64::from(f.open_clients),
            )
        });
        return Ok(Total::Exact(match query.status {
            None => all,
            Some(SubscriptionStatus::Active) => active,
            Some(SubscriptionStatus::Suspended) => open - active,
            Some(SubscriptionStatus::Canceled) => all - open,
        }));
    }
    let mut count = QueryBuilder::new("select count(*) from (select 1");
    push_source(&mut count, partner_id, query);
    filters(&mut count, partner_id, query);
    count
        .push(" limit ")
        .push_bind(COUNT_BOUND + 1)
        .push(") bounded");
    let counted: i64 = count.build_query_scalar().fetch_one(pool).await?;
    Ok(Total::bounded(counted, COUNT_BOUND))
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    company_name: String,
    contact_name: String,
    contact_email: String,
    plan_name: String,
    price: Decimal,
    status: SubscriptionStatus,
    page_key: Vec<String>,
    /// How many clients the search matched (searches only).
    #[sqlx(default)]
    matches: Option<i64>,
}

impl From<ListRow> for ClientRow {
    fn from(r: ListRow) -> Self {
        ClientRow {
            id: r.id,
            company_name: r.company_name,
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            plan_name: r.plan_name,
            price: r.price,
            status: r.status,
            risks: Vec::new(),
        }
    }
}

/// The partner's tier and how many clients count against its cap, with the partner row
/// locked until the transaction ends: concurrent creates and reactivations take turns, so
/// the cap cannot be overrun by two requests that each saw one free place.
pub async fn lock_cap(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
) -> sqlx::Result<(Tier, i64)> {
    let tier = sqlx::query_scalar!(
        r#"select tier as "tier: Tier" from partners where id = $1 for update"#,
        partner_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let open = sqlx::query_scalar!(
        r#"select count(*) as "count!" from clients where partner_id = $1 and status <> 'canceled'"#,
        partner_id
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok((tier, open))
}

pub async fn open_clients(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<(Tier, i64)> {
    let row = sqlx::query!(
        r#"select p.tier as "tier: Tier",
                  coalesce(f.open_clients, 0)::int8 as "open!"
           from partners p left join partner_figures f on f.partner_id = p.id
           where p.id = $1"#,
        partner_id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.tier, row.open))
}

pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    fields: &ClientFields,
) -> sqlx::Result<Uuid> {
    let base =
        crate::program::slug::from_name(&fields.company_name).unwrap_or_else(|| "client".into());
    for n in 1..10_000 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let id = sqlx::query_scalar!(
            "insert into clients (partner_id, slug, company_name, contact_name, contact_email, contact_phone,
                                  plan, custom_price, billing_owned_by_reseller, region)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             on conflict (partner_id, slug) do nothing returning id",
            partner_id,
            slug,
            fields.company_name,
            fields.contact_name,
            fields.contact_email,
            fields.contact_phone,
            fields.plan,
            fields.custom_price,
            fields.billing_owned_by_reseller,
            fields.region
        )
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            return Ok(id);
        }
    }
    Err(sqlx::Error::Protocol("no free client slug".into()))
}

/// The client's current subscription, locked for a change.
pub struct Subscription {
    pub plan: String,
    pub custom_price: Option<Decimal>,
    pub status: SubscriptionStatus,
    pub company_name: String,
}

pub async fn lock_subscription(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as!(
        Subscription,
        r#"select plan, custom_price, status as "status: SubscriptionStatus", company_name
           from clients where partner_id = $1 and id = $2 for update"#,
        partner_id,
        client_id
    )
    .fetch_optional(&mut **tx)
    .await
}

pub async fn update_fields(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
    fields: &ClientFields,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update clients set company_name = $3, contact_name = $4, contact_email = $5, contact_phone = $6,
                plan = $7, custom_price = $8, billing_owned_by_reseller = $9, region = $10, updated_at = now()
         where partner_id = $1 and id = $2",
        partner_id,
        client_id,
        fields.company_name,
        fields.contact_name,
        fields.contact_email,
        fields.contact_phone,
        fields.plan,
        fields.custom_price,
        fields.billing_owned_by_reseller,
        fields.region
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    client_id: Uuid,
    status: SubscriptionStatus,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update clients set status = $3, updated_at = now() where partner_id = $1 and id = $2",
        partner_id,
        client_id,
        status as SubscriptionStatus
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An event row: who did it (and, while impersonating, who really did), and what changed.
pub struct NewEvent<'a> {
    pub partner_id: Uuid,
    pub client_id: Uuid,
    pub actor: Uuid,
    pub real_user: Option<Uuid>,
    pub impersonation: Option<Uuid>,
    pub kind: &'a str,
    pub from_plan: Option<&'a str>,
    pub to_plan: &'a str,
    pub from_custom_price: Option<Decimal>,
    pub to_custom_price: Option<Decimal>,
    pub from_status: Option<SubscriptionStatus>,
    pub to_status: SubscriptionStatus,
}

pub async fn record_event(
    tx: &mut Transaction<'_, Postgres>,
    e: &NewEvent<'_>,
) -> sqlx::Result<()> {
    sqlx::query!(
        // clock_timestamp(), not now(): several events of one transaction keep their order.
        "insert into subscription_events
             (occurred_at, partner_id, client_id, actor_user_id, real_user_id, impersonation_id, kind, from_plan,
              to_plan, list_price, from_custom_price, to_custom_price, from_status, to_status)
         select clock_timestamp(), $1, $2, $3, $4, $5, $6, $7, $8, p.monthly_price, $9, $10, $11, $12
         from plans p where p.code = $8",
        e.partner_id,
        e.client_id,
        e.actor,
        e.real_user,
        e.impersonation,
        e.kind,
        e.from_plan,
        e.to_plan,
        e.from_custom_price,
        e.to_custom_price,
        e.from_status as Option<SubscriptionStatus>,
        e.to_status as SubscriptionStatus
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether moving from plan `from` to plan `to` is a move down the plan list.
pub async fn is_downgrade(tx: &mut PgConnection, from: &str, to: &str) -> sqlx::Result<bool> {
    let lower = sqlx::query_scalar!(
        "select (select sort_order from plans where code = $2) < (select sort_order from plans where code = $1)",
        from,
        to
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(lower.unwrap_or(false))
}
