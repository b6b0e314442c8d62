//! The connection's three threads: the reader feeds received bytes to the
//! core and dispatches its events; the writer writes whatever the core has
//! queued; the timer calls the core's `handle_timeout` at its
//! `poll_timeout` (heartbeats, request and close deadlines).
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

use super::shared::{now, Shared};
use super::sync::{wait, wait_until};

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

/// Starts the reader, writer and timer threads.
pub(crate) fn spawn(
    shared: Arc<Shared>,
    io: Arc<dyn Transport>,
    span: tracing::Span,
) -> io::Result<()> {
    let start = |name: &str, f: Box<dyn FnOnce() + Send>| {
        let span = span.clone();
        std::thread::Builder::new()
            .name(format!("amqp091-{name}"))
            .spawn(move || span.in_scope(f))
            .map(drop)
    };
    let (s, t) = (shared.clone(), io.clone());
    start("writer", Box::new(move || write_loop(s, t)))?;
    let (s, t) = (shared.clone(), io.clone());
    start("timer", Box::new(move || timer_loop(s, t)))?;
    start("reader", Box::new(move || read_loop(shared, io)))
}

fn read_loop(shared: Arc<Shared>, io: Arc<dyn Transport>) {
    let _guard = EndOnExit(shared.clone(), false);
    let mut buf = BytesMut::with_capacity(READ_CHUNK);
    // Read into a buffer zeroed once, then copied: reading into the
    // BytesMut's spare capacity directly would need `unsafe`.
    let mut scratch = vec![0u8; READ_CHUNK];
    loop {
        {
            let mut inner = shared.lock();
            // Reading pauses while a consumer's queue is full (its overflow
            // holds what did not fit), and while the core does not want input.
            loop {
                if inner.core.is_closed() {
                    return;
                }
                inner.core.release_deliveries(shared.released.take());
                inner.flush_overflow();
                if !inner.overflowing() && inner.core.wants_input() {
                    break;
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
            }
            inner.reader_paused = false;
        }
        let read = io.read(&mut scratch);
        let mut inner = shared.lock();
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
        shared.kick(&mut inner);
        if buf.capacity() - buf.len() < READ_CHUNK / 4 {
            buf.reserve(READ_CHUNK);
        }
    }
}

fn write_loop(shared: Arc<Shared>, io: Arc<dyn Transport>) {
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
                if let Some(bytes) = inner.core.take_transmit(now()) {
                    break Some(bytes);
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
            Some(bytes) => {
                tracing::trace!(bytes = bytes.len(), "write");
                if let Err(e) = io.write_all(&bytes) {
                    let mut inner = shared.lock();
                    inner.core.handle_io_error(e);
                    inner.dispatch(&shared);
                    return;
                }
                wrote = true;
            }
            None => {
                io.shutdown();
                return;
            }
        }
    }
}

fn timer_loop(shared: Arc<Shared>, io: Arc<dyn Transport>) {
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
            drop(inner);
            io.shutdown();
            return;
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
