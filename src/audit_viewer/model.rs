//! The audit log viewers' filters as they appear in the URL, and a row in plain words.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::program::{PageLinks, Position, Total};

/// Rows per page of the log.
pub const PAGE_SIZE: i64 = 50;

/// Which log: one partner's (`/partner/audit`) or the whole program's (`/admin/audit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogScope {
    Partner,
    Program,
}

impl LogScope {
    pub fn path(self) -> &'static str {
        match self {
            LogScope::Partner => "/partner/audit",
            LogScope::Program => "/admin/audit",
        }
    }
}

/// What the kinds of targets are called in the filter and in a row.
pub const TARGET_KINDS: [(&str, &str); 9] = [
    ("client", "Client"),
    ("partner", "Partner"),
    ("user", "Person"),
    ("invitation", "Invitation"),
    ("application", "Application"),
    ("payout", "Payout"),
    ("commission_adjustment", "Statement adjustment"),
    ("branding_asset", "Brand image"),
    ("password_reset", "Password reset"),
];

/// The filters of a view of the log, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// An e-mail address: rows done by that person, or by someone acting as them.
    pub person: Option<String>,
    /// A stored action name.
    pub action: Option<String>,
    /// A kind of target (`client`), and optionally one target.
    pub target_kind: Option<String>,
    pub target: Option<Uuid>,
    /// One partner's rows (the program's log only).
    pub partner: Option<Uuid>,
    /// Days in UTC, both included.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub position: Position,
}

impl AuditQuery {
    /// From the URL; values that cannot be right are left out.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str, max: usize| {
            get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty() && v.chars().count() <= max)
        };
        let id = |name: &str| get(name).and_then(|v| Uuid::parse_str(v.trim()).ok());
        let day = |name: &str| {
            get(name).and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
        };
        AuditQuery {
            person: text("person", 254).map(|p| p.to_lowercase()),
            action: text("action", 60).filter(|a| {
                a.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            }),
            target_kind: text("target_kind", 40)
                .filter(|k| TARGET_KINDS.iter().any(|(kind, _)| kind == k)),
            target: id("target"),
            partner: id("partner"),
            from: day("from"),
            to: day("to"),
            position: Position::from_params(get),
        }
    }

    /// The query string (without `?`) of this view with `edit` applied.
    pub fn query_string(&self, edit: impl FnOnce(&mut AuditQuery)) -> String {
        let mut q = self.clone();
        edit(&mut q);
        let mut params: Vec<(&str, String)> = Vec::new();
        let mut put = |name, value: Option<String>| {
            if let Some(value) = value {
                params.push((name, value));
            }
        };
        put("person", q.person);
        put("action", q.action);
        put("target_kind", q.target_kind);
        put("target", q.target.map(|t| t.to_string()));
        put("partner", q.partner.map(|p| p.to_string()));
        put("from", q.from.map(|d| d.to_string()));
        put("to", q.to.map(|d| d.to_string()));
        if let Some(param) = q.position.param() {
            params.push(param);
        }
        crate::components::format::query_string(params)
    }

    /// This view of `scope`'s log at `position` (a page link).
    pub fn at(&self, scope: LogScope, position: &Position) -> String {
        let query = self.query_string(|q| q.position = position.clone());
        if query.is_empty() {
            scope.path().to_string()
        } else {
            format!("{}?{query}", scope.path())
        }
    }

    /// Whether any filter is set (the empty state says so).
    pub fn filtered(&self) -> bool {
        *self
            != AuditQuery {
                position: self.position.clone(),
                ..Default::default()
            }
    }

    /// The one way a filter can be wrong: a range that ends before it starts.
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if to < from => {
                Some(("to", "The end date must be on or after the start date."))
            }
            _ => None,
        }
    }
}

/// Someone named in a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One row of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub action: String,
    /// Who the change was made as (the client user during an impersonation).
    pub actor: Option<Person>,
    /// The reseller's member who really acted during an impersonation.
    pub real: Option<Person>,
    pub partner_name: Option<String>,
    pub target_kind: Option<String>,
    pub target_id: Option<Uuid>,
    /// The target's name, where it has one (a client's company, a person, a partner).
    pub target_name: Option<String>,
    /// The row's details as `key: value` pairs.
    pub detail: Vec<(String, String)>,
}

impl AuditRow {
    /// The row in plain words: "Dana Ortiz updated a client's contact: Fabrikam, while
    /// logged in as Ada Lovelace".
    pub fn sentence(&self) -> String {
        let doer = self.real.as_ref().or(self.actor.as_ref());
        let subject = doer.map_or("The portal", |p| p.name.as_str());
        let mut sentence = format!(
            "{subject} {}",
            lower_first(&crate::audit::describe(&self.action))
        );
        if let Some(name) = &self.target_name {
            sentence.push_str(&format!(": {name}"));
        }
        if let (Some(_), Some(actor)) = (&self.real, &self.actor) {
            sentence.push_str(&format!(", while logged in as {}", actor.name));
        }
        sentence
    }

    /// What kind of thing the target is, in words.
    pub fn target_label(&self) -> Option<&'static str> {
        let kind = self.target_kind.as_deref()?;
        TARGET_KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, label)| *label)
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An action the filter offers: its stored name and description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionOption {
    pub name: String,
    pub description: String,
}

/// A page of the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub links: PageLinks,
    /// Exact up to a bound.
    pub total: Total,
    /// The actions this reader may filter on.
    pub actions: Vec<ActionOption>,
    /// The one filter that is wrong, and why (then no rows are read).
    pub problem: Option<(String, String)>,
}

#[cfg(test)]
mod tests;
