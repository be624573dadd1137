//! The admin's partner list as it appears in the URL: a search by name or slug, tier and
//! status filters, a sort, and the page's position.

use serde::{Deserialize, Serialize};

use crate::{
    auth::model::PartnerStatus,
    program::{Position, Tier},
};

/// What the list is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerSort {
    /// A to Z.
    #[default]
    Name,
    /// Most active clients first.
    Clients,
    /// Highest MRR first.
    Mrr,
    /// Newest first.
    Joined,
}

impl PartnerSort {
    pub const ALL: [(PartnerSort, &'static str, &'static str); 4] = [
        (PartnerSort::Name, "name", "Name"),
        (PartnerSort::Clients, "clients", "Active clients"),
        (PartnerSort::Mrr, "mrr", "MRR"),
        (PartnerSort::Joined, "joined", "Newest"),
    ];

    fn slug(self) -> &'static str {
        PartnerSort::ALL
            .iter()
            .find(|(s, _, _)| *s == self)
            .map_or("name", |(_, slug, _)| slug)
    }
}

/// All statuses, with their URL values.
pub const STATUSES: [(PartnerStatus, &str); 3] = [
    (PartnerStatus::Active, "active"),
    (PartnerStatus::Frozen, "frozen"),
    (PartnerStatus::Suspended, "suspended"),
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerQuery {
    pub search: Option<String>,
    pub tier: Option<Tier>,
    pub status: Option<PartnerStatus>,
    pub sort: PartnerSort,
    pub position: Position,
}

impl PartnerQuery {
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        PartnerQuery {
            search: get("q")
                .map(|q| q.trim().chars().take(100).collect::<String>())
                .filter(|q| !q.is_empty()),
            tier: get("tier").and_then(|t| Tier::from_slug(&t)),
            status: get("status")
                .and_then(|s| STATUSES.iter().find(|(_, v)| *v == s).map(|(st, _)| *st)),
            sort: get("sort")
                .and_then(|s| {
                    PartnerSort::ALL
                        .iter()
                        .find(|(_, slug, _)| *slug == s)
                        .map(|(sort, _, _)| *sort)
                })
                .unwrap_or_default(),
            position: Position::from_params(get),
        }
    }

    /// The query string (without `?`) of this view with `edit` applied.
    pub fn query_string(&self, edit: impl FnOnce(&mut PartnerQuery)) -> String {
        let mut q = self.clone();
        edit(&mut q);
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(search) = q.search {
            params.push(("q", search));
        }
        if let Some(tier) = q.tier {
            params.push(("tier", tier.slug().into()));
        }
        if let Some(status) = q.status {
            let value = STATUSES
                .iter()
                .find(|(s, _)| *s == status)
                .map_or("", |(_, v)| v);
            params.push(("status", value.into()));
        }
        if q.sort != PartnerSort::Name {
            params.push(("sort", q.sort.slug().into()));
        }
        if let Some(param) = q.position.param() {
            params.push(param);
        }
        crate::components::format::query_string(params)
    }

    /// This view at `position` (a page link).
    pub fn at(&self, position: &Position) -> String {
        let query = self.query_string(|q| q.position = position.clone());
        if query.is_empty() {
            "/admin/partners".into()
        } else {
            format!("/admin/partners?{query}")
        }
    }

    pub fn filtered(&self) -> bool {
        self.search.is_some() || self.tier.is_some() || self.status.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_round_trips_and_nonsense_is_ignored() {
        let pairs = [
            ("q", "north wind"),
            ("tier", "gold"),
            ("status", "frozen"),
            ("sort", "mrr"),
            ("after", "Y3Vyc29y"),
        ];
        let q = PartnerQuery::from_params(|k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(q.tier, Some(Tier::Gold));
        assert_eq!(q.status, Some(PartnerStatus::Frozen));
        assert_eq!(q.sort, PartnerSort::Mrr);
        assert_eq!(
            q.at(&q.position),
            "/admin/partners?q=north+wind&tier=gold&status=frozen&sort=mrr&after=Y3Vyc29y"
        );
        let junk = [
            ("tier", "diamond"),
            ("status", "x"),
            ("sort", "?"),
            ("q", "  "),
        ];
        let q = PartnerQuery::from_params(|k| {
            junk.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(q, PartnerQuery::default());
        assert!(!q.filtered());
        assert_eq!(q.at(&Position::First), "/admin/partners");
    }
}
