//! Where and how to connect: [`ConnectionOptions`], the brokers' addresses
//! and the SASL mechanism. The protocol core reads these; [`crate::uri`]
//! builds them from `amqp://` URLs (the core does not depend on the URL
//! syntax).

pub(crate) mod address;
#[cfg(any(feature = "tokio", feature = "blocking"))]
mod clear;

pub use address::Address;

use std::fmt;
use std::time::Duration;

/// Port of `amqp://` URLs that give none.
pub(crate) const DEFAULT_PORT: u16 = 5672;
/// Port of `amqps://` URLs that give none.
pub(crate) const DEFAULT_TLS_PORT: u16 = 5671;

/// Where and how to connect. `Default` is `amqp://guest:guest@localhost:5672/%2f`.
///
/// Build one with [`ConnectionOptions::from_url`] (or `str::parse`), or start
/// from [`ConnectionOptions::default`] and set the fields.
///
/// Its `Debug` output shows the password as `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionOptions {
    /// Host name or IP address of the broker; `"localhost"` by default.
    /// An IPv6 address is kept without its brackets (`"::1"`).
    pub host: String,
    /// TCP port of the broker: 5672 by default, 5671 for `amqps`.
    pub port: u16,
    /// Whether to speak TLS (scheme `amqps`).
    pub tls: bool,
    /// User name to authenticate with; `"guest"` by default.
    pub username: String,
    /// Password to authenticate with; `"guest"` by default. Never printed:
    /// `Debug` shows `***`.
    pub password: String,
    /// Virtual host to open; `"/"` by default. At most 255 bytes.
    pub vhost: String,
    /// Heartbeat interval to ask for, in seconds. `None` accepts the
    /// server's proposal, or 60 seconds when the server proposes none (as
    /// the Java client asks for 60), so that a dead peer is always noticed.
    /// As RabbitMQ negotiates it, a `0` on either side lets the other
    /// side's value stand: `Some(0)` turns heartbeats off only when the
    /// server proposes none too.
    pub heartbeat: Option<u16>,
    /// Largest frame to ask for, in bytes: 131072 by default; `0` means no
    /// limit. Otherwise at least 4096.
    pub frame_max: u32,
    /// Most channels to ask for: 2047 by default; `0` means no limit.
    pub channel_max: u16,
    /// Time allowed for the TCP connect and the AMQP handshake together;
    /// 30 seconds by default.
    pub connection_timeout: Duration,
    /// Time allowed for the broker to answer a request (`channel.open`,
    /// `queue.declare`, …) after the handshake; 60 seconds by default,
    /// `None` for no limit. A request that times out fails with
    /// [`TimeoutKind::Request`](crate::TimeoutKind::Request), and its
    /// channel is closed (its state is unknown afterwards).
    pub request_timeout: Option<Duration>,
    /// Largest message body accepted from the broker; a larger one fails
    /// the connection (506 RESOURCE_ERROR). 128 MiB by default, RabbitMQ's
    /// own limit.
    pub max_message_size: u64,
    /// SASL mechanism to authenticate with; [`AuthMechanism::Plain`] by default.
    pub auth_mechanism: AuthMechanism,
    /// Locale to ask for in `connection.start-ok`; `"en_US"` by default.
    pub locale: String,
    /// TLS: PEM file of the CA certificates that may sign the server's
    /// certificate (query parameter `cacertfile`).
    pub ca_file: Option<std::path::PathBuf>,
    /// TLS: PEM file of the client certificate chain, for brokers that ask
    /// for one (and EXTERNAL authentication) (`certfile`).
    pub cert_file: Option<std::path::PathBuf>,
    /// TLS: PEM file of the client certificate's private key (`keyfile`).
    pub key_file: Option<std::path::PathBuf>,
    /// TLS: the name to verify the server's certificate against, when it is
    /// not the host (`server_name_indication`).
    pub server_name: Option<String>,
    /// More brokers to try after `host:port`, in order (see
    /// [`addresses`](Self::addresses)); recovery moves along them.
    /// [`from_urls`](Self::from_urls) fills it from a list of URLs.
    ///
    /// When connecting, each address gets the whole
    /// [`connection_timeout`](Self::connection_timeout), and any failure
    /// on one moves on to the next, as the Java client and pika do: no
    /// answer, a peer that closes or sends garbage, a handshake that does
    /// not finish in time, and also a refused login (403 ACCESS_REFUSED)
    /// or virtual host (530 NOT_ALLOWED), since the brokers of one list
    /// may differ (a node whose users are not in sync yet). The connect
    /// fails with the last address's error
    /// ([`proto::FirstConnect`](crate::proto::FirstConnect)).
    pub more_addresses: Vec<Address>,
    /// Try the brokers in a shuffled order instead of as listed (spreads
    /// clients over a cluster's nodes). Default `false`.
    pub shuffle_addresses: bool,
}

impl Default for ConnectionOptions {
    /// The options of `amqp://guest:guest@localhost:5672/%2f`.
    fn default() -> Self {
        ConnectionOptions {
            host: "localhost".to_owned(),
            port: DEFAULT_PORT,
            tls: false,
            username: "guest".to_owned(),
            password: "guest".to_owned(),
            vhost: "/".to_owned(),
            heartbeat: None,
            frame_max: 131_072,
            channel_max: 2047,
            connection_timeout: Duration::from_secs(30),
            request_timeout: Some(Duration::from_secs(60)),
            max_message_size: 128 * 1024 * 1024,
            auth_mechanism: AuthMechanism::Plain,
            locale: "en_US".to_owned(),
            ca_file: None,
            cert_file: None,
            key_file: None,
            server_name: None,
            more_addresses: Vec::new(),
            shuffle_addresses: false,
        }
    }
}

impl fmt::Debug for ConnectionOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Destructured so that a new field cannot be forgotten here.
        let ConnectionOptions {
            host,
            port,
            tls,
            username,
            password: _,
            vhost,
            heartbeat,
            frame_max,
            channel_max,
            connection_timeout,
            request_timeout,
            max_message_size,
            auth_mechanism,
            locale,
            ca_file,
            cert_file,
            key_file,
            server_name,
            more_addresses,
            shuffle_addresses,
        } = self;
        f.debug_struct("ConnectionOptions")
            .field("host", host)
            .field("port", port)
            .field("tls", tls)
            .field("username", username)
            .field("password", &"***")
            .field("vhost", vhost)
            .field("heartbeat", heartbeat)
            .field("frame_max", frame_max)
            .field("channel_max", channel_max)
            .field("connection_timeout", connection_timeout)
            .field("request_timeout", request_timeout)
            .field("max_message_size", max_message_size)
            .field("auth_mechanism", auth_mechanism)
            .field("locale", locale)
            .field("ca_file", ca_file)
            .field("cert_file", cert_file)
            .field("key_file", key_file)
            .field("server_name", server_name)
            .field("more_addresses", more_addresses)
            .field("shuffle_addresses", shuffle_addresses)
            .finish()
    }
}

/// SASL mechanism used to authenticate the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMechanism {
    /// `PLAIN` (RFC 4616): user name and password. The default.
    #[default]
    Plain,
    /// `AMQPLAIN`: user name and password in an AMQP field table.
    AmqPlain,
    /// `EXTERNAL` (RFC 4422): identity taken from outside AMQP, usually the
    /// TLS client certificate.
    External,
}

impl AuthMechanism {
    /// The mechanism's name on the wire: `"PLAIN"`, `"AMQPLAIN"` or `"EXTERNAL"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            AuthMechanism::Plain => "PLAIN",
            AuthMechanism::AmqPlain => "AMQPLAIN",
            AuthMechanism::External => "EXTERNAL",
        }
    }

    /// The mechanism called `name` (any ASCII case), if supported.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        [
            AuthMechanism::Plain,
            AuthMechanism::AmqPlain,
            AuthMechanism::External,
        ]
        .into_iter()
        .find(|mechanism| mechanism.name().eq_ignore_ascii_case(name))
    }
}
