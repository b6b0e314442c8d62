//! The core's settings: what it negotiates and how long it waits. The URI
//! module builds the connection part ([`ConnectionOptions`]); the rest has
//! defaults a caller may change.

use std::time::Duration;

use super::Recovery;
use crate::connection_options::ConnectionOptions;

/// Settings of the core beyond what the URL carries.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where and how to connect.
    pub options: ConnectionOptions,
    /// Shown in the broker's management UI.
    pub connection_name: Option<String>,
    /// How long to wait for `connection.close-ok`.
    pub close_timeout: Duration,
    /// Publishers wait while the server blocks the connection
    /// (`connection.blocked`) instead of writing into a connection the
    /// server does not read. Default `false`.
    pub wait_while_blocked: bool,
    /// How many deliveries a consumer buffers when its options give no
    /// capacity and its channel has no prefetch count. Default 1000.
    pub default_consumer_capacity: usize,
    /// Bytes of delivered messages the connection holds for the
    /// application before it stops reading the socket (the broker then
    /// waits, through TCP). A message larger than this is still taken, one
    /// at a time. Contents in progress (messages whose body frames are
    /// still arriving, on any number of channels: their bodies so far and
    /// the memory of their decoded headers tables) may hold this plus the
    /// maximum message size; more fails the connection with 506
    /// RESOURCE_ERROR. Default 64 MiB.
    pub delivery_buffer_bytes: usize,
    /// Automatic recovery of a lost connection: `None` (the default) ends
    /// the connection when its transport fails; `Some` reconnects (moving
    /// along the options' addresses), restores channels, topology and
    /// consumers, and keeps the application's handles working. See
    /// [`Recovery`].
    pub recovery: Option<Recovery>,
    /// Seeds the shuffled order of the options' addresses (with
    /// [`shuffle_addresses`](ConnectionOptions::shuffle_addresses)):
    /// drawn at random for each `Config` built by `Default` (or from
    /// options), so that clients do not all pick the same broker first.
    /// Set it for a deterministic order (tests).
    pub seed: u64,
}

impl Config {
    /// Turns automatic recovery on with `policy` (builder style).
    pub fn with_recovery(mut self, policy: Recovery) -> Self {
        self.recovery = Some(policy);
        self
    }

    /// Every broker to try, in the order connecting and recovery use:
    /// the options' [`addresses`](ConnectionOptions::addresses), shuffled
    /// by [`seed`](Self::seed) when asked.
    pub fn addresses(&self) -> Vec<crate::connection_options::Address> {
        self.options.addresses(self.seed)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            options: ConnectionOptions::default(),
            connection_name: None,
            close_timeout: Duration::from_secs(10),
            wait_while_blocked: false,
            default_consumer_capacity: 1000,
            delivery_buffer_bytes: 64 * 1024 * 1024,
            recovery: None,
            seed: crate::connection_options::address::random_seed(),
        }
    }
}

impl From<ConnectionOptions> for Config {
    fn from(options: ConnectionOptions) -> Self {
        Config {
            options,
            ..Config::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_configs_and_policies_draw_different_seeds() {
        // Two equal draws of 64 random bits: a chance of 2^-64 each.
        assert_ne!(Config::default().seed, Config::default().seed);
        let from_options = || Config::from(ConnectionOptions::default()).seed;
        assert_ne!(from_options(), from_options());
        assert_ne!(Recovery::default().seed, Recovery::default().seed);
    }

    #[test]
    fn an_explicit_seed_is_kept_and_gives_the_same_order_and_delays() {
        let mut options =
            ConnectionOptions::from_urls("amqp://a,amqp://b,amqp://c,amqp://d,amqp://e")
                .expect("urls");
        options.shuffle_addresses = true;
        let config = Config {
            seed: 7,
            ..Config::from(options.clone())
        };
        assert_eq!(config.seed, 7);
        assert_eq!(config.addresses(), options.addresses(7));
        let core = super::super::Connection::new(config, std::time::Instant::now());
        assert_eq!(core.addresses(), options.addresses(7).as_slice());

        let policy = || Recovery {
            seed: 7,
            jitter: 0.5,
            ..Recovery::default()
        };
        assert_eq!(policy().seed, 7);
        let delays = |p: Recovery| (1..=10).map(|a| p.delay(a)).collect::<Vec<_>>();
        assert_eq!(delays(policy()), delays(policy()));
    }
}
