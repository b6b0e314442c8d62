//! A scripted AMQP server over any tokio stream (a TCP socket, an in-memory
//! [`tokio::io::duplex`] pipe), for what a real broker will not do:
//! silence, dropped sockets, malformed frames, replies out of order.
//!
//! Its methods panic when the client does something the script did not
//! expect: the test that runs it fails there, with what came instead.

use std::future::Future;

use bytes::BytesMut;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream};

use super::frames;
use super::server::ServerHandshake;
use crate::codec::method::{
    BasicConsumeOk, BasicQosOk, ChannelOpenOk, ConfirmSelectOk, ConnectionClose, ConnectionCloseOk,
    ConnectionTune,
};
use crate::codec::{Frame, FrameDecoder, Method, ProtocolHeader};
use crate::{proto, BasicConsumeOptions, Channel, Connection, Consumer};

/// One connection of the scripted server.
#[derive(Debug)]
pub struct Peer<S> {
    io: S,
    buf: BytesMut,
    decoder: FrameDecoder,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Peer<S> {
    /// The server's end of a connection the client has opened.
    pub fn new(io: S) -> Self {
        Peer {
            io,
            buf: BytesMut::new(),
            decoder: FrameDecoder::new(0),
        }
    }

    /// The stream, for tests that write or shut it down themselves.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.io
    }

    /// Writes `frames` in one write.
    pub async fn send(&mut self, frames: &[Frame]) {
        self.send_bytes(&frames::encode(frames)).await
    }

    /// Writes one method frame.
    pub async fn send_method(&mut self, channel: u16, method: impl Into<Method>) {
        self.send(&[frames::method(channel, method)]).await
    }

    /// Writes raw bytes (a malformed frame, another protocol's header).
    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.io.write_all(bytes).await.expect("peer write");
    }

    /// The next frame from the client, or `None` when it closed the stream.
    pub async fn recv(&mut self) -> Option<Frame> {
        loop {
            if let Some(f) = self
                .decoder
                .decode_frame(&mut self.buf)
                .expect("the client sends valid frames")
            {
                return Some(f);
            }
            if self.io.read_buf(&mut self.buf).await.ok()? == 0 {
                return None;
            }
        }
    }

    /// The next method and its channel, skipping heartbeats and content
    /// frames (tests that check content read it with [`Peer::recv`]).
    pub async fn recv_method_on(&mut self) -> (u16, Method) {
        loop {
            match self.recv().await.expect("the client sends a method") {
                Frame::Method { channel, method } => return (channel, method),
                Frame::Heartbeat { .. } | Frame::Header { .. } | Frame::Body { .. } => continue,
                other => panic!("expected a method, got {other:?}"),
            }
        }
    }

    /// The next method, skipping heartbeats and content frames.
    pub async fn recv_method(&mut self) -> Method {
        self.recv_method_on().await.1
    }

    /// Reads the AMQP 0-9-1 protocol header, and nothing else.
    pub async fn expect_header(&mut self) {
        while self.buf.len() < 8 {
            let n = self.io.read_buf(&mut self.buf).await.expect("peer read");
            assert!(n > 0, "the client closed before the protocol header");
        }
        let header = self.buf.split_to(8);
        assert_eq!(header[..], ProtocolHeader::AMQP_0_9_1.to_bytes());
    }

    /// The server side of the handshake with RabbitMQ's start and tuning.
    pub async fn handshake(&mut self) -> ServerHandshake {
        self.run_handshake(ServerHandshake::default()).await
    }

    /// The server side of the handshake, offering `tune`.
    pub async fn handshake_with(&mut self, tune: ConnectionTune) -> ServerHandshake {
        self.run_handshake(ServerHandshake::new(tune)).await
    }

    /// Runs `handshake` over the stream until `open-ok` is written; returns
    /// it, with what the client sent. Panics if the client strays.
    pub async fn run_handshake(&mut self, mut handshake: ServerHandshake) -> ServerHandshake {
        let mut input = std::mem::take(&mut self.buf);
        loop {
            let reply = handshake
                .handle(&input)
                .unwrap_or_else(|e| panic!("handshake: {e}"));
            input.clear();
            self.send_bytes(&reply).await;
            if handshake.is_done() {
                break;
            }
            let n = self.io.read_buf(&mut input).await.expect("peer read");
            assert!(
                n > 0,
                "the client closed the stream; the server waited for {}",
                handshake.expecting()
            );
        }
        self.buf = handshake.take_rest();
        handshake
    }

    /// Answers the client's next method with `reply`'s method on the same
    /// channel while `call` (the client's request) runs; returns what the
    /// call returns.
    pub async fn answer<T>(
        &mut self,
        call: impl Future<Output = T>,
        reply: impl FnOnce(&Method) -> Method,
    ) -> T {
        let serve = async {
            let (channel, m) = self.recv_method_on().await;
            let answer = reply(&m);
            self.send_method(channel, answer).await;
        };
        tokio::join!(call, serve).0
    }

    /// Answers the client's `channel.open`; returns the channel.
    pub async fn open_ok(&mut self) -> u16 {
        let (ch, m) = self.recv_method_on().await;
        assert!(matches!(m, Method::ChannelOpen(_)), "{m:?}");
        self.send_method(ch, ChannelOpenOk::default()).await;
        ch
    }

    /// Opens a channel of `conn`, answering its `channel.open`.
    pub async fn open_channel(&mut self, conn: &Connection) -> Channel {
        self.answer(conn.open_channel(), |m| {
            assert!(matches!(m, Method::ChannelOpen(_)), "{m:?}");
            ChannelOpenOk::default().into()
        })
        .await
        .expect("channel.open")
    }

    /// Puts `channel` in confirm mode, answering its `confirm.select`.
    pub async fn confirm_select(&mut self, channel: &Channel) {
        self.answer(channel.confirm_select(Default::default()), |m| {
            assert!(matches!(m, Method::ConfirmSelect(_)), "{m:?}");
            ConfirmSelectOk::default().into()
        })
        .await
        .expect("confirm.select")
    }

    /// Starts a consumer of queue `q` on `channel`, answering its
    /// `basic.consume` and the `basic.qos` the client sends first on a
    /// channel without a prefetch count.
    pub async fn consume(&mut self, channel: &Channel, options: BasicConsumeOptions) -> Consumer {
        let serve = async {
            loop {
                let (ch, m) = self.recv_method_on().await;
                match m {
                    Method::BasicQos(_) => self.send_method(ch, BasicQosOk::default()).await,
                    Method::BasicConsume(c) => {
                        let ok = BasicConsumeOk {
                            consumer_tag: c.consumer_tag,
                        };
                        return self.send_method(ch, ok).await;
                    }
                    other => panic!("expected basic.consume, got {other:?}"),
                }
            }
        };
        let call = channel.basic_consume("q", options, Default::default());
        tokio::join!(call, serve).0.expect("basic.consume")
    }

    /// Waits for the client's `connection.close` (skipping heartbeats and
    /// content; any other method panics), answers `close-ok` and returns
    /// it; `None` if the client closed the stream first.
    pub async fn answer_close(&mut self) -> Option<ConnectionClose> {
        loop {
            match self.recv().await? {
                Frame::Method {
                    method: Method::ConnectionClose(close),
                    ..
                } => {
                    self.send_method(0, ConnectionCloseOk::default()).await;
                    return Some(close);
                }
                Frame::Method { method, .. } => panic!("expected connection.close, got {method:?}"),
                _ => continue,
            }
        }
    }

    /// Delivers `body` to consumer `consumer_tag` ([`frames::deliver`]).
    pub async fn deliver(
        &mut self,
        channel: u16,
        consumer_tag: &str,
        delivery_tag: u64,
        body: &[u8],
    ) {
        self.send(&frames::deliver(channel, consumer_tag, delivery_tag, body))
            .await
    }
}

/// A client connected to a scripted server over an in-memory pipe
/// ([`tokio::io::duplex`] of 1 MiB each way): both sides of the handshake
/// done, the server offering `tune`. Over a pipe, nothing is in flight
/// that tokio's paused clock does not see.
pub async fn connect(
    config: impl Into<proto::Config>,
    tune: ConnectionTune,
) -> (Connection, Peer<DuplexStream>) {
    connect_with_buffer(config, tune, 1 << 20).await
}

/// [`connect`] with a pipe that holds at most `max_buf_size` bytes each way
/// (a small one: a server that stops reading blocks the client soon).
pub async fn connect_with_buffer(
    config: impl Into<proto::Config>,
    tune: ConnectionTune,
    max_buf_size: usize,
) -> (Connection, Peer<DuplexStream>) {
    let (client, server) = tokio::io::duplex(max_buf_size);
    let mut peer = Peer::new(server);
    let (conn, _) = tokio::join!(
        Connection::connect_stream(client, config),
        peer.handshake_with(tune)
    );
    (conn.expect("the client completes the handshake"), peer)
}
