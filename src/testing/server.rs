//! The server side of the AMQP handshake, sans-IO: bytes from the client
//! in, the server's replies out, with no socket, runtime or clock.
//!
//! ```
//! use std::time::Instant;
//! use amqp091::proto::{Config, Connection, Event};
//! use amqp091::testing::{frames, server::ServerHandshake};
//!
//! let now = Instant::now();
//! let mut conn = Connection::new(Config::default(), now);
//! let mut server = ServerHandshake::new(frames::connection_tune(8, 4096, 0));
//! server.drive(&mut conn, now).unwrap();
//! assert!(matches!(conn.poll_event(), Some(Event::Connected)));
//! assert_eq!(server.tune_ok().unwrap().frame_max, 4096);
//! ```

use std::time::Instant;

use bytes::BytesMut;

use super::frames::{self, method};
use crate::codec::method::{
    ConnectionOpen, ConnectionStart, ConnectionStartOk, ConnectionTune, ConnectionTuneOk,
};
use crate::codec::{DecodeError, Frame, FrameDecoder, Method, ProtocolHeader};
use crate::proto::Connection;

/// Why the client's side of a handshake was not what a server accepts.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The first 8 bytes were not the AMQP 0-9-1 protocol header.
    #[error("the client opened with {0:?}, not the AMQP 0-9-1 protocol header")]
    ProtocolHeader([u8; 8]),
    /// The client wrote bytes that are not a valid frame.
    #[error("the client wrote an invalid frame: {0}")]
    Decode(#[from] DecodeError),
    /// The client sent something other than the next handshake method.
    #[error("expected {expected} on channel 0 from the client, got {got:?}")]
    Unexpected {
        /// The method the server waited for.
        expected: &'static str,
        /// What came instead.
        got: Box<Frame>,
    },
    /// The client had nothing more to send before the handshake was done.
    #[error("the client stopped before the handshake was done, waiting for {expected}")]
    Stalled {
        /// The method the server waited for.
        expected: &'static str,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Header,
    StartOk,
    TuneOk,
    Open,
    Done,
}

impl Step {
    fn expects(self) -> &'static str {
        match self {
            Step::Header => "the protocol header",
            Step::StartOk => "connection.start-ok",
            Step::TuneOk => "connection.tune-ok",
            Step::Open => "connection.open",
            Step::Done => "nothing",
        }
    }
}

/// A scripted server's handshake: answers the protocol header with
/// `connection.start`, `start-ok` with `connection.tune`, and `open` with
/// `open-ok`, and keeps what the client sent for the test to check.
/// Heartbeat frames from the client are skipped.
#[derive(Debug)]
pub struct ServerHandshake {
    start: ConnectionStart,
    tune: ConnectionTune,
    step: Step,
    input: BytesMut,
    decoder: FrameDecoder,
    start_ok: Option<ConnectionStartOk>,
    tune_ok: Option<ConnectionTuneOk>,
    open: Option<ConnectionOpen>,
}

impl Default for ServerHandshake {
    /// RabbitMQ's start and tuning ([`frames::rabbitmq_tune`]).
    fn default() -> Self {
        Self::new(frames::rabbitmq_tune())
    }
}

impl ServerHandshake {
    /// A handshake that offers [`frames::connection_start`] and `tune`.
    pub fn new(tune: ConnectionTune) -> Self {
        ServerHandshake {
            start: frames::connection_start(),
            tune,
            step: Step::Header,
            input: BytesMut::new(),
            decoder: FrameDecoder::new(0),
            start_ok: None,
            tune_ok: None,
            open: None,
        }
    }

    /// Offers `start` instead (other mechanisms, properties or version).
    pub fn with_start(mut self, start: ConnectionStart) -> Self {
        self.start = start;
        self
    }

    /// The server's whole side at once (`start`, `tune`, `open-ok`), for a
    /// harness that feeds the client without reading it (the fuzz target).
    pub fn script(&self) -> Vec<Frame> {
        vec![
            method(0, self.start.clone()),
            method(0, self.tune.clone()),
            method(0, frames::connection_open_ok()),
        ]
    }

    /// Takes bytes the client wrote (any split: a byte at a time, several
    /// methods at once) and returns the server's replies to what is now
    /// complete, possibly none. Bytes after `connection.open` are kept for
    /// [`ServerHandshake::take_rest`].
    pub fn handle(&mut self, client: &[u8]) -> Result<BytesMut, HandshakeError> {
        self.input.extend_from_slice(client);
        let mut out = BytesMut::new();
        if self.step == Step::Header {
            if self.input.len() < 8 {
                return Ok(out);
            }
            let header = self.input.split_to(8);
            if header[..] != ProtocolHeader::AMQP_0_9_1.to_bytes() {
                let mut got = [0; 8];
                got.copy_from_slice(&header);
                return Err(HandshakeError::ProtocolHeader(got));
            }
            method(0, self.start.clone()).encode(&mut out);
            self.step = Step::StartOk;
        }
        while self.step != Step::Done {
            let Some(frame) = self.decoder.decode_frame(&mut self.input)? else {
                break;
            };
            match (self.step, frame) {
                (_, Frame::Heartbeat { .. }) => {}
                (
                    step,
                    Frame::Method {
                        channel: 0,
                        method: m,
                    },
                ) => match (step, m) {
                    (Step::StartOk, Method::ConnectionStartOk(m)) => {
                        self.start_ok = Some(*m);
                        method(0, self.tune.clone()).encode(&mut out);
                        self.step = Step::TuneOk;
                    }
                    (Step::TuneOk, Method::ConnectionTuneOk(m)) => {
                        self.tune_ok = Some(m);
                        self.step = Step::Open;
                    }
                    (Step::Open, Method::ConnectionOpen(m)) => {
                        self.open = Some(m);
                        method(0, frames::connection_open_ok()).encode(&mut out);
                        self.step = Step::Done;
                    }
                    (step, other) => return Err(unexpected(step, method(0, other))),
                },
                (step, other) => return Err(unexpected(step, other)),
            }
        }
        Ok(out)
    }

    /// Runs the whole handshake with a protocol core: its output in, the
    /// replies back, until `open-ok` is delivered. The core's events
    /// (`Connected`) stay for the caller to poll.
    pub fn drive(&mut self, conn: &mut Connection, now: Instant) -> Result<(), HandshakeError> {
        while !self.is_done() {
            let Some(out) = conn.take_transmit(now) else {
                return Err(HandshakeError::Stalled {
                    expected: self.step.expects(),
                });
            };
            let mut reply = self.handle(&out)?;
            conn.handle_input(&mut reply, now);
        }
        Ok(())
    }

    /// Whether `open-ok` has been sent.
    pub fn is_done(&self) -> bool {
        self.step == Step::Done
    }

    /// What the server waits for next, for messages (`"nothing"` when done).
    pub fn expecting(&self) -> &'static str {
        self.step.expects()
    }

    /// The tuning this server offers.
    pub fn tune(&self) -> &ConnectionTune {
        &self.tune
    }

    /// The client's `connection.start-ok`, once received.
    pub fn start_ok(&self) -> Option<&ConnectionStartOk> {
        self.start_ok.as_ref()
    }

    /// The client's `connection.tune-ok`, once received.
    pub fn tune_ok(&self) -> Option<&ConnectionTuneOk> {
        self.tune_ok.as_ref()
    }

    /// The client's `connection.open`, once received.
    pub fn open(&self) -> Option<&ConnectionOpen> {
        self.open.as_ref()
    }

    /// Client bytes received after `connection.open` (a pipelined
    /// `channel.open`, say), for whoever reads the session on.
    pub fn take_rest(&mut self) -> BytesMut {
        std::mem::take(&mut self.input)
    }
}

fn unexpected(step: Step, got: Frame) -> HandshakeError {
    HandshakeError::Unexpected {
        expected: step.expects(),
        got: Box::new(got),
    }
}
