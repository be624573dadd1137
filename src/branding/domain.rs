//! Custom domains: checking what a partner typed, and proving control of the domain with a
//! TXT record looked up by a real DNS resolver.

use std::net::SocketAddr;

use hickory_resolver::proto::rr::RData;

/// Reads a domain as typed (any case, a scheme or trailing slash or dot forgiven) as the
/// lower-case host name that is stored.
pub fn parse_domain(text: &str) -> Result<String, &'static str> {
    let text = text.trim().to_ascii_lowercase();
    let text = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or(&text);
    let domain = text.trim_end_matches('/').trim_end_matches('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = labels
        .last()
        .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
    if domain.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok {
        Ok(domain.to_string())
    } else {
        Err("Enter a domain like portal.yourcompany.com.")
    }
}

/// The TXT strings published at `name`. `server` is the DNS server to ask (`None`: the
/// system's resolvers). A name with no TXT records gives an empty list.
pub async fn txt_records(name: &str, server: Option<SocketAddr>) -> Result<Vec<String>, String> {
    let resolver = crate::program::dns::resolver(server)?;
    let fqdn = format!("{}.", name.trim_end_matches('.'));
    match resolver.txt_lookup(fqdn).await {
        Ok(lookup) => Ok(lookup
            .answers()
            .iter()
            .filter_map(|record| match &record.data {
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|part| String::from_utf8_lossy(part))
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()),
        Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_read_leniently_and_checked_strictly() {
        assert_eq!(
            parse_domain(" Portal.Example.COM ").unwrap(),
            "portal.example.com"
        );
        assert_eq!(
            parse_domain("https://portal.example.com/").unwrap(),
            "portal.example.com"
        );
        assert_eq!(
            parse_domain("portal.example.com.").unwrap(),
            "portal.example.com"
        );
        for bad in [
            "",
            "localhost",
            "portal..example.com",
            "-portal.example.com",
            "portal.example.c0m",
            "portal example.com",
            "portal.example.com:8080",
            "user@portal.example.com",
            "portal.example.com/path",
        ] {
            assert!(parse_domain(bad).is_err(), "{bad:?} accepted");
        }
    }
}
