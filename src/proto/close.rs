//! Ending the connection: our close and its close-ok, the server breaking
//! the protocol (we close with the reply code the spec names), and the
//! end that fails everything still waiting.

use bytes::Bytes;

use crate::codec::method::*;
use crate::codec::{encode_method, DecodeError, DecodeErrorKind, ReplyCode, ShortStr};
use crate::error::{CloseReason, Error, Initiator, TimeoutKind};

use super::connection::Phase;
use super::{Connection, Event, Reply, RequestId};

impl Connection {
    /// Fails every pending request, channel, publish and consumer with `err`.
    fn fail_all(&mut self, err: &Error) {
        for rpc in std::mem::take(&mut self.connection_rpcs) {
            self.complete(rpc.id, Err(err.clone()));
        }
        let channels: Vec<u16> = self.channels.keys().copied().collect();
        for channel in channels {
            self.channel_ended(channel, err.clone());
        }
    }

    /// Ends the connection at once (no close handshake possible or needed).
    pub(crate) fn finish(&mut self, err: Error) {
        if self.is_closed() {
            return;
        }
        self.recovery.restore = None;
        self.fail_all(&err);
        self.phase = Phase::Closed { error: err.clone() };
        self.events.push_back(Event::Closed(err));
    }

    pub(crate) fn start_closing(&mut self, err: Error, request: Option<RequestId>) {
        self.recovery.restore = None;
        self.fail_all(&err);
        let mut deadline = self.clock + self.config.close_timeout;
        // The connection timeout bounds the whole handshake, a close in it
        // too: a peer that sent garbage is not waited on past it (a first
        // connect moves on to the next address by then).
        if let Phase::Handshake { deadline: by, .. } = self.phase {
            deadline = deadline.min(by.max(self.clock));
        }
        self.phase = Phase::Closing {
            error: err,
            request,
            deadline,
        };
    }

    /// Our `connection.close` is answered (or the socket is gone after it).
    pub(crate) fn close_ok_arrived(&mut self) {
        if let Phase::Closing { request, .. } = &mut self.phase {
            let id = request.take();
            self.complete(id, Ok(Reply::Method(ConnectionCloseOk {}.into())));
        }
        self.finish_closing();
    }

    /// The socket failed while we were closing: the close request fails with that.
    pub(crate) fn close_failed(&mut self, err: Error) {
        if let Phase::Closing { request, .. } = &mut self.phase {
            let id = request.take();
            self.complete(id, Err(err));
        }
        self.finish_closing();
    }

    pub(crate) fn finish_closing(&mut self) {
        let phase = std::mem::replace(
            &mut self.phase,
            Phase::Closed {
                error: Error::Timeout(TimeoutKind::Close),
            },
        );
        match phase {
            Phase::Closing { error, request, .. } => {
                // The close-ok never came: the close request fails with a timeout.
                self.complete(request, Err(Error::Timeout(TimeoutKind::Close)));
                self.phase = Phase::Closed {
                    error: error.clone(),
                };
                self.events.push_back(Event::Closed(error));
            }
            other => self.phase = other,
        }
    }

    /// The server broke the protocol: close the connection with `code`.
    pub(crate) fn violation(
        &mut self,
        code: ReplyCode,
        text: String,
        class_id: u16,
        method_id: u16,
    ) {
        if matches!(self.phase, Phase::Closed { .. } | Phase::Closing { .. }) {
            return;
        }
        tracing::warn!(code = code.0, %text, "server broke the protocol; closing the connection");
        let reason = CloseReason {
            code,
            text: text.clone(),
            class_id,
            method_id,
        };
        let reply_text = ShortStr::new(Bytes::from(text.into_bytes()))
            .unwrap_or_else(|_| ShortStr::from_static("protocol violation"));
        encode_method(
            &mut self.out,
            0,
            &ConnectionClose {
                reply_code: code.0,
                reply_text,
                class_id,
                method_id,
            },
        );
        self.start_closing(
            Error::ConnectionClosed {
                reason,
                by: Initiator::Library,
            },
            None,
        );
    }

    /// A frame that does not decode: 502 for a bad field value, 506 for
    /// more table entries than its size allows (a resource, not a syntax,
    /// limit: the same code as the byte budget), 501 otherwise.
    pub(crate) fn decode_error(&mut self, e: DecodeError) {
        let (class_id, method_id) = e.context.class_method.unwrap_or((0, 0));
        let code = match e.kind {
            DecodeErrorKind::UnknownFieldType { .. } | DecodeErrorKind::BadPropertyFlags { .. } => {
                ReplyCode::SYNTAX_ERROR
            }
            DecodeErrorKind::TooManyFieldEntries { .. } => ReplyCode::RESOURCE_ERROR,
            _ => ReplyCode::FRAME_ERROR,
        };
        self.violation(code, e.to_string(), class_id, method_id);
    }
}
