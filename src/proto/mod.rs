//! The protocol core: the AMQP 0-9-1 connection and channel state machine,
//! without IO.
//!
//! It is fed the bytes the server sent and the current time, and yields the
//! bytes to send, events, and the completions of requests. It owns every
//! protocol rule: the handshake and its negotiation, the channel table and
//! the reuse of channel ids, reply matching, content assembly, consumer
//! tags and capacities, the settlement of publisher confirms, heartbeats,
//! how much a front end may buffer before it stops reading, and closing
//! with the reply code the spec names when the server breaks the protocol.
//! It has no sockets, no tasks, no locks and no clock of its own, so unit
//! tests and fuzz targets drive it directly, and every front end (the tokio
//! driver, a blocking client, the test tools) shares its decisions.
//!
//! # Driving it
//!
//! Methods fall in four groups (after quinn-proto's `Connection`):
//!
//! * input: [`handle_input`](Connection::handle_input) (bytes read),
//!   [`handle_eof`](Connection::handle_eof), [`handle_io_error`](Connection::handle_io_error),
//!   [`handle_timeout`](Connection::handle_timeout),
//!   [`release_deliveries`](Connection::release_deliveries) (the application took them);
//! * commands: [`open_channel`](Connection::open_channel),
//!   [`close_channel`](Connection::close_channel), [`request`](Connection::request),
//!   [`consume`](Connection::consume), [`publish`](Connection::publish), [`close`](Connection::close);
//! * output: [`take_transmit`](Connection::take_transmit) (bytes to write),
//!   [`poll_event`](Connection::poll_event), [`poll_timeout`](Connection::poll_timeout),
//!   [`wants_input`](Connection::wants_input) (whether to read now),
//!   [`publish_ready`](Connection::publish_ready) (whether a publisher may write now);
//! * getters: [`tuning`](Connection::tuning), [`server_properties`](Connection::server_properties), ….
//!
//! After any input or command, write what `take_transmit` returns, drain
//! `poll_event`, and arm a timer for `poll_timeout`.
//!
//! # Layout
//!
//! `connection` (state, input, output), `commands`, `handshake`, `channel`
//! (a channel's state and the frames on it), `lifecycle` (opening and
//! closing channels, and a channel's end), `rpc` (reply matching),
//! `confirms`, `consumers`, `content` (assembly), `close`, `timers`,
//! `events`, `config`.

mod channel;
mod close;
mod commands;
mod config;
mod confirms;
mod connection;
mod consumers;
mod content;
mod events;
mod first_connect;
#[cfg(any(test, feature = "testing"))]
pub mod fuzzing;
mod handshake;
mod input;
mod lifecycle;
mod publish;
mod recovery;
mod restore;
mod rpc;
mod timers;
mod topology;

pub use commands::ConsumerStarted;
pub use config::Config;
pub use connection::Connection;
pub use events::{
    ConnectionState, ConsumerEnd, Delivery, Event, GetMessage, RecoveryEvent, Reply, RequestId,
    Returned,
};
pub use first_connect::FirstConnect;
pub use handshake::Tuning;
pub use publish::{Body, ZERO_COPY_MIN};
pub use recovery::{recoverable, Recovery};

/// Bytes waiting to be written above which publishers wait.
pub const WRITE_HIGH_WATER: usize = 1 << 20;

/// Bytes waiting to be written above which the front end stops reading
/// too: the replies to what it reads would pile up. Above the publishers'
/// mark, so that publishers alone never stop the reading: a server that
/// neither reads nor sends is then still found out by the missed
/// heartbeats (a front end that does not read cannot tell a silent server
/// from its own pause). To get here, the server must have sent a
/// mebibyte of methods that want replies while reading none: it is alive.
pub const READ_HIGH_WATER: usize = 2 * WRITE_HIGH_WATER;

#[cfg(test)]
mod tests;
