//! The connection's three threads: the reader feeds received bytes to the
//! core and dispatches its events; the writer writes whatever the core has
//! queued; the timer calls the core's `handle_timeout` at its
//! `poll_timeout` (heartbeats, request and close deadlines).
//!
//! With [recovery](crate::proto::Config::recovery), the transport they
//! share can change: when the core has lost it, the timer shuts the old
//! one down and, when the core says so, connects to the address it names
//! (the connector of `mod.rs`); reader and writer wait for the new one,
//! and what they read or wrote on an older one is dropped.
//!
//! What they decide, none of it about the protocol (as the tokio driver):
//! when to read (never while the core's
//! [`wants_input`](crate::proto::Connection::wants_input) is false, nor
//! while a consumer's queue is full: back-pressure through TCP), and how
//! long the last bytes of a connection that ended may take to leave (one
//! second, then the socket is shut down).

use std::io;
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use bytes::BytesMut;

use super::shared::{now, Inner, Shared};
use super::sync::{wait, wait_until};
use crate::uri::Address;
use crate::Error;

/// Opens a transport to an address (recovery's reconnects).
pub(crate) type Connector =
    Arc<dyn Fn(&Address) -> Result<Arc<dyn Transport>, Error> + Send + Sync>;

const READ_CHUNK: usize = 64 * 1024;

/// A connected byte stream the threads share: read by the reader, written
/// by the writer at the same time, shut down by either.
pub(crate) trait Transport: Send + Sync + 'static {
    /// Reads what has arrived (blocks until something has); 0 at the end.
    fn read(&self, buf: &mut [u8]) -> io::Result<usize>;
    /// Writes all of `buf`.
    fn write_all(&self, buf: &[u8]) -> io::Result<()>;
    /// Ends both directions: a blocked read or write returns.
    fn shutdown(&self);
}

impl Transport for TcpStream {
    fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        io::Read::read(&mut &*self, buf)
    }

    fn write_all(&self, buf: &[u8]) -> io::Result<()> {
        io::Write::write_all(&mut &*self, buf)
    }

    fn shutdown(&self) {
        let _ = TcpStream::shutdown(self, Shutdown::Both);
    }
}

/// Starts the reader, writer and timer threads on `io`; `connector`
/// opens recovery's transports (`None`: the first one is the only one).
pub(crate) fn spawn(
    shared: Arc<Shared>,
    io: Arc<dyn Transport>,
    connector: Option<Connector>,
    span: tracing::Span,
) -> io::Result<()> {
    {
        let mut inner = shared.lock();
        inner.transport = Some(io);
        inner.generation = 1;
    }
    let start = |name: &str, f: Box<dyn FnOnce() + Send>| {
        let span = span.clone();
        std::thread::Builder::new()
            .name(format!("amqp091-{name}"))
            .spawn(move || span.in_scope(f))
            .map(drop)
    };
    let s = shared.clone();
    start("writer", Box::new(move || write_loop(s)))?;
    let s = shared.clone();
    start("timer", Box::new(move || timer_loop(s, connector)))?;
    start("reader", Box::new(move || read_loop(shared)))
}

/// The transport to use now and its generation; `None` while recovery has none.
fn current(inner: &Inner) -> Option<(Arc<dyn Transport>, u64)> {
    match &inner.transport {
        Some(io) if !inner.core.needs_transport() => Some((io.clone(), inner.generation)),
        _ => None,
    }
}

/// The core lost the transport (recovering): shut it down, so that a
/// thread blocked on it returns, and wake the timer, which reconnects.
fn drop_lost_transport(shared: &Shared, inner: &mut Inner) {
    if inner.core.needs_transport() {
        if let Some(old) = inner.transport.take() {
            old.shutdown();
        }
        inner.timer_waits = None;
        shared.timer_cv.notify_one();
    }
}

fn read_loop(shared: Arc<Shared>) {
    let _guard = EndOnExit(shared.clone(), false);
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    // Read into a buffer zeroed once, then copied: reading into the
    // BytesMut's spare capacity directly would need `unsafe`.
    let mut scratch = vec![0u8; READ_CHUNK];
    let mut read_generation = 0;
    loop {
        let (io, generation) = {
            let mut inner = shared.lock();
            // Reading pauses while a consumer's queue is full (its overflow
            // holds what did not fit), while the core does not want input,
            // and while recovery has no transport.
            let current = loop {
                if inner.core.is_closed() {
                    return;
                }
                let Some(current) = current(&inner) else {
                    buf.clear();
                    inner = wait(&shared.reader_cv, inner);
                    continue;
                };
                inner.core.release_deliveries(shared.released.take());
                inner.flush_overflow();
                if !inner.overflowing() && inner.core.wants_input() {
                    break current;
                }
                shared.released.set_reader_waits(true);
                if shared.released.pending() > 0 {
                    shared.released.set_reader_waits(false);
                    continue; // room came back while we looked
                }
                if !inner.reader_paused {
                    inner.reader_paused = true;
                    // The silence that follows is ours, not the server's.
                    inner.core.reading_paused(now());
                }
                inner = wait(&shared.reader_cv, inner);
                shared.released.set_reader_waits(false);
            };
            inner.reader_paused = false;
            current
        };
        if generation != read_generation {
            // A new transport: nothing of the old one's bytes carries over.
            buf.clear();
            read_generation = generation;
        }
        let read = io.read(&mut scratch);
        let mut inner = shared.lock();
        if inner.generation != generation {
            continue; // read on a transport recovery has replaced
        }
        match read {
            Ok(0) => inner.core.handle_eof(),
            Ok(n) => {
                buf.extend_from_slice(&scratch[..n]);
                inner.core.handle_input(&mut buf, now());
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => inner.core.handle_io_error(e),
        }
        // Events are dispatched under the same lock as the input that made
        // them, so handles see a channel end before its id can be reused.
        inner.dispatch(&shared);
        let overflow = inner.any_overflow();
        shared
            .overflow
            .store(overflow, std::sync::atomic::Ordering::SeqCst);
        drop_lost_transport(&shared, &mut inner);
        shared.kick(&mut inner);
        if buf.capacity() - buf.len() < READ_CHUNK / 4 {
            buf.reserve(READ_CHUNK);
        }
    }
}

fn write_loop(shared: Arc<Shared>) {
    let _guard = EndOnExit(shared.clone(), true);
    let mut wrote = false;
    loop {
        let bytes = {
            let mut inner = shared.lock();
            if wrote {
                // The backlog shrank: publishers and a paused reader look again.
                if inner.publish_waiters > 0 {
                    shared.publish_cv.notify_all();
                }
                if inner.reader_paused {
                    shared.reader_cv.notify_one();
                }
            }
            loop {
                if let Some((io, generation)) = current(&inner) {
                    if let Some(bytes) = inner.core.take_transmit(now()) {
                        break Some((bytes, io, generation));
                    }
                }
                if inner.core.is_closed() {
                    break None;
                }
                inner.writer_waits = true;
                inner = wait(&shared.write_cv, inner);
                inner.writer_waits = false;
            }
        };
        match bytes {
            Some((bytes, io, generation)) => {
                tracing::trace!(bytes = bytes.len(), "write");
                if let Err(e) = io.write_all(&bytes) {
                    let mut inner = shared.lock();
                    if inner.generation == generation {
                        inner.core.handle_io_error(e);
                        inner.dispatch(&shared);
                        drop_lost_transport(&shared, &mut inner);
                    }
                    if inner.core.is_closed() {
                        return;
                    }
                }
                wrote = true;
            }
            None => {
                if let Some(io) = shared.lock().transport.clone() {
                    io.shutdown();
                }
                return;
            }
        }
    }
}

fn timer_loop(shared: Arc<Shared>, connector: Option<Connector>) {
    let _guard = EndOnExit(shared.clone(), false);
    let mut inner = shared.lock();
    loop {
        if inner.core.is_closed() {
            // Give the writer a moment for the last bytes (a close-ok), then
            // drop the socket instead of waiting on a server that does not read.
            let until = now() + Duration::from_secs(1);
            while !inner.writer_done && now() < until {
                inner = wait_until(&shared.timer_cv, inner, until);
            }
            let io = inner.transport.take();
            drop(inner);
            if let Some(io) = io {
                io.shutdown();
            }
            return;
        }
        drop_lost_transport(&shared, &mut inner);
        if let Some(address) = inner.core.wants_transport().cloned() {
            drop(inner);
            let result = match &connector {
                Some(connect) => connect(&address),
                None => Err(Error::NotOpen(crate::Endpoint::Connection)),
            };
            inner = shared.lock();
            match result {
                Ok(io) => {
                    inner.transport = Some(io);
                    inner.generation += 1;
                    inner.core.transport_ready(now());
                    shared.reader_cv.notify_all();
                }
                Err(e) => inner.core.transport_failed(e, now()),
            }
            inner.dispatch(&shared);
            shared.kick(&mut inner);
            continue;
        }
        let t = now();
        match inner.core.poll_timeout() {
            Some(deadline) if deadline <= t => {
                if inner.reader_paused {
                    inner.core.reading_paused(t);
                }
                inner.core.handle_timeout(t);
                inner.dispatch(&shared);
                shared.wake_writer(&mut inner);
            }
            next => {
                inner.timer_waits = Some(next);
                inner = match next {
                    Some(deadline) => wait_until(&shared.timer_cv, inner, deadline),
                    None => wait(&shared.timer_cv, inner),
                };
                inner.timer_waits = None;
            }
        }
    }
}

/// Ends the connection if one of its threads stops (normally, or by a
/// panic), so that no call waits on a thread that is gone; the writer's
/// end is what the timer waits for before it drops the socket.
/// The flag: this is the writer.
struct EndOnExit(Arc<Shared>, bool);

impl Drop for EndOnExit {
    fn drop(&mut self) {
        let mut inner = self.0.lock();
        if !inner.core.is_closed() {
            inner
                .core
                .handle_io_error(io::Error::other("the connection's thread ended"));
        }
        inner.dispatch(&self.0);
        if self.1 {
            inner.writer_done = true;
        }
        self.0.kick(&mut inner);
        drop(inner);
        self.0.timer_cv.notify_all();
        self.0.write_cv.notify_all();
        self.0.reader_cv.notify_all();
        self.0.publish_cv.notify_all();
        self.0.closed_cv.notify_all();
    }
}
