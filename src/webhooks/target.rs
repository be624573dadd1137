//! Where a webhook may be sent: a public address over https, never a private, loopback,
//! link-local or metadata address, unless the operator allowed that network.
//!
//! The URL is checked when an endpoint is saved (for a clear message next to the field) and
//! the address again when the worker connects: the HTTP client looks names up only through
//! [`GuardedResolver`], which refuses a name if any of its addresses is not allowed, and
//! connects to the addresses it checked. So a name that later points somewhere private (DNS
//! rebinding) is refused at that moment. Addresses written as numbers, in any spelling the URL
//! standard accepts (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`), are read as the address
//! they are and checked the same way. Redirects are never followed.

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use hickory_resolver::{net::runtime::TokioRuntimeProvider, Resolver};
use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    Url,
};

use crate::program::proxies::Networks;

/// What targets are allowed.
#[derive(Clone, Debug, Default)]
pub struct TargetPolicy {
    /// Only `https://` (production); `http://` too otherwise.
    pub https_only: bool,
    /// Private networks the operator lets webhooks reach (empty: none).
    pub allowed: Networks,
    /// The DNS server to ask (`None`: the system's resolvers).
    pub dns_server: Option<SocketAddr>,
}

impl TargetPolicy {
    /// The operator's policy: https only in production, public addresses and the allowed
    /// networks, names looked up with the DNS server the custom domains use.
    pub fn of(settings: &crate::config::Settings) -> TargetPolicy {
        TargetPolicy {
            https_only: settings.site.env == crate::config::RunEnv::Prod,
            allowed: settings.webhooks.allowed_networks.clone(),
            dns_server: settings.domains.dns_server,
        }
    }

    /// Whether a request may go to `ip`.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        is_public(ip) || self.allowed.contains(ip)
    }

    /// The URL as typed, if the portal may send to it; else what to tell the person.
    pub fn check_url(&self, text: &str) -> Result<Url, &'static str> {
        let url = Url::parse(text.trim())
            .map_err(|_| "Enter the full URL, such as https://example.com/webhooks.")?;
        match url.scheme() {
            "https" => {}
            "http" if !self.https_only => {}
            _ => return Err("The URL must start with https://."),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("Leave the user name and password out of the URL.");
        }
        let refused = "The portal does not send to private, loopback or link-local addresses.";
        match url.host() {
            Some(url::Host::Ipv4(ip)) if !self.allows(ip.into()) => Err(refused),
            Some(url::Host::Ipv6(ip)) if !self.allows(ip.into()) => Err(refused),
            Some(url::Host::Domain(name)) if is_local_name(name) => Err(refused),
            Some(_) => Ok(url),
            None => Err("Enter the full URL, such as https://example.com/webhooks."),
        }
    }

    /// The resolver the HTTP client must look names up with.
    pub fn resolver(&self) -> Result<GuardedResolver, String> {
        let resolver = crate::program::dns::resolver(self.dns_server)?;
        Ok(GuardedResolver {
            resolver: Arc::new(resolver),
            policy: Arc::new(self.clone()),
        })
    }
}

/// Names that are never public, whatever a resolver says.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.ends_with(".internal")
}

/// An IPv6 address that carries an IPv4 one (mapped `::ffff:a.b.c.d`) as that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Whether `ip` is a public (globally routed) unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254.0.0/16, the cloud metadata address among them
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT, 100.64.0.0/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let embeds_v4 = |v4: Ipv4Addr| is_public_v4(v4);
    if let Some(v4) = ip.to_ipv4() {
        // IPv4-compatible (::a.b.c.d, deprecated) reaches the IPv4 address.
        if ip.segments()[..6].iter().all(|s| *s == 0) {
            return embeds_v4(v4);
        }
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local, fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local, fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated), fec0::/10
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || first == 0x0064 // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48
        || first == 0x2002 // 6to4: the IPv4 address inside decides, refused outright
        || first == 0x0100) // discard-only
}

/// A resolver that refuses a name when any of its addresses is not allowed.
#[derive(Clone)]
pub struct GuardedResolver {
    resolver: Arc<Resolver<TokioRuntimeProvider>>,
    policy: Arc<TargetPolicy>,
}

/// A name refused because it resolves somewhere the portal does not send.
#[derive(Debug, thiserror::Error)]
#[error("{name} resolves to {ip}, a private, loopback or link-local address")]
pub struct Refused {
    name: String,
    ip: IpAddr,
}

impl GuardedResolver {
    /// The addresses of `name`, if every one is allowed.
    pub async fn lookup(
        &self,
        name: &str,
    ) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
        if is_local_name(name) {
            return Err(Box::new(Refused {
                name: name.to_string(),
                ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
            }));
        }
        let found = self.resolver.lookup_ip(name).await?;
        let ips: Vec<IpAddr> = found.iter().collect();
        if let Some(ip) = ips.iter().find(|ip| !self.policy.allows(**ip)) {
            return Err(Box::new(Refused {
                name: name.to_string(),
                ip: *ip,
            }));
        }
        if ips.is_empty() {
            return Err(format!("{name} has no address").into());
        }
        Ok(ips)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        Box::pin(async move {
            let ips = this.lookup(name.as_str()).await?;
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn production() -> TargetPolicy {
        TargetPolicy {
            https_only: true,
            ..Default::default()
        }
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_refused_in_every_spelling() {
        let policy = production();
        for url in [
            "https://127.0.0.1/hook",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://2130706433/",   // 127.0.0.1 as one decimal number
            "https://0x7f.1/",       // and in hex, short form
            "https://017700000001/", // and in octal
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:a9fe:a9fe]/", // 169.254.169.254, IPv6-mapped
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://localhost/",
            "https://api.localhost/",
            "https://metadata.google.internal/",
        ] {
            assert!(policy.check_url(url).is_err(), "{url} was allowed");
        }
        for url in [
            "https://example.com/webhooks",
            "https://93.184.215.14/",
            "https://[2606:4700::6810:84e5]/",
        ] {
            assert!(policy.check_url(url).is_ok(), "{url} was refused");
        }
    }

    #[test]
    fn urls_must_be_https_in_production_and_carry_no_credentials() {
        assert!(production().check_url("http://example.com/").is_err());
        assert!(TargetPolicy::default()
            .check_url("http://example.com/")
            .is_ok());
        assert!(production().check_url("ftp://example.com/").is_err());
        assert!(production()
            .check_url("https://user:pw@example.com/")
            .is_err());
        assert!(production().check_url("example.com/hook").is_err());
        assert!(production().check_url("").is_err());
    }

    #[test]
    fn an_allowed_network_may_be_reached_and_nothing_beside_it() {
        let policy = TargetPolicy {
            allowed: Networks::parse("127.0.0.1/32").unwrap(),
            ..production()
        };
        assert!(policy.check_url("https://127.0.0.1:9000/hook").is_ok());
        assert!(policy
            .check_url("https://[::ffff:127.0.0.1]:9000/hook")
            .is_ok());
        assert!(policy.check_url("https://127.0.0.2/").is_err());
        assert!(policy.check_url("https://169.254.169.254/").is_err());
    }
}
