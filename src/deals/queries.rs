//! SQL for deal registrations. A partner's statements name its own partner; the conflict
//! check goes through `deal_conflicts()`, which reads every partner's rows and answers only
//! what the asking partner may know; the admins' queue reads every partner's.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::decision::Decision;
use super::model::{
    Conflict, ConflictKind, DealRow, DealStatus, NewDeal, QueuedDeal, Similar, DEALS_PAGE,
    QUEUE_PAGE,
};
use super::rules::PROTECTION_DAYS;
use crate::{
    db::keyset::SortKey,
    program::{PageLinks, Position},
};

/// The columns of a [`DealRow`], from `deals d` joined to `users u` (the registrant).
const DEAL_COLUMNS: &str = "d.id, d.company_name, d.domain, d.contact_name, d.contact_email, \
    d.country, d.plan, d.seats, d.monthly_value, d.expected_close, d.notes, d.status, \
    u.display_name as registered_by, d.created_at, d.protected_until, d.decision_reason, \
    d.client_id, d.extension_requested_at, d.extension_reason";

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    company_name: String,
    domain: String,
    contact_name: String,
    contact_email: String,
    country: String,
    plan: String,
    seats: i32,
    monthly_value: Decimal,
    expected_close: NaiveDate,
    notes: String,
    status: String,
    registered_by: Option<String>,
    created_at: DateTime<Utc>,
    protected_until: Option<DateTime<Utc>>,
    decision_reason: Option<String>,
    client_id: Option<Uuid>,
    extension_requested_at: Option<DateTime<Utc>>,
    extension_reason: Option<String>,
}

impl From<Row> for DealRow {
    fn from(r: Row) -> DealRow {
        DealRow {
            id: r.id,
            company_name: r.company_name,
            domain: r.domain,
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            country: r.country,
            plan: r.plan,
            seats: r.seats,
            monthly_value: r.monthly_value,
            expected_close: r.expected_close,
            notes: r.notes,
            status: DealStatus::from_slug(&r.status).unwrap_or(DealStatus::Pending),
            registered_by: r.registered_by,
            created_at: r.created_at,
            protected_until: r.protected_until,
            decision_reason: r.decision_reason,
            client_id: r.client_id,
            extension_requested_at: r.extension_requested_at,
            extension_reason: r.extension_reason,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ListRow {
    #[sqlx(flatten)]
    deal: Row,
    page_key: Vec<String>,
}

/// A page of the partner's registrations, newest first.
pub async fn list(
    pool: &PgPool,
    partner_id: Uuid,
    position: &Position,
) -> sqlx::Result<(Vec<DealRow>, PageLinks)> {
    let key = SortKey::new(&[("d.created_at", "timestamptz"), ("d.id", "uuid")], true);
    let mut page = QueryBuilder::new(format!(
        "select {DEAL_COLUMNS}, {} as page_key
         from deals d left join users u on u.id = d.registered_by where d.partner_id = ",
        key.select()
    ));
    page.push_bind(partner_id);
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, DEALS_PAGE);
    let rows: Vec<ListRow> = page.build_query_as().fetch_all(pool).await?;
    Ok(key.finish(
        rows.into_iter()
            .map(|r| (DealRow::from(r.deal), r.page_key))
            .collect(),
        position,
        DEALS_PAGE,
    ))
}

/// One of the partner's registrations.
pub async fn find(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    deal_id: Uuid,
) -> sqlx::Result<Option<DealRow>> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "select {DEAL_COLUMNS} from deals d left join users u on u.id = d.registered_by
         where d.id = $1 and d.partner_id = $2"
    ))
    .bind(deal_id)
    .bind(partner_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(DealRow::from))
}

/// Stores a registration, pending review; its id.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    registered_by: Uuid,
    deal: &NewDeal,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "insert into deals (partner_id, company_name, domain, contact_name, contact_email,
                            country, plan, seats, monthly_value, expected_close, notes,
                            registered_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         returning id",
    )
    .bind(partner_id)
    .bind(&deal.company_name)
    .bind(deal.domain.as_str())
    .bind(&deal.contact_name)
    .bind(deal.contact_email.as_str())
    .bind(&deal.country)
    .bind(&deal.plan)
    .bind(deal.seats)
    .bind(deal.monthly_value)
    .bind(deal.expected_close)
    .bind(&deal.notes)
    .bind(registered_by)
    .fetch_one(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
struct ConflictRow {
    kind: String,
    own: bool,
    matched_on: String,
    status: String,
    since: DateTime<Utc>,
    protected_until: Option<DateTime<Utc>>,
}

/// Live registrations and clients like the prospect, as the asking partner may know them.
pub async fn conflicts(
    pool: &PgPool,
    partner_id: Uuid,
    domain: Option<&str>,
    company_name: &str,
) -> sqlx::Result<Vec<Conflict>> {
    let rows: Vec<ConflictRow> = sqlx::query_as("select * from deal_conflicts($1, $2, $3)")
        .bind(partner_id)
        .bind(domain.unwrap_or_default())
        .bind(company_name)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Conflict {
            kind: if r.kind == "deal" {
                ConflictKind::Deal
            } else {
                ConflictKind::Client
            },
            own: r.own,
            same_domain: r.matched_on == "domain",
            status: r.status,
            since: r.since,
            protected_until: r.protected_until,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    partner_id: Uuid,
    partner_name: String,
    #[sqlx(flatten)]
    deal: Row,
    similar: sqlx::types::Json<Vec<SimilarRow>>,
    page_key: Vec<String>,
}

#[derive(serde::Deserialize)]
struct SimilarRow {
    kind: String,
    partner_name: String,
    company_name: String,
    domain: String,
    status: String,
    since: DateTime<Utc>,
    protected_until: Option<DateTime<Utc>>,
}

/// A page of registrations waiting for a decision, oldest first, each with up to five
/// other live registrations and five clients like it (same domain or a nearly identical
/// name), with their partners named. Admins only.
pub async fn queue(
    pool: &PgPool,
    position: &Position,
) -> sqlx::Result<(Vec<QueuedDeal>, PageLinks)> {
    let key = SortKey::new(&[("d.created_at", "timestamptz"), ("d.id", "uuid")], false);
    let mut page = QueryBuilder::new(format!(
        "select p.id as partner_id, p.name as partner_name, {DEAL_COLUMNS},
           coalesce((
             select jsonb_agg(s) from (
               (select 'deal' as kind, op.name as partner_name, o.company_name, o.domain,
                       o.status, o.created_at as since, o.protected_until
                from deals o join partners op on op.id = o.partner_id
                where o.id <> d.id and o.status in ('pending', 'approved')
                  and (o.domain = d.domain or company_key(o.company_name) % company_key(d.company_name))
                order by o.domain = d.domain desc,
                         similarity(company_key(o.company_name), company_key(d.company_name)) desc
                limit 5)
               union all
               (select 'client', cp.name, c.company_name, email_domain(c.contact_email),
                       c.status::text, c.created_at, null
                from clients c join partners cp on cp.id = c.partner_id
                where c.status <> 'canceled'
                  and (email_domain(c.contact_email) = d.domain
                       or company_key(c.company_name) % company_key(d.company_name))
                order by email_domain(c.contact_email) = d.domain desc,
                         similarity(company_key(c.company_name), company_key(d.company_name)) desc
                limit 5)
             ) s), '[]') as similar,
           {} as page_key
         from deals d join partners p on p.id = d.partner_id
              left join users u on u.id = d.registered_by
         where d.status = 'pending'",
        key.select()
    ));
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, QUEUE_PAGE);
    // The same threshold as the partners' check ("nearly identical": 0.6), and the trigram
    // indexes rather than a bet on a whole-table scan (see `deal_conflicts()`), for this
    // transaction only.
    let mut tx = pool.begin().await?;
    sqlx::query(
        "select set_config('pg_trgm.similarity_threshold', '0.6', true),
                set_config('enable_seqscan', 'off', true)",
    )
    .execute(&mut *tx)
    .await?;
    let rows: Vec<QueueRow> = page.build_query_as().fetch_all(&mut *tx).await?;
    tx.commit().await?;
    Ok(key.finish(
        rows.into_iter()
            .map(|r| {
                let similar = r
                    .similar
                    .0
                    .into_iter()
                    .map(|s| Similar {
                        kind: if s.kind == "deal" {
                            ConflictKind::Deal
                        } else {
                            ConflictKind::Client
                        },
                        partner_name: s.partner_name,
                        company_name: s.company_name,
                        domain: s.domain,
                        status: s.status,
                        since: s.since,
                        protected_until: s.protected_until,
                    })
                    .collect();
                let queued = QueuedDeal {
                    partner_id: r.partner_id,
                    partner_name: r.partner_name,
                    deal: DealRow::from(r.deal),
                    similar,
                };
                (queued, r.page_key)
            })
            .collect(),
        position,
        QUEUE_PAGE,
    ))
}

/// What a decision changed: whose deal, for which company, and whom to tell.
#[derive(sqlx::FromRow)]
pub struct Decided {
    pub partner_id: Uuid,
    pub company_name: String,
    pub registrant_email: Option<String>,
    pub protected_until: Option<DateTime<Utc>>,
}

/// Records a decision on a pending registration in `tx`; `None` when there is no such
/// registration waiting (never decided twice: the update names the pending state).
pub async fn decide(
    tx: &mut Transaction<'_, Postgres>,
    deal_id: Uuid,
    by: Uuid,
    decision: &Decision,
) -> sqlx::Result<Option<Decided>> {
    let (status, reason, days) = match decision {
        Decision::Approve { note } => ("approved", note.clone(), PROTECTION_DAYS),
        Decision::Deny { reason } => ("denied", Some(reason.clone()), 0),
    };
    sqlx::query_as(
        "update deals d set status = $2, decided_by = $3, decided_at = now(),
                decision_reason = $4,
                protected_until = case when $2 = 'approved'
                                       then now() + make_interval(days => $5) end
         from deals before left join users u on u.id = before.registered_by
         where d.id = $1 and before.id = d.id and d.status = 'pending'
         returning d.partner_id, d.company_name, u.email as registrant_email, d.protected_until",
    )
    .bind(deal_id)
    .bind(status)
    .bind(by)
    .bind(reason)
    .bind(days as i32)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    partner_id: Uuid,
    partner_name: String,
    #[sqlx(flatten)]
    deal: Row,
}

/// The oldest [`REQUESTS_SHOWN`] extension requests waiting for an admin.
pub async fn extension_requests(pool: &PgPool) -> sqlx::Result<Vec<QueuedDeal>> {
    let rows: Vec<RequestRow> = sqlx::query_as(&format!(
        "select p.id as partner_id, p.name as partner_name, {DEAL_COLUMNS}
         from deals d join partners p on p.id = d.partner_id
              left join users u on u.id = d.registered_by
         where d.extension_requested_at is not null and d.status = 'approved'
         order by d.extension_requested_at, d.id limit $1"
    ))
    .bind(super::model::REQUESTS_SHOWN)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| QueuedDeal {
            partner_id: r.partner_id,
            partner_name: r.partner_name,
            deal: DealRow::from(r.deal),
            similar: Vec::new(),
        })
        .collect())
}
