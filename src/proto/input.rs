//! What the server sends: the bytes the front end read, decoded into
//! frames and dispatched (to the handshake, a channel, or the connection's
//! own methods), and the end of the transport (EOF, an IO error).

use std::time::Instant;

use bytes::BytesMut;

use crate::codec::method::*;
use crate::codec::{encode_method, Frame, Method, ProtocolHeader, ReplyCode};
use crate::error::{Error, Initiator};

use super::connection::{Phase, Step};
use super::{Connection, Event, Reply};

impl Connection {
    /// Processes the bytes read so far: every complete frame is consumed
    /// from `buf`; a partial frame stays there for the next call.
    pub fn handle_input(&mut self, buf: &mut BytesMut, now: Instant) {
        self.clock = self.clock.max(now);
        if self.is_closed() || matches!(self.phase, Phase::Recovering { .. }) {
            buf.clear();
            return;
        }
        if !buf.is_empty() {
            self.last_read = now;
        }
        // A TLS record (alert 0x15 or handshake 0x16, version 3.x) instead of
        // AMQP: the port speaks TLS.
        if self.expect_header_reply && matches!(buf.get(..2), Some([0x15 | 0x16, 0x03])) {
            buf.clear();
            return self.finish(Error::Tls {
                reason: "the server answered with a TLS record: this port speaks TLS; use amqps://"
                    .into(),
            });
        }
        if self.expect_header_reply && ProtocolHeader::starts(buf) {
            match ProtocolHeader::decode(buf) {
                Ok(Some(offered)) => {
                    self.finish(Error::UnsupportedProtocol { offered });
                }
                Ok(None) => {}
                Err(e) => {
                    buf.clear();
                    self.violation(ReplyCode::FRAME_ERROR, e.to_string(), 0, 0);
                }
            }
            return;
        }
        loop {
            if self.is_closed() {
                buf.clear();
                return;
            }
            match self.decoder.decode_frame(buf) {
                Ok(Some(frame)) => {
                    self.expect_header_reply = false;
                    self.handle_frame(frame);
                }
                Ok(None) => return,
                Err(e) => {
                    self.decode_error(e);
                    buf.clear();
                    return;
                }
            }
        }
    }

    /// The server closed the socket (read returned 0).
    pub fn handle_eof(&mut self) {
        let during = self.handshake_step();
        let refused = matches!(
            self.phase,
            Phase::Handshake {
                step: Step::Tune,
                ..
            }
        );
        let err = Error::io(
            std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                if refused {
                    "the server closed the socket after connection.start-ok (refused credentials?)"
                } else {
                    "the server closed the socket"
                },
            ),
            during,
        );
        self.socket_gone(err, true);
    }

    /// Reading or writing failed.
    pub fn handle_io_error(&mut self, e: std::io::Error) {
        let during = self.handshake_step();
        self.socket_gone(Error::io(e, during), false);
    }

    fn socket_gone(&mut self, err: Error, eof: bool) {
        match self.phase {
            // No transport to lose (recovering), or nothing left to end.
            Phase::Closed { .. } | Phase::Recovering { .. } => {}
            // The server closes the socket after close-ok: our close is done.
            Phase::Closing { .. } if eof => self.close_ok_arrived(),
            // Writing our close (or reading its answer) failed.
            Phase::Closing { .. } => self.close_failed(err),
            _ => self.lose_transport(err),
        }
    }

    pub(crate) fn handshake_step(&self) -> Option<&'static str> {
        match self.phase {
            Phase::Handshake { step, .. } => Some(match step {
                Step::Start => "the handshake (waiting for connection.start)",
                Step::Tune => "the handshake (waiting for connection.tune)",
                Step::OpenOk => "the handshake (waiting for connection.open-ok)",
            }),
            _ => None,
        }
    }

    fn handle_frame(&mut self, frame: Frame) {
        tracing::trace!(channel = frame.channel(), frame_type = %frame.frame_type(), "frame in");
        match frame {
            Frame::Heartbeat { channel: 0 } => {}
            Frame::Heartbeat { channel } => self.violation(
                ReplyCode::FRAME_ERROR,
                format!("heartbeat frame on channel {channel}"),
                0,
                0,
            ),
            Frame::Unknown(raw) => self.violation(
                ReplyCode::FRAME_ERROR,
                format!("frame of unknown type {}", raw.frame_type.0),
                0,
                0,
            ),
            Frame::Method { channel: 0, method } => self.connection_method(method),
            Frame::Header { channel: 0, .. } | Frame::Body { channel: 0, .. } => self.violation(
                ReplyCode::UNEXPECTED_FRAME,
                "content frame on channel 0".into(),
                0,
                0,
            ),
            frame => match self.phase {
                Phase::Open => self.channel_frame(frame),
                Phase::Closing { .. } => {} // discarded until close-ok
                _ => self.violation(
                    ReplyCode::CHANNEL_ERROR,
                    format!(
                        "frame on channel {} before the connection is open",
                        frame.channel()
                    ),
                    0,
                    0,
                ),
            },
        }
    }

    fn connection_method(&mut self, method: Method) {
        // A close from the server is answered in every phase.
        if let Method::ConnectionClose(c) = method {
            return self.server_close(c);
        }
        match (&self.phase, method) {
            (Phase::Closing { .. }, Method::ConnectionCloseOk(_)) => self.close_ok_arrived(),
            (Phase::Closing { .. } | Phase::Closed { .. } | Phase::Recovering { .. }, _) => {}
            (Phase::Handshake { step, .. }, m) => {
                let step = *step;
                self.handshake_method(step, m)
            }
            (Phase::Open, Method::ConnectionBlocked(b)) => {
                self.blocked = true;
                self.events.push_back(Event::Blocked {
                    reason: b.reason.to_string(),
                });
            }
            (Phase::Open, Method::ConnectionUnblocked(_)) => {
                self.blocked = false;
                self.events.push_back(Event::Unblocked);
            }
            (Phase::Open, Method::ConnectionUpdateSecretOk(ok))
                if !self.connection_rpcs.is_empty() =>
            {
                if let Some(rpc) = self.connection_rpcs.pop_front() {
                    self.complete(rpc.id, Ok(Reply::Method(ok.into())));
                }
            }
            (Phase::Open, m) => self.unexpected_on_channel_0(m, ReplyCode::COMMAND_INVALID),
        }
    }

    pub(crate) fn unexpected_on_channel_0(&mut self, m: Method, code: ReplyCode) {
        let (class_id, method_id) = (m.class_id(), m.method_id());
        self.violation(
            code,
            format!("unexpected {} on channel 0", m.name()),
            class_id,
            method_id,
        );
    }

    /// The server closed the connection (or answered our close with its own).
    fn server_close(&mut self, c: ConnectionClose) {
        encode_method(&mut self.out, 0, &ConnectionCloseOk {});
        let mut text = c.reply_text.to_string();
        let opening = matches!(
            self.phase,
            Phase::Handshake {
                step: Step::OpenOk,
                ..
            }
        );
        if opening && c.reply_code == ReplyCode::NOT_ALLOWED.0 {
            // RabbitMQ's text names the vhost bare: an empty one is invisible.
            text.push_str(&format!(
                " (virtual host \"{}\")",
                self.config.options.vhost
            ));
        }
        let reason = crate::error::CloseReason {
            code: ReplyCode(c.reply_code),
            text,
            class_id: c.class_id,
            method_id: c.method_id,
        };
        let theirs = Error::ConnectionClosed {
            reason,
            by: Initiator::Server,
        };
        match &mut self.phase {
            // Both sides closed at once. Our application's close ends with
            // the server's reason (a 320 shutdown says more than our 200); a
            // close of ours for a violation keeps its reason.
            Phase::Closing { error, request, .. } => {
                if matches!(
                    error,
                    Error::ConnectionClosed {
                        by: Initiator::Application,
                        ..
                    }
                ) {
                    *error = theirs.clone();
                    let id = request.take();
                    self.complete(id, Err(theirs));
                }
                self.close_ok_arrived();
            }
            Phase::Closed { .. } | Phase::Recovering { .. } => {}
            _ => self.lose_transport(theirs),
        }
    }
}
