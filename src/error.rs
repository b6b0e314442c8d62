//! Errors: channel and connection exceptions with their reply code, text
//! and method; IO, protocol and timeout failures apart.

use std::fmt;
use std::sync::Arc;

use crate::codec::{spec_info, ProtocolHeader, ReplyCode};
use crate::uri::UriError;

/// Why a channel or connection closed: what the closing `close` method said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseReason {
    /// The reply code (e.g. 404 NOT_FOUND).
    pub code: ReplyCode,
    /// The reply text.
    pub text: String,
    /// Class of the method that caused the close (0 if none).
    pub class_id: u16,
    /// Method that caused the close (0 if none).
    pub method_id: u16,
}

impl CloseReason {
    /// A reason with no method attached.
    pub fn new(code: ReplyCode, text: impl Into<String>) -> Self {
        CloseReason {
            code,
            text: text.into(),
            class_id: 0,
            method_id: 0,
        }
    }

    /// The method that caused the close, as `class.method`, if any.
    pub fn method_name(&self) -> Option<&'static str> {
        spec_info::method_info(self.class_id, self.method_id).map(|m| m.full_name)
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // RabbitMQ's texts already start with the code name ("NOT_FOUND - no queue …").
        let named = self.code.name().is_some_and(|n| self.text.starts_with(n));
        if named {
            write!(f, "{} {}", self.code.0, self.text)?;
        } else {
            write!(f, "{} {}", self.code, self.text)?;
        }
        match self.method_name() {
            Some(m) => write!(f, " (on {m})"),
            None if self.class_id != 0 => {
                write!(f, " (on class {} method {})", self.class_id, self.method_id)
            }
            None => Ok(()),
        }
    }
}

/// Who closed a channel or connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Initiator {
    /// The server sent `close`.
    Server,
    /// The application asked for the close.
    Application,
    /// This library closed it because the peer broke the protocol.
    Library,
}

/// What timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// TCP connect and handshake together took longer than `connection_timeout`.
    Connect,
    /// Nothing arrived from the server for two heartbeat intervals.
    Heartbeat,
    /// The server did not answer our `connection.close` (or `channel.close`).
    Close,
    /// The server did not answer a request within the request timeout
    /// ([`ConnectionOptions::request_timeout`](crate::ConnectionOptions::request_timeout));
    /// its channel is closed.
    Request,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutKind::Connect => "connecting (TCP connect and AMQP handshake)",
            TimeoutKind::Heartbeat => "the server was silent for two heartbeat intervals",
            TimeoutKind::Close => "waiting for close-ok",
            TimeoutKind::Request => "the server did not answer the request in time",
        })
    }
}

/// What a call needed open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The connection.
    Connection,
    /// A channel.
    Channel(u16),
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Connection => f.write_str("the connection"),
            Endpoint::Channel(n) => write!(f, "channel {n}"),
        }
    }
}

/// Every failure of the client.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A channel closed (a channel exception, such as 404 or 406, or an
    /// application close). The connection and other channels go on.
    #[error("channel {channel} closed by {by}: {reason}")]
    ChannelClosed {
        /// The channel.
        channel: u16,
        /// Code, text and method.
        reason: CloseReason,
        /// Who closed it.
        by: Initiator,
    },
    /// The connection closed (a connection exception such as 403, 530 or
    /// 540, an application close, or a protocol violation by the peer).
    #[error("connection closed by {by}: {reason}")]
    ConnectionClosed {
        /// Code, text and method.
        reason: CloseReason,
        /// Who closed it.
        by: Initiator,
    },
    /// The socket failed or closed without an AMQP close.
    #[error("connection lost{}: {source}", during.map(|d| format!(" during {d}")).unwrap_or_default())]
    Io {
        /// The IO error (shared: every pending call gets the same one).
        source: Arc<std::io::Error>,
        /// The handshake step it happened in, if any.
        during: Option<&'static str>,
    },
    /// Something took too long.
    #[error("timed out: {0}")]
    Timeout(TimeoutKind),
    /// The server answered the protocol header with another version.
    #[error("the server does not speak AMQP 0-9-1; it offered {offered}")]
    UnsupportedProtocol {
        /// The protocol header the server sent back.
        offered: ProtocolHeader,
    },
    /// The server offers none of the mechanisms the client is configured for.
    #[error("the server does not offer the {wanted} mechanism (it offers: {offered})")]
    AuthMechanism {
        /// What the client wanted.
        wanted: &'static str,
        /// What the server offered.
        offered: String,
    },
    /// An argument cannot be sent (a name over 255 bytes, a channel that is
    /// not open, a method that is not a request …).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The server cancelled a consumer (`basic.cancel`: its queue was
    /// deleted, or a cluster node went away); what a consumer's stream
    /// yields last in that case.
    #[error("the server cancelled consumer {consumer_tag} on channel {channel}")]
    ConsumerCancelled {
        /// The channel.
        channel: u16,
        /// The consumer.
        consumer_tag: String,
    },
    /// The call needs an open connection or channel and it is not open:
    /// not yet (its handshake or `channel.open` has not finished), or no
    /// longer, when no close reason is known. A connection or channel that
    /// closed for a known reason fails later calls with that reason
    /// instead ([`ChannelClosed`](Error::ChannelClosed),
    /// [`ConnectionClosed`](Error::ConnectionClosed), [`Io`](Error::Io), …).
    #[error("{0} is not open")]
    NotOpen(Endpoint),
    /// Every channel id up to the negotiated channel_max is in use.
    #[error("no free channel: all {channel_max} are open")]
    ChannelLimit {
        /// The negotiated limit.
        channel_max: u16,
    },
    /// TLS could not be set up: a certificate or key file, the server's
    /// certificate failing verification, or a build without the `tls` feature.
    #[error("TLS: {reason}")]
    Tls {
        /// What went wrong.
        reason: String,
    },
    /// The URL is not a valid AMQP URI.
    #[error(transparent)]
    Uri(#[from] UriError),
    /// The connection is being recovered and the call cannot wait for it:
    /// a publish past the bounds of what recovery holds
    /// ([`Recovery::hold_messages`](crate::proto::Recovery::hold_messages)),
    /// or a call that needs the broker now (opening a channel, updating the secret).
    #[error("the connection is recovering (attempt {attempt}); try again once it is back")]
    Recovering {
        /// The current attempt.
        attempt: u32,
    },
    /// An acknowledgement of a delivery made on a connection that was lost
    /// since: the broker of the new one does not know the tag (it would
    /// close the channel with 406), so nothing was sent. The message was
    /// not acknowledged; the broker delivers it again (redelivered).
    #[error("delivery tag {delivery_tag} on channel {channel} is from before the connection was recovered; nothing sent")]
    StaleDeliveryTag {
        /// The channel.
        channel: u16,
        /// The tag.
        delivery_tag: u64,
    },
}

/// `?` on a name that does not fit a short string.
impl From<crate::codec::ShortStrTooLong> for Error {
    fn from(e: crate::codec::ShortStrTooLong) -> Self {
        Error::InvalidArgument(e.to_string())
    }
}

impl Error {
    /// The AMQP reply code, for channel and connection closes.
    pub fn reply_code(&self) -> Option<ReplyCode> {
        match self {
            Error::ChannelClosed { reason, .. } | Error::ConnectionClosed { reason, .. } => {
                Some(reason.code)
            }
            _ => None,
        }
    }

    pub(crate) fn io(e: std::io::Error, during: Option<&'static str>) -> Self {
        Error::Io {
            source: Arc::new(e),
            during,
        }
    }
}

impl fmt::Display for Initiator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Initiator::Server => "the server",
            Initiator::Application => "the application",
            Initiator::Library => "the client library",
        })
    }
}
