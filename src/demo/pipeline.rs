//! The demo's pipeline: Litware's certifications (a Certified Partner: one Master member),
//! three leads (on offer to Northwind and Contoso, and one waiting for an admin)
//! and two protected deal registrations, Northwind's and Litware's. Northwind and Contoso
//! start uncertified and the admins' queue empty, so that trying the flows starts from
//! nothing. Written once.

use chrono::{Duration, Utc};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::certifications::model::Track;

/// Certifications first: the history's closes read them for the health scores.
pub async fn seed_certifications(
    tx: &mut Transaction<'_, Postgres>,
    admin: Uuid,
) -> sqlx::Result<()> {
    let today = Utc::now().date_naive();
    for (email, track, days_ago) in [
        ("owner@litware.demo.test", Track::Foundation, 500),
        ("owner@litware.demo.test", Track::Master, 300),
    ] {
        let modules: Vec<String> = track.modules().iter().map(|(s, _)| s.to_string()).collect();
        let completed = today - Duration::days(days_ago);
        sqlx::query(
            "insert into member_certifications
                 (partner_id, user_id, track, modules, completed_on, expires_on, recorded_by)
             select m.partner_id, m.user_id, $2, $3, $4, $5, $6
             from partner_members m join users u on u.id = m.user_id
             where u.email = $1
               and not exists (select 1 from member_certifications c
                               where c.user_id = m.user_id and c.track = $2)",
        )
        .bind(email)
        .bind(track.slug())
        .bind(&modules)
        .bind(completed)
        .bind(completed + Duration::days(730))
        .bind(admin)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Protected deal registrations of Northwind and Litware.
pub async fn seed_deals(tx: &mut Transaction<'_, Postgres>, admin: Uuid) -> sqlx::Result<()> {
    let any: bool = sqlx::query_scalar("select exists (select 1 from deals)")
        .fetch_one(&mut **tx)
        .await?;
    if any {
        return Ok(());
    }
    let now = Utc::now();
    let close = (now + Duration::days(60)).date_naive();
    for (slug, registrant, company, domain, approved_days_ago) in [
        (
            "northwind",
            "sales@northwind.demo.test",
            "Adatum Robotics",
            "adatum-robotics.example",
            40,
        ),
        (
            "litware",
            "owner@litware.demo.test",
            "Blue Sky Outfitters",
            "bluesky-outfitters.example",
            10,
        ),
    ] {
        let decided = now - Duration::days(approved_days_ago);
        sqlx::query(
            "insert into deals (partner_id, company_name, domain, contact_name, contact_email,
                                country, plan, seats, monthly_value, expected_close, notes,
                                status, registered_by, created_at, decided_by, decided_at,
                                protected_until)
             select p.id, $2, $3, 'Jordan Buyer', 'jordan@' || $3, 'US', 'professional', 25,
                    1250.00, $4, 'Met at the regional partner summit.',
                    'approved', u.id, $6 - interval '2 days', $7, $6, $6 + interval '90 days'
             from partners p, users u where p.slug = $1 and u.email = $5",
        )
        .bind(slug)
        .bind(company)
        .bind(domain)
        .bind(close)
        .bind(registrant)
        .bind(decided)
        .bind(admin)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Three leads: one on offer to Northwind, one to Contoso (each with most of its 48 hours
/// left), and one no partner qualified for, waiting for an admin to hand it over.
pub async fn seed_leads(tx: &mut Transaction<'_, Postgres>, admin: Uuid) -> sqlx::Result<()> {
    let any: bool = sqlx::query_scalar("select exists (select 1 from leads)")
        .fetch_one(&mut **tx)
        .await?;
    if any {
        return Ok(());
    }
    let offered = Utc::now() - Duration::hours(6);
    for (company, domain, country, industry, holder) in [
        (
            "Proseware Stores",
            "proseware-stores.example",
            "US",
            "retail",
            Some("northwind"),
        ),
        (
            "Lamna Clinics",
            "lamna-clinics.example",
            "GB",
            "healthcare",
            Some("contoso"),
        ),
        (
            "Margie's Travel",
            "margies-travel.example",
            "JP",
            "hospitality",
            None,
        ),
    ] {
        let status = if holder.is_some() {
            "offered"
        } else {
            "unmatched"
        };
        let lead: Uuid = sqlx::query_scalar(
            "insert into leads (company_name, domain, contact_name, contact_email, country,
                                industry, seats, notes, status, partner_id, offer_expires_at,
                                created_by, created_at)
             values ($1, $2, 'Morgan Lead', 'morgan@' || $2, $3, $4, 30,
                     'Asked for a demo at the trade fair.', $5,
                     (select id from partners where slug = $6),
                     case when $6 is null then null else $7 + interval '48 hours' end, $8, $7)
             returning id",
        )
        .bind(company)
        .bind(domain)
        .bind(country)
        .bind(industry)
        .bind(status)
        .bind(holder)
        .bind(offered)
        .bind(admin)
        .fetch_one(&mut **tx)
        .await?;
        if holder.is_some() {
            sqlx::query(
                "insert into lead_offers (lead_id, partner_id, company_name, country, industry,
                                          offered_at, expires_at)
                 select id, partner_id, company_name, country, industry, created_at,
                        offer_expires_at
                 from leads where id = $1",
            )
            .bind(lead)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
