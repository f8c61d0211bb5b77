//! Refusing webhook URLs that point into our own network (SSRF): loopback, private,
//! link-local, carrier-grade NAT, unspecified, multicast and documentation ranges, in IPv4
//! and IPv6, whether given literally or reached through DNS.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is somewhere a webhook must not be sent.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(v4),
            None => internal_v6(v6),
        },
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
}

/// Checks a subscription URL: `http`/`https`, a host, and (unless `allow_private`) every
/// address it resolves to outside internal ranges. The message says what is wrong.
pub async fn check(raw: &str, allow_private: bool) -> Result<(), String> {
    let url = reqwest::Url::parse(raw).map_err(|e| format!("is not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials; use the signing secret".into());
    }
    let Some(host) = url.host_str() else {
        return Err("must name a host".into());
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
            .map_err(|_| format!("host {host:?} cannot be resolved"))?
            .map(|a| a.ip())
            .collect(),
    };
    if addrs.is_empty() {
        return Err(format!("host {host:?} cannot be resolved"));
    }
    if let Some(ip) = addrs.into_iter().find(|ip| is_internal(*ip)) {
        return Err(format!(
            "points at {ip}, a loopback, private or link-local address; set STAFFMATCH_WEBHOOK_ALLOW_PRIVATE=true to allow it"
        ));
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
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["1.1.1.1", "193.10.0.1", "2a00:1450:4001::1"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[actix_web::test]
    async fn urls_are_checked() {
        assert!(check("https://1.1.1.1/hook", false).await.is_ok());
        assert!(
            check("http://127.0.0.1:9000/hook", false).await.unwrap_err().contains("STAFFMATCH_WEBHOOK_ALLOW_PRIVATE")
        );
        assert!(check("http://[::1]/hook", false).await.is_err());
        assert!(check("http://localhost/hook", false).await.is_err());
        assert!(check("http://127.0.0.1:9000/hook", true).await.is_ok());
        assert!(check("ftp://example.com/x", true).await.is_err());
        assert!(check("https://user:pw@example.com/x", true).await.is_err());
    }
}
