//! What the handles and the driver's tasks share: the protocol core behind
//! a mutex (never held across an await), the waiters of requests, confirms
//! and consumers, and the hand-off of the core's events to them.
//!
//! Nothing here decides anything about the protocol: the core says which
//! request completed, which publishes are settled or failed, which
//! consumer ended and why, which channel is gone; this file finds the
//! waiter and hands the result over.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Waker;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot, watch, Notify};

use crate::codec::ShortStr;
use crate::proto::{
    self, ConnectionState, ConsumerEnd, Delivery, Event, RecoveryEvent, Reply, RequestId, Returned,
};
use crate::Error;

use crate::Confirm;

use super::outgoing::Outgoing;
use super::queue::{PushError, QueueTx, Room};

/// Recovery events a slow [`super::Connection::recovery_events`] receiver
/// may lag behind before it misses some (it is told how many).
pub(crate) const RECOVERY_EVENTS: usize = 256;

/// Returned messages a channel buffers for its [`super::Returns`]; more are dropped (and logged).
pub(crate) const RETURNS_CAPACITY: usize = 1024;

/// Locks a mutex whose holder may have panicked: the state it guards is
/// still the best there is, and stopping would hang every caller.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Bytes of deliveries the application took (or dropped), on their way
/// back to the core's delivery buffer; and whether the reader waits for them.
#[derive(Default)]
pub(crate) struct Released {
    bytes: AtomicUsize,
    reader_waits: AtomicBool,
}

impl Released {
    /// Gives deliveries back (from any task); wakes a reader that waits for room.
    pub(crate) fn give(&self, cost: usize, reader_wake: &Notify) {
        if cost == 0 {
            return;
        }
        self.bytes.fetch_add(cost, Ordering::SeqCst);
        if self.reader_waits.load(Ordering::SeqCst) {
            reader_wake.notify_one();
        }
    }

    /// What was given back and not yet taken.
    pub(crate) fn pending(&self) -> usize {
        self.bytes.load(Ordering::SeqCst)
    }

    /// What was given back since the last call.
    pub(crate) fn take(&self) -> usize {
        self.bytes.swap(0, Ordering::SeqCst)
    }

    /// The reader is about to wait (`true`) or reads again. Returns whether
    /// bytes came back meanwhile (the reader then looks again instead).
    pub(crate) fn reader_waits(&self, waits: bool) -> bool {
        self.reader_waits.store(waits, Ordering::SeqCst);
        waits && self.bytes.load(Ordering::SeqCst) > 0
    }
}

/// A consumer's queue and the slot that tells it why it ended.
pub(crate) struct Route {
    pub(crate) tx: QueueTx,
    pub(crate) end: Arc<Mutex<Option<ConsumerEnd>>>,
    /// Deliveries that did not fit the consumer's queue, in order. While any
    /// route has some, the reader does not read the socket (back-pressure);
    /// at most one read's worth of frames end up here.
    overflow: VecDeque<Delivery>,
    released: Arc<Released>,
    /// Whether its overflow stops the reader ([`proto::ConsumerStarted::pauses_reading`]).
    pauses_reading: bool,
}

impl Route {
    pub(crate) fn new(
        tx: QueueTx,
        end: Arc<Mutex<Option<ConsumerEnd>>>,
        released: Arc<Released>,
        pauses_reading: bool,
    ) -> Self {
        Route {
            tx,
            end,
            overflow: VecDeque::new(),
            released,
            pauses_reading,
        }
    }

    /// Queues a delivery for the consumer, in order; the consumer's waker,
    /// if it sleeps, goes to `out` (woken once the batch is queued).
    fn push(&mut self, d: Delivery, wake: &Notify, out: &mut Vec<Handoff>) {
        if !self.overflow.is_empty() {
            self.overflow.push_back(d);
            return;
        }
        match self.tx.try_push(d) {
            Ok(waker) => out.extend(waker.map(Handoff::Wake)),
            Err(PushError::Full(d)) => self.overflow.push_back(d),
            Err(PushError::Closed(d)) => {
                tracing::debug!(channel = d.channel, consumer = %d.consumer_tag, "consumer dropped; delivery dropped");
                self.released.give(d.buffer_cost(), wake);
            }
        }
    }

    /// Moves what fits from the overflow into the consumer's queue.
    fn flush(&mut self, wake: &Notify, out: &mut Vec<Handoff>) {
        while let Some(d) = self.overflow.pop_front() {
            match self.tx.try_push(d) {
                Ok(waker) => out.extend(waker.map(Handoff::Wake)),
                Err(PushError::Full(d)) => {
                    self.overflow.push_front(d);
                    return;
                }
                Err(PushError::Closed(d)) => {
                    self.released.give(d.buffer_cost(), wake);
                }
            }
        }
    }
}

/// Deliveries nobody will take go back to the core's delivery buffer.
impl Drop for Route {
    fn drop(&mut self) {
        let cost: usize = self.overflow.iter().map(Delivery::buffer_cost).sum();
        self.released.bytes.fetch_add(cost, Ordering::SeqCst);
    }
}

/// What a channel handle shares with the driver.
pub(crate) struct ChannelState {
    /// Why the channel closed, once it has (set once).
    pub(crate) closed: watch::Sender<Option<Error>>,
}

impl Default for ChannelState {
    fn default() -> Self {
        ChannelState {
            closed: watch::channel(None).0,
        }
    }
}

type Waiter<T> = oneshot::Sender<Result<T, Error>>;

pub(crate) struct Inner {
    pub(crate) core: proto::Connection,
    pub(crate) pending: HashMap<RequestId, Waiter<Reply>>,
    /// Where each consumer's deliveries go: channel -> consumer tag -> route.
    pub(crate) routes: HashMap<u16, HashMap<ShortStr, Route>>,
    /// Routes of ended consumers whose overflow the application has not read yet.
    draining: Vec<Route>,
    pub(crate) channels: HashMap<u16, Arc<ChannelState>>,
    connected: Option<Waiter<()>>,
    /// channel -> publish sequence number -> its waiter (confirm mode).
    pub(crate) confirms: HashMap<u16, BTreeMap<u64, Waiter<Confirm>>>,
    /// channel -> where its returned messages go.
    pub(crate) returns: HashMap<u16, mpsc::Sender<Returned>>,
    /// The deadline the reader sleeps until (a command wakes it only to
    /// bring it forward: see [`Shared::kick`]).
    pub(crate) reader_deadline: Option<Instant>,
}

pub(crate) struct Shared {
    inner: Mutex<Inner>,
    /// The transport's write half, while there is one (see `outgoing.rs`).
    pub(crate) outgoing: Mutex<Option<Outgoing>>,
    /// Bytes were queued while somebody held `outgoing`: it looks again.
    pub(crate) write_pending: AtomicBool,
    /// Whether callers write their commands themselves (see
    /// [`Shared::send_now`]): on a multi-thread runtime, where waking the
    /// writer task wakes a thread. On the current-thread runtime that wake
    /// is a queue push, and the writer task writes the commands of one
    /// turn of the runtime (an ack and the next get) in one system call.
    pub(crate) direct_writes: bool,
    /// When the last publish returned, in nanoseconds since `epoch` (see
    /// [`Shared::publish_written`]).
    pub(crate) last_publish: AtomicU64,
    pub(crate) epoch: Instant,
    /// The core has bytes to write (or the connection ended).
    pub(crate) write_ready: Notify,
    /// A write finished: publishers waiting on the high-water mark may go on.
    pub(crate) drained: Notify,
    /// The reader must look again (a deadline moved, room came back, or the writer failed).
    pub(crate) reader_wake: Notify,
    pub(crate) closed_tx: watch::Sender<Option<Error>>,
    /// `Some(reason)` while the server blocks the connection.
    pub(crate) blocked_tx: watch::Sender<Option<String>>,
    /// A channel's flow state or the connection's blocked state changed.
    pub(crate) flow_changed: Notify,
    /// Deliveries given back by the application, for the core's buffer.
    pub(crate) released: Arc<Released>,
    /// The core's [`state`](proto::Connection::state), after each change.
    pub(crate) state_tx: watch::Sender<ConnectionState>,
    /// What recovery reports, for [`super::Connection::recovery_events`].
    pub(crate) recovery_tx: tokio::sync::broadcast::Sender<RecoveryEvent>,
}

impl Shared {
    pub(crate) fn new(
        core: proto::Connection,
    ) -> (Arc<Self>, oneshot::Receiver<Result<(), Error>>) {
        let (tx, rx) = oneshot::channel();
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                core,
                pending: HashMap::new(),
                routes: HashMap::new(),
                draining: Vec::new(),
                channels: HashMap::new(),
                connected: Some(tx),
                confirms: HashMap::new(),
                returns: HashMap::new(),
                reader_deadline: None,
            }),
            outgoing: Mutex::new(None),
            write_pending: AtomicBool::new(false),
            last_publish: AtomicU64::new(0),
            direct_writes: tokio::runtime::Handle::try_current()
                .is_ok_and(|h| h.runtime_flavor() != tokio::runtime::RuntimeFlavor::CurrentThread),
            epoch: Instant::now(),
            write_ready: Notify::new(),
            drained: Notify::new(),
            reader_wake: Notify::new(),
            closed_tx: watch::channel(None).0,
            blocked_tx: watch::channel(None).0,
            flow_changed: Notify::new(),
            released: Arc::new(Released::default()),
            state_tx: watch::channel(ConnectionState::Connecting).0,
            recovery_tx: tokio::sync::broadcast::channel(RECOVERY_EVENTS).0,
        });
        (shared, rx)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// After a command: write what it queued (from this task when the
    /// socket takes it at once), and wake the reader if the command changed
    /// what it waits for: events to hand out, a connection that is not
    /// open (the supervisor waits with the reader's signal while it
    /// reconnects), or a deadline before the one the reader sleeps until
    /// (which [`wake_at`](proto::Connection::wake_at) makes rare: on the
    /// multi-thread runtime waking the reader is a system call).
    pub(crate) fn kick(&self) {
        self.send_now();
        let wake = {
            let inner = self.lock();
            let deadline = inner.core.poll_timeout();
            !inner.core.is_open()
                || inner.core.has_events()
                || deadline.is_some_and(|t| inner.reader_deadline.is_none_or(|r| t < r))
        };
        if wake {
            self.reader_wake.notify_one();
        }
    }
}

/// Tells the core that a request's caller went away if the future waiting
/// for it is dropped before its reply (see [`proto::Connection::abandon`]).
pub(crate) struct AbandonOnDrop<'a> {
    shared: &'a Shared,
    request: Option<RequestId>,
}

impl<'a> AbandonOnDrop<'a> {
    pub(crate) fn new(shared: &'a Shared, request: RequestId) -> Self {
        AbandonOnDrop {
            shared,
            request: Some(request),
        }
    }

    /// The reply came: nothing to undo.
    pub(crate) fn disarm(mut self) {
        self.request = None;
    }
}

impl Drop for AbandonOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.request.take() {
            self.shared.lock().core.abandon(id);
            self.shared.kick();
        }
    }
}

/// What a dispatch wakes: sent once the connection's lock is released
/// (by the reader), so that the task woken does not at once wait for the
/// lock that the reader still holds.
pub(crate) enum Handoff {
    Reply(Waiter<Reply>, Result<Reply, Error>),
    Confirm(Waiter<Confirm>, Result<Confirm, Error>),
    Wake(Waker),
}

/// Hands over what a dispatch left, emptying `handoffs` (its memory is kept).
pub(crate) fn hand_off(handoffs: &mut Vec<Handoff>) {
    for h in handoffs.drain(..) {
        match h {
            Handoff::Reply(tx, result) => drop(tx.send(result)),
            Handoff::Confirm(tx, result) => drop(tx.send(result)),
            Handoff::Wake(w) => w.wake(),
        }
    }
}

/// Sends `result` to every waiter in `tags`.
fn settle(
    waiting: &mut BTreeMap<u64, Waiter<Confirm>>,
    tags: RangeInclusive<u64>,
    result: Result<Confirm, Error>,
    out: &mut Vec<Handoff>,
) {
    while let Some((&seq, _)) = waiting.range(tags.clone()).next() {
        if let Some(tx) = waiting.remove(&seq) {
            out.push(Handoff::Confirm(tx, result.clone()));
        }
    }
}

impl Inner {
    /// The waiter of a publish's confirm, taken out.
    fn take_confirm(&mut self, channel: u16, seq: u64) -> Option<Waiter<Confirm>> {
        self.confirms.get_mut(&channel)?.remove(&seq)
    }

    /// The error for an operation on a connection that has ended (or is ending).
    pub(crate) fn closed_error(&self) -> Option<Error> {
        self.core.close_error().cloned()
    }

    /// Registers the waiter of a request.
    pub(crate) fn wait_for(&mut self, id: RequestId) -> oneshot::Receiver<Result<Reply, Error>> {
        let (tx, rx) = oneshot::channel();
        self.pending.insert(id, tx);
        rx
    }

    /// Hands every queued event to its waiter. Never waits: deliveries that
    /// do not fit their consumer's queue go to its overflow (and the reader
    /// then stops reading), so closes and replies are never held up behind them.
    pub(crate) fn dispatch(&mut self, shared: &Shared) {
        let mut out = Vec::new();
        self.dispatch_into(shared, &mut out);
        hand_off(&mut out);
    }

    /// As [`dispatch`](Self::dispatch), but replies, confirms and consumer
    /// wake-ups go to `out`, for [`hand_off`] once the lock is released.
    pub(crate) fn dispatch_into(&mut self, shared: &Shared, out: &mut Vec<Handoff>) {
        while let Some(event) = self.core.poll_event() {
            match event {
                Event::Connected => {
                    shared.state_tx.send_replace(self.core.state());
                    if let Some(tx) = self.connected.take() {
                        let _ = tx.send(Ok(()));
                    }
                }
                Event::Recovery(event) => {
                    if let RecoveryEvent::QueueRenamed { old, new } = &event {
                        tracing::info!(%old, %new, "recovery: server-named queue renamed");
                    }
                    shared.state_tx.send_replace(self.core.state());
                    shared.flow_changed.notify_waiters();
                    // Nobody listening is fine: the state watch says the rest.
                    let _ = shared.recovery_tx.send(event);
                }
                Event::Completed { id, result } => {
                    if let Some(tx) = self.pending.remove(&id) {
                        out.push(Handoff::Reply(tx, result));
                    }
                }
                Event::Delivery(d) => {
                    let route = self
                        .routes
                        .get_mut(&d.channel)
                        .and_then(|c| c.get_mut(&d.consumer_tag));
                    match route {
                        Some(route) => route.push(d, &shared.reader_wake, out),
                        // The consumer's handle was dropped and its cancel is on its way.
                        None => shared.released.give(d.buffer_cost(), &shared.reader_wake),
                    }
                }
                Event::ConsumerEnded {
                    channel,
                    consumer_tag,
                    end,
                } => {
                    let route = self
                        .routes
                        .get_mut(&channel)
                        .and_then(|c| c.remove(&consumer_tag));
                    if let Some(route) = route {
                        self.end_route(route, end);
                    }
                }
                Event::Confirmed { channel, tags, ack } => {
                    if let Some(waiting) = self.confirms.get_mut(&channel) {
                        let verdict = if ack { Confirm::Ack } else { Confirm::Nack };
                        settle(waiting, tags, Ok(verdict), out);
                    }
                }
                Event::Unconfirmed {
                    channel,
                    tags,
                    error,
                } => {
                    if let Some(waiting) = self.confirms.get_mut(&channel) {
                        settle(waiting, tags, Err(error), out);
                    }
                }
                Event::ChannelClosed { channel, error } => {
                    tracing::debug!(channel, %error, "channel closed");
                    if let Some(state) = self.channels.remove(&channel) {
                        state.closed.send_if_modified(|closed| {
                            let first = closed.is_none();
                            closed.get_or_insert(error);
                            first
                        });
                    }
                    self.routes.remove(&channel);
                    self.confirms.remove(&channel);
                    self.returns.remove(&channel);
                    shared.flow_changed.notify_waiters();
                }
                Event::Closed(error) => {
                    tracing::debug!(%error, "connection closed");
                    if let Some(tx) = self.connected.take() {
                        let _ = tx.send(Err(error.clone()));
                    }
                    for (_, tx) in self.pending.drain() {
                        let _ = tx.send(Err(error.clone()));
                    }
                    self.draining.clear();
                    shared.state_tx.send_replace(self.core.state());
                    let _ = shared.closed_tx.send(Some(error));
                    shared.flow_changed.notify_waiters();
                    shared.drained.notify_waiters();
                }
                Event::Returned {
                    channel,
                    sequence,
                    message,
                } => {
                    // The core matched the return to its publish: that
                    // publish's confirm is the return (the ack after it
                    // finds no waiter left); the collector hears of it too.
                    if let Some(tx) = sequence.and_then(|seq| self.take_confirm(channel, seq)) {
                        if let Some(returns) = self.returns.get(&channel) {
                            let _ = returns.try_send(message.clone());
                        }
                        out.push(Handoff::Confirm(
                            tx,
                            Ok(Confirm::Returned(Box::new(message))),
                        ));
                    } else if let Some(returns) = self.returns.get(&channel) {
                        if returns.try_send(message).is_err() {
                            tracing::warn!(
                                channel,
                                "returned message dropped: nobody reads the channel's returns"
                            );
                        }
                    } else {
                        tracing::debug!(
                            channel,
                            code = message.reply_code.0,
                            "basic.return with no returns listener; dropped"
                        );
                    }
                }
                Event::Flow { channel, active } => {
                    tracing::debug!(channel, active, "channel.flow");
                    shared.flow_changed.notify_waiters();
                }
                Event::Blocked { reason } => {
                    tracing::info!(%reason, "connection blocked by the server");
                    let _ = shared.blocked_tx.send(Some(reason));
                }
                Event::Unblocked => {
                    tracing::info!("connection unblocked");
                    let _ = shared.blocked_tx.send(None);
                    shared.flow_changed.notify_waiters();
                }
            }
        }
    }

    /// The queue of the first consumer with deliveries waiting for room
    /// (the reader waits for room there), and whether such a consumer
    /// stops the reader (a `no-ack` one: see [`proto::ConsumerStarted::pauses_reading`]).
    pub(crate) fn overflowing(&self) -> (Option<Room>, bool) {
        let mut routes = self
            .routes
            .values()
            .flat_map(|routes| routes.values())
            .chain(self.draining.iter())
            .filter(|r| !r.overflow.is_empty());
        let first = routes.next();
        let pauses = first.is_some_and(|r| r.pauses_reading) || routes.any(|r| r.pauses_reading);
        (first.map(|r| r.tx.room()), pauses)
    }

    /// There is room in some queue again: move overflow along.
    /// There is room in some queue again: move overflow along (the
    /// consumers to wake go to `out`, for [`hand_off`]).
    pub(crate) fn flush_overflow(&mut self, wake: &Notify, out: &mut Vec<Handoff>) {
        for route in self.routes.values_mut().flat_map(|r| r.values_mut()) {
            route.flush(wake, out);
        }
        for route in &mut self.draining {
            route.flush(wake, out);
        }
        self.draining.retain(|r| !r.overflow.is_empty());
    }

    /// A consumer ended: it learns why; deliveries it has not taken yet stay
    /// readable (its queue ends after them).
    fn end_route(&mut self, route: Route, why: ConsumerEnd) {
        lock(&route.end).get_or_insert(why);
        if !route.overflow.is_empty() && !self.core.is_closed() {
            self.draining.push(route);
        }
        // Otherwise dropping the sender ends the consumer's stream once it is drained.
    }
}
