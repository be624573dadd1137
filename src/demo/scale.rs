//! `partner-portal seed-scale`: a large, realistic program for benchmarks and evaluation.
//! Partner sizes are skewed (the i-th largest has a share proportional to i^-0.6, so at
//! 5,000 partners and 1,000,000 clients the largest has about 13,000 clients and the median
//! about 120); two years of subscription events with upgrades, suspensions and churn; every
//! closed month with its statements and payouts; applications and audit rows.
//!
//! It writes set-based SQL on the owner's connection in one transaction, with the read
//! models' triggers off (and, for a superuser, the foreign-key checks of rows that are
//! consistent by construction), then rebuilds the read models once: the data is loaded "behind the
//! portal's back", which is what the rebuild is for. Statements of the generated months carry
//! their totals (from the rebuilt month figures) but no lines; `close-month` computes real
//! ones.

use sqlx::{Connection, PgConnection};

use crate::db::Database;

/// Steps of the seed, for the progress bar.
const STEPS: [&str; 10] = [
    "partners",
    "clients",
    "subscription events",
    "applications",
    "audit rows",
    "indexes",
    "read models",
    "statements and payouts",
    "accounts",
    "statistics",
];

/// Seeds the program; refuses a database that has scale data already.
pub async fn seed(database: &Database, partners: u32, clients: u32) -> Result<String, String> {
    let started = std::time::Instant::now();
    let fail = |e: sqlx::Error| format!("seed-scale failed: {e}");
    let mut conn = PgConnection::connect_with(&crate::db::owner_options(&database.url)?)
        .await
        .map_err(|e| format!("cannot connect as the database's owner: {e}"))?;
    let mut tx = conn.begin().await.map_err(fail)?;
    let present: bool =
        sqlx::query_scalar("select exists (select 1 from partners where slug like 'scale-%')")
            .fetch_one(&mut *tx)
            .await
            .map_err(fail)?;
    if present {
        return Err("this database has scale data already (partners named scale-…)".into());
    }
    for setting in [
        "set local statement_timeout = 0",
        "set local synchronous_commit = off",
        "alter table subscription_events disable trigger subscription_events_read_models",
        "alter table commission_statements disable trigger commission_statements_read_models",
        "alter table clients disable trigger clients_sort_keys",
    ] {
        sqlx::query(setting).execute(&mut *tx).await.map_err(fail)?;
    }
    // A superuser may skip the foreign-key checks of rows made consistent by construction
    // (about half of the time at a million clients).
    let superuser: bool =
        sqlx::query_scalar("select rolsuper from pg_roles where rolname = current_user")
            .fetch_one(&mut *tx)
            .await
            .map_err(fail)?;
    if superuser {
        sqlx::query("set local session_replication_role = replica")
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
    }
    let password = crate::auth::password::hash_password(crate::demo::DEMO_PASSWORD.into())
        .await
        .map_err(|e| e.to_string())?;
    for (n, step) in STEPS.iter().enumerate() {
        progress(n, step, started);
        for statement in statements(n, partners, clients) {
            let mut query = sqlx::query(&statement);
            if statement.contains("$1") {
                query = query.bind(&password);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| format!("seed-scale failed at {step}: {e}"))?;
        }
    }
    for setting in [
        "set local session_replication_role = origin",
        "alter table subscription_events enable trigger subscription_events_read_models",
        "alter table commission_statements enable trigger commission_statements_read_models",
        "alter table clients enable trigger clients_sort_keys",
    ] {
        sqlx::query(setting).execute(&mut *tx).await.map_err(fail)?;
    }
    tx.commit().await.map_err(fail)?;
    progress(STEPS.len(), "done", started);
    eprintln!();
    Ok(format!(
        "seeded {partners} partners and {clients} clients in {:.0} s; sign in as \
         admin@scale.test, owner-largest@scale.test or owner-median@scale.test \
         (password {})",
        started.elapsed().as_secs_f64(),
        crate::demo::DEMO_PASSWORD
    ))
}

fn progress(done: usize, step: &str, started: std::time::Instant) {
    crate::cli::progress_bar(done as u64, STEPS.len() as u64, step, started);
}

/// The tables whose rows the seed loads by the million.
const LOADED_TABLES: &str = "'clients', 'subscription_events', 'audit_log'";

/// The SQL of step `n`. Each statement may use `$1`, the demo password's hash.
fn statements(n: usize, partners: u32, clients: u32) -> Vec<String> {
    match n {
        0 => vec![
            // The secondary indexes of the large tables are dropped here and built again once
            // the rows are in (step 5): one sort each instead of a million insertions.
            format!(
                "create temporary table scale_indexes on commit drop as
                 select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
                 from pg_index i join pg_class t on t.oid = i.indrelid
                 where t.relnamespace = 'public'::regnamespace and t.relname in ({LOADED_TABLES})
                   and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)"
            ),
            "do $$ declare r record; begin
                 for r in select name from scale_indexes loop execute 'drop index ' || r.name; end loop;
             end $$".into(),
            format!(
            "create temporary table scale_partners on commit drop as
             with w as (select i, power(i, -0.6) as w from generate_series(1, {partners}) i),
                  sized as (select i, greatest(1, floor({clients} * w / sum(w) over ()))::int as size from w)
             select i, gen_random_uuid() as id,
                    size + case when i = 1 then {clients} - sum(size) over () else 0 end as size
             from sized"),
            "insert into partners (id, slug, name, partnership_type, created_at)
             select id, 'scale-' || lpad(i::text, 5, '0'),
                    (array['Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Adatum', 'Proseware', 'Lucerne'])[1 + i % 8]
                        || ' ' || (array['Systems', 'Partners', 'Solutions', 'Consulting', 'Cloud', 'Group'])[1 + i % 6]
                        || ' ' || i,
                    (array['reseller', 'reseller', 'referral', 'technology'])[1 + i % 4]::partnership_type,
                    now() - interval '760 days'
             from scale_partners".into(),
        ],
        1 => vec![
            "create temporary table scale_clients on commit drop as
             select gen_random_uuid() as id, p.id as partner_id, k,
                    now() - (random() * interval '730 days') as start,
                    (array['starter', 'starter', 'starter', 'professional', 'professional', 'enterprise'])[1 + floor(random() * 6)::int] as plan,
                    random() < 0.25 as upgrades, random() < 0.10 as pauses,
                    random() < 0.03 as suspended, random() < 0.15 as churns
             from scale_partners p cross join lateral generate_series(1, p.size) k".into(),
            "insert into clients (id, partner_id, slug, company_name, contact_name, contact_email,
                                  plan, status, created_at, sort_price, plan_rank)
             select c.id, partner_id, 'client-' || k,
                    (array['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Wayne', 'Stark', 'Wonka', 'Cyberdyne'])[1 + k % 10]
                        || ' ' || (array['Labs', 'Foods', 'Logistics', 'Media', 'Health', 'Retail', 'Energy'])[1 + k % 7] || ' ' || k,
                    'Contact ' || k, 'contact' || k || '@client' || k || '.example',
                    case when upgrades and start + interval '90 days' < now() and plan <> 'enterprise'
                         then case plan when 'starter' then 'professional' else 'enterprise' end else plan end,
                    (case when churns and start + interval '200 days' < now() then 'canceled'
                          when suspended and start + interval '300 days' < now() then 'suspended'
                          else 'active' end)::subscription_status,
                    start, p.monthly_price, p.sort_order
             from scale_clients c
             join plans p on p.code = case when upgrades and start + interval '90 days' < now() and plan <> 'enterprise'
                                           then case plan when 'starter' then 'professional' else 'enterprise' end else plan end".into(),
        ],
        2 => vec!["insert into subscription_events (partner_id, client_id, occurred_at, kind, from_plan, to_plan,
                                              list_price, from_status, to_status)
             select c.partner_id, c.id, e.at, e.kind,
                    case e.kind when 'created' then null when 'plan_changed' then c.plan else e.plan end,
                    e.plan, p.monthly_price, e.from_status::subscription_status, e.status::subscription_status
             from scale_clients c
             cross join lateral (values
                 (c.start, 'created', null, 'active', true),
                 (c.start + interval '40 days', 'status_changed', 'active', 'suspended', c.pauses),
                 (c.start + interval '60 days', 'status_changed', 'suspended', 'active', c.pauses),
                 (c.start + interval '90 days', 'plan_changed', 'active', 'active', c.upgrades and c.plan <> 'enterprise'),
                 (c.start + interval '200 days', 'status_changed', 'active', 'canceled', c.churns),
                 (c.start + interval '300 days', 'status_changed', 'active', 'suspended', c.suspended and not c.churns)
             ) as e0(at, kind, from_status, status, keep)
             cross join lateral (select e0.*,
                 case when c.upgrades and e0.at >= c.start + interval '90 days'
                      then case c.plan when 'starter' then 'professional' else 'enterprise' end
                      else c.plan end as plan) e
             join plans p on p.code = e.plan
             where e.keep and e.at < now()".into()],
        3 => vec!["insert into partner_applications (reference, company_name, contact_name, contact_email,
                     partnership_type, company_size, industry, motivation, status, submitted_at, decided_at, partner_id)
             select 'APP-' || upper(substr(md5(i::text || 'scale'), 1, 8)),
                    'Applicant ' || i, 'Applicant contact ' || i, 'applicant' || i || '@scale.example',
                    (array['reseller', 'referral', 'technology'])[1 + i % 3]::partnership_type,
                    (array['1-10', '11-50', '51-200', '201-500', '501+'])[1 + i % 5]::company_size,
                    (array['Software', 'Consulting', 'Retail', 'Healthcare'])[1 + i % 4],
                    'We resell to mid-sized companies in our region.',
                    (case when i <= sp.n then 'approved' when i % 3 = 0 then 'rejected' when i % 3 = 1 then 'pending' else 'reviewing' end)::application_status,
                    now() - ((800 - i % 790) * interval '1 day'),
                    case when i <= sp.n or i % 3 = 0 then now() - ((790 - i % 780) * interval '1 day') end,
                    (select id from scale_partners where scale_partners.i = a.i)
             from (select count(*) as n from scale_partners) sp,
                  generate_series(1, (select count(*) from scale_partners) + 600) as a(i)".into()],
        4 => vec!["insert into audit_log (occurred_at, partner_id, action, target_type, target_id, detail)
             select c.created_at, c.partner_id, 'client.created', 'client', c.id, '{}'::jsonb
             from clients c join scale_partners p on p.id = c.partner_id".into()],
        5 => vec![
            "set local maintenance_work_mem = '512MB'".into(),
            "do $$ declare r record; begin
                 for r in select definition from scale_indexes loop execute r.definition; end loop;
             end $$".into(),
        ],
        6 => vec!["select read_models_rebuild()".into()],
        7 => vec![
            "create temporary table scale_months on commit drop as
             select (date_trunc('month', now() at time zone 'UTC') - (k * interval '1 month'))::date as month
             from generate_series(2, 24) k".into(),
            "create temporary table scale_statements on commit drop as
             select p.id as partner_id, m.month, gen_random_uuid() as id, gen_random_uuid() as payout_id,
                    coalesce(r.active_clients, 0) as active_clients,
                    round(coalesce(r.mrr_seconds, 0) * 0.15
                          / read_models_month_seconds(m.month), 2) as total
             from scale_partners p cross join scale_months m
             left join lateral (
                 select case when pm.month = m.month then pm.mrr_seconds
                             else pm.mrr * read_models_month_seconds(m.month) end as mrr_seconds,
                        pm.active_clients
                 from partner_months pm where pm.partner_id = p.id and pm.month <= m.month
                 order by pm.month desc limit 1
             ) r on true".into(),
            "insert into close_runs (month, started_at, partners_total, partners_done, updated_at, finished_at)
             select month, month + interval '1 month 1 hour', (select count(*) from scale_partners),
                    (select count(*) from scale_partners), month + interval '1 month 2 hours',
                    month + interval '1 month 2 hours'
             from scale_months".into(),
            "insert into commission_closes (month, closed_at, statements, total)
             select month, (month + interval '1 month 2 hours'), count(*) filter (where total > 0), sum(total)
             from scale_statements group by month".into(),
            "insert into payouts (id, partner_id, amount, due_on, created_at, paid_at, method, reference)
             select payout_id, partner_id, total, (month + interval '2 months' - interval '1 day')::date,
                    month + interval '1 month 2 hours',
                    case when month < (select max(month) from scale_months) - interval '1 month' then month + interval '2 months' end,
                    case when month < (select max(month) from scale_months) - interval '1 month' then 'ach'::payout_method end,
                    case when month < (select max(month) from scale_months) - interval '1 month' then 'ACH-' || left(payout_id::text, 8) end
             from scale_statements where total > 0".into(),
            "insert into commission_statements (id, partner_id, month, tier, rate, active_clients, line_count,
                                                total, payable_on, payout_id)
             select id, partner_id, month, 'bronze', 0.15, active_clients, 0, total,
                    (month + interval '2 months' - interval '1 day')::date, payout_id
             from scale_statements where total > 0".into(),
            // Months with a statement but no event get their carried row first, oldest first.
            "select read_models_month_row(s.partner_id, s.month)
             from (select partner_id, month from scale_statements where total > 0
                   order by partner_id, month) s".into(),
            "update partner_months pm set commission = s.total
             from scale_statements s
             where s.total > 0 and pm.partner_id = s.partner_id and pm.month = s.month".into(),
            "update partners p set tier = case when f.active_clients >= 50 then 'platinum'
                                                when f.active_clients >= 25 then 'gold'
                                                when f.active_clients >= 10 then 'silver'
                                                else 'bronze' end::partner_tier
             from partner_figures f where f.partner_id = p.id".into(),
        ],
        8 => vec![
            "insert into users (email, display_name, password_hash, is_admin)
             values ('admin@scale.test', 'Scale Admin', $1, true),
                    ('owner-largest@scale.test', 'Largest Owner', $1, false),
                    ('owner-median@scale.test', 'Median Owner', $1, false)
             on conflict do nothing".into(),
            "insert into partner_members (partner_id, user_id, role)
             select p.id, u.id, 'owner'
             from users u join scale_partners p
               on p.i = case u.email when 'owner-largest@scale.test' then 1
                                     else (select count(*) / 2 from scale_partners) end
             where u.email in ('owner-largest@scale.test', 'owner-median@scale.test')".into(),
            // Admins sign in with two factors: the scale admin's app holds the demo key.
            format!(
                "insert into user_totp (user_id, secret, confirmed_at)
                 select id, '\\x{}'::bytea, now() from users where email = 'admin@scale.test'
                 on conflict do nothing",
                super::two_factor::demo_admin_secret()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            ),
        ],
        _ => vec!["analyze".into()],
    }
}
