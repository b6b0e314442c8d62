//! Several brokers for one connection: the addresses to try, in order or
//! shuffled, and the list form of a URL (`amqp://a:5672,amqp://b:5673/%2f`).

use std::fmt;

use super::ConnectionOptions;
use crate::uri::UriError;

/// A broker's host and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    /// Host name or IP address (an IPv6 address without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

impl Address {
    /// An address from a host and a port.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Address {
            host: host.into(),
            port,
        }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// SplitMix64: a few well-mixed bits from a seed, for shuffling without a
/// random-number crate (the order only needs to differ between clients).
pub(crate) fn mix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seed that differs between processes and between calls: the time, the
/// process id, a counter and std's per-instance random hash keys, mixed.
/// Drawn where options are built ([`Config`](crate::proto::Config) and
/// [`Recovery`](crate::proto::Recovery) defaults), never inside the
/// protocol core, which stays deterministic given its configuration.
pub(crate) fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    h.write_u32(std::process::id());
    h.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
    mix(h.finish())
}

impl ConnectionOptions {
    /// Every broker to try: `host:port` first, then
    /// [`more_addresses`](Self::more_addresses); shuffled (by `seed`) when
    /// [`shuffle_addresses`](Self::shuffle_addresses) is set.
    pub fn addresses(&self, seed: u64) -> Vec<Address> {
        let mut all = vec![Address::new(self.host.clone(), self.port)];
        all.extend(self.more_addresses.iter().cloned());
        if self.shuffle_addresses {
            // Fisher-Yates.
            let mut state = seed;
            for i in (1..all.len()).rev() {
                state = mix(state);
                let j = (state % (i as u64 + 1)) as usize;
                all.swap(i, j);
            }
        }
        all
    }

    /// Parses a comma-separated list of AMQP URIs (as `AMQP_URL` may hold):
    /// the first gives every option; each other one adds its host and port
    /// to [`more_addresses`](Self::more_addresses) and must use the same
    /// scheme (TLS or not) and, when it names them, the same credentials
    /// and virtual host, so that no broker of the list is reached with
    /// settings the application did not mean for it. A single URI is
    /// parsed as [`from_url`](Self::from_url) does.
    pub fn from_urls(urls: &str) -> Result<Self, UriError> {
        let mut parts = urls.split(',').map(str::trim);
        let mut options = ConnectionOptions::from_url(parts.next().unwrap_or_default())?;
        for part in parts {
            let other = ConnectionOptions::from_url(part)?;
            let names_credentials = part.contains('@');
            let same = other.tls == options.tls
                && (!names_credentials
                    || (other.username == options.username && other.password == options.password))
                && (!has_path(part) || other.vhost == options.vhost);
            if !same {
                return Err(UriError::MixedList {
                    address: Address::new(other.host.clone(), other.port).to_string(),
                });
            }
            options
                .more_addresses
                .push(Address::new(other.host, other.port));
        }
        Ok(options)
    }
}

/// Whether a URI names a virtual host (a path after the authority).
fn has_path(url: &str) -> bool {
    url.split_once("//")
        .map(|(_, rest)| rest.contains('/'))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_adds_the_other_brokers_in_order() {
        let o = ConnectionOptions::from_urls(
            "amqp://u:p@a:5681/v, amqp://b:5682, amqp://u:p@[::1]:5683/v",
        )
        .unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.vhost.as_str()),
            ("a", 5681, "v")
        );
        assert_eq!(
            o.more_addresses,
            vec![Address::new("b", 5682), Address::new("::1", 5683)]
        );
        let all: Vec<String> = o.addresses(0).iter().map(Address::to_string).collect();
        assert_eq!(all, ["a:5681", "b:5682", "[::1]:5683"]);
    }

    #[test]
    fn a_list_mixing_tls_credentials_or_vhosts_is_refused() {
        for bad in [
            "amqp://a,amqps://b",
            "amqp://u:p@a/v,amqp://x:y@b/v",
            "amqp://u:p@a/v,amqp://u:p@b/w",
        ] {
            assert!(
                matches!(
                    ConnectionOptions::from_urls(bad),
                    Err(UriError::MixedList { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn shuffling_keeps_every_address_and_depends_on_the_seed() {
        let mut o = ConnectionOptions::from_urls("amqp://a,amqp://b,amqp://c,amqp://d").unwrap();
        o.shuffle_addresses = true;
        let orders: std::collections::HashSet<Vec<Address>> =
            (0..20).map(|seed| o.addresses(seed)).collect();
        assert!(orders.len() > 1, "the seed changes the order");
        for order in orders {
            let mut hosts: Vec<_> = order.iter().map(|a| a.host.clone()).collect();
            hosts.sort();
            assert_eq!(hosts, ["a", "b", "c", "d"]);
        }
    }
}
