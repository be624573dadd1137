//! A partner's profile as lead assignment reads it (seed 001 section 6.1): the countries it
//! serves and the industries it knows. Admins set both, with a reason, on the partner's page.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::FieldErrors;

/// Industries a partner may know: slug and label.
pub const INDUSTRIES: [(&str, &str); 10] = [
    ("manufacturing", "Manufacturing"),
    ("retail", "Retail"),
    ("healthcare", "Healthcare"),
    ("financial_services", "Financial services"),
    ("education", "Education"),
    ("professional_services", "Professional services"),
    ("public_sector", "Public sector"),
    ("technology", "Technology"),
    ("logistics", "Logistics"),
    ("hospitality", "Hospitality"),
];

/// Most countries one partner may serve (the database holds the same limit).
pub const MAX_TERRITORIES: usize = 60;

/// ISO 3166-1 alpha-2: the officially assigned country codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM \
ZW";

/// Every officially assigned ISO 3166-1 alpha-2 code.
pub fn countries() -> impl Iterator<Item = &'static str> {
    COUNTRIES.split_whitespace()
}

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

/// The label of an industry slug (the slug itself for one no longer listed).
pub fn industry_label(slug: &str) -> &str {
    INDUSTRIES
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or(slug, |(_, label)| label)
}

/// Territories and industries, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub territories: Vec<String>,
    pub industries: Vec<String>,
}

/// The profile form: country codes typed as a list ("US, CA gb"), the industries ticked
/// (`input[industries][N]`, one box each), and the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub partner_id: Uuid,
    pub territories: String,
    pub industries: Vec<String>,
    pub reason: String,
}

impl ProfileInput {
    /// The profile (codes upper-cased, sorted, each once) and the reason, or each field's
    /// message with what was typed kept.
    pub fn validate(&self) -> Result<(Profile, String), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut territories: Vec<String> = self
            .territories
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|code| !code.is_empty())
            .map(str::to_uppercase)
            .collect();
        territories.sort();
        territories.dedup();
        let unknown: Vec<&str> = territories
            .iter()
            .map(String::as_str)
            .filter(|code| code.len() != 2 || !COUNTRIES.split(' ').any(|c| c == *code))
            .collect();
        if !unknown.is_empty() {
            errors.add(
                "territories",
                format!(
                    "Not a country code: {}. Use two-letter ISO codes, such as US, DE or GB.",
                    unknown.join(", ")
                ),
            );
        } else if territories.len() > MAX_TERRITORIES {
            errors.add(
                "territories",
                format!("Name at most {MAX_TERRITORIES} countries."),
            );
        }
        let mut industries = self.industries.clone();
        industries.sort();
        industries.dedup();
        if industries
            .iter()
            .any(|i| !INDUSTRIES.iter().any(|(slug, _)| slug == i))
        {
            errors.add("industries", "Choose industries from the list.");
        }
        let reason = super::model::reason(&self.reason, &mut errors);
        if errors.is_empty() {
            Ok((
                Profile {
                    territories,
                    industries,
                },
                reason,
            ))
        } else {
            Err(errors
                .keep("territories", self.territories.clone())
                .keep("reason", self.reason.clone()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(territories: &str, industries: &[&str], reason: &str) -> ProfileInput {
        ProfileInput {
            territories: territories.into(),
            industries: industries.iter().map(|s| s.to_string()).collect(),
            reason: reason.into(),
            ..Default::default()
        }
    }

    #[test]
    fn codes_are_normalised_and_checked_against_iso_3166() {
        let (profile, reason) = input(
            " us, ca  GB,us ",
            &["retail", "healthcare", "retail"],
            " Expansion ",
        )
        .validate()
        .unwrap();
        assert_eq!(profile.territories, ["CA", "GB", "US"]);
        assert_eq!(profile.industries, ["healthcare", "retail"]);
        assert_eq!(reason, "Expansion");
        assert_eq!(
            input("", &[], "Cleared").validate().unwrap().0,
            Profile::default()
        );

        let errors = input("US, XX, Germany", &["retail"], "Expansion")
            .validate()
            .unwrap_err();
        let message = errors.message("territories").unwrap();
        assert!(
            message.starts_with("Not a country code: GERMANY, XX."),
            "only the unknown ones are named: {message}"
        );
        assert_eq!(errors.kept("territories"), Some("US, XX, Germany"));

        let errors = input("US", &["mining"], "").validate().unwrap_err();
        assert!(errors.message("industries").is_some());
        assert!(errors.message("reason").is_some());
    }

    #[test]
    fn the_country_list_is_the_249_assigned_codes() {
        let codes: Vec<&str> = COUNTRIES.split(' ').collect();
        assert_eq!(codes.len(), 249);
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
        assert!(codes.iter().all(|c| c.len() == 2));
    }
}
