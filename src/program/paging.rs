//! Pages of a list by cursor (keyset pagination): where a page starts, as it appears in the
//! URL, and the links to the pages around it. A cursor is the sort key of a row, so a page
//! costs the same at the start and deep in a list, and rows inserted meanwhile neither
//! repeat nor go missing.

use serde::{Deserialize, Serialize};

/// Where a page of a list starts. On the wire it is one string (`first`, `last`,
/// `after:CURSOR`, `before:CURSOR`), which every form encoding carries as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Position {
    #[default]
    First,
    /// The rows after this cursor.
    After(String),
    /// The rows before this cursor (a "previous" link).
    Before(String),
    Last,
}

impl Position {
    /// From the URL's `after`, `before` and `at=last` parameters; nonsense is the first page.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let cursor = |name| get(name).filter(|c| !c.is_empty() && c.len() <= 2000);
        if let Some(after) = cursor("after") {
            Position::After(after)
        } else if let Some(before) = cursor("before") {
            Position::Before(before)
        } else if get("at").as_deref() == Some("last") {
            Position::Last
        } else {
            Position::First
        }
    }

    /// The URL parameter for this position, if any.
    pub fn param(&self) -> Option<(&'static str, String)> {
        match self {
            Position::First => None,
            Position::After(c) => Some(("after", c.clone())),
            Position::Before(c) => Some(("before", c.clone())),
            Position::Last => Some(("at", "last".into())),
        }
    }
}

impl From<Position> for String {
    fn from(position: Position) -> String {
        match position {
            Position::First => "first".into(),
            Position::Last => "last".into(),
            Position::After(c) => format!("after:{c}"),
            Position::Before(c) => format!("before:{c}"),
        }
    }
}

impl TryFrom<String> for Position {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        match text.split_once(':') {
            None if text == "first" => Ok(Position::First),
            None if text == "last" => Ok(Position::Last),
            Some(("after", c)) if !c.is_empty() => Ok(Position::After(c.into())),
            Some(("before", c)) if !c.is_empty() => Ok(Position::Before(c.into())),
            _ => Err(format!("not a list position: {text:?}")),
        }
    }
}

/// The links around a page: `None` where there is no such page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLinks {
    pub first: Option<Position>,
    pub previous: Option<Position>,
    pub next: Option<Position>,
    pub last: Option<Position>,
}

impl PageLinks {
    /// The links of a page that starts at `position`, given the cursors of its first and
    /// last rows and whether rows lie before and after it.
    pub fn around(
        first_key: Option<String>,
        last_key: Option<String>,
        more_before: bool,
        more_after: bool,
    ) -> Self {
        PageLinks {
            first: more_before.then_some(Position::First),
            previous: first_key.filter(|_| more_before).map(Position::Before),
            next: last_key.filter(|_| more_after).map(Position::After),
            last: more_after.then_some(Position::Last),
        }
    }
}

/// A count shown exactly up to a bound and as "more than" beyond it, so that no page view
/// counts a million rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Total {
    Exact(i64),
    AtLeast(i64),
}

impl Total {
    /// From a count taken with `limit bound + 1`.
    pub fn bounded(counted: i64, bound: i64) -> Self {
        if counted > bound {
            Total::AtLeast(bound)
        } else {
            Total::Exact(counted)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_gives_the_position_and_nonsense_is_the_first_page() {
        let params = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Position::from_params(params(&[("after", "abc")])),
            Position::After("abc".into())
        );
        assert_eq!(
            Position::from_params(params(&[("before", "x")])),
            Position::Before("x".into())
        );
        assert_eq!(
            Position::from_params(params(&[("at", "last")])),
            Position::Last
        );
        assert_eq!(
            Position::from_params(params(&[("at", "middle"), ("after", "")])),
            Position::First
        );
        assert_eq!(Position::Last.param(), Some(("at", "last".into())));
    }

    #[test]
    fn a_position_travels_as_one_string() {
        for position in [
            Position::First,
            Position::Last,
            Position::After("eyJhIjoxfQ".into()),
            Position::Before("x-_y".into()),
        ] {
            let text = String::from(position.clone());
            assert_eq!(Position::try_from(text), Ok(position));
        }
        assert!(Position::try_from("after:".to_string()).is_err());
        assert!(Position::try_from("middle".to_string()).is_err());
    }

    #[test]
    fn a_single_page_has_no_links_and_a_middle_page_has_all() {
        let single = PageLinks::around(Some("a".into()), Some("b".into()), false, false);
        assert_eq!((single.previous, single.next), (None, None));
        assert_eq!(single.first, None);
        let middle = PageLinks::around(Some("a".into()), Some("b".into()), true, true);
        assert_eq!(middle.previous, Some(Position::Before("a".into())));
        assert_eq!(middle.next, Some(Position::After("b".into())));
        assert_eq!(middle.first, Some(Position::First));
        assert_eq!(middle.last, Some(Position::Last));
    }

    #[test]
    fn counts_past_the_bound_are_shown_as_more_than() {
        assert_eq!(Total::bounded(1000, 1000), Total::Exact(1000));
        assert_eq!(Total::bounded(1001, 1000), Total::AtLeast(1000));
    }
}
