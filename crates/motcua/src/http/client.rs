//! Who the client is: the socket's peer address, or, when the peer is a trusted reverse proxy, the address that proxy
//! puts in `X-Forwarded-For`. Rate limits and sign-in lockouts are counted per client address.

use axum::http::request::Parts;
use std::net::{IpAddr, SocketAddr};

/// One trusted network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn parse(s: &str) -> Option<Net> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Net { addr, prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The `trusted_proxies` setting, parsed.
#[derive(Debug, Clone, Default)]
pub struct Proxies(Vec<Net>);

impl Proxies {
    /// Parses addresses and CIDR networks; a malformed entry stops the start with a message.
    pub fn parse(list: &[String]) -> anyhow::Result<Proxies> {
        list.iter()
            .map(|s| {
                Net::parse(s).ok_or_else(|| {
                    anyhow::anyhow!(
                        "trusted_proxies: '{s}' không phải địa chỉ hay mạng CIDR / is not an address or CIDR network"
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map(Proxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client of a request whose peer is `peer`: the peer itself unless it is a trusted proxy, in which case the
    /// right-most address of `X-Forwarded-For` that is not itself a trusted proxy.
    pub fn client(&self, peer: Option<IpAddr>, forwarded: &[&str]) -> Option<IpAddr> {
        let peer = canonical(peer?);
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops: Vec<IpAddr> = forwarded
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|h| h.trim().parse::<IpAddr>().ok())
            .map(canonical)
            .collect();
        hops.iter()
            .rev()
            .find(|ip| !self.trusts(**ip))
            .or_else(|| hops.first())
            .copied()
            .or(Some(peer))
    }
}

/// The client address of a request (absent for in-process calls without a socket).
pub fn of(parts: &Parts, proxies: &Proxies) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    proxies.client(peer, &forwarded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn forwarded_only_from_trusted_proxies() {
        let p = Proxies::parse(&["127.0.0.1".into(), "10.0.0.0/8".into()]).unwrap();
        // An untrusted peer's header is ignored.
        assert_eq!(p.client(ip("203.0.113.5"), &["1.2.3.4"]), ip("203.0.113.5"));
        // A trusted proxy's header names the client; a forged left part is skipped.
        assert_eq!(
            p.client(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7"]),
            ip("198.51.100.7")
        );
        assert_eq!(
            p.client(ip("127.0.0.1"), &["198.51.100.7, 10.1.2.3"]),
            ip("198.51.100.7")
        );
        assert_eq!(
            p.client(ip("::ffff:10.0.0.9"), &["198.51.100.8"]),
            ip("198.51.100.8")
        );
        // No header: the proxy itself.
        assert_eq!(p.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        assert_eq!(
            Proxies::default().client(ip("127.0.0.1"), &["1.2.3.4"]),
            ip("127.0.0.1")
        );
        assert_eq!(p.client(None, &["1.2.3.4"]), None);
        assert!(Proxies::parse(&["10.0.0.0/33".into()]).is_err());
        assert!(Proxies::parse(&["proxy.local".into()]).is_err());
        let v6 = Proxies::parse(&["fd00::/8".into()]).unwrap();
        assert_eq!(
            v6.client(ip("fd12::1"), &["2001:db8::5"]),
            ip("2001:db8::5")
        );
    }
}
