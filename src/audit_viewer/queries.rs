//! SQL of the audit log viewers: one filter for the page, its bounded count and the CSV
//! export, so that the download is exactly the rows the page shows. Every filter has an index
//! that reads newest first (migration `audit_viewer`), so a page costs an index range at any
//! depth of a log of millions of rows.

use sqlx::{PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use super::model::{AuditQuery, AuditRow, Person, PAGE_SIZE};
use crate::{
    db::keyset::SortKey,
    program::{download::Cell, PageLinks, Total},
};

/// Rows counted past this read "more than".
const COUNT_BOUND: i64 = 1_000;

/// Whose rows a reader sees.
pub enum Reader {
    /// One partner's rows among the actions the reader's role may see.
    Partner { id: Uuid, actions: Vec<String> },
    /// Every row (admins).
    Program,
}

/// A view of the log, resolved for SQL: the query, and the person's id when it names one.
pub struct Filter<'a> {
    pub reader: &'a Reader,
    pub query: &'a AuditQuery,
    pub person: Option<Uuid>,
}

/// The id of the person the filter names, or `None` when no one has that address (then the
/// view is empty, and nothing else is read).
pub async fn person_id(pool: &PgPool, email: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!("select id from users where email = $1", email)
        .fetch_optional(pool)
        .await
}

fn key() -> SortKey {
    SortKey::new(&[("a.occurred_at", "timestamptz"), ("a.id", "uuid")], true)
}

/// The same key over the merged halves of a page filtered by person.
fn merged_key() -> SortKey {
    SortKey::new(
        &[("merged.occurred_at", "timestamptz"), ("merged.id", "uuid")],
        true,
    )
}

const COLUMNS: &str = "a.id, a.occurred_at, a.action, a.target_type, a.target_id, a.detail, \
    host(a.client_addr) as client_addr, \
    u.display_name as actor_name, u.email as actor_email, \
    r.display_name as real_name, r.email as real_email, p.name as partner_name, \
    case a.target_type \
        when 'client' then (select c.company_name from clients c where c.id = a.target_id) \
        when 'partner' then (select t.name from partners t where t.id = a.target_id) \
        when 'user' then (select t.display_name from users t where t.id = a.target_id) \
    end as target_name";

const FROM: &str = " from audit_log a \
    left join users u on u.id = a.actor_user_id \
    left join users r on r.id = a.real_user_id \
    left join partners p on p.id = a.partner_id where true";

/// How a row matches the person the filter names: as the one who acted or the one acting
/// through them (either), or, for the two ordered halves of a page, each way alone.
#[derive(Clone, Copy)]
enum PersonMatch {
    Either,
    Actor,
    RealOnly,
}

/// Appends the filter's conditions (after a `where`).
fn push_filter(builder: &mut QueryBuilder<'_, Postgres>, filter: &Filter<'_>) {
    push_conditions(builder, filter, PersonMatch::Either);
}

fn push_conditions(
    builder: &mut QueryBuilder<'_, Postgres>,
    filter: &Filter<'_>,
    matching: PersonMatch,
) {
    let q = filter.query;
    match filter.reader {
        Reader::Partner { id, actions } => {
            builder.push(" and a.partner_id = ").push_bind(*id);
            builder
                .push(" and a.action = any(")
                .push_bind(actions.clone())
                .push(")");
        }
        Reader::Program => {
            if let Some(partner) = q.partner {
                builder.push(" and a.partner_id = ").push_bind(partner);
            }
        }
    }
    if let Some(person) = filter.person {
        match matching {
            PersonMatch::Either => builder
                .push(" and (a.actor_user_id = ")
                .push_bind(person)
                .push(" or a.real_user_id = ")
                .push_bind(person)
                .push(")"),
            PersonMatch::Actor => builder.push(" and a.actor_user_id = ").push_bind(person),
            PersonMatch::RealOnly => builder
                .push(" and a.real_user_id = ")
                .push_bind(person)
                .push(" and a.actor_user_id is distinct from ")
                .push_bind(person),
        };
    }
    if let Some(action) = &q.action {
        builder.push(" and a.action = ").push_bind(action.clone());
    }
    if let Some(kind) = &q.target_kind {
        builder
            .push(" and a.target_type = ")
            .push_bind(kind.clone());
    }
    if let Some(target) = q.target {
        builder.push(" and a.target_id = ").push_bind(target);
    }
    // Days are UTC days: from the start of `from` to the end of `to`.
    if let Some(from) = q.from {
        builder
            .push(" and a.occurred_at >= ")
            .push_bind(crate::db::date_param(from))
            .push("::date::timestamp at time zone 'UTC'");
    }
    if let Some(to) = q.to {
        builder
            .push(" and a.occurred_at < (")
            .push_bind(crate::db::date_param(to))
            .push("::date + 1)::timestamp at time zone 'UTC'");
    }
}

#[derive(sqlx::FromRow)]
pub struct LogRow {
    id: Uuid,
    occurred_at: chrono::DateTime<chrono::Utc>,
    action: String,
    target_type: Option<String>,
    target_id: Option<Uuid>,
    detail: serde_json::Value,
    client_addr: Option<String>,
    actor_name: Option<String>,
    actor_email: Option<String>,
    real_name: Option<String>,
    real_email: Option<String>,
    partner_name: Option<String>,
    target_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct KeyedRow {
    #[sqlx(flatten)]
    row: LogRow,
    page_key: Vec<String>,
}

impl From<LogRow> for AuditRow {
    fn from(r: LogRow) -> Self {
        let person = |name: Option<String>, email: Option<String>| {
            name.zip(email).map(|(name, email)| Person { name, email })
        };
        AuditRow {
            id: r.id,
            at: r.occurred_at,
            action: r.action,
            actor: person(r.actor_name, r.actor_email),
            real: person(r.real_name, r.real_email),
            partner_name: r.partner_name,
            target_kind: r.target_type,
            target_id: r.target_id,
            target_name: r.target_name,
            detail: detail_pairs(&r.detail),
        }
    }
}

/// A row's details as `key: value` pairs, strings without their quotes.
pub fn detail_pairs(detail: &serde_json::Value) -> Vec<(String, String)> {
    let Some(object) = detail.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .map(|(key, value)| {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (key.replace('_', " "), text)
        })
        .collect()
}

/// A page of the view, newest first, its links, and how many rows it holds (bounded).
pub async fn page(
    pool: &PgPool,
    filter: &Filter<'_>,
) -> sqlx::Result<(Vec<AuditRow>, PageLinks, Total)> {
    let key = key();
    let position = &filter.query.position;
    // A page of one way of matching: its rows in key order from the cursor, one past the page.
    let push_page = |builder: &mut QueryBuilder<'_, Postgres>, matching: PersonMatch| {
        builder.push(format!(
            "select {COLUMNS}, {} as page_key{FROM}",
            key.select()
        ));
        push_conditions(builder, filter, matching);
        key.push_bound(builder, position);
        key.push_order(builder, position, PAGE_SIZE);
    };
    let mut builder = QueryBuilder::new("");
    if filter.person.is_some() {
        // "Done by them or through them" cannot be read in order from one index: each half
        // is (an index on the actor, one on the real user), and the page is their merge.
        builder.push("select * from ((");
        push_page(&mut builder, PersonMatch::Actor);
        builder.push(") union all (");
        push_page(&mut builder, PersonMatch::RealOnly);
        builder.push(")) merged");
        merged_key().push_order(&mut builder, position, PAGE_SIZE);
    } else {
        push_page(&mut builder, PersonMatch::Either);
    }
    let rows: Vec<KeyedRow> = builder.build_query_as().fetch_all(pool).await?;
    let (rows, links) = key.finish(
        rows.into_iter()
            .map(|r| (AuditRow::from(r.row), r.page_key))
            .collect(),
        position,
        PAGE_SIZE,
    );
    // Counted up to the bound, by the same halves when the filter names a person.
    let mut count = QueryBuilder::new("select count(*) from (");
    let halves: &[PersonMatch] = if filter.person.is_some() {
        &[PersonMatch::Actor, PersonMatch::RealOnly]
    } else {
        &[PersonMatch::Either]
    };
    for (n, matching) in halves.iter().enumerate() {
        // Each half in a subquery of its own: PostgreSQL takes one limit per level.
        count.push(if n > 0 { " union all " } else { "" });
        count.push("select * from (select 1 from audit_log a where true");
        push_conditions(&mut count, filter, *matching);
        count
            .push(" limit ")
            .push_bind(COUNT_BOUND + 1)
            .push(format!(") half_{n}"));
    }
    count
        .push(" limit ")
        .push_bind(COUNT_BOUND + 1)
        .push(") bounded");
    let counted: i64 = count.build_query_scalar().fetch_one(pool).await?;
    Ok((rows, links, Total::bounded(counted, COUNT_BOUND)))
}

/// The export's statement: the view's rows, newest first, with no limit.
pub fn export_query(filter: &Filter<'_>) -> QueryBuilder<'static, Postgres> {
    let mut builder = QueryBuilder::new(format!("select {COLUMNS}{FROM}"));
    push_filter(&mut builder, filter);
    builder.push(" order by a.occurred_at desc, a.id desc");
    builder
}

impl LogRow {
    /// The row as the download's cells.
    pub fn into_cells(self) -> Vec<Cell> {
        let detail = self.detail.to_string();
        let addr = self.client_addr.clone();
        let row = AuditRow::from(self);
        let name = |p: &Option<Person>| Cell::maybe(p.as_ref().map(|p| p.name.clone()));
        let email = |p: &Option<Person>| Cell::maybe(p.as_ref().map(|p| p.email.clone()));
        vec![
            Cell::Time(row.at),
            Cell::text(row.action.clone()),
            Cell::Text(row.sentence()),
            name(&row.actor),
            email(&row.actor),
            name(&row.real),
            email(&row.real),
            Cell::maybe(row.partner_name.clone()),
            Cell::maybe(row.target_kind.clone()),
            Cell::maybe(row.target_id.map(|t| t.to_string())),
            Cell::maybe(row.target_name.clone()),
            Cell::Text(detail),
            Cell::maybe(addr),
        ]
    }
}

/// The download's header row, in the order of [`LogRow::into_cells`].
pub const HEADER: [&str; 13] = [
    "occurred_at",
    "action",
    "description",
    "actor_name",
    "actor_email",
    "real_user_name",
    "real_user_email",
    "partner",
    "target_type",
    "target_id",
    "target_name",
    "detail",
    "client_address",
];
