//! Refusing webhook URLs that point into our own network (SSRF): loopback, private,
//! link-local, carrier-grade NAT, unspecified, multicast and documentation ranges, in IPv4
//! and IPv6, whether given literally or reached through DNS. IPv6 forms that carry an IPv4
//! address (IPv4-mapped and -compatible, NAT64, 6to4, Teredo) are judged by that address, so
//! `[::127.0.0.1]` or `[64:ff9b::7f00:1]` cannot reach loopback.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is somewhere a webhook must not be sent.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6) || embedded_v4(v6).into_iter().flatten().any(internal_v4),
    }
}

/// The IPv4 addresses an IPv6 address carries, by the transition scheme of its prefix:
/// IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d` (deprecated, still routed by
/// some stacks), NAT64 `64:ff9b::/96` (RFC 6052), 6to4 `2002::/16` (RFC 3056) and Teredo
/// `2001::/32` (RFC 4380: the server, and the client with its bits inverted).
fn embedded_v4(ip: Ipv6Addr) -> [Option<Ipv4Addr>; 2] {
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Some(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo] => [v4(hi, lo), None],
        [0, 0, 0, 0, 0, 0, hi, lo] if (hi, lo) > (0, 1) => [v4(hi, lo), None],
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => [v4(hi, lo), None],
        [0x2002, hi, lo, ..] => [v4(hi, lo), None],
        [0x2001, 0, server_hi, server_lo, _, _, hi, lo] => [v4(server_hi, server_lo), v4(!hi, !lo)],
        _ => [None, None],
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8
        // NAT64 for local use (RFC 8215): the IPv4 inside may sit anywhere.
        || first == 0x64 && ip.segments()[1] == 0xff9b && ip.segments()[2] == 1
}

/// Why a webhook URL is refused; its `Display` completes "the URL …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefused {
    /// Not a URL at all.
    #[error("is not a valid URL: {0}")]
    Invalid(String),
    /// A scheme other than `http`/`https`.
    #[error("must be an http or https URL")]
    Scheme,
    /// User name or password in the URL.
    #[error("must not carry credentials; use the signing secret")]
    Credentials,
    /// No host.
    #[error("must name a host")]
    NoHost,
    /// The host does not resolve.
    #[error("host {0:?} cannot be resolved")]
    Unresolved(String),
    /// The host is or resolves to an internal address.
    #[error(
        "points at {0}, a loopback, private or link-local address; set STAFFMATCH_WEBHOOK_ALLOW_PRIVATE=true to allow it"
    )]
    Internal(IpAddr),
}

/// Checks a subscription URL: `http`/`https`, a host, and (unless `allow_private`) every
/// address it resolves to outside internal ranges.
pub async fn check(raw: &str, allow_private: bool) -> Result<(), UrlRefused> {
    let url = reqwest::Url::parse(raw).map_err(|e| UrlRefused::Invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlRefused::Scheme);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlRefused::Credentials);
    }
    let Some(host) = url.host_str() else {
        return Err(UrlRefused::NoHost);
    };
    if allow_private {
        return Ok(());
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .map_err(|_| UrlRefused::Unresolved(host.to_string()))?
            .map(|a| a.ip())
            .collect(),
    };
    if addrs.is_empty() {
        return Err(UrlRefused::Unresolved(host.to_string()));
    }
    if let Some(ip) = addrs.into_iter().find(|ip| is_internal(*ip)) {
        return Err(UrlRefused::Internal(ip));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_ranges_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            // IPv6 forms that embed an internal IPv4 (issue 22, finding 9).
            "::127.0.0.1",
            "::7f00:1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::7f00:1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "2001:0:7f00:1::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "1.1.1.1",
            "193.10.0.1",
            "2a00:1450:4001::1",
            "64:ff9b::101:101",
            "2002:101:101::1",
            "::ffff:1.1.1.1",
            "2001:0:4136:e378:8000:63bf:fefe:fefe",
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[actix_web::test]
    async fn urls_are_checked() {
        assert!(check("https://1.1.1.1/hook", false).await.is_ok());
        assert!(
            check("http://127.0.0.1:9000/hook", false)
                .await
                .unwrap_err()
                .to_string()
                .contains("STAFFMATCH_WEBHOOK_ALLOW_PRIVATE")
        );
        assert!(check("http://[::1]/hook", false).await.is_err());
        for url in
            ["http://[::127.0.0.1]/", "http://[::7f00:1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/"]
        {
            assert!(check(url, false).await.is_err(), "{url}");
        }
        assert!(check("http://localhost/hook", false).await.is_err());
        assert!(check("http://127.0.0.1:9000/hook", true).await.is_ok());
        assert!(check("ftp://example.com/x", true).await.is_err());
        assert!(check("https://user:pw@example.com/x", true).await.is_err());
    }
}
