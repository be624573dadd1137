//! The partners' read models (migration `read_models`): current figures and one row per
//! partner and month, kept by the writes, so that a page reads a few rows whatever the
//! number of clients. The events stay the source of truth; [`rebuild`] recomputes all of it.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::program::Month;

/// A partner's figures now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub active_clients: i64,
    /// Not canceled: what the client cap counts.
    pub open_clients: i64,
    pub mrr: Decimal,
}

/// One partner-month row: the figures at the month's end (so far, for the month in
/// progress).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthFigures {
    pub month: Month,
    pub mrr: Decimal,
    pub active_clients: i64,
    /// MRR x seconds over the month, as if the state after its last event lasted to its end.
    pub mrr_seconds: Decimal,
    /// The closed statement's total plus its adjustments.
    pub commission: Option<Decimal>,
}

/// The figures of `month` from sparse rows (oldest first): its own row, or the latest row
/// before it carried forward (a month without events keeps the state it started with).
pub fn month_figures(rows: &[MonthFigures], month: Month) -> MonthFigures {
    match rows.iter().rev().find(|r| r.month <= month) {
        Some(row) if row.month == month => row.clone(),
        Some(row) => MonthFigures {
            month,
            mrr: row.mrr,
            active_clients: row.active_clients,
            mrr_seconds: row.mrr * month_seconds(month),
            commission: None,
        },
        None => MonthFigures {
            month,
            mrr: Decimal::ZERO,
            active_clients: 0,
            mrr_seconds: Decimal::ZERO,
            commission: None,
        },
    }
}

fn month_seconds(month: Month) -> Decimal {
    Decimal::from((month.end() - month.start()).num_seconds())
}

/// Commission accrued in the month in progress up to `now`, at `rate`: MRR integrated over
/// the month so far, prorated like a statement line but by the second rather than by the
/// day, so an estimate (the statement at the close is exact). Rounded half-even to cents.
pub fn accrual_estimate(current: &MonthFigures, now: DateTime<Utc>, rate: Decimal) -> Decimal {
    let month = current.month;
    let remaining = Decimal::from((month.end() - now).num_microseconds().unwrap_or(0).max(0))
        / Decimal::from(1_000_000);
    let so_far = (current.mrr_seconds - current.mrr * remaining).max(Decimal::ZERO);
    (so_far * rate / month_seconds(month))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
}

/// The partner's figures now (zero for a partner without events).
pub async fn figures(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Figures> {
    Ok(sqlx::query!(
        "select active_clients, open_clients, mrr from partner_figures where partner_id = $1",
        partner_id
    )
    .fetch_optional(pool)
    .await?
    .map(|f| Figures {
        active_clients: f.active_clients.into(),
        open_clients: f.open_clients.into(),
        mrr: f.mrr,
    })
    .unwrap_or_default())
}

/// Active clients by plan name, most first.
pub async fn clients_by_plan(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Vec<(String, i64)>> {
    Ok(sqlx::query!(
        "select p.name, f.active_clients from partner_plan_figures f
         join plans p on p.code = f.plan
         where f.partner_id = $1 and f.active_clients > 0
         order by f.active_clients desc, p.name",
        partner_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.name, r.active_clients.into()))
    .collect())
}

/// The partner's month rows from `from` on, and the latest one before it (which carries
/// into `from`), oldest first.
pub async fn months_since(
    pool: &PgPool,
    partner_id: Uuid,
    from: Month,
) -> sqlx::Result<Vec<MonthFigures>> {
    let rows = sqlx::query!(
        r#"(select month as "month!: chrono::NaiveDate", mrr as "mrr!", active_clients as "active_clients!",
                   mrr_seconds as "mrr_seconds!", commission
            from partner_months where partner_id = $1 and month < $2::text::date
            order by month desc limit 1)
           union all
           (select month, mrr, active_clients, mrr_seconds, commission
            from partner_months where partner_id = $1 and month >= $2::text::date)
           order by 1"#,
        partner_id,
        crate::db::date_param(from.first_day())
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MonthFigures {
            month: Month::of(r.month),
            mrr: r.mrr,
            active_clients: r.active_clients.into(),
            mrr_seconds: r.mrr_seconds,
            commission: r.commission,
        })
        .collect())
}

/// Recomputes every read model from the events, statements and adjustments, holding off
/// their writers meanwhile. Needs the owner's connection (it locks the tables).
pub async fn rebuild(conn: &mut PgConnection) -> sqlx::Result<()> {
    let mut tx = sqlx::Connection::begin(conn).await?;
    sqlx::query("set local statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    sqlx::query("select read_models_rebuild()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row(month: Month, mrr: i64) -> MonthFigures {
        MonthFigures {
            month,
            mrr: Decimal::from(mrr),
            active_clients: 1,
            mrr_seconds: Decimal::from(mrr) * month_seconds(month),
            commission: None,
        }
    }

    #[test]
    fn a_month_without_a_row_carries_the_latest_row_before_it() {
        let jan = Month::new(2026, 1).unwrap();
        let rows = [row(jan, 99), row(jan.next().next(), 398)];
        assert_eq!(month_figures(&rows, jan.next()).mrr, Decimal::from(99));
        assert_eq!(month_figures(&rows, jan.next()).commission, None);
        assert_eq!(month_figures(&rows, jan.minus(1)).mrr, Decimal::ZERO);
        assert_eq!(
            month_figures(&rows, Month::new(2026, 6).unwrap()).mrr,
            Decimal::from(398)
        );
    }

    #[test]
    fn a_steady_month_accrues_in_proportion_to_the_time_gone() {
        let nov = Month::new(2026, 11).unwrap();
        let current = row(nov, 300);
        let mid = Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap();
        // 300 x 25% x 15/30 days.
        assert_eq!(
            accrual_estimate(&current, mid, Decimal::new(25, 2)),
            Decimal::new(3750, 2)
        );
        assert_eq!(
            accrual_estimate(&current, nov.start(), Decimal::new(25, 2)),
            Decimal::ZERO
        );
    }
}
