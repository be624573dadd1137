//! SQL for leads. The admins' list reads every lead; a partner's statements read only the
//! offers made to it and the leads it holds now (row-level security holds it there too).

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Postgres, QueryBuilder, Transaction};
use uuid::Uuid;

use super::assign::{candidates, LeadFacts};
use super::input::NewLead;
use super::model::{
    AdminLead, ImportReport, LeadStatus, Offer, OfferDetails, RejectedRow, CANDIDATES_SHOWN,
    LEADS_PAGE, REJECTED_SHOWN,
};
use crate::{
    db::keyset::SortKey,
    program::{PageLinks, Position},
};

/// Stores leads, waiting for the rules; their ids.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    leads: &[NewLead],
    import_id: Option<Uuid>,
    created_by: Uuid,
) -> sqlx::Result<Vec<Uuid>> {
    let column = |f: fn(&NewLead) -> String| leads.iter().map(f).collect::<Vec<_>>();
    sqlx::query_scalar(
        "insert into leads (company_name, domain, contact_name, contact_email, country,
                            industry, seats, notes, import_id, created_by)
         select company_name, domain, contact_name, contact_email, country, industry, seats,
                notes, $9, $10
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                     $7::int[], $8::text[])
              with ordinality as l(company_name, domain, contact_name, contact_email, country,
                                   industry, seats, notes, n)
         order by n
         returning id",
    )
    .bind(column(|l| l.company_name.clone()))
    .bind(column(|l| l.domain.as_str().to_string()))
    .bind(column(|l| l.contact_name.clone()))
    .bind(column(|l| l.contact_email.as_str().to_string()))
    .bind(column(|l| l.country.clone()))
    .bind(column(|l| l.industry.clone()))
    .bind(leads.iter().map(|l| l.seats).collect::<Vec<i32>>())
    .bind(column(|l| l.notes.clone()))
    .bind(import_id)
    .bind(created_by)
    .fetch_all(&mut **tx)
    .await
}

/// Records an import: kept whole (`rejected` empty) or refused whole.
pub async fn record_import(
    tx: &mut Transaction<'_, Postgres>,
    file_name: &str,
    rows: usize,
    rejected: &[RejectedRow],
    imported_by: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar(
        "insert into lead_imports (file_name, rows, rejected, imported_by)
         values ($1, $2, $3, $4) returning id",
    )
    .bind(file_name)
    .bind(rows as i32)
    .bind(serde_json::to_value(rejected).unwrap_or_default())
    .bind(imported_by)
    .fetch_one(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: Uuid,
    file_name: String,
    rows: i32,
    imported_at: DateTime<Utc>,
    rejected: serde_json::Value,
    placed: i64,
}

/// An import, with how many of its leads the rules have placed.
pub async fn import_report(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<ImportReport>> {
    let row: Option<ImportRow> = sqlx::query_as(
        "select i.id, i.file_name, i.rows, i.imported_at, i.rejected,
                (select count(*) from leads l where l.import_id = i.id and l.status <> 'new')
                    as placed
         from lead_imports i where i.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let mut rejected: Vec<RejectedRow> = serde_json::from_value(r.rejected).unwrap_or_default();
        let rejected_count = rejected.len();
        rejected.truncate(REJECTED_SHOWN);
        ImportReport {
            id: r.id,
            file_name: r.file_name,
            rows: r.rows,
            imported_at: r.imported_at,
            rejected,
            rejected_count,
            placed: r.placed,
        }
    }))
}

#[derive(sqlx::FromRow)]
struct AdminRow {
    id: Uuid,
    company_name: String,
    domain: String,
    contact_name: String,
    contact_email: String,
    country: String,
    industry: String,
    seats: i32,
    status: String,
    partner_id: Option<Uuid>,
    partner_name: Option<String>,
    offer_expires_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    passed_by: Vec<String>,
    passed_why: Vec<String>,
    page_key: Vec<String>,
}

/// A page of leads, newest first, of one status or all; each not yet accepted with the
/// first partners by the rules at `now`, to hand it to.
pub async fn admin_list(
    pool: &PgPool,
    status: Option<LeadStatus>,
    position: &Position,
    now: DateTime<Utc>,
) -> sqlx::Result<(Vec<AdminLead>, PageLinks)> {
    let key = SortKey::new(&[("l.created_at", "timestamptz"), ("l.id", "uuid")], true);
    let mut page = QueryBuilder::new(format!(
        "select l.id, l.company_name, l.domain, l.contact_name, l.contact_email, l.country,
                l.industry, l.seats, l.status, l.partner_id, p.name as partner_name,
                l.offer_expires_at, l.created_at,
                array(select q.name from lead_offers o join partners q on q.id = o.partner_id
                      where o.lead_id = l.id and o.answer in ('declined', 'expired')
                      order by o.answered_at, o.id) as passed_by,
                array(select coalesce(o.reason, 'Did not answer in time') from lead_offers o
                      where o.lead_id = l.id and o.answer in ('declined', 'expired')
                      order by o.answered_at, o.id) as passed_why,
                {} as page_key
         from leads l left join partners p on p.id = l.partner_id where true",
        key.select()
    ));
    match status {
        Some(LeadStatus::New) => {
            page.push(" and l.status in ('new', 'passed')");
        }
        Some(status) => {
            page.push(" and l.status = ").push_bind(status.slug());
        }
        None => {}
    }
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, LEADS_PAGE);
    let rows: Vec<AdminRow> = page.build_query_as().fetch_all(pool).await?;
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| {
                let page_key = r.page_key.clone();
                (r, page_key)
            })
            .collect(),
        position,
        LEADS_PAGE,
    );
    let mut conn = pool.acquire().await?;
    let mut leads = Vec::with_capacity(rows.len());
    for r in rows {
        // A declined lead waiting for the rules is, to admins, being assigned.
        let status = LeadStatus::from_slug(&r.status).unwrap_or(LeadStatus::New);
        let partner_id = r.partner_id.filter(|_| status != LeadStatus::New);
        let open = matches!(status, LeadStatus::Offered | LeadStatus::Unmatched);
        let facts = LeadFacts {
            id: r.id,
            company_name: r.company_name.clone(),
            country: r.country.clone(),
            industry: r.industry.clone(),
        };
        let candidates = if open {
            candidates(&mut conn, &facts, now, CANDIDATES_SHOWN, partner_id).await?
        } else {
            Vec::new()
        };
        leads.push(AdminLead {
            id: r.id,
            company_name: r.company_name,
            domain: r.domain,
            contact_name: r.contact_name,
            contact_email: r.contact_email,
            country: r.country,
            industry: r.industry,
            seats: r.seats,
            status,
            partner: partner_id.zip(r.partner_name),
            offer_expires_at: r.offer_expires_at,
            created_at: r.created_at,
            passed: r.passed_by.into_iter().zip(r.passed_why).collect(),
            candidates,
        });
    }
    Ok((leads, links))
}

#[derive(sqlx::FromRow)]
struct OfferRow {
    lead_id: Uuid,
    company_name: String,
    country: String,
    industry: String,
    offered_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    answer: Option<String>,
    reason: Option<String>,
    domain: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    seats: Option<i32>,
    notes: Option<String>,
    deal_id: Option<Uuid>,
    page_key: Vec<String>,
}

/// A page of the offers made to the partner, newest first; the lead's details where the
/// partner holds it now.
pub async fn offers(
    pool: &PgPool,
    partner_id: Uuid,
    position: &Position,
) -> sqlx::Result<(Vec<Offer>, PageLinks)> {
    let key = SortKey::new(&[("o.offered_at", "timestamptz"), ("o.id", "uuid")], true);
    let mut page = QueryBuilder::new(format!(
        "select o.lead_id, o.company_name, o.country, o.industry, o.offered_at, o.expires_at,
                o.answer, o.reason, l.domain, l.contact_name, l.contact_email, l.seats, l.notes,
                l.deal_id, {} as page_key
         from lead_offers o
         left join leads l on l.id = o.lead_id and l.partner_id = o.partner_id
                           and (o.answer is null or o.answer = 'accepted')
         where o.partner_id = ",
        key.select()
    ));
    page.push_bind(partner_id);
    key.push_bound(&mut page, position);
    key.push_order(&mut page, position, LEADS_PAGE);
    let rows: Vec<OfferRow> = page.build_query_as().fetch_all(pool).await?;
    Ok(key.finish(
        rows.into_iter()
            .map(|r| {
                let details = match (r.domain, r.contact_name, r.contact_email, r.seats) {
                    (Some(domain), Some(contact_name), Some(contact_email), Some(seats)) => {
                        Some(OfferDetails {
                            domain,
                            contact_name,
                            contact_email,
                            seats,
                            notes: r.notes.unwrap_or_default(),
                            deal_id: r.deal_id,
                        })
                    }
                    _ => None,
                };
                (
                    Offer {
                        lead_id: r.lead_id,
                        company_name: r.company_name,
                        country: r.country,
                        industry: r.industry,
                        offered_at: r.offered_at,
                        expires_at: r.expires_at,
                        answer: r.answer,
                        reason: r.reason,
                        details,
                    },
                    r.page_key,
                )
            })
            .collect(),
        position,
        LEADS_PAGE,
    ))
}

/// A lead the partner holds on offer at `now`, locked for its answer.
#[derive(sqlx::FromRow)]
pub struct HeldLead {
    pub id: Uuid,
    pub company_name: String,
    pub domain: String,
    pub contact_name: String,
    pub contact_email: String,
    pub country: String,
    pub industry: String,
    pub seats: i32,
    pub notes: String,
}

pub async fn lock_offered(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    lead_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<HeldLead>> {
    sqlx::query_as(
        "select id, company_name, domain, contact_name, contact_email, country, industry,
                seats, notes
         from leads
         where id = $1 and partner_id = $2 and status = 'offered' and offer_expires_at > $3
         for update",
    )
    .bind(lead_id)
    .bind(partner_id)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Closes the lead's open offer with `answer`.
pub async fn answer_offer(
    tx: &mut Transaction<'_, Postgres>,
    lead_id: Uuid,
    answer: &str,
    by: Uuid,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update lead_offers set answer = $2, answered_by = $3, reason = $4, answered_at = $5
         where lead_id = $1 and answer is null",
    )
    .bind(lead_id)
    .bind(answer)
    .bind(by)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The partner's accepted lead, now its registration `deal_id`.
pub async fn mark_accepted(
    tx: &mut Transaction<'_, Postgres>,
    lead_id: Uuid,
    deal_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "update leads set status = 'accepted', deal_id = $2, offer_expires_at = null
         where id = $1",
    )
    .bind(lead_id)
    .bind(deal_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Lets go of a declined lead: it waits for the rules again (the rules take it from the
/// partner's hands).
pub async fn release(tx: &mut Transaction<'_, Postgres>, lead_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("update leads set status = 'passed', offer_expires_at = null where id = $1")
        .bind(lead_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A lead, locked for an admin's hand-off: what the rules read, who has it on offer, and
/// whether it was accepted already.
pub async fn lock_for_hand_off(
    tx: &mut Transaction<'_, Postgres>,
    lead_id: Uuid,
) -> sqlx::Result<Option<(LeadFacts, Option<Uuid>, bool)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        lead: LeadFacts,
        partner_id: Option<Uuid>,
        accepted: bool,
    }
    let row: Option<Row> = sqlx::query_as(
        "select id, company_name, country, industry,
                case when status = 'offered' then partner_id end as partner_id,
                status = 'accepted' as accepted
         from leads where id = $1 for update",
    )
    .bind(lead_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| (r.lead, r.partner_id, r.accepted)))
}
