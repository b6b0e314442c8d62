//! The core driven by scripted server frames, byte for byte, with a virtual
//! clock: a harness here, the tests by concern in the files beside it.

use crate::codec::ShortStr;
use std::time::{Duration, Instant};

use bytes::{BufMut, Bytes, BytesMut};

use super::*;
use crate::codec::method::*;
use crate::codec::raw::write_frame_with;
use crate::codec::{ContentHeader, FieldValue, FrameType, FRAME_END};
use crate::codec::{Frame, FrameDecoder, Method, ReplyCode};
use crate::error::{Error, Initiator, TimeoutKind};
use crate::testing::frames::{
    connection_start as start, connection_tune as tune, encode as server_frames, method as m,
};
use crate::testing::ServerHandshake;

/// A connection under test and the fake server's view of it.
struct Harness {
    conn: Connection,
    now: Instant,
    /// Decodes what the client sends.
    client_out: FrameDecoder,
    sent: BytesMut,
}

impl Harness {
    fn with(config: Config) -> Self {
        let now = Instant::now();
        let mut h = Harness {
            conn: Connection::new(config, now),
            now,
            client_out: FrameDecoder::new(0),
            sent: BytesMut::new(),
        };
        let out = h.conn.take_transmit(now).expect("protocol header");
        assert_eq!(&out[..], b"AMQP\x00\x00\x09\x01");
        h
    }

    fn new() -> Self {
        Self::with(Config::default())
    }

    fn feed_bytes(&mut self, bytes: &[u8]) {
        let mut buf = BytesMut::from(bytes);
        self.conn.handle_input(&mut buf, self.now);
        assert!(
            !self.conn.is_closed() || buf.is_empty(),
            "a closed connection consumes what it is given"
        );
    }

    fn feed(&mut self, frames: &[Frame]) {
        let b = server_frames(frames);
        self.feed_bytes(&b);
    }

    /// Frames the client wrote since the last call.
    fn sent(&mut self) -> Vec<Frame> {
        while let Some(out) = self.conn.take_transmit(self.now) {
            self.sent.extend_from_slice(&out);
        }
        let mut frames = Vec::new();
        while let Some(f) = self
            .client_out
            .decode_frame(&mut self.sent)
            .expect("client writes valid frames")
        {
            frames.push(f);
        }
        frames
    }

    fn sent_methods(&mut self) -> Vec<Method> {
        self.sent()
            .into_iter()
            .filter_map(|f| match f {
                Frame::Method { method, .. } => Some(method),
                _ => None,
            })
            .collect()
    }

    fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.conn.poll_event()).collect()
    }

    /// The handshake, served by the test kit (RabbitMQ's tuning).
    fn connect(&mut self) {
        let mut hs = ServerHandshake::new(tune(2047, 131_072, 60));
        // `with` already took the protocol header the kit expects first.
        let mut replies = hs.handle(b"AMQP\x00\x00\x09\x01").expect("header");
        self.conn.handle_input(&mut replies, self.now);
        hs.drive(&mut self.conn, self.now).expect("handshake");
        let ev = self.events();
        assert!(matches!(ev.as_slice(), [Event::Connected]), "{ev:?}");
        assert!(self.conn.is_open());
    }

    /// Registers consumer `ctag` on `ch` (no-ack, no-wait: no qos, no reply),
    /// the one [`deliver`] delivers to.
    fn consume_ctag(&mut self, ch: u16) {
        self.conn
            .consume(
                ch,
                BasicConsume {
                    queue: ShortStr::from_static("q"),
                    consumer_tag: ShortStr::from_static("ctag"),
                    no_ack: true,
                    no_wait: true,
                    ..Default::default()
                },
                None,
                self.now,
            )
            .expect("consume");
        let sent = self.sent_methods();
        assert!(
            matches!(sent.as_slice(), [Method::BasicConsume(_)]),
            "{sent:?}"
        );
    }

    fn open_channel(&mut self) -> u16 {
        let (ch, id) = self.conn.open_channel(self.now).expect("open channel");
        let sent = self.sent();
        assert!(
            matches!(sent.as_slice(), [Frame::Method { channel, method: Method::ChannelOpen(_) }] if *channel == ch)
        );
        self.feed(&[m(ch, ChannelOpenOk::default())]);
        let ev = self.events();
        assert!(
            matches!(ev.as_slice(), [Event::Completed { id: got, result: Ok(_) }] if *got == id),
            "{ev:?}"
        );
        ch
    }

    /// Asserts the client closed the connection with `code` and returns the error it reports.
    fn expect_library_close(&mut self, code: ReplyCode) -> Error {
        let sent = self.sent_methods();
        let Some(Method::ConnectionClose(c)) = sent.last() else {
            panic!("expected connection.close, sent {sent:?}")
        };
        assert_eq!(ReplyCode(c.reply_code), code, "{}", c.reply_text);
        self.feed(&[m(0, ConnectionCloseOk::default())]);
        let ev = self.events();
        let Some(Event::Closed(err)) = ev.last() else {
            panic!("expected Closed, got {ev:?}")
        };
        match err {
            Error::ConnectionClosed {
                reason,
                by: Initiator::Library,
            } => assert_eq!(reason.code, code),
            other => panic!("{other:?}"),
        }
        assert!(self.conn.is_closed());
        err.clone()
    }
}

fn completed(ev: &[Event]) -> Vec<(RequestId, Result<Reply, Error>)> {
    ev.iter()
        .filter_map(|e| match e {
            Event::Completed { id, result } => Some((*id, result.clone())),
            _ => None,
        })
        .collect()
}

/// `basic.deliver` for consumer `ctag` (see [`Harness::consume_ctag`]).
pub(super) fn deliver(ch: u16, tag: u64) -> Frame {
    m(
        ch,
        BasicDeliver {
            consumer_tag: ShortStr::from_static("ctag"),
            delivery_tag: tag,
            exchange: ShortStr::from_static(""),
            routing_key: ShortStr::from_static("q"),
            ..Default::default()
        },
    )
}

mod channels;
mod close;
mod confirms;
mod consumers;
mod content;
mod handshake;
mod heartbeat;
mod recovery;
mod violations;
