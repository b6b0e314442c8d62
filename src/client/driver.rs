//! The tokio driver: moves bytes between the socket and the protocol core,
//! runs its timers, and hands its events to the waiting handles. No protocol
//! rule lives here.
//!
//! Two tasks share the core behind a mutex (never held across an await):
//! the reader feeds received bytes and timeouts to the core and dispatches
//! events; the writer writes whatever the core has queued, all of it in one
//! write while the socket was busy. Handles lock the mutex, call the core,
//! and wake the writer.
//!
//! Back-pressure: each consumer has a bounded queue. When one is full the
//! reader stops reading the socket until there is room (the broker then
//! stops too, through TCP), while heartbeats go on. Publishers wait while
//! more than [`WRITE_HIGH_WATER`] bytes are queued for the socket.

use std::collections::HashMap;
use std::future::pending;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::sync::{mpsc, oneshot, watch, Notify};

use std::collections::BTreeMap;

use crate::codec::{ReplyCode, ShortStr};
use crate::proto::{self, Delivery, Event, Reply, RequestId, Returned};
use crate::Error;

use super::confirm::Confirm;
use super::consumer::ConsumerEnd;

/// Returned messages a channel buffers for its [`super::Returns`]; more are dropped (and logged).
pub(crate) const RETURNS_CAPACITY: usize = 1024;

/// Bytes queued for the socket above which publishers wait.
pub(crate) const WRITE_HIGH_WATER: usize = 1 << 20;
const READ_CHUNK: usize = 64 * 1024;

/// The driver's clock: tokio's, so that tests with a paused clock
/// (`start_paused`) move the core's time too.
pub(crate) fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// A consumer's queue and the slot that tells it why it ended.
pub(crate) struct Route {
    pub(crate) tx: mpsc::Sender<Delivery>,
    pub(crate) end: Arc<Mutex<Option<ConsumerEnd>>>,
    /// Deliveries that did not fit the consumer's queue, in order. While any
    /// route has some, the reader does not read the socket (back-pressure);
    /// at most one read's worth of frames end up here.
    pub(crate) overflow: std::collections::VecDeque<Delivery>,
}

impl Route {
    pub(crate) fn new(tx: mpsc::Sender<Delivery>, end: Arc<Mutex<Option<ConsumerEnd>>>) -> Self {
        Route {
            tx,
            end,
            overflow: Default::default(),
        }
    }

    /// Queues a delivery for the consumer, in order.
    fn push(&mut self, d: Delivery) {
        if !self.overflow.is_empty() {
            self.overflow.push_back(d);
            return;
        }
        match self.tx.try_send(d) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(d)) => self.overflow.push_back(d),
            Err(mpsc::error::TrySendError::Closed(d)) => {
                tracing::debug!(channel = d.channel, consumer = %d.consumer_tag, "consumer dropped; delivery dropped");
            }
        }
    }

    /// Moves what fits from the overflow into the consumer's queue.
    fn flush(&mut self) {
        while let Some(d) = self.overflow.pop_front() {
            match self.tx.try_send(d) {
                Ok(()) => {}
                Err(mpsc::error::TrySendError::Full(d)) => {
                    self.overflow.push_front(d);
                    return;
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    self.overflow.clear();
                    return;
                }
            }
        }
    }
}

/// What a channel handle shares with the driver.
#[derive(Default)]
pub(crate) struct ChannelState {
    /// Why the channel closed, once it has.
    pub(crate) closed: Mutex<Option<Error>>,
    /// Prefetch count of the last `basic.qos`, for consumer capacity.
    pub(crate) prefetch: Mutex<u16>,
}

pub(crate) struct Inner {
    pub(crate) core: proto::Connection,
    pub(crate) pending: HashMap<RequestId, oneshot::Sender<Result<Reply, Error>>>,
    /// channel -> consumer tag -> route
    pub(crate) consumers: HashMap<u16, HashMap<ShortStr, Route>>,
    /// Routes of ended consumers whose overflow the application has not read yet.
    pub(crate) draining: Vec<Route>,
    pub(crate) channels: HashMap<u16, Arc<ChannelState>>,
    pub(crate) connected: Option<oneshot::Sender<Result<(), Error>>>,
    pub(crate) closed: Option<Error>,
    pub(crate) next_consumer: u64,
    /// channel -> publish sequence -> its waiter (confirm mode).
    pub(crate) confirms: HashMap<u16, BTreeMap<u64, oneshot::Sender<Result<Confirm, Error>>>>,
    /// channel -> where its returned messages go.
    pub(crate) returns: HashMap<u16, mpsc::Sender<Returned>>,
}

pub(crate) struct Shared {
    inner: Mutex<Inner>,
    /// The core has bytes to write (or the connection ended).
    pub(crate) write_ready: Notify,
    /// A write finished: publishers waiting on the high-water mark may go on.
    pub(crate) drained: Notify,
    /// The reader must look again (a deadline moved, or the writer failed).
    pub(crate) reader_wake: Notify,
    pub(crate) closed_tx: watch::Sender<Option<Error>>,
    /// `Some(reason)` while the server blocks the connection.
    pub(crate) blocked_tx: watch::Sender<Option<String>>,
    /// A channel's flow state or the connection's blocked state changed.
    pub(crate) flow_changed: Notify,
}

fn lock_inner(m: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    // A panic while holding the lock cannot leave the core half-updated in a
    // way that matters more than stopping; keep going with its state.
    m.lock().unwrap_or_else(|e| e.into_inner())
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
                consumers: HashMap::new(),
                draining: Vec::new(),
                channels: HashMap::new(),
                connected: Some(tx),
                closed: None,
                next_consumer: 1,
                confirms: HashMap::new(),
                returns: HashMap::new(),
            }),
            write_ready: Notify::new(),
            drained: Notify::new(),
            reader_wake: Notify::new(),
            closed_tx: watch::channel(None).0,
            blocked_tx: watch::channel(None).0,
            flow_changed: Notify::new(),
        });
        (shared, rx)
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        lock_inner(&self.inner)
    }

    /// After a command: write what it queued, and let the reader re-arm its timer.
    pub(crate) fn kick(&self) {
        self.write_ready.notify_one();
        self.reader_wake.notify_one();
    }
}

impl Inner {
    /// The error for an operation on a connection that has ended.
    pub(crate) fn closed_error(&self) -> Option<Error> {
        self.closed.clone()
    }

    /// Handles every queued event. Never waits: deliveries that do not fit
    /// their consumer's queue go to its overflow (and the reader then stops
    /// reading), so closes and replies are never held up behind them, and
    /// a channel id the core frees is released here, under the same lock as
    /// the input that freed it.
    fn dispatch(&mut self, signals: &Signals<'_>) {
        while let Some(event) = self.core.poll_event() {
            match event {
                Event::Connected => {
                    if let Some(tx) = self.connected.take() {
                        let _ = tx.send(Ok(()));
                    }
                }
                Event::Completed { id, result } => {
                    if let Some(tx) = self.pending.remove(&id) {
                        let _ = tx.send(result);
                    }
                }
                Event::Delivery(d) => {
                    match self
                        .consumers
                        .get_mut(&d.channel)
                        .and_then(|c| c.get_mut(&d.consumer_tag))
                    {
                        Some(route) => route.push(d),
                        None => {
                            tracing::debug!(channel = d.channel, consumer = %d.consumer_tag, "delivery for no consumer; dropped")
                        }
                    }
                }
                Event::ConsumerCancelled {
                    channel,
                    consumer_tag,
                } => {
                    if let Some(route) = self
                        .consumers
                        .get_mut(&channel)
                        .and_then(|c| c.remove(&consumer_tag))
                    {
                        self.end_route(route, ConsumerEnd::CancelledByServer);
                    }
                }
                Event::ChannelClosed { channel, error } => {
                    tracing::debug!(channel, %error, "channel closed");
                    self.channel_ended(channel, error);
                    signals.flow_changed.notify_waiters();
                }
                Event::Closed(error) => {
                    tracing::debug!(%error, "connection closed");
                    if let Some(tx) = self.connected.take() {
                        let _ = tx.send(Err(error.clone()));
                    }
                    for (_, tx) in self.pending.drain() {
                        let _ = tx.send(Err(error.clone()));
                    }
                    let channels: Vec<u16> = self.channels.keys().copied().collect();
                    for ch in channels {
                        self.channel_ended(ch, error.clone());
                    }
                    self.closed = Some(error.clone());
                    self.draining.clear();
                    let _ = signals.closed.send(Some(error));
                    signals.flow_changed.notify_waiters();
                    signals.drained.notify_waiters();
                }
                Event::Returned { channel, message } => match self.returns.get(&channel) {
                    Some(tx) => {
                        if tx.try_send(message).is_err() {
                            tracing::warn!(
                                channel,
                                "returned message dropped: nobody reads the channel's returns"
                            );
                        }
                    }
                    None => tracing::debug!(
                        channel,
                        code = message.reply_code.0,
                        "basic.return with no returns listener; dropped"
                    ),
                },
                Event::Confirm {
                    channel,
                    delivery_tag,
                    multiple,
                    ack,
                } => {
                    let verdict = if ack { Confirm::Ack } else { Confirm::Nack };
                    if let Some(waiting) = self.confirms.get_mut(&channel) {
                        if multiple {
                            let settled = match delivery_tag.checked_add(1) {
                                Some(next) => {
                                    let rest = waiting.split_off(&next);
                                    std::mem::replace(waiting, rest)
                                }
                                None => std::mem::take(waiting),
                            };
                            for (_, tx) in settled {
                                let _ = tx.send(Ok(verdict));
                            }
                        } else if let Some(tx) = waiting.remove(&delivery_tag) {
                            let _ = tx.send(Ok(verdict));
                        }
                    }
                }
                Event::Flow { channel, active } => {
                    tracing::debug!(channel, active, "channel.flow");
                    signals.flow_changed.notify_waiters();
                }
                Event::Blocked { reason } => {
                    tracing::info!(%reason, "connection blocked by the server");
                    let _ = signals.blocked.send(Some(reason));
                }
                Event::Unblocked => {
                    tracing::info!("connection unblocked");
                    let _ = signals.blocked.send(None);
                    signals.flow_changed.notify_waiters();
                }
            }
        }
    }

    /// Whether some consumer has deliveries waiting for room (the reader
    /// then does not read), and the queue of the first such consumer.
    fn overflowing(&self) -> Option<mpsc::Sender<Delivery>> {
        self.consumers
            .values()
            .flat_map(|routes| routes.values())
            .chain(self.draining.iter())
            .find(|r| !r.overflow.is_empty())
            .map(|r| r.tx.clone())
    }

    /// There is room in some queue again: move overflow along.
    fn flush_overflow(&mut self) {
        for route in self
            .consumers
            .values_mut()
            .flat_map(|routes| routes.values_mut())
        {
            route.flush();
        }
        for route in &mut self.draining {
            route.flush();
        }
        self.draining.retain(|r| !r.overflow.is_empty());
    }

    /// A consumer ended: it learns why; deliveries it has not taken yet stay
    /// readable (its queue ends after them).
    pub(crate) fn end_route(&mut self, route: Route, why: ConsumerEnd) {
        {
            let mut end = route.end.lock().unwrap_or_else(|e| e.into_inner());
            end.get_or_insert(why);
        }
        if !route.overflow.is_empty() && !self.core.is_closed() {
            self.draining.push(route);
        }
        // Otherwise dropping the sender ends the consumer's stream once it is drained.
    }

    /// A channel is gone: its handle learns why, its consumers end.
    pub(crate) fn channel_ended(&mut self, channel: u16, error: Error) {
        if let Some(state) = self.channels.remove(&channel) {
            let mut closed = state.closed.lock().unwrap_or_else(|e| e.into_inner());
            closed.get_or_insert(error.clone());
        }
        if let Some(routes) = self.consumers.remove(&channel) {
            for (_, route) in routes {
                self.end_route(route, ConsumerEnd::Closed(error.clone()));
            }
        }
        // Publishes not yet confirmed fail with the close reason: they were
        // not confirmed, and never will be.
        for (_, tx) in self.confirms.remove(&channel).unwrap_or_default() {
            let _ = tx.send(Err(error.clone()));
        }
        self.returns.remove(&channel);
    }
}

/// Where dispatch reports connection-wide changes.
pub(crate) struct Signals<'a> {
    closed: &'a watch::Sender<Option<Error>>,
    blocked: &'a watch::Sender<Option<String>>,
    flow_changed: &'a Notify,
    drained: &'a Notify,
}

impl Shared {
    pub(crate) fn signals(&self) -> Signals<'_> {
        Signals {
            closed: &self.closed_tx,
            blocked: &self.blocked_tx,
            flow_changed: &self.flow_changed,
            drained: &self.drained,
        }
    }
}

/// Starts the reader and writer tasks on `stream`.
pub(crate) fn spawn<S>(shared: Arc<Shared>, stream: S, span: tracing::Span)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    use tracing::Instrument;
    let (rd, wr) = tokio::io::split(stream);
    tokio::spawn(read_loop(shared.clone(), rd).instrument(span.clone()));
    tokio::spawn(write_loop(shared.clone(), wr).instrument(span));
    shared.write_ready.notify_one();
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(t) => tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await,
        None => pending().await,
    }
}

async fn read_loop<S: AsyncRead>(shared: Arc<Shared>, mut rd: ReadHalf<S>) {
    let _guard = EndOnExit(shared.clone());
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    loop {
        // Reading pauses while a consumer's queue is full (its overflow holds
        // what did not fit) and while too much waits to be written (replies
        // the server's methods call for, on a server that does not read).
        let (deadline, overflow, backlog) = {
            let mut inner = shared.lock();
            let overflow = inner.overflowing();
            let backlog = inner.core.pending_transmit() >= WRITE_HIGH_WATER;
            if overflow.is_some() || backlog {
                // The silence that follows is ours, not the server's.
                inner.core.reading_paused(now());
            }
            (inner.core.poll_timeout(), overflow, backlog)
        };
        let paused = overflow.is_some() || backlog;
        if buf.capacity() - buf.len() < READ_CHUNK / 4 {
            buf.reserve(READ_CHUNK);
        }
        let room = async {
            match &overflow {
                Some(tx) => drop(tx.reserve().await),
                None => pending::<()>().await,
            }
        };
        let drained = shared.drained.notified();
        // Events are dispatched under the same lock as the input that made
        // them: a channel id the core frees cannot be reused by a handle
        // before the driver has seen that channel end.
        tokio::select! {
            read = rd.read_buf(&mut buf), if !paused => {
                let mut inner = shared.lock();
                match read {
                    Ok(0) => inner.core.handle_eof(),
                    Ok(_) => inner.core.handle_input(&mut buf, now()),
                    Err(e) => inner.core.handle_io_error(e),
                }
                inner.dispatch(&shared.signals());
            }
            _ = sleep_until(deadline) => {
                let mut inner = shared.lock();
                if paused {
                    inner.core.reading_paused(now());
                }
                inner.core.handle_timeout(now());
                inner.dispatch(&shared.signals());
            }
            _ = shared.reader_wake.notified() => shared.lock().dispatch(&shared.signals()),
            // The permit is dropped at once: flush_overflow sends under the lock.
            _ = room, if overflow.is_some() => shared.lock().flush_overflow(),
            _ = drained, if backlog => {}
        }
        shared.write_ready.notify_one();
        if shared.lock().core.is_closed() {
            return;
        }
    }
}

async fn write_loop<S: AsyncWrite>(shared: Arc<Shared>, mut wr: WriteHalf<S>) {
    let _guard = EndOnExit(shared.clone());
    let mut closed = shared.closed_tx.subscribe();
    loop {
        let (bytes, is_closed) = {
            let mut inner = shared.lock();
            (
                inner.core.take_transmit(now()),
                inner.core.is_closed(),
            )
        };
        match bytes {
            Some(bytes) => {
                tracing::trace!(bytes = bytes.len(), "write");
                let write = wr.write_all(&bytes);
                tokio::pin!(write);
                let written = tokio::select! {
                    r = &mut write => r,
                    // The connection ended (a heartbeat timeout, say) while the
                    // server does not read: give the last bytes a moment, then
                    // drop the socket instead of waiting forever.
                    _ = wait_closed(&mut closed) => {
                        match tokio::time::timeout(Duration::from_secs(1), &mut write).await {
                            Ok(r) => r,
                            Err(_) => return,
                        }
                    }
                };
                shared.drained.notify_waiters();
                if let Err(e) = written {
                    shared.lock().core.handle_io_error(e);
                    shared.reader_wake.notify_one();
                    return;
                }
            }
            None if is_closed => {
                let _ = wr.shutdown().await;
                shared.drained.notify_waiters();
                return;
            }
            None => {
                // Flush before sleeping: a TLS stream buffers.
                if let Err(e) = wr.flush().await {
                    shared.lock().core.handle_io_error(e);
                    shared.reader_wake.notify_one();
                    return;
                }
                shared.write_ready.notified().await
            }
        }
    }
}

/// Resolves once the connection has ended.
async fn wait_closed(rx: &mut watch::Receiver<Option<Error>>) {
    let _ = rx.wait_for(Option::is_some).await.map(drop);
}

/// Ends the connection if a driver task stops (normally, or by a panic),
/// so that no call waits on a task that is gone.
struct EndOnExit(Arc<Shared>);

impl Drop for EndOnExit {
    fn drop(&mut self) {
        let mut inner = self.0.lock();
        if !inner.core.is_closed() {
            inner
                .core
                .handle_io_error(std::io::Error::other("the connection's driver task ended"));
        }
        inner.dispatch(&self.0.signals());
        drop(inner);
        self.0.write_ready.notify_one();
        self.0.reader_wake.notify_one();
        self.0.drained.notify_waiters();
        self.0.flow_changed.notify_waiters();
    }
}

/// Closes the connection when the last handle goes, if it is still open.
pub(crate) struct CloseOnDrop(pub(crate) Arc<Shared>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        let mut inner = self.0.lock();
        if inner.core.is_open() {
            let _ = inner.core.close(
                ReplyCode::REPLY_SUCCESS,
                "connection handle dropped",
                now(),
            );
            drop(inner);
            self.0.kick();
        }
    }
}
