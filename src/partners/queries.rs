//! SQL for a partner's own overview. Every query takes the caller's partner id.

use sqlx::PgPool;
use uuid::Uuid;

use super::model::{ClientLink, PartnerOverview, Tier};
use crate::auth::model::PartnerStatus;

pub async fn overview(pool: &PgPool, partner_id: Uuid) -> sqlx::Result<Option<PartnerOverview>> {
    let Some(row) = sqlx::query!(
        r#"select p.id, p.name, p.tier as "tier: Tier", p.tier_pinned,
                  p.status as "status: PartnerStatus",
                  count(c.id) filter (where c.status = 'active') as "active_clients!",
                  count(c.id) filter (where c.status <> 'canceled') as "open_clients!"
           from partners p
           left join clients c on c.partner_id = p.id
           where p.id = $1
           group by p.id"#,
        partner_id
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let recent_clients = sqlx::query_as!(
        ClientLink,
        "select id, company_name from clients
         where partner_id = $1 order by created_at desc, company_name limit 5",
        partner_id
    )
    .fetch_all(pool)
    .await?;
    Ok(Some(PartnerOverview {
        id: row.id,
        name: row.name,
        tier: row.tier,
        tier_pinned: row.tier_pinned,
        status: row.status,
        active_clients: row.active_clients,
        open_clients: row.open_clients,
        recent_clients,
    }))
}

/// Creates a partner for an approved application, with a slug made from its name (and a
/// number when that slug is taken).
pub async fn create(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    name: &str,
    partnership_type: crate::applications::model::PartnershipType,
    tier: Tier,
) -> sqlx::Result<(Uuid, String)> {
    let base = slug_base(name);
    for n in 1..1000 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let id = sqlx::query_scalar!(
            "insert into partners (slug, name, partnership_type, tier) values ($1, $2, $3, $4)
             on conflict (slug) do nothing returning id",
            slug,
            name,
            partnership_type as crate::applications::model::PartnershipType,
            tier as Tier
        )
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(id) = id {
            return Ok((id, slug));
        }
    }
    Err(sqlx::Error::Protocol("no free partner slug".into()))
}

/// `Acme Cloud, Ltd.` -> `acme-cloud-ltd`, at most 50 characters, never empty.
pub fn slug_base(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 50 {
            break;
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "partner".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::slug_base;

    #[test]
    fn slugs_fit_the_partner_slug_rule() {
        assert_eq!(slug_base("Acme Cloud, Ltd."), "acme-cloud-ltd");
        assert_eq!(slug_base("  Ünïcode  GmbH "), "n-code-gmbh");
        assert_eq!(slug_base("!!!"), "partner");
        assert!(slug_base(&"a".repeat(300)).len() <= 50);
    }
}
