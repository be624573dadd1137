//! Contact details as validated types: a value of `Email`, `Phone` or `HttpsUrl` has passed
//! its check, so code that holds one need not check again. Each is built by `parse`, whose
//! error is the message shown next to the field.

use serde::{Deserialize, Serialize};

/// Longest e-mail address accepted, in characters (RFC 5321's path limit).
pub const EMAIL_MAX_CHARS: usize = 254;

macro_rules! validated_text {
    ($(#[$doc:meta])* $name:ident, $check:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub struct $name(String);

        impl $name {
            /// Checks `text` (already trimmed by the caller) and keeps it.
            pub fn parse(text: &str) -> Result<Self, &'static str> {
                $check(text).map(|()| Self(text.to_string()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

validated_text!(
    /// An e-mail address that passed a practical check (see `check_email`).
    Email,
    check_email
);
validated_text!(
    /// A phone number: digits with the usual separators, 6 to 20 digits.
    Phone,
    check_phone
);
validated_text!(
    /// An https URL with a host; never `http:`, `javascript:` or `data:`.
    HttpsUrl,
    check_https_url
);

/// A practical e-mail check: one `@`, a non-empty local part, a domain with a dot, no spaces
/// or control characters, within length limits.
fn check_email(email: &str) -> Result<(), &'static str> {
    if email.is_empty() {
        return Err("Enter an e-mail address.");
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err("That e-mail address is too long.");
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err("Enter an e-mail address like name@company.com.");
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '<' | '>' | '(' | ')' | ',' | ';' | ':' | '"' | '[' | ']' | '\\'
                )
        });
    if local_ok && domain_ok {
        Ok(())
    } else {
        Err("Enter an e-mail address like name@company.com.")
    }
}

/// Phone numbers: digits with the usual separators, 6 to 20 digits.
fn check_phone(phone: &str) -> Result<(), &'static str> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if allowed && (6..=20).contains(&digits) {
        Ok(())
    } else {
        Err("Enter a phone number with 6 to 20 digits, e.g. +1 555 010 0199.")
    }
}

/// Websites must be https URLs with a host.
fn check_https_url(url: &str) -> Result<(), &'static str> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("Enter a web address starting with https://.");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && !host.contains('@')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:".contains(c));
    let no_spaces = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if host_ok && no_spaces {
        Ok(())
    } else {
        Err("Enter a web address like https://www.example.com.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn good_addresses_are_kept_as_typed() {
        for good in [
            "dana@northwind.example",
            "a.b+tag@sub.example.co.uk",
            "x@y.io",
        ] {
            assert_eq!(Email::parse(good).unwrap().as_str(), good);
        }
    }

    #[test]
    fn bad_addresses_are_refused_with_a_message() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@b",
            "a@.example.com",
            "a@example..com",
            "a b@example.com",
            "a@exa mple.com",
            "<a>@example.com",
            "a@example.com.",
        ] {
            let message = Email::parse(bad).unwrap_err();
            assert!(message.starts_with("Enter"), "{bad}: {message}");
        }
        let long = format!("{}@example.com", "a".repeat(300));
        assert_eq!(
            Email::parse(&long).unwrap_err(),
            "That e-mail address is too long."
        );
    }

    #[test]
    fn phones_need_six_to_twenty_digits_and_usual_separators() {
        assert!(Phone::parse("+1 (555) 010-0199").is_ok());
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse(&"1".repeat(21)).is_err());
        assert!(Phone::parse("555 0100 ext 9").is_err());
    }

    #[test]
    fn urls_must_be_https_with_a_host() {
        assert!(HttpsUrl::parse("https://www.example.com/terms?x=1").is_ok());
        for bad in [
            "http://example.com",
            "javascript:alert(1)",
            "data:text/html,hi",
            "//example.com",
            "https://localhost",
            "https://user@example.com",
            "https://exa mple.com",
        ] {
            assert!(HttpsUrl::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Whatever is typed, an accepted address has exactly one `@`, no white space, and
        /// fits the length limit.
        #[test]
        fn accepted_addresses_are_well_formed(text in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&text) {
                prop_assert_eq!(email.as_str().matches('@').count(), 1);
                prop_assert!(!email.as_str().chars().any(char::is_whitespace));
                prop_assert!(email.as_str().chars().count() <= EMAIL_MAX_CHARS);
            }
        }

        #[test]
        fn accepted_urls_are_https(text in "(https?://)?\\PC{0,40}") {
            if let Ok(url) = HttpsUrl::parse(&text) {
                prop_assert!(url.as_str().starts_with("https://"));
            }
        }
    }
}
