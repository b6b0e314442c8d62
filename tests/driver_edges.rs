//! The driver at its edges, against a scripted peer over an in-memory pipe:
//! a full consumer while the application closes or opens channels, a
//! publisher paused by flow when its channel closes, a hostile ack, a
//! server that stops reading.
mod common;

use std::time::Duration;

use amqp091::codec::method::*;
use amqp091::codec::{ContentHeader, Frame, Method};
use amqp091::{BasicConsumeOptions, Connection, ConnectionOptions};
use bytes::{Bytes, BytesMut};
use common::peer::Peer;
use tokio::io::{AsyncWriteExt, DuplexStream};

fn opts() -> ConnectionOptions {
    let mut o = ConnectionOptions::from_url("amqp://127.0.0.1:1").unwrap();
    o.connection_timeout = Duration::from_secs(5);
    o
}

async fn pair(
    heartbeat: u16,
    cfg: impl FnOnce(&mut amqp091::proto::Config),
    bufsize: usize,
) -> (Connection, Peer<DuplexStream>) {
    let (client, server) = tokio::io::duplex(bufsize);
    let mut peer = Peer::new(server);
    let srv = tokio::spawn(async move {
        peer.handshake(heartbeat).await;
        peer
    });
    let mut config = amqp091::proto::Config::from(opts());
    cfg(&mut config);
    let conn = Connection::connect_stream(client, config).await.unwrap();
    (conn, srv.await.unwrap())
}

async fn open_channel(conn: &Connection, peer: &mut Peer<DuplexStream>) -> amqp091::Channel {
    let task = tokio::spawn({
        let conn = conn.clone();
        async move { conn.open_channel().await }
    });
    peer.open_ok().await;
    task.await.unwrap().unwrap()
}

async fn consume(
    ch: &amqp091::Channel,
    peer: &mut Peer<DuplexStream>,
    capacity: usize,
) -> amqp091::Consumer {
    let task = tokio::spawn({
        let ch = ch.clone();
        async move {
            ch.basic_consume(
                "q",
                BasicConsumeOptions {
                    capacity: Some(capacity),
                    ..Default::default()
                },
                Default::default(),
            )
            .await
        }
    });
    let (mut channel, mut m) = peer.recv_method_on().await;
    if let Method::BasicQos(_) = m {
        // The client sets a prefetch matching the capacity on a channel with none.
        peer.send_method(channel, BasicQosOk::default()).await;
        (channel, m) = peer.recv_method_on().await;
    }
    let Method::BasicConsume(c) = m else {
        panic!("{m:?}")
    };
    peer.send_method(
        channel,
        BasicConsumeOk {
            consumer_tag: c.consumer_tag.clone(),
        },
    )
    .await;
    task.await.unwrap().unwrap()
}

async fn bounded<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: still waiting after 10 s"))
}

#[tokio::test]
async fn close_while_a_consumer_is_full() {
    let (conn, mut peer) = pair(0, |c| c.close_timeout = Duration::from_secs(5), 1 << 20).await;
    let ch = open_channel(&conn, &mut peer).await;
    let consumer = consume(&ch, &mut peer, 1).await;
    for n in 1..=3 {
        peer.deliver(1, consumer.tag(), n).await;
    }
    let server = tokio::spawn(async move {
        loop {
            match peer.recv().await {
                Some(Frame::Method {
                    method: Method::ConnectionClose(_),
                    ..
                }) => {
                    peer.send_method(0, ConnectionCloseOk::default()).await;
                    return true;
                }
                Some(_) => continue,
                None => return false,
            }
        }
    });
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

#[tokio::test]
async fn a_channel_closed_behind_a_full_consumer_does_not_kill_its_successor() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    let ch1 = open_channel(&conn, &mut peer).await;
    let _ch2 = open_channel(&conn, &mut peer).await;
    let mut consumer = consume(&ch1, &mut peer, 1).await;
    let tag: amqp091::ShortStr = consumer.tag().to_string().try_into().unwrap();
    let mut wire = BytesMut::new();
    for n in 1..=2u64 {
        Frame::Method {
            channel: 1,
            method: BasicDeliver {
                consumer_tag: tag.clone(),
                delivery_tag: n,
                ..Default::default()
            }
            .into(),
        }
        .encode(&mut wire);
        Frame::Header {
            channel: 1,
            header: ContentHeader::basic(1, Default::default()),
        }
        .encode(&mut wire);
        Frame::Body {
            channel: 1,
            payload: Bytes::from_static(b"x"),
        }
        .encode(&mut wire);
    }
    Frame::Method {
        channel: 2,
        method: ChannelClose {
            reply_code: 404,
            reply_text: "NOT_FOUND - old".into(),
            class_id: 50,
            method_id: 10,
        }
        .into(),
    }
    .encode(&mut wire);
    peer.sock.write_all(&wire).await.unwrap();
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

#[tokio::test]
async fn a_publisher_paused_by_flow_learns_that_its_channel_closed() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    let ch = open_channel(&conn, &mut peer).await;
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
    peer.send_method(
        1,
        ChannelClose {
            reply_code: 406,
            reply_text: "PRECONDITION_FAILED".into(),
            class_id: 0,
            method_id: 0,
        },
    )
    .await;
    peer.recv_method_on().await; // close-ok
    let err = bounded("publisher", publisher).await.unwrap().unwrap_err();
    assert_eq!(
        err.reply_code(),
        Some(amqp091::ReplyCode::PRECONDITION_FAILED),
        "{err}"
    );
}

#[tokio::test]
async fn a_multiple_ack_with_the_largest_tag_settles_everything() {
    let (conn, mut peer) = pair(0, |_| {}, 1 << 20).await;
    let ch = open_channel(&conn, &mut peer).await;
    let select = tokio::spawn({
        let ch = ch.clone();
        async move { ch.confirm_select(Default::default()).await }
    });
    peer.recv_method_on().await;
    peer.send_method(1, ConfirmSelectOk::default()).await;
    select.await.unwrap().unwrap();
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
            queue: "q".into(),
            ..Default::default()
        },
    )
    .await;
    bounded("declare", declare).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publisher_waiting_on_a_server_that_does_not_read_is_released_when_the_connection_dies() {
    let (conn, mut peer) = pair(1, |_| {}, 64 * 1024).await;
    let ch = open_channel(&conn, &mut peer).await;
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
