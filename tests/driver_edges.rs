//! The driver at its edges, against a scripted peer over an in-memory pipe:
//! a full consumer while the application closes or opens channels, a
//! publisher paused by flow when its channel closes, a hostile ack, a
//! server that stops reading.

use amqp091::ShortStr;
use std::time::Duration;

use amqp091::codec::method::*;
use amqp091::codec::Method;
use amqp091::testing::frames::{self, connection_tune};
use amqp091::testing::{peer, Peer};
use amqp091::{BasicConsumeOptions, Connection, ConnectionOptions};
use tokio::io::DuplexStream;

/// A connection and its scripted server over a pipe of `bufsize` bytes each
/// way, the server offering `heartbeat`.
async fn pair(
    heartbeat: u16,
    cfg: impl FnOnce(&mut amqp091::proto::Config),
    bufsize: usize,
) -> (Connection, Peer<DuplexStream>) {
    let mut config = amqp091::proto::Config::from(ConnectionOptions {
        connection_timeout: Duration::from_secs(5),
        ..Default::default()
    });
    cfg(&mut config);
    peer::connect_with_buffer(config, connection_tune(16, 131_072, heartbeat), bufsize).await
}

async fn consume(
    ch: &amqp091::Channel,
    peer: &mut Peer<DuplexStream>,
    capacity: usize,
) -> amqp091::Consumer {
    let options = BasicConsumeOptions {
        capacity: Some(capacity),
        ..Default::default()
    };
    peer.consume(ch, options).await
}

async fn bounded<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: still waiting after 10 s"))
}

#[tokio::test(start_paused = true)]
async fn close_while_a_consumer_is_full() {
    let (conn, mut peer) = pair(0, |c| c.close_timeout = Duration::from_secs(5), 1 << 20).await;
    let ch = peer.open_channel(&conn).await;
    let consumer = consume(&ch, &mut peer, 1).await;
    for n in 1..=3 {
        peer.deliver(1, consumer.tag(), n, b"x").await;
    }
    let server = tokio::spawn(async move { peer.answer_close().await.is_some() });
    // The consumer holds 1 delivery and 2 wait in overflow; the close still goes through.
    bounded("close", conn.close()).await.unwrap();
    assert!(
        bounded("server", server).await.unwrap(),
        "the server saw our close"
    );
    let why = bounded("closed", conn.closed()).await;
    assert!(
        matches!(
            why,
            amqp091::Error::ConnectionClosed {
                by: amqp091::Initiator::Application,
                ..
            }
        ),
        "{why}"
    );
    drop(consumer);
}

#[tokio::test(start_paused = true)]
async fn a_channel_closed_behind_a_full_consumer_does_not_kill_its_successor() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    let ch1 = peer.open_channel(&conn).await;
    let _ch2 = peer.open_channel(&conn).await;
    let mut consumer = consume(&ch1, &mut peer, 1).await;
    let mut wire = Vec::new();
    for n in 1..=2u64 {
        wire.extend(frames::deliver(1, consumer.tag(), n, b"x"));
    }
    wire.push(frames::method(
        2,
        frames::channel_close(404, "NOT_FOUND - old", 50, 10),
    ));
    peer.send(&wire).await;
    let (c, m) = peer.recv_method_on().await;
    assert!(
        c == 2 && matches!(m, Method::ChannelCloseOk(_)),
        "{c} {m:?}"
    );
    // Channel 2 is free again; a new channel gets it while ch1's consumer is
    // still full. (Its open-ok is read once the consumer has room: reading
    // pauses for everyone while a consumer is full.)
    let opening = tokio::spawn({
        let conn = conn.clone();
        async move { conn.open_channel().await }
    });
    assert_eq!(peer.open_ok().await, 2);
    assert_eq!(
        bounded("delivery", consumer.recv())
            .await
            .unwrap()
            .delivery_tag,
        1
    );
    assert_eq!(
        bounded("delivery", consumer.recv())
            .await
            .unwrap()
            .delivery_tag,
        2
    );
    let ch3 = bounded("open", opening).await.unwrap().unwrap();
    assert_eq!(ch3.id(), 2);
    assert!(ch3.close_reason().is_none(), "{:?}", ch3.close_reason());
    assert!(ch3.is_open());
}

#[tokio::test(start_paused = true)]
async fn a_publisher_paused_by_flow_learns_that_its_channel_closed() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    let ch = peer.open_channel(&conn).await;
    peer.send_method(1, ChannelFlow { active: false }).await;
    peer.recv_method_on().await; // flow-ok
    let publisher = tokio::spawn({
        let ch = ch.clone();
        async move {
            ch.basic_publish("", "q", Default::default(), &Default::default(), b"x")
                .await
                .map(|_| ())
        }
    });
    peer.send_method(1, frames::channel_close(406, "PRECONDITION_FAILED", 0, 0))
        .await;
    peer.recv_method_on().await; // close-ok
    let err = bounded("publisher", publisher).await.unwrap().unwrap_err();
    assert_eq!(
        err.reply_code(),
        Some(amqp091::ReplyCode::PRECONDITION_FAILED),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_multiple_ack_with_the_largest_tag_settles_everything() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    let ch = peer.open_channel(&conn).await;
    peer.confirm_select(&ch).await;
    let confirm = ch
        .basic_publish("", "q", Default::default(), &Default::default(), b"x")
        .await
        .unwrap();
    peer.send_method(
        1,
        BasicAck {
            delivery_tag: u64::MAX,
            multiple: true,
        },
    )
    .await;
    assert_eq!(
        bounded("confirm", confirm.wait()).await.unwrap(),
        amqp091::Confirm::Ack
    );
    // The connection still works.
    let declare = tokio::spawn({
        let ch = ch.clone();
        async move {
            ch.queue_declare("q", Default::default(), Default::default())
                .await
        }
    });
    let (c, m) = loop {
        let (c, m) = peer.recv_method_on().await;
        if !matches!(m, Method::BasicPublish(_)) {
            break (c, m);
        }
    };
    assert!(matches!(m, Method::QueueDeclare(_)), "{m:?}");
    peer.send_method(
        c,
        QueueDeclareOk {
            queue: ShortStr::from_static("q"),
            ..Default::default()
        },
    )
    .await;
    bounded("declare", declare).await.unwrap().unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_publisher_waiting_on_a_server_that_does_not_read_is_released_when_the_connection_dies() {
    let (conn, mut peer) = pair(1, |_| {}, 64 * 1024).await;
    let ch = peer.open_channel(&conn).await;
    let _silent = peer; // neither reads nor writes from now on
    let body = vec![0u8; 64 * 1024];
    let publisher = tokio::spawn({
        let ch = ch.clone();
        async move {
            loop {
                if let Err(e) = ch
                    .basic_publish("", "q", Default::default(), &Default::default(), &body)
                    .await
                {
                    return e;
                }
            }
        }
    });
    let why = bounded("closed", conn.closed()).await;
    assert!(
        matches!(
            why,
            amqp091::Error::Timeout(amqp091::TimeoutKind::Heartbeat)
        ),
        "{why}"
    );
    let err = bounded("publisher", publisher).await.unwrap();
    assert!(matches!(err, amqp091::Error::Timeout(_)), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_open_channel_closes_the_channel_once_open() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    {
        // Poll the open once (it sends channel.open), then drop it.
        let open = conn.open_channel();
        tokio::pin!(open);
        assert!(futures_poll_once(open.as_mut()).await.is_none());
    }
    let (ch, m) = peer.recv_method_on().await;
    assert!(matches!(m, Method::ChannelOpen(_)), "{m:?}");
    peer.send_method(ch, ChannelOpenOk::default()).await;
    // Nobody holds the channel: the client closes it.
    let (closed, m) = bounded("close", peer.recv_method_on()).await;
    assert_eq!(closed, ch);
    assert!(matches!(m, Method::ChannelClose(_)), "{m:?}");
    peer.send_method(ch, ChannelCloseOk::default()).await;
    // The connection goes on (the id's reuse is the core's, tested there).
    let again = peer.open_channel(&conn).await;
    assert!(again.is_open());
}

/// Polls `f` once: its output if it is ready, `None` if it is pending.
async fn futures_poll_once<F: std::future::Future + Unpin>(mut f: F) -> Option<F::Output> {
    std::future::poll_fn(|cx| match std::pin::Pin::new(&mut f).poll(cx) {
        std::task::Poll::Ready(v) => std::task::Poll::Ready(Some(v)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await
}

/// A command made while the writer task waits for a full socket must not
/// take the socket's wake-up away from it (a caller that polled the socket
/// to write the command itself would): once the server reads again,
/// everything arrives. On the multi-thread runtime, where callers write
/// their own commands; many commands, so that some come while the writer
/// waits whichever thread runs first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_made_while_the_socket_is_full_does_not_strand_the_writer() {
    let (conn, mut peer) = pair(0, |_| {}, 16 * 1024).await;
    let ch = peer.open_channel(&conn).await;
    // Four times the pipe: the writer task is left waiting for room.
    let body = vec![7u8; 64 * 1024];
    ch.basic_publish("", "q", Default::default(), &Default::default(), &body)
        .await
        .unwrap();
    // Requests now: their callers find the socket full and leave the bytes
    // to the writer.
    let mut declares = Vec::new();
    for n in 0..20 {
        let ch = ch.clone();
        declares.push(tokio::spawn(async move {
            ch.queue_declare(&format!("q{n}"), Default::default(), Default::default())
                .await
        }));
        tokio::task::yield_now().await;
    }
    // The server reads again: the publish, then the declares.
    let mut body_bytes = 0;
    let mut declared = Vec::new();
    bounded("the declares behind the publish", async {
        while declared.len() < 20 {
            match peer.recv().await {
                Some(amqp091::codec::Frame::Body { payload, .. }) => body_bytes += payload.len(),
                Some(amqp091::codec::Frame::Method {
                    method: Method::QueueDeclare(d),
                    ..
                }) => declared.push(d.queue.to_string()),
                Some(_) => {}
                None => panic!("connection ended"),
            }
        }
    })
    .await;
    assert_eq!(body_bytes, body.len(), "the whole body went first");
    declared.sort();
    let mut expected: Vec<String> = (0..20).map(|n| format!("q{n}")).collect();
    expected.sort();
    assert_eq!(declared, expected);
    drop(declares);
}
