//! The tokio client: [`Connection`], [`Channel`], [`Consumer`].
//!
//! ```no_run
//! use amqp091::{BasicProperties, Connection, QueueDeclareOptions, BasicConsumeOptions};
//! # async fn run() -> Result<(), amqp091::Error> {
//! let conn = Connection::connect("amqp://guest:guest@localhost:5672/%2f").await?;
//! let ch = conn.open_channel().await?;
//! let q = ch.queue_declare("jobs", QueueDeclareOptions { durable: true, ..Default::default() }, Default::default()).await?;
//! ch.basic_publish("", &q.name, Default::default(), &BasicProperties::default().with_delivery_mode(2), b"work").await?;
//! let mut consumer = ch.basic_consume(&q.name, BasicConsumeOptions::default(), Default::default()).await?;
//! while let Some(delivery) = consumer.recv().await {
//!     ch.basic_ack(delivery.delivery_tag, false).await?;
//! }
//! conn.close().await?;
//! # Ok(()) }
//! ```

mod channel;
mod confirm;
mod consumer;
mod delivery;
mod driver;
mod outgoing;
mod publish;
mod queue;
mod shared;
#[cfg(feature = "tls")]
mod tls;
mod transport;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};

use crate::codec::{FieldTable, ReplyCode};
use crate::proto::{self, ConnectionState, Tuning};
use crate::{ConnectionOptions, Endpoint, Error};

pub use crate::proto::ConsumerEnd;
pub use channel::Channel;
pub use confirm::{PublishConfirm, Returns};
pub use consumer::Consumer;
pub use delivery::{Delivery, GetMessage};
use driver::CloseOnDrop;
use shared::Shared;

/// A connection to a broker. Cheap to clone; every clone is the same
/// connection. It closes when [`close`](Connection::close) is called or the
/// last clone (and the last channel) is dropped.
#[derive(Clone)]
pub struct Connection {
    shared: Arc<Shared>,
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

/// Refuses what would send credentials in clear: TLS asked for but the
/// stream is not secure, or, without TLS, EXTERNAL authentication (the TLS
/// client certificate is the credential) or TLS files and server name
/// ([`ConnectionOptions::refused_in_clear`]).
fn check_transport(opts: &ConnectionOptions, secure: bool) -> Result<(), Error> {
    if secure {
        return Ok(());
    }
    if opts.tls {
        return Err(Error::Tls {
            reason: "the options ask for TLS (amqps://) but the stream is not secured: \
                     use Connection::connect_with, or connect_secured_stream for a stream you secured"
                .into(),
        });
    }
    match opts.refused_in_clear() {
        Some(reason) => Err(Error::Tls { reason }),
        None => Ok(()),
    }
}

impl Connection {
    /// Connects to the broker an AMQP URI names
    /// (`amqp://user:pass@host:port/vhost?heartbeat=30`).
    pub async fn connect(url: &str) -> Result<Connection, Error> {
        Self::connect_with(ConnectionOptions::from_url(url)?).await
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
    pub async fn connect_with(config: impl Into<proto::Config>) -> Result<Connection, Error> {
        let config = config.into();
        let opts = &config.options;
        if opts.tls && cfg!(not(feature = "tls")) {
            return Err(Error::Tls {
                reason: "amqps:// needs the `tls` feature of amqp091".into(),
            });
        }
        check_transport(opts, opts.tls)?;
        // Certificates are read before connecting: a missing file fails at once.
        let connector = transport::connector(opts)?;
        let timeout = opts.connection_timeout;
        let mut walk = proto::FirstConnect::new(&config);
        while let Some((index, address)) = walk.next_address() {
            // The connector bounds TCP (and TLS) by the timeout; the
            // handshake has what is left of it.
            let started = driver::now();
            let attempt = async {
                let stream = connector(address.clone()).await?;
                let mut config = config.clone();
                config.options.connection_timeout = transport::left(timeout, started.elapsed());
                Self::run(stream, config, Some((connector.clone(), index, timeout))).await
            };
            match attempt.await {
                Ok(connection) => return Ok(connection),
                Err(e) => {
                    tracing::debug!(%address, error = %e, "connect failed; trying the next address");
                    walk.failed(e);
                }
            }
        }
        Err(walk.into_error())
    }

    /// Runs AMQP over a plain stream the caller connected (a proxy, an
    /// in-memory pipe in tests). Options that ask for TLS (`amqps://`),
    /// name TLS files or a server name, or ask for EXTERNAL authentication
    /// are refused with [`Error::Tls`]: over this stream the password would
    /// travel in clear. For a stream the caller
    /// secured itself, use [`connect_secured_stream`](Self::connect_secured_stream).
    pub async fn connect_stream<S>(
        stream: S,
        config: impl Into<proto::Config>,
    ) -> Result<Connection, Error>
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        let config = config.into();
        check_transport(&config.options, false)?;
        Self::run(transport::Stream::Other(Box::pin(stream)), config, None).await
    }

    /// Runs AMQP over a stream the caller has secured (its own TLS, a
    /// tunnel it trusts): TLS options and EXTERNAL authentication are
    /// taken as satisfied by it.
    pub async fn connect_secured_stream<S>(
        stream: S,
        config: impl Into<proto::Config>,
    ) -> Result<Connection, Error>
    where
        S: AsyncRead + AsyncWrite + Send + 'static,
    {
        Self::run(
            transport::Stream::Other(Box::pin(stream)),
            config.into(),
            None,
        )
        .await
    }

    /// Runs the connection over `stream`. `reconnect`: how to open another
    /// transport for recovery, the index of the address `stream` goes to,
    /// and the full connection timeout (the handshake on `stream` has what
    /// is left of it).
    async fn run(
        stream: transport::Stream,
        config: proto::Config,
        reconnect: Option<(transport::Connector, usize, std::time::Duration)>,
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
        span.in_scope(|| tracing::debug!("connecting"));
        let mut core = proto::Connection::new(config, driver::now());
        let connector = reconnect.map(|(connector, index, timeout)| {
            core.set_address_index(index);
            // Later handshakes get the whole timeout.
            core.set_connection_timeout(timeout);
            connector
        });
        let (shared, connected) = Shared::new(core);
        driver::spawn(shared.clone(), stream, span, connector);
        match connected.await {
            Ok(Ok(())) => Ok(Connection {
                _close_on_drop: Arc::new(CloseOnDrop(shared.clone())),
                shared,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(Error::NotOpen(Endpoint::Connection)),
        }
    }

    /// Opens a channel. Cancel-safe: if this future is dropped before the
    /// broker answers, the channel is closed once it is open (nothing is
    /// left open on the broker that no handle holds).
    pub async fn open_channel(&self) -> Result<Channel, Error> {
        let state = Arc::new(shared::ChannelState::default());
        let (id, request, rx) = {
            let mut inner = self.shared.lock();
            let (id, request) = inner.core.open_channel(driver::now())?;
            // Registered now, so that a close racing the open reaches the handle.
            inner.channels.insert(id, state.clone());
            (id, request, inner.wait_for(request))
        };
        let guard = shared::AbandonOnDrop::new(&self.shared, request);
        self.shared.kick();
        let opened = self.wait(rx).await;
        guard.disarm();
        opened?;
        Ok(Channel::new(self.clone(), id, state))
    }

    /// Closes the connection normally (200), waiting for the server's `close-ok`.
    pub async fn close(&self) -> Result<(), Error> {
        self.close_with(ReplyCode::REPLY_SUCCESS, "closed by the application")
            .await
    }

    /// Closes the connection with a reply code and text.
    pub async fn close_with(&self, code: ReplyCode, text: &str) -> Result<(), Error> {
        let rx = {
            let mut inner = self.shared.lock();
            let request = inner.core.close(code, text, driver::now())?;
            inner.wait_for(request)
        };
        self.shared.kick();
        self.wait(rx).await.map(|_| ())
    }

    /// Waits until the connection ends, and says why.
    pub async fn closed(&self) -> Error {
        let mut rx = self.shared.closed_tx.subscribe();
        loop {
            if let Some(e) = rx.borrow_and_update().clone() {
                return e;
            }
            if rx.changed().await.is_err() {
                return Error::NotOpen(Endpoint::Connection);
            }
        }
    }

    /// Sends new credentials (`connection.update-secret`, e.g. a refreshed
    /// OAuth 2 token) and waits for the server to accept them.
    pub async fn update_secret(&self, secret: &[u8], reason: &str) -> Result<(), Error> {
        let rx = {
            let mut inner = self.shared.lock();
            let request = inner.core.update_secret(secret, reason, driver::now())?;
            inner.wait_for(request)
        };
        self.shared.kick();
        self.wait(rx).await.map(|_| ())
    }

    /// The server's reason while it blocks the connection (`connection.blocked`,
    /// a resource alarm), `None` otherwise.
    pub fn blocked(&self) -> Option<String> {
        self.shared.blocked_tx.borrow().clone()
    }

    /// Follows `connection.blocked` / `unblocked`: the value is `Some(reason)`
    /// while blocked. `changed().await` wakes at each change.
    pub fn watch_blocked(&self) -> tokio::sync::watch::Receiver<Option<String>> {
        self.shared.blocked_tx.subscribe()
    }

    /// Whether the connection is open (`false` while it recovers).
    pub fn is_open(&self) -> bool {
        self.shared.lock().core.is_open()
    }

    /// Where the connection is: connected, recovering (with the attempt
    /// and why it was lost), recovered, closed.
    pub fn state(&self) -> ConnectionState {
        self.shared.lock().core.state()
    }

    /// Everything recovery reports from now on, in order: the loss, each
    /// attempt, queues renamed (a server-named queue declared again gets a
    /// new name: the application's copy of the old one is stale),
    /// declarations the new broker refused, and the end of each recovery.
    /// A receiver that falls more than 256 events behind is told how many
    /// it missed.
    pub fn recovery_events(&self) -> tokio::sync::broadcast::Receiver<proto::RecoveryEvent> {
        self.shared.recovery_tx.subscribe()
    }

    /// The broker the connection is on now (of the options' addresses; the
    /// next one to try while recovering).
    pub fn address(&self) -> Option<crate::uri::Address> {
        self.shared.lock().core.address().cloned()
    }

    /// Follows [`state`](Self::state): `changed().await` wakes at each
    /// change. With [recovery](proto::Config::recovery) on, this is the
    /// hook for what the application restores itself: after
    /// [`ConnectionState::Recovered`] the connection, its channels and
    /// consumers are back (the same handles go on working), and whatever
    /// the library does not record (for example declarations made through
    /// another connection) can be declared again.
    pub fn watch_state(&self) -> tokio::sync::watch::Receiver<ConnectionState> {
        self.shared.state_tx.subscribe()
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

    async fn wait(
        &self,
        rx: tokio::sync::oneshot::Receiver<Result<proto::Reply, Error>>,
    ) -> Result<proto::Reply, Error> {
        match rx.await {
            Ok(result) => result,
            Err(_) => Err(self
                .shared
                .lock()
                .closed_error()
                .unwrap_or(Error::NotOpen(Endpoint::Connection))),
        }
    }
}
