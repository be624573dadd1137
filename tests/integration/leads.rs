//! Leads: the assignment rules in order (territory, then region; expertise; capacity;
//! activity; score, then the oldest last lead), fair turns among equals, decliners skipped,
//! offers moving on after 48 hours (a fixed clock); the CSV import taken whole or refused
//! whole; accept and decline through the real router, and another partner never seeing or
//! answering a lead that is not its own.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};
use uuid::Uuid;

use crate::common::*;
use partner_portal::leads::assign::{self, LeadFacts};

/// A partner for the rules to weigh: where it sells, what it knows, whether a member signed
/// in lately, its latest health score and its capacity.
struct Shape {
    slug: &'static str,
    territories: &'static [&'static str],
    industries: &'static [&'static str],
    active: bool,
    score: Option<i64>,
    capacity: i32,
    status: &'static str,
}

const BASE: Shape = Shape {
    slug: "",
    territories: &["FR"],
    industries: &["education"],
    active: true,
    score: None,
    capacity: 10,
    status: "active",
};

async fn make_partner(pool: &PgPool, shape: Shape, now: DateTime<Utc>) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "insert into partners (slug, name, territories, industries, lead_capacity, status)
         values ($1, $1, $2, $3, $4, $5::partner_status) returning id",
    )
    .bind(shape.slug)
    .bind(shape.territories)
    .bind(shape.industries)
    .bind(shape.capacity)
    .bind(shape.status)
    .fetch_one(pool)
    .await
    .unwrap();
    let seen = if shape.active {
        now - TimeDelta::days(2)
    } else {
        now - TimeDelta::days(31)
    };
    sqlx::query(
        "with u as (insert into users (email, display_name, last_sign_in_at)
                    values ($2 || '@leads.test', $2, $3) returning id)
         insert into partner_members (partner_id, user_id, role) select $1, id, 'owner' from u",
    )
    .bind(id)
    .bind(shape.slug)
    .bind(seen)
    .execute(pool)
    .await
    .unwrap();
    if let Some(score) = shape.score {
        sqlx::query(
            "insert into partner_health (partner_id, month, retention, growth, certification,
                                         activity, score, mrr_growth, growth_rank)
             values ($1, date '2026-10-01', 50, 50, 50, 50, $2, 0, 1)",
        )
        .bind(id)
        .bind(Decimal::from(score))
        .execute(pool)
        .await
        .unwrap();
    }
    id
}

async fn make_lead(pool: &PgPool, company: &str, country: &str, industry: &str) -> LeadFacts {
    let id: Uuid = sqlx::query_scalar(
        "insert into leads (company_name, domain, contact_name, contact_email, country,
                            industry, seats)
         values ($1, lower(replace($1, ' ', '')) || '.example', 'Cy Contact', 'cy@x.example',
                 $2, $3, 10)
         returning id",
    )
    .bind(company)
    .bind(country)
    .bind(industry)
    .fetch_one(pool)
    .await
    .unwrap();
    LeadFacts {
        id,
        company_name: company.into(),
        country: country.into(),
        industry: industry.into(),
    }
}

/// Places `lead` by the rules at `now`; the slug of the partner it went to.
async fn place(pool: &PgPool, lead: &LeadFacts, now: DateTime<Utc>) -> Option<String> {
    let mut tx = pool.begin().await.unwrap();
    let partner = assign::place(&mut tx, lead, now).await.unwrap();
    tx.commit().await.unwrap();
    slug_of(pool, partner).await
}

async fn slug_of(pool: &PgPool, partner: Option<Uuid>) -> Option<String> {
    match partner {
        Some(id) => sqlx::query_scalar("select slug from partners where id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .unwrap(),
        None => None,
    }
}

async fn holder(pool: &PgPool, lead: &LeadFacts) -> (String, Option<String>) {
    let (status, partner): (String, Option<Uuid>) =
        sqlx::query_as("select status, partner_id from leads where id = $1")
            .bind(lead.id)
            .fetch_one(pool)
            .await
            .unwrap();
    (status, slug_of(pool, partner).await)
}

async fn decline(pool: &PgPool, lead: &LeadFacts, now: DateTime<Utc>) {
    sqlx::query(
        "update lead_offers set answer = 'declined', answered_at = $2, reason = 'Not for us'
         where lead_id = $1 and answer is null",
    )
    .bind(lead.id)
    .bind(now)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "update leads set status = 'new', partner_id = null, offer_expires_at = null
         where id = $1",
    )
    .bind(lead.id)
    .execute(pool)
    .await
    .unwrap();
}

fn at(hours: i64) -> DateTime<Utc> {
    "2026-11-02T09:00:00Z".parse::<DateTime<Utc>>().unwrap() + TimeDelta::hours(hours)
}

#[sqlx::test]
async fn assignment_follows_the_rules_in_order(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let now = at(0);
    // The demo's partners serve other industries; these are the only ones in education.
    for shape in [
        Shape {
            slug: "fr-strong",
            score: Some(60),
            ..BASE
        },
        Shape {
            slug: "fr-weak",
            score: Some(40),
            ..BASE
        },
        Shape {
            slug: "de-best",
            territories: &["DE"],
            score: Some(95),
            ..BASE
        },
        Shape {
            slug: "fr-retail",
            industries: &["retail"],
            score: Some(99),
            ..BASE
        },
        Shape {
            slug: "fr-asleep",
            active: false,
            score: Some(99),
            ..BASE
        },
        Shape {
            slug: "fr-suspended",
            status: "suspended",
            score: Some(99),
            ..BASE
        },
        Shape {
            slug: "fr-full",
            capacity: 0,
            score: Some(99),
            ..BASE
        },
        Shape {
            slug: "us-only",
            territories: &["US"],
            score: Some(99),
            ..BASE
        },
    ] {
        make_partner(&pool, shape, now).await;
    }
    // (lead's country, industry, who the rules choose): each case a fresh lead.
    let cases = [
        // In the country, the better score first; not the retail partner (expertise), not
        // the one nobody signed in to for a month, not the suspended one, not the full one,
        // and not the region's best while someone in the country qualifies.
        ("FR", "education", Some("fr-strong")),
        // Nobody serves Spain: the region's partners, best score first.
        ("ES", "education", Some("de-best")),
        // Nobody in the region (Japan) knows education there.
        ("JP", "education", None),
        // Nobody anywhere knows logistics in France (Litware knows it in the US only).
        ("FR", "logistics", None),
    ];
    for (i, (country, industry, expected)) in cases.into_iter().enumerate() {
        let lead = make_lead(&pool, &format!("Case {i}"), country, industry).await;
        let chosen = place(&pool, &lead, now).await;
        assert_eq!(chosen.as_deref(), expected, "{country} {industry}");
        let (status, _) = holder(&pool, &lead).await;
        assert_eq!(
            status,
            if expected.is_some() {
                "offered"
            } else {
                "unmatched"
            }
        );
    }
    // The whole order for France: the country's by score, then the region's.
    let lead = make_lead(&pool, "Order", "FR", "education").await;
    let mut conn = pool.acquire().await.unwrap();
    let order: Vec<String> = assign::candidates(&mut conn, &lead, now, 10, None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(order, ["fr-strong", "fr-weak", "de-best"]);
}

#[sqlx::test]
async fn equals_take_turns_decliners_are_skipped_and_capacity_holds(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let pool = test_pool(connect).await;
    let now = at(0);
    for slug in ["it-a", "it-b", "it-c"] {
        let shape = Shape {
            slug,
            territories: &["IT"],
            score: Some(50),
            capacity: 2,
            ..BASE
        };
        make_partner(&pool, shape, now).await;
    }
    // Equals: each new lead goes to the one whose last lead is oldest (never had one first).
    let mut turns = Vec::new();
    for i in 0..6 {
        let lead = make_lead(&pool, &format!("Turn {i}"), "IT", "education").await;
        turns.push(
            place(&pool, &lead, now + TimeDelta::minutes(i))
                .await
                .unwrap(),
        );
    }
    assert_eq!(&turns[3..], &turns[..3], "turns repeat in the same order");
    let mut first_three = turns[..3].to_vec();
    first_three.sort();
    assert_eq!(first_three, ["it-a", "it-b", "it-c"]);
    // Each holds two open offers now, its capacity: a seventh lead finds nobody.
    let seventh = make_lead(&pool, "Seventh", "IT", "education").await;
    assert_eq!(
        place(&pool, &seventh, now + TimeDelta::minutes(7)).await,
        None
    );

    // A partner that declined a lead is never offered it again.
    let lead = make_lead(&pool, "Declined twice", "IT", "education").await;
    sqlx::query("update partners set lead_capacity = 10 where slug like 'it-%'")
        .execute(&pool)
        .await
        .unwrap();
    let first = place(&pool, &lead, now + TimeDelta::minutes(8))
        .await
        .unwrap();
    decline(&pool, &lead, now + TimeDelta::minutes(9)).await;
    let second = place(&pool, &lead, now + TimeDelta::minutes(10))
        .await
        .unwrap();
    assert_ne!(second, first);
    decline(&pool, &lead, now + TimeDelta::minutes(11)).await;
    let third = place(&pool, &lead, now + TimeDelta::minutes(12))
        .await
        .unwrap();
    assert!(third != first && third != second);
    decline(&pool, &lead, now + TimeDelta::minutes(13)).await;
    assert_eq!(
        place(&pool, &lead, now + TimeDelta::minutes(14)).await,
        None
    );
    assert_eq!(holder(&pool, &lead).await.0, "unmatched");
}

#[sqlx::test]
async fn an_offer_moves_on_after_48_hours(_: PgPoolOptions, connect: PgConnectOptions) {
    let pool = test_pool(connect).await;
    let start = at(0);
    make_partner(
        &pool,
        Shape {
            slug: "pt-first",
            territories: &["PT"],
            score: Some(70),
            ..BASE
        },
        start,
    )
    .await;
    make_partner(
        &pool,
        Shape {
            slug: "pt-second",
            territories: &["PT"],
            score: Some(30),
            ..BASE
        },
        start,
    )
    .await;
    let lead = make_lead(&pool, "Slow answer", "PT", "education").await;

    // The sweep places waiting leads.
    assert_eq!(assign::run_once(&pool, start).await.unwrap(), (0, 1));
    assert_eq!(
        holder(&pool, &lead).await,
        ("offered".into(), Some("pt-first".into()))
    );
    // Not before its 48 hours are up.
    assert_eq!(assign::run_once(&pool, at(47)).await.unwrap(), (0, 0));
    assert_eq!(holder(&pool, &lead).await.1.as_deref(), Some("pt-first"));
    // Then it moves on, the first partner is told, and the lapse is on the record.
    assert_eq!(assign::run_once(&pool, at(48)).await.unwrap(), (1, 0));
    assert_eq!(
        holder(&pool, &lead).await,
        ("offered".into(), Some("pt-second".into()))
    );
    let lapsed: Vec<String> = sqlx::query_scalar(
        "select p.slug from lead_offers o join partners p on p.id = o.partner_id
         where o.lead_id = $1 and o.answer = 'expired'",
    )
    .bind(lead.id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(lapsed, ["pt-first"]);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from email_outbox
         where to_address = 'pt-first@leads.test' and subject like '%went to another partner'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1);
    // The second lets it lapse too: the first, who let it lapse before, is not asked again.
    assert_eq!(assign::run_once(&pool, at(96)).await.unwrap(), (1, 0));
    assert_eq!(holder(&pool, &lead).await, ("unmatched".into(), None));
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'lead.offer_lapsed' and target_id = $1",
    )
    .bind(lead.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);
}

/// A multipart body with one file field.
fn multipart(file_name: &str, content: &str) -> (String, String) {
    let boundary = "leads-boundary-7d1f";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn import(app: &TestApp, cookie: Option<&str>, file: &str) -> Reply {
    let (content_type, body) = multipart("leads.csv", file);
    let mut request =
        Request::post("/admin/leads/import").header(header::CONTENT_TYPE, content_type);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(body)).unwrap(), default_peer())
        .await
}

async fn lead_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from leads where import_id is not null")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

const HEADER: &str =
    "company_name,domain,contact_name,contact_email,country,industry,seats,notes\n";

#[sqlx::test]
async fn a_csv_import_is_taken_whole_or_refused_whole(_: PgPoolOptions, connect: PgConnectOptions) {
    let app = TestApp::new(test_pool(connect).await).await;
    let admin = app.sign_in(ADMIN).await;
    let northwind = app.sign_in(NW_OWNER).await;

    // One bad row among good ones: nothing is kept, and the report names the row.
    let bad = format!(
        "{HEADER}Good One,good-one.example,Gail,gail@good-one.example,US,retail,5,\n\
         Bad Country,bad-country.example,Bea,bea@bad-country.example,XX,retail,5,\n\
         Good Two,good-two.example,Gus,gus@good-two.example,CA,manufacturing,7,Hot\n"
    );
    let reply = import(&app, Some(&admin), &bad).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.location().unwrap().to_string();
    assert!(location.starts_with("/admin/leads?import="), "{location}");
    assert_eq!(lead_count(&app).await, 0);
    let id = location
        .trim_start_matches("/admin/leads?import=")
        .trim_end_matches("#import")
        .to_string();
    let report = app
        .call(Some(&admin), "admin/leads/import", &[("id", &id)])
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let report: serde_json::Value = serde_json::from_str(&report.body).unwrap();
    assert_eq!(report["rows"], 3);
    assert_eq!(report["rejected"][0]["line"], 3);
    assert_eq!(report["rejected"][0]["field"], "country");
    assert_eq!(report["rejected_count"], 1);

    // A file that is no list of leads is refused with a reason, and keeps nothing.
    let reply = import(&app, Some(&admin), "name,email\nA,a@b.example\n").await;
    assert!(
        reply.location().unwrap().contains("import_error="),
        "{:?}",
        reply.location()
    );
    assert_eq!(lead_count(&app).await, 0);

    // Nobody but an admin may import.
    let reply = import(&app, Some(&northwind), &bad.replace("XX", "US")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = import(&app, None, &bad.replace("XX", "US")).await;
    assert!(
        matches!(
            reply.status,
            StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER
        ),
        "{}",
        reply.status
    );
    assert_eq!(lead_count(&app).await, 0);

    // The fixed file is taken whole and its leads are placed.
    let reply = import(&app, Some(&admin), &bad.replace("XX", "US")).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(lead_count(&app).await, 3);
    let id = reply
        .location()
        .unwrap()
        .trim_start_matches("/admin/leads?import=")
        .trim_end_matches("#import")
        .to_string();
    // The import places its leads in the background; the report follows it (the sweep would
    // pick up whatever it left).
    let mut placed = None;
    for _ in 0..100 {
        let report = app
            .call(Some(&admin), "admin/leads/import", &[("id", &id)])
            .await;
        let report: serde_json::Value = serde_json::from_str(&report.body).unwrap();
        assert_eq!(report["rows"], 3);
        placed = report["placed"].as_i64();
        if placed == Some(3) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(placed, Some(3));
    assert_eq!(app.audit_count("lead.imported").await, 1);
}

#[sqlx::test]
async fn a_partner_accepts_and_declines_its_own_leads_only(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    let app = TestApp::new(test_pool(connect).await).await;
    // Signing in makes Northwind active; Contoso's owner is active too.
    let sales = app.sign_in(NW_SALES).await;
    let viewer = app.sign_in(NW_VIEWER).await;
    let contoso = app.sign_in(CONTOSO_OWNER).await;
    let admin = app.sign_in(ADMIN).await;
    let create = |company: &'static str, domain: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let email = format!("buyer@{domain}");
            let reply = app
                .call(
                    Some(&admin),
                    "admin/leads/create",
                    &[
                        ("input[company_name]", company),
                        ("input[domain]", domain),
                        ("input[contact_name]", "Bo Buyer"),
                        ("input[contact_email]", &email),
                        ("input[country]", "us"),
                        ("input[industry]", "Retail"),
                        ("input[seats]", "25"),
                    ],
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            assert_eq!(reply.body, "\"Northwind\"");
            sqlx::query_scalar::<_, Uuid>("select id from leads where company_name = $1")
                .bind(company)
                .fetch_one(&app.pool)
                .await
                .unwrap()
                .to_string()
        }
    };
    let first = create("Wide World Importers", "wideworld.example").await;
    let second = create("Coho Winery", "coho-winery.example").await;

    // Northwind's members see both offers with the lead's details; Contoso sees neither.
    let mine = app.call(Some(&viewer), "leads", &[]).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("wideworld.example") && mine.body.contains("Coho Winery"));
    let theirs = app.call(Some(&contoso), "leads", &[]).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("Wide World") && !theirs.body.contains("Coho"));

    let accept = |lead: &str, value: &str| {
        vec![
            ("input[lead_id]", lead.to_string()),
            ("input[plan]", "professional".to_string()),
            ("input[monthly_value]", value.to_string()),
            (
                "input[expected_close]",
                (Utc::now() + TimeDelta::days(60))
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
        ]
    };
    let send = |cookie: String, endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(Some(&cookie), endpoint, &borrowed).await
        }
    };
    // Another partner cannot answer it, nor a viewer; a bad value changes nothing.
    let reply = send(contoso.clone(), "leads/accept", accept(&first, "900")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    let reply = send(viewer.clone(), "leads/accept", accept(&first, "900")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = send(
        sales.clone(),
        "leads/accept",
        accept(&first, "nine hundred"),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.body.contains("monthly_value"), "{}", reply.body);
    let status: String = sqlx::query_scalar("select status from leads where id = $1::uuid")
        .bind(&first)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "offered");

    // Accepted: it is Northwind's registration, pending review.
    let reply = send(sales.clone(), "leads/accept", accept(&first, "900")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (deal_status, domain): (String, String) = sqlx::query_as(
        "select d.status, d.domain from leads l join deals d on d.id = l.deal_id
         where l.id = $1::uuid and l.status = 'accepted'",
    )
    .bind(&first)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        (deal_status.as_str(), domain.as_str()),
        ("pending", "wideworld.example")
    );

    // Declined with a reason: nobody else qualifies, so admins see it unmatched, with who
    // passed and why; Northwind is not offered it again.
    let reply = send(
        sales.clone(),
        "leads/decline",
        vec![
            ("input[lead_id]", second.clone()),
            ("input[reason]", "x".into()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = send(
        sales.clone(),
        "leads/decline",
        vec![
            ("input[lead_id]", second.clone()),
            ("input[reason]", "We do not sell wine".into()),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let listed = app
        .call(Some(&admin), "admin/leads", &[("status", "unmatched")])
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.contains("Coho Winery") && listed.body.contains("We do not sell wine"));
    assert!(!listed.body.contains("Wide World"));

    // Admins hand it to a partner by slug; not to an unknown one.
    let hand = |slug: &'static str| {
        vec![
            ("input[lead_id]", second.clone()),
            ("input[partner_slug]", slug.to_string()),
            ("input[reason]", "Litware opened a retail desk".to_string()),
        ]
    };
    let reply = send(
        admin.clone(),
        "admin/leads/reassign",
        hand("no-such-partner"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = send(contoso.clone(), "admin/leads/reassign", hand("contoso")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = send(admin.clone(), "admin/leads/reassign", hand("litware")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let holder: String = sqlx::query_scalar(
        "select p.slug from leads l join partners p on p.id = l.partner_id where l.id = $1::uuid",
    )
    .bind(&second)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(holder, "litware");
    // Northwind, which declined it, cannot answer it any more.
    let reply = send(sales.clone(), "leads/accept", accept(&second, "900")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    for action in [
        "lead.created",
        "lead.offered",
        "lead.accepted",
        "lead.declined",
        "lead.reassigned",
    ] {
        assert!(app.audit_count(action).await >= 1, "{action}");
    }
}
