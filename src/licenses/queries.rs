//! Licenses in the database.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::model::{License, LicenseKind};

/// A new license, its key already signed.
pub struct NewLicense<'a> {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub client_id: Uuid,
    pub kind: LicenseKind,
    pub features: &'a [String],
    pub max_users: i32,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub issued_by: Uuid,
    pub api_key_id: Option<Uuid>,
    pub license_key: &'a str,
}

pub async fn insert(conn: &mut PgConnection, new: &NewLicense<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into licenses (id, partner_id, client_id, kind, features, max_users, issued_at,
                               expires_at, issued_by, api_key_id, license_key)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        new.id,
        new.partner_id,
        new.client_id,
        new.kind.slug(),
        new.features,
        new.max_users,
        new.issued_at as _,
        new.expires_at as _,
        new.issued_by,
        new.api_key_id,
        new.license_key
    )
    .execute(conn)
    .await?;
    Ok(())
}

struct Row {
    id: Uuid,
    client_id: Uuid,
    kind: String,
    features: Vec<String>,
    max_users: i32,
    issued_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    license_key: String,
}

impl From<Row> for License {
    fn from(r: Row) -> Self {
        License {
            id: r.id,
            client_id: r.client_id,
            kind: LicenseKind::from_slug(&r.kind).unwrap_or(LicenseKind::Trial),
            features: r.features,
            max_users: r.max_users,
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            license_key: r.license_key,
        }
    }
}

pub async fn find(pool: &PgPool, partner_id: Uuid, id: Uuid) -> sqlx::Result<Option<License>> {
    let row = sqlx::query_as!(
        Row,
        r#"select id, client_id, kind, features, max_users, issued_at as "issued_at: DateTime<Utc>",
                expires_at as "expires_at: DateTime<Utc>", revoked_at as "revoked_at: DateTime<Utc>", license_key
         from licenses where partner_id = $1 and id = $2"#,
        partner_id,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(License::from))
}

/// Up to `limit` of a client's licenses, newest first, after the license `after` (a cursor).
pub async fn for_client(
    pool: &PgPool,
    partner_id: Uuid,
    client_id: Uuid,
    after: Option<Uuid>,
    limit: i64,
) -> sqlx::Result<Vec<License>> {
    let rows = sqlx::query_as!(
        Row,
        r#"select id, client_id, kind, features, max_users, issued_at as "issued_at: DateTime<Utc>",
                expires_at as "expires_at: DateTime<Utc>", revoked_at as "revoked_at: DateTime<Utc>", license_key
         from licenses l
         where partner_id = $1 and client_id = $2
           and ($3::uuid is null or (issued_at, id) < (
                select issued_at, id from licenses where partner_id = $1 and id = $3))
         order by issued_at desc, id desc
         limit $4"#,
        partner_id,
        client_id,
        after,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(License::from).collect())
}

/// Revokes a license now; false if there is no such license of the partner's. Revoking a
/// revoked license keeps its first time.
pub async fn revoke(conn: &mut PgConnection, partner_id: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update licenses set revoked_at = coalesce(revoked_at, now())
         where partner_id = $1 and id = $2",
        partner_id,
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
