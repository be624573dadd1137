//! Benchmark: lead assignment at 5,000 partners (each serving one to three of 40 countries
//! and one to three of the ten industries, four in five active, with health scores), and the
//! leads pages over 5,000 leads.
//!
//! Run: `cargo bench --features ssr --bench leads` (PostgreSQL on 127.0.0.1:5432, or
//! BENCH_DATABASE_URL). Prints the placing rate and page medians and 95th percentiles;
//! asserts nothing about time.

use std::time::{Duration, Instant};

use partner_portal::{
    leads::{assign, queries},
    program::Position,
};

mod support;
use support::summary;

const PARTNERS: i64 = 5_000;
const LEADS: i64 = 5_000;
const ROUNDS: usize = 30;
const DB: &str = "portal_bench_leads";
const COUNTRIES: &str = "US CA MX BR AR GB IE DE FR ES IT NL BE AT CH PL SE NO DK FI PT CZ RO \
    GR TR AE SA IN JP KR CN SG AU NZ ZA NG KE EG MA IL";

async fn load(pool: &sqlx::PgPool) {
    let started = Instant::now();
    let countries: Vec<&str> = COUNTRIES.split_whitespace().collect();
    sqlx::query(
        "insert into partners (slug, name, territories, industries, lead_capacity)
         select 'bench-' || n, 'Bench Partner ' || n,
                array(select distinct ($2::text[])[1 + (n * k * 7) % 40] from generate_series(1, 1 + n % 3) k),
                array(select distinct (array['manufacturing', 'retail', 'healthcare',
                        'financial_services', 'education', 'professional_services',
                        'public_sector', 'technology', 'logistics', 'hospitality'])[1 + (n * k * 3) % 10]
                      from generate_series(1, 1 + n % 3) k),
                20
         from generate_series(1, $1) n",
    )
    .bind(PARTNERS)
    .bind(&countries)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "with u as (insert into users (email, display_name, last_sign_in_at)
                    select 'owner@' || slug || '.bench', name,
                           now() - make_interval(days => case when row_number() over () % 5 = 0
                                                              then 45 else 3 end)
                    from partners where slug like 'bench-%' returning id, email)
         insert into partner_members (partner_id, user_id, role)
         select p.id, u.id, 'owner' from u join partners p on 'owner@' || p.slug || '.bench' = u.email",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into partner_health (partner_id, month, retention, growth, certification,
                                     activity, score, mrr_growth, growth_rank)
         select id, date '2026-10-01', 50, 50, 50, 50, (abs(hashtext(slug)) % 1000) / 10.0, 0,
                row_number() over ()
         from partners where slug like 'bench-%'",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into leads (company_name, domain, contact_name, contact_email, country, industry, seats)
         select 'Lead ' || n, 'lead-' || n || '.example', 'Contact ' || n, 'c@lead-' || n || '.example',
                ($2::text[])[1 + n % 40],
                (array['manufacturing', 'retail', 'healthcare', 'financial_services', 'education',
                       'professional_services', 'public_sector', 'technology', 'logistics',
                       'hospitality'])[1 + (n / 40) % 10],
                1 + n % 200
         from generate_series(1, $1) n",
    )
    .bind(LEADS)
    .bind(&countries)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("analyze").execute(pool).await.unwrap();
    println!(
        "loaded {PARTNERS} partners and {LEADS} leads in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

async fn time<F, Fut, T>(label: &str, mut run: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    run().await;
    let mut samples: Vec<Duration> = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        run().await;
        samples.push(started.elapsed());
    }
    println!("{label:<58} {}", summary(samples));
}

#[tokio::main]
async fn main() {
    let (admin, pool) = support::scratch_database(DB).await;
    load(&pool).await;

    // Placing: every waiting lead, a round of 200 per transaction, as the sweep does.
    let started = Instant::now();
    let (_, placed) = assign::run_once(&pool, chrono::Utc::now()).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    let offered: i64 = sqlx::query_scalar("select count(*) from leads where status = 'offered'")
        .fetch_one(&pool)
        .await
        .unwrap();
    println!(
        "placed {placed} leads in {took:.1} s: {:.0} leads a second ({offered} offered, the rest unmatched)",
        placed as f64 / took
    );

    // Moving on: every offer lapses at once.
    let later = chrono::Utc::now() + chrono::TimeDelta::hours(49);
    let started = Instant::now();
    let (lapsed, _) = assign::run_once(&pool, later).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    println!(
        "moved on {lapsed} lapsed offers in {took:.1} s: {:.0} a second",
        lapsed as f64 / took
    );

    let now = chrono::Utc::now();
    time(
        "admin leads, first page (25, each with 5 candidates)",
        || queries::admin_list(&pool, None, &Position::First, now),
    )
    .await;
    time("admin leads, unmatched only", || {
        queries::admin_list(
            &pool,
            Some(partner_portal::leads::model::LeadStatus::Unmatched),
            &Position::First,
            now,
        )
    })
    .await;
    let busiest: uuid::Uuid = sqlx::query_scalar(
        "select partner_id from lead_offers group by partner_id order by count(*) desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    time("the busiest partner's offers, first page", || {
        queries::offers(&pool, busiest, &Position::First)
    })
    .await;
    support::drop_database(&admin, pool, DB).await;
}
