//! A prospect's web domain as the conflict check compares it: `https://www.Acme.com/about`,
//! `acme.com.` and `sales@acme.com` are all `acme.com`.

use serde::{Deserialize, Serialize};

/// Domains of free e-mail providers: anyone's address, never a company's.
const FREE_MAIL: [&str; 16] = [
    "aol.com",
    "gmail.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mail.com",
    "me.com",
    "msn.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "yahoo.com",
    "yandex.ru",
];

/// A company's domain: lower case, without scheme, path, port, trailing dot or `www.`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Domain(String);

impl Domain {
    /// Normalises what a person typed (a domain, a web address or an e-mail address) and
    /// checks it; the error is the message shown next to the field.
    pub fn parse(text: &str) -> Result<Domain, &'static str> {
        let mut text = text.trim().to_ascii_lowercase();
        if let Some((_, host)) = text.rsplit_once('@') {
            text = host.to_string();
        }
        let text = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .unwrap_or(&text);
        let host = text
            .split(['/', '?', '#', ':'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('.');
        let host = host.strip_prefix("www.").unwrap_or(host);
        if host.is_empty() {
            return Err("Enter the company's web domain, such as acme.com.");
        }
        if host.len() > 253 || !host.is_ascii() {
            return Err("Enter the domain as it is registered, such as acme.com (IDN as xn--).");
        }
        let labels: Vec<&str> = host.split('.').collect();
        let good_label = |label: &&str| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        let top = labels.last().copied().unwrap_or_default();
        let top_ok = top.len() >= 2
            && (top.bytes().all(|b| b.is_ascii_lowercase()) || top.starts_with("xn--"));
        if labels.len() < 2 || !labels.iter().all(good_label) || !top_ok {
            return Err("Enter the company's web domain, such as acme.com.");
        }
        if FREE_MAIL.contains(&host) {
            return Err("That is a free e-mail provider: enter the company's own domain.");
        }
        Ok(Domain(host.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Domain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn addresses_and_web_links_come_down_to_the_domain() {
        for typed in [
            "acme.com",
            " ACME.com ",
            "https://www.acme.com/about?x=1",
            "http://acme.com:8080",
            "www.acme.com.",
            "sales@Acme.COM",
            "acme.com#top",
        ] {
            assert_eq!(
                Domain::parse(typed).unwrap().as_str(),
                "acme.com",
                "{typed}"
            );
        }
        assert_eq!(
            Domain::parse("eu.shop.acme.co.uk").unwrap().as_str(),
            "eu.shop.acme.co.uk"
        );
        assert_eq!(
            Domain::parse("xn--mller-kva.de").unwrap().as_str(),
            "xn--mller-kva.de"
        );
    }

    #[test]
    fn what_is_not_a_company_domain_is_refused_with_a_reason() {
        for typed in [
            "",
            "acme",
            "-acme.com",
            "acme-.com",
            "ac me.com",
            "192.168.1.10",
            "acme.c",
            "a..com",
            "https://",
            "müller.de",
        ] {
            assert!(Domain::parse(typed).is_err(), "{typed:?}");
        }
        assert!(Domain::parse("bob@gmail.com")
            .unwrap_err()
            .contains("free e-mail"));
        assert!(Domain::parse(&format!("{}.com", "a".repeat(64))).is_err());
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent_and_ignores_case_and_decoration(
            name in "[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?",
            top in "[a-z]{2,6}",
            www in any::<bool>(),
            scheme in prop::sample::select(vec!["", "http://", "https://"]),
            upper in any::<bool>(),
        ) {
            let domain = format!("{name}.{top}");
            prop_assume!(!FREE_MAIL.contains(&domain.as_str()));
            let mut typed = format!("{scheme}{}{domain}/path", if www { "www." } else { "" });
            if upper {
                typed = typed.to_uppercase();
            }
            let parsed = Domain::parse(&typed).unwrap();
            prop_assert_eq!(parsed.as_str(), domain.as_str());
            prop_assert_eq!(Domain::parse(parsed.as_str()).unwrap(), parsed);
        }
    }
}
