//! The DNS resolver the server asks: the configured server (`ip:port`, for a private resolver
//! or the tests' dnsmasq) or, without one, the system's resolvers.

use std::net::SocketAddr;

use hickory_resolver::{
    config::{NameServerConfig, ResolverConfig},
    net::runtime::TokioRuntimeProvider,
    Resolver,
};

/// A resolver asking `server`, or the system's resolvers when `None`.
pub fn resolver(server: Option<SocketAddr>) -> Result<Resolver<TokioRuntimeProvider>, String> {
    match server {
        Some(addr) => {
            let mut name_server = NameServerConfig::udp_and_tcp(addr.ip());
            for connection in &mut name_server.connections {
                connection.port = addr.port();
            }
            Resolver::builder_with_config(
                ResolverConfig::from_name_servers(vec![name_server]),
                TokioRuntimeProvider::default(),
            )
            .build()
        }
        None => Resolver::builder_tokio().and_then(|b| b.build()),
    }
    .map_err(|e| format!("the resolver could not start: {e}"))
}
