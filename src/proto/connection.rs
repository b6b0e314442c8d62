//! The connection state machine: its state and the output it yields. The
//! input it is fed is in `input.rs`, commands in `commands.rs` and
//! `publish.rs`, the handshake in `handshake.rs`, channels in
//! `channel.rs`, closing in `close.rs` and deadlines in `timers.rs`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Instant;

use bytes::{Bytes, BytesMut};

use crate::codec::{FieldTable, FrameDecoder, ProtocolHeader, FRAME_MIN_SIZE};
use crate::error::Error;

use super::channel::{Channel, ChannelPhase};
use super::rpc::Rpc;
use super::{Config, Event, Reply, RequestId, Tuning};

/// Where the handshake is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Waiting for `connection.start` (or a protocol header: a refusal).
    Start,
    /// `start-ok` sent; waiting for `secure` or `tune`.
    Tune,
    /// `tune-ok` and `open` sent.
    OpenOk,
}

#[derive(Debug)]
pub(crate) enum Phase {
    Handshake {
        step: Step,
        /// The whole handshake must finish by then.
        deadline: Instant,
    },
    Open,
    /// We sent `connection.close`; only `close`/`close-ok` matter now.
    Closing {
        error: Error,
        request: Option<RequestId>,
        /// When we stop waiting for close-ok.
        deadline: Instant,
    },
    /// Finished; every later command fails with this error.
    Closed {
        error: Error,
    },
    /// The transport was lost and recovery is on: no transport now. At
    /// `retry_at` the core asks the front end for one (`connecting`).
    Recovering {
        retry_at: Instant,
        connecting: bool,
    },
}

/// The connection state machine. See the [module docs](super).
pub struct Connection {
    pub(crate) config: Config,
    pub(crate) phase: Phase,
    pub(crate) decoder: FrameDecoder,
    /// Set until the first frame: the server may answer with a protocol header.
    pub(crate) expect_header_reply: bool,
    pub(crate) out: BytesMut,
    /// Sealed output that goes before `out`: bytes split off it and bodies
    /// published as `Bytes`, not copied (zero-copy publishing).
    pub(crate) queued: VecDeque<Bytes>,
    queued_len: usize,
    pub(crate) events: VecDeque<Event>,
    pub(crate) channels: BTreeMap<u16, Channel>,
    /// Ended channels whose [`Event::ChannelClosed`] has not been polled:
    /// their ids are not reused before the front end has seen them end.
    pub(crate) releasing: BTreeSet<u16>,
    pub(crate) tuning: Tuning,
    pub(crate) server_properties: FieldTable,
    next_request: u64,
    /// Consumer tags made by the core are `amqp091-<channel>-<n>`.
    pub(crate) next_consumer_tag: u64,
    /// Requests on channel 0 (connection.update-secret) in order.
    pub(crate) connection_rpcs: VecDeque<Rpc>,
    pub(crate) blocked: bool,
    /// Bytes of deliveries handed out and not yet released by the front end.
    pub(crate) buffered: usize,
    /// Memory of contents in progress on every channel: body bytes so far
    /// and decoded headers tables ([`Assembly::held`](super::content::Assembly::held)).
    pub(crate) partial: u64,
    pub(crate) last_read: Instant,
    pub(crate) last_write: Instant,
    /// The latest time the caller gave (deadlines armed by commands start here).
    pub(crate) clock: Instant,
    /// Automatic recovery: addresses, attempts, recorded topology, restore.
    pub(crate) recovery: super::recovery::RecoveryState,
    /// A command is writing into a channel's held frames (recovering):
    /// bodies are copied, not queued as pieces of the output.
    pub(crate) holding_now: bool,
}

/// Never the bytes waiting to be sent: they may hold the SASL response
/// (the password). The options' own `Debug` hides the password.
impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("phase", &self.phase)
            .field("options", &self.config.options)
            .field("tuning", &self.tuning)
            .field("channels", &self.channels.keys().collect::<Vec<_>>())
            .field("pending_transmit", &self.pending_transmit())
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// A connection at the start of the handshake. The protocol header is
    /// already queued for sending.
    pub fn new(config: Config, now: Instant) -> Self {
        let mut out = BytesMut::with_capacity(64 * 1024);
        ProtocolHeader::AMQP_0_9_1.encode(&mut out);
        let frame_max = match config.options.frame_max {
            0 => 0,
            n => n.max(FRAME_MIN_SIZE),
        };
        let recovery = super::recovery::RecoveryState {
            addresses: config.addresses(),
            ..Default::default()
        };
        Connection {
            recovery,
            holding_now: false,
            phase: Phase::Handshake {
                step: Step::Start,
                deadline: now + config.options.connection_timeout,
            },
            config,
            decoder: FrameDecoder::new(frame_max),
            expect_header_reply: true,
            out,
            queued: VecDeque::new(),
            queued_len: 0,
            events: VecDeque::new(),
            channels: BTreeMap::new(),
            releasing: BTreeSet::new(),
            tuning: Tuning {
                channel_max: 0,
                frame_max: FRAME_MIN_SIZE,
                heartbeat: 0,
            },
            server_properties: FieldTable::new(),
            next_request: 1,
            next_consumer_tag: 1,
            connection_rpcs: VecDeque::new(),
            blocked: false,
            buffered: 0,
            partial: 0,
            last_read: now,
            last_write: now,
            clock: now,
        }
    }

    // ----- getters -----

    /// Negotiated limits (meaningful once connected).
    pub fn tuning(&self) -> Tuning {
        self.tuning
    }

    /// What the server said about itself in `connection.start`.
    pub fn server_properties(&self) -> &FieldTable {
        &self.server_properties
    }

    /// Whether the handshake finished and the connection is usable.
    pub fn is_open(&self) -> bool {
        matches!(self.phase, Phase::Open)
    }

    /// Whether the connection is finished.
    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed { .. })
    }

    /// Why the connection ended (or is ending), once it has.
    pub fn close_error(&self) -> Option<&Error> {
        match &self.phase {
            Phase::Closing { error, .. } | Phase::Closed { error } => Some(error),
            _ => None,
        }
    }

    /// Whether the server has blocked publishing (`connection.blocked`).
    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    /// Bytes waiting to be written.
    pub fn pending_transmit(&self) -> usize {
        self.out.len() + self.queued_len
    }

    /// Whether `channel` is open (or, while the connection recovers,
    /// waiting to be reopened: commands on it are held until then).
    pub fn channel_is_open(&self, channel: u16) -> bool {
        self.channels
            .get(&channel)
            .is_some_and(|c| matches!(c.phase, ChannelPhase::Open | ChannelPhase::Recovering))
    }

    /// Whether the server lets `channel` publish (`channel.flow`); `true`
    /// for a channel that is not open (publishing then fails by itself).
    pub fn channel_flow_active(&self, channel: u16) -> bool {
        self.channels.get(&channel).is_none_or(|c| c.flow_active)
    }

    /// Whether `channel` is in confirm mode.
    pub fn channel_confirms(&self, channel: u16) -> bool {
        self.channels
            .get(&channel)
            .is_some_and(|c| c.confirms.is_some())
    }

    /// Publishes on `channel` that wait for the server's ack or nack.
    pub fn unconfirmed(&self, channel: u16) -> usize {
        self.channels
            .get(&channel)
            .and_then(|c| c.confirms.as_ref())
            .map_or(0, |c| c.unsettled())
    }

    /// Whether a consumer with this tag is registered on `channel`.
    pub fn has_consumer(&self, channel: u16, consumer_tag: &str) -> bool {
        self.channels
            .get(&channel)
            .is_some_and(|c| c.consumers.by_tag.contains_key(consumer_tag.as_bytes()))
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ----- output -----

    /// Takes the next bytes to write, if any; counts them as written `now`
    /// (for heartbeats). Call until `None`: a body published as `Bytes`
    /// comes as its own piece, not copied (write the pieces in order; a
    /// vectored write may take several at once).
    pub fn take_transmit(&mut self, now: Instant) -> Option<Bytes> {
        self.clock = self.clock.max(now);
        let next = match self.queued.pop_front() {
            Some(piece) => {
                self.queued_len -= piece.len();
                piece
            }
            None if self.out.is_empty() => return None,
            None => self.out.split().freeze(),
        };
        self.last_write = now;
        Some(next)
    }

    /// Drops the sealed pieces (the transport they were for is gone).
    pub(crate) fn clear_queued(&mut self) {
        self.queued.clear();
        self.queued_len = 0;
    }

    /// Queues `piece` to be written after everything before it, uncopied.
    pub(crate) fn queue_piece(&mut self, piece: Bytes) {
        if !self.out.is_empty() {
            let sealed = self.out.split().freeze();
            self.queued_len += sealed.len();
            self.queued.push_back(sealed);
        }
        self.queued_len += piece.len();
        self.queued.push_back(piece);
    }

    /// Whether events wait for [`poll_event`](Self::poll_event).
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front()?;
        if let Event::ChannelClosed { channel, .. } = &event {
            self.releasing.remove(channel);
        }
        Some(event)
    }

    // ----- flow control -----

    /// Bytes of deliveries handed out in [`Event::Delivery`] that the
    /// application has not taken yet (their [`buffer_cost`](super::Delivery::buffer_cost)).
    pub fn buffered_delivery_bytes(&self) -> usize {
        self.buffered
    }

    /// The front end gives back deliveries the application took (or that
    /// were dropped): the sum of their [`buffer_cost`](super::Delivery::buffer_cost).
    pub fn release_deliveries(&mut self, cost: usize) {
        self.buffered = self.buffered.saturating_sub(cost);
    }

    /// Whether the front end should read the socket now: not while the
    /// deliveries it holds exceed the delivery buffer, nor while more than
    /// [`READ_HIGH_WATER`](super::READ_HIGH_WATER) waits to be written
    /// (the replies a server's methods call for, on a server that does not
    /// read; publishers stop earlier, at
    /// [`WRITE_HIGH_WATER`](super::WRITE_HIGH_WATER)). A paused front end
    /// calls [`reading_paused`](Self::reading_paused).
    pub fn wants_input(&self) -> bool {
        self.buffered <= self.config.delivery_buffer_bytes
            && self.pending_transmit() < super::READ_HIGH_WATER
    }

    /// The front end is not reading the socket (its consumers are full, or
    /// [`wants_input`](Self::wants_input) said no): the silence that follows
    /// is ours, not the server's, so the missed-heartbeat deadline restarts from `now`.
    pub fn reading_paused(&mut self, now: Instant) {
        self.last_read = now;
    }

    // ----- internals -----

    pub(crate) fn next_id(&mut self) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        id
    }

    /// Reports a request's end (nothing for the core's own requests).
    pub(crate) fn complete(&mut self, id: Option<RequestId>, result: Result<Reply, Error>) {
        if let Some(id) = id {
            self.events.push_back(Event::Completed { id, result });
        }
    }

    /// The connection is open now.
    pub(crate) fn opened(&mut self) {
        self.phase = Phase::Open;
        tracing::debug!(tuning = ?self.tuning, "connection open");
        if self.recovery.attempt > 0 {
            return self.start_restore();
        }
        self.recovery.opened_once = true;
        self.events.push_back(Event::Connected);
    }
}
