//! The blocking client (feature `blocking`): the same API as the tokio
//! client, without a runtime. Each connection runs three std threads (a
//! reader, a writer, a timer for heartbeats and deadlines) around the same
//! protocol core ([`crate::proto`]) the tokio client drives; every call
//! blocks its thread until the broker answers. Switching clients is a
//! change of imports: `use amqp091::blocking::{Connection, …}` and no
//! `.await`.
//!
//! With `default-features = false, features = ["blocking"]` no tokio is
//! compiled; TLS (`amqps://`) comes with the `rustls` feature (or `tls`).
//!
//! ```no_run
//! use amqp091::blocking::{BasicAckOptions, BasicConsumeOptions, BasicProperties, Confirm,
//!                         Connection, QueueDeclareOptions};
//! # fn main() -> Result<(), amqp091::Error> {
//! let conn = Connection::connect("amqp://guest:guest@localhost:5672/%2f")?;
//! let ch = conn.open_channel()?;                       // Send + Sync, cheap to clone
//! let q = ch.queue_declare("jobs", QueueDeclareOptions { durable: true, ..Default::default() },
//!                          Default::default())?;
//! ch.confirm_select(Default::default())?;
//! let confirm = ch.basic_publish("", &q.name, Default::default(),
//!                                &BasicProperties::default().persistent(), "work")?;
//! assert_eq!(confirm.wait()?, Confirm::Ack);
//! let consumer = ch.basic_consume(&q.name, BasicConsumeOptions::default(), Default::default())?;
//! for delivery in consumer {                           // Ok(delivery)…, then Err(why) if it ended badly
//!     let delivery = delivery?;
//!     delivery.ack(BasicAckOptions::default())?;
//! #   break;
//! }
//! conn.close()?;
//! # Ok(()) }
//! ```
//!
//! What the threads decide is no protocol rule: whether to read comes from
//! the core ([`wants_input`](crate::proto::Connection::wants_input)) and
//! from the consumers' queues, whose sizes the core sets; whether a
//! publisher may write from
//! [`publish_ready`](crate::proto::Connection::publish_ready); when to call
//! [`handle_timeout`](crate::proto::Connection::handle_timeout) from
//! [`poll_timeout`](crate::proto::Connection::poll_timeout).

mod channel;
mod confirm;
mod consumer;
mod delivery;
mod io;
mod shared;
mod sync;
#[cfg(feature = "rustls")]
mod tls;
// The options and results are the crate's own, shared with the tokio client.
pub use crate::options::*;

pub use crate::codec::{
    BasicProperties, FieldTable, FieldValue, LongStr, ReplyCode, ShortStr, ShortStrTooLong,
};
pub use crate::error::{CloseReason, Endpoint, Error, Initiator, TimeoutKind};
pub use crate::proto::{ConsumerEnd, Returned};
pub use crate::uri::{AuthMechanism, ConnectionOptions};
pub use bytes::Bytes;
pub use channel::Channel;
pub use confirm::{PublishConfirm, Returns};
pub use consumer::Consumer;
pub use delivery::{Delivery, GetMessage};

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::proto::{self, Tuning};
use shared::{now, ReplySlot, Shared};
use sync::{deadline_after, wait, wait_until};

/// A connection to a broker. Cheap to clone; every clone is the same
/// connection. It closes when [`close`](Connection::close) is called or the
/// last clone (and the last channel) is dropped.
#[derive(Clone)]
pub struct Connection {
    pub(crate) shared: Arc<Shared>,
    _close_on_drop: Arc<CloseOnDrop>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.shared.lock();
        f.debug_struct("Connection")
            .field("open", &inner.core.is_open())
            .field("options", &inner.core.config().options)
            .finish()
    }
}

/// Connects TCP to the first address of `host` that answers within `timeout`.
fn connect_tcp(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, Error> {
    let started = Instant::now();
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| Error::io(e, Some("TCP connect")))?;
    let mut last = None;
    for addr in addrs {
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Error::Timeout(TimeoutKind::Connect));
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => return Ok(s),
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                last = Some(Error::Timeout(TimeoutKind::Connect))
            }
            Err(e) => last = Some(Error::io(e, Some("TCP connect"))),
        }
    }
    Err(last.unwrap_or_else(|| {
        Error::io(
            std::io::Error::new(std::io::ErrorKind::NotFound, "the host name has no address"),
            Some("TCP connect"),
        )
    }))
}

/// The connector for `opts`: TCP (the connection timeout), then TLS when
/// the options ask for it (checked against the address's host unless the
/// options name the server).
fn connector(opts: &ConnectionOptions) -> Result<io::Connector, Error> {
    #[cfg(feature = "rustls")]
    let tls_config = match opts.tls {
        true => Some(tls::client_config(opts)?),
        false => None,
    };
    let opts = opts.clone();
    Ok(Arc::new(move |address: &crate::uri::Address| {
        let started = Instant::now();
        let timeout = opts.connection_timeout;
        let tcp = connect_tcp(&address.host, address.port, timeout)?;
        let _ = tcp.set_nodelay(true);
        #[cfg(feature = "rustls")]
        if let Some(tls_config) = &tls_config {
            let left = timeout.saturating_sub(started.elapsed());
            let mut for_host = opts.clone();
            for_host.host = address.host.clone();
            return tls::handshake(tcp, tls_config.clone(), &for_host, left);
        }
        let _ = started;
        Ok(Arc::new(tcp) as Arc<dyn io::Transport>)
    }))
}

impl Connection {
    /// Connects to the broker an AMQP URI names
    /// (`amqp://user:pass@host:port/vhost?heartbeat=30`).
    pub fn connect(url: &str) -> Result<Connection, Error> {
        Self::connect_with(ConnectionOptions::from_url(url)?)
    }

    /// Connects with options (or a [`proto::Config`] for the settings a URI
    /// cannot carry, such as [`recovery`](proto::Config::recovery)).
    /// `connection_timeout` bounds the TCP connect and the handshake
    /// together. With several addresses
    /// ([`more_addresses`](ConnectionOptions::more_addresses)) each one
    /// gets the whole timeout, and any failure on one (no answer, a
    /// handshake that fails or does not finish) moves on to the next
    /// ([`proto::FirstConnect`]); the error is the last address's.
    /// Without TLS, options that ask for EXTERNAL authentication or name
    /// TLS files or a server name are refused with [`Error::Tls`] before
    /// connecting.
    pub fn connect_with(config: impl Into<proto::Config>) -> Result<Connection, Error> {
        let config = config.into();
        let opts = &config.options;
        if opts.tls && cfg!(not(feature = "rustls")) {
            return Err(Error::Tls {
                reason: "amqps:// needs the `rustls` (or `tls`) feature of amqp091".into(),
            });
        }
        // Without TLS: no EXTERNAL, no TLS files (the password would go in clear).
        if let Some(reason) = opts.refused_in_clear().filter(|_| !opts.tls) {
            return Err(Error::Tls { reason });
        }
        // Certificates are read before connecting: a missing file fails at once.
        let connector = connector(opts)?;
        let timeout = opts.connection_timeout;
        let mut walk = proto::FirstConnect::new(&config);
        while let Some((index, address)) = walk.next_address() {
            // The connector bounds TCP (and TLS) by the timeout; the
            // handshake has what is left of it.
            let started = Instant::now();
            let attempt = connector(&address).and_then(|io| {
                let mut config = config.clone();
                config.options.connection_timeout = timeout.saturating_sub(started.elapsed());
                Self::run(io, config, Some((connector.clone(), index, timeout)))
            });
            match attempt {
                Ok(connection) => return Ok(connection),
                Err(e) => {
                    tracing::debug!(%address, error = %e, "connect failed; trying the next address");
                    walk.failed(e);
                }
            }
        }
        Err(walk.into_error())
    }

    /// Runs the connection over `io`; `reconnect`: recovery's connector,
    /// the index of the address `io` goes to, and the whole connection timeout.
    fn run(
        io: Arc<dyn io::Transport>,
        config: proto::Config,
        reconnect: Option<(io::Connector, usize, Duration)>,
    ) -> Result<Connection, Error> {
        if config.recovery.is_some() && reconnect.is_none() {
            return Err(Error::InvalidArgument(
                "automatic recovery needs Connection::connect or connect_with: \
                 a stream given by the caller cannot be opened again"
                    .into(),
            ));
        }
        static CONNECTIONS: AtomicU64 = AtomicU64::new(1);
        // Never the password: ConnectionOptions' Debug hides it, and it is not a span field.
        let span = tracing::info_span!(
            "amqp091.connection",
            id = CONNECTIONS.fetch_add(1, Ordering::Relaxed),
            host = %config.options.host,
            port = config.options.port,
            vhost = %config.options.vhost,
            user = %config.options.username,
        );
        span.in_scope(|| tracing::debug!("connecting (blocking)"));
        let mut core = proto::Connection::new(config, now());
        let connector = reconnect.map(|(connector, index, timeout)| {
            core.set_address_index(index);
            core.set_connection_timeout(timeout);
            connector
        });
        let (shared, connected) = Shared::new(core);
        if let Err(e) = io::spawn(shared.clone(), io.clone(), connector, span) {
            let mut inner = shared.lock();
            inner.core.handle_io_error(e);
            inner.dispatch(&shared);
            shared.kick(&mut inner);
            drop(inner);
            io.shutdown();
        }
        match connected.take(None) {
            Some(Ok(())) => Ok(Connection {
                _close_on_drop: Arc::new(CloseOnDrop(shared.clone())),
                shared,
            }),
            Some(Err(e)) => Err(e),
            None => Err(Error::NotOpen(Endpoint::Connection)),
        }
    }

    /// Opens a channel.
    pub fn open_channel(&self) -> Result<Channel, Error> {
        let state = Arc::new(shared::ChannelState::default());
        let (id, slot) = {
            let mut inner = self.shared.lock();
            let (id, request) = inner.core.open_channel(now())?;
            // Registered now, so that a close racing the open reaches the handle.
            inner.channels.insert(id, state.clone());
            let slot = inner.wait_for(request);
            self.shared.kick(&mut inner);
            (id, slot)
        };
        self.wait(&slot)?;
        Ok(Channel::new(self.clone(), id, state))
    }

    /// Closes the connection normally (200), waiting for the server's `close-ok`.
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(ReplyCode::REPLY_SUCCESS, "closed by the application")
    }

    /// Closes the connection with a reply code and text.
    pub fn close_with(&self, code: ReplyCode, text: &str) -> Result<(), Error> {
        let slot = {
            let mut inner = self.shared.lock();
            let request = inner.core.close(code, text, now())?;
            let slot = inner.wait_for(request);
            self.shared.kick(&mut inner);
            slot
        };
        self.wait(&slot).map(|_| ())
    }

    /// Waits until the connection ends, and says why.
    pub fn closed(&self) -> Error {
        let mut inner = self.shared.lock();
        loop {
            if inner.core.is_closed() {
                return inner
                    .closed_error()
                    .unwrap_or(Error::NotOpen(Endpoint::Connection));
            }
            inner = sync::wait(&self.shared.closed_cv, inner);
        }
    }

    /// Why the connection ended (or is ending), once it has; without waiting.
    pub fn close_reason(&self) -> Option<Error> {
        self.shared.lock().closed_error()
    }

    /// Sends new credentials (`connection.update-secret`, e.g. a refreshed
    /// OAuth 2 token) and waits for the server to accept them.
    pub fn update_secret(&self, secret: &[u8], reason: &str) -> Result<(), Error> {
        let slot = {
            let mut inner = self.shared.lock();
            let request = inner.core.update_secret(secret, reason, now())?;
            let slot = inner.wait_for(request);
            self.shared.kick(&mut inner);
            slot
        };
        self.wait(&slot).map(|_| ())
    }

    /// The server's reason while it blocks the connection (`connection.blocked`,
    /// a resource alarm), `None` otherwise.
    pub fn blocked(&self) -> Option<String> {
        self.shared.lock().blocked.clone()
    }

    /// Waits until `until` holds for the server's blocked reason (`None`
    /// while the connection is not blocked) and gives the reason then: the
    /// blocking counterpart of the async client's `watch_blocked`. For
    /// example `conn.wait_blocked(|b| b.is_none(), timeout)` waits for
    /// `connection.unblocked`. [`RecvTimeoutError::Timeout`] when `timeout`
    /// passes first, [`RecvTimeoutError::Disconnected`] when the connection
    /// ends.
    pub fn wait_blocked(
        &self,
        until: impl Fn(Option<&str>) -> bool,
        timeout: Duration,
    ) -> Result<Option<String>, RecvTimeoutError> {
        self.wait_for(timeout, |inner| {
            until(inner.blocked.as_deref()).then(|| inner.blocked.clone())
        })
    }

    /// Whether the connection is open.
    pub fn is_open(&self) -> bool {
        self.shared.lock().core.is_open()
    }

    /// Where the connection is: connected, recovering (with the attempt
    /// and why it was lost), recovered, closed.
    pub fn state(&self) -> proto::ConnectionState {
        self.shared.lock().core.state()
    }

    /// Waits until `until` holds for the connection's state (recovering,
    /// recovered, closed...) and gives that state: the blocking counterpart
    /// of the async client's `watch_state`. For example
    /// `conn.wait_state(|s| matches!(s, ConnectionState::Recovered { .. }), timeout)`.
    /// [`RecvTimeoutError::Timeout`] when `timeout` passes first,
    /// [`RecvTimeoutError::Disconnected`] when the connection ended in a
    /// state `until` does not accept.
    pub fn wait_state(
        &self,
        until: impl Fn(&proto::ConnectionState) -> bool,
        timeout: Duration,
    ) -> Result<proto::ConnectionState, RecvTimeoutError> {
        self.wait_for(timeout, |inner| {
            let state = inner.core.state();
            until(&state).then_some(state)
        })
    }

    /// Waits until `ready` gives a value (looked at again whenever the
    /// connection's flow, blocked state, recovery or end changes), the
    /// connection ends ([`RecvTimeoutError::Disconnected`]) or `timeout`
    /// passes ([`RecvTimeoutError::Timeout`]).
    fn wait_for<T>(
        &self,
        timeout: Duration,
        ready: impl Fn(&shared::Inner) -> Option<T>,
    ) -> Result<T, RecvTimeoutError> {
        let deadline = deadline_after(timeout);
        let mut inner = self.shared.lock();
        loop {
            if let Some(value) = ready(&inner) {
                return Ok(value);
            }
            if inner.core.is_closed() {
                return Err(RecvTimeoutError::Disconnected);
            }
            inner = match deadline {
                Some(d) if Instant::now() >= d => return Err(RecvTimeoutError::Timeout),
                Some(d) => wait_until(&self.shared.publish_cv, inner, d),
                None => wait(&self.shared.publish_cv, inner),
            };
        }
    }

    /// The broker the connection is on now (of the options' addresses).
    pub fn address(&self) -> Option<crate::uri::Address> {
        self.shared.lock().core.address().cloned()
    }

    /// What the server said about itself (product, version, capabilities).
    pub fn server_properties(&self) -> FieldTable {
        self.shared.lock().core.server_properties().clone()
    }

    /// Bytes of delivered messages the connection holds that the
    /// application has not taken yet (in consumers' queues, or read and
    /// waiting for room), counted as the delivery buffer counts them
    /// ([`proto::Config::delivery_buffer_bytes`]).
    pub fn buffered_delivery_bytes(&self) -> usize {
        let inner = self.shared.lock();
        inner
            .core
            .buffered_delivery_bytes()
            .saturating_sub(self.shared.released.pending())
    }

    /// The negotiated channel_max, frame_max and heartbeat.
    pub fn tuning(&self) -> Tuning {
        self.shared.lock().core.tuning()
    }

    /// Waits for a request's reply.
    pub(crate) fn wait(&self, slot: &ReplySlot) -> Result<proto::Reply, Error> {
        match slot.take(None) {
            Some(result) => result,
            None => Err(self
                .shared
                .lock()
                .closed_error()
                .unwrap_or(Error::NotOpen(Endpoint::Connection))),
        }
    }
}

/// Closes the connection when the last handle goes, if it is still open.
struct CloseOnDrop(Arc<Shared>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        let mut inner = self.0.lock();
        // Also while recovering: nobody is left to use what it would restore.
        if inner.core.is_open() || inner.core.is_recovering() {
            let _ = inner
                .core
                .close(ReplyCode::REPLY_SUCCESS, "connection handle dropped", now());
            self.0.kick(&mut inner);
        }
    }
}
