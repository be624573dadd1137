//! SQL for certifications. Partners read their own; admins record and revoke for any.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use super::model::{partner_level, CertificationRow, CertificationState, Completion, Track};

/// The most certifications a partner's list shows: three tracks for each member of a team,
/// newest first (a team is tens of people, not thousands).
const LIST_MAX: i64 = 300;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    member: String,
    track: String,
    completed_on: NaiveDate,
    expires_on: NaiveDate,
    revoked: bool,
}

/// The partner's certifications, newest first.
pub async fn for_partner(
    pool: &PgPool,
    partner_id: Uuid,
    today: NaiveDate,
) -> sqlx::Result<Vec<CertificationRow>> {
    let rows: Vec<Row> = sqlx::query_as(
        "select c.id, u.display_name as member, c.track, c.completed_on, c.expires_on,
                c.revoked_at is not null as revoked
         from member_certifications c join users u on u.id = c.user_id
         where c.partner_id = $1
         order by c.completed_on desc, c.id desc limit $2",
    )
    .bind(partner_id)
    .bind(LIST_MAX)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(CertificationRow {
                id: r.id,
                member: r.member,
                track: Track::from_slug(&r.track)?,
                completed_on: r.completed_on,
                expires_on: r.expires_on,
                state: CertificationState::of(r.expires_on, r.revoked, today),
            })
        })
        .collect())
}

/// The certification level of each of `partners` on `today` (absent: none).
pub async fn levels<'e>(
    db: impl sqlx::PgExecutor<'e>,
    partners: &[Uuid],
    today: NaiveDate,
) -> sqlx::Result<HashMap<Uuid, Track>> {
    let rows: Vec<(Uuid, Vec<String>)> = sqlx::query_as(
        "select partner_id, array_agg(track) from member_certifications
         where partner_id = any($1) and revoked_at is null
           and completed_on <= $2 and expires_on >= $2
           -- Only the partner's members now: someone who left takes their certificate along.
           and exists (select 1 from partner_members m
                       where m.partner_id = member_certifications.partner_id
                         and m.user_id = member_certifications.user_id)
         group by partner_id, user_id",
    )
    .bind(partners)
    .bind(today)
    .fetch_all(db)
    .await?;
    let mut best: HashMap<Uuid, Vec<Track>> = HashMap::new();
    for (partner, tracks) in rows {
        if let Some(top) = tracks.iter().filter_map(|t| Track::from_slug(t)).max() {
            best.entry(partner).or_default().push(top);
        }
    }
    Ok(best
        .into_iter()
        .filter_map(|(partner, tracks)| Some((partner, partner_level(&tracks)?)))
        .collect())
}

/// The partner's members, by name, for the admins' form.
pub async fn members(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Vec<(Uuid, String)>> {
    sqlx::query_as(
        "select u.id, u.display_name from partner_members m join users u on u.id = m.user_id
         where m.partner_id = $1 order by u.display_name, u.id",
    )
    .bind(partner_id)
    .fetch_all(pool)
    .await
}

/// Records a completion for member `user_id` of the partner; `None` (nothing stored) when
/// they are not its member.
pub async fn insert(
    tx: &mut Transaction<'_, Postgres>,
    partner_id: Uuid,
    user_id: Uuid,
    by: Uuid,
    completion: &Completion,
) -> sqlx::Result<Option<(Uuid, String)>> {
    sqlx::query_as(
        "insert into member_certifications
             (partner_id, user_id, track, modules, completed_on, expires_on, recorded_by)
         select m.partner_id, m.user_id, $3, $4, $5, $6, $7
         from partner_members m where m.partner_id = $1 and m.user_id = $2
         returning id, (select display_name from users where id = $2)",
    )
    .bind(partner_id)
    .bind(user_id)
    .bind(completion.track.slug())
    .bind(&completion.modules)
    .bind(completion.completed_on)
    .bind(completion.expires_on)
    .bind(by)
    .fetch_optional(&mut **tx)
    .await
}

/// Revokes a certification still in force; its partner, track and holder, or `None`.
pub async fn revoke(
    tx: &mut Transaction<'_, Postgres>,
    id: Uuid,
    by: Uuid,
) -> sqlx::Result<Option<(Uuid, String, String)>> {
    sqlx::query_as(
        "update member_certifications c set revoked_at = now(), revoked_by = $2
         from users u where c.id = $1 and c.revoked_at is null and u.id = c.user_id
         returning c.partner_id, c.track, u.display_name",
    )
    .bind(id)
    .bind(by)
    .fetch_optional(&mut **tx)
    .await
}

/// A certification whose holder is due a reminder.
#[derive(sqlx::FromRow)]
pub struct Expiring {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub track: String,
    pub expires_on: NaiveDate,
    pub email: String,
    pub name: String,
}

/// Claims up to `limit` valid certifications expiring by `until` whose holders were not
/// told yet, and marks them told (in `tx`, with `skip locked`: one server tells each).
pub async fn claim_expiring(
    tx: &mut Transaction<'_, Postgres>,
    today: NaiveDate,
    until: NaiveDate,
    limit: i64,
) -> sqlx::Result<Vec<Expiring>> {
    sqlx::query_as(
        "with due as (
             select id from member_certifications
             where revoked_at is null and reminded_at is null
               and expires_on >= $1 and expires_on <= $2
             order by expires_on limit $3 for update skip locked)
         update member_certifications c set reminded_at = now()
         from due, users u
         where c.id = due.id and u.id = c.user_id
         returning c.id, c.partner_id, c.track, c.expires_on, u.email, u.display_name as name",
    )
    .bind(today)
    .bind(until)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}
