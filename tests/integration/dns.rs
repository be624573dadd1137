//! A real DNS server for tests: dnsmasq on a free local port, answering only the records a
//! test gives it.

use std::{
    net::{SocketAddr, UdpSocket},
    process::{Child, Command, Stdio},
};

pub struct Dns {
    child: Child,
    pub addr: SocketAddr,
}

impl Dns {
    /// Answers one TXT record.
    pub fn start(name: &str, value: &str) -> Dns {
        Self::answering(&[format!("--txt-record={name},{value}")])
    }

    /// Answers `name` with the address `ip` (A or AAAA by its kind).
    pub fn address(name: &str, ip: &str) -> Dns {
        Self::answering(&[format!("--address=/{name}/{ip}")])
    }

    fn answering(records: &[String]) -> Dns {
        let port = UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("dnsmasq")
            .args([
                "--keep-in-foreground",
                "--no-resolv",
                "--no-hosts",
                "--no-daemon",
                "--bind-interfaces",
                "--listen-address=127.0.0.1",
                &format!("--port={port}"),
                "--user=root",
                "--pid-file",
            ])
            .args(records)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dnsmasq is installed (scripts/setup --tests)");
        Dns {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        }
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
