//! Address safety: which URLs and IP addresses the watcher may connect to.
//!
//! Only `http` and `https` URLs are fetched. Unless private addresses are allowed
//! ([`crate::FetchOptions::allow_private`]), no connection is made to loopback, private
//! (RFC 1918, unique-local), carrier-grade NAT, link-local (which holds the cloud metadata
//! address 169.254.169.254), multicast, broadcast, documentation or otherwise reserved
//! addresses. Host names are resolved by [`SafeResolver`], which drops forbidden addresses
//! *before* the client connects, so the address checked is the address used (no DNS
//! rebinding); literal IPs in URLs are checked by [`check_url`]. Both run on every redirect
//! hop, because the watcher follows redirects itself.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::error::FetchError;

/// Whether connecting to `ip` is forbidden when private addresses are not allowed.
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments 192.0.0/24
        || (a == 198 && (b == 18 || b == 19)) // benchmarking 198.18/15
        || a >= 240 // reserved 240/4
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_forbidden_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) embeds an IPv4 address: judge that one.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let v4 = Ipv4Addr::new(
            (s[6] >> 8) as u8,
            (s[6] & 0xff) as u8,
            (s[7] >> 8) as u8,
            (s[7] & 0xff) as u8,
        );
        return is_forbidden_v4(v4);
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7 (also AWS fd00:ec2::254)
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // old site-local fec0::/10
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[0..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible (deprecated) and ::/96
}

/// Checks a URL before a request (and before each redirect hop): http(s) only, a host, and,
/// when the host is a literal IP, that it is allowed.
pub fn check_url(url: &Url, allow_private: bool, allowed: &[IpAddr]) -> Result<(), FetchError> {
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(FetchError::Refused(format!(
                "scheme {other:?} (only http and https)"
            )));
        }
    }
    let host = url
        .host()
        .ok_or_else(|| FetchError::Refused(format!("no host in {url}")))?;
    if allow_private {
        return Ok(());
    }
    let ip = match host {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    };
    if let Some(ip) = ip
        && is_forbidden_ip(ip)
        && !allowed.contains(&ip)
    {
        return Err(FetchError::Refused(format!("private address {ip}")));
    }
    Ok(())
}

/// A DNS resolver that drops forbidden addresses (see [`is_forbidden_ip`]) unless private
/// addresses are allowed. A name with no allowed address fails to resolve with a
/// "refused" message.
#[derive(Debug, Clone)]
pub struct SafeResolver {
    /// Keep private addresses too.
    pub allow_private: bool,
    /// Addresses kept even when private ones are not.
    pub allowed_ips: Vec<IpAddr>,
}

/// The marker put in resolver errors, so a refusal is told apart from a DNS failure.
pub const REFUSED_MARK: &str = "outpost-refused";

impl Resolve for SafeResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let allowed = self.allowed_ips.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| allow_private || !is_forbidden_ip(a.ip()) || allowed.contains(&a.ip()))
                .collect();
            if kept.is_empty() {
                let msg = if found.is_empty() {
                    format!("{host} has no address")
                } else {
                    format!("{REFUSED_MARK}: {host} resolves only to private addresses")
                };
                return Err(msg.into());
            }
            let addrs: Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn private_and_special_addresses_are_forbidden() {
        for s in [
            "127.0.0.1",
            "127.8.9.10",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_forbidden_ip(ip(s)), "{s} should be forbidden");
        }
        for s in [
            "8.8.8.8",
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.4.4",
        ] {
            assert!(!is_forbidden_ip(ip(s)), "{s} should be allowed");
        }
    }

    #[test]
    fn urls_are_checked_by_scheme_and_literal_address() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(check_url(&u("https://news.example/a"), false, &[]).is_ok());
        assert!(check_url(&u("http://93.184.216.34/"), false, &[]).is_ok());
        assert!(matches!(
            check_url(&u("ftp://news.example/a"), true, &[]),
            Err(FetchError::Refused(_))
        ));
        assert!(matches!(
            check_url(&u("file:///etc/passwd"), true, &[]),
            Err(FetchError::Refused(_))
        ));
        for s in [
            "http://127.0.0.1:8080/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/",
            "http://[::ffff:192.168.0.1]/",
        ] {
            assert!(
                matches!(check_url(&u(s), false, &[]), Err(FetchError::Refused(_))),
                "{s}"
            );
            assert!(check_url(&u(s), true, &[]).is_ok(), "{s}");
        }
        // One intranet address can be allowed alone.
        let intranet = [ip("10.0.0.5")];
        assert!(check_url(&u("http://10.0.0.5/news"), false, &intranet).is_ok());
        assert!(check_url(&u("http://10.0.0.6/news"), false, &intranet).is_err());
    }

    #[tokio::test]
    async fn the_resolver_drops_loopback_names() {
        let r = SafeResolver {
            allow_private: false,
            allowed_ips: Vec::new(),
        };
        let name: Name = "localhost".parse().unwrap();
        let err = match r.resolve(name).await {
            Ok(_) => panic!("localhost resolved"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains(REFUSED_MARK), "{err}");
        let open = SafeResolver {
            allow_private: true,
            allowed_ips: Vec::new(),
        };
        let addrs: Vec<SocketAddr> = open
            .resolve("localhost".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
