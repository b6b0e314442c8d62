//! What the handles and the connection's threads share: the protocol core
//! behind one mutex, the waiters of requests, confirms and consumers, the
//! hand-off of the core's events to them, and who to wake.
//!
//! Nothing here decides anything about the protocol: the core says which
//! request completed, which publishes are settled or failed, which consumer
//! ended and why, which channel is gone, how many deliveries a consumer
//! holds, whether to read and whether a publisher may write; this file
//! finds the waiter and hands the result over (as `src/client/shared.rs`
//! does for the tokio client).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::RangeInclusive;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use crate::codec::ShortStr;
use crate::proto::{self, ConsumerEnd, Delivery, Event, Reply, RequestId, Returned};
use crate::Error;

use super::sync::{lock, Push, Queue, Slot};
use super::Confirm;

/// Returned messages a channel buffers for its [`super::Returns`]; more are
/// dropped (and logged), as in the tokio client.
pub(crate) const RETURNS_CAPACITY: usize = 1024;

/// The clock the core is given.
pub(crate) fn now() -> Instant {
    Instant::now()
}

pub(crate) type ReplySlot = Arc<Slot<Result<Reply, Error>>>;
pub(crate) type ConfirmSlot = Arc<Slot<Result<Confirm, Error>>>;

/// Bytes of deliveries the application took (or dropped), on their way back
/// to the core's delivery buffer; and whether the reader waits for them.
#[derive(Default)]
pub(crate) struct Released {
    bytes: AtomicUsize,
    reader_waits: AtomicBool,
}

impl Released {
    /// Gives deliveries back (from any thread); wakes a reader that waits for room.
    pub(crate) fn give(&self, cost: usize, shared: &Shared) {
        if cost == 0 {
            return;
        }
        self.bytes.fetch_add(cost, Ordering::SeqCst);
        if self.reader_waits.load(Ordering::SeqCst) {
            shared.wake_reader();
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

    fn add(&self, cost: usize) {
        self.bytes.fetch_add(cost, Ordering::SeqCst);
    }

    /// The reader is about to wait (`true`) or reads again.
    pub(crate) fn set_reader_waits(&self, waits: bool) {
        self.reader_waits.store(waits, Ordering::SeqCst);
    }
}

/// A consumer's queue and the slot that tells it why it ended.
pub(crate) struct Route {
    pub(crate) queue: Arc<Queue<Delivery>>,
    pub(crate) end: Arc<Mutex<Option<ConsumerEnd>>>,
    /// Deliveries that did not fit the consumer's queue, in order. While any
    /// route has some, the reader does not read the socket (back-pressure).
    overflow: VecDeque<Delivery>,
    released: Arc<Released>,
    /// Whether its overflow stops the reader ([`proto::ConsumerStarted::pauses_reading`]).
    pauses_reading: bool,
}

impl Route {
    pub(crate) fn new(
        queue: Arc<Queue<Delivery>>,
        end: Arc<Mutex<Option<ConsumerEnd>>>,
        released: Arc<Released>,
        pauses_reading: bool,
    ) -> Self {
        Route {
            queue,
            end,
            overflow: VecDeque::new(),
            released,
            pauses_reading,
        }
    }

    fn push(&mut self, d: Delivery) {
        if !self.overflow.is_empty() {
            self.overflow.push_back(d);
            return;
        }
        match self.queue.push(d) {
            Push::Queued => {}
            Push::Full(d) => self.overflow.push_back(d),
            Push::Gone(d) => {
                tracing::debug!(channel = d.channel, consumer = %d.consumer_tag, "consumer dropped; delivery dropped");
                self.released.add(d.buffer_cost());
            }
        }
    }

    /// Moves what fits from the overflow into the consumer's queue.
    fn flush(&mut self) {
        while let Some(d) = self.overflow.pop_front() {
            match self.queue.push(d) {
                Push::Queued => {}
                Push::Full(d) => {
                    self.overflow.push_front(d);
                    return;
                }
                Push::Gone(d) => self.released.add(d.buffer_cost()),
            }
        }
    }
}

/// The consumer's queue ends after what it holds; deliveries nobody will
/// take go back to the core's delivery buffer.
impl Drop for Route {
    fn drop(&mut self) {
        let cost: usize = self.overflow.iter().map(Delivery::buffer_cost).sum();
        self.released.add(cost);
        self.queue.end();
    }
}

/// What a channel handle shares with the connection.
#[derive(Default)]
pub(crate) struct ChannelState {
    /// Why the channel closed, once it has (set once).
    closed: Mutex<Option<Error>>,
    changed: Condvar,
}

impl ChannelState {
    pub(crate) fn close_reason(&self) -> Option<Error> {
        lock(&self.closed).clone()
    }

    fn set_closed(&self, error: Error) {
        lock(&self.closed).get_or_insert(error);
        self.changed.notify_all();
    }

    /// Waits until the channel has closed.
    pub(crate) fn wait_closed(&self) -> Error {
        let mut closed = lock(&self.closed);
        loop {
            if let Some(e) = closed.clone() {
                return e;
            }
            closed = super::sync::wait(&self.changed, closed);
        }
    }
}

pub(crate) struct Inner {
    pub(crate) core: proto::Connection,
    pending: HashMap<RequestId, ReplySlot>,
    /// Where each consumer's deliveries go: channel -> consumer tag -> route.
    pub(crate) routes: HashMap<u16, HashMap<ShortStr, Route>>,
    /// Routes of ended consumers whose overflow the application has not read yet.
    draining: Vec<Route>,
    pub(crate) channels: HashMap<u16, Arc<ChannelState>>,
    pub(crate) connected: Option<Arc<Slot<Result<(), Error>>>>,
    /// channel -> publish sequence number -> its waiter (confirm mode).
    pub(crate) confirms: HashMap<u16, BTreeMap<u64, ConfirmSlot>>,
    /// channel -> where its returned messages go.
    pub(crate) returns: HashMap<u16, Arc<Queue<Returned>>>,
    /// The server's reason while it blocks the connection.
    pub(crate) blocked: Option<String>,
    /// The writer waits for bytes.
    pub(crate) writer_waits: bool,
    /// The writer thread has ended.
    pub(crate) writer_done: bool,
    /// While the timer waits: until when (`Some(None)`: no deadline).
    pub(crate) timer_waits: Option<Option<Instant>>,
    /// The reader does not read (back-pressure): the timer tells the core.
    pub(crate) reader_paused: bool,
    /// Publishers waiting for [`proto::Connection::publish_ready`].
    pub(crate) publish_waiters: usize,
    /// The transport in use (`None` while recovery has none), and how many
    /// there were: what a thread read or wrote on an older one is void.
    pub(crate) transport: Option<Arc<dyn super::io::Transport>>,
    pub(crate) generation: u64,
}

pub(crate) struct Shared {
    inner: Mutex<Inner>,
    /// The writer: bytes to write (or the connection ended).
    pub(crate) write_cv: Condvar,
    /// The timer: a deadline moved (or the connection ended).
    pub(crate) timer_cv: Condvar,
    /// A paused reader: room came back, the backlog drained, or the end.
    pub(crate) reader_cv: Condvar,
    /// Publishers: a write finished, flow or blocked changed, a channel ended.
    pub(crate) publish_cv: Condvar,
    /// The connection ended.
    pub(crate) closed_cv: Condvar,
    /// Deliveries given back by the application, for the core's buffer.
    pub(crate) released: Arc<Released>,
    /// Some consumer has overflow that does not stop the reader: a handle
    /// that takes a delivery moves it along (the reader may be blocked on
    /// the socket).
    pub(crate) overflow: std::sync::atomic::AtomicBool,
}

impl Shared {
    pub(crate) fn new(core: proto::Connection) -> (Arc<Self>, Arc<Slot<Result<(), Error>>>) {
        let connected = Arc::new(Slot::new());
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                core,
                pending: HashMap::new(),
                routes: HashMap::new(),
                draining: Vec::new(),
                channels: HashMap::new(),
                connected: Some(connected.clone()),
                confirms: HashMap::new(),
                returns: HashMap::new(),
                blocked: None,
                writer_waits: false,
                writer_done: false,
                timer_waits: None,
                reader_paused: false,
                publish_waiters: 0,
                transport: None,
                generation: 0,
            }),
            write_cv: Condvar::new(),
            timer_cv: Condvar::new(),
            reader_cv: Condvar::new(),
            publish_cv: Condvar::new(),
            closed_cv: Condvar::new(),
            released: Arc::new(Released::default()),
            overflow: std::sync::atomic::AtomicBool::new(false),
        });
        (shared, connected)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    /// Wakes a reader that waits for room (from a thread not holding the lock).
    pub(crate) fn wake_reader(&self) {
        // Taking the lock orders this after the reader's last look: it is
        // either waiting (and woken) or will see the change.
        drop(self.lock());
        self.reader_cv.notify_one();
    }

    /// After a command or input (the lock held): the writer writes what it
    /// queued, and the timer re-arms if the next deadline came closer.
    pub(crate) fn kick(&self, inner: &mut Inner) {
        self.wake_writer(inner);
        if let Some(waits_until) = inner.timer_waits {
            let next = inner.core.poll_timeout();
            let sooner = match (next, waits_until) {
                (Some(n), Some(w)) => n < w,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if sooner || inner.core.is_closed() {
                inner.timer_waits = None;
                self.timer_cv.notify_one();
            }
        }
    }

    /// The writer writes what the core queued (the lock held).
    pub(crate) fn wake_writer(&self, inner: &mut Inner) {
        if inner.writer_waits && (inner.core.pending_transmit() > 0 || inner.core.is_closed()) {
            inner.writer_waits = false;
            self.write_cv.notify_one();
        }
    }

    /// Every thread and waiter looks again (the connection ended).
    fn wake_all(&self, inner: &mut Inner) {
        inner.writer_waits = false;
        inner.timer_waits = None;
        self.write_cv.notify_all();
        self.timer_cv.notify_all();
        self.reader_cv.notify_all();
        self.publish_cv.notify_all();
        self.closed_cv.notify_all();
    }
}

/// Sets `result` for every waiter in `tags`.
fn settle(
    waiting: &mut BTreeMap<u64, ConfirmSlot>,
    tags: RangeInclusive<u64>,
    result: Result<Confirm, Error>,
) {
    if waiting.len() as u64 <= tags.end().saturating_sub(*tags.start()) {
        // Fewer waiters than tags: walk the waiters.
        waiting.retain(|seq, slot| {
            if tags.contains(seq) {
                slot.set(result.clone());
                false
            } else {
                true
            }
        });
        return;
    }
    while let Some((&seq, _)) = waiting.range(tags.clone()).next() {
        if let Some(slot) = waiting.remove(&seq) {
            slot.set(result.clone());
        }
    }
}

impl Inner {
    /// The slot of a publish's confirm, taken out.
    fn take_confirm(&mut self, channel: u16, seq: u64) -> Option<ConfirmSlot> {
        self.confirms.get_mut(&channel)?.remove(&seq)
    }

    /// The error for an operation on a connection that has ended (or is ending).
    pub(crate) fn closed_error(&self) -> Option<Error> {
        self.core.close_error().cloned()
    }

    /// Registers the waiter of a request.
    pub(crate) fn wait_for(&mut self, id: RequestId) -> ReplySlot {
        let slot = Arc::new(Slot::new());
        self.pending.insert(id, slot.clone());
        slot
    }

    /// Hands every queued event to its waiter. Never waits: deliveries that
    /// do not fit their consumer's queue go to its overflow (and the reader
    /// then stops reading), so closes and replies are never held up behind them.
    pub(crate) fn dispatch(&mut self, shared: &Shared) {
        while let Some(event) = self.core.poll_event() {
            match event {
                Event::Connected => {
                    if let Some(slot) = self.connected.take() {
                        slot.set(Ok(()));
                    }
                }
                Event::Completed { id, result } => {
                    if let Some(slot) = self.pending.remove(&id) {
                        slot.set(result);
                    }
                }
                Event::Delivery(d) => {
                    let route = self
                        .routes
                        .get_mut(&d.channel)
                        .and_then(|c| c.get_mut(&d.consumer_tag));
                    match route {
                        Some(route) => route.push(d),
                        // The consumer's handle was dropped and its cancel is on its way.
                        None => shared.released.add(d.buffer_cost()),
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
                        settle(waiting, tags, Ok(verdict));
                    }
                }
                Event::Unconfirmed {
                    channel,
                    tags,
                    error,
                } => {
                    if let Some(waiting) = self.confirms.get_mut(&channel) {
                        settle(waiting, tags, Err(error));
                    }
                }
                Event::ChannelClosed { channel, error } => {
                    tracing::debug!(channel, %error, "channel closed");
                    if let Some(state) = self.channels.remove(&channel) {
                        state.set_closed(error);
                    }
                    self.routes.remove(&channel);
                    self.confirms.remove(&channel);
                    if let Some(returns) = self.returns.remove(&channel) {
                        returns.end();
                    }
                    shared.publish_cv.notify_all();
                }
                Event::Closed(error) => {
                    tracing::debug!(%error, "connection closed");
                    if let Some(slot) = self.connected.take() {
                        slot.set(Err(error.clone()));
                    }
                    for (_, slot) in self.pending.drain() {
                        slot.set(Err(error.clone()));
                    }
                    self.draining.clear();
                    self.routes.clear();
                    for (_, returns) in self.returns.drain() {
                        returns.end();
                    }
                    shared.wake_all(self);
                }
                Event::Returned {
                    channel,
                    sequence,
                    message,
                } => {
                    // The core matched the return to its publish: that
                    // publish's confirm is the return (the ack after it
                    // finds no waiter left); the collector hears of it too.
                    if let Some(slot) = sequence.and_then(|seq| self.take_confirm(channel, seq)) {
                        if let Some(q) = self.returns.get(&channel) {
                            let _ = q.push(message.clone());
                        }
                        slot.set(Ok(Confirm::Returned(Box::new(message))));
                    } else if let Some(q) = self.returns.get(&channel) {
                        if !matches!(q.push(message), Push::Queued) {
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
                    shared.publish_cv.notify_all();
                }
                Event::Blocked { reason } => {
                    tracing::info!(%reason, "connection blocked by the server");
                    self.blocked = Some(reason);
                    shared.publish_cv.notify_all();
                }
                // Publishers waiting on the connection look again.
                Event::Recovery(_) => shared.publish_cv.notify_all(),
                Event::Unblocked => {
                    tracing::info!("connection unblocked");
                    self.blocked = None;
                    shared.publish_cv.notify_all();
                }
                #[allow(unreachable_patterns)] // `Event` is non-exhaustive
                _ => {}
            }
        }
    }

    /// Whether a consumer whose overflow stops the reader (a `no-ack` one)
    /// has deliveries waiting for room: the reader then does not read.
    pub(crate) fn overflowing(&self) -> bool {
        self.routes
            .values()
            .flat_map(|routes| routes.values())
            .chain(self.draining.iter())
            .any(|r| r.pauses_reading && !r.overflow.is_empty())
    }

    /// Whether any consumer has deliveries waiting for room (its handle
    /// then moves them along as it takes deliveries: [`Shared::overflow`]).
    pub(crate) fn any_overflow(&self) -> bool {
        self.routes
            .values()
            .flat_map(|routes| routes.values())
            .chain(self.draining.iter())
            .any(|r| !r.overflow.is_empty())
    }

    /// Moves overflow along into queues that have room again.
    pub(crate) fn flush_overflow(&mut self) {
        let has_room = |r: &Route| !r.overflow.is_empty() && r.queue.has_room();
        for route in self.routes.values_mut().flat_map(|r| r.values_mut()) {
            if has_room(route) {
                route.flush();
            }
        }
        for route in &mut self.draining {
            if has_room(route) {
                route.flush();
            }
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
        // Otherwise dropping the route ends the consumer's queue once it is drained.
    }
}
