//! A scripted AMQP server for what a real broker will not do: it speaks
//! through the codec over any stream (a TCP socket, an in-memory pipe).

use amqp091::codec::method::*;
use amqp091::codec::{ContentHeader, Frame, FrameDecoder, Method, ProtocolHeader};
use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// One connection of the scripted server.
pub struct Peer<S> {
    pub sock: S,
    buf: BytesMut,
    decoder: FrameDecoder,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Peer<S> {
    pub fn new(sock: S) -> Self {
        Peer {
            sock,
            buf: BytesMut::new(),
            decoder: FrameDecoder::new(0),
        }
    }

    pub async fn send(&mut self, frames: &[Frame]) {
        let mut out = BytesMut::new();
        for f in frames {
            f.encode(&mut out);
        }
        self.sock.write_all(&out).await.expect("peer write");
    }

    pub async fn send_method(&mut self, channel: u16, method: impl Into<Method>) {
        self.send(&[Frame::Method {
            channel,
            method: method.into(),
        }])
        .await
    }

    /// The next frame from the client, or `None` when it closed the socket.
    pub async fn recv(&mut self) -> Option<Frame> {
        loop {
            if let Some(f) = self
                .decoder
                .decode_frame(&mut self.buf)
                .expect("client sends valid frames")
            {
                return Some(f);
            }
            if self.sock.read_buf(&mut self.buf).await.ok()? == 0 {
                return None;
            }
        }
    }

    /// The next method and its channel, skipping heartbeats and content
    /// frames (tests that check content read it with [`Peer::recv`]).
    pub async fn recv_method_on(&mut self) -> (u16, Method) {
        loop {
            match self.recv().await.expect("client frame") {
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

    /// Reads the protocol header.
    pub async fn expect_header(&mut self) {
        let mut header = [0u8; 8];
        self.sock
            .read_exact(&mut header)
            .await
            .expect("protocol header");
        assert_eq!(header, ProtocolHeader::AMQP_0_9_1.to_bytes());
    }

    /// Runs the server side of the handshake.
    pub async fn handshake(&mut self, heartbeat: u16) {
        self.expect_header().await;
        self.send_method(
            0,
            ConnectionStart {
                version_major: 0,
                version_minor: 9,
                mechanisms: "PLAIN".into(),
                locales: "en_US".into(),
                ..Default::default()
            },
        )
        .await;
        assert!(matches!(
            self.recv_method().await,
            Method::ConnectionStartOk(_)
        ));
        self.send_method(
            0,
            ConnectionTune {
                channel_max: 16,
                frame_max: 131_072,
                heartbeat,
            },
        )
        .await;
        assert!(matches!(
            self.recv_method().await,
            Method::ConnectionTuneOk(_)
        ));
        assert!(matches!(
            self.recv_method().await,
            Method::ConnectionOpen(_)
        ));
        self.send_method(0, ConnectionOpenOk::default()).await;
    }

    /// Answers the client's `channel.open`; returns the channel.
    pub async fn open_ok(&mut self) -> u16 {
        let (ch, m) = self.recv_method_on().await;
        assert!(matches!(m, Method::ChannelOpen(_)), "{m:?}");
        self.send_method(ch, ChannelOpenOk::default()).await;
        ch
    }

    /// Delivers a one-byte message to consumer `tag`.
    pub async fn deliver(&mut self, ch: u16, tag: &str, n: u64) {
        self.send(&[
            Frame::Method {
                channel: ch,
                method: BasicDeliver {
                    consumer_tag: tag.to_string().try_into().expect("short tag"),
                    delivery_tag: n,
                    ..Default::default()
                }
                .into(),
            },
            Frame::Header {
                channel: ch,
                header: ContentHeader::basic(1, Default::default()),
            },
            Frame::Body {
                channel: ch,
                payload: Bytes::from_static(b"x"),
            },
        ])
        .await;
    }
}
