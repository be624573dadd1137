//! Demo partner applications: about forty, across statuses, partnership types, company sizes
//! and the last twelve months, so that the review queue and its statistics look real.

use sqlx::{Postgres, Transaction};

const COMPANIES: [&str; 40] = [
    "Aurora Systems",
    "Bluebird Consulting",
    "Cedar IT",
    "Delta Networks",
    "Evergreen Digital",
    "Falcon Cloud",
    "Granite Solutions",
    "Harbor Tech",
    "Ironwood Partners",
    "Juniper Data",
    "Keystone IT",
    "Lighthouse Software",
    "Maple Integrators",
    "Northstar Advisory",
    "Oakridge Labs",
    "Pinnacle Services",
    "Quartz Analytics",
    "Riverbend Tech",
    "Summit Cloud",
    "Tidewater IT",
    "Upland Digital",
    "Vertex Consulting",
    "Willow Systems",
    "Xenon Networks",
    "Yellowstone Data",
    "Zephyr Solutions",
    "Atlas Integrations",
    "Beacon Managed Services",
    "Copperline IT",
    "Driftwood Apps",
    "Ember Security",
    "Foxglove Partners",
    "Glacier Cloud",
    "Hawthorn Digital",
    "Indigo Systems",
    "Jasper Tech",
    "Kingfisher IT",
    "Larkspur Software",
    "Meridian Cloud",
    "Nimbus Works",
];
const INDUSTRIES: [&str; 6] = [
    "Software",
    "IT services",
    "Healthcare",
    "Retail",
    "Finance",
    "Manufacturing",
];
const SIZES: [&str; 5] = ["1-10", "11-50", "51-200", "201-500", "501+"];
const TYPES: [&str; 3] = ["reseller", "referral", "technology"];

/// Adds the demo applications (idempotent: keyed by their references).
pub async fn seed_applications(
    tx: &mut Transaction<'_, Postgres>,
    admin: uuid::Uuid,
) -> sqlx::Result<()> {
    for (i, company) in COMPANIES.iter().enumerate() {
        let reference = format!("APP-DEMO{:04}", i + 1);
        let slug = crate::program::slug::from_name(company).expect("demo names have letters");
        // Newest first: a few this month, the rest spread over a year.
        let days_ago = (i as i32 * 9) % 360 + (i as i32 % 3);
        let status = match i % 10 {
            0..=2 => "pending",
            3 | 4 => "reviewing",
            5..=7 => "approved",
            _ => "rejected",
        };
        // Older applications are decided; the newest ones are still open.
        let status = if days_ago < 20 && (status == "approved" || status == "rejected") {
            "pending"
        } else {
            status
        };
        let decided = matches!(status, "approved" | "rejected");
        let decision_hours = 6 + (i as i32 * 37) % 200;
        let inserted = sqlx::query_scalar!(
            r#"insert into partner_applications
                   (reference, company_name, contact_name, contact_email, contact_phone, website,
                    partnership_type, company_size, industry, target_market, motivation, status,
                    submitted_at, decided_at, rejection_reason)
               values ($1, $2, $3, $4, '+1 555 010 0100', $5, $6::text::partnership_type,
                       $7::text::company_size, $8, 'Small and mid-sized businesses in our region',
                       'We serve a growing base of clients who keep asking for a product like yours.',
                       $9::text::application_status,
                       now() - make_interval(days => $10),
                       case when $11 then now() - make_interval(days => $10) + make_interval(hours => $12) end,
                       case when $9 = 'rejected' then 'Outside the regions we currently support.' end)
               on conflict (reference) do nothing
               returning id"#,
            reference,
            company,
            format!("{} Contact", company.split(' ').next().unwrap_or("Demo")),
            format!("partners@{slug}.demo.test"),
            format!("https://www.{slug}.example"),
            TYPES[i % 3],
            SIZES[i % 5],
            INDUSTRIES[i % 6],
            status,
            days_ago,
            decided,
            decision_hours,
        )
        .fetch_optional(&mut **tx)
        .await?;
        let Some(id) = inserted else { continue };
        sqlx::query!(
            "insert into application_status_changes (application_id, from_status, to_status, changed_at)
             select id, null, 'pending', submitted_at from partner_applications where id = $1",
            id
        )
        .execute(&mut **tx)
        .await?;
        if status != "pending" {
            sqlx::query!(
                "insert into application_status_changes (application_id, from_status, to_status, changed_by, changed_at, reason)
                 select id, 'pending', status, $2, coalesce(decided_at, submitted_at + interval '1 day'), rejection_reason
                 from partner_applications where id = $1",
                id,
                admin
            )
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}
