//! A test kit: the server side of AMQP, scripted, for tests of this crate
//! and of applications built on it (feature `testing`; the crate's own unit
//! tests always have it).
//!
//! * [`frames`]: builders for what a server sends (handshake methods that
//!   look like RabbitMQ's, deliveries, content frames).
//! * [`server`]: [`ServerHandshake`], the server's half of the handshake
//!   without IO: client bytes in, replies out. A unit test of the
//!   [`proto`](crate::proto) core (or the fuzz target) completes a
//!   handshake with it in a few lines, without tokio.
//! * [`peer`]: [`Peer`], a scripted server over a tokio stream, and
//!   [`peer::connect`], a [`Connection`](crate::Connection) and its peer
//!   over an in-memory pipe, handshake done. Over a pipe, tests may run
//!   under tokio's paused clock (`#[tokio::test(start_paused = true)]`):
//!   the driver reads tokio's clock, so heartbeats and timeouts fire as
//!   soon as every task waits, in no real time.
//! * [`proxy`]: [`Proxy`](proxy::Proxy), a fault-injecting TCP proxy on
//!   loopback (reset, black hole, delay, half-close, a cut in the middle
//!   of a frame, refusing connections), to put between a client and a
//!   real broker.
//!
//! ```
//! use amqp091::testing::{frames, peer};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! let (conn, mut peer) = peer::connect(
//!     amqp091::ConnectionOptions::default(),
//!     frames::connection_tune(16, 131_072, 0),
//! )
//! .await;
//! let ch = peer.open_channel(&conn).await;
//! assert_eq!(ch.id(), 1);
//! # }
//! ```

pub mod frames;
#[cfg(feature = "tokio")]
pub mod peer;
#[cfg(feature = "tokio")]
pub mod proxy;
pub mod server;

#[cfg(feature = "tokio")]
pub use peer::Peer;
pub use server::{HandshakeError, ServerHandshake};
