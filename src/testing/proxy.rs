//! A fault-injecting TCP proxy for tests: put it between a client and a
//! real broker, then break the connection in the ways networks and brokers
//! do (feature `testing`, on tokio).
//!
//! [`Proxy::start`] listens on `127.0.0.1` (an ephemeral port) and forwards
//! every accepted connection to an upstream address on this machine; a
//! non-loopback upstream is refused, so a test can never send traffic
//! elsewhere. [`Proxy::inject`] applies a [`Fault`] to the connections open
//! now, [`Proxy::inject_persistent`] to those and every later one.
//! [`Proxy::wait_accepted`] and [`Proxy::wait_ended`] let a test wait for
//! events instead of sleeping.
//!
//! ```no_run
//! use amqp091::testing::proxy::{Fault, Proxy};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let proxy = Proxy::start("127.0.0.1:5672".parse().unwrap()).await?;
//! let mut opts = amqp091::ConnectionOptions::default();
//! opts.host = "127.0.0.1".into();
//! opts.port = proxy.addr().port();
//! let conn = amqp091::Connection::connect_with(opts).await.unwrap();
//! proxy.inject(Fault::Reset);
//! assert!(matches!(conn.closed().await, amqp091::Error::Io { .. }));
//! # Ok(())
//! # }
//! ```
//!
//! Memory is bounded: each direction of a connection holds at most
//! [`BUFFER_BYTES`] read but not yet written. Every task ends when the
//! [`Proxy`] is dropped (its sockets close with it).
//!
//! Delays run on tokio's clock: under a paused clock
//! (`start_paused = true`) a [`Fault::Delay`] passes as soon as every task
//! waits.

mod link;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// The most bytes one direction of a connection holds (read from one side,
/// not yet written to the other); reading stops while it is full.
pub const BUFFER_BYTES: usize = 256 * 1024;

/// What the proxy does to a connection.
///
/// The latest fault given to a connection replaces the one before:
/// [`None`](Fault::None) after [`Blackhole`](Fault::Blackhole) or
/// [`Delay`](Fault::Delay) heals it. [`Reset`](Fault::Reset),
/// [`HalfClose`](Fault::HalfClose) and [`CutAfter`](Fault::CutAfter) cannot
/// be undone for a connection they reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    /// Forward both directions as they come (the default; heals a black
    /// hole or a delay).
    #[default]
    None,
    /// Abort both sides at once: `SO_LINGER` 0, then close, so each peer
    /// gets a TCP RST (`ECONNRESET`), as when a broker's host dies or a
    /// firewall drops the connection.
    Reset,
    /// Stop forwarding in both directions but keep both sockets open:
    /// nothing is read, written or closed, so only heartbeats (or TCP's own
    /// timeouts) can tell. What was sent meanwhile stays in the kernel's
    /// buffers and this proxy's; healing delivers it, as a network
    /// partition that ends before TCP gives up.
    Blackhole,
    /// Forward, delaying each chunk read by this long (latency, not a
    /// throughput limit: chunks read meanwhile are delayed by the same
    /// amount, in order).
    Delay(Duration),
    /// Shut down the write side towards the client (it reads an end of
    /// stream) while the proxy goes on reading it and forwarding what it
    /// sends to the server; what the server sends from then on is read and
    /// dropped.
    HalfClose,
    /// Forward this many more bytes from the server to the client, then
    /// close both sides (an end of stream, after the bytes). With a
    /// count that is not a frame boundary the client reads half a frame.
    /// Client-to-server forwarding goes on until the cut.
    CutAfter {
        /// Bytes still forwarded from the server before the cut.
        bytes_from_server: usize,
    },
}

/// A running proxy; dropping it stops it and closes every connection.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

/// What the accept loop, the connections and the [`Proxy`] handle share.
#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    /// Connections accepted so far (refused ones included).
    accepted: watch::Sender<usize>,
    /// Connections ended so far (both sockets closed).
    ended: watch::Sender<usize>,
}

#[derive(Debug)]
struct State {
    upstream: SocketAddr,
    refuse: bool,
    /// The fault a newly accepted connection starts with.
    future: Fault,
    /// One sender per connection still running.
    links: Vec<watch::Sender<Fault>>,
}

fn loopback_only(addr: SocketAddr) -> io::Result<()> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the test proxy forwards to this machine only, not to {addr}"),
        ))
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data; go on with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn count_ended(&self) {
        self.ended.send_modify(|n| *n += 1);
    }
}

impl Proxy {
    /// Listens on `127.0.0.1` (an ephemeral port) and forwards each
    /// accepted connection to `upstream`, which must be a loopback address
    /// (otherwise `InvalidInput`). Call it inside a tokio runtime: the
    /// proxy's tasks run there.
    pub async fn start(upstream: SocketAddr) -> io::Result<Proxy> {
        loopback_only(upstream)?;
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                upstream,
                refuse: false,
                future: Fault::None,
                links: Vec::new(),
            }),
            accepted: watch::channel(0).0,
            ended: watch::channel(0).0,
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(Proxy {
            addr,
            shared,
            accept,
        })
    }

    /// The address clients connect to (`127.0.0.1:PORT`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where connections accepted from now on are forwarded.
    pub fn upstream(&self) -> SocketAddr {
        self.shared.lock().upstream
    }

    /// Forwards connections accepted from now on to `addr` (a loopback
    /// address, otherwise `InvalidInput`); open connections keep theirs.
    pub fn set_upstream(&self, addr: SocketAddr) -> io::Result<()> {
        loopback_only(addr)?;
        self.shared.lock().upstream = addr;
        Ok(())
    }

    /// While `true`, each new connection is accepted and at once reset, as
    /// by a broker that is down or restarting; `false` forwards again.
    pub fn refuse(&self, refuse: bool) {
        self.shared.lock().refuse = refuse;
    }

    /// Applies `fault` to every connection open now; later connections are
    /// not affected (see [`inject_persistent`](Self::inject_persistent)).
    /// It takes effect as soon as each connection's task runs, before any
    /// byte that a peer sends after this call is forwarded. Returns how
    /// many connections it reached.
    pub fn inject(&self, fault: Fault) -> usize {
        let mut state = self.shared.lock();
        state.links.retain(|link| link.send(fault).is_ok());
        state.links.len()
    }

    /// Applies `fault` to every connection open now and to every
    /// connection accepted afterwards, until the next call of this method
    /// or [`heal`](Self::heal). Returns how many open connections it reached.
    pub fn inject_persistent(&self, fault: Fault) -> usize {
        let mut state = self.shared.lock();
        state.future = fault;
        state.links.retain(|link| link.send(fault).is_ok());
        state.links.len()
    }

    /// [`Fault::None`] for open and future connections: ends black holes
    /// and delays, and connections accepted from now on are forwarded as
    /// they come. (Refusing is separate: [`refuse`](Self::refuse).)
    pub fn heal(&self) {
        let _ = self.inject_persistent(Fault::None);
    }

    /// How many connections the proxy has accepted, refused ones included.
    pub fn accepted(&self) -> usize {
        *self.shared.accepted.borrow()
    }

    /// Waits until the proxy has accepted `n` connections in all. A fault
    /// injected after this returns reaches the `n`th connection.
    pub async fn wait_accepted(&self, n: usize) {
        wait_count(&self.shared.accepted, n).await;
    }

    /// How many accepted connections have ended (both sockets closed by
    /// the proxy), refused ones included.
    pub fn ended(&self) -> usize {
        *self.shared.ended.borrow()
    }

    /// Waits until `n` accepted connections have ended in all.
    pub async fn wait_ended(&self, n: usize) {
        wait_count(&self.shared.ended, n).await;
    }
}

impl Drop for Proxy {
    /// Stops accepting; the connections' tasks (owned by the accept task)
    /// end with it and their sockets close.
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn wait_count(count: &watch::Sender<usize>, n: usize) {
    let mut rx = count.subscribe();
    // The sender lives as long as the `Proxy` borrowed here: no error.
    let _ = rx.wait_for(|c| *c >= n).await;
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    // The connections' tasks belong to this set: aborting this task drops
    // the set, which aborts them.
    let mut links = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((client, _)) => accept(client, &shared, &mut links),
                // Out of file descriptors and the like: a short back-off
                // rather than spinning (not a synchronisation).
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = links.join_next() => {}
        }
    }
}

fn accept(client: TcpStream, shared: &Arc<Shared>, links: &mut JoinSet<()>) {
    let (upstream, fault) = {
        let mut state = shared.lock();
        if state.refuse {
            drop(state);
            link::abort(&client);
            drop(client);
            shared.accepted.send_modify(|n| *n += 1);
            shared.count_ended();
            return;
        }
        // Registered before it is counted: a fault injected once
        // `wait_accepted` returns reaches this connection.
        let (tx, rx) = watch::channel(state.future);
        state.links.retain(|link| !link.is_closed());
        state.links.push(tx);
        (state.upstream, rx)
    };
    shared.accepted.send_modify(|n| *n += 1);
    let shared = shared.clone();
    links.spawn(async move {
        let _ = client.set_nodelay(true);
        match TcpStream::connect(upstream).await {
            Ok(server) => {
                let _ = server.set_nodelay(true);
                link::Link::new(client, server, fault).run().await;
            }
            Err(_) => link::abort(&client),
        }
        shared.count_ended();
    });
}
