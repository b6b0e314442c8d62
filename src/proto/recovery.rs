//! Automatic recovery of a lost connection (opt-in: [`Config::recovery`](super::Config::recovery)).
//!
//! When the transport fails after the connection was open (an IO error,
//! the end of the socket, missed heartbeats, a server close with a code
//! that says the server went away, such as 320 CONNECTION_FORCED), the
//! core does not end: it fails what was in flight on the old transport
//! (requests, unconfirmed publishes: they can never be confirmed now),
//! keeps its channels, consumers and the recorded topology, and waits for
//! a new transport after a backoff delay. The front end connects to the
//! address [`wants_transport`](super::Connection::wants_transport) names
//! and calls [`transport_ready`](super::Connection::transport_ready) (or
//! [`transport_failed`](super::Connection::transport_failed)). After the
//! new handshake the core restores everything (`restore.rs`), then
//! releases what the application sent meanwhile.
//!
//! Delivery tags and publish sequence numbers stay one sequence per
//! channel across transports: tags from the old transport are refused
//! ([`Error::StaleDeliveryTag`]) instead of sent (the broker would close
//! the channel with 406 PRECONDITION_FAILED for an unknown tag).

use std::time::{Duration, Instant};

use crate::codec::{FrameDecoder, ProtocolHeader, ReplyCode, FRAME_MIN_SIZE};
use crate::connection_options::address::mix;
use crate::connection_options::Address;
use crate::error::{Error, Initiator, TimeoutKind};

use super::channel::ChannelPhase;
use super::connection::{Phase, Step};
use super::events::{ConnectionState, RecoveryEvent};
use super::restore::Restore;
use super::topology::Topology;
use super::{Connection, Event};

/// How a lost connection is recovered: when to try again, how often, and
/// what the application may send while it is down.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovery {
    /// Delay before the first attempt. Default 100 ms.
    pub initial_delay: Duration,
    /// Each failed attempt multiplies the delay by this. Default 2.
    pub factor: u32,
    /// The longest delay between attempts. Default 10 s.
    pub max_delay: Duration,
    /// Up to this fraction of each delay is taken off at random, so that
    /// many clients of one broker do not come back at the same instant.
    /// Default 0.25.
    pub jitter: f64,
    /// Give up (the connection ends with the last error) after this many
    /// failed attempts in a row. Default `None`: never.
    pub max_attempts: Option<u32>,
    /// Publishes the core holds while the connection is down, sent once
    /// their channel is restored; one more fails with
    /// [`Error::Recovering`]. `0` fails every publish made while
    /// recovering. Default 10,000.
    pub hold_messages: usize,
    /// Bytes (bodies and frames) of the publishes held while recovering;
    /// one that would go past it fails with [`Error::Recovering`]. Default 16 MiB.
    pub hold_bytes: usize,
    /// Seeds the jitter: drawn at random for each `Recovery` built by
    /// `Default`, so that clients of one broker do not retry in step. Set
    /// it for deterministic delays (tests). The order of addresses has its
    /// own seed, [`Config::seed`](super::Config::seed).
    pub seed: u64,
}

impl Default for Recovery {
    fn default() -> Self {
        Recovery {
            initial_delay: Duration::from_millis(100),
            factor: 2,
            max_delay: Duration::from_secs(10),
            jitter: 0.25,
            max_attempts: None,
            hold_messages: 10_000,
            hold_bytes: 16 * 1024 * 1024,
            seed: crate::connection_options::address::random_seed(),
        }
    }
}

impl Recovery {
    /// The delay before attempt `attempt` (1 for the first).
    pub fn delay(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(32);
        let base = self
            .initial_delay
            .saturating_mul(self.factor.max(1).saturating_pow(exp))
            .min(self.max_delay);
        let jitter = self.jitter.clamp(0.0, 1.0);
        let r = (mix(self.seed ^ u64::from(attempt)) >> 11) as f64 / (1u64 << 53) as f64;
        base.mul_f64(1.0 - jitter * r)
    }
}

/// Whether a connection that ended with `error` may be recovered: the
/// transport failed, or the server closed with a code that says it went
/// away (320 CONNECTION_FORCED: a node shutting down; 541 INTERNAL_ERROR).
/// Not after an application close, a refusal (403, 530) or a protocol
/// error (50x): a new connection would meet the same fate.
pub fn recoverable(error: &Error) -> bool {
    match error {
        Error::Io { .. } => true,
        Error::Timeout(TimeoutKind::Heartbeat | TimeoutKind::Connect) => true,
        Error::ConnectionClosed {
            reason,
            by: Initiator::Server,
        } => matches!(
            reason.code,
            ReplyCode::CONNECTION_FORCED | ReplyCode::INTERNAL_ERROR
        ),
        _ => false,
    }
}

/// The core's recovery state.
#[derive(Debug, Default)]
pub(crate) struct RecoveryState {
    /// The connection was open once: only then is a loss recovered (a
    /// first connect that fails is the caller's to retry).
    pub(crate) opened_once: bool,
    /// Attempts in the current recovery (0 while connected).
    pub(crate) attempt: u32,
    /// Recoveries completed.
    pub(crate) recoveries: u32,
    pub(crate) addresses: Vec<Address>,
    /// Index in `addresses` of the address in use (or tried next).
    pub(crate) address: usize,
    pub(crate) topology: Topology,
    pub(crate) restore: Option<Restore>,
    /// Publishes held while recovering: messages and bytes.
    pub(crate) held_messages: usize,
    pub(crate) held_bytes: usize,
    /// Why the current recovery began.
    pub(crate) cause: Option<Error>,
}

impl Connection {
    /// Whether recovery is on and this failure is one it recovers from.
    pub(crate) fn recovers_from(&self, error: &Error) -> bool {
        self.config.recovery.is_some()
            && self.recovery.opened_once
            && recoverable(error)
            && matches!(self.phase, Phase::Open | Phase::Handshake { .. })
    }

    /// The transport failed with `error`: recover if recovery is on and
    /// the failure is recoverable, otherwise end the connection.
    pub(crate) fn lose_transport(&mut self, error: Error) {
        if self.recovers_from(&error) {
            self.begin_recovery(error);
        } else {
            self.finish(error);
        }
    }

    /// A step of the restore got no answer in time: this transport is
    /// given up like a lost one, and recovery goes on with the next attempt.
    pub(crate) fn restore_timed_out(&mut self) {
        self.begin_recovery(Error::Timeout(TimeoutKind::Request));
    }

    fn begin_recovery(&mut self, error: Error) {
        tracing::warn!(%error, "connection lost; recovering");
        let first = self.recovery.attempt == 0;
        // Requests on channel 0 were answered or lost with the transport.
        for rpc in std::mem::take(&mut self.connection_rpcs) {
            self.complete(rpc.id, Err(error.clone()));
        }
        let channels: Vec<u16> = self.channels.keys().copied().collect();
        for channel in channels {
            self.suspend_channel(channel, &error);
        }
        self.recovery.restore = None;
        self.out.clear();
        self.clear_queued();
        self.partial = 0;
        self.decoder = FrameDecoder::new(frame_max_of(self));
        if self.blocked {
            self.blocked = false;
            self.events.push_back(Event::Unblocked);
        }
        // The broker there may be the one that went away: the next one first.
        self.next_address();
        if first {
            self.recovery.cause = Some(error.clone());
            self.events.push_back(Event::Recovery(RecoveryEvent::Lost {
                error: error.clone(),
            }));
        } else {
            self.events
                .push_back(Event::Recovery(RecoveryEvent::AttemptFailed {
                    attempt: self.recovery.attempt,
                    error: error.clone(),
                }));
        }
        self.schedule_attempt(error);
    }

    /// Schedules the next attempt, or gives up after the last one.
    fn schedule_attempt(&mut self, error: Error) {
        let Some(policy) = self.config.recovery.clone() else {
            return self.finish(error);
        };
        if policy
            .max_attempts
            .is_some_and(|max| self.recovery.attempt >= max)
        {
            tracing::warn!(attempts = self.recovery.attempt, %error, "recovery gave up");
            self.phase = Phase::Open; // so that finish ends every channel
            return self.finish(error);
        }
        self.recovery.attempt += 1;
        let retry_at = self.clock + policy.delay(self.recovery.attempt);
        self.phase = Phase::Recovering {
            retry_at,
            connecting: false,
        };
    }

    /// A channel survives the loss of the transport: what was in flight on
    /// it fails (requests; publishes not yet confirmed, which now never
    /// will be), its consumers stay registered, and it waits to be reopened.
    /// A channel that was opening or closing ends.
    fn suspend_channel(&mut self, channel: u16, error: &Error) {
        let Some(ch) = self.channels.get_mut(&channel) else {
            return;
        };
        if ch.internal {
            self.channels.remove(&channel);
            return;
        }
        let opening = ch.phase == ChannelPhase::Opening && !ch.holding;
        if opening || ch.is_closing() {
            return self.channel_ended(channel, error.clone());
        }
        ch.phase = ChannelPhase::Recovering;
        ch.holding = true;
        ch.flow_active = true;
        ch.assembly = Default::default();
        // Tags of the old transport end here; the new one counts from 1.
        ch.tag_offset = ch.last_tag;
        let pending: Vec<_> = ch.rpcs.drain(..).filter_map(|rpc| rpc.id).collect();
        let returns = std::mem::take(&mut ch.held_returns);
        let unconfirmed = ch.confirms.as_mut().and_then(|c| c.suspend());
        for id in pending {
            self.complete(Some(id), Err(error.clone()));
        }
        for message in returns {
            self.events.push_back(Event::Returned {
                channel,
                sequence: None,
                message,
            });
        }
        if let Some(tags) = unconfirmed {
            self.events.push_back(Event::Unconfirmed {
                channel,
                tags,
                error: error.clone(),
            });
        }
    }

    // ----- what the front end asks and tells -----

    /// The address to connect to now, while recovering: the front end
    /// connects (with the connection timeout) and calls
    /// [`transport_ready`](Self::transport_ready) or
    /// [`transport_failed`](Self::transport_failed). `None` otherwise
    /// (also while waiting for the backoff delay: see
    /// [`poll_timeout`](Self::poll_timeout)).
    pub fn wants_transport(&self) -> Option<&Address> {
        match self.phase {
            Phase::Recovering {
                connecting: true, ..
            } => self.recovery.addresses.get(self.recovery.address),
            _ => None,
        }
    }

    /// Whether the connection has no transport now (lost, recovering): a
    /// front end stops its reader and writer and waits for
    /// [`wants_transport`](Self::wants_transport).
    pub fn needs_transport(&self) -> bool {
        matches!(self.phase, Phase::Recovering { .. })
    }

    /// Whether the connection is recovering (no transport, or restoring
    /// on a new one).
    pub fn is_recovering(&self) -> bool {
        matches!(self.phase, Phase::Recovering { .. })
            || (self.recovery.attempt > 0 && !self.is_closed())
    }

    /// The backoff delay is over: ask the front end for a transport.
    pub(crate) fn recovery_timeout(&mut self, now: Instant) {
        let attempt = self.recovery.attempt;
        if let Phase::Recovering {
            retry_at,
            connecting,
            ..
        } = &mut self.phase
        {
            if *connecting || now < *retry_at {
                return;
            }
            *connecting = true;
            if let Some(address) = self.recovery.addresses.get(self.recovery.address) {
                tracing::info!(attempt, %address, "reconnecting");
                self.events
                    .push_back(Event::Recovery(RecoveryEvent::Connecting {
                        attempt,
                        address: address.clone(),
                    }));
            }
        }
    }

    /// The front end connected a new transport (TCP, and TLS when the
    /// options ask for it) to the address of
    /// [`wants_transport`](Self::wants_transport): the handshake starts
    /// again on it; once it is done the core restores channels, topology
    /// and consumers.
    pub fn transport_ready(&mut self, now: Instant) {
        if !matches!(
            self.phase,
            Phase::Recovering {
                connecting: true,
                ..
            }
        ) {
            return;
        }
        self.clock = self.clock.max(now);
        self.out.clear();
        ProtocolHeader::AMQP_0_9_1.encode(&mut self.out);
        self.expect_header_reply = true;
        self.last_read = now;
        self.last_write = now;
        self.phase = Phase::Handshake {
            step: Step::Start,
            deadline: now + self.config.options.connection_timeout,
        };
    }

    /// Connecting to the address of [`wants_transport`](Self::wants_transport)
    /// failed: the next attempt (on the next address) follows the backoff delay.
    pub fn transport_failed(&mut self, error: Error, now: Instant) {
        if !matches!(
            self.phase,
            Phase::Recovering {
                connecting: true,
                ..
            }
        ) {
            return;
        }
        self.clock = self.clock.max(now);
        tracing::debug!(%error, attempt = self.recovery.attempt, "reconnect failed");
        self.next_address();
        self.events
            .push_back(Event::Recovery(RecoveryEvent::AttemptFailed {
                attempt: self.recovery.attempt,
                error: error.clone(),
            }));
        self.schedule_attempt(error);
    }

    /// Which of the options' [`addresses`](crate::ConnectionOptions::addresses)
    /// the connection uses (or tries next): the front end sets it after the
    /// first connect, which may have moved past addresses that did not answer.
    pub fn set_address_index(&mut self, index: usize) {
        self.recovery.address = index % self.recovery.addresses.len().max(1);
    }

    /// The time each later handshake may take (the first one's deadline is
    /// set by [`new`](Self::new); a front end that spent part of the
    /// connection timeout on connecting gives the core what was left, then
    /// the whole timeout back for recovery's handshakes).
    pub fn set_connection_timeout(&mut self, timeout: Duration) {
        self.config.options.connection_timeout = timeout;
    }

    /// The address of the broker the connection uses now (or tries next,
    /// while recovering).
    pub fn address(&self) -> Option<&Address> {
        self.recovery.addresses.get(self.recovery.address)
    }

    /// The addresses recovery moves along, in order.
    pub fn addresses(&self) -> &[Address] {
        &self.recovery.addresses
    }

    pub(crate) fn next_address(&mut self) {
        let n = self.recovery.addresses.len().max(1);
        self.recovery.address = (self.recovery.address + 1) % n;
    }

    /// Where the connection is: connecting, connected, recovering, recovered, closed.
    pub fn state(&self) -> ConnectionState {
        match &self.phase {
            Phase::Closed { error } => ConnectionState::Closed(error.clone()),
            Phase::Closing { .. } => ConnectionState::Closing,
            _ if self.recovery.attempt > 0 => ConnectionState::Recovering {
                attempt: self.recovery.attempt,
                error: self
                    .recovery
                    .cause
                    .clone()
                    .unwrap_or(Error::NotOpen(crate::error::Endpoint::Connection)),
            },
            Phase::Open if self.recovery.recoveries > 0 => ConnectionState::Recovered {
                recoveries: self.recovery.recoveries,
            },
            Phase::Open => ConnectionState::Connected,
            _ => ConnectionState::Connecting,
        }
    }

    /// Recovery is complete: the connection is as the application left it.
    pub(crate) fn recovered(&mut self) {
        let attempts = self.recovery.attempt;
        self.recovery.attempt = 0;
        self.recovery.recoveries += 1;
        self.recovery.cause = None;
        self.recovery.held_messages = 0;
        self.recovery.held_bytes = 0;
        tracing::info!(attempts, "connection recovered");
        self.events
            .push_back(Event::Recovery(RecoveryEvent::Recovered { attempts }));
    }

    /// A publish while recovering: held within the policy's bounds, or refused.
    pub(crate) fn hold_publish(&mut self, bytes: usize) -> Result<(), Error> {
        let Some(policy) = &self.config.recovery else {
            return Ok(());
        };
        let messages = self.recovery.held_messages + 1;
        let total = self.recovery.held_bytes + bytes;
        if messages > policy.hold_messages || total > policy.hold_bytes {
            return Err(Error::Recovering {
                attempt: self.recovery.attempt,
            });
        }
        self.recovery.held_messages = messages;
        self.recovery.held_bytes = total;
        Ok(())
    }
}

fn frame_max_of(conn: &Connection) -> u32 {
    match conn.config.options.frame_max {
        0 => 0,
        n => n.max(FRAME_MIN_SIZE),
    }
}
