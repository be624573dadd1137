//! The review queue's filters, sort and page, as they appear in the URL (so that a view
//! can be bookmarked and works without JavaScript).

use serde::{Deserialize, Serialize};

use super::model::{ApplicationRow, ApplicationStatus};
use crate::program::{PageLinks, PartnershipType, Position};

pub const PAGE_SIZE: i64 = 25;
pub const SEARCH_MAX_CHARS: usize = 100;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortField {
    #[default]
    Submitted,
    Company,
    Status,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueQuery {
    pub status: Option<ApplicationStatus>,
    pub partnership_type: Option<PartnershipType>,
    pub search: Option<String>,
    pub sort: SortField,
    pub ascending: bool,
    pub position: Position,
}

impl QueueQuery {
    /// Reads the URL's query parameters; anything unknown falls back to the default view.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let sort = match get("sort").as_deref() {
            Some("company") => SortField::Company,
            Some("status") => SortField::Status,
            _ => SortField::Submitted,
        };
        QueueQuery {
            status: get("status")
                .as_deref()
                .and_then(ApplicationStatus::from_slug),
            partnership_type: get("type").as_deref().and_then(PartnershipType::from_slug),
            search: get("q")
                .map(|q| q.trim().chars().take(SEARCH_MAX_CHARS).collect::<String>())
                .filter(|q| !q.is_empty()),
            sort,
            ascending: get("dir").as_deref() == Some("asc"),
            position: Position::from_params(get),
        }
    }

    /// This view as a URL, with the changes `edit` makes.
    pub fn href(&self, edit: impl FnOnce(&mut QueueQuery)) -> String {
        let mut q = self.clone();
        edit(&mut q);
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(status) = q.status {
            params.push(("status".into(), status.slug().into()));
        }
        if let Some(kind) = q.partnership_type {
            params.push(("type".into(), kind.slug().into()));
        }
        if let Some(search) = &q.search {
            params.push(("q".into(), search.clone()));
        }
        match q.sort {
            SortField::Submitted => {}
            SortField::Company => params.push(("sort".into(), "company".into())),
            SortField::Status => params.push(("sort".into(), "status".into())),
        }
        if q.ascending {
            params.push(("dir".into(), "asc".into()));
        }
        if let Some((name, value)) = q.position.param() {
            params.push((name.into(), value));
        }
        let query: Vec<String> = params
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::components::format::url_encode(&v)))
            .collect();
        if query.is_empty() {
            "/admin/applications".into()
        } else {
            format!("/admin/applications?{}", query.join("&"))
        }
    }
}

/// One page of the queue, with the counts behind the status tabs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<ApplicationRow>,
    /// Matching applications across all pages.
    pub total: i64,
    pub links: PageLinks,
    /// Per status, for the current type and search filters.
    pub counts: Vec<(ApplicationStatus, i64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> QueueQuery {
        QueueQuery::from_params(|k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_url_round_trips() {
        let q = parse(&[
            ("status", "pending"),
            ("type", "referral"),
            ("q", "acme & co"),
            ("sort", "company"),
            ("dir", "asc"),
            ("after", "Y3Vy"),
        ]);
        assert_eq!(q.status, Some(ApplicationStatus::Pending));
        assert_eq!(q.partnership_type, Some(PartnershipType::Referral));
        assert_eq!(q.search.as_deref(), Some("acme & co"));
        assert_eq!(
            (q.sort, q.ascending, &q.position),
            (SortField::Company, true, &Position::After("Y3Vy".into()))
        );
        assert_eq!(
            q.href(|_| {}),
            "/admin/applications?status=pending&type=referral&q=acme+%26+co&sort=company&dir=asc&after=Y3Vy"
        );
        // Changing a filter goes back to the first page when the caller says so.
        assert_eq!(
            q.href(|q| {
                q.status = None;
                q.position = Position::First;
            }),
            "/admin/applications?type=referral&q=acme+%26+co&sort=company&dir=asc"
        );
    }

    #[test]
    fn nonsense_falls_back_to_the_default_view() {
        let q = parse(&[
            ("status", "lost"),
            ("type", "x"),
            ("q", "   "),
            ("sort", "drop table"),
            ("at", "-4"),
        ]);
        assert_eq!(q, QueueQuery::default());
        assert_eq!(q.href(|_| {}), "/admin/applications");
        let long = "x".repeat(500);
        assert_eq!(
            parse(&[("q", &long)]).search.unwrap().len(),
            SEARCH_MAX_CHARS
        );
    }
}
