//! The client as lapin and Go users expect it, against RabbitMQ:
//! deliveries that acknowledge themselves, consumers as streams, a
//! channel's end observed, a returned publish seen on its confirm.

mod common;

use amqp091::{
    BasicAckOptions, BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicProperties,
    BasicPublishOptions, Confirm, Connection, ConsumerEnd, Error, FieldTable, Initiator, NoWait,
    QueueDeclareOptions, QueueDeleteOptions, ReplyCode,
};
use common::{broker_url, own_user, rabbitmqctl, temp_queue, unique, within};
use tokio_stream::StreamExt;

async fn connect() -> Connection {
    within("connect", Connection::connect(&broker_url()))
        .await
        .unwrap()
}

/// Publishes `n` numbered messages on a confirm channel and waits for the acks.
async fn fill(conn: &Connection, queue: &str, n: u8) {
    let ch = conn.open_channel().await.unwrap();
    ch.confirm_select(NoWait::default()).await.unwrap();
    for i in 0..n {
        let c = ch
            .basic_publish(
                "",
                queue,
                Default::default(),
                &BasicProperties::default(),
                &[i],
            )
            .await
            .unwrap();
        assert_eq!(c.await.unwrap(), Confirm::Ack);
    }
    ch.close().await.unwrap();
}

async fn ready(conn: &Connection, queue: &str) -> u32 {
    let ch = conn.open_channel().await.unwrap();
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let n = ch
        .queue_declare(queue, passive, FieldTable::new())
        .await
        .unwrap()
        .message_count;
    ch.close().await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_acks_and_nacks_itself_on_its_channel() {
    let conn = connect().await;
    let owner = conn.open_channel().await.unwrap();
    let q = temp_queue(&owner).await;
    fill(&conn, &q, 3).await;
    let ch = conn.open_channel().await.unwrap();
    ch.basic_qos(10, Default::default()).await.unwrap();
    let mut consumer = ch
        .basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let first = within("delivery", consumer.recv()).await.unwrap();
    first.ack(BasicAckOptions::default()).await.unwrap();
    let second = within("delivery", consumer.recv()).await.unwrap();
    let requeue = BasicNackOptions {
        requeue: true,
        ..Default::default()
    };
    second.nack(requeue).await.unwrap();
    // The nacked one comes back, redelivered; ack it and the third together.
    let mut rest = Vec::new();
    while rest.len() < 2 {
        rest.push(within("delivery", consumer.recv()).await.unwrap());
    }
    assert!(rest.iter().any(|d| d.redelivered && d.body[..] == [1]));
    let last = rest.iter().max_by_key(|d| d.delivery_tag).unwrap();
    last.ack(BasicAckOptions { multiple: true }).await.unwrap();
    drop(consumer);
    ch.close().await.unwrap();
    assert_eq!(
        ready(&conn, &q).await,
        0,
        "all acknowledged: nothing requeued"
    );
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acking_after_the_channel_ended_fails_and_sends_nothing() {
    let conn = connect().await;
    let owner = conn.open_channel().await.unwrap();
    let q = temp_queue(&owner).await;
    fill(&conn, &q, 1).await;
    let ch = conn.open_channel().await.unwrap();
    let got = ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .expect("a message");
    ch.close().await.unwrap();
    let err = got.ack(BasicAckOptions::default()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ChannelClosed {
                by: Initiator::Application,
                ..
            }
        ),
        "{err}"
    );
    // Nothing reached the broker: the connection is fine, the message back in the queue.
    assert_eq!(ready(&conn, &q).await, 1);
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_is_a_stream_that_ends_with_why() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = unique("stream");
    ch.queue_declare(&q, QueueDeclareOptions::default(), FieldTable::new())
        .await
        .unwrap();
    fill(&conn, &q, 5).await;
    let no_ack = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut consumer = ch
        .basic_consume(&q, no_ack, FieldTable::new())
        .await
        .unwrap();
    let bodies: Vec<u8> = within(
        "stream",
        (&mut consumer)
            .take(5)
            .map(|d| d.unwrap().body[0])
            .collect(),
    )
    .await;
    assert_eq!(bodies, vec![0, 1, 2, 3, 4]);
    // Deleting the queue cancels the consumer: the stream says so, then ends.
    let other = conn.open_channel().await.unwrap();
    other
        .queue_delete(&q, QueueDeleteOptions::default())
        .await
        .unwrap();
    let last = within("end", consumer.next()).await;
    assert!(
        matches!(last, Some(Err(Error::ConsumerCancelled { .. }))),
        "{last:?}"
    );
    assert!(within("end", consumer.next()).await.is_none());
    assert!(matches!(
        consumer.end_reason(),
        Some(ConsumerEnd::CancelledByServer)
    ));
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_publish_to_a_missing_exchange_shows_on_channel_closed() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let exchange = unique("no-such-exchange");
    // basic.publish has no reply: it succeeds here...
    ch.basic_publish(
        &exchange,
        "k",
        Default::default(),
        &Default::default(),
        b"x",
    )
    .await
    .unwrap();
    // ...and the broker's 404 arrives as the channel's end.
    let err = within("closed", ch.closed()).await;
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_FOUND), "{err}");
    assert!(conn.is_open());
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mandatory_unroutable_publish_awaits_as_returned() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    ch.confirm_select(NoWait::default()).await.unwrap();
    let mandatory = BasicPublishOptions {
        mandatory: true,
        ..Default::default()
    };
    let routed_queue = temp_queue(&ch).await;
    // One routed, one not, one routed: only the second comes back.
    let a = ch
        .basic_publish("", &routed_queue, mandatory, &Default::default(), b"a")
        .await
        .unwrap();
    let b = ch
        .basic_publish("", &unique("nowhere"), mandatory, &Default::default(), b"b")
        .await
        .unwrap();
    let c = ch
        .basic_publish("", &routed_queue, mandatory, &Default::default(), b"c")
        .await
        .unwrap();
    assert_eq!(within("a", a).await.unwrap(), Confirm::Ack);
    match within("b", b).await.unwrap() {
        Confirm::Returned(r) => assert_eq!(&r.body[..], b"b"),
        other => panic!("{other:?}"),
    }
    assert_eq!(within("c", c).await.unwrap(), Confirm::Ack);
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_go_tutorials_url_connects_to_the_vhost_slash() {
    // The URL exactly as the Go tutorial writes it: the lone `/` is vhost `/`.
    let url = "amqp://guest:guest@localhost:5672/";
    let _ = broker_url(); // the private broker is up
    let options = amqp091::ConnectionOptions::from_url(url).unwrap();
    assert_eq!(options.vhost, "/");
    let conn = within("connect", Connection::connect(url)).await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_vhost_is_named_in_quotes_even_when_empty() {
    let mut options = amqp091::ConnectionOptions::from_url(&broker_url()).unwrap();
    options.vhost = String::new();
    let err = within("connect", Connection::connect_with(options))
        .await
        .unwrap_err();
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_ALLOWED), "{err}");
    assert!(err.to_string().contains("(virtual host \"\")"), "{err}");
}

/// Polls `fut` once and drops it: `Some(output)` if it finished at once.
async fn poll_once_then_drop<F: std::future::Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
        std::task::Poll::Ready(v) => std::task::Poll::Ready(Some(v)),
        std::task::Poll::Pending => std::task::Poll::Ready(None),
    })
    .await
}

/// The channel numbers RabbitMQ lists for `user`'s connections.
fn broker_channels_of(user: &str) -> Vec<String> {
    rabbitmqctl(&[
        "list_channels",
        "-q",
        "--no-table-headers",
        "user",
        "number",
    ])
    .lines()
    .filter_map(|l| l.split_once('\t'))
    .filter(|(u, _)| *u == user)
    .map(|(_, n)| n.trim().to_string())
    .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_open_channels_leave_no_channel_open_on_rabbitmq() {
    let (user, password) = own_user("amqp091-cancel-open");
    let mut options = amqp091::ConnectionOptions::from_url(&broker_url()).unwrap();
    options.username = user.clone();
    options.password = password;
    let conn = within("connect", Connection::connect_with(options))
        .await
        .unwrap();
    // Ten opens cut off after sending channel.open, before the open-ok.
    for _ in 0..10 {
        assert!(poll_once_then_drop(conn.open_channel()).await.is_none());
    }
    // A channel that is kept, used for a round trip.
    let kept = conn.open_channel().await.unwrap();
    temp_queue(&kept).await;
    // The broker ends with the kept channel only: each abandoned one was
    // closed when its open-ok came. The closes are asynchronous to the
    // kept channel, so the listing is read until it settles (bounded).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut listed = broker_channels_of(&user);
    while listed.len() != 1 && std::time::Instant::now() < deadline {
        listed = broker_channels_of(&user);
    }
    assert_eq!(
        listed,
        vec![kept.id().to_string()],
        "channels on the broker"
    );
    conn.close().await.unwrap();
}
