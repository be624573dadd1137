//! Which address a request came from. Behind a load balancer the TCP peer is the balancer,
//! and the client's address is in `X-Forwarded-For`, which anyone can also write. So the
//! header is believed only when the peer is one of the configured trusted proxies, and then
//! only its rightmost untrusted hop: each trusted proxy appends the address it saw, so the
//! entries to the left of the first untrusted one (reading from the right) are the
//! client's own claims.

use std::net::IpAddr;

use ipnet::IpNet;

/// Addresses and CIDR ranges, such as the trusted proxies or the private networks webhooks
/// may reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Networks(Vec<IpNet>);

impl Networks {
    /// Parses a comma-separated list such as `10.0.0.0/8, 192.168.1.7`; empty holds none.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{item:?} is not an address or a CIDR range"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&addr))
    }
}

impl std::str::FromStr for Networks {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// The proxies whose `X-Forwarded-For` is believed, as addresses or CIDR ranges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Networks);

impl TrustedProxies {
    /// Parses a comma-separated list such as `10.0.0.0/8, 192.168.1.7`; empty trusts none.
    pub fn parse(text: &str) -> Result<Self, String> {
        Networks::parse(text).map(Self)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        self.0.contains(addr)
    }

    /// The client's address: the peer itself unless the peer is trusted; then, reading the
    /// `X-Forwarded-For` values (in header order) from the right, the first hop that is not
    /// a trusted proxy. A malformed entry stops the walk at the last trusted hop.
    pub fn client_of<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl IntoIterator<Item = &'a str>,
    ) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for
            .into_iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Ok(addr) = hop.parse::<IpAddr>() else {
                break;
            };
            client = addr;
            if !self.trusts(addr) {
                break;
            }
        }
        client
    }
}

impl std::str::FromStr for TrustedProxies {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_of(ip("10.0.0.9"), ["203.0.113.5"]),
            ip("10.0.0.9")
        );
    }

    #[test]
    fn a_peer_that_is_not_trusted_is_the_client_whatever_it_claims() {
        let lb = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(
            lb.client_of(ip("198.51.100.4"), ["203.0.113.5"]),
            ip("198.51.100.4")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let lb = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7").unwrap();
        // The client wrote "1.2.3.4" itself; the balancer appended what it saw.
        assert_eq!(
            lb.client_of(ip("10.0.0.2"), ["1.2.3.4, 203.0.113.5"]),
            ip("203.0.113.5")
        );
        // Two trusted hops, and the header split over two lines.
        assert_eq!(
            lb.client_of(ip("10.0.0.2"), ["1.2.3.4, 203.0.113.5", "192.168.1.7"]),
            ip("203.0.113.5")
        );
        // No header: the proxy itself is all we know.
        assert_eq!(lb.client_of(ip("10.0.0.2"), []), ip("10.0.0.2"));
        // Garbage stops the walk at the last good hop.
        assert_eq!(
            lb.client_of(ip("10.0.0.2"), ["203.0.113.5, not-an-ip, 10.1.1.1"]),
            ip("10.1.1.1")
        );
    }

    #[test]
    fn bad_entries_are_named() {
        assert_eq!(
            TrustedProxies::parse(" ").unwrap(),
            TrustedProxies::default()
        );
        let error = TrustedProxies::parse("10.0.0.0/8, nonsense").unwrap_err();
        assert!(error.contains("nonsense"), "{error}");
        assert!(TrustedProxies::parse("::1, fd00::/8").is_ok());
    }

    proptest! {
        /// Whatever a client writes into the header, without a trusted peer it cannot change
        /// the address it is counted under.
        #[test]
        fn an_untrusted_peer_cannot_choose_its_address(header in ".{0,80}", last in 1u8..255) {
            let lb = TrustedProxies::parse("10.0.0.0/8").unwrap();
            let peer = IpAddr::from([198, 51, 100, last]);
            prop_assert_eq!(lb.client_of(peer, [header.as_str()]), peer);
        }
    }
}
