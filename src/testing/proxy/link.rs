//! One proxied connection: a single task owns both sockets and moves bytes
//! both ways, applying the faults the [`Proxy`](super::Proxy) sends it.
//!
//! Each direction is a [`Pipe`]: chunks read from one socket wait there
//! (until their delay is over) to be written to the other; reading stops
//! while a pipe holds [`BUFFER_BYTES`]. An end of stream is passed on once
//! everything read before it is written. An IO error on either side
//! resets both (the peer of a broken connection sees it broken).

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use bytes::{Buf, Bytes};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::Instant;

use super::{Fault, BUFFER_BYTES};

/// The most bytes read in one go (one chunk, delayed as one).
const CHUNK: usize = 16 * 1024;

/// Sets `SO_LINGER` to 0, so that closing the socket sends a RST.
pub(super) fn abort(stream: &TcpStream) {
    // Linger 0 never blocks on close (the reason tokio deprecates
    // `set_linger` is a non-zero linger); `set_zero_linger` needs a newer
    // tokio than the crate asks for.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
}

/// One direction: bytes read from one socket, not yet written to the other.
#[derive(Debug, Default)]
struct Pipe {
    /// Chunks with the instant each may be written.
    queue: VecDeque<(Instant, Bytes)>,
    /// Bytes in `queue`.
    queued: usize,
    /// The source reached its end of stream.
    read_done: bool,
    /// The destination's write side is shut down.
    write_shut: bool,
    /// Read and drop what comes, instead of forwarding it.
    discard: bool,
}

impl Pipe {
    fn can_read(&self) -> bool {
        !self.read_done && (self.discard || self.queued < BUFFER_BYTES)
    }

    /// The first chunk may be written now.
    fn due(&self, now: Instant) -> bool {
        !self.write_shut && self.queue.front().is_some_and(|(at, _)| *at <= now)
    }

    /// When the first chunk may be written, if it may not yet.
    fn waiting_until(&self, now: Instant) -> Option<Instant> {
        match self.queue.front() {
            Some((at, _)) if *at > now && !self.write_shut => Some(*at),
            _ => None,
        }
    }

    fn push(&mut self, at: Instant, chunk: Bytes) {
        if !self.discard {
            self.queued += chunk.len();
            self.queue.push_back((at, chunk));
        }
    }

    /// `n` bytes of the first chunk were written.
    fn written(&mut self, n: usize) {
        if let Some((_, chunk)) = self.queue.front_mut() {
            chunk.advance(n);
            if chunk.is_empty() {
                self.queue.pop_front();
            }
        }
        self.queued -= n;
    }

    /// From now on nothing is forwarded this way.
    fn stop_forwarding(&mut self) {
        self.queue.clear();
        self.queued = 0;
        self.discard = true;
        self.write_shut = true;
    }

    /// Everything read has been written and the source has ended.
    fn drained(&self) -> bool {
        self.read_done && self.queue.is_empty()
    }
}

/// What the loop does after a step.
enum Next {
    Continue,
    Done,
}

/// Which socket an event is about.
#[derive(Clone, Copy)]
enum Side {
    Client,
    Server,
}

/// Both sockets of one connection and what is in flight between them.
pub(super) struct Link {
    client: TcpStream,
    server: TcpStream,
    faults: watch::Receiver<Fault>,
    /// Client to server.
    up: Pipe,
    /// Server to client.
    down: Pipe,
    blackhole: bool,
    delay: Duration,
    /// Bytes still forwarded to the client before a cut.
    budget: Option<usize>,
    scratch: Box<[u8]>,
}

impl Link {
    pub(super) fn new(
        client: TcpStream,
        server: TcpStream,
        faults: watch::Receiver<Fault>,
    ) -> Self {
        Link {
            client,
            server,
            faults,
            up: Pipe::default(),
            down: Pipe::default(),
            blackhole: false,
            delay: Duration::ZERO,
            budget: None,
            scratch: vec![0; CHUNK].into_boxed_slice(),
        }
    }

    /// Forwards until both directions have ended, a fault ends the
    /// connection, or an IO error resets it. Both sockets close on return.
    pub(super) async fn run(mut self) {
        let first = *self.faults.borrow_and_update();
        let mut next = self.apply(first).await;
        while let Ok(Next::Continue) = next {
            next = self.step().await;
        }
        if next.is_err() {
            abort(&self.client);
            abort(&self.server);
        }
    }

    async fn apply(&mut self, fault: Fault) -> io::Result<Next> {
        match fault {
            Fault::None => {
                self.blackhole = false;
                self.delay = Duration::ZERO;
            }
            Fault::Delay(delay) => {
                self.blackhole = false;
                self.delay = delay;
            }
            Fault::Blackhole => self.blackhole = true,
            Fault::Reset => {
                abort(&self.client);
                abort(&self.server);
                return Ok(Next::Done);
            }
            Fault::HalfClose => {
                if !self.down.write_shut {
                    let _ = self.client.shutdown().await;
                }
                self.down.stop_forwarding();
                self.budget = None;
            }
            Fault::CutAfter { bytes_from_server } => {
                self.blackhole = false;
                self.budget = Some(bytes_from_server);
                if bytes_from_server == 0 {
                    self.cut().await;
                }
            }
        }
        Ok(Next::Continue)
    }

    /// Ends both directions (an end of stream to each peer, after what was
    /// written), then reads and drops until both peers have closed.
    async fn cut(&mut self) {
        self.budget = None;
        if !self.down.write_shut {
            let _ = self.client.shutdown().await;
        }
        if !self.up.write_shut {
            let _ = self.server.shutdown().await;
        }
        self.up.stop_forwarding();
        self.down.stop_forwarding();
    }

    async fn step(&mut self) -> io::Result<Next> {
        if !self.blackhole {
            // Pass an end of stream on once everything before it is written.
            if self.up.drained() && !self.up.write_shut {
                let _ = self.server.shutdown().await;
                self.up.write_shut = true;
            }
            if self.down.drained() && !self.down.write_shut {
                let _ = self.client.shutdown().await;
                self.down.write_shut = true;
            }
        }
        if self.up.read_done && self.up.write_shut && self.down.read_done && self.down.write_shut {
            return Ok(Next::Done);
        }
        let now = Instant::now();
        let on = !self.blackhole;
        let wake = match (self.up.waiting_until(now), self.down.waiting_until(now)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            // Faults first: one injected before bytes were sent applies to
            // them, even when both are ready at once.
            biased;
            changed = self.faults.changed() => match changed {
                Ok(()) => {
                    let fault = *self.faults.borrow_and_update();
                    self.apply(fault).await
                }
                // The proxy is gone (its tasks are being aborted).
                Err(_) => Ok(Next::Done),
            },
            ready = self.client.readable(), if on && self.up.can_read() => {
                ready?;
                self.read(Side::Client)
            }
            ready = self.server.readable(), if on && self.down.can_read() => {
                ready?;
                self.read(Side::Server)
            }
            ready = self.server.writable(), if on && self.up.due(now) => {
                ready?;
                self.write(Side::Server).await
            }
            ready = self.client.writable(), if on && self.down.due(now) => {
                ready?;
                self.write(Side::Client).await
            }
            () = tokio::time::sleep_until(wake.unwrap_or(now)), if on && wake.is_some() => {
                Ok(Next::Continue)
            }
        }
    }

    /// Reads one chunk from `side` into the pipe leading away from it.
    fn read(&mut self, side: Side) -> io::Result<Next> {
        let (stream, pipe) = match side {
            Side::Client => (&self.client, &mut self.up),
            Side::Server => (&self.server, &mut self.down),
        };
        match stream.try_read(&mut self.scratch) {
            Ok(0) => pipe.read_done = true,
            Ok(n) => pipe.push(
                Instant::now() + self.delay,
                Bytes::copy_from_slice(&self.scratch[..n]),
            ),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
        Ok(Next::Continue)
    }

    /// Writes (part of) the first chunk of the pipe leading to `side`.
    async fn write(&mut self, side: Side) -> io::Result<Next> {
        let (stream, pipe, budget) = match side {
            Side::Server => (&self.server, &mut self.up, None),
            Side::Client => (&self.client, &mut self.down, self.budget),
        };
        let Some((_, chunk)) = pipe.queue.front() else {
            return Ok(Next::Continue);
        };
        let len = budget.map_or(chunk.len(), |b| b.min(chunk.len()));
        match stream.try_write(&chunk[..len]) {
            Ok(n) => {
                pipe.written(n);
                if let Side::Client = side {
                    if let Some(left) = self.budget.as_mut() {
                        *left -= n;
                        if *left == 0 {
                            self.cut().await;
                        }
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e),
        }
        Ok(Next::Continue)
    }
}
