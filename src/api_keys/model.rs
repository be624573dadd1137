//! API keys as the owner's page shows them, what may be asked for a new one, and the scopes a
//! key can be given.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{error::FieldErrors, program::PageLinks};

/// Keys per page of the list.
pub const KEYS_PAGE: i64 = 25;
/// Keys a partner may hold at once (not revoked, not expired): enough for every integration,
/// few enough to review.
pub const ACTIVE_KEYS_MAX: i64 = 25;
/// A key's default lifetime, and the longest allowed.
pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_DAYS: i64 = 365;
/// The lifetimes the form offers.
pub const LIFETIMES: [i64; 5] = [7, 30, 90, 180, 365];
/// Days before expiry at which the owner is told by e-mail.
pub const EXPIRY_NOTICE_DAYS: i64 = 7;
const NAME_MAX: usize = 60;

/// What a key may do: each `/v1` operation names the one it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ApiScope {
    ClientsRead,
    ClientsWrite,
    MetricsRead,
    CommissionsRead,
    BrandingWrite,
    WebhooksWrite,
    LicensesWrite,
}

impl ApiScope {
    pub const ALL: [ApiScope; 7] = [
        ApiScope::ClientsRead,
        ApiScope::ClientsWrite,
        ApiScope::MetricsRead,
        ApiScope::CommissionsRead,
        ApiScope::BrandingWrite,
        ApiScope::WebhooksWrite,
        ApiScope::LicensesWrite,
    ];

    /// The name in the API, in OAuth `scope` strings and in the database.
    pub const fn slug(self) -> &'static str {
        match self {
            ApiScope::ClientsRead => "clients:read",
            ApiScope::ClientsWrite => "clients:write",
            ApiScope::MetricsRead => "metrics:read",
            ApiScope::CommissionsRead => "commissions:read",
            ApiScope::BrandingWrite => "branding:write",
            ApiScope::WebhooksWrite => "webhooks:write",
            ApiScope::LicensesWrite => "licenses:write",
        }
    }

    pub const fn describe(self) -> &'static str {
        match self {
            ApiScope::ClientsRead => "List and read clients and their subscriptions",
            ApiScope::ClientsWrite => "Create, change, suspend, resume and cancel clients",
            ApiScope::MetricsRead => "Read MRR, ARR, growth and tier progress",
            ApiScope::CommissionsRead => "Read statements and their lines",
            ApiScope::BrandingWrite => "Change and publish the client portal's branding",
            ApiScope::WebhooksWrite => "Manage webhook endpoints",
            ApiScope::LicensesWrite => "Issue and revoke licenses",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ApiScope> {
        ApiScope::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// A space-separated OAuth `scope` value (RFC 6749 section 3.3), unknown names refused.
    pub fn parse_list(list: &str) -> Option<Vec<ApiScope>> {
        let mut scopes = list
            .split_ascii_whitespace()
            .map(ApiScope::from_slug)
            .collect::<Option<Vec<_>>>()?;
        scopes.sort();
        scopes.dedup();
        Some(scopes)
    }

    pub fn join(scopes: &[ApiScope]) -> String {
        scopes
            .iter()
            .map(|s| s.slug())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One key in the list: never its secret, only the start of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyRow {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the secret (`ppk_` and 8 more).
    pub shown: String,
    pub scopes: Vec<ApiScope>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_from: Option<String>,
    pub state: KeyState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    Active,
    Expired,
    Revoked,
}

impl KeyState {
    pub const fn label(self) -> &'static str {
        match self {
            KeyState::Active => "Active",
            KeyState::Expired => "Expired",
            KeyState::Revoked => "Revoked",
        }
    }
}

/// One page of the partner's keys, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeysPage {
    pub keys: Vec<ApiKeyRow>,
    pub links: PageLinks,
    pub active: i64,
    /// The key made by the form post this page follows (without JavaScript): shown once.
    pub created: Option<CreatedKey>,
}

/// Revoking a key: it stops working at once, so the box must be ticked (`yes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RevokeKeyInput {
    pub key_id: Uuid,
    pub confirm: Option<String>,
}

impl RevokeKeyInput {
    pub fn confirmed(&self) -> Result<Uuid, FieldErrors> {
        match self.confirm.as_deref() {
            Some("yes") => Ok(self.key_id),
            _ => Err(FieldErrors::field(
                "confirm",
                "Tick the box to confirm: whatever uses the key stops working at once.",
            )),
        }
    }
}

/// A key just made: the only time its secret leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedKey {
    pub id: Uuid,
    pub name: String,
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

/// The new-key form: a name, the scopes ticked (`input[scopes][N]`) and a lifetime in days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewKeyInput {
    pub name: String,
    pub scopes: Vec<String>,
    pub days: String,
}

/// A checked request for a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub days: i64,
}

impl NewKeyInput {
    pub fn validate(&self) -> Result<NewKey, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add(
                "name",
                "Give the key a name, such as the system that will use it.",
            );
        } else if name.chars().count() > NAME_MAX {
            errors.add("name", format!("Keep the name to {NAME_MAX} characters."));
        } else if name.chars().any(char::is_control) {
            errors.add("name", "The name cannot hold control characters.");
        }
        let scopes = self
            .scopes
            .iter()
            .map(|slug| ApiScope::from_slug(slug.trim()))
            .collect::<Option<Vec<_>>>();
        let scopes = match scopes {
            None => {
                errors.add("scopes", "Choose scopes from the list.");
                Vec::new()
            }
            Some(list) if list.is_empty() => {
                errors.add(
                    "scopes",
                    "Choose at least one scope: a key with none can do nothing.",
                );
                Vec::new()
            }
            Some(mut list) => {
                list.sort();
                list.dedup();
                list
            }
        };
        let days = match self.days.trim() {
            "" => DEFAULT_DAYS,
            typed => match typed.parse::<i64>() {
                Ok(days) if (1..=MAX_DAYS).contains(&days) => days,
                _ => {
                    errors.add("days", format!("A key lasts from 1 to {MAX_DAYS} days."));
                    DEFAULT_DAYS
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors
                .keep("name", &self.name)
                .keep("scopes", self.scopes.join(" "))
                .keep("days", &self.days));
        }
        Ok(NewKey {
            name: name.to_string(),
            scopes,
            days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, scopes: &[&str], days: &str) -> NewKeyInput {
        NewKeyInput {
            name: name.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            days: days.into(),
        }
    }

    #[test]
    fn a_key_needs_a_name_a_known_scope_and_a_lifetime_within_a_year() {
        let key = input(
            " CRM sync ",
            &["clients:write", "clients:read", "clients:read"],
            "",
        )
        .validate()
        .unwrap();
        assert_eq!(key.name, "CRM sync");
        assert_eq!(key.scopes, [ApiScope::ClientsRead, ApiScope::ClientsWrite]);
        assert_eq!(key.days, DEFAULT_DAYS);
        assert_eq!(
            input("x", &["metrics:read"], "365")
                .validate()
                .unwrap()
                .days,
            365
        );

        let errors = input("  ", &[], "366").validate().unwrap_err();
        assert!(errors.message("name").is_some());
        assert!(errors.message("scopes").unwrap().contains("at least one"));
        assert!(errors.message("days").unwrap().contains("365"));
        let errors = input(&"n".repeat(61), &["admin:all"], "0")
            .validate()
            .unwrap_err();
        assert!(errors.message("name").unwrap().contains("60"));
        assert!(errors.message("scopes").unwrap().contains("from the list"));
        assert!(errors.message("days").is_some());
        assert_eq!(errors.kept("name"), Some("n".repeat(61).as_str()));
    }

    #[test]
    fn scopes_round_trip_and_an_oauth_list_refuses_unknown_names() {
        for scope in ApiScope::ALL {
            assert_eq!(ApiScope::from_slug(scope.slug()), Some(scope));
        }
        assert_eq!(
            ApiScope::parse_list("metrics:read  clients:read metrics:read"),
            Some(vec![ApiScope::ClientsRead, ApiScope::MetricsRead])
        );
        assert_eq!(ApiScope::parse_list("clients:read everything"), None);
        assert_eq!(ApiScope::parse_list(""), Some(vec![]));
        assert_eq!(
            ApiScope::join(&[ApiScope::ClientsRead, ApiScope::LicensesWrite]),
            "clients:read licenses:write"
        );
    }
}
