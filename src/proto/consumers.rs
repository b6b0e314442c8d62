//! Consumers of one channel: their tags, and how many deliveries each may
//! buffer (its capacity), decided so that the broker can never send a
//! consumer more than the client will hold for it.
//!
//! A consumer that acknowledges is limited by the channel's prefetch count:
//! the broker sends at most that many unacknowledged deliveries. Its
//! capacity is therefore never below the prefetch (a smaller one is raised),
//! and on a channel with no prefetch the core first sends `basic.qos` with
//! the consumer's capacity (per consumer, `global = false`). Then a full
//! consumer never makes the front end stop reading the socket, and replies
//! and confirms on the connection are never stuck behind its deliveries.
//! A `no-ack` consumer has no such limit: when it is full the front end
//! stops reading (back-pressure through TCP) until it has room.

use std::collections::HashMap;

use crate::codec::ShortStr;

/// A registered consumer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConsumerInfo {
    /// Deliveries it may buffer.
    pub(crate) capacity: usize,
    /// Deliveries count as acknowledged when sent (no prefetch limit).
    pub(crate) no_ack: bool,
    /// Its `basic.consume` (with its tag), to start it again on recovery.
    pub(crate) method: crate::codec::method::BasicConsume,
    /// Started while the connection was recovering: its consume is among
    /// the held frames, so the restore does not start it too.
    pub(crate) held: bool,
}

/// The consumers of a channel and the prefetch counts it has set.
#[derive(Debug, Default)]
pub(crate) struct Consumers {
    pub(crate) by_tag: HashMap<ShortStr, ConsumerInfo>,
    /// `basic.qos` prefetch count with `global = false` (RabbitMQ: per consumer).
    pub(crate) prefetch_per_consumer: u16,
    /// `basic.qos` prefetch count with `global = true` (RabbitMQ: per channel).
    pub(crate) prefetch_channel: u16,
    /// `basic.qos` prefetch size (bytes) with `global = false`, restored
    /// on recovery (RabbitMQ refuses a non-zero one; other brokers may not).
    pub(crate) prefetch_size_per_consumer: u32,
    /// `basic.qos` prefetch size (bytes) with `global = true`.
    pub(crate) prefetch_size_channel: u32,
}

/// What a new consumer gets: its capacity, and the prefetch count to set
/// first (on a channel that has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) capacity: usize,
    pub(crate) set_prefetch: Option<u16>,
}

impl Consumers {
    /// Records a `basic.qos` with no prefetch size (in the order the
    /// server applies it).
    pub(crate) fn qos(&mut self, prefetch_count: u16, global: bool) {
        self.set_qos(0, prefetch_count, global);
    }

    /// Records a `basic.qos` (in the order the server applies it): a new
    /// one replaces both limits of its scope.
    pub(crate) fn set_qos(&mut self, prefetch_size: u32, prefetch_count: u16, global: bool) {
        if global {
            self.prefetch_channel = prefetch_count;
            self.prefetch_size_channel = prefetch_size;
        } else {
            self.prefetch_per_consumer = prefetch_count;
            self.prefetch_size_per_consumer = prefetch_size;
        }
    }

    /// The most unacknowledged deliveries one consumer can be sent (0: no limit).
    fn prefetch_bound(&self) -> u16 {
        match (self.prefetch_per_consumer, self.prefetch_channel) {
            (0, c) | (c, 0) => c,
            (a, b) => a.min(b),
        }
    }

    /// Decides a new consumer's capacity (see the module docs).
    pub(crate) fn plan(&self, requested: Option<usize>, default: usize, no_ack: bool) -> Plan {
        let bound = usize::from(self.prefetch_bound());
        if no_ack {
            return Plan {
                capacity: requested.unwrap_or(default).max(1),
                set_prefetch: None,
            };
        }
        if bound > 0 {
            let capacity = requested.unwrap_or(bound).max(bound);
            if requested.is_some_and(|r| r < bound) {
                tracing::debug!(
                    requested = requested.unwrap_or(0),
                    prefetch = bound,
                    "consumer capacity raised to the channel's prefetch count"
                );
            }
            return Plan {
                capacity,
                set_prefetch: None,
            };
        }
        let capacity = requested.unwrap_or(default).max(1);
        Plan {
            capacity,
            set_prefetch: Some(u16::try_from(capacity).unwrap_or(u16::MAX)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_is_never_below_the_prefetch() {
        let mut c = Consumers::default();
        c.qos(100, false);
        let plan = c.plan(Some(10), 1000, false);
        assert_eq!(
            plan,
            Plan {
                capacity: 100,
                set_prefetch: None
            }
        );
        assert_eq!(c.plan(Some(500), 1000, false).capacity, 500);
        assert_eq!(
            c.plan(None, 1000, false).capacity,
            100,
            "prefetch is the default"
        );
    }

    #[test]
    fn a_channel_without_prefetch_gets_one_matching_the_capacity() {
        let c = Consumers::default();
        assert_eq!(
            c.plan(None, 1000, false),
            Plan {
                capacity: 1000,
                set_prefetch: Some(1000)
            }
        );
        assert_eq!(c.plan(Some(0), 1000, false).capacity, 1, "at least one");
        let big = c.plan(Some(100_000), 1000, false);
        assert_eq!(big.set_prefetch, Some(u16::MAX), "prefetch is a short");
        assert!(big.capacity >= usize::from(u16::MAX));
    }

    #[test]
    fn the_smaller_of_channel_and_consumer_prefetch_bounds_a_consumer() {
        let mut c = Consumers::default();
        c.qos(50, true);
        assert_eq!(c.plan(None, 1000, false).capacity, 50);
        c.qos(20, false);
        assert_eq!(c.plan(None, 1000, false).capacity, 20);
        c.qos(0, false);
        assert_eq!(c.plan(None, 1000, false).capacity, 50);
    }

    #[test]
    fn no_ack_consumers_set_no_prefetch() {
        let c = Consumers::default();
        assert_eq!(
            c.plan(Some(10), 1000, true),
            Plan {
                capacity: 10,
                set_prefetch: None
            }
        );
    }
}
