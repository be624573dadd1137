//! Seeds the demo accounts listed in README.md. Seeding twice changes nothing, and it
//! refuses to touch a database that holds real (non-demo) users.

use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::{
    audit::{self, Action, AuditEntry},
    auth::{model::Role, password::hash_password},
    program::Month,
    program::SubscriptionStatus,
    program::Tier,
};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password-2026";

#[derive(Debug, thiserror::Error)]
pub enum DemoSeedError {
    #[error("refusing to seed demo data: the database has {0} user(s) that are not demo accounts")]
    RealUsersPresent(i64),
    #[error("database error while seeding: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not hash the demo password")]
    Hashing,
    #[error("could not write the audit row")]
    Audit,
    #[error("could not close the demo months: {0}")]
    Close(String),
    #[error("could not seed the demo brands: {0}")]
    Brands(String),
}

/// Demo e-mail addresses end in `.demo.test` or are `@demo.test` (reserved names, RFC 2606).
const DEMO_EMAIL_SQL: &str = "email like '%@demo.test' or email like '%.demo.test'";

const NORTHWIND_CLIENTS: [&str; 30] = [
    "Fabrikam",
    "Adventure Works",
    "Alpine Ski House",
    "Bellows College",
    "Blue Yonder Airlines",
    "City Power & Light",
    "Coho Winery",
    "Consolidated Messenger",
    "A. Datum",
    "Fourth Coffee",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Lamna Healthcare",
    "Lucerne Publishing",
    "Margie's Travel",
    "Munson's Pickles",
    "Nod Publishers",
    "Proseware",
    "Relecloud",
    "School of Fine Art",
    "Southridge Video",
    "Tailspin Toys",
    "Trey Research",
    "VanArsdel",
    "Wide World Importers",
    "Wingtip Toys",
    "Woodgrove Bank",
    "Best For You Organics",
    "Liberty's Delightful Bakery",
    "First Up Consultants",
];

const CONTOSO_CLIENTS: [&str; 5] = [
    "Olympia Tools",
    "Kestrel Labs",
    "Pinecrest Dental",
    "Harbor Logistics",
    "Redwood Legal",
];

const LITWARE_CLIENTS: [&str; 3] = ["Lakeshore Retail", "Meridian Clinics", "Summit Freight"];

const PLANS: [&str; 3] = ["starter", "professional", "enterprise"];

/// Seeds the demo data into `pool`'s database. Returns whether anything was added.
pub async fn seed_demo(pool: &PgPool) -> Result<bool, DemoSeedError> {
    let real: i64 = sqlx::query_scalar(&format!(
        "select count(*) from users where not ({DEMO_EMAIL_SQL})"
    ))
    .fetch_one(pool)
    .await?;
    if real > 0 {
        return Err(DemoSeedError::RealUsersPresent(real));
    }
    // One hash for every demo account: they share a password, and hashing ~45 times at
    // OWASP cost would make every fresh test database slow to seed.
    let hash = hash_password(DEMO_PASSWORD.to_string())
        .await
        .map_err(|_| DemoSeedError::Hashing)?;

    let mut tx = pool.begin().await?;
    // Concurrent seeders (two servers starting at once) take turns.
    sqlx::query("select pg_advisory_xact_lock(7411)")
        .execute(&mut *tx)
        .await?;
    let before: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&mut *tx)
        .await?;

    let admin = upsert_user(&mut tx, "admin@demo.test", "Avery Admin", &hash, true).await?;
    // Admins must sign in with two factors: the demo admin's app holds the published key.
    super::two_factor::enrol_demo_admin(&mut *tx, admin).await?;

    // Tiers start at Bronze; the monthly closes of the demo history recompute them.
    let northwind = upsert_partner(&mut tx, "northwind", "Northwind", Tier::Bronze).await?;
    let members = [
        ("owner", "Olivia Owner", Role::Owner),
        ("manager", "Mateo Manager", Role::Manager),
        ("sales", "Sam Sales", Role::Sales),
        ("support", "Sofia Support", Role::Support),
        ("viewer", "Victor Viewer", Role::Viewer),
    ];
    for (local, name, role) in members {
        let user = upsert_user(
            &mut tx,
            &format!("{local}@northwind.demo.test"),
            name,
            &hash,
            false,
        )
        .await?;
        add_member(&mut tx, northwind, user, role).await?;
    }
    let contoso = upsert_partner(&mut tx, "contoso", "Contoso", Tier::Bronze).await?;
    let user = upsert_user(
        &mut tx,
        "owner@contoso.demo.test",
        "Chloe Contoso",
        &hash,
        false,
    )
    .await?;
    add_member(&mut tx, contoso, user, Role::Owner).await?;

    // Litware is Platinum by an admin's pin (it has few clients), so that white-label with
    // custom CSS can be seen in the demo.
    let litware = upsert_partner(&mut tx, "litware", "Litware", Tier::Platinum).await?;
    sqlx::query!(
        "update partners set tier = 'platinum', tier_pinned = true where id = $1",
        litware
    )
    .execute(&mut *tx)
    .await?;
    let litware_owner = upsert_user(
        &mut tx,
        "owner@litware.demo.test",
        "Lena Litware",
        &hash,
        false,
    )
    .await?;
    add_member(&mut tx, litware, litware_owner, Role::Owner).await?;

    for (i, name) in NORTHWIND_CLIENTS.iter().enumerate() {
        // Fabrikam (first) is Professional and active; the rest spread over plans, with a
        // few suspended and canceled, leaving 26 active (Gold).
        let plan = if i == 0 { "professional" } else { PLANS[i % 3] };
        let status = match i {
            27 | 28 => SubscriptionStatus::Suspended,
            29 | 26 => SubscriptionStatus::Canceled,
            _ => SubscriptionStatus::Active,
        };
        let created_days_ago = 700 - 21 * i as i64;
        add_client(
            &mut tx,
            DemoClient {
                partner: northwind,
                name,
                plan,
                status,
                index: i,
                created_days_ago,
            },
            &hash,
        )
        .await?;
    }
    for (i, name) in CONTOSO_CLIENTS.iter().enumerate() {
        let status = if i == 4 {
            SubscriptionStatus::Suspended
        } else {
            SubscriptionStatus::Active
        };
        let created_days_ago = 400 - 60 * i as i64;
        add_client(
            &mut tx,
            DemoClient {
                partner: contoso,
                name,
                plan: PLANS[i % 3],
                status,
                index: i,
                created_days_ago,
            },
            &hash,
        )
        .await?;
    }
    for (i, name) in LITWARE_CLIENTS.iter().enumerate() {
        let created_days_ago = 300 - 50 * i as i64;
        add_client(
            &mut tx,
            DemoClient {
                partner: litware,
                name,
                plan: PLANS[(i + 1) % 3],
                status: SubscriptionStatus::Active,
                index: i,
                created_days_ago,
            },
            &hash,
        )
        .await?;
    }
    super::pipeline::seed_certifications(&mut tx, admin).await?;
    let now = chrono::Utc::now();
    let first = Month::containing(now - chrono::Duration::days(700));
    super::history::close_history(&mut tx, first, admin, now)
        .await
        .map_err(|e| DemoSeedError::Close(e.to_string()))?;

    super::applications::seed_applications(&mut tx, admin).await?;
    let northwind_owner = upsert_user(
        &mut tx,
        "owner@northwind.demo.test",
        "Olivia Owner",
        &hash,
        false,
    )
    .await?;
    super::brands::seed_brands(
        &mut tx,
        (northwind, northwind_owner),
        (litware, litware_owner),
    )
    .await
    .map_err(|e| DemoSeedError::Brands(e.to_string()))?;

    // The countries and industries lead assignment matches on (left as they are when set).
    for (partner, territories, industries) in [
        (
            northwind,
            &["CA", "US"][..],
            &["manufacturing", "retail"][..],
        ),
        (
            contoso,
            &["DE", "GB", "IE"][..],
            &["healthcare", "professional_services"][..],
        ),
        (litware, &["US"][..], &["logistics", "technology"][..]),
    ] {
        sqlx::query(
            "update partners set territories = $2, industries = $3
             where id = $1 and territories = '{}' and industries = '{}'",
        )
        .bind(partner)
        .bind(territories)
        .bind(industries)
        .execute(&mut *tx)
        .await?;
    }

    super::pipeline::seed_deals(&mut tx, admin).await?;
    super::pipeline::seed_leads(&mut tx, admin).await?;

    let after: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&mut *tx)
        .await?;
    let added = after > before;
    if added {
        let entry = AuditEntry::system(Action::DemoSeeded)
            .detail(serde_json::json!({ "users": after - before }));
        audit::record(&mut *tx, entry)
            .await
            .map_err(|_| DemoSeedError::Audit)?;
    }
    tx.commit().await?;
    Ok(added)
}

async fn upsert_user(
    tx: &mut Transaction<'_, Postgres>,
    email: &str,
    name: &str,
    hash: &str,
    is_admin: bool,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"insert into users (email, display_name, password_hash, is_admin)
           values ($1, $2, $3, $4)
           on conflict (email) do update set email = excluded.email
           returning id"#,
        email,
        name,
        hash,
        is_admin
    )
    .fetch_one(&mut **tx)
    .await
}

async fn upsert_partner(
    tx: &mut Transaction<'_, Postgres>,
    slug: &str,
    name: &str,
    tier: Tier,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        r#"insert into partners (slug, name, tier) values ($1, $2, $3)
           on conflict (slug) do update set slug = excluded.slug
           returning id"#,
        slug,
        name,
        tier as Tier
    )
    .fetch_one(&mut **tx)
    .await
}

async fn add_member(
    tx: &mut Transaction<'_, Postgres>,
    partner: Uuid,
    user: Uuid,
    role: Role,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into partner_members (partner_id, user_id, role) values ($1, $2, $3)
         on conflict do nothing",
        partner,
        user,
        role as Role
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One demo client: its partner, name, plan and status today, its place in the partner's
/// list (which picks its story), and its age.
struct DemoClient<'a> {
    partner: Uuid,
    name: &'a str,
    plan: &'static str,
    status: SubscriptionStatus,
    index: usize,
    created_days_ago: i64,
}

async fn add_client(
    tx: &mut Transaction<'_, Postgres>,
    client: DemoClient<'_>,
    hash: &str,
) -> sqlx::Result<()> {
    let DemoClient {
        partner,
        name,
        plan,
        status,
        index,
        created_days_ago,
    } = client;
    let slug = crate::program::slug::from_name(name).expect("demo names have letters");
    let contact = format!("owner@{slug}.demo.test");
    let regions = ["EMEA", "North America", "APAC"];
    let client = sqlx::query_scalar!(
        r#"insert into clients (partner_id, slug, company_name, contact_name, contact_email, plan, status, region,
                                created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, now() - make_interval(days => $9))
           on conflict (partner_id, slug) do update set slug = excluded.slug
           returning id"#,
        partner,
        slug,
        name,
        format!("{name} Owner"),
        contact,
        plan,
        status as SubscriptionStatus,
        regions[index % 3],
        created_days_ago as i32,
    )
    .fetch_one(&mut **tx)
    .await?;
    // Its story: created, perhaps upgraded or suspended for a while, perhaps churned.
    let steps = super::history::story(index, created_days_ago, plan, status);
    super::history::write_story(tx, partner, client, &steps, chrono::Utc::now()).await?;
    let user = upsert_user(tx, &contact, &format!("{name} Owner"), hash, false).await?;
    sqlx::query!(
        "insert into client_users (partner_id, client_id, user_id, is_owner) values ($1, $2, $3, true)
         on conflict do nothing",
        partner,
        client,
        user
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
