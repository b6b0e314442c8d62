//! The blocking client: against a scripted peer on 127.0.0.1 (std threads,
//! the test kit's sans-IO frame builders and `ServerHandshake`) for what a
//! broker will not do, and against the real broker for many threads on one
//! connection and the blocking tutorials.

mod common;

#[allow(dead_code)]
#[path = "../examples/blocking_hello_world.rs"]
mod blocking_hello_world;
#[allow(dead_code)]
#[path = "../examples/blocking_work_queues.rs"]
mod blocking_work_queues;

use amqp091::ShortStr;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use amqp091::blocking::{
    BasicConsumeOptions, BasicProperties, BasicPublishOptions, Confirm, Connection,
    ConnectionOptions, Error, FieldTable, Initiator, NoWait, QueueDeclareOptions, ReplyCode,
    TimeoutKind,
};
use amqp091::codec::method::{
    ChannelFlow, ChannelFlowOk, ChannelOpenOk, ConnectionBlocked, ConnectionCloseOk,
    ConnectionTune, ConnectionUnblocked,
};
use amqp091::codec::{Frame, FrameDecoder, Method};
use amqp091::testing::{frames, ServerHandshake};
use bytes::BytesMut;

/// The server's end of one connection, on std sockets.
struct StdPeer {
    io: TcpStream,
    buf: BytesMut,
    decoder: FrameDecoder,
}

impl StdPeer {
    /// Accepts one client and runs the handshake, offering `tune`.
    fn accept(listener: &TcpListener, tune: ConnectionTune) -> StdPeer {
        let (mut io, _) = listener.accept().expect("accept");
        // Bounds every wait, so a bug fails the test instead of hanging it.
        io.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut server = ServerHandshake::new(tune);
        let mut chunk = [0u8; 4096];
        while !server.is_done() {
            let n = io.read(&mut chunk).expect("client bytes");
            assert!(n > 0, "the client closed during the handshake");
            let reply = server.handle(&chunk[..n]).expect("a valid handshake");
            io.write_all(&reply).unwrap();
        }
        StdPeer {
            io,
            buf: server.take_rest(),
            decoder: FrameDecoder::new(0),
        }
    }

    fn send(&mut self, frames: &[Frame]) {
        self.io.write_all(&frames::encode(frames)).unwrap();
    }

    /// The next frame, or `None` at the end of the stream.
    fn recv(&mut self) -> Option<Frame> {
        loop {
            if let Some(f) = self
                .decoder
                .decode_frame(&mut self.buf)
                .expect("valid frames")
            {
                return Some(f);
            }
            let mut chunk = [0u8; 4096];
            match self.io.read(&mut chunk) {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// The next method, skipping heartbeats.
    fn recv_method(&mut self) -> (u16, Method) {
        loop {
            match self.recv().expect("a method from the client") {
                Frame::Method { channel, method } => return (channel, method),
                Frame::Heartbeat { .. } => {}
                other => panic!("expected a method, got {other:?}"),
            }
        }
    }
}

/// A listener on 127.0.0.1 and options that point the client at it.
fn listen() -> (TcpListener, ConnectionOptions) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let opts =
        ConnectionOptions::from_url(&format!("amqp://guest:guest@127.0.0.1:{port}/%2f")).unwrap();
    (listener, opts)
}

#[test]
fn connect_with_over_plain_tcp_refuses_external_auth_and_tls_files_before_connecting() {
    use amqp091::blocking::AuthMechanism;
    // A listener that never accepts: a client that connected anyway would
    // sit in its backlog, then time out waiting for connection.start.
    let (listener, plain) = listen();
    listener.set_nonblocking(true).unwrap();
    let plain = ConnectionOptions {
        connection_timeout: Duration::from_secs(2),
        ..plain
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
        let err = Connection::connect_with(options).unwrap_err();
        assert!(matches!(err, Error::Tls { .. }), "{what}: {err}");
        let accepted = listener.accept();
        assert!(
            matches!(&accepted, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{what}: the client connected ({accepted:?})"
        );
    }
}

/// A client connected to a scripted peer (handshake done).
fn connect_to_peer(tune: ConnectionTune) -> (Connection, StdPeer) {
    let (listener, opts) = listen();
    let server = thread::spawn(move || StdPeer::accept(&listener, tune));
    let conn = Connection::connect_with(opts).expect("connect to the peer");
    (conn, server.join().unwrap())
}

#[test]
fn a_malformed_frame_closes_the_connection_with_501() {
    let (conn, mut peer) = connect_to_peer(frames::connection_tune(16, 131_072, 0));
    // A heartbeat frame whose frame-end byte is wrong.
    let mut bad = frames::encode(&[frames::heartbeat(0)]);
    let last = bad.len() - 1;
    bad[last] = 0;
    peer.io.write_all(&bad).unwrap();
    match peer.recv_method() {
        (0, Method::ConnectionClose(c)) => assert_eq!(c.reply_code, ReplyCode::FRAME_ERROR.0),
        other => panic!("expected connection.close, got {other:?}"),
    }
    peer.send(&[frames::method(0, ConnectionCloseOk {})]);
    let err = conn.closed();
    assert!(
        matches!(&err, Error::ConnectionClosed { reason, by: Initiator::Library }
            if reason.code == ReplyCode::FRAME_ERROR),
        "{err:?}"
    );
    assert!(conn.open_channel().is_err());
}

#[test]
fn silence_fails_the_heartbeat_and_heartbeats_are_sent() {
    let (conn, mut peer) = connect_to_peer(frames::connection_tune(16, 131_072, 1));
    assert_eq!(conn.tuning().heartbeat, 1);
    let started = Instant::now();
    // The client speaks after half an interval of quiet.
    assert!(matches!(peer.recv(), Some(Frame::Heartbeat { channel: 0 })));
    // The server says nothing: two silent intervals end the connection.
    let err = conn.closed();
    assert!(
        matches!(err, Error::Timeout(TimeoutKind::Heartbeat)),
        "{err:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    // The socket is dropped: the peer reads its end.
    while peer.recv().is_some() {}
}

#[test]
fn a_dropped_socket_fails_pending_calls() {
    let (conn, mut peer) = connect_to_peer(frames::connection_tune(16, 131_072, 0));
    let opener = thread::spawn({
        let conn = conn.clone();
        move || conn.open_channel()
    });
    let (channel, m) = peer.recv_method();
    assert!(matches!(m, Method::ChannelOpen(_)), "{m:?}");
    peer.send(&[frames::method(channel, ChannelOpenOk::default())]);
    let ch = opener.join().unwrap().expect("channel open");
    let caller = thread::spawn(move || {
        ch.queue_declare("q", QueueDeclareOptions::default(), FieldTable::new())
    });
    let (_, m) = peer.recv_method();
    assert!(matches!(m, Method::QueueDeclare(_)), "{m:?}");
    drop(peer); // the socket goes, the declare unanswered
    let err = caller.join().unwrap().unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(matches!(conn.closed(), Error::Io { .. }));
}

#[test]
fn a_full_consumer_stops_the_reader_and_heartbeats_go_on() {
    // A no-ack consumer of capacity 2, heartbeat 1 s: the peer sends 50
    // deliveries of 16 KiB (far more than one 64 KiB read) and then
    // channel.flow, which the client must answer. While the application
    // reads nothing the reader stops: no flow-ok for longer than two
    // heartbeat intervals, the client's heartbeats go on, the connection
    // stays open (its pause is not the server's silence), and the client
    // holds its queue plus one read. Once the application reads, flow-ok comes.
    const BODY: usize = 16 * 1024;
    let (conn, mut peer) = connect_to_peer(frames::connection_tune(16, 131_072, 1));
    let opener = thread::spawn({
        let conn = conn.clone();
        move || {
            let ch = conn.open_channel()?;
            let opts = BasicConsumeOptions {
                no_ack: true,
                consumer_tag: "c".into(),
                capacity: Some(2),
                ..Default::default()
            };
            ch.basic_consume("q", opts, FieldTable::new())
        }
    });
    let (channel, _) = peer.recv_method();
    peer.send(&[frames::method(channel, ChannelOpenOk::default())]);
    let (_, m) = peer.recv_method();
    assert!(matches!(m, Method::BasicConsume(_)), "{m:?}");
    peer.send(&[frames::method(
        channel,
        amqp091::codec::method::BasicConsumeOk {
            consumer_tag: ShortStr::from_static("c"),
        },
    )]);
    let mut consumer = opener.join().unwrap().expect("consumer");
    assert_eq!(consumer.capacity(), 2);
    let mut all = Vec::new();
    for tag in 1..=50u64 {
        let mut body = vec![0u8; BODY];
        body[..8].copy_from_slice(&tag.to_be_bytes());
        all.extend(frames::deliver(channel, "c", tag, &body));
    }
    all.push(frames::method(channel, ChannelFlow { active: true }));
    // The sockets cannot hold it all while the client does not read.
    let mut writer = peer.io.try_clone().unwrap();
    let bytes = frames::encode(&all);
    let writing = thread::spawn(move || writer.write_all(&bytes));

    let quiet = Instant::now() + Duration::from_millis(2500);
    let mut heartbeats = 0;
    while let Some(left) = quiet.checked_duration_since(Instant::now()) {
        peer.io
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match peer.recv() {
            Some(Frame::Heartbeat { .. }) => heartbeats += 1,
            Some(f) => panic!("the reader went on while the consumer was full: {f:?}"),
            None => break, // the read timed out
        }
    }
    assert!(heartbeats >= 2, "{heartbeats} heartbeats in 2.5 s");
    assert!(conn.is_open(), "{:?}", conn.state());
    let held = conn.buffered_delivery_bytes();
    assert!(held <= 2 * BODY + 64 * 1024 + BODY, "{held} bytes held");
    peer.io
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();

    for tag in 1..=50u64 {
        let d = consumer
            .recv_timeout(Duration::from_secs(30))
            .expect("every delivery, in order");
        assert_eq!(d.body[..8], tag.to_be_bytes());
        assert!(consumer.len() <= 2);
    }
    writing.join().unwrap().unwrap();
    assert!(matches!(
        peer.recv_method(),
        (_, Method::ChannelFlowOk(ChannelFlowOk { active: true }))
    ));
    assert!(conn.is_open());
}

#[test]
fn wait_blocked_follows_connection_blocked_and_unblocked() {
    let (conn, mut peer) = connect_to_peer(frames::connection_tune(16, 131_072, 0));
    let short = Duration::from_millis(50);
    assert_eq!(
        conn.wait_blocked(|b| b.is_some(), short),
        Err(RecvTimeoutError::Timeout)
    );
    let waiter = thread::spawn({
        let conn = conn.clone();
        move || conn.wait_blocked(|b| b.is_some(), Duration::from_secs(30))
    });
    let blocked = ConnectionBlocked {
        reason: ShortStr::from_static("low on disk"),
    };
    peer.send(&[frames::method(0, blocked)]);
    assert_eq!(waiter.join().unwrap(), Ok(Some("low on disk".into())));
    assert_eq!(conn.blocked().as_deref(), Some("low on disk"));
    let waiter = thread::spawn({
        let conn = conn.clone();
        move || conn.wait_blocked(|b| b.is_none(), Duration::from_secs(30))
    });
    peer.send(&[frames::method(0, ConnectionUnblocked::default())]);
    assert_eq!(waiter.join().unwrap(), Ok(None));
    // The end of the connection ends a wait.
    let waiter = thread::spawn({
        let conn = conn.clone();
        move || conn.wait_blocked(|b| b.is_some(), Duration::from_secs(30))
    });
    drop(peer);
    assert_eq!(waiter.join().unwrap(), Err(RecvTimeoutError::Disconnected));
}

#[test]
fn many_threads_share_one_connection_and_one_channel() -> Result<(), Error> {
    let conn = Connection::connect(&common::broker_url())?;
    let shared = conn.open_channel()?;
    shared.confirm_select(NoWait::default())?;
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let q = shared.queue_declare("", exclusive, FieldTable::new())?.name;
    let q = Arc::new(q);
    const THREADS: usize = 8;
    const EACH: usize = 250;
    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let (conn, shared, q) = (conn.clone(), shared.clone(), q.clone());
            thread::spawn(move || -> Result<usize, Error> {
                // Its own channel and queue, round trip through a consumer ...
                let ch = conn.open_channel()?;
                let mine = ch.queue_declare("", exclusive, FieldTable::new())?.name;
                let mut consumer =
                    ch.basic_consume(&mine, BasicConsumeOptions::default(), FieldTable::new())?;
                for i in 0..EACH {
                    let body = format!("{t}-{i}");
                    ch.basic_publish(
                        "",
                        &mine,
                        BasicPublishOptions::default(),
                        &BasicProperties::default(),
                        body.as_str(),
                    )?;
                    // ... and publishes with confirms on the channel all threads share.
                    let c = shared.basic_publish(
                        "",
                        &q,
                        BasicPublishOptions::default(),
                        &BasicProperties::default(),
                        body.as_str(),
                    )?;
                    assert_eq!(c.wait()?, Confirm::Ack);
                }
                for i in 0..EACH {
                    let d = consumer
                        .recv_timeout(Duration::from_secs(60))
                        .expect("a delivery");
                    assert_eq!(&d.body[..], format!("{t}-{i}").as_bytes());
                    d.ack(Default::default())?;
                }
                ch.close()?;
                Ok(EACH)
            })
        })
        .collect();
    let mut total = 0;
    for w in workers {
        total += w.join().expect("worker")?;
    }
    assert_eq!(total, THREADS * EACH);
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let count = shared
        .queue_declare(&q, passive, FieldTable::new())?
        .message_count;
    assert_eq!(count as usize, THREADS * EACH);
    conn.close()
}

#[test]
fn channels_and_connections_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Connection>();
    send_sync::<amqp091::blocking::Channel>();
    fn send<T: Send>() {}
    send::<amqp091::blocking::Consumer>();
    send::<amqp091::blocking::PublishConfirm>();
    send::<amqp091::blocking::Delivery>();
}

#[test]
fn blocking_tutorial_1_hello_world() {
    assert_eq!(
        blocking_hello_world::run(&common::broker_url()).unwrap(),
        "Hello World!"
    );
}

#[test]
fn blocking_tutorial_2_work_queues_share_tasks_fairly() {
    let counts = blocking_work_queues::run(&common::broker_url()).unwrap();
    assert_eq!(counts.iter().sum::<usize>(), 5, "{counts:?}");
    assert!(counts.iter().all(|&c| c >= 1), "{counts:?}");
}

#[test]
fn a_refused_connection_is_an_io_error_and_a_bad_url_a_uri_error() {
    let (listener, opts) = listen();
    drop(listener);
    let err = Connection::connect_with(opts).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    let err = Connection::connect("http://nope").unwrap_err();
    assert!(matches!(err, Error::Uri(_)), "{err:?}");
}

/// amqps:// against the private RabbitMQ's TLS listener (see tests/tls.rs):
/// a large message (several TLS records and frames) both ways while the
/// reader and writer threads share the session, and a wrong CA refused.
#[cfg(feature = "rustls")]
#[test]
fn amqps_with_the_blocking_client() {
    let _ = common::broker_url();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/rabbitmq/tls");
    assert!(
        dir.join("ca.pem").exists() && TcpStream::connect("127.0.0.1:5671").is_ok(),
        "needs the private RabbitMQ's TLS listener: scripts/broker.sh start"
    );
    let mut o = ConnectionOptions::from_url("amqps://guest:guest@localhost:5671/%2f").unwrap();
    o.ca_file = Some(dir.join("ca.pem"));
    let conn = Connection::connect_with(o.clone()).expect("TLS connect");
    let ch = conn.open_channel().unwrap();
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let q = ch
        .queue_declare("", exclusive, FieldTable::new())
        .unwrap()
        .name;
    let body = vec![7u8; 300_000];
    ch.confirm_select(NoWait::default()).unwrap();
    let c = ch
        .basic_publish("", &q, Default::default(), &Default::default(), &body)
        .unwrap();
    assert_eq!(c.wait().unwrap(), Confirm::Ack);
    let mut consumer = ch
        .basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())
        .unwrap();
    let d = consumer.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(d.body.len(), body.len());
    d.ack(Default::default()).unwrap();
    conn.close().unwrap();
    // Verification against another name fails.
    o.server_name = Some("not-the-broker.example".into());
    let err = Connection::connect_with(o).unwrap_err();
    assert!(matches!(err, Error::Tls { .. }), "{err:?}");
}
