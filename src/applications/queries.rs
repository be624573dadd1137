//! SQL for applications. Writes take the caller's transaction so that the audit row and the
//! e-mails go in with the change.

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::{
    model::{
        ApplicationDetail, ApplicationNote, ApplicationRow, ApplicationStatus, CompanySize,
        NewApplication, StatusChange,
    },
    queue::{QueuePage, QueueQuery, SortField, PAGE_SIZE},
};
use crate::{db::keyset::SortKey, program::PartnershipType};

/// Stores a new application; `Ok(None)` when this e-mail already has an open one.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    app: &NewApplication,
    reference: &str,
    client_addr: Option<String>,
) -> sqlx::Result<Option<Uuid>> {
    let id = sqlx::query_scalar!(
        r#"insert into partner_applications
               (reference, company_name, contact_name, contact_email, contact_phone, website,
                partnership_type, company_size, industry, current_solutions, target_market,
                motivation, additional_info, client_addr)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::inet)
           on conflict (contact_email) where status in ('pending', 'reviewing') do nothing
           returning id"#,
        reference,
        app.company_name,
        app.contact_name,
        app.contact_email,
        app.contact_phone,
        app.website,
        app.partnership_type as PartnershipType,
        app.company_size as CompanySize,
        app.industry,
        app.current_solutions,
        app.target_market,
        app.motivation,
        app.additional_info,
        client_addr,
    )
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = id {
        record_change(tx, id, None, ApplicationStatus::Pending, None, None).await?;
    }
    Ok(id)
}

pub async fn record_change(
    tx: &mut Transaction<'_, Postgres>,
    application_id: Uuid,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    by: Option<Uuid>,
    reason: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into application_status_changes (application_id, from_status, to_status, changed_by, reason)
         values ($1, $2, $3, $4, $5)",
        application_id,
        from as Option<ApplicationStatus>,
        to as ApplicationStatus,
        by,
        reason
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// E-mail addresses of every active admin, for notifications.
pub async fn admin_emails(tx: &mut Transaction<'_, Postgres>) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select email from users where is_admin and disabled_at is null order by email"
    )
    .fetch_all(&mut **tx)
    .await
}

/// One page of the queue and the counts for its tabs.
pub async fn queue(pool: &PgPool, query: &QueueQuery) -> sqlx::Result<QueuePage> {
    // Filters other than status: shared by the page, its total and the tab counts.
    fn filters<'a>(builder: &mut QueryBuilder<'a, Postgres>, query: &'a QueueQuery) {
        builder.push(" where true");
        if let Some(kind) = query.partnership_type {
            builder.push(" and partnership_type = ").push_bind(kind);
        }
        if let Some(search) = &query.search {
            builder
                .push(" and (lower(company_name) || ' ' || contact_email) like ")
                .push_bind(crate::db::like_pattern(search));
        }
    }

    let mut counts_sql = QueryBuilder::new("select status, count(*) from partner_applications");
    filters(&mut counts_sql, query);
    counts_sql.push(" group by status");
    let counted: Vec<(ApplicationStatus, i64)> =
        counts_sql.build_query_as().fetch_all(pool).await?;
    let counts: Vec<(ApplicationStatus, i64)> = ApplicationStatus::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                counted.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n),
            )
        })
        .collect();
    let total = match query.status {
        Some(status) => counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n),
        None => counts.iter().map(|(_, n)| n).sum(),
    };

    // The sort comes from a closed list, never from the request's text; each has its index.
    let key = match query.sort {
        SortField::Submitted => &[("submitted_at", "timestamptz"), ("id", "uuid")][..],
        SortField::Company => &[("name_key", "text"), ("id", "uuid")][..],
        SortField::Status => &[
            ("status_rank", "int2"),
            ("submitted_at", "timestamptz"),
            ("id", "uuid"),
        ][..],
    };
    let key = SortKey::new(key, !query.ascending);
    let mut page_sql = QueryBuilder::new(format!(
        "select id, reference, company_name, contact_email, partnership_type, status, submitted_at, \
         (extract(epoch from now() - submitted_at) / 86400)::bigint as age_days, {} as page_key \
         from partner_applications",
        key.select()
    ));
    filters(&mut page_sql, query);
    if let Some(status) = query.status {
        // By the stored rank: an enum comparison is not leakproof, so under the policy it
        // could not bound the index scan (migration 20261210000001).
        page_sql
            .push(" and status_rank = ")
            .push_bind(status_rank(status));
    }
    key.push_bound(&mut page_sql, &query.position);
    key.push_order(&mut page_sql, &query.position, PAGE_SIZE);
    let rows = page_sql
        .build_query_as::<QueueRow>()
        .fetch_all(pool)
        .await?;
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| {
                let k = r.page_key.clone();
                (ApplicationRow::from(r), k)
            })
            .collect(),
        &query.position,
        PAGE_SIZE,
    );
    Ok(QueuePage {
        rows,
        total,
        links,
        counts,
    })
}

/// The status's `status_rank` (its place in the enum's order, from 1).
fn status_rank(status: ApplicationStatus) -> i16 {
    let place = ApplicationStatus::ALL.iter().position(|s| *s == status);
    place.map_or(0, |i| i as i16 + 1)
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: Uuid,
    reference: String,
    company_name: String,
    contact_email: String,
    partnership_type: PartnershipType,
    status: ApplicationStatus,
    submitted_at: DateTime<Utc>,
    age_days: i64,
    page_key: Vec<String>,
}

impl From<QueueRow> for ApplicationRow {
    fn from(r: QueueRow) -> Self {
        ApplicationRow {
            id: r.id,
            reference: r.reference,
            company_name: r.company_name,
            contact_email: r.contact_email,
            partnership_type: r.partnership_type,
            status: r.status,
            submitted_at: r.submitted_at,
            age_days: r.age_days,
        }
    }
}

pub async fn detail(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<ApplicationDetail>> {
    let Some(a) = sqlx::query!(
        r#"select id, reference, company_name, contact_name, contact_email, contact_phone, website,
                  partnership_type as "partnership_type: PartnershipType",
                  company_size as "company_size: CompanySize",
                  industry, current_solutions, target_market, motivation, additional_info,
                  status as "status: ApplicationStatus",
                  submitted_at as "submitted_at: DateTime<Utc>",
                  decided_at as "decided_at: DateTime<Utc>",
                  rejection_reason, partner_id
           from partner_applications where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let notes = sqlx::query_as!(
        ApplicationNote,
        r#"select n.id, u.display_name as author, n.body, n.created_at as "created_at: DateTime<Utc>"
           from application_notes n join users u on u.id = n.author_id
           where n.application_id = $1 order by n.created_at, n.id"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let history = sqlx::query_as!(
        StatusChange,
        r#"select c.from_status as "from_status: ApplicationStatus",
                  c.to_status as "to_status: ApplicationStatus",
                  u.display_name as "changed_by?",
                  c.changed_at as "changed_at: DateTime<Utc>", c.reason
           from application_status_changes c left join users u on u.id = c.changed_by
           where c.application_id = $1 order by c.changed_at, c.id"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(ApplicationDetail {
        id: a.id,
        reference: a.reference,
        company_name: a.company_name,
        contact_name: a.contact_name,
        contact_email: a.contact_email,
        contact_phone: a.contact_phone,
        website: a.website,
        partnership_type: a.partnership_type,
        company_size: a.company_size,
        industry: a.industry,
        current_solutions: a.current_solutions,
        target_market: a.target_market,
        motivation: a.motivation,
        additional_info: a.additional_info,
        status: a.status,
        submitted_at: a.submitted_at,
        decided_at: a.decided_at,
        rejection_reason: a.rejection_reason,
        partner_id: a.partner_id,
        notes,
        history,
    }))
}

pub async fn add_note(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    author: Uuid,
    body: &str,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "insert into application_notes (application_id, author_id, body)
         select id, $2, $3 from partner_applications where id = $1
         returning id",
        id,
        author,
        body
    )
    .fetch_optional(&mut **tx)
    .await
}

/// The fields a decision needs, with the row locked until the transaction ends.
pub struct LockedApplication {
    pub id: Uuid,
    pub reference: String,
    pub company_name: String,
    pub contact_name: String,
    pub contact_email: String,
    pub partnership_type: PartnershipType,
    pub status: ApplicationStatus,
}

pub async fn lock(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> sqlx::Result<Option<LockedApplication>> {
    sqlx::query_as!(
        LockedApplication,
        r#"select id, reference, company_name, contact_name, contact_email,
                  partnership_type as "partnership_type: PartnershipType",
                  status as "status: ApplicationStatus"
           from partner_applications where id = $1 for update"#,
        id
    )
    .fetch_optional(&mut **tx)
    .await
}

/// The partner an application became, if it was approved.
pub async fn partner_of(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select partner_id from partner_applications where id = $1",
        id
    )
    .fetch_one(&mut **tx)
    .await
}

pub async fn set_status(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    status: ApplicationStatus,
    rejection_reason: Option<&str>,
    partner_id: Option<Uuid>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update partner_applications
         set status = $2,
             decided_at = case when $2::application_status in ('approved', 'rejected') then now() else null end,
             rejection_reason = $3,
             partner_id = coalesce($4, partner_id)
         where id = $1",
        id,
        status as ApplicationStatus,
        rejection_reason,
        partner_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Counts for the statistics page.
pub struct StatsRows {
    pub by_status: Vec<(String, i64)>,
    pub by_type: Vec<(String, i64)>,
    pub by_size: Vec<(String, i64)>,
    pub per_month: Vec<(String, i64)>,
    pub median_hours: Option<f64>,
}

pub async fn stats(pool: &PgPool) -> sqlx::Result<StatsRows> {
    // Every breakdown in one round trip; each lists all its values, zero counts included.
    let breakdowns = sqlx::query!(
        r#"select 'status' as "dimension!", s.value::text as "label!", s.ord as "ord!",
                  (select count(*) from partner_applications a where a.status = s.value) as "count!"
           from unnest(enum_range(null::application_status)) with ordinality as s(value, ord)
           union all
           select 'type', t.value::text, t.ord,
                  (select count(*) from partner_applications a where a.partnership_type = t.value)
           from unnest(enum_range(null::partnership_type)) with ordinality as t(value, ord)
           union all
           select 'size', z.value::text, z.ord,
                  (select count(*) from partner_applications a where a.company_size = z.value)
           from unnest(enum_range(null::company_size)) with ordinality as z(value, ord)
           order by 1, 3"#
    )
    .fetch_all(pool)
    .await?;
    let breakdown = |dimension: &str| -> Vec<(String, i64)> {
        breakdowns
            .iter()
            .filter(|r| r.dimension == dimension)
            .map(|r| (r.label.clone(), r.count))
            .collect()
    };
    let (by_status, by_type, by_size) = (breakdown("status"), breakdown("type"), breakdown("size"));
    let per_month = sqlx::query!(
        r#"select to_char(m.month, 'YYYY-MM') as "label!", count(a.id) as "count!"
           from generate_series(date_trunc('month', now()) - interval '11 months',
                                date_trunc('month', now()), interval '1 month') as m(month)
           left join partner_applications a
                  on a.submitted_at >= m.month and a.submitted_at < m.month + interval '1 month'
           group by m.month order by m.month"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.label, r.count))
    .collect();
    let median_hours = sqlx::query_scalar!(
        r#"select percentile_cont(0.5) within group
                  (order by extract(epoch from decided_at - submitted_at) / 3600.0)
           from partner_applications where decided_at is not null"#
    )
    .fetch_one(pool)
    .await?;
    Ok(StatsRows {
        by_status,
        by_type,
        by_size,
        per_month,
        median_hours,
    })
}
