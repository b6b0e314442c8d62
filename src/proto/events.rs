//! What the core reports: the replies to requests, messages, settlements of
//! publishes, and the ends of consumers, channels and the connection.

use std::ops::RangeInclusive;

use bytes::Bytes;

use crate::codec::{Method, Properties, ReplyCode, ShortStr};
use crate::error::Error;

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
    /// Its properties (boxed when any is set; nothing allocated when none is).
    pub properties: Properties,
    /// Its body (a slice of the read buffer when it came in one frame).
    pub body: Bytes,
}

impl Delivery {
    /// What the delivery counts against the connection's delivery buffer
    /// ([`Config::delivery_buffer_bytes`](super::Config::delivery_buffer_bytes)):
    /// its body, the memory its decoded headers take (which can be many
    /// times their wire size), and a fixed share for the rest. A front end hands this back
    /// to [`Connection::release_deliveries`](super::Connection::release_deliveries)
    /// once the application has taken the delivery (or it was dropped).
    pub fn buffer_cost(&self) -> usize {
        self.body.len() + DELIVERY_OVERHEAD + super::content::headers_heap_size(&self.properties)
    }
}

/// The share of a delivery's memory besides its body: the `Delivery` and
/// its boxed properties, roughly.
const DELIVERY_OVERHEAD: usize = 512;

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
    /// Its properties (boxed when any is set; nothing allocated when none is).
    pub properties: Properties,
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
    /// Its properties (boxed when any is set; nothing allocated when none is).
    pub properties: Properties,
    /// Its body.
    pub body: Bytes,
}

/// Why a consumer ended.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ConsumerEnd {
    /// The application cancelled it (`basic.cancel`).
    Cancelled,
    /// The server cancelled it (`basic.cancel` from the server: the queue was
    /// deleted, or a cluster node went away).
    CancelledByServer,
    /// Its channel or connection closed; the error says why.
    Closed(Error),
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
    /// A message for a consumer that is registered on its channel.
    Delivery(Delivery),
    /// A message came back (`basic.return`). On a channel in confirm mode
    /// the core holds a return until the next `basic.ack`/`nack`: the
    /// server sends a publish's return just before its ack, so the return
    /// is reported with that ack's sequence number, just before the
    /// [`Confirmed`](Event::Confirmed) that acknowledges it: a return with
    /// a sequence number settles that publish as returned (its confirm is
    /// the return, whatever the ack says; the `Confirmed` covers it again,
    /// and a front end finds nothing left to settle). Returns that cannot
    /// be matched so (several before one ack, or the channel ended) come
    /// with `sequence: None`.
    Returned {
        /// The channel it was published on.
        channel: u16,
        /// The publish it answers, when known (confirm mode).
        sequence: Option<u64>,
        /// The message.
        message: Returned,
    },
    /// The server settled publishes on a channel in confirm mode: every
    /// sequence number in `tags` that was not settled before is settled
    /// now (a `multiple` ack covers a range; a single one, one number).
    Confirmed {
        /// The channel.
        channel: u16,
        /// Sequence numbers, as [`Connection::publish`](super::Connection::publish) returned them.
        tags: RangeInclusive<u64>,
        /// `basic.ack` (`true`) or `basic.nack`.
        ack: bool,
    },
    /// Publishes that will never be confirmed: their channel or the
    /// connection ended first. Comes before the channel's
    /// [`ChannelClosed`](Event::ChannelClosed) (or [`Closed`](Event::Closed)).
    Unconfirmed {
        /// The channel.
        channel: u16,
        /// Every unsettled sequence number in this range.
        tags: RangeInclusive<u64>,
        /// Why the channel ended.
        error: Error,
    },
    /// A consumer ended; no delivery for it follows.
    ConsumerEnded {
        /// The channel.
        channel: u16,
        /// The consumer.
        consumer_tag: ShortStr,
        /// Why.
        end: ConsumerEnd,
    },
    /// The server asked to pause (`false`) or resume (`true`) publishing on a channel.
    Flow {
        /// The channel.
        channel: u16,
        /// Whether publishing may go on.
        active: bool,
    },
    /// A channel closed: by the server (pending requests on it get the same
    /// error), or by our `close_channel` (after its completion). Its id is
    /// free for [`open_channel`](super::Connection::open_channel) once this
    /// event has been polled.
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
    /// Automatic recovery ([`Config::recovery`](super::Config::recovery))
    /// made progress: the connection was lost, an attempt began or failed,
    /// something could not be restored, or the connection is back.
    Recovery(RecoveryEvent),
}

/// What recovery reports ([`Event::Recovery`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RecoveryEvent {
    /// The transport was lost; requests and unconfirmed publishes in
    /// flight failed with `error`; channels and consumers wait to be restored.
    Lost {
        /// Why.
        error: Error,
    },
    /// Attempt `attempt` connects to `address` now.
    Connecting {
        /// 1 for the first.
        attempt: u32,
        /// Where.
        address: crate::connection_options::Address,
    },
    /// An attempt failed; the next follows the backoff delay.
    AttemptFailed {
        /// Which.
        attempt: u32,
        /// Why.
        error: Error,
    },
    /// A server-named queue was declared again and got a new name; its
    /// bindings and consumers follow it (the application's copies of the
    /// old name are stale).
    QueueRenamed {
        /// The name before.
        old: ShortStr,
        /// The name now.
        new: ShortStr,
    },
    /// Something could not be restored (the broker refused it); recovery
    /// goes on without it.
    NotRestored {
        /// What (e.g. `queue q`, `consumer t on channel 1`).
        what: String,
        /// The broker's refusal.
        error: Error,
    },
    /// Everything is restored; what the application sent meanwhile goes out now.
    Recovered {
        /// Attempts it took.
        attempts: u32,
    },
}

/// Where a connection is ([`Connection::state`](super::Connection::state)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ConnectionState {
    /// The handshake is under way.
    Connecting,
    /// Open, never lost.
    Connected,
    /// Lost, and being recovered: no transport yet, or restoring on a new one.
    Recovering {
        /// The current attempt (1 for the first).
        attempt: u32,
        /// Why the connection was lost.
        error: Error,
    },
    /// Open again after `recoveries` recoveries.
    Recovered {
        /// How many recoveries so far.
        recoveries: u32,
    },
    /// Closing (our `connection.close` waits for its close-ok).
    Closing,
    /// Finished: closed, or lost and not recovered (recovery off, gave up,
    /// or the failure was not one to recover from).
    Closed(Error),
}
