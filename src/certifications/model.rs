//! The certification tracks and their modules (seed 001 section 5.1), the one table that
//! turns members' certifications into a partner's level, and what the pages show and post.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::FieldErrors;

/// How long a certification lasts unless the admin says otherwise.
pub const DEFAULT_VALID_MONTHS: u32 = 24;
/// Days before expiry at which the holder is told.
pub const REMINDER_DAYS: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Track {
    Foundation,
    Advanced,
    Master,
}

impl Track {
    pub const ALL: [Track; 3] = [Track::Foundation, Track::Advanced, Track::Master];

    pub const fn slug(self) -> &'static str {
        match self {
            Track::Foundation => "foundation",
            Track::Advanced => "advanced",
            Track::Master => "master",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Track::Foundation => "Foundation",
            Track::Advanced => "Advanced",
            Track::Master => "Master",
        }
    }

    /// The badge a partner of this level shows.
    pub const fn badge(self) -> &'static str {
        match self {
            Track::Foundation => "Certified Partner",
            Track::Advanced => "Expert Partner",
            Track::Master => "Master Partner",
        }
    }

    /// The modules a member completes for the track: slug and title.
    pub const fn modules(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Track::Foundation => &[
                ("basics", "Product basics"),
                ("onboarding", "Customer onboarding"),
                ("troubleshooting", "Basic troubleshooting"),
                ("sales", "Sales fundamentals"),
            ],
            Track::Advanced => &[
                ("industries", "Industry specializations"),
                ("implementations", "Complex implementations"),
                ("development", "Custom development"),
                ("enterprise", "Enterprise features"),
            ],
            Track::Master => &[
                ("migrations", "Enterprise migrations"),
                ("multi_country", "Multi-country deployments"),
                ("platform", "Platform architecture"),
                ("solutions", "Solution architecture"),
            ],
        }
    }

    pub fn from_slug(slug: &str) -> Option<Track> {
        Track::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

/// A partner's level: the first row whose track at least `members` of its members hold
/// validly (a higher track counts for a lower one). Keep the rule here, and only here.
pub const LEVEL_RULES: [(Track, usize); 3] = [
    (Track::Master, 2),
    (Track::Advanced, 2),
    (Track::Foundation, 1),
];

/// The level of a partner whose certified members' best valid tracks are `best`.
pub fn partner_level(best: &[Track]) -> Option<Track> {
    LEVEL_RULES
        .into_iter()
        .find(|(track, members)| best.iter().filter(|b| *b >= track).count() >= *members)
        .map(|(track, _)| track)
}

/// Where a certification stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificationState {
    Valid,
    ExpiringSoon,
    Expired,
    Revoked,
}

impl CertificationState {
    pub fn of(expires_on: NaiveDate, revoked: bool, today: NaiveDate) -> Self {
        if revoked {
            CertificationState::Revoked
        } else if expires_on < today {
            CertificationState::Expired
        } else if (expires_on - today).num_days() <= REMINDER_DAYS {
            CertificationState::ExpiringSoon
        } else {
            CertificationState::Valid
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            CertificationState::Valid => "Valid",
            CertificationState::ExpiringSoon => "Expires soon",
            CertificationState::Expired => "Expired",
            CertificationState::Revoked => "Revoked",
        }
    }
}

/// One member's certification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificationRow {
    pub id: Uuid,
    pub member: String,
    pub track: Track,
    pub completed_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub state: CertificationState,
}

/// A partner's level and its members' certifications; for admins, the members to record
/// a completion for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerCertifications {
    pub level: Option<Track>,
    pub certifications: Vec<CertificationRow>,
    /// Member id and name (admins' form only; empty for partners).
    pub members: Vec<(Uuid, String)>,
}

/// An admin's record of a completed track, as posted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordInput {
    pub partner_id: Uuid,
    pub user_id: Uuid,
    pub track: String,
    /// The modules ticked (`input[modules][N]`): all of the track's are required.
    pub modules: Vec<String>,
    pub completed_on: String,
    /// Empty: [`DEFAULT_VALID_MONTHS`] after completion.
    pub expires_on: String,
}

/// A checked record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub track: Track,
    pub modules: Vec<String>,
    pub completed_on: NaiveDate,
    pub expires_on: NaiveDate,
}

impl RecordInput {
    pub fn validate(&self, today: NaiveDate) -> Result<Completion, FieldErrors> {
        let mut errors = FieldErrors::new();
        let track = Track::from_slug(self.track.trim());
        if track.is_none() {
            errors.add("track", "Choose a track.");
        }
        if let Some(track) = track {
            let missing: Vec<&str> = track
                .modules()
                .iter()
                .filter(|(slug, _)| !self.modules.iter().any(|m| m == slug))
                .map(|(_, title)| *title)
                .collect();
            if !missing.is_empty() {
                errors.add(
                    "modules",
                    format!(
                        "Every module is required; not ticked: {}.",
                        missing.join(", ")
                    ),
                );
            }
        }
        let day = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let completed_on = match day(&self.completed_on) {
            Some(d) if d <= today => Some(d),
            Some(_) => {
                errors.add("completed_on", "A completion cannot be in the future.");
                None
            }
            None => {
                errors.add(
                    "completed_on",
                    "Enter the date of completion, such as 2026-11-30.",
                );
                None
            }
        };
        let expires_on = match (self.expires_on.trim(), completed_on) {
            ("", Some(done)) => done.checked_add_months(Months::new(DEFAULT_VALID_MONTHS)),
            ("", None) => None,
            (text, done) => match (day(text), done) {
                (Some(end), Some(done)) if end <= done => {
                    errors.add("expires_on", "It must expire after its completion.");
                    None
                }
                (Some(end), _) => Some(end),
                (None, _) => {
                    errors.add(
                        "expires_on",
                        "Enter a date, or leave it empty for two years.",
                    );
                    None
                }
            },
        };
        match (track, completed_on, expires_on) {
            (Some(track), Some(completed_on), Some(expires_on)) if errors.is_empty() => {
                Ok(Completion {
                    track,
                    modules: track.modules().iter().map(|(s, _)| s.to_string()).collect(),
                    completed_on,
                    expires_on,
                })
            }
            _ => Err(errors
                .keep("track", &self.track)
                .keep("modules", self.modules.join(" "))
                .keep("completed_on", &self.completed_on)
                .keep("expires_on", &self.expires_on)),
        }
    }
}

/// Revoking a certification, confirmed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RevokeInput {
    pub certification_id: Uuid,
    pub confirm: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Track::*;

    #[test]
    fn the_level_follows_the_rule_table() {
        let cases: [(&[Track], Option<Track>); 8] = [
            (&[], None),
            (&[Foundation], Some(Foundation)),
            (&[Advanced], Some(Foundation)),
            (&[Advanced, Foundation], Some(Foundation)),
            (&[Advanced, Advanced], Some(Advanced)),
            (&[Master, Advanced], Some(Advanced)),
            (&[Master], Some(Foundation)),
            (&[Master, Master, Foundation], Some(Master)),
        ];
        for (best, level) in cases {
            assert_eq!(partner_level(best), level, "{best:?}");
        }
    }

    #[test]
    fn a_record_needs_every_module_and_sensible_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let input = |modules: &[&str], done: &str, until: &str| RecordInput {
            track: "foundation".into(),
            modules: modules.iter().map(|m| m.to_string()).collect(),
            completed_on: done.into(),
            expires_on: until.into(),
            ..RecordInput::default()
        };
        let all = ["basics", "onboarding", "troubleshooting", "sales"];
        let ok = input(&all, "2026-11-02", "").validate(today).unwrap();
        assert_eq!(ok.expires_on, NaiveDate::from_ymd_opt(2028, 11, 2).unwrap());
        let errors = input(&all[..2], "2026-12-02", "2026-01-01")
            .validate(today)
            .unwrap_err();
        assert!(errors
            .message("modules")
            .unwrap()
            .contains("Basic troubleshooting"));
        assert!(errors.message("completed_on").unwrap().contains("future"));
        let errors = input(&all, "2026-11-02", "2026-11-01")
            .validate(today)
            .unwrap_err();
        assert!(errors.message("expires_on").is_some());
        assert!(RecordInput::default()
            .validate(today)
            .unwrap_err()
            .message("track")
            .is_some());
    }

    #[test]
    fn a_certification_expires_soon_within_thirty_days() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            CertificationState::of(on(2027, 6, 1), false, today),
            CertificationState::Valid
        );
        assert_eq!(
            CertificationState::of(on(2026, 12, 31), false, today),
            CertificationState::ExpiringSoon
        );
        assert_eq!(
            CertificationState::of(on(2026, 11, 30), false, today),
            CertificationState::Expired
        );
        assert_eq!(
            CertificationState::of(on(2027, 6, 1), true, today),
            CertificationState::Revoked
        );
    }
}
