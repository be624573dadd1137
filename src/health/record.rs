//! Writes every partner's health and leaderboard place for a month, as part of its close:
//! one read of the month's facts for all partners, the formula in Rust, one write.

use std::collections::HashMap;

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{health, MonthFacts};
use crate::{error::AppError, program::Month};

#[derive(sqlx::FromRow)]
struct FactsRow {
    partner_id: Uuid,
    active_at_start: i64,
    cancelled: i64,
    mrr_start: Decimal,
    mrr_end: Decimal,
    members: i64,
    active_members: i64,
}

/// Records `month`'s health and ranks for every partner; how many partners.
pub async fn record_month(conn: &mut PgConnection, month: Month) -> Result<usize, AppError> {
    let rows: Vec<FactsRow> = sqlx::query_as(
        "with cancelled as (
             select partner_id, count(*) as n from subscription_events
             where kind = 'status_changed' and to_status = 'canceled'
               and from_status is distinct from 'canceled'
               and occurred_at >= $2 and occurred_at < $3
             group by partner_id),
         members as (
             select m.partner_id, count(*) as n,
                    count(*) filter (where u.last_sign_in_at > $3 - interval '30 days'
                                       and u.last_sign_in_at <= $3) as active
             from partner_members m join users u on u.id = m.user_id
             group by m.partner_id)
         select p.id as partner_id,
                coalesce(prev.active_clients, 0)::bigint as active_at_start,
                coalesce(c.n, 0) as cancelled,
                coalesce(cur.mrr_start, prev.mrr, 0)::numeric as mrr_start,
                coalesce(cur.mrr, prev.mrr, 0)::numeric as mrr_end,
                coalesce(m.n, 0) as members,
                coalesce(m.active, 0) as active_members
         from partners p
         left join partner_months cur on cur.partner_id = p.id and cur.month = $1
         left join partner_months prev on prev.partner_id = p.id and prev.month = $4
         left join cancelled c on c.partner_id = p.id
         left join members m on m.partner_id = p.id",
    )
    .bind(month.first_day())
    .bind(month.start())
    .bind(month.end())
    .bind(month.previous().first_day())
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.partner_id).collect();
    let levels = crate::certifications::queries::levels(&mut *conn, &ids, month.last_day()).await?;
    let mut scored: Vec<(Uuid, super::model::Health, Decimal)> = rows
        .iter()
        .map(|r| {
            let facts = MonthFacts {
                active_at_start: r.active_at_start,
                cancelled: r.cancelled,
                mrr_start: r.mrr_start,
                mrr_end: r.mrr_end,
                members: r.members,
                active_members: r.active_members,
                certification: levels.get(&r.partner_id).copied(),
            };
            (r.partner_id, health(&facts), r.mrr_end - r.mrr_start)
        })
        .collect();
    // Most growth first; equal growth by partner id, so that a rank never depends on luck.
    scored.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let ranks: HashMap<Uuid, i32> = scored
        .iter()
        .enumerate()
        .map(|(i, (id, _, _))| (*id, i as i32 + 1))
        .collect();
    let column = |f: fn(&super::model::Health) -> Decimal| -> Vec<Decimal> {
        scored.iter().map(|(_, h, _)| f(h)).collect()
    };
    sqlx::query(
        "insert into partner_health (partner_id, month, retention, growth, certification,
                                     activity, score, mrr_growth, growth_rank)
         select partner_id, $2, retention, growth, certification, activity, score, mrr_growth,
                growth_rank
         from unnest($1::uuid[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
                     $7::numeric[], $8::numeric[], $9::int[])
              as h(partner_id, retention, growth, certification, activity, score, mrr_growth,
                   growth_rank)
         on conflict (partner_id, month) do update set
             retention = excluded.retention, growth = excluded.growth,
             certification = excluded.certification, activity = excluded.activity,
             score = excluded.score, mrr_growth = excluded.mrr_growth,
             growth_rank = excluded.growth_rank",
    )
    .bind(scored.iter().map(|(id, _, _)| *id).collect::<Vec<_>>())
    .bind(month.first_day())
    .bind(column(|h| h.retention))
    .bind(column(|h| h.growth))
    .bind(column(|h| h.certification))
    .bind(column(|h| h.activity))
    .bind(column(|h| h.score))
    .bind(scored.iter().map(|(_, _, g)| *g).collect::<Vec<_>>())
    .bind(
        scored
            .iter()
            .map(|(id, _, _)| ranks[id])
            .collect::<Vec<_>>(),
    )
    .execute(&mut *conn)
    .await?;
    Ok(scored.len())
}
