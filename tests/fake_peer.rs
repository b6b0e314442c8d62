//! The client against a scripted peer, for what a real broker will not do:
//! silence, dropped sockets, another protocol version, malformed frames.
//! The peer is a TCP listener on 127.0.0.1 speaking with the codec.

mod common;

use std::time::Duration;

use amqp091::codec::method::*;
use amqp091::codec::raw::write_frame_with;
use amqp091::codec::{Frame, Method};
use amqp091::{Connection, ConnectionOptions, Error, Initiator, ReplyCode, TimeoutKind};
use bytes::BytesMut;
use common::peer;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

type Peer = peer::Peer<TcpStream>;

/// A listener and the options to connect to it.
async fn listen(timeout_ms: u64) -> (TcpListener, ConnectionOptions) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut opts = ConnectionOptions::from_url(&format!("amqp://127.0.0.1:{port}")).unwrap();
    opts.connection_timeout = Duration::from_millis(timeout_ms);
    opts.heartbeat = None;
    (listener, opts)
}

async fn accept(listener: &TcpListener) -> Peer {
    let (sock, _) = listener.accept().await.unwrap();
    Peer::new(sock)
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the client must give up by itself well before this")
}

#[tokio::test]
async fn a_silent_server_times_the_handshake_out() {
    let (listener, opts) = listen(300).await;
    let server = tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.expect_header().await;
        // Then nothing; keep the socket open until the client leaves.
        peer.recv().await
    });
    let err = bounded(Connection::connect_with(opts)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout(TimeoutKind::Connect)), "{err}");
    assert!(
        bounded(server).await.unwrap().is_none(),
        "the client closed the socket"
    );
}

#[tokio::test]
async fn a_server_closing_the_socket_during_the_handshake() {
    let (listener, opts) = listen(5000).await;
    tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.expect_header().await;
        peer.send_method(
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
        let _ = peer.recv_method().await; // start-ok, then hang up
    });
    let err = bounded(Connection::connect_with(opts)).await.unwrap_err();
    let Error::Io {
        during: Some(step), ..
    } = &err
    else {
        panic!("{err}")
    };
    assert!(step.contains("connection.tune"), "{err}");
}

#[tokio::test]
async fn a_server_speaking_another_protocol_version() {
    let (listener, opts) = listen(5000).await;
    tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.expect_header().await;
        peer.sock.write_all(b"AMQP\x01\x01\x00\x0a").await.unwrap();
    });
    let err = bounded(Connection::connect_with(opts)).await.unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedProtocol { offered } if offered.major == 1),
        "{err}"
    );
}

#[tokio::test]
async fn a_server_silent_after_the_handshake_fails_the_heartbeat() {
    let (listener, opts) = listen(5000).await;
    let server = tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.handshake(1).await;
        // Silent from now on, socket open. Count what the client sends.
        let mut heartbeats = 0;
        while let Some(frame) = peer.recv().await {
            if matches!(frame, Frame::Heartbeat { channel: 0 }) {
                heartbeats += 1;
            }
        }
        heartbeats
    });
    let conn = bounded(Connection::connect_with(opts)).await.unwrap();
    assert_eq!(conn.tuning().heartbeat, 1);
    let err = bounded(conn.closed()).await;
    assert!(
        matches!(err, Error::Timeout(TimeoutKind::Heartbeat)),
        "{err}"
    );
    let heartbeats = bounded(server).await.unwrap();
    assert!(
        heartbeats >= 2,
        "the client kept sending heartbeats ({heartbeats})"
    );
    let later = conn.open_channel().await.unwrap_err();
    assert!(
        matches!(later, Error::Timeout(TimeoutKind::Heartbeat)),
        "{later}"
    );
}

#[tokio::test]
async fn a_malformed_frame_closes_the_connection_with_frame_error() {
    let (listener, opts) = listen(5000).await;
    let server = tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.handshake(0).await;
        // A heartbeat whose frame-end octet is wrong.
        let mut bad = BytesMut::new();
        write_frame_with(&mut bad, 8, 0, None, &[], 0x00);
        peer.sock.write_all(&bad).await.unwrap();
        let close = peer.recv_method().await;
        peer.send_method(0, ConnectionCloseOk::default()).await;
        close
    });
    let conn = bounded(Connection::connect_with(opts)).await.unwrap();
    let err = bounded(conn.closed()).await;
    assert!(
        matches!(&err, Error::ConnectionClosed { reason, by: Initiator::Library } if reason.code == ReplyCode::FRAME_ERROR),
        "{err}"
    );
    let Method::ConnectionClose(close) = bounded(server).await.unwrap() else {
        panic!("the client did not send connection.close")
    };
    assert_eq!(close.reply_code, 501);
    assert!(
        close.reply_text.to_string().contains("frame-end"),
        "{}",
        close.reply_text
    );
}

#[tokio::test]
async fn content_breaking_the_rules_closes_with_the_spec_codes() {
    // (frame sequence after channel 1 is open, expected reply code)
    let cases: Vec<(Vec<Frame>, u16)> = vec![
        // A body frame larger than the header announced.
        (
            vec![
                Frame::Method {
                    channel: 1,
                    method: BasicDeliver {
                        consumer_tag: "c".into(),
                        delivery_tag: 1,
                        ..Default::default()
                    }
                    .into(),
                },
                Frame::Header {
                    channel: 1,
                    header: amqp091::codec::ContentHeader::basic(2, Default::default()),
                },
                Frame::Body {
                    channel: 1,
                    payload: bytes::Bytes::from_static(b"123"),
                },
            ],
            501,
        ),
        // A method in the middle of content.
        (
            vec![
                Frame::Method {
                    channel: 1,
                    method: BasicDeliver {
                        consumer_tag: "c".into(),
                        delivery_tag: 1,
                        ..Default::default()
                    }
                    .into(),
                },
                Frame::Method {
                    channel: 1,
                    method: BasicDeliver {
                        consumer_tag: "c".into(),
                        delivery_tag: 2,
                        ..Default::default()
                    }
                    .into(),
                },
            ],
            505,
        ),
        // A frame on a channel that is not open.
        (
            vec![Frame::Method {
                channel: 7,
                method: ChannelFlow { active: true }.into(),
            }],
            504,
        ),
    ];
    for (frames, code) in cases {
        let (listener, opts) = listen(5000).await;
        let server = tokio::spawn(async move {
            let mut peer = accept(&listener).await;
            peer.handshake(0).await;
            assert!(matches!(peer.recv_method().await, Method::ChannelOpen(_)));
            peer.send_method(1, ChannelOpenOk::default()).await;
            peer.send(&frames).await;
            let close = peer.recv_method().await;
            peer.send_method(0, ConnectionCloseOk::default()).await;
            close
        });
        let conn = bounded(Connection::connect_with(opts)).await.unwrap();
        let ch = bounded(conn.open_channel()).await.unwrap();
        let err = bounded(conn.closed()).await;
        assert_eq!(err.reply_code(), Some(ReplyCode(code)), "{err}");
        let Method::ConnectionClose(close) = bounded(server).await.unwrap() else {
            panic!()
        };
        assert_eq!(close.reply_code, code);
        assert!(ch.basic_qos(1, Default::default()).await.is_err());
    }
}

#[tokio::test]
async fn a_dropped_socket_fails_pending_calls() {
    let (listener, opts) = listen(5000).await;
    tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.handshake(0).await;
        assert!(matches!(peer.recv_method().await, Method::ChannelOpen(_)));
        peer.send_method(1, ChannelOpenOk::default()).await;
        // Read the queue.declare, then drop the socket without a word.
        assert!(matches!(peer.recv_method().await, Method::QueueDeclare(_)));
    });
    let conn = bounded(Connection::connect_with(opts)).await.unwrap();
    let ch = bounded(conn.open_channel()).await.unwrap();
    let err = bounded(ch.queue_declare("q", Default::default(), Default::default()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
}

/// Handshake (plus channel 1 open, if asked), on a fresh listener.
async fn open_pair(
    heartbeat: u16,
    with_channel: bool,
) -> (tokio::task::JoinHandle<Peer>, ConnectionOptions) {
    let (listener, opts) = listen(5000).await;
    let server = tokio::spawn(async move {
        let mut peer = accept(&listener).await;
        peer.handshake(heartbeat).await;
        if with_channel {
            assert!(matches!(peer.recv_method().await, Method::ChannelOpen(_)));
            peer.send_method(1, ChannelOpenOk::default()).await;
        }
        peer
    });
    (server, opts)
}

#[tokio::test]
async fn multiple_acks_settle_earlier_publishes_and_a_close_fails_the_rest() {
    let (server, opts) = open_pair(0, true).await;
    let conn = bounded(Connection::connect_with(opts)).await.unwrap();
    let ch = bounded(conn.open_channel()).await.unwrap();
    let mut peer = bounded(server).await.unwrap();
    let select = tokio::spawn(async move {
        assert!(matches!(peer.recv_method().await, Method::ConfirmSelect(_)));
        peer.send_method(1, ConfirmSelectOk::default()).await;
        peer
    });
    bounded(ch.confirm_select(Default::default()))
        .await
        .unwrap();
    let mut peer = bounded(select).await.unwrap();
    let mut confirms = Vec::new();
    for i in 0..5u8 {
        confirms.push(
            ch.basic_publish("", "q", Default::default(), &Default::default(), &[i])
                .await
                .unwrap(),
        );
    }
    // The peer acks 1..=3 at once, then closes the channel with 406.
    for _ in 0..5 {
        assert!(matches!(peer.recv_method().await, Method::BasicPublish(_)));
        assert!(matches!(peer.recv().await, Some(Frame::Header { .. })));
        assert!(matches!(peer.recv().await, Some(Frame::Body { .. })));
    }
    peer.send_method(
        1,
        BasicAck {
            delivery_tag: 3,
            multiple: true,
        },
    )
    .await;
    peer.send_method(
        1,
        ChannelClose {
            reply_code: 406,
            reply_text: "PRECONDITION_FAILED - test".into(),
            class_id: 60,
            method_id: 40,
        },
    )
    .await;
    let mut results = Vec::new();
    for c in confirms {
        results.push(bounded(c.wait()).await);
    }
    for r in &results[..3] {
        assert!(matches!(r, Ok(amqp091::Confirm::Ack)), "{r:?}");
    }
    for r in &results[3..] {
        let err = r.as_ref().expect_err("not confirmed after the close");
        assert_eq!(
            err.reply_code(),
            Some(ReplyCode::PRECONDITION_FAILED),
            "{err}"
        );
    }
    assert!(matches!(
        peer.recv_method().await,
        Method::ChannelCloseOk(_)
    ));
}

#[tokio::test]
async fn flow_and_blocked_pause_publishers() {
    let (server, opts) = open_pair(0, true).await;
    let config = amqp091::proto::Config {
        options: opts,
        wait_while_blocked: true,
        ..Default::default()
    };
    let conn = bounded(Connection::connect_with(config)).await.unwrap();
    let ch = bounded(conn.open_channel()).await.unwrap();
    let mut peer = bounded(server).await.unwrap();
    let mut blocked = conn.watch_blocked();

    // channel.flow(false): answered with flow-ok, publishing waits.
    peer.send_method(1, ChannelFlow { active: false }).await;
    assert!(matches!(
        peer.recv_method().await,
        Method::ChannelFlowOk(ChannelFlowOk { active: false })
    ));
    let publisher = {
        let ch = ch.clone();
        tokio::spawn(async move {
            ch.basic_publish("", "q", Default::default(), &Default::default(), b"held")
                .await
        })
    };
    // Nothing reaches the peer until flow resumes: the next frame it reads is the publish after flow-ok.
    peer.send_method(1, ChannelFlow { active: true }).await;
    assert!(matches!(
        peer.recv_method().await,
        Method::ChannelFlowOk(ChannelFlowOk { active: true })
    ));
    assert!(matches!(peer.recv_method().await, Method::BasicPublish(_)));
    bounded(publisher).await.unwrap().unwrap();
    peer.recv().await; // header
    peer.recv().await; // body

    // connection.blocked: visible to the application, publishing waits.
    peer.send_method(
        0,
        ConnectionBlocked {
            reason: "low on disk".into(),
        },
    )
    .await;
    bounded(blocked.changed()).await.unwrap();
    assert_eq!(conn.blocked().as_deref(), Some("low on disk"));
    let publisher = {
        let ch = ch.clone();
        tokio::spawn(async move {
            ch.basic_publish("", "q", Default::default(), &Default::default(), b"later")
                .await
        })
    };
    peer.send_method(0, ConnectionUnblocked::default()).await;
    assert!(matches!(peer.recv_method().await, Method::BasicPublish(_)));
    bounded(publisher).await.unwrap().unwrap();
    assert_eq!(conn.blocked(), None);
}

#[tokio::test]
async fn update_secret_waits_for_the_server() {
    let (server, opts) = open_pair(0, false).await;
    let conn = bounded(Connection::connect_with(opts)).await.unwrap();
    let mut peer = bounded(server).await.unwrap();
    let answer = tokio::spawn(async move {
        let Method::ConnectionUpdateSecret(u) = peer.recv_method().await else {
            panic!("expected update-secret")
        };
        peer.send_method(0, ConnectionUpdateSecretOk::default())
            .await;
        (u.new_secret.as_bytes().to_vec(), u.reason.to_string())
    });
    bounded(conn.update_secret(b"new-token", "token refresh"))
        .await
        .unwrap();
    let (secret, reason) = bounded(answer).await.unwrap();
    assert_eq!(
        (secret.as_slice(), reason.as_str()),
        (&b"new-token"[..], "token refresh")
    );
}
