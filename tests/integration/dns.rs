//! A real DNS server for tests: dnsmasq on a free local port, answering only the records a
//! test gives it.

use std::{
    net::{SocketAddr, UdpSocket},
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
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
        let dns = Dns {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        dns.wait_until_listening();
        dns
    }

    /// dnsmasq starts in the background, and a query sent before it listens is lost: the
    /// resolver would then wait out its whole timeout. Ask until it answers.
    fn wait_until_listening(&self) {
        // A query for `ready.invalid`, type A: a 12-byte header (id, recursion desired,
        // one question) and the question. Any answer, even "refused", means it listens.
        const QUERY: &[u8] = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\
            \x05ready\x07invalid\x00\x00\x01\x00\x01";
        let probe = UdpSocket::bind("127.0.0.1:0").unwrap();
        probe.connect(self.addr).unwrap();
        probe
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut answer = [0u8; 512];
        while Instant::now() < deadline {
            if probe.send(QUERY).is_ok() && probe.recv(&mut answer).is_ok() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        panic!("dnsmasq did not answer on {}", self.addr);
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
