//! Which network addresses a fetch may connect to: the public internet, plus what the operator allows.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use url::Host;

/// IPv4 ranges that are not the public internet (SECURITY.md, SSRF #1). Among them sit the
/// cloud metadata services: 169.254.169.254 (link-local) and 100.100.100.200 (shared NAT space).
const REFUSED_V4: [Ipv4Net; 11] = [
    Ipv4Net::new_assert(Ipv4Addr::new(0, 0, 0, 0), 8), // "this network"; 0.0.0.0 reaches this host
    Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(100, 64, 0, 0), 10),
    Ipv4Net::new_assert(Ipv4Addr::new(127, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(169, 254, 0, 0), 16),
    Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 0, 0, 0), 24),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
    Ipv4Net::new_assert(Ipv4Addr::new(198, 18, 0, 0), 15),
    Ipv4Net::new_assert(Ipv4Addr::new(224, 0, 0, 0), 4),
    Ipv4Net::new_assert(Ipv4Addr::new(240, 0, 0, 0), 4),
];

/// IPv6 ranges that are not the public internet. The forms that carry an IPv4 address
/// (IPv4-compatible, IPv4-mapped, NAT64, 6to4) are refused whole, whatever IPv4 address they
/// embed: a connection to them can land on any IPv4 host, including a private one.
const REFUSED_V6: [Ipv6Net; 10] = [
    Ipv6Net::new_assert(Ipv6Addr::UNSPECIFIED, 128),
    Ipv6Net::new_assert(Ipv6Addr::LOCALHOST, 128),
    Ipv6Net::new_assert(Ipv6Addr::UNSPECIFIED, 96), // IPv4-compatible ::a.b.c.d
    Ipv6Net::new_assert(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0), 96), // IPv4-mapped
    Ipv6Net::new_assert(Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96), // NAT64
    Ipv6Net::new_assert(Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0), 48), // local-use NAT64
    Ipv6Net::new_assert(Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16), // 6to4
    Ipv6Net::new_assert(Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0), 7), // unique local
    Ipv6Net::new_assert(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10), // link-local
    Ipv6Net::new_assert(Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8), // multicast
];

/// True when the address is on the public internet, outside every refused range.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => !REFUSED_V4.iter().any(|range| range.contains(&ip)),
        IpAddr::V6(ip) => !REFUSED_V6.iter().any(|range| range.contains(&ip)),
    }
}

/// Where a fetch may connect: public addresses always; private ones when the operator said so,
/// either all of them or only some networks (an intranet).
#[derive(Debug, Clone)]
pub(crate) struct AddressRules {
    allow_private: bool,
    allowed_networks: Vec<IpNet>,
}

impl AddressRules {
    pub(crate) fn new(allow_private: bool, allowed_networks: Vec<IpNet>) -> Self {
        Self {
            allow_private,
            allowed_networks,
        }
    }

    pub(crate) fn permits(&self, ip: IpAddr) -> bool {
        self.allow_private
            || is_public(ip)
            || self.allowed_networks.iter().any(|net| net.contains(&ip))
    }

    /// Checked before any connection, because reqwest does not call the resolver for an IP
    /// literal. Other names are vetted by the resolver once their addresses are known.
    pub(crate) fn permits_host(&self, host: &Host<&str>) -> bool {
        match host {
            Host::Ipv4(ip) => self.permits(IpAddr::V4(*ip)),
            Host::Ipv6(ip) => self.permits(IpAddr::V6(*ip)),
            Host::Domain(name) => self.allow_private || !is_local_name(name),
        }
    }
}

/// `localhost` and every `*.localhost` name mean this host (RFC 6761), whatever DNS says.
fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        let ip: IpAddr = text.parse().expect("test addresses are valid");
        is_public(ip)
    }

    /// Each refused IPv4 range: the address just before it, its first and last address, and
    /// the address just after it.
    #[test]
    fn ipv4_range_boundaries() {
        let ranges = [
            (None, "0.0.0.0", "0.255.255.255", "1.0.0.0"),
            (
                Some("9.255.255.255"),
                "10.0.0.0",
                "10.255.255.255",
                "11.0.0.0",
            ),
            (
                Some("100.63.255.255"),
                "100.64.0.0",
                "100.127.255.255",
                "100.128.0.0",
            ),
            (
                Some("126.255.255.255"),
                "127.0.0.0",
                "127.255.255.255",
                "128.0.0.0",
            ),
            (
                Some("169.253.255.255"),
                "169.254.0.0",
                "169.254.255.255",
                "169.255.0.0",
            ),
            (
                Some("172.15.255.255"),
                "172.16.0.0",
                "172.31.255.255",
                "172.32.0.0",
            ),
            (
                Some("191.255.255.255"),
                "192.0.0.0",
                "192.0.0.255",
                "192.0.1.0",
            ),
            (
                Some("192.167.255.255"),
                "192.168.0.0",
                "192.168.255.255",
                "192.169.0.0",
            ),
            (
                Some("198.17.255.255"),
                "198.18.0.0",
                "198.19.255.255",
                "198.20.0.0",
            ),
            (
                Some("223.255.255.255"),
                "224.0.0.0",
                "239.255.255.255",
                "240.0.0.0",
            ),
        ];
        for (before, first, last, after) in ranges {
            if let Some(before) = before {
                assert!(public(before), "{before} is public");
            }
            assert!(!public(first), "{first} is refused");
            assert!(!public(last), "{last} is refused");
            // 240.0.0.0 starts the next refused range (240/4), which runs to the end.
            if after != "240.0.0.0" {
                assert!(public(after), "{after} is public");
            }
        }
        assert!(!public("240.0.0.0"));
        assert!(!public("255.255.255.255"));
    }

    #[test]
    fn ipv4_examples_from_the_security_checklist() {
        for refused in [
            "127.0.0.1",
            "0.0.0.0",
            "169.254.169.254",
            "100.100.100.200",
            "10.0.0.1",
            "172.16.0.1",
            "192.168.1.1",
        ] {
            assert!(!public(refused), "{refused}");
        }
        for allowed in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "192.0.2.1",
            "203.0.113.9",
        ] {
            assert!(public(allowed), "{allowed}");
        }
    }

    #[test]
    fn ipv6_range_boundaries() {
        let refused = [
            "::",
            "::1",
            "::2",
            "::ffff:ffff", // last IPv4-compatible
            "::ffff:0:0",
            "::ffff:ffff:ffff",
            "64:ff9b::",
            "64:ff9b::ffff:ffff",
            "64:ff9b:1::",
            "64:ff9b:1:ffff:ffff:ffff:ffff:ffff",
            "2002::",
            "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "fc00::",
            "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "fd00:ec2::254",
            "fe80::",
            "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "ff00::",
            "ff02::1",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        ];
        for text in refused {
            assert!(!public(text), "{text} is refused");
        }
        let allowed = [
            "::1:0:0",          // just past ::/96
            "::fffe:ffff:ffff", // just before ::ffff:0:0/96
            "::1:0:0:0",        // just past ::ffff:0:0/96
            "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff",
            "64:ff9b::1:0:0", // just past 64:ff9b::/96
            "64:ff9b:0:ffff:ffff:ffff:ffff:ffff",
            "64:ff9b:2::", // just past 64:ff9b:1::/48
            "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2003::",
            "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "fe00::", // just past fc00::/7
            "fec0::", // just past fe80::/10
            "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
        ];
        for text in allowed {
            assert!(public(text), "{text} is public");
        }
    }

    /// The forms that embed an IPv4 address are refused whether that address is private or
    /// public: the checklist refuses the whole prefix.
    #[test]
    fn embedded_ipv4_forms_are_refused() {
        for text in [
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "::8.8.8.8",
            "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
            "64:ff9b::7f00:1",    // NAT64 of 127.0.0.1
            "64:ff9b::808:808",   // NAT64 of 8.8.8.8
            "64:ff9b:1::a00:1",
            "2002:7f00:1::",    // 6to4 of 127.0.0.1
            "2002:a9fe:a9fe::", // 6to4 of 169.254.169.254
            "2002:808:808::",
        ] {
            assert!(!public(text), "{text} is refused");
        }
    }

    #[test]
    fn local_names_are_refused_unless_private_addresses_are_allowed() {
        let strict = AddressRules::new(false, Vec::new());
        for name in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "api.localhost",
            "a.b.localhost.",
        ] {
            assert!(!strict.permits_host(&Host::Domain(name)), "{name}");
        }
        for name in ["example.com", "localhost.example.com", "notlocalhost"] {
            assert!(strict.permits_host(&Host::Domain(name)), "{name}");
        }
        let open = AddressRules::new(true, Vec::new());
        assert!(open.permits_host(&Host::Domain("localhost")));
        assert!(open.permits_host(&Host::Ipv4(Ipv4Addr::LOCALHOST)));
    }

    #[test]
    fn allowed_networks_open_only_themselves() {
        let intranet: IpNet = "10.1.0.0/16".parse().expect("valid network");
        let rules = AddressRules::new(false, vec![intranet]);
        assert!(rules.permits(IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))));
        assert!(!rules.permits(IpAddr::V4(Ipv4Addr::new(10, 2, 0, 1))));
        assert!(!rules.permits(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert!(!rules.permits_host(&Host::Domain("localhost")));
        assert!(rules.permits(IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8))));
    }
}
