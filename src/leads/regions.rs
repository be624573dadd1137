//! The regions lead assignment widens to when no partner serving a lead's country qualifies:
//! every ISO 3166-1 country belongs to exactly one (a test holds that).

/// Region name and its countries.
pub const REGIONS: [(&str, &str); 8] = [
    ("North America", "US CA PM BM GL"),
    (
        "Latin America and the Caribbean",
        "MX GT BZ SV HN NI CR PA CU DO HT JM BS BB TT AG DM GD KN LC VC AI AW BQ CW SX MF BL GP \
         MQ KY TC VG VI PR MS CO VE EC PE BO BR PY UY AR CL GY SR GF FK",
    ),
    (
        "Europe",
        "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE \
         LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA",
    ),
    (
        "Middle East and North Africa",
        "AE BH DZ EG EH IL IQ IR JO KW LB LY MA OM PS QA SA SD SY TN TR YE",
    ),
    (
        "Sub-Saharan Africa",
        "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW \
         MZ NA NE NG RE RW SC SH SL SN SO SS ST SZ TD TG TZ UG YT ZA ZM ZW",
    ),
    (
        "Asia",
        "AF AM AZ BD BN BT CN GE HK ID IN JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH \
         TJ TL TM TW UZ VN",
    ),
    (
        "Oceania",
        "AS AU CK CX CC FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS",
    ),
    ("Remote territories", "AQ BV GS HM IO TF UM"),
];

/// The region of a country code, if it is one.
pub fn region_of(country: &str) -> Option<&'static str> {
    REGIONS
        .iter()
        .find(|(_, codes)| codes.split_whitespace().any(|c| c == country))
        .map(|(name, _)| *name)
}

/// The countries of `country`'s region (the country alone when it has none).
pub fn neighbours(country: &str) -> Vec<String> {
    REGIONS
        .iter()
        .find(|(_, codes)| codes.split_whitespace().any(|c| c == country))
        .map(|(_, codes)| codes.split_whitespace().map(str::to_string).collect())
        .unwrap_or_else(|| vec![country.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::governance::profile::{countries, is_country};

    #[test]
    fn every_country_is_in_exactly_one_region() {
        for code in countries() {
            let homes = REGIONS
                .iter()
                .filter(|(_, codes)| codes.split_whitespace().any(|c| c == code))
                .count();
            assert_eq!(homes, 1, "{code} is in {homes} regions");
        }
        for (name, codes) in REGIONS {
            for code in codes.split_whitespace() {
                assert!(is_country(code), "{code} of {name} is no country");
            }
        }
    }

    #[test]
    fn a_region_holds_its_neighbours() {
        assert_eq!(region_of("DE"), Some("Europe"));
        assert!(neighbours("DE").contains(&"FR".to_string()));
        assert!(!neighbours("DE").contains(&"US".to_string()));
        assert_eq!(region_of("ZZ"), None);
        assert_eq!(neighbours("ZZ"), vec!["ZZ".to_string()]);
    }
}
