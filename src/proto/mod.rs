//! The protocol core: the AMQP 0-9-1 connection and channel state machine,
//! without IO.
//!
//! It is fed the bytes the server sent and the current time, and yields the
//! bytes to send, events, and the completions of requests. It owns every
//! protocol rule: the handshake and its negotiation, the channel table,
//! reply matching, content assembly, heartbeats, and closing with the reply
//! code the spec names when the server breaks the protocol. It has no
//! sockets, no tasks, no locks and no clock of its own, so unit tests and
//! fuzz targets drive it directly.
//!
//! # Driving it
//!
//! Methods fall in four groups (after quinn-proto's `Connection`):
//!
//! * input: [`handle_input`](Connection::handle_input) (bytes read),
//!   [`handle_eof`](Connection::handle_eof), [`handle_io_error`](Connection::handle_io_error),
//!   [`handle_timeout`](Connection::handle_timeout);
//! * commands: [`open_channel`](Connection::open_channel),
//!   [`close_channel`](Connection::close_channel), [`request`](Connection::request),
//!   [`publish`](Connection::publish), [`close`](Connection::close);
//! * output: [`take_transmit`](Connection::take_transmit) (bytes to write),
//!   [`poll_event`](Connection::poll_event), [`poll_timeout`](Connection::poll_timeout);
//! * getters: [`tuning`](Connection::tuning), [`server_properties`](Connection::server_properties), ….
//!
//! After any input or command, write what `take_transmit` returns, drain
//! `poll_event`, and arm a timer for `poll_timeout`.

mod channel;
mod content;
pub mod fuzzing;
mod handshake;

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};

use crate::codec::method::*;
use crate::codec::spec_info::MethodInfo;
use crate::codec::{
    encode_content, encode_method, BasicProperties, DecodeError, DecodeErrorKind, FieldTable,
    Frame, FrameDecoder, Method, MethodArgs, ProtocolHeader, ReplyCode, ShortStr, FRAME_MIN_SIZE,
};
use crate::error::{CloseReason, Error, Initiator, TimeoutKind};
use crate::uri::ConnectionOptions;

use channel::{Channel, ChannelPhase, Rpc};
use content::{Content, Violation};
pub use handshake::Tuning;

/// Identifies a request whose reply arrives later as [`Event::Completed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// The reply to a request.
#[allow(clippy::large_enum_variant)] // a message inline, as deliveries are
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// The method that answered (e.g. `queue.declare-ok`, `basic.get-empty`).
    Method(Method),
    /// `basic.get-ok` with its message.
    Get(GetMessage),
}

/// A message delivered to a consumer (`basic.deliver` with its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Channel it arrived on.
    pub channel: u16,
    /// The consumer it is for.
    pub consumer_tag: ShortStr,
    /// Tag to acknowledge it with (on this channel).
    pub delivery_tag: u64,
    /// Whether it was delivered before and not acknowledged.
    pub redelivered: bool,
    /// Exchange it was published to.
    pub exchange: ShortStr,
    /// Routing key it was published with.
    pub routing_key: ShortStr,
    /// Its properties (boxed: they are large, and messages move through queues).
    pub properties: Box<BasicProperties>,
    /// Its body (a slice of the read buffer when it came in one frame).
    pub body: Bytes,
}

/// A message fetched with `basic.get`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetMessage {
    /// Tag to acknowledge it with.
    pub delivery_tag: u64,
    /// Whether it was delivered before and not acknowledged.
    pub redelivered: bool,
    /// Exchange it was published to.
    pub exchange: ShortStr,
    /// Routing key it was published with.
    pub routing_key: ShortStr,
    /// Messages left in the queue.
    pub message_count: u32,
    /// Its properties (boxed: they are large, and messages move through queues).
    pub properties: Box<BasicProperties>,
    /// Its body.
    pub body: Bytes,
}

/// A message the server could not route or deliver (`basic.return`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    /// Why (e.g. 312 NO_ROUTE).
    pub reply_code: ReplyCode,
    /// Reply text.
    pub reply_text: ShortStr,
    /// Exchange it was published to.
    pub exchange: ShortStr,
    /// Routing key it was published with.
    pub routing_key: ShortStr,
    /// Its properties (boxed: they are large, and messages move through queues).
    pub properties: Box<BasicProperties>,
    /// Its body.
    pub body: Bytes,
}

/// What the core reports.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// The handshake finished: the connection is open.
    Connected,
    /// A request finished.
    Completed {
        /// The request.
        id: RequestId,
        /// Its reply or why it failed.
        result: Result<Reply, Error>,
    },
    /// A message for a consumer.
    Delivery(Delivery),
    /// A message came back (`basic.return`).
    Returned {
        /// The channel it was published on.
        channel: u16,
        /// The message.
        message: Returned,
    },
    /// The server acknowledged (`ack: true`) or rejected published messages
    /// on a channel in confirm mode.
    Confirm {
        /// The channel.
        channel: u16,
        /// Sequence number of the publish (or the last one, with `multiple`).
        delivery_tag: u64,
        /// Covers every publish up to `delivery_tag`.
        multiple: bool,
        /// Ack or nack.
        ack: bool,
    },
    /// The server cancelled a consumer (queue deleted, …).
    ConsumerCancelled {
        /// The channel.
        channel: u16,
        /// The consumer.
        consumer_tag: ShortStr,
    },
    /// The server asked to pause (`false`) or resume (`true`) publishing on a channel.
    Flow {
        /// The channel.
        channel: u16,
        /// Whether publishing may go on.
        active: bool,
    },
    /// A channel closed: by the server (pending requests on it get the same
    /// error), or by our `close_channel` (after its completion). Its id may
    /// be reused from now on.
    ChannelClosed {
        /// The channel.
        channel: u16,
        /// Why.
        error: Error,
    },
    /// The server stopped reading from this connection (resource alarm).
    Blocked {
        /// The server's reason.
        reason: String,
    },
    /// The server reads again.
    Unblocked,
    /// The connection is finished; nothing more will happen. Emitted once.
    Closed(Error),
}

#[derive(Debug)]
enum Phase {
    /// Waiting for `connection.start` (or a protocol header: a refusal).
    AwaitStart,
    /// `start-ok` sent; waiting for `secure` or `tune`.
    AwaitTune,
    /// `tune-ok` and `open` sent.
    AwaitOpenOk,
    Open,
    /// We sent `connection.close`; only `close`/`close-ok` matter now.
    Closing {
        error: Error,
        request: Option<RequestId>,
    },
    Closed,
}

/// Settings of the core beyond what the URL carries.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where and how to connect.
    pub options: ConnectionOptions,
    /// Largest message body accepted from the server; a larger announcement
    /// fails the connection (506 RESOURCE_ERROR). Default 128 MiB, as RabbitMQ's own limit.
    pub max_message_size: u64,
    /// Shown in the broker's management UI.
    pub connection_name: Option<String>,
    /// How long to wait for `connection.close-ok`.
    pub close_timeout: Duration,
    /// Publishers wait while the server blocks the connection
    /// (`connection.blocked`) instead of writing into a connection the
    /// server does not read. Default `false`.
    pub wait_while_blocked: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            options: ConnectionOptions::default(),
            max_message_size: 128 * 1024 * 1024,
            connection_name: None,
            close_timeout: Duration::from_secs(10),
            wait_while_blocked: false,
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

/// The connection state machine. See the [module docs](self).
#[derive(Debug)]
pub struct Connection {
    config: Config,
    phase: Phase,
    decoder: FrameDecoder,
    /// Set until the first frame: the server may answer with a protocol header.
    expect_header_reply: bool,
    out: BytesMut,
    events: VecDeque<Event>,
    channels: BTreeMap<u16, Channel>,
    tuning: Tuning,
    server_properties: FieldTable,
    next_request: u64,
    /// Requests on channel 0 (connection.update-secret) in order.
    connection_rpcs: VecDeque<Rpc>,
    blocked: bool,
    handshake_deadline: Option<Instant>,
    close_deadline: Option<Instant>,
    last_read: Instant,
    last_write: Instant,
    /// The latest time the caller gave (deadlines armed by commands start here).
    clock: Instant,
}

/// The methods that answer a request. RabbitMQ's extended XML gives
/// `basic.recover` no reply, but the 0-9-1 errata (applied in the full XML)
/// make it synchronous, answered by `recover-ok`, and RabbitMQ answers it.
fn expected_responses(info: &MethodInfo) -> &'static [&'static str] {
    match (info.class_id, info.method_id) {
        (BasicRecover::CLASS_ID, BasicRecover::METHOD_ID) => &["recover-ok"],
        _ if info.synchronous => info.responses,
        _ => &[],
    }
}

fn reason_from(code: u16, text: &ShortStr, class_id: u16, method_id: u16) -> CloseReason {
    CloseReason {
        code: ReplyCode(code),
        text: text.to_string(),
        class_id,
        method_id,
    }
}

fn short(s: &str, what: &str) -> Result<ShortStr, Error> {
    ShortStr::copy_from_str(s).map_err(|e| Error::InvalidArgument(format!("{what}: {e}")))
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
        Connection {
            handshake_deadline: Some(now + config.options.connection_timeout),
            config,
            phase: Phase::AwaitStart,
            decoder: FrameDecoder::new(frame_max),
            expect_header_reply: true,
            out,
            events: VecDeque::new(),
            channels: BTreeMap::new(),
            tuning: Tuning {
                channel_max: 0,
                frame_max: FRAME_MIN_SIZE,
                heartbeat: 0,
            },
            server_properties: FieldTable::new(),
            next_request: 1,
            connection_rpcs: VecDeque::new(),
            blocked: false,
            close_deadline: None,
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
        matches!(self.phase, Phase::Closed)
    }

    /// Whether the server has blocked publishing (`connection.blocked`).
    pub fn is_blocked(&self) -> bool {
        self.blocked
    }

    /// Bytes waiting to be written.
    pub fn pending_transmit(&self) -> usize {
        self.out.len()
    }

    /// Whether `channel` is open.
    pub fn channel_is_open(&self, channel: u16) -> bool {
        self.channels
            .get(&channel)
            .is_some_and(|c| c.phase == ChannelPhase::Open)
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
            .is_some_and(|c| c.next_confirm_seq.is_some())
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    // ----- output -----

    /// Takes the bytes to write, if any; counts them as written `now` (for heartbeats).
    pub fn take_transmit(&mut self, now: Instant) -> Option<Bytes> {
        self.clock = self.clock.max(now);
        if self.out.is_empty() {
            return None;
        }
        self.last_write = now;
        Some(self.out.split().freeze())
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut at = |t: Instant| next = Some(next.map_or(t, |n| n.min(t)));
        match self.phase {
            Phase::Closed => return None,
            Phase::Closing { .. } => {
                if let Some(t) = self.close_deadline {
                    at(t);
                }
            }
            _ => {
                if let Some(t) = self.handshake_deadline {
                    at(t);
                }
                if let Some((send, dead)) = self.heartbeat_deadlines() {
                    at(send);
                    at(dead);
                }
                for ch in self.channels.values() {
                    if let Some(t) = ch.close_deadline {
                        at(t);
                    }
                }
            }
        }
        next
    }

    fn heartbeat_deadlines(&self) -> Option<(Instant, Instant)> {
        if !matches!(self.phase, Phase::Open) || self.tuning.heartbeat == 0 {
            return None;
        }
        let interval = Duration::from_secs(u64::from(self.tuning.heartbeat));
        Some((
            self.last_write + interval / 2,
            self.last_read + interval * 2,
        ))
    }

    // ----- input -----

    /// Processes the bytes read so far: every complete frame is consumed
    /// from `buf`; a partial frame stays there for the next call.
    pub fn handle_input(&mut self, buf: &mut BytesMut, now: Instant) {
        self.clock = self.clock.max(now);
        if matches!(self.phase, Phase::Closed) {
            buf.clear();
            return;
        }
        if !buf.is_empty() {
            self.last_read = now;
        }
        if self.expect_header_reply && ProtocolHeader::starts(buf) {
            match ProtocolHeader::decode(buf) {
                Ok(Some(offered)) => {
                    self.finish(Error::UnsupportedProtocol { offered });
                }
                Ok(None) => {}
                Err(e) => {
                    buf.clear();
                    self.violation(ReplyCode::FRAME_ERROR, e.to_string(), 0, 0);
                }
            }
            return;
        }
        loop {
            if matches!(self.phase, Phase::Closed) {
                buf.clear();
                return;
            }
            match self.decoder.decode_frame(buf) {
                Ok(Some(frame)) => {
                    self.expect_header_reply = false;
                    self.handle_frame(frame);
                }
                Ok(None) => return,
                Err(e) => {
                    self.decode_error(e);
                    buf.clear();
                    return;
                }
            }
        }
    }

    /// The server closed the socket (read returned 0).
    pub fn handle_eof(&mut self) {
        let during = self.handshake_step();
        let err = Error::io(
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                match self.phase {
                    Phase::AwaitTune => {
                        "the server closed the socket after connection.start-ok (refused credentials?)"
                    }
                    _ => "the server closed the socket",
                },
            ),
            during,
        );
        self.socket_gone(err, true);
    }

    /// Reading or writing failed.
    pub fn handle_io_error(&mut self, e: std::io::Error) {
        let during = self.handshake_step();
        self.socket_gone(Error::io(e, during), false);
    }

    fn socket_gone(&mut self, err: Error, eof: bool) {
        match self.phase {
            Phase::Closed => {}
            // The server closes the socket after close-ok: our close is done.
            Phase::Closing { .. } if eof => self.close_ok_arrived(),
            // Writing our close (or reading its answer) failed.
            Phase::Closing { .. } => self.close_failed(err),
            _ => self.finish(err),
        }
    }

    fn handshake_step(&self) -> Option<&'static str> {
        match self.phase {
            Phase::AwaitStart => Some("the handshake (waiting for connection.start)"),
            Phase::AwaitTune => Some("the handshake (waiting for connection.tune)"),
            Phase::AwaitOpenOk => Some("the handshake (waiting for connection.open-ok)"),
            _ => None,
        }
    }

    /// Checks deadlines: handshake, heartbeats (sends one, or fails the
    /// connection after two silent intervals), close.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.clock = self.clock.max(now);
        self.channel_close_timeouts(now);
        match self.phase {
            Phase::Closed => {}
            Phase::Closing { .. } => {
                if self.close_deadline.is_some_and(|t| now >= t) {
                    self.finish_closing();
                }
            }
            _ => {
                if self.handshake_deadline.is_some_and(|t| now >= t) {
                    self.finish(Error::Timeout(TimeoutKind::Connect));
                    return;
                }
                if let Some((send, dead)) = self.heartbeat_deadlines() {
                    if now >= dead {
                        self.finish(Error::Timeout(TimeoutKind::Heartbeat));
                        return;
                    }
                    if now >= send {
                        if self.out.is_empty() {
                            Frame::Heartbeat { channel: 0 }.encode(&mut self.out);
                        } else {
                            // Bytes already wait for the writer (stalled by a
                            // server that does not read): no heartbeat needed,
                            // and the next deadline must not stay in the past.
                            self.last_write = now;
                        }
                    }
                }
            }
        }
    }

    // ----- commands -----

    fn check_open(&self) -> Result<(), Error> {
        match &self.phase {
            Phase::Open => Ok(()),
            Phase::Closing { error, .. } => Err(error.clone()),
            Phase::Closed => Err(Error::InvalidArgument("the connection is closed".into())),
            _ => Err(Error::InvalidArgument(
                "the connection is not open yet".into(),
            )),
        }
    }

    fn next_id(&mut self) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        id
    }

    fn open_channel_on(&mut self, channel: u16) -> Result<RequestId, Error> {
        let id = self.next_id();
        let mut ch = Channel::new();
        ch.rpcs.push_back(Rpc::for_method::<ChannelOpen>(id));
        self.channels.insert(channel, ch);
        encode_method(&mut self.out, channel, &ChannelOpen::default());
        Ok(id)
    }

    /// Opens the lowest free channel. Its `channel.open-ok` completes the request.
    pub fn open_channel(&mut self) -> Result<(u16, RequestId), Error> {
        self.check_open()?;
        let max = self.tuning.channel_max;
        let mut candidate = 1u16;
        for &used in self.channels.keys() {
            if used != candidate {
                break;
            }
            candidate = candidate.saturating_add(1);
        }
        if candidate == 0 || candidate > max || self.channels.contains_key(&candidate) {
            return Err(Error::ChannelLimit { channel_max: max });
        }
        let id = self.open_channel_on(candidate)?;
        Ok((candidate, id))
    }

    /// Closes a channel with a reply code and text (200 for a normal close).
    /// Requests still waiting on it fail at once; `channel.close-ok` completes this one.
    /// If no `close-ok` comes within the close timeout, this request fails
    /// with [`TimeoutKind::Close`] (the channel id stays in use).
    pub fn close_channel(
        &mut self,
        channel: u16,
        code: ReplyCode,
        text: &str,
        now: Instant,
    ) -> Result<RequestId, Error> {
        self.check_open()?;
        self.clock = self.clock.max(now);
        let text = short(text, "reply text")?;
        let id = self.next_id();
        let deadline = now + self.config.close_timeout;
        let ch = self.channel_mut_open(channel)?;
        ch.phase = ChannelPhase::Closing;
        ch.close_deadline = Some(deadline);
        ch.close_reason = Some(CloseReason::new(code, text.to_string()));
        let pending: Vec<Rpc> = ch.rpcs.drain(..).collect();
        ch.assembly = Default::default();
        ch.rpcs.push_back(Rpc::for_method::<ChannelClose>(id));
        let reason = CloseReason::new(code, text.to_string());
        let err = Error::ChannelClosed {
            channel,
            reason,
            by: Initiator::Application,
        };
        for rpc in pending {
            self.complete(rpc.id, Err(err.clone()));
        }
        encode_method(
            &mut self.out,
            channel,
            &ChannelClose {
                reply_code: code.0,
                reply_text: text,
                class_id: 0,
                method_id: 0,
            },
        );
        Ok(id)
    }

    fn channel_mut_open(&mut self, channel: u16) -> Result<&mut Channel, Error> {
        match self.channels.get_mut(&channel) {
            Some(ch) if ch.phase == ChannelPhase::Open => Ok(ch),
            _ => Err(Error::InvalidArgument(format!(
                "channel {channel} is not open"
            ))),
        }
    }

    /// Sends a method on an open channel. Returns the request to wait for
    /// when the method expects a reply (a synchronous method without
    /// `no-wait`), `None` otherwise (acks, `no-wait` variants, …).
    ///
    /// `channel.open`/`close` and connection methods have their own
    /// commands; `basic.consume` needs a non-empty consumer tag (so that
    /// deliveries can be routed before any reply).
    pub fn request(&mut self, channel: u16, method: Method) -> Result<Option<RequestId>, Error> {
        self.check_open()?;
        let info = method.info().ok_or_else(|| {
            Error::InvalidArgument(format!("{} is not a spec method", method.name()))
        })?;
        if matches!(info.class_id, 10 | 20) {
            return Err(Error::InvalidArgument(format!(
                "{} has its own command",
                info.full_name
            )));
        }
        if info.content {
            return Err(Error::InvalidArgument(format!(
                "{} carries content: use publish",
                info.full_name
            )));
        }
        let responses = expected_responses(info);
        // Only requests that have a reply can have no-wait: acks and the
        // like skip the (allocating) look at the arguments.
        let wants_reply = !responses.is_empty()
            && !method.fields().iter().any(|(name, v)| {
                // `no-wait` everywhere but confirm.select, which spells it `nowait`.
                matches!(*name, "no-wait" | "nowait") && *v == crate::codec::ArgValue::Bit(true)
            });
        let id = if wants_reply {
            Some(self.next_id())
        } else {
            None
        };
        let ch = self.channel_mut_open(channel)?;
        match &method {
            Method::BasicConsume(c) => {
                if c.consumer_tag.is_empty() {
                    return Err(Error::InvalidArgument(
                        "basic.consume needs a consumer tag".into(),
                    ));
                }
                if !ch.consumers.insert(c.consumer_tag.clone()) {
                    return Err(Error::InvalidArgument(format!(
                        "consumer tag {} is already in use on channel {channel}",
                        c.consumer_tag
                    )));
                }
            }
            Method::BasicCancel(c) if c.no_wait => {
                ch.consumers.remove(&c.consumer_tag);
            }
            // Publishes are counted from the first one after confirm.select,
            // which the server handles in order: count from here.
            Method::ConfirmSelect(_) if ch.next_confirm_seq.is_none() => {
                ch.next_confirm_seq = Some(1);
            }
            _ => {}
        }
        if let Some(id) = id {
            ch.rpcs.push_back(Rpc {
                id,
                class_id: info.class_id,
                responses,
            });
        }
        let len = method.encoded_len();
        self.out.reserve(len + 8);
        Frame::Method { channel, method }.encode(&mut self.out);
        Ok(id)
    }

    /// Publishes a message: `basic.publish`, a content header and body
    /// frames of at most the negotiated frame_max. On a channel in confirm
    /// mode, returns the publish's sequence number: the `delivery_tag` of
    /// the [`Event::Confirm`] that will settle it.
    pub fn publish(
        &mut self,
        channel: u16,
        method: &BasicPublish,
        properties: &BasicProperties,
        body: &[u8],
    ) -> Result<Option<u64>, Error> {
        self.check_open()?;
        let seq = self.channel_mut_open(channel)?.next_publish_seq();
        encode_method(&mut self.out, channel, method);
        encode_content(
            &mut self.out,
            channel,
            properties,
            body,
            self.tuning.frame_max,
        );
        Ok(seq)
    }

    /// Publishes as [`publish`](Self::publish) does, naming the exchange and
    /// routing key as `&str`. The channel remembers the last pair it was
    /// given, so publishing again to the same place allocates nothing.
    #[allow(clippy::too_many_arguments)] // the arguments of basic.publish, plus content
    pub fn publish_str(
        &mut self,
        channel: u16,
        exchange: &str,
        routing_key: &str,
        mandatory: bool,
        immediate: bool,
        properties: &BasicProperties,
        body: &[u8],
    ) -> Result<Option<u64>, Error> {
        self.check_open()?;
        let frame_max = self.tuning.frame_max;
        let ch = self.channel_mut_open(channel)?;
        let seq = ch.next_publish_seq();
        let cache = &mut ch.publish_names;
        if cache.0 != exchange {
            cache.0 = short(exchange, "exchange name")?;
        }
        if cache.1 != routing_key {
            cache.1 = short(routing_key, "routing key")?;
        }
        let method = BasicPublish {
            reserved_1: 0,
            exchange: cache.0.clone(),
            routing_key: cache.1.clone(),
            mandatory,
            immediate,
        };
        encode_method(&mut self.out, channel, &method);
        encode_content(&mut self.out, channel, properties, body, frame_max);
        Ok(seq)
    }

    /// The driver stopped reading the socket (its consumers are full): the
    /// silence that follows is ours, not the server's, so the missed-heartbeat
    /// deadline restarts from `now`.
    pub fn reading_paused(&mut self, now: Instant) {
        self.last_read = now;
    }

    /// Sends `connection.update-secret` (new credentials, e.g. an OAuth 2 token).
    pub fn update_secret(&mut self, secret: &[u8], reason: &str) -> Result<RequestId, Error> {
        self.check_open()?;
        let reason = short(reason, "reason")?;
        let id = self.next_id();
        self.connection_rpcs
            .push_back(Rpc::for_method::<ConnectionUpdateSecret>(id));
        encode_method(
            &mut self.out,
            0,
            &ConnectionUpdateSecret {
                new_secret: Bytes::copy_from_slice(secret).into(),
                reason,
            },
        );
        Ok(id)
    }

    /// Closes the connection (200 for a normal close). Every pending
    /// request fails at once; `connection.close-ok` completes this one (or
    /// the close timeout, counted from `now`, fails it).
    pub fn close(&mut self, code: ReplyCode, text: &str, now: Instant) -> Result<RequestId, Error> {
        self.check_open()?;
        self.clock = self.clock.max(now);
        let text = short(text, "reply text")?;
        let id = self.next_id();
        let reason = CloseReason::new(code, text.to_string());
        encode_method(
            &mut self.out,
            0,
            &ConnectionClose {
                reply_code: code.0,
                reply_text: text,
                class_id: 0,
                method_id: 0,
            },
        );
        self.start_closing(
            Error::ConnectionClosed {
                reason,
                by: Initiator::Application,
            },
            Some(id),
        );
        Ok(id)
    }

    // ----- internals -----

    fn complete(&mut self, id: RequestId, result: Result<Reply, Error>) {
        self.events.push_back(Event::Completed { id, result });
    }

    /// Fails every pending request and channel with `err`.
    fn fail_all(&mut self, err: &Error) {
        for rpc in std::mem::take(&mut self.connection_rpcs) {
            self.complete(rpc.id, Err(err.clone()));
        }
        let channels = std::mem::take(&mut self.channels);
        for (_, ch) in channels {
            for rpc in ch.rpcs {
                self.complete(rpc.id, Err(err.clone()));
            }
        }
    }

    /// Ends the connection at once (no close handshake possible or needed).
    fn finish(&mut self, err: Error) {
        if matches!(self.phase, Phase::Closed) {
            return;
        }
        self.fail_all(&err);
        self.phase = Phase::Closed;
        self.events.push_back(Event::Closed(err));
    }

    fn start_closing(&mut self, err: Error, request: Option<RequestId>) {
        self.fail_all(&err);
        self.phase = Phase::Closing {
            error: err,
            request,
        };
        self.close_deadline = Some(self.clock + self.config.close_timeout);
    }

    /// Our `connection.close` is answered (or the socket is gone after it).
    fn close_ok_arrived(&mut self) {
        if let Phase::Closing { request, .. } = &mut self.phase {
            if let Some(id) = request.take() {
                self.complete(id, Ok(Reply::Method(ConnectionCloseOk {}.into())));
            }
        }
        self.finish_closing();
    }

    /// The socket failed while we were closing: the close request fails with that.
    fn close_failed(&mut self, err: Error) {
        if let Phase::Closing { request, .. } = &mut self.phase {
            if let Some(id) = request.take() {
                self.complete(id, Err(err));
            }
        }
        self.finish_closing();
    }

    /// Channel closes whose close-ok did not come in time fail their request.
    fn channel_close_timeouts(&mut self, now: Instant) {
        let mut expired = Vec::new();
        for ch in self.channels.values_mut() {
            if ch.close_deadline.is_some_and(|t| now >= t) {
                ch.close_deadline = None;
                expired.extend(ch.rpcs.drain(..).map(|rpc| rpc.id));
            }
        }
        for id in expired {
            self.complete(id, Err(Error::Timeout(TimeoutKind::Close)));
        }
    }

    fn finish_closing(&mut self) {
        if let Phase::Closing { error, request } = std::mem::replace(&mut self.phase, Phase::Closed)
        {
            if let Some(id) = request {
                // The close-ok never came: the close request fails with a timeout.
                self.complete(id, Err(Error::Timeout(TimeoutKind::Close)));
            }
            self.events.push_back(Event::Closed(error));
        }
    }

    /// The server broke the protocol: close the connection with `code`.
    fn violation(&mut self, code: ReplyCode, text: String, class_id: u16, method_id: u16) {
        if matches!(self.phase, Phase::Closed | Phase::Closing { .. }) {
            return;
        }
        tracing::warn!(code = code.0, %text, "server broke the protocol; closing the connection");
        let reason = CloseReason {
            code,
            text: text.clone(),
            class_id,
            method_id,
        };
        let reply_text = ShortStr::new(Bytes::from(text.into_bytes()))
            .unwrap_or_else(|_| ShortStr::from_static("protocol violation"));
        encode_method(
            &mut self.out,
            0,
            &ConnectionClose {
                reply_code: code.0,
                reply_text,
                class_id,
                method_id,
            },
        );
        self.start_closing(
            Error::ConnectionClosed {
                reason,
                by: Initiator::Library,
            },
            None,
        );
    }

    fn decode_error(&mut self, e: DecodeError) {
        let (class_id, method_id) = e.context.class_method.unwrap_or((0, 0));
        let code = match e.kind {
            DecodeErrorKind::UnknownFieldType { .. } | DecodeErrorKind::BadPropertyFlags { .. } => {
                ReplyCode::SYNTAX_ERROR
            }
            _ => ReplyCode::FRAME_ERROR,
        };
        self.violation(code, e.to_string(), class_id, method_id);
    }

    fn handle_frame(&mut self, frame: Frame) {
        tracing::trace!(channel = frame.channel(), frame_type = %frame.frame_type(), "frame in");
        match frame {
            Frame::Heartbeat { channel: 0 } => {}
            Frame::Heartbeat { channel } => self.violation(
                ReplyCode::FRAME_ERROR,
                format!("heartbeat frame on channel {channel}"),
                0,
                0,
            ),
            Frame::Unknown(raw) => self.violation(
                ReplyCode::FRAME_ERROR,
                format!("frame of unknown type {}", raw.frame_type.0),
                0,
                0,
            ),
            Frame::Method { channel: 0, method } => self.connection_method(method),
            Frame::Header { channel: 0, .. } | Frame::Body { channel: 0, .. } => self.violation(
                ReplyCode::UNEXPECTED_FRAME,
                "content frame on channel 0".into(),
                0,
                0,
            ),
            frame => {
                if !matches!(self.phase, Phase::Open | Phase::Closing { .. }) {
                    return self.violation(
                        ReplyCode::CHANNEL_ERROR,
                        format!(
                            "frame on channel {} before the connection is open",
                            frame.channel()
                        ),
                        0,
                        0,
                    );
                }
                if matches!(self.phase, Phase::Closing { .. }) {
                    return; // discarded until close-ok
                }
                self.channel_frame(frame);
            }
        }
    }

    fn connection_method(&mut self, method: Method) {
        // A close from the server is answered in every phase.
        if let Method::ConnectionClose(c) = &method {
            encode_method(&mut self.out, 0, &ConnectionCloseOk {});
            let reason = reason_from(c.reply_code, &c.reply_text, c.class_id, c.method_id);
            match &mut self.phase {
                // Both sides closed at once. Our application's close ends
                // with the server's reason (a 320 shutdown says more than
                // our 200); a close of ours for a violation keeps its reason.
                Phase::Closing { error, request } => {
                    if matches!(
                        error,
                        Error::ConnectionClosed {
                            by: Initiator::Application,
                            ..
                        }
                    ) {
                        *error = Error::ConnectionClosed {
                            reason,
                            by: Initiator::Server,
                        };
                        let error = error.clone();
                        if let Some(id) = request.take() {
                            self.complete(id, Err(error));
                        }
                    }
                    self.close_ok_arrived();
                }
                Phase::Closed => {}
                _ => self.finish(Error::ConnectionClosed {
                    reason,
                    by: Initiator::Server,
                }),
            }
            return;
        }
        match (&self.phase, method) {
            (Phase::Closing { .. }, Method::ConnectionCloseOk(_)) => self.close_ok_arrived(),
            (Phase::Closing { .. }, _) => {}
            (Phase::AwaitStart, Method::ConnectionStart(start)) => self.on_start(start),
            (Phase::AwaitTune, Method::ConnectionSecure(_)) => {
                let response = handshake::sasl_response(&self.config.options);
                encode_method(&mut self.out, 0, &ConnectionSecureOk { response });
            }
            (Phase::AwaitTune, Method::ConnectionTune(t)) => self.on_tune(t),
            (Phase::AwaitOpenOk, Method::ConnectionOpenOk(_)) => {
                self.phase = Phase::Open;
                self.handshake_deadline = None;
                tracing::debug!(tuning = ?self.tuning, "connection open");
                self.events.push_back(Event::Connected);
            }
            (Phase::Open, Method::ConnectionBlocked(b)) => {
                self.blocked = true;
                self.events.push_back(Event::Blocked {
                    reason: b.reason.to_string(),
                });
            }
            (Phase::Open, Method::ConnectionUnblocked(_)) => {
                self.blocked = false;
                self.events.push_back(Event::Unblocked);
            }
            (Phase::Open, Method::ConnectionUpdateSecretOk(ok))
                if !self.connection_rpcs.is_empty() =>
            {
                if let Some(rpc) = self.connection_rpcs.pop_front() {
                    self.complete(rpc.id, Ok(Reply::Method(ok.into())));
                }
            }
            (_, m) => {
                let (class_id, method_id) = (m.class_id(), m.method_id());
                let code = if matches!(self.phase, Phase::Open) || class_id == 10 {
                    ReplyCode::COMMAND_INVALID
                } else {
                    ReplyCode::CHANNEL_ERROR
                };
                self.violation(
                    code,
                    format!("unexpected {} on channel 0", m.name()),
                    class_id,
                    method_id,
                );
            }
        }
    }

    fn on_start(&mut self, start: ConnectionStart) {
        if (start.version_major, start.version_minor) != (0, 9) {
            return self.finish(Error::UnsupportedProtocol {
                offered: ProtocolHeader {
                    protocol_id: 0,
                    major: start.version_major,
                    minor: start.version_minor,
                    revision: 0,
                },
            });
        }
        let wanted = self.config.options.auth_mechanism.name();
        let offered = start.mechanisms.to_string();
        if !offered.split(' ').any(|m| m == wanted) {
            // Nothing we can say to the server: it waits for start-ok. Drop the connection.
            return self.finish(Error::AuthMechanism { wanted, offered });
        }
        let locale = &self.config.options.locale;
        let locales = start.locales.to_string();
        let locale = if locales.split(' ').any(|l| l == locale) {
            locale.clone()
        } else {
            locales.split(' ').next().unwrap_or("en_US").to_string()
        };
        self.server_properties = start.server_properties;
        let start_ok = ConnectionStartOk {
            client_properties: handshake::client_properties(self.config.connection_name.as_deref()),
            mechanism: ShortStr::from_static(wanted),
            response: handshake::sasl_response(&self.config.options),
            locale: ShortStr::copy_from_str(&locale).unwrap_or_default(),
        };
        encode_method(&mut self.out, 0, &start_ok);
        self.phase = Phase::AwaitTune;
    }

    fn on_tune(&mut self, t: ConnectionTune) {
        if t.frame_max != 0 && t.frame_max < FRAME_MIN_SIZE {
            return self.violation(
                ReplyCode::SYNTAX_ERROR,
                format!(
                    "frame_max {} is below the minimum of {FRAME_MIN_SIZE}",
                    t.frame_max
                ),
                ConnectionTune::CLASS_ID,
                ConnectionTune::METHOD_ID,
            );
        }
        let tuning = handshake::tune(
            &self.config.options,
            t.channel_max,
            t.frame_max,
            t.heartbeat,
        );
        self.tuning = tuning;
        self.decoder.set_max_frame_size(tuning.frame_max);
        encode_method(
            &mut self.out,
            0,
            &ConnectionTuneOk {
                channel_max: tuning.channel_max,
                frame_max: tuning.frame_max,
                heartbeat: tuning.heartbeat,
            },
        );
        let vhost = match ShortStr::copy_from_str(&self.config.options.vhost) {
            Ok(v) => v,
            Err(e) => {
                return self.finish(Error::InvalidArgument(format!("virtual host: {e}")));
            }
        };
        encode_method(
            &mut self.out,
            0,
            &ConnectionOpen {
                virtual_host: vhost,
                ..Default::default()
            },
        );
        self.phase = Phase::AwaitOpenOk;
    }

    fn channel_frame(&mut self, frame: Frame) {
        let channel = frame.channel();
        let Some(ch) = self.channels.get_mut(&channel) else {
            return self.violation(
                ReplyCode::CHANNEL_ERROR,
                format!(
                    "{} frame on channel {channel}, which is not open",
                    frame.frame_type()
                ),
                0,
                0,
            );
        };
        let max = self.config.max_message_size;
        let result = match frame {
            Frame::Method { method, .. } => {
                if ch.phase == ChannelPhase::Closing {
                    // After our channel.close only close and close-ok count.
                    if !matches!(method, Method::ChannelClose(_) | Method::ChannelCloseOk(_)) {
                        return;
                    }
                }
                if ch.assembly.in_progress() {
                    let (c, m) = (method.class_id(), method.method_id());
                    return self.violation(
                        ReplyCode::UNEXPECTED_FRAME,
                        format!(
                            "{} on channel {channel} in the middle of content",
                            method.name()
                        ),
                        c,
                        m,
                    );
                }
                return self.channel_method(channel, method);
            }
            Frame::Header { header, .. } => {
                if ch.phase == ChannelPhase::Closing {
                    return;
                }
                ch.assembly.header(header, max)
            }
            Frame::Body { payload, .. } => {
                if ch.phase == ChannelPhase::Closing {
                    return;
                }
                ch.assembly.body(payload)
            }
            _ => Ok(None),
        };
        match result {
            Ok(Some(content)) => self.content_done(channel, content),
            Ok(None) => {}
            Err(Violation { code, text }) => {
                self.violation(code, format!("channel {channel}: {text}"), 0, 0)
            }
        }
    }

    fn channel_method(&mut self, channel: u16, method: Method) {
        let Some(ch) = self.channels.get_mut(&channel) else {
            return;
        };
        // Server-initiated close: answer, fail what waits, forget the channel.
        if let Method::ChannelClose(c) = &method {
            encode_method(&mut self.out, channel, &ChannelCloseOk {});
            let reason = reason_from(c.reply_code, &c.reply_text, c.class_id, c.method_id);
            if ch.phase == ChannelPhase::Closing {
                // Both sides closed at once. The server still answers our
                // close with close-ok: the channel ends then, with the
                // server's reason (it closed first, and says why).
                ch.server_close = Some(reason);
                return;
            }
            let Some(ch) = self.channels.remove(&channel) else {
                return;
            };
            let err = Error::ChannelClosed {
                channel,
                reason,
                by: Initiator::Server,
            };
            for rpc in ch.rpcs {
                self.complete(rpc.id, Err(err.clone()));
            }
            self.events.push_back(Event::ChannelClosed {
                channel,
                error: err,
            });
            return;
        }
        // A close-ok after our close timed out: the channel ends now.
        if ch.phase == ChannelPhase::Closing
            && ch.rpcs.is_empty()
            && matches!(method, Method::ChannelCloseOk(_))
        {
            let reason = ch.close_reason.take();
            self.channels.remove(&channel);
            return self.channel_closed_by_us(channel, reason);
        }
        // A reply to the oldest request?
        if let Some(rpc) = ch.rpcs.front() {
            if rpc.answered_by(&method) {
                let needs_content = matches!(method, Method::BasicGetOk(_));
                if needs_content {
                    ch.assembly.start(method);
                    return;
                }
                let Some(rpc) = ch.rpcs.pop_front() else {
                    return;
                };
                match &method {
                    Method::ChannelOpenOk(_) => ch.phase = ChannelPhase::Open,
                    Method::ChannelCloseOk(_) => {
                        let ours = ch.close_reason.take();
                        let theirs = ch.server_close.take();
                        self.channels.remove(&channel);
                        return match theirs {
                            // The server had closed the channel (a 404 for
                            // an earlier publish, say): that is what the
                            // application must hear, also from its close.
                            Some(reason) => {
                                let err = Error::ChannelClosed {
                                    channel,
                                    reason,
                                    by: Initiator::Server,
                                };
                                self.complete(rpc.id, Err(err.clone()));
                                self.events.push_back(Event::ChannelClosed {
                                    channel,
                                    error: err,
                                });
                            }
                            None => {
                                self.complete(rpc.id, Ok(Reply::Method(method)));
                                self.channel_closed_by_us(channel, ours);
                            }
                        };
                    }
                    Method::BasicCancelOk(ok) => {
                        ch.consumers.remove(&ok.consumer_tag);
                    }
                    _ => {}
                }
                return self.complete(rpc.id, Ok(Reply::Method(method)));
            }
        }
        match method {
            Method::BasicDeliver(_) | Method::BasicReturn(_) if ch.phase == ChannelPhase::Open => {
                ch.assembly.start(method)
            }
            Method::BasicAck(_) | Method::BasicNack(_) if ch.next_confirm_seq.is_none() => {
                let (class_id, method_id) = (method.class_id(), method.method_id());
                self.violation(
                    ReplyCode::COMMAND_INVALID,
                    format!(
                        "{} on channel {channel}, which is not in confirm mode",
                        method.name()
                    ),
                    class_id,
                    method_id,
                );
            }
            Method::BasicAck(a) => self.events.push_back(Event::Confirm {
                channel,
                delivery_tag: a.delivery_tag,
                multiple: a.multiple,
                ack: true,
            }),
            Method::BasicNack(n) => self.events.push_back(Event::Confirm {
                channel,
                delivery_tag: n.delivery_tag,
                multiple: n.multiple,
                ack: false,
            }),
            Method::BasicCancel(c) => {
                ch.consumers.remove(&c.consumer_tag);
                if !c.no_wait {
                    encode_method(
                        &mut self.out,
                        channel,
                        &BasicCancelOk {
                            consumer_tag: c.consumer_tag.clone(),
                        },
                    );
                }
                self.events.push_back(Event::ConsumerCancelled {
                    channel,
                    consumer_tag: c.consumer_tag,
                });
            }
            Method::ChannelFlow(f) => {
                ch.flow_active = f.active;
                encode_method(&mut self.out, channel, &ChannelFlowOk { active: f.active });
                self.events.push_back(Event::Flow {
                    channel,
                    active: f.active,
                });
            }
            m => {
                let (class_id, method_id) = (m.class_id(), m.method_id());
                self.violation(
                    ReplyCode::COMMAND_INVALID,
                    format!("unexpected {} on channel {channel}", m.name()),
                    class_id,
                    method_id,
                );
            }
        }
    }

    /// Our `channel.close` is done: report it like any other channel end.
    fn channel_closed_by_us(&mut self, channel: u16, reason: Option<CloseReason>) {
        let reason = reason.unwrap_or_else(|| CloseReason::new(ReplyCode::REPLY_SUCCESS, ""));
        self.events.push_back(Event::ChannelClosed {
            channel,
            error: Error::ChannelClosed {
                channel,
                reason,
                by: Initiator::Application,
            },
        });
    }

    fn content_done(&mut self, channel: u16, content: Content) {
        let Content {
            method,
            properties,
            body,
        } = content;
        match method {
            Method::BasicDeliver(d) => self.events.push_back(Event::Delivery(Delivery {
                channel,
                consumer_tag: d.consumer_tag,
                delivery_tag: d.delivery_tag,
                redelivered: d.redelivered,
                exchange: d.exchange,
                routing_key: d.routing_key,
                properties,
                body,
            })),
            Method::BasicReturn(r) => self.events.push_back(Event::Returned {
                channel,
                message: Returned {
                    reply_code: ReplyCode(r.reply_code),
                    reply_text: r.reply_text,
                    exchange: r.exchange,
                    routing_key: r.routing_key,
                    properties,
                    body,
                },
            }),
            Method::BasicGetOk(g) => {
                let rpc = self
                    .channels
                    .get_mut(&channel)
                    .and_then(|ch| ch.rpcs.pop_front());
                if let Some(rpc) = rpc {
                    self.complete(
                        rpc.id,
                        Ok(Reply::Get(GetMessage {
                            delivery_tag: g.delivery_tag,
                            redelivered: g.redelivered,
                            exchange: g.exchange,
                            routing_key: g.routing_key,
                            message_count: g.message_count,
                            properties,
                            body,
                        })),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
