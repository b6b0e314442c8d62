//! The tokio driver: moves bytes between the socket and the protocol core,
//! runs its timers, and hands the core's events to the waiting handles
//! (`shared.rs`).
//!
//! What the tokio front end still decides, none of it about the protocol:
//! when to read (never while the core says
//! [`wants_input`](proto::Connection::wants_input) is false, nor while a
//! consumer's queue is full: back-pressure through TCP); how long the last
//! bytes of a connection that ended may take to leave (one second); how
//! many returned messages a `Returns` collector buffers (1024, then they
//! are dropped with a warning); and what dropping a handle does (the last
//! `Channel` closes its channel, a `Consumer` cancels itself, the last
//! `Connection` closes it: API policies, carried out through the core's
//! commands). Every protocol rule (what to answer, which publishes a
//! confirm settles, which consumer ended, which channel id is free, how
//! much a consumer may buffer, when a request or the heartbeat times out,
//! what a cancelled request leaves behind) comes from the core.
//!
//! Two tasks share the core behind a mutex (never held across an await):
//! the reader feeds received bytes and timeouts to the core and dispatches
//! events; the writer writes whatever the core has queued, all of it in one
//! write while the socket was busy. Handles lock the mutex and call the
//! core; then, on a multi-thread runtime, a command that waits for the
//! broker (a request, an ack, a close, a publish after a pause) writes its
//! bytes itself when the socket takes them at once, and a publish in a
//! burst wakes the writer, which batches the publishes that follow
//! (`outgoing.rs`). Deliveries go to their consumers' queues with one
//! wake-up per read (`queue.rs`): on the multi-thread runtime each thread
//! woken is a system call, the cost this design keeps off the hot path.
//!
//! A supervisor task owns them: when the core says the transport is gone
//! and it wants another ([recovery](proto::Config::recovery)), both end,
//! and the supervisor waits out the core's backoff, connects to the
//! address the core names, and starts a reader and a writer on the new
//! transport. The handles never see the change: they only talk to the core.

use std::future::pending;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use tokio::io::AsyncReadExt;
use tokio::sync::watch;

use crate::codec::ReplyCode;
use crate::proto;
use crate::Error;

use super::outgoing::{Drive, Outgoing};
use super::shared::{hand_off, lock, Inner, Shared};
use super::transport::{Connector, ReadPart, Stream};

const READ_CHUNK: usize = 64 * 1024;

/// The driver's clock: tokio's, so that tests with a paused clock
/// (`start_paused`) move the core's time too.
pub(crate) fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Starts the driver on `stream`; `connector` opens the transports of
/// recovery (`None`: the connection ends with its first transport).
pub(crate) fn spawn(
    shared: Arc<Shared>,
    stream: Stream,
    span: tracing::Span,
    connector: Option<Connector>,
) {
    use tracing::Instrument;
    tokio::spawn(supervise(shared, stream, connector, span.clone()).instrument(span));
}

/// Runs a reader and a writer per transport until the connection ends.
async fn supervise(
    shared: Arc<Shared>,
    mut stream: Stream,
    connector: Option<Connector>,
    span: tracing::Span,
) {
    use tracing::Instrument;
    let _guard = EndOnExit(shared.clone());
    loop {
        let (rd, wr) = stream.split();
        *lock(&shared.outgoing) = Some(Outgoing::new(wr));
        let (lost_tx, lost_rx) = watch::channel(false);
        let reader = tokio::spawn(read_loop(shared.clone(), rd, lost_tx).instrument(span.clone()));
        let writer = tokio::spawn(write_loop(shared.clone(), lost_rx).instrument(span.clone()));
        shared.write_ready.notify_one();
        let _ = reader.await;
        shared.write_ready.notify_one();
        let _ = writer.await;
        // The transport's write half goes with it.
        lock(&shared.outgoing).take();
        {
            let mut inner = shared.lock();
            if !inner.core.is_closed() && !inner.core.needs_transport() {
                // A task ended (a panic) while the transport was fine.
                inner
                    .core
                    .handle_io_error(std::io::Error::other("the connection's driver task ended"));
            }
            inner.dispatch(&shared);
        }
        match next_transport(&shared, connector.as_ref()).await {
            Some(next) => stream = next,
            None => return,
        }
    }
}

/// Waits for the core's backoff and connects where it says, until a
/// transport is up (`Some`) or the connection has ended (`None`).
async fn next_transport(shared: &Arc<Shared>, connector: Option<&Connector>) -> Option<Stream> {
    loop {
        let (target, deadline) = {
            let inner = shared.lock();
            if inner.core.is_closed() {
                return None;
            }
            (
                inner.core.wants_transport().cloned(),
                inner.core.poll_timeout(),
            )
        };
        if let Some(address) = target {
            let result = match connector {
                Some(connect) => connect(address).await,
                None => Err(Error::NotOpen(crate::Endpoint::Connection)),
            };
            let mut inner = shared.lock();
            match result {
                Ok(stream) => {
                    inner.core.transport_ready(now());
                    inner.dispatch(shared);
                    return Some(stream);
                }
                Err(e) => inner.core.transport_failed(e, now()),
            }
            inner.dispatch(shared);
            continue;
        }
        tokio::select! {
            _ = sleep_until(deadline) => {
                let mut inner = shared.lock();
                inner.core.handle_timeout(now());
                inner.dispatch(shared);
            }
            // A command (a close, say) changed the state.
            _ = shared.reader_wake.notified() => shared.lock().dispatch(shared),
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(t) => tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await,
        None => pending().await,
    }
}

async fn read_loop(shared: Arc<Shared>, mut rd: ReadPart, lost: watch::Sender<bool>) {
    // The writer stops with the reader (the transport is gone, or the connection).
    let _lost = LostOnExit(lost);
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    let mut handoffs = Vec::new();
    loop {
        // Reading pauses while a consumer's queue is full (its overflow holds
        // what did not fit), and while the core does not want input (its
        // delivery buffer is full, or too much waits to be written).
        let (deadline, overflow, paused, backlog) = {
            let mut inner = shared.lock();
            inner.core.release_deliveries(shared.released.take());
            let (overflow, pauses) = inner.overflowing();
            let paused = pauses || !inner.core.wants_input();
            if shared.released.reader_waits(paused) {
                continue; // room came back while we looked
            }
            if paused {
                // The silence that follows is ours, not the server's.
                inner.core.reading_paused(now());
            }
            let backlog = inner.core.pending_transmit() >= proto::READ_HIGH_WATER;
            // No command adds a deadline before this one: commands need not wake us.
            let deadline = inner.core.wake_at(now());
            inner.reader_deadline = deadline;
            (deadline, overflow, paused, backlog)
        };
        if buf.capacity() - buf.len() < READ_CHUNK / 4 {
            buf.reserve(READ_CHUNK);
        }
        let room = async {
            match &overflow {
                Some(room) => room.wait().await,
                None => pending::<()>().await,
            }
        };
        let drained = shared.drained.notified();
        // Events are dispatched under the same lock as the input that made
        // them, so handles see a channel end before its id can be reused;
        // the replies and wake-ups they make are handed over after it.
        let (output, stop) = tokio::select! {
            read = rd.read_buf(&mut buf), if !paused => {
                let mut inner = shared.lock();
                match read {
                    Ok(0) => inner.core.handle_eof(),
                    Ok(_) => inner.core.handle_input(&mut buf, now()),
                    Err(e) => inner.core.handle_io_error(e),
                }
                inner.dispatch_into(&shared, &mut handoffs);
                after_dispatch(&inner)
            }
            _ = sleep_until(deadline) => {
                let mut inner = shared.lock();
                if paused {
                    inner.core.reading_paused(now());
                }
                inner.core.handle_timeout(now());
                inner.dispatch_into(&shared, &mut handoffs);
                after_dispatch(&inner)
            }
            _ = shared.reader_wake.notified() => {
                let mut inner = shared.lock();
                inner.dispatch_into(&shared, &mut handoffs);
                after_dispatch(&inner)
            }
            _ = room, if overflow.is_some() => {
                let mut inner = shared.lock();
                inner.flush_overflow(&shared.reader_wake, &mut handoffs);
                after_dispatch(&inner)
            }
            _ = drained, if backlog => (true, false),
        };
        hand_off(&mut handoffs);
        shared.released.reader_waits(false);
        if output {
            // What the input made the core answer (heartbeats, close-oks)
            // goes out from here: no writer task woken for it.
            shared.send_now();
        }
        if stop {
            return;
        }
    }
}

/// After a dispatch: whether the core has bytes to write, and whether the
/// reader stops (the connection ended, or its transport did).
fn after_dispatch(inner: &Inner) -> (bool, bool) {
    (
        inner.core.pending_transmit() > 0,
        inner.core.is_closed() || inner.core.needs_transport(),
    )
}

/// Tells the writer that the transport is over.
struct LostOnExit(watch::Sender<bool>);

impl Drop for LostOnExit {
    fn drop(&mut self) {
        let _ = self.0.send(true);
    }
}

async fn write_loop(shared: Arc<Shared>, mut lost: watch::Receiver<bool>) {
    let mut closed = shared.closed_tx.subscribe();
    loop {
        let drive = std::future::poll_fn(|cx| shared.poll_send(cx));
        tokio::pin!(drive);
        let driven = tokio::select! {
            r = &mut drive => r,
            // The connection ended (a heartbeat timeout, say) while the
            // server does not read: give the last bytes a moment, then
            // drop the socket instead of waiting forever.
            _ = wait_closed(&mut closed) => {
                match tokio::time::timeout(Duration::from_secs(1), &mut drive).await {
                    Ok(r) => r,
                    Err(_) => return,
                }
            }
            // The transport is gone (recovery takes over): drop it now.
            _ = wait_lost(&mut lost) => return,
        };
        match driven {
            Ok(Drive::Idle) => tokio::select! {
                _ = shared.write_ready.notified() => {}
                _ = wait_lost(&mut lost) => return,
            },
            Ok(Drive::Closed) => {
                let _ = std::future::poll_fn(|cx| shared.poll_shutdown(cx)).await;
                shared.drained.notify_waiters();
                return;
            }
            Ok(Drive::Void) => return,
            Err(e) => {
                shared.lock().core.handle_io_error(e);
                shared.reader_wake.notify_one();
                return;
            }
        }
    }
}

/// Resolves once the transport is over.
async fn wait_lost(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|lost| *lost).await.map(drop);
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
        inner.dispatch(&self.0);
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
        // Also while recovering: nobody is left to use what it would restore.
        if inner.core.is_open() || inner.core.is_recovering() {
            let _ = inner
                .core
                .close(ReplyCode::REPLY_SUCCESS, "connection handle dropped", now());
            drop(inner);
            self.0.kick();
        }
    }
}
