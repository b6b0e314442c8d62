//! The client against a scripted peer ([`amqp091::testing`]), for what a
//! real broker will not do: silence, dropped sockets, another protocol
//! version, malformed frames. Most talk over an in-memory pipe under
//! tokio's paused clock, so timeouts fire in no real time; the connect
//! path's tests use a TCP listener on 127.0.0.1, on the real clock.

use amqp091::ShortStr;
use std::time::Duration;

use amqp091::codec::method::*;
use amqp091::codec::raw::write_frame_with;
use amqp091::codec::{Frame, Method};
use amqp091::testing::frames::{self, connection_tune};
use amqp091::testing::{peer, Peer};
use amqp091::{Connection, ConnectionOptions, Error, Initiator, ReplyCode, TimeoutKind};
use bytes::BytesMut;
use tokio::net::TcpListener;

/// Options with a connection timeout and the heartbeat left to the server.
fn opts(timeout_ms: u64) -> ConnectionOptions {
    ConnectionOptions {
        connection_timeout: Duration::from_millis(timeout_ms),
        heartbeat: None,
        ..Default::default()
    }
}

/// A listener on 127.0.0.1 and the options to connect to it.
async fn listen(timeout_ms: u64) -> (TcpListener, ConnectionOptions) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut opts = opts(timeout_ms);
    opts.host = "127.0.0.1".into();
    opts.port = listener.local_addr().unwrap().port();
    (listener, opts)
}

/// Handshake done over a pipe, the server offering `heartbeat`.
async fn connect(heartbeat: u16) -> (Connection, Peer<tokio::io::DuplexStream>) {
    peer::connect(opts(5000), connection_tune(16, 131_072, heartbeat)).await
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .expect("the client must give up by itself well before this")
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_times_the_handshake_out() {
    let (client, server) = tokio::io::duplex(1 << 16);
    let server = tokio::spawn(async move {
        let mut peer = Peer::new(server);
        peer.expect_header().await;
        // Then nothing; keep the stream open until the client leaves.
        peer.recv().await
    });
    let started = tokio::time::Instant::now();
    let err = bounded(Connection::connect_stream(client, opts(300)))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(TimeoutKind::Connect)), "{err}");
    // In virtual time: the paused clock jumps to the deadline.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_millis(400),
        "{waited:?}"
    );
    assert!(
        bounded(server).await.unwrap().is_none(),
        "the client closed the stream"
    );
}

#[tokio::test]
async fn a_server_closing_the_socket_during_the_handshake() {
    let (listener, opts) = listen(5000).await;
    tokio::spawn(async move {
        let mut peer = Peer::new(listener.accept().await.unwrap().0);
        peer.expect_header().await;
        peer.send_method(0, frames::connection_start()).await;
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
        let mut peer = Peer::new(listener.accept().await.unwrap().0);
        peer.expect_header().await;
        peer.send_bytes(b"AMQP\x01\x01\x00\x0a").await;
    });
    let err = bounded(Connection::connect_with(opts)).await.unwrap_err();
    assert!(
        matches!(err, Error::UnsupportedProtocol { offered } if offered.major == 1),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_server_silent_after_the_handshake_fails_the_heartbeat() {
    let (conn, mut peer) = connect(1).await;
    let started = tokio::time::Instant::now();
    let server = tokio::spawn(async move {
        // Silent from now on, stream open. Count what the client sends.
        let mut heartbeats = 0;
        while let Some(frame) = peer.recv().await {
            if matches!(frame, Frame::Heartbeat { channel: 0 }) {
                heartbeats += 1;
            }
        }
        heartbeats
    });
    assert_eq!(conn.tuning().heartbeat, 1);
    let err = bounded(conn.closed()).await;
    assert!(
        matches!(err, Error::Timeout(TimeoutKind::Heartbeat)),
        "{err}"
    );
    // Two intervals of silence (RabbitMQ's rule), in virtual time.
    let silent = started.elapsed();
    assert!(
        silent >= Duration::from_secs(2) && silent < Duration::from_secs(3),
        "{silent:?}"
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

#[tokio::test(start_paused = true)]
async fn a_malformed_frame_closes_the_connection_with_frame_error() {
    let (conn, mut peer) = connect(0).await;
    let server = tokio::spawn(async move {
        // A heartbeat whose frame-end octet is wrong.
        let mut bad = BytesMut::new();
        write_frame_with(&mut bad, 8, 0, None, &[], 0x00);
        peer.send_bytes(&bad).await;
        peer.answer_close().await
    });
    let err = bounded(conn.closed()).await;
    assert!(
        matches!(&err, Error::ConnectionClosed { reason, by: Initiator::Library } if reason.code == ReplyCode::FRAME_ERROR),
        "{err}"
    );
    let close = bounded(server)
        .await
        .unwrap()
        .expect("the client sent connection.close");
    assert_eq!(close.reply_code, 501);
    assert!(
        close.reply_text.to_string().contains("frame-end"),
        "{}",
        close.reply_text
    );
}

#[tokio::test(start_paused = true)]
async fn content_breaking_the_rules_closes_with_the_spec_codes() {
    let deliver = |tag| frames::method(1, frames::basic_deliver("c", tag));
    // (frame sequence after channel 1 is open, expected reply code)
    let cases: Vec<(Vec<Frame>, u16)> = vec![
        // A body frame larger than the header announced.
        (
            vec![
                deliver(1),
                frames::header(1, 2, Default::default()),
                frames::body(1, b"123"),
            ],
            501,
        ),
        // A method in the middle of content.
        (vec![deliver(1), deliver(2)], 505),
        // A frame on a channel that is not open.
        (vec![frames::method(7, ChannelFlow { active: true })], 504),
    ];
    for (frames, code) in cases {
        let (conn, mut peer) = connect(0).await;
        let ch = peer.open_channel(&conn).await;
        let server = tokio::spawn(async move {
            peer.send(&frames).await;
            peer.answer_close().await
        });
        let err = bounded(conn.closed()).await;
        assert_eq!(err.reply_code(), Some(ReplyCode(code)), "{err}");
        let close = bounded(server).await.unwrap().expect("connection.close");
        assert_eq!(close.reply_code, code);
        assert!(ch.basic_qos(1, Default::default()).await.is_err());
    }
}

#[tokio::test(start_paused = true)]
async fn a_dropped_socket_fails_pending_calls() {
    let (conn, mut peer) = connect(0).await;
    let ch = peer.open_channel(&conn).await;
    tokio::spawn(async move {
        // Read the queue.declare, then drop the stream without a word.
        assert!(matches!(peer.recv_method().await, Method::QueueDeclare(_)));
    });
    let err = bounded(ch.queue_declare("q", Default::default(), Default::default()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
}

#[tokio::test(start_paused = true)]
async fn multiple_acks_settle_earlier_publishes_and_a_close_fails_the_rest() {
    let (conn, mut peer) = connect(0).await;
    let ch = peer.open_channel(&conn).await;
    peer.confirm_select(&ch).await;
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
        frames::channel_close(406, "PRECONDITION_FAILED - test", 60, 40),
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

#[tokio::test(start_paused = true)]
async fn flow_and_blocked_pause_publishers() {
    let config = amqp091::proto::Config {
        options: opts(5000),
        wait_while_blocked: true,
        ..Default::default()
    };
    let (conn, mut peer) = peer::connect(config, connection_tune(16, 131_072, 0)).await;
    let ch = peer.open_channel(&conn).await;
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
            reason: ShortStr::from_static("low on disk"),
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

#[tokio::test(start_paused = true)]
async fn update_secret_waits_for_the_server() {
    let (conn, mut peer) = connect(0).await;
    let mut seen = None;
    bounded(
        peer.answer(conn.update_secret(b"new-token", "token refresh"), |m| {
            let Method::ConnectionUpdateSecret(u) = m else {
                panic!("expected update-secret, got {m:?}")
            };
            seen = Some((u.new_secret.as_bytes().to_vec(), u.reason.to_string()));
            ConnectionUpdateSecretOk::default().into()
        }),
    )
    .await
    .unwrap();
    let (secret, reason) = seen.expect("the server saw update-secret");
    assert_eq!(
        (secret.as_slice(), reason.as_str()),
        (&b"new-token"[..], "token refresh")
    );
}

/// Connected over a pipe with this request timeout, no heartbeats (the
/// server proposes none and the client turns them off).
async fn connect_with_request_timeout(secs: u64) -> (Connection, Peer<tokio::io::DuplexStream>) {
    let options = ConnectionOptions {
        request_timeout: Some(Duration::from_secs(secs)),
        heartbeat: Some(0),
        ..opts(5000)
    };
    peer::connect(options, connection_tune(16, 131_072, 0)).await
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_channel_open_fails_it_with_a_request_timeout() {
    let (conn, mut peer) = connect_with_request_timeout(3).await;
    let started = tokio::time::Instant::now();
    let open = tokio::spawn({
        let conn = conn.clone();
        async move { conn.open_channel().await }
    });
    let (_, m) = peer.recv_method_on().await;
    assert!(matches!(m, Method::ChannelOpen(_)), "{m:?}");
    let err = bounded(open).await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Timeout(TimeoutKind::Request)), "{err}");
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    // The client gives the channel up: it closes it.
    let (_, m) = peer.recv_method_on().await;
    assert!(matches!(m, Method::ChannelClose(_)), "{m:?}");
    assert!(conn.is_open());
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_answers_a_declare_fails_it_and_closes_the_channel() {
    let (conn, mut peer) = connect_with_request_timeout(3).await;
    let ch = peer.open_channel(&conn).await;
    let declare = tokio::spawn({
        let ch = ch.clone();
        async move {
            ch.queue_declare("q", Default::default(), Default::default())
                .await
        }
    });
    let (_, m) = peer.recv_method_on().await;
    assert!(matches!(m, Method::QueueDeclare(_)), "{m:?}");
    let err = bounded(declare).await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Timeout(TimeoutKind::Request)), "{err}");
    let (channel, m) = peer.recv_method_on().await;
    assert!(matches!(m, Method::ChannelClose(_)), "{m:?}");
    peer.send_method(channel, ChannelCloseOk::default()).await;
    let later = bounded(ch.queue_declare("q", Default::default(), Default::default()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            later,
            Error::ChannelClosed {
                by: Initiator::Library,
                ..
            }
        ),
        "{later}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_plain_stream_refuses_tls_options_and_external_auth() {
    use amqp091::AuthMechanism;
    for options in [
        ConnectionOptions {
            tls: true,
            ..opts(5000)
        },
        ConnectionOptions {
            auth_mechanism: AuthMechanism::External,
            ..opts(5000)
        },
    ] {
        let (client, server) = tokio::io::duplex(1 << 16);
        let err = bounded(Connection::connect_stream(client, options))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Tls { .. }), "{err}");
        // Nothing was written: the stream was dropped unread.
        let mut peer = Peer::new(server);
        assert!(peer.recv().await.is_none(), "not one byte sent");
    }
}

#[tokio::test]
async fn connect_with_over_plain_tcp_refuses_external_auth_and_tls_files_before_connecting() {
    use amqp091::AuthMechanism;
    // A listener that never accepts: a client that connected anyway would
    // sit in its backlog, then time out waiting for connection.start.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let plain = ConnectionOptions {
        host: "127.0.0.1".into(),
        port: listener.local_addr().unwrap().port(),
        ..opts(2000)
    };
    assert!(!plain.tls);
    for options in [
        ConnectionOptions {
            auth_mechanism: AuthMechanism::External,
            ..plain.clone()
        },
        ConnectionOptions {
            ca_file: Some("ca.pem".into()),
            ..plain.clone()
        },
        ConnectionOptions {
            cert_file: Some("client.pem".into()),
            key_file: Some("client.key".into()),
            ..plain.clone()
        },
        ConnectionOptions {
            server_name: Some("broker.example".into()),
            ..plain.clone()
        },
    ] {
        let what = format!("{options:?}");
        let err = bounded(Connection::connect_with(options))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Tls { .. }), "{what}: {err}");
        let accepted = listener.accept();
        assert!(
            matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{what}: the client connected ({accepted:?})"
        );
    }
}
