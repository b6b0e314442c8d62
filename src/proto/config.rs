//! The core's settings: what it negotiates and how long it waits. The URI
//! module builds the connection part ([`ConnectionOptions`]); the rest has
//! defaults a caller may change.

use std::time::Duration;

use super::Recovery;
use crate::uri::ConnectionOptions;

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
}

impl Config {
    /// Turns automatic recovery on with `policy` (builder style).
    pub fn with_recovery(mut self, policy: Recovery) -> Self {
        self.recovery = Some(policy);
        self
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
