//! The socket's write half, shared by whoever writes: what the core queued
//! leaves in order, written either by the caller of a command right after
//! it (on a multi-thread runtime, when the socket takes the bytes at once:
//! no hand-off to the writer task, no thread woken) or by the writer task
//! (when the socket is full, when the caller found the writer busy, on
//! the current-thread runtime, and for publishes in quick succession,
//! which it batches).
//!
//! Bytes are only ever taken from the core while this half is locked, and
//! the bytes taken are written before any others, so the order on the wire
//! is the core's. Lock order: this half, then the core; never the reverse.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::{Buf, Bytes};
use tokio::io::AsyncWrite;

use super::driver::now;
use super::shared::Shared;
use super::transport::WritePart;

/// The pause after which a publish is written by its caller rather than
/// the writer task (see [`Shared::publish_written`]).
pub(crate) const PUBLISH_PAUSE: Duration = Duration::from_micros(10);

/// The write half of one transport, and what was taken from the core for it.
pub(crate) struct Outgoing {
    stream: WritePart,
    /// Taken from the core, not yet written: goes first.
    unsent: Bytes,
    /// Written since the last flush (a TLS stream buffers).
    unflushed: bool,
    /// A write failed: the transport is dead, nothing more is written.
    failed: bool,
    /// The last write would have blocked: the writer task waits for the
    /// socket. Nobody else polls it meanwhile: a poll from a caller would
    /// replace the writer task's waker with one that wakes nobody.
    blocked: bool,
}

/// Where writing stopped without blocking.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Drive {
    /// Everything the core queued is written and flushed.
    Idle,
    /// The connection has ended and its last bytes are out: shut down.
    Closed,
    /// The transport is void (failed, or recovery replaces it).
    Void,
}

impl Outgoing {
    pub(crate) fn new(stream: WritePart) -> Self {
        Outgoing {
            stream,
            unsent: Bytes::new(),
            unflushed: false,
            failed: false,
            blocked: false,
        }
    }

    /// Writes what the core has queued until it is all out or the socket
    /// would block (`Pending`: `cx` is woken when it takes more).
    fn poll_drive(
        &mut self,
        shared: &Shared,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<Drive>> {
        if self.failed {
            return Poll::Ready(Ok(Drive::Void));
        }
        let result = self.poll_drive_inner(shared, cx);
        match &result {
            Poll::Ready(Err(_)) => self.failed = true,
            Poll::Pending => self.blocked = true,
            Poll::Ready(Ok(_)) => self.blocked = false,
        }
        result
    }

    fn poll_drive_inner(
        &mut self,
        shared: &Shared,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<Drive>> {
        loop {
            if self.unsent.is_empty() {
                let mut inner = shared.lock();
                if inner.core.needs_transport() {
                    // What was queued for this transport is void (the core dropped it).
                    return Poll::Ready(Ok(Drive::Void));
                }
                match inner.core.take_transmit(now()) {
                    Some(bytes) => self.unsent = bytes,
                    None => {
                        let closed = inner.core.is_closed();
                        drop(inner);
                        if self.unflushed {
                            std::task::ready!(Pin::new(&mut self.stream).poll_flush(cx))?;
                            self.unflushed = false;
                        }
                        return Poll::Ready(Ok(if closed { Drive::Closed } else { Drive::Idle }));
                    }
                }
                tracing::trace!(bytes = self.unsent.len(), "write");
            }
            let n = std::task::ready!(Pin::new(&mut self.stream).poll_write(cx, &self.unsent))?;
            if n == 0 {
                return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()));
            }
            self.unsent.advance(n);
            self.unflushed = true;
            if self.unsent.is_empty() {
                // Publishers held at the high-water mark look again at
                // once: the sooner they refill, the fuller the socket.
                shared.drained.notify_waiters();
            }
        }
    }

    /// Shuts the write direction down (the connection has ended).
    fn poll_shutdown(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl Shared {
    /// Writes what the core queued from the calling task, if the socket
    /// takes it at once and nobody else is writing; otherwise leaves it to
    /// whoever is (it looks again before it lets go) or to the writer task
    /// (woken). Never waits.
    pub(crate) fn send_now(&self) {
        if !self.direct_writes {
            self.write_ready.notify_one();
            return;
        }
        loop {
            // Announce the bytes first: a holder that lets go looks again.
            self.write_pending.store(true, Ordering::SeqCst);
            let Ok(mut slot) = self.outgoing.try_lock() else {
                return; // the holder writes them
            };
            self.write_pending.store(false, Ordering::SeqCst);
            let Some(out) = slot.as_mut().filter(|out| !out.blocked) else {
                // No transport yet, or the writer task waits for the socket
                // (it takes what was queued once the socket takes more).
                drop(slot);
                self.write_ready.notify_one();
                return;
            };
            match out.poll_drive(self, &mut Context::from_waker(Waker::noop())) {
                Poll::Ready(Ok(Drive::Idle | Drive::Void)) => {}
                Poll::Ready(Ok(Drive::Closed)) | Poll::Pending => {
                    // The socket is full (or must be shut down): the writer
                    // task waits for it, and takes whatever comes meanwhile.
                    drop(slot);
                    self.write_ready.notify_one();
                    return;
                }
                Poll::Ready(Err(e)) => {
                    drop(slot);
                    let mut inner = self.lock();
                    inner.core.handle_io_error(e);
                    inner.dispatch(self);
                    drop(inner);
                    self.reader_wake.notify_one();
                    self.write_ready.notify_one();
                    return;
                }
            }
            drop(slot);
            if !self.write_pending.load(Ordering::SeqCst) {
                return;
            }
        }
    }

    /// After a publish is queued: the first publish after a pause is
    /// written at once by its caller (no thread woken: the latency of a
    /// request); publishes in quick succession go to the writer task,
    /// which writes each batch in one system call while the caller goes
    /// on. A pause is [`PUBLISH_PAUSE`] since the last publish was made,
    /// about what waking the writer costs: below it, publishes come faster
    /// than one wake-up per message could carry them.
    pub(crate) fn publish_written(&self) {
        if !self.direct_writes {
            self.write_ready.notify_one();
            return;
        }
        // One clock read: a direct write's own time counts into the next gap.
        let now = self.epoch.elapsed().as_nanos() as u64;
        let last = self.last_publish.swap(now, Ordering::Relaxed);
        if now.saturating_sub(last) >= PUBLISH_PAUSE.as_nanos() as u64 {
            self.send_now();
        } else {
            self.write_ready.notify_one();
        }
    }

    /// The writer task's side of [`send_now`](Self::send_now).
    pub(crate) fn poll_send(&self, cx: &mut Context<'_>) -> Poll<std::io::Result<Drive>> {
        loop {
            self.write_pending.store(false, Ordering::SeqCst);
            let mut slot = super::shared::lock(&self.outgoing);
            let driven = match slot.as_mut() {
                Some(out) => out.poll_drive(self, cx),
                None => Poll::Ready(Ok(Drive::Void)),
            };
            drop(slot);
            // Bytes announced while we held the half: ours to write.
            let idle = matches!(driven, Poll::Ready(Ok(Drive::Idle)));
            if !idle || !self.write_pending.load(Ordering::SeqCst) {
                return driven;
            }
        }
    }

    /// Shuts the transport's write direction down.
    pub(crate) fn poll_shutdown(&self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let mut slot = super::shared::lock(&self.outgoing);
        match slot.as_mut() {
            Some(out) => out.poll_shutdown(cx),
            None => Poll::Ready(Ok(())),
        }
    }
}
