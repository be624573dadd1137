//! A license: what a client's product may do, until when, and how it is asked for.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::FieldErrors;

/// Longest duration a license may be issued for.
pub const MAX_DAYS: i64 = 3650;
pub const MAX_USERS: i32 = 100_000;
pub const MAX_FEATURES: usize = 20;
/// Licenses per page of a client's list.
pub const LICENSES_PAGE: i64 = 25;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LicenseKind {
    Trial,
    Subscription,
    Perpetual,
}

impl LicenseKind {
    pub fn slug(self) -> &'static str {
        match self {
            LicenseKind::Trial => "trial",
            LicenseKind::Subscription => "subscription",
            LicenseKind::Perpetual => "perpetual",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        [Self::Trial, Self::Subscription, Self::Perpetual]
            .into_iter()
            .find(|k| k.slug() == slug)
    }
}

/// A license as asked for, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct LicenseRequest {
    pub kind: String,
    pub duration_days: Option<i64>,
    pub features: Vec<String>,
    pub max_users: i64,
}

/// A checked license request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseTerms {
    pub kind: LicenseKind,
    /// `None` for a perpetual license.
    pub duration: Option<Duration>,
    pub features: Vec<String>,
    pub max_users: i32,
}

fn feature_ok(feature: &str) -> bool {
    (1..=40).contains(&feature.len())
        && feature
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

impl LicenseRequest {
    /// Checks every field, naming each one that is wrong.
    pub fn parse(&self) -> Result<LicenseTerms, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = LicenseKind::from_slug(&self.kind);
        if kind.is_none() {
            errors.add("type", "Use trial, subscription or perpetual.");
        }
        let duration = match (kind, self.duration_days) {
            (Some(LicenseKind::Perpetual), Some(_)) => {
                errors.add("duration_days", "A perpetual license has no duration.");
                None
            }
            (Some(LicenseKind::Perpetual), None) | (None, _) => None,
            (Some(_), None) => {
                errors.add("duration_days", "Give the license's duration in days.");
                None
            }
            (Some(_), Some(days)) if !(1..=MAX_DAYS).contains(&days) => {
                errors.add("duration_days", format!("Use 1 to {MAX_DAYS} days."));
                None
            }
            (Some(_), Some(days)) => Some(Duration::days(days)),
        };
        let mut features: Vec<String> = Vec::new();
        for feature in &self.features {
            if !feature_ok(feature) {
                errors.add(
                    "features",
                    "A feature is 1 to 40 lowercase letters, digits, - or _.",
                );
                break;
            }
            if !features.contains(feature) {
                features.push(feature.clone());
            }
        }
        if features.len() > MAX_FEATURES {
            errors.add("features", format!("At most {MAX_FEATURES} features."));
        }
        let max_users = i32::try_from(self.max_users)
            .ok()
            .filter(|n| (1..=MAX_USERS).contains(n));
        if max_users.is_none() {
            errors.add("max_users", format!("Use 1 to {MAX_USERS} users."));
        }
        match (kind, max_users) {
            (Some(kind), Some(max_users)) if errors.is_empty() => Ok(LicenseTerms {
                kind,
                duration,
                features,
                max_users,
            }),
            _ => Err(errors),
        }
    }
}

/// What a license key carries, signed: everything a product needs to decide offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicensePayload {
    /// The format's version.
    pub v: u8,
    pub license_id: Uuid,
    pub partner_id: Uuid,
    pub client_id: Uuid,
    #[serde(rename = "type")]
    pub kind: LicenseKind,
    pub features: Vec<String>,
    pub max_users: i32,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A license as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct License {
    pub id: Uuid,
    pub client_id: Uuid,
    pub kind: LicenseKind,
    pub features: Vec<String>,
    pub max_users: i32,
    pub issued_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub license_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: &str, days: Option<i64>, features: &[&str], users: i64) -> LicenseRequest {
        LicenseRequest {
            kind: kind.into(),
            duration_days: days,
            features: features.iter().map(|f| f.to_string()).collect(),
            max_users: users,
        }
    }

    #[test]
    fn a_good_request_is_taken_and_repeated_features_kept_once() {
        let terms = request("subscription", Some(365), &["sso", "audit", "sso"], 50)
            .parse()
            .unwrap();
        assert_eq!(terms.kind, LicenseKind::Subscription);
        assert_eq!(terms.duration, Some(Duration::days(365)));
        assert_eq!(terms.features, vec!["sso", "audit"]);
        let perpetual = request("perpetual", None, &[], 1).parse().unwrap();
        assert_eq!(perpetual.duration, None);
    }

    #[test]
    fn each_wrong_field_is_named() {
        let errors = request("forever", None, &["Bad Feature"], 0)
            .parse()
            .unwrap_err();
        for field in ["type", "features", "max_users"] {
            assert!(errors.message(field).is_some(), "{field}");
        }
        let errors = request("trial", None, &[], 5).parse().unwrap_err();
        assert!(errors.message("duration_days").is_some());
        let errors = request("perpetual", Some(3), &[], 5).parse().unwrap_err();
        assert!(errors.message("duration_days").is_some());
        let errors = request("trial", Some(MAX_DAYS + 1), &[], 5)
            .parse()
            .unwrap_err();
        assert!(errors.message("duration_days").is_some());
        let many: Vec<String> = (0..=MAX_FEATURES).map(|i| format!("f{i}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let errors = request("trial", Some(3), &refs, 5).parse().unwrap_err();
        assert!(errors.message("features").is_some());
    }
}
