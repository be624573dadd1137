//! Keyset pagination in SQL: a list's sort key, the condition and order that start a page at
//! a cursor, and the page's links. The cursor is the sort key of a row, as text, so a page
//! deep in a list costs what the first one costs (an index range, no OFFSET).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sqlx::{Postgres, QueryBuilder};

use crate::program::{PageLinks, Position};

/// A list's sort key: SQL expressions, each with the type its cursor text is cast back to.
/// The last expression must make the key unique (an id); all run in one direction.
pub struct SortKey {
    columns: Vec<(String, &'static str)>,
    descending: bool,
}

/// Which way a page is read from its cursor.
enum Travel {
    Forward(Option<Vec<String>>),
    Backward(Option<Vec<String>>),
}

impl SortKey {
    pub fn new(columns: &[(&str, &'static str)], descending: bool) -> Self {
        SortKey {
            columns: columns.iter().map(|(e, t)| (e.to_string(), *t)).collect(),
            descending,
        }
    }

    /// The row's key as a text array, to select beside the row (`... as page_key`).
    pub fn select(&self) -> String {
        let parts: Vec<String> = self
            .columns
            .iter()
            .map(|(e, _)| format!("({e})::text"))
            .collect();
        format!("array[{}]", parts.join(", "))
    }

    fn travel(&self, position: &Position) -> Travel {
        let key = |cursor: &str| decode(cursor, self.columns.len());
        match position {
            Position::First => Travel::Forward(None),
            Position::Last => Travel::Backward(None),
            Position::After(c) => {
                key(c).map_or(Travel::Forward(None), |k| Travel::Forward(Some(k)))
            }
            Position::Before(c) => {
                key(c).map_or(Travel::Forward(None), |k| Travel::Backward(Some(k)))
            }
        }
    }

    /// Appends ` and (key) > (cursor)` (or `<`, by direction) when the page starts at a
    /// cursor. Call after the list's own `where`.
    pub fn push_bound(&self, builder: &mut QueryBuilder<'_, Postgres>, position: &Position) {
        let (key, backward) = match self.travel(position) {
            Travel::Forward(Some(k)) => (k, false),
            Travel::Backward(Some(k)) => (k, true),
            _ => return,
        };
        let exprs: Vec<&str> = self.columns.iter().map(|(e, _)| e.as_str()).collect();
        let greater = backward == self.descending;
        builder.push(format!(
            " and ({}) {} (",
            exprs.join(", "),
            if greater { ">" } else { "<" }
        ));
        for (i, ((_, cast), value)) in self.columns.iter().zip(key).enumerate() {
            if i > 0 {
                builder.push(", ");
            }
            builder.push_bind(value).push(format!("::text::{cast}"));
        }
        builder.push(")");
    }

    /// Appends the order (reversed when reading backwards) and a limit one past the page, so
    /// that the page knows whether more rows follow.
    pub fn push_order(
        &self,
        builder: &mut QueryBuilder<'_, Postgres>,
        position: &Position,
        page_size: i64,
    ) {
        let backward = matches!(self.travel(position), Travel::Backward(_));
        let dir = if backward != self.descending {
            "desc"
        } else {
            "asc"
        };
        let order: Vec<String> = self
            .columns
            .iter()
            .map(|(e, _)| format!("{e} {dir}"))
            .collect();
        builder
            .push(format!(" order by {} limit ", order.join(", ")))
            .push_bind(page_size + 1);
    }

    /// The page in list order, from rows fetched with [`Self::push_order`] (each with its
    /// key), and the links around it.
    pub fn finish<T>(
        &self,
        mut rows: Vec<(T, Vec<String>)>,
        position: &Position,
        page_size: i64,
    ) -> (Vec<T>, PageLinks) {
        let more = rows.len() as i64 > page_size;
        rows.truncate(page_size.max(0) as usize);
        let (more_before, more_after) = match self.travel(position) {
            Travel::Forward(from) => (from.is_some(), more),
            Travel::Backward(from) => {
                rows.reverse();
                (more, from.is_some())
            }
        };
        let links = PageLinks::around(
            rows.first().map(|(_, k)| encode(k)),
            rows.last().map(|(_, k)| encode(k)),
            more_before,
            more_after,
        );
        (rows.into_iter().map(|(row, _)| row).collect(), links)
    }
}

/// A key as cursor text for the URL.
pub fn encode(key: &[String]) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// The key in a cursor, if it is one of `len` parts; anything else is not a cursor.
pub fn decode(cursor: &str, len: usize) -> Option<Vec<String>> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let key: Vec<String> = serde_json::from_slice(&bytes).ok()?;
    (key.len() == len).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_cursor_of_the_wrong_shape_is_no_cursor() {
        assert_eq!(decode("not base64 !", 2), None);
        assert_eq!(decode(&encode(&["a".into()]), 2), None);
        assert_eq!(decode(&URL_SAFE_NO_PAD.encode(b"{}"), 1), None);
    }

    #[test]
    fn the_bound_binds_the_key_and_follows_the_direction() {
        let key = SortKey::new(&[("lower(c.name)", "text"), ("c.id", "uuid")], false);
        let cursor = encode(&["acme".into(), "00000000-0000-0000-0000-000000000001".into()]);
        let mut b = QueryBuilder::new("select 1 where true");
        key.push_bound(&mut b, &Position::After(cursor.clone()));
        key.push_order(&mut b, &Position::After(cursor.clone()), 25);
        assert_eq!(
            b.sql(),
            "select 1 where true and (lower(c.name), c.id) > ($1::text::text, $2::text::uuid) \
             order by lower(c.name) asc, c.id asc limit $3"
        );
        let mut b = QueryBuilder::new("");
        key.push_bound(&mut b, &Position::Before(cursor.clone()));
        key.push_order(&mut b, &Position::Before(cursor), 25);
        assert!(b.sql().contains(") < ($1"), "{}", b.sql());
        assert!(b.sql().contains("c.id desc"), "{}", b.sql());
        // A broken cursor reads as the first page: no bound, forward order.
        let mut b = QueryBuilder::new("");
        key.push_bound(&mut b, &Position::Before("zz".into()));
        key.push_order(&mut b, &Position::Before("zz".into()), 25);
        assert_eq!(b.sql(), " order by lower(c.name) asc, c.id asc limit $1");
    }

    #[test]
    fn a_backward_page_comes_back_in_list_order_with_its_links() {
        let key = SortKey::new(&[("n", "int")], false);
        let from = encode(&["10".into()]);
        // Fetched backwards from 10 with a page of 3: 9, 8, 7 and one more (6).
        let rows = [9, 8, 7, 6]
            .map(|n| (n, vec![n.to_string()]))
            .into_iter()
            .collect();
        let (page, links) = key.finish(rows, &Position::Before(from), 3);
        assert_eq!(page, [7, 8, 9]);
        assert_eq!(
            links.previous,
            Some(Position::Before(encode(&["7".into()])))
        );
        assert_eq!(links.next, Some(Position::After(encode(&["9".into()]))));
    }

    proptest! {
        #[test]
        fn any_key_round_trips(key in proptest::collection::vec(".*", 1..4)) {
            prop_assert_eq!(decode(&encode(&key), key.len()), Some(key));
        }
    }
}
