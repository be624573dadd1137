//! SQL of the admins' partner management. Every change locks the partner's row, so two
//! admins' changes apply one after the other, and writes its audit row in the same
//! transaction (the caller's).

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::model::{
    ApplicationFacts, MemberLine, PartnerDetail, PayoutLine, StatementLine, Switches, TimelineEntry,
};
use super::profile::Profile;
use crate::{
    auth::model::{PartnerStatus, Role},
    program::Tier,
};

/// Members, statements and payouts shown on the page; the timeline's length.
const SHOWN: i64 = 12;
const TIMELINE: i64 = 30;

/// The actions a partner's timeline shows.
pub fn timeline_actions() -> Vec<String> {
    use crate::audit::Action::*;
    [
        PartnerCreated,
        PartnerTierChanged,
        PartnerFrozen,
        PartnerSuspended,
        PartnerReactivated,
        PartnerTierPinned,
        PartnerTierUnpinned,
        PartnerSwitchesChanged,
        PartnerProfileChanged,
    ]
    .into_iter()
    .map(|a| a.as_str().to_string())
    .collect()
}

/// One partner with its figures, first members, latest statements and payouts, and its
/// timeline; `None` when there is no such partner. Every part is read by an index on the
/// partner, whatever the size of the program.
pub async fn detail(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<PartnerDetail>> {
    let Some(p) = sqlx::query!(
        r#"select p.id, p.name, p.slug, p.partnership_type::text as "partnership_type!",
                  p.created_at as "created_at: chrono::DateTime<chrono::Utc>", p.status as "status: PartnerStatus", p.status_reason,
                  p.tier as "tier: Tier", p.tier_pinned, p.tier_pinned_until as "tier_pinned_until: chrono::NaiveDate",
                  p.client_management_enabled, p.white_label_enabled, p.custom_css_enabled,
                  coalesce(f.active_clients, 0)::int8 as "active_clients!",
                  coalesce(f.open_clients, 0)::int8 as "open_clients!",
                  coalesce(f.mrr, 0) as "mrr!",
                  (select count(*) from partner_members m where m.partner_id = p.id) as "member_count!",
                  p.territories, p.industries
           from partners p left join partner_figures f on f.partner_id = p.id
           where p.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let members = sqlx::query!(
        r#"select u.display_name, u.email, m.role as "role: Role", m.created_at as "created_at: chrono::DateTime<chrono::Utc>"
           from partner_members m join users u on u.id = m.user_id
           where m.partner_id = $1 order by m.created_at, m.user_id limit $2"#,
        id,
        SHOWN
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|m| MemberLine {
        name: m.display_name,
        email: m.email,
        role: m.role,
        joined: m.created_at,
    })
    .collect();
    let statements = sqlx::query!(
        r#"select month as "month: chrono::NaiveDate", tier as "tier: Tier", total from commission_statements
           where partner_id = $1 order by month desc limit $2"#,
        id,
        SHOWN
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|s| StatementLine {
        month: s.month,
        tier: s.tier,
        total: s.total,
    })
    .collect();
    let payouts = sqlx::query!(
        r#"select due_on as "due_on: chrono::NaiveDate", amount,
                  paid_at as "paid_at: chrono::DateTime<chrono::Utc>" from payouts
           where partner_id = $1 order by due_on desc, created_at desc limit $2"#,
        id,
        SHOWN
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|p| PayoutLine {
        due_on: p.due_on,
        amount: p.amount,
        paid_at: p.paid_at,
    })
    .collect();
    let timeline = sqlx::query!(
        r#"select a.occurred_at as "occurred_at: chrono::DateTime<chrono::Utc>", a.action, u.display_name as "who?", a.detail ->> 'reason' as reason
           from audit_log a left join users u on u.id = a.actor_user_id
           where a.partner_id = $1 and a.action = any($2)
           order by a.occurred_at desc, a.id desc limit $3"#,
        id,
        &timeline_actions(),
        TIMELINE
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|t| TimelineEntry {
        at: t.occurred_at,
        who: t.who,
        action: t.action,
        reason: t.reason,
    })
    .collect();
    let application = sqlx::query!(
        r#"select reference, industry, company_size::text as "company_size!", target_market, website
           from partner_applications where partner_id = $1
           order by decided_at desc nulls last limit 1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .map(|a| ApplicationFacts {
        reference: a.reference,
        industry: a.industry,
        company_size: a.company_size,
        target_market: a.target_market,
        website: a.website,
    });
    Ok(Some(PartnerDetail {
        id: p.id,
        name: p.name,
        slug: p.slug,
        partnership_type: p.partnership_type,
        created_at: p.created_at,
        status: p.status,
        status_reason: p.status_reason,
        tier: p.tier,
        tier_pinned: p.tier_pinned,
        tier_pinned_until: p.tier_pinned_until,
        computed_tier: Tier::for_active_clients(p.active_clients),
        client_management: p.client_management_enabled,
        white_label: p.white_label_enabled,
        custom_css: p.custom_css_enabled,
        active_clients: p.active_clients,
        open_clients: p.open_clients,
        mrr: p.mrr,
        member_count: p.member_count,
        members,
        statements,
        payouts,
        timeline,
        application,
        profile: Profile {
            territories: p.territories,
            industries: p.industries,
        },
    }))
}

/// The partner's name, status and tier, its row locked until the transaction ends.
pub async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
) -> sqlx::Result<Option<(String, PartnerStatus, Tier, bool)>> {
    Ok(sqlx::query!(
        r#"select name, status as "status: PartnerStatus", tier as "tier: Tier", tier_pinned
           from partners where id = $1 for update"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.name, r.status, r.tier, r.tier_pinned)))
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: PartnerStatus,
    reason: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update partners set status = $2, status_reason = $3 where id = $1",
        id,
        status as PartnerStatus,
        reason
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Ends every session of the partner's members: their next request is signed out.
pub async fn end_member_sessions(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "update users set sessions_ended_at = now()
         where id in (select user_id from partner_members where partner_id = $1)",
        id
    )
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

/// Pins `tier` (until the day, or for good), or with `None` unpins: the next close
/// recomputes it.
pub async fn set_pin(
    conn: &mut PgConnection,
    id: Uuid,
    pin: Option<(Tier, Option<NaiveDate>)>,
) -> sqlx::Result<()> {
    match pin {
        Some((tier, until)) => sqlx::query!(
            "update partners set tier = $2, tier_pinned = true, tier_pinned_until = $3::text::date
             where id = $1",
            id,
            tier as Tier,
            until.map(crate::db::date_param)
        ),
        None => sqlx::query!(
            "update partners set tier_pinned = false, tier_pinned_until = null where id = $1",
            id
        ),
    }
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_switches(conn: &mut PgConnection, id: Uuid, s: Switches) -> sqlx::Result<()> {
    sqlx::query!(
        "update partners set client_management_enabled = $2, white_label_enabled = $3,
                             custom_css_enabled = $4
         where id = $1",
        id,
        s.client_management,
        s.white_label,
        s.custom_css
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Replaces the partner's territories and industries; answers the profile before (one
/// statement: the row is locked already).
pub async fn set_profile(
    conn: &mut PgConnection,
    id: Uuid,
    profile: &Profile,
) -> sqlx::Result<Profile> {
    let before = sqlx::query!(
        r#"update partners p set territories = $2, industries = $3
           from partners old
           where p.id = $1 and old.id = p.id
           returning old.territories as "territories!", old.industries as "industries!""#,
        id,
        &profile.territories,
        &profile.industries
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Profile {
        territories: before.territories,
        industries: before.industries,
    })
}

/// Whether `email` already belongs to someone in the portal: an admin, a member or a client
/// user of any partner (the database's `email_has_place`, which answers yes or no only).
pub async fn email_has_place(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    email: &str,
) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select email_has_place($1) as "taken!""#, email)
        .fetch_one(&mut **tx)
        .await
}
