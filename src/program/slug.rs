//! Slugs: the lowercase, hyphenated names in URLs and demo addresses (`/b/northwind/login`).
//! One rule for partners, clients and the demo.

/// Longest slug made from a name, in characters.
pub const MAX_CHARS: usize = 50;

/// `Acme Cloud, Ltd.` -> `acme-cloud-ltd`, `Margie's Travel` -> `margies-travel`: ASCII
/// letters and digits kept in lowercase, apostrophes dropped, every other run of characters
/// one hyphen, at most 50 characters. `None` when nothing of the name is left.
pub fn from_name(name: &str) -> Option<String> {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if slug.len() == MAX_CHARS {
            break;
        }
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !matches!(c, '\'' | '\u{2019}') && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    (!slug.is_empty()).then(|| slug.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_become_lowercase_words_joined_by_hyphens() {
        let cases = [
            ("Fabrikam", "fabrikam"),
            ("City Power & Light", "city-power-light"),
            ("Margie's Travel", "margies-travel"),
            ("A. Datum", "a-datum"),
            ("Acme Cloud, Ltd.", "acme-cloud-ltd"),
            ("  Ünïcode  GmbH ", "n-code-gmbh"),
        ];
        for (name, slug) in cases {
            assert_eq!(from_name(name).as_deref(), Some(slug), "{name}");
        }
        assert_eq!(from_name("!!!"), None);
        assert_eq!(from_name(""), None);
    }

    proptest! {
        #[test]
        fn slugs_fit_the_url_rule(name in "\\PC{0,120}") {
            if let Some(slug) = from_name(&name) {
                prop_assert!(slug.len() <= MAX_CHARS);
                prop_assert!(slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
                prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
                prop_assert!(!slug.contains("--"));
            }
        }
    }
}
