//! Lead assignment (seed 001 section 6.1). A lead is offered to one partner at a time: of
//! the active partners that serve its country (or, when none of those qualifies, another
//! country of its region), know its industry, hold fewer open leads than their capacity and
//! had a member signed in within [`ACTIVE_DAYS`], the one with the best health score, and
//! among equals the one whose last lead is oldest (so equals take turns). A partner that
//! declined the lead or let an offer of it lapse is skipped. An offer not answered within
//! [`OFFER_HOURS`] moves on.
//!
//! The sweep claims leads with `skip locked`, so several app servers never offer one lead
//! twice; it takes the time as an argument, so tests move the clock.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::model::{Candidate, ACTIVE_DAYS, OFFER_HOURS};
use super::regions::neighbours;
use crate::{
    audit::{Action, Actor, AuditEntry},
    error::AppError,
    mail::{self, OutgoingEmail},
};

/// Leads handled per transaction of the sweep.
const PER_ROUND: i64 = 200;
/// How often the sweep runs.
pub const EVERY: Duration = Duration::from_secs(30);

/// What assignment reads of a lead.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LeadFacts {
    pub id: Uuid,
    pub company_name: String,
    pub country: String,
    pub industry: String,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    name: String,
    in_country: bool,
}

/// The first `limit` partners by the rules for `lead` at `now`, leaving out `except` (the
/// partner holding it): those serving its country first, then those serving its region.
pub async fn candidates(
    conn: &mut PgConnection,
    lead: &LeadFacts,
    now: DateTime<Utc>,
    limit: i64,
    except: Option<Uuid>,
) -> sqlx::Result<Vec<Candidate>> {
    candidates_serving(conn, lead, &neighbours(&lead.country), now, limit, except).await
}

/// The first partner by the rules: asked of the lead's country alone first (a far smaller set
/// than its region's), and of its region only when nobody there qualifies.
async fn first_candidate(
    conn: &mut PgConnection,
    lead: &LeadFacts,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Candidate>> {
    let country = [lead.country.clone()];
    if let Some(first) = candidates_serving(conn, lead, &country, now, 1, None)
        .await?
        .pop()
    {
        return Ok(Some(first));
    }
    Ok(candidates(conn, lead, now, 1, None).await?.pop())
}

/// [`candidates`] among the partners serving one of `territory`.
async fn candidates_serving(
    conn: &mut PgConnection,
    lead: &LeadFacts,
    territory: &[String],
    now: DateTime<Utc>,
    limit: i64,
    except: Option<Uuid>,
) -> sqlx::Result<Vec<Candidate>> {
    let rows: Vec<CandidateRow> = sqlx::query_as(
        "select p.id, p.name, p.territories @> array[$2] as in_country
         from partners p
         left join lateral (select h.score from partner_health h where h.partner_id = p.id
                            order by h.month desc limit 1) h on true
         where p.status = 'active'
           and p.territories && $3::text[]
           and p.industries @> array[$4]
           and p.id is distinct from $7
           and exists (select 1 from partner_members m join users u on u.id = m.user_id
                       where m.partner_id = p.id and u.disabled_at is null
                         and u.last_sign_in_at > $5 - make_interval(days => $6))
           and not exists (select 1 from lead_offers o
                           where o.lead_id = $1 and o.partner_id = p.id
                             and o.answer in ('declined', 'expired'))
           and (select count(*) from leads l left join deals d on d.id = l.deal_id
                where l.partner_id = p.id and l.status in ('offered', 'accepted')
                  and (l.status = 'offered' or d.status in ('pending', 'approved')))
               < p.lead_capacity
         order by in_country desc, coalesce(h.score, 0) desc, p.last_lead_at asc nulls first,
                  p.id
         limit $8",
    )
    .bind(lead.id)
    .bind(&lead.country)
    .bind(territory)
    .bind(&lead.industry)
    .bind(now)
    .bind(ACTIVE_DAYS as i32)
    .bind(except)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Candidate {
            id: r.id,
            name: r.name,
            in_country: r.in_country,
        })
        .collect())
}

/// Offers `lead` to `partner_id` at `now` for [`OFFER_HOURS`]: chosen by the rules (`by`
/// none) or by an admin. The partner's answerers are e-mailed.
pub async fn offer(
    tx: &mut Transaction<'_, Postgres>,
    lead: &LeadFacts,
    partner_id: Uuid,
    now: DateTime<Utc>,
    by: Option<(Actor, &str)>,
) -> Result<(), AppError> {
    let expires = now + TimeDelta::hours(OFFER_HOURS);
    sqlx::query(
        "update leads set status = 'offered', partner_id = $2, offer_expires_at = $3
         where id = $1",
    )
    .bind(lead.id)
    .bind(partner_id)
    .bind(expires)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "insert into lead_offers (lead_id, partner_id, company_name, country, industry,
                                  offered_at, expires_at, assigned_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(lead.id)
    .bind(partner_id)
    .bind(&lead.company_name)
    .bind(&lead.country)
    .bind(&lead.industry)
    .bind(now)
    .bind(expires)
    .bind(by.map(|(actor, _)| actor.user_id))
    .execute(&mut **tx)
    .await?;
    sqlx::query("update partners set last_lead_at = $2 where id = $1")
        .bind(partner_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let detail = serde_json::json!({
        "company_name": lead.company_name,
        "country": lead.country,
        "industry": lead.industry,
        "expires_at": expires,
        "reason": by.map(|(_, reason)| reason),
    });
    let entry = match by {
        Some((actor, _)) => AuditEntry::by(actor, Action::LeadReassigned),
        None => AuditEntry::system(Action::LeadOffered).at(now),
    };
    crate::audit::record(
        &mut **tx,
        entry
            .partner(partner_id)
            .target("lead", lead.id)
            .detail(detail),
    )
    .await?;
    tell_answerers(
        tx,
        partner_id,
        format!("A lead for you: {}", lead.company_name),
        format!(
            "The program team offers you a lead: {} ({}, {}). Accept it to register it as \
             your deal, or decline it, under Leads in the partner portal before {} UTC; \
             after that it goes to another partner.",
            lead.company_name,
            lead.country,
            crate::governance::profile::industry_label(&lead.industry),
            expires.format("%Y-%m-%d %H:%M")
        ),
    )
    .await
}

/// Places `lead` by the rules at `now`: offered to the first candidate, or marked unmatched
/// (admins hand it over) when none qualifies. The partner it went to.
pub async fn place(
    tx: &mut Transaction<'_, Postgres>,
    lead: &LeadFacts,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, AppError> {
    match first_candidate(tx, lead, now).await? {
        Some(partner) => {
            offer(tx, lead, partner.id, now, None).await?;
            Ok(Some(partner.id))
        }
        None => {
            sqlx::query(
                "update leads set status = 'unmatched', partner_id = null, offer_expires_at = null
                 where id = $1",
            )
            .bind(lead.id)
            .execute(&mut **tx)
            .await?;
            crate::audit::record(
                &mut **tx,
                AuditEntry::system(Action::LeadUnmatched)
                    .at(now)
                    .target("lead", lead.id)
                    .detail(serde_json::json!({
                        "company_name": lead.company_name,
                        "country": lead.country,
                        "industry": lead.industry,
                    })),
            )
            .await?;
            Ok(None)
        }
    }
}

/// Places one waiting lead now (a partner just declined it), unless the sweep has it.
pub async fn place_one(
    pool: &PgPool,
    lead_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, AppError> {
    let mut tx = pool.begin().await?;
    let lead: Option<LeadFacts> = sqlx::query_as(
        "select id, company_name, country, industry from leads
         where id = $1 and status in ('new', 'passed') for update skip locked",
    )
    .bind(lead_id)
    .fetch_optional(&mut *tx)
    .await?;
    let placed = match lead {
        Some(lead) => place(&mut tx, &lead, now).await?,
        None => None,
    };
    tx.commit().await?;
    Ok(placed)
}

/// Places up to a round of waiting leads (oldest first); how many.
pub async fn place_waiting(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let waiting: Vec<LeadFacts> = sqlx::query_as(
        "select id, company_name, country, industry from leads
         where status in ('new', 'passed') order by created_at, id limit $1
         for update skip locked",
    )
    .bind(PER_ROUND)
    .fetch_all(&mut *tx)
    .await?;
    for lead in &waiting {
        place(&mut tx, lead, now).await?;
    }
    tx.commit().await?;
    Ok(waiting.len())
}

#[derive(sqlx::FromRow)]
struct Lapsed {
    #[sqlx(flatten)]
    lead: LeadFacts,
    partner_id: Uuid,
}

/// Moves on the offers unanswered at `now`: each lapses (audited, the partner told) and the
/// lead goes to the next partner by the rules; how many.
pub async fn move_on_lapsed(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut tx = pool.begin().await?;
    let lapsed: Vec<Lapsed> = sqlx::query_as(
        "select id, company_name, country, industry, partner_id from leads
         where status = 'offered' and offer_expires_at <= $1
         order by offer_expires_at limit $2
         for update skip locked",
    )
    .bind(now)
    .bind(PER_ROUND)
    .fetch_all(&mut *tx)
    .await?;
    for Lapsed { lead, partner_id } in &lapsed {
        sqlx::query(
            "update lead_offers set answer = 'expired', answered_at = $2
             where lead_id = $1 and answer is null",
        )
        .bind(lead.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "update leads set status = 'new', partner_id = null, offer_expires_at = null
             where id = $1",
        )
        .bind(lead.id)
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            &mut *tx,
            AuditEntry::system(Action::LeadOfferLapsed)
                .at(now)
                .partner(*partner_id)
                .target("lead", lead.id)
                .detail(serde_json::json!({ "company_name": lead.company_name })),
        )
        .await?;
        tell_answerers(
            &mut tx,
            *partner_id,
            format!("The lead {} went to another partner", lead.company_name),
            format!(
                "Nobody answered the offer of the lead {} within {OFFER_HOURS} hours, so it \
                 went to another partner.",
                lead.company_name
            ),
        )
        .await?;
        place(&mut tx, lead, now).await?;
    }
    tx.commit().await?;
    Ok(lapsed.len())
}

/// E-mails the partner's members who may answer offers (owners, managers, sales).
async fn tell_answerers(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    subject: String,
    text: String,
) -> Result<(), AppError> {
    let to: Vec<String> = sqlx::query_scalar(
        "select u.email from partner_members m join users u on u.id = m.user_id
         where m.partner_id = $1 and m.role in ('owner', 'manager', 'sales')",
    )
    .bind(partner_id)
    .fetch_all(&mut **tx)
    .await?;
    for to in to {
        mail::enqueue(
            &mut **tx,
            &OutgoingEmail {
                to,
                subject: subject.clone(),
                body: format!("Hello,\n\n{text}\n"),
                partner_id: Some(partner_id),
            },
        )
        .await?;
    }
    Ok(())
}

/// One round at `now`: lapsed offers move on, then waiting leads are placed, until a round
/// finds nothing; how many of each.
pub async fn run_once(pool: &PgPool, now: DateTime<Utc>) -> Result<(usize, usize), AppError> {
    let mut lapsed = 0;
    loop {
        let n = move_on_lapsed(pool, now).await?;
        lapsed += n;
        if n < PER_ROUND as usize {
            break;
        }
    }
    let mut placed = 0;
    loop {
        let n = place_waiting(pool, now).await?;
        placed += n;
        if n < PER_ROUND as usize {
            break;
        }
    }
    Ok((lapsed, placed))
}

/// Runs [`run_once`] every [`EVERY`] until the task is stopped.
pub async fn run(pool: PgPool) {
    let mut ticker = tokio::time::interval(EVERY);
    loop {
        ticker.tick().await;
        match run_once(&pool, Utc::now()).await {
            Ok((0, 0)) => {}
            Ok((lapsed, placed)) => {
                tracing::info!(lapsed, placed, "leads: offers moved on, leads placed")
            }
            Err(error) => tracing::warn!(%error, "lead assignment round failed"),
        }
    }
}
