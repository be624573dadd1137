//! Two years of subscription history for the demo clients (growth, upgrades, suspensions,
//! churn), then the monthly closes that history earns, so that the dashboard's charts and the
//! statements look like a real program. The latest ended month is left open, for a visitor
//! to try the close.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use crate::program::Month;
use crate::{
    commissions::close::{close_month_with, TierMail},
    db::{date_param, timestamp_param},
    error::AppError,
    program::SubscriptionStatus,
};

/// One event of a demo client's story.
pub struct Step {
    pub days_ago: i64,
    pub kind: &'static str,
    pub plan: &'static str,
    pub from_plan: Option<&'static str>,
    pub status: SubscriptionStatus,
    pub from_status: Option<SubscriptionStatus>,
}

/// A client's story from its creation to its current plan and status. `index` varies the
/// stories; `created_days_ago` is when it joined.
pub fn story(
    index: usize,
    created_days_ago: i64,
    plan: &'static str,
    status: SubscriptionStatus,
) -> Vec<Step> {
    use SubscriptionStatus::*;
    let mut steps = Vec::new();
    // Some clients started on a smaller plan and upgraded a few months in.
    let first_plan = match plan {
        "enterprise" if index.is_multiple_of(2) => "professional",
        "professional" if index % 4 == 1 => "starter",
        other => other,
    };
    steps.push(Step {
        days_ago: created_days_ago,
        kind: "created",
        plan: first_plan,
        from_plan: None,
        status: Active,
        from_status: None,
    });
    let upgrade_at = created_days_ago - 95;
    if first_plan != plan && upgrade_at > 20 {
        steps.push(Step {
            days_ago: upgrade_at,
            kind: "plan_changed",
            plan,
            from_plan: Some(first_plan),
            status: Active,
            from_status: Some(Active),
        });
    }
    // Every fifth client went through a suspension (unpaid invoice) and came back.
    let suspended_at = created_days_ago - 45;
    if index % 5 == 3 && suspended_at > 40 {
        for (days_ago, from, to) in [
            (suspended_at, Active, Suspended),
            (suspended_at - 17, Suspended, Active),
        ] {
            steps.push(Step {
                days_ago,
                kind: "status_changed",
                plan,
                from_plan: Some(plan),
                status: to,
                from_status: Some(from),
            });
        }
    }
    // Churn and current suspensions happened recently.
    let ended_days_ago = match status {
        Canceled => Some(30 + 10 * (index as i64 % 2)),
        Suspended => Some(12),
        Active => None,
    };
    if let Some(days_ago) = ended_days_ago.filter(|d| *d < created_days_ago) {
        steps.push(Step {
            days_ago,
            kind: "status_changed",
            plan,
            from_plan: Some(plan),
            status,
            from_status: Some(Active),
        });
    }
    steps.sort_by_key(|s| std::cmp::Reverse(s.days_ago));
    steps
}

/// Writes `steps` as the events of `client` (only if it has none yet).
pub async fn write_story(
    tx: &mut Transaction<'_, Postgres>,
    partner: Uuid,
    client: Uuid,
    steps: &[Step],
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let has_events = sqlx::query_scalar!(
        r#"select exists (select 1 from subscription_events where client_id = $1) as "exists!""#,
        client
    )
    .fetch_one(&mut **tx)
    .await?;
    if has_events {
        return Ok(());
    }
    for (n, step) in steps.iter().enumerate() {
        // Mid-morning, a few minutes apart, so that the history reads naturally.
        let at = now - Duration::days(step.days_ago) + Duration::minutes(n as i64 * 7);
        sqlx::query!(
            "insert into subscription_events
                 (partner_id, client_id, occurred_at, kind, from_plan, to_plan, list_price, from_status, to_status)
             select $1, $2, $3::text::timestamptz, $4, $5, $6, p.monthly_price, $7, $8
             from plans p where p.code = $6",
            partner,
            client,
            timestamp_param(at),
            step.kind,
            step.from_plan,
            step.plan,
            step.from_status as Option<SubscriptionStatus>,
            step.status as SubscriptionStatus
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Closes every month from `first` to the month before last, then records the older payouts
/// as paid (the latest due ones stay open for a visitor).
pub async fn close_history(
    tx: &mut Transaction<'_, Postgres>,
    first: Month,
    admin: Uuid,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let last = Month::containing(now).minus(2);
    let mut month = first;
    while month <= last {
        // Each close happens on the 1st of the next month, as an admin would run it.
        let closed_on = month.end() + Duration::hours(9);
        close_month_with(tx, month, Some(admin), closed_on, TierMail::Skip).await?;
        month = month.next();
    }
    // The owners have chosen how they are paid.
    sqlx::query!(
        "update partners set payout_method = 'ach', payout_account = 'Checking account ending 4021'
         where slug = 'northwind' and payout_method is null"
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update partners set payout_method = 'paypal', payout_account = 'payouts@contoso.demo.test'
         where slug = 'contoso' and payout_method is null"
    )
    .execute(&mut **tx)
    .await?;
    // Payouts due since the start of the month before last stay open: two or three of
    // Northwind's, whatever the day of the month.
    let paid_before = Month::containing(now).minus(2).first_day();
    sqlx::query!(
        "update payouts
         set paid_at = due_on + interval '2 days', paid_by = $1,
             method = (case when extract(month from due_on)::int % 2 = 0 then 'ach' else 'wire' end)::payout_method,
             reference = 'DEMO-' || to_char(due_on, 'YYYYMMDD') || '-' || left(partner_id::text, 4)
         where paid_at is null and due_on < $2::text::date",
        admin,
        date_param(paid_before)
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
