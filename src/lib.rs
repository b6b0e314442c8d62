//! # amqp091
//!
//! An AMQP 0-9-1 client for RabbitMQ and other brokers.
//!
//! * `Connection`, `Channel`, `Consumer`: the tokio client (feature
//!   `tokio`, on by default).
//! * `blocking`: the same API without a runtime, on std threads (feature
//!   `blocking`; with `default-features = false` no tokio is compiled).
//! * [`proto`]: the protocol core, a sans-IO state machine (bytes and time
//!   in; bytes, events and completions out) that holds every protocol rule.
//! * [`codec`]: the wire codec ([`amqp091_codec`]).
//! * [`ConnectionOptions`]: where and how to connect, from an AMQP URI.
//! * [`Error`]: every failure, typed; channel and connection exceptions
//!   carry their reply code, text and method.
//!
//! Strings go in as `&str` everywhere the API names something (queues,
//! exchanges, routing keys); properties take a [`ShortStr`]:
//!
//! ```
//! use amqp091::{BasicProperties, Error, ShortStr};
//!
//! fn reply_props(queue: &str, id: String) -> Result<BasicProperties, Error> {
//!     Ok(BasicProperties::default()
//!         .with_reply_to(ShortStr::try_from(queue)?)    // any `&str`; `?`: over 255 bytes
//!         .with_correlation_id(ShortStr::try_from(id)?) // a `String`, not copied
//!         .with_content_type(ShortStr::from_static("application/json")) // a literal
//!         .persistent())
//! }
//! let props = reply_props("amq.rabbitmq.reply-to", "42".into())?;
//! assert_eq!(props.reply_to_str(), Some("amq.rabbitmq.reply-to"));
//! assert_eq!(props.correlation_id_str(), Some("42"));
//! assert_eq!(props.content_type_str(), Some("application/json"));
//! # Ok::<(), Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use amqp091_codec as codec;

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[cfg(feature = "tokio")]
mod client;
mod connection_options;
mod error;
#[cfg(any(feature = "tokio", feature = "blocking"))]
mod methods;
mod options;
pub mod proto;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(feature = "rustls")]
mod tls_config;
pub mod uri;

pub use bytes::Bytes;
#[cfg(feature = "tokio")]
pub use client::*;
pub use codec::{
    BasicProperties, FieldTable, FieldValue, LongStr, Properties, ReplyCode, ShortStr,
    ShortStrTooLong,
};
pub use error::{CloseReason, Endpoint, Error, Initiator, TimeoutKind};
pub use options::*;
pub use proto::Returned;
pub use proto::{ConnectionState, Recovery};
pub use uri::{Address, AuthMechanism, ConnectionOptions, UriError};
