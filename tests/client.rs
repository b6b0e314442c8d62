//! The client against a real RabbitMQ: every method, every error path the
//! broker can produce, concurrency, large messages, many messages, and the
//! tutorial flow.

mod common;

#[allow(dead_code)]
#[path = "../examples/tutorial.rs"]
mod tutorial;

use amqp091::ShortStr;
use amqp091::{
    BasicConsumeOptions, BasicGetOptions, BasicNackOptions, BasicProperties, BasicPublishOptions,
    BasicQosOptions, Channel, Confirm, Connection, ConnectionOptions, ConsumerEnd, Error,
    ExchangeDeclareOptions, ExchangeDeleteOptions, FieldTable, FieldValue, Initiator, NoWait,
    QueueDeclareOptions, QueueDeleteOptions, ReplyCode,
};
use common::{broker_url, temp_queue, unique, within};

async fn connect() -> Connection {
    within("connect", Connection::connect(&broker_url()))
        .await
        .expect("connect to the test broker")
}

fn text(body: &str) -> (BasicProperties, Vec<u8>) {
    (
        BasicProperties::default().with_content_type(ShortStr::from_static("text/plain")),
        body.as_bytes().to_vec(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tutorial_flow() {
    within("tutorial", tutorial::run(&broker_url()))
        .await
        .expect("tutorial flow");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_negotiates_with_rabbitmq() {
    let mut opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    opts.heartbeat = Some(15);
    opts.channel_max = 64;
    opts.frame_max = 8192;
    let conn = within("connect", Connection::connect_with(opts))
        .await
        .unwrap();
    let t = conn.tuning();
    assert_eq!((t.channel_max, t.frame_max, t.heartbeat), (64, 8192, 15));
    assert_eq!(
        conn.server_properties().get("product"),
        Some(&FieldValue::LongStr("RabbitMQ".into()))
    );
    conn.close().await.unwrap();
    assert!(!conn.is_open());
    let err = conn.open_channel().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ConnectionClosed {
                by: Initiator::Application,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exchanges_declare_bind_unbind_delete() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let (a, b) = (unique("ex-a"), unique("ex-b"));
    let opts = ExchangeDeclareOptions {
        auto_delete: false,
        ..Default::default()
    };
    ch.exchange_declare(&a, "topic", opts, FieldTable::new())
        .await
        .unwrap();
    ch.exchange_declare(&b, "fanout", opts, FieldTable::new())
        .await
        .unwrap();
    // Passive: exists.
    let passive = ExchangeDeclareOptions {
        passive: true,
        ..Default::default()
    };
    ch.exchange_declare(&a, "topic", passive, FieldTable::new())
        .await
        .unwrap();
    // e2e binding: messages to `a` with key x.* reach `b`, then the queue bound to `b`.
    ch.exchange_bind(&b, &a, "x.*", NoWait::default(), FieldTable::new())
        .await
        .unwrap();
    let q = temp_queue(&ch).await;
    ch.queue_bind(&q, &b, "", NoWait::default(), FieldTable::new())
        .await
        .unwrap();
    let (props, body) = text("via two exchanges");
    ch.confirm_select(NoWait::default()).await.unwrap();
    confirmed(
        ch.basic_publish(&a, "x.y", Default::default(), &props, &body)
            .await,
    )
    .await;
    let got = get_eventually(&ch, &q).await;
    assert_eq!(&got.body[..], b"via two exchanges");
    ch.exchange_unbind(&b, &a, "x.*", NoWait::default(), FieldTable::new())
        .await
        .unwrap();
    ch.basic_publish(&a, "x.y", Default::default(), &props, &body)
        .await
        .unwrap();
    ch.exchange_delete(&a, ExchangeDeleteOptions::default())
        .await
        .unwrap();
    ch.exchange_delete(
        &b,
        ExchangeDeleteOptions {
            if_unused: false,
            no_wait: true,
        },
    )
    .await
    .unwrap();
    // After unbind nothing more arrived (the get round trip orders after the publish).
    assert!(ch
        .basic_get(&q, BasicGetOptions { no_ack: true })
        .await
        .unwrap()
        .is_none());
    // Passive declare of a deleted exchange: 404 closes the channel.
    let err = ch
        .exchange_declare(&a, "topic", passive, FieldTable::new())
        .await
        .unwrap_err();
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_FOUND), "{err}");
    conn.close().await.unwrap();
}

/// A message that must be in the queue now (its publish was confirmed).
async fn get_now(ch: &Channel, queue: &str, options: BasicGetOptions) -> amqp091::GetMessage {
    within("get", ch.basic_get(queue, options))
        .await
        .unwrap()
        .expect("a message: its publish was confirmed, so it is in the queue")
}

/// [`get_now`] with no-ack.
async fn get_eventually(ch: &Channel, queue: &str) -> amqp091::GetMessage {
    get_now(ch, queue, BasicGetOptions { no_ack: true }).await
}

/// Waits for the broker's ack of a publish: the message is in its queues.
async fn confirmed(publish: Result<amqp091::PublishConfirm, Error>) {
    let confirm = publish.expect("publish");
    assert_eq!(within("confirm", confirm).await.unwrap(), Confirm::Ack);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queues_declare_bind_purge_delete() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let name = unique("q");
    let mut args = FieldTable::new();
    args.insert("x-max-length", 100i32);
    let opts = QueueDeclareOptions {
        auto_delete: true,
        ..Default::default()
    };
    let q = ch.queue_declare(&name, opts, args.clone()).await.unwrap();
    assert_eq!(
        (q.name.as_str(), q.message_count, q.consumer_count),
        (name.as_str(), 0, 0)
    );
    ch.queue_bind(
        &name,
        "amq.direct",
        &name,
        NoWait::default(),
        FieldTable::new(),
    )
    .await
    .unwrap();
    let (props, body) = text("x");
    ch.confirm_select(NoWait::default()).await.unwrap();
    for _ in 0..3 {
        let publish = ch
            .basic_publish("amq.direct", &name, Default::default(), &props, &body)
            .await;
        confirmed(publish).await;
    }
    // A passive declare reports them (confirmed: they are enqueued).
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    assert_eq!(
        ch.queue_declare(&name, passive, FieldTable::new())
            .await
            .unwrap()
            .message_count,
        3
    );
    ch.queue_unbind(&name, "amq.direct", &name, FieldTable::new())
        .await
        .unwrap();
    assert_eq!(ch.queue_purge(&name, NoWait::default()).await.unwrap(), 3);
    confirmed(
        ch.basic_publish("", &name, Default::default(), &props, &body)
            .await,
    )
    .await;
    assert_eq!(
        ch.queue_declare(&name, passive, FieldTable::new())
            .await
            .unwrap()
            .message_count,
        1
    );
    assert_eq!(
        ch.queue_delete(&name, QueueDeleteOptions::default())
            .await
            .unwrap(),
        1
    );
    // Server-named queue.
    let named = temp_queue(&ch).await;
    assert!(named.starts_with("amq.gen-"), "{named}");
    // Redeclaring with other arguments: 406 on this channel only.
    let other = conn.open_channel().await.unwrap();
    let q2 = unique("q2");
    ch.queue_declare(&q2, opts, args).await.unwrap();
    let err = ch
        .queue_declare(&q2, opts, FieldTable::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.reply_code(),
        Some(ReplyCode::PRECONDITION_FAILED),
        "{err}"
    );
    assert!(
        matches!(&err, Error::ChannelClosed { reason, by: Initiator::Server, .. } if reason.method_name() == Some("queue.declare"))
    );
    // The channel stays closed with that error; the other channel works.
    let again = ch
        .queue_declare("", opts, FieldTable::new())
        .await
        .unwrap_err();
    assert_eq!(again.reply_code(), Some(ReplyCode::PRECONDITION_FAILED));
    other
        .queue_delete(&q2, QueueDeleteOptions::default())
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_ack_nack_reject_recover() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    assert!(ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .is_none());
    ch.confirm_select(NoWait::default()).await.unwrap();
    for i in 0..4 {
        let (props, body) = text(&format!("m{i}"));
        let publish = ch
            .basic_publish(
                "",
                &q,
                Default::default(),
                &props.with_message_id(format!("id{i}").try_into().unwrap()),
                &body,
            )
            .await;
        confirmed(publish).await;
    }
    let m0 = get_now(&ch, &q, BasicGetOptions::default()).await;
    assert_eq!(&m0.body[..], b"m0");
    assert_eq!(
        m0.properties.message_id.as_ref().and_then(|s| s.as_str()),
        Some("id0")
    );
    assert_eq!(m0.message_count, 3);
    ch.basic_ack(m0.delivery_tag, false).await.unwrap();
    // reject with requeue puts it back at the head.
    let m1 = ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .unwrap();
    ch.basic_reject(m1.delivery_tag, true).await.unwrap();
    let m1again = ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&m1again.body[..], b"m1");
    assert!(m1again.redelivered);
    // nack multiple without requeue drops both outstanding.
    let m2 = ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .unwrap();
    ch.basic_nack(
        m2.delivery_tag,
        BasicNackOptions {
            multiple: true,
            requeue: false,
        },
    )
    .await
    .unwrap();
    // recover(requeue) redelivers unacked m3.
    let m3 = ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&m3.body[..], b"m3");
    ch.basic_recover(true).await.unwrap();
    let m3again = ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&m3again.body[..], b"m3");
    assert!(m3again.redelivered);
    ch.basic_ack(m3again.delivery_tag, true).await.unwrap();
    assert!(ch
        .basic_get(&q, BasicGetOptions::default())
        .await
        .unwrap()
        .is_none());
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consume_cancel_and_server_cancel() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    ch.basic_qos(10, BasicQosOptions::default()).await.unwrap();
    let q = temp_queue(&ch).await;
    let mut consumer = ch
        .basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let (props, _) = text("");
    for i in 0..20u32 {
        ch.basic_publish("", &q, Default::default(), &props, &i.to_be_bytes())
            .await
            .unwrap();
    }
    for i in 0..20u32 {
        let d = within("delivery", consumer.recv()).await.expect("delivery");
        assert_eq!(&d.body[..], &i.to_be_bytes());
        assert_eq!(d.consumer_tag, consumer.tag());
        ch.basic_ack(d.delivery_tag, false).await.unwrap();
    }
    consumer.cancel().await.unwrap();
    assert!(within("end", consumer.recv()).await.is_none());
    assert!(matches!(
        consumer.end_reason(),
        Some(ConsumerEnd::Cancelled)
    ));

    // Deleting the queue cancels its consumers (consumer_cancel_notify).
    let q2 = unique("deleted");
    ch.queue_declare(&q2, QueueDeclareOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let mut c2 = ch
        .basic_consume(
            &q2,
            BasicConsumeOptions {
                no_ack: true,
                ..Default::default()
            },
            FieldTable::new(),
        )
        .await
        .unwrap();
    let other = conn.open_channel().await.unwrap();
    other
        .queue_delete(&q2, QueueDeleteOptions::default())
        .await
        .unwrap();
    assert!(within("server cancel", c2.recv()).await.is_none());
    assert!(
        matches!(c2.end_reason(), Some(ConsumerEnd::CancelledByServer)),
        "{:?}",
        c2.end_reason()
    );
    assert!(ch.is_open());
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nowait_errors_reach_the_next_call() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let ex = unique("nowait-ex");
    ch.exchange_declare(
        &ex,
        "direct",
        ExchangeDeclareOptions {
            auto_delete: true,
            ..Default::default()
        },
        FieldTable::new(),
    )
    .await
    .unwrap();
    // Redeclare as fanout with no_wait: returns at once, the 406 comes later.
    let nowait = ExchangeDeclareOptions {
        auto_delete: true,
        no_wait: true,
        ..Default::default()
    };
    ch.exchange_declare(&ex, "fanout", nowait, FieldTable::new())
        .await
        .unwrap();
    let err = ch
        .queue_declare("", QueueDeclareOptions::default(), FieldTable::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.reply_code(),
        Some(ReplyCode::PRECONDITION_FAILED),
        "{err}"
    );
    assert!(
        matches!(&err, Error::ChannelClosed { reason, .. } if reason.method_name() == Some("exchange.declare"))
    );
    // Consume with no_wait on a missing queue: the consumer ends with the 404.
    let ch2 = conn.open_channel().await.unwrap();
    let mut c = ch2
        .basic_consume(
            &unique("missing"),
            BasicConsumeOptions {
                no_wait: true,
                ..Default::default()
            },
            FieldTable::new(),
        )
        .await
        .unwrap();
    assert!(within("consumer end", c.recv()).await.is_none());
    match c.end_reason() {
        Some(ConsumerEnd::Closed(e)) => assert_eq!(e.reply_code(), Some(ReplyCode::NOT_FOUND)),
        other => panic!("{other:?}"),
    }
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn immediate_publish_closes_the_connection_with_540() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let (props, body) = text("now!");
    let immediate = BasicPublishOptions {
        immediate: true,
        ..Default::default()
    };
    ch.basic_publish("", "nowhere", immediate, &props, &body)
        .await
        .unwrap();
    let err = within("close", conn.closed()).await;
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_IMPLEMENTED), "{err}");
    assert!(
        matches!(&err, Error::ConnectionClosed { by: Initiator::Server, reason } if reason.method_name() == Some("basic.publish"))
    );
    let later = ch
        .basic_get("x", BasicGetOptions::default())
        .await
        .unwrap_err();
    assert_eq!(later.reply_code(), Some(ReplyCode::NOT_IMPLEMENTED));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn qos_with_prefetch_size_is_refused() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let err = ch
        .basic_qos(
            1,
            BasicQosOptions {
                prefetch_size: 1000,
                global: false,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_IMPLEMENTED), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_vhost() {
    let mut opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    opts.password = "definitely-wrong".into();
    let err = within("connect", Connection::connect_with(opts.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.reply_code(), Some(ReplyCode::ACCESS_REFUSED), "{err}");
    assert!(!format!("{err} {err:?}").contains("definitely-wrong"));

    let mut opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    opts.vhost = unique("no-such-vhost");
    let err = within("connect", Connection::connect_with(opts))
        .await
        .unwrap_err();
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_ALLOWED), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_urls_and_unreachable_hosts_are_typed_errors() {
    let err = Connection::connect("http://localhost").await.unwrap_err();
    assert!(matches!(err, Error::Uri(_)), "{err}");
    let err = Connection::connect("amqp://localhost:99999")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("99999"), "{err}");
    // A port nothing listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = within(
        "refused",
        Connection::connect(&format!("amqp://127.0.0.1:{port}")),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_and_confirm_select() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    ch.tx_select().await.unwrap();
    let (props, body) = text("tx");
    ch.basic_publish("", &q, Default::default(), &props, &body)
        .await
        .unwrap();
    ch.tx_rollback().await.unwrap();
    assert!(ch
        .basic_get(&q, BasicGetOptions { no_ack: true })
        .await
        .unwrap()
        .is_none());
    ch.basic_publish("", &q, Default::default(), &props, &body)
        .await
        .unwrap();
    ch.tx_commit().await.unwrap();
    assert!(ch
        .basic_get(&q, BasicGetOptions { no_ack: true })
        .await
        .unwrap()
        .is_some());
    let ch2 = conn.open_channel().await.unwrap();
    ch2.confirm_select(NoWait::default()).await.unwrap();
    confirmed(
        ch2.basic_publish("", &q, Default::default(), &props, &body)
            .await,
    )
    .await;
    assert!(get_eventually(&ch2, &q).await.body.len() == 2);
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_channels_used_concurrently() {
    let conn = connect().await;
    let mut tasks = Vec::new();
    for t in 0..16u32 {
        let conn = conn.clone();
        tasks.push(tokio::spawn(async move {
            let ch = conn.open_channel().await.unwrap();
            let q = temp_queue(&ch).await;
            ch.confirm_select(NoWait::default()).await.unwrap();
            let mut confirms = Vec::new();
            for i in 0..100u32 {
                let body = format!("{t}:{i}");
                let publish = ch
                    .basic_publish(
                        "",
                        &q,
                        Default::default(),
                        &BasicProperties::default(),
                        body.as_bytes(),
                    )
                    .await;
                confirms.push(publish);
            }
            for publish in confirms {
                confirmed(publish).await;
            }
            for i in 0..100u32 {
                let m = get_eventually(&ch, &q).await;
                assert_eq!(m.body, format!("{t}:{i}").as_bytes());
            }
            ch.close().await.unwrap();
            ch.id()
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(within("task", t).await.unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 16, "each task had its own channel");
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_16_mib_message_crosses_many_frames() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    let body: Vec<u8> = (0..16 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    ch.confirm_select(NoWait::default()).await.unwrap();
    let publish = within(
        "publish",
        ch.basic_publish(
            "",
            &q,
            Default::default(),
            &BasicProperties::default(),
            &body,
        ),
    )
    .await;
    confirmed(publish).await;
    let m = get_eventually(&ch, &q).await;
    assert_eq!(m.body.len(), body.len());
    assert!(m.body[..] == body[..], "16 MiB body came back intact");
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_messages_publish_to_consume() {
    const N: u32 = 10_000;
    let conn = connect().await;
    let publisher = conn.open_channel().await.unwrap();
    let consumer_ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&publisher).await;
    consumer_ch
        .basic_qos(500, BasicQosOptions::default())
        .await
        .unwrap();
    let mut consumer = consumer_ch
        .basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let producer = tokio::spawn(async move {
        for i in 0..N {
            let body = format!("message {i:05} {}", "x".repeat((i % 200) as usize));
            let props =
                BasicProperties::default().with_correlation_id(format!("{i}").try_into().unwrap());
            publisher
                .basic_publish("", &q, Default::default(), &props, body.as_bytes())
                .await
                .unwrap();
        }
        publisher
    });
    for i in 0..N {
        let d = within("delivery", consumer.recv()).await.expect("delivery");
        let want = format!("message {i:05} {}", "x".repeat((i % 200) as usize));
        assert_eq!(d.body, want.as_bytes(), "message {i}");
        assert_eq!(
            d.properties
                .correlation_id
                .as_ref()
                .and_then(|c| c.as_str()),
            Some(i.to_string().as_str())
        );
        if i % 100 == 99 {
            consumer_ch.basic_ack(d.delivery_tag, true).await.unwrap();
        }
    }
    producer.await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_consumer_holds_the_broker_back_not_memory() {
    // Capacity 5, no-ack (no prefetch limits the broker): the broker pushes,
    // the client stops reading when 5 are queued; nothing is lost,
    // everything arrives in order, and what the client holds stays bounded.
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    let opts = BasicConsumeOptions {
        no_ack: true,
        capacity: Some(5),
        ..Default::default()
    };
    let mut consumer = ch.basic_consume(&q, opts, FieldTable::new()).await.unwrap();
    let pubch = conn.open_channel().await.unwrap();
    for i in 0..5000u32 {
        pubch
            .basic_publish(
                "",
                &q,
                Default::default(),
                &BasicProperties::default(),
                &i.to_be_bytes(),
            )
            .await
            .unwrap();
    }
    // At most the consumer's capacity plus what one read of the socket
    // (64 KiB) completes: 4-byte messages take at least 60 bytes on the
    // wire; each counts its body and 512 bytes in the delivery buffer.
    let per_delivery = 4 + 512;
    let bound = (5 + 64 * 1024 / 60) * per_delivery;
    let all = 5000 * per_delivery;
    assert!(bound < all / 2, "the bound must be able to fail");
    // While the consumer is not read, other requests on the connection wait
    // for the reader too; reading them all unblocks everything.
    for i in 0..5000u32 {
        let d = within("delivery", consumer.recv()).await.unwrap();
        assert_eq!(&d.body[..], &i.to_be_bytes());
        let held = conn.buffered_delivery_bytes();
        assert!(
            held <= bound,
            "{held} bytes held at message {i} (bound {bound})"
        );
        assert!(consumer.len() <= consumer.capacity());
    }
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publisher_confirms_ack_every_publish() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    ch.confirm_select(NoWait::default()).await.unwrap();
    let mut pending = Vec::new();
    for i in 0..1000u32 {
        let c = ch
            .basic_publish(
                "",
                &q,
                Default::default(),
                &BasicProperties::default(),
                &i.to_be_bytes(),
            )
            .await
            .unwrap();
        assert_eq!(c.sequence(), Some(u64::from(i) + 1));
        pending.push(c);
    }
    for c in pending {
        assert_eq!(within("confirm", c.wait()).await.unwrap(), Confirm::Ack);
    }
    // A channel without confirm mode has nothing to wait for.
    let plain = conn.open_channel().await.unwrap();
    let c = plain
        .basic_publish(
            "",
            &q,
            Default::default(),
            &BasicProperties::default(),
            b"x",
        )
        .await
        .unwrap();
    assert_eq!(c.sequence(), None);
    assert_eq!(c.wait().await.unwrap(), Confirm::NotRequested);
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unroutable_mandatory_publish_resolves_its_confirm_as_returned() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    ch.confirm_select(NoWait::default()).await.unwrap();
    let mut returns = ch.returns().unwrap();
    let mandatory = BasicPublishOptions {
        mandatory: true,
        ..Default::default()
    };
    let (props, body) = text("lost");
    let key = unique("no-such-queue");
    let confirm = ch
        .basic_publish("amq.direct", &key, mandatory, &props, &body)
        .await
        .unwrap();
    // The broker returns it, then acks it: the confirm says it was returned
    // (it reached no queue), with the broker's reason.
    match within("confirm", confirm).await.unwrap() {
        Confirm::Returned(r) => {
            assert_eq!(r.reply_code, ReplyCode(312), "NO_ROUTE");
            assert_eq!(&r.body[..], b"lost");
        }
        other => panic!("{other:?}"),
    }
    // The channel's collector hears of it too, before the confirm resolved.
    let returned = returns
        .try_recv()
        .expect("the return arrived before the ack");
    assert_eq!(returned.reply_code, ReplyCode(312));
    assert_eq!(returned.reply_text, "NO_ROUTE");
    assert_eq!(returned.routing_key, key.as_str());
    assert_eq!(&returned.body[..], b"lost");
    assert_eq!(returned.properties.content_type, props.content_type);
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_nacks_publishes() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let mut args = FieldTable::new();
    args.insert("x-max-length", 1i32);
    args.insert("x-overflow", "reject-publish");
    let q = ch
        .queue_declare(
            "",
            QueueDeclareOptions {
                exclusive: true,
                ..Default::default()
            },
            args,
        )
        .await
        .unwrap()
        .name;
    ch.confirm_select(NoWait::default()).await.unwrap();
    let first = ch
        .basic_publish(
            "",
            &q,
            Default::default(),
            &BasicProperties::default(),
            b"1",
        )
        .await
        .unwrap();
    let second = ch
        .basic_publish(
            "",
            &q,
            Default::default(),
            &BasicProperties::default(),
            b"2",
        )
        .await
        .unwrap();
    assert_eq!(within("confirm", first.wait()).await.unwrap(), Confirm::Ack);
    assert_eq!(
        within("confirm", second.wait()).await.unwrap(),
        Confirm::Nack
    );
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rabbitmq_accepts_update_secret() {
    let opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    let conn = Connection::connect_with(opts.clone()).await.unwrap();
    within(
        "update-secret",
        conn.update_secret(opts.password.as_bytes(), "rotation test"),
    )
    .await
    .unwrap();
    let ch = conn.open_channel().await.unwrap();
    temp_queue(&ch).await;
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_channel_the_server_closed_reports_the_servers_error() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let missing = unique("no-such-exchange");
    ch.basic_publish(
        &missing,
        "k",
        Default::default(),
        &BasicProperties::default(),
        b"x",
    )
    .await
    .unwrap();
    // Our close crosses the server's 404 (or follows it): either way the 404 is reported.
    let err = within("close", ch.close()).await.unwrap_err();
    assert_eq!(err.reply_code(), Some(ReplyCode::NOT_FOUND), "{err}");
    assert!(conn.is_open(), "a channel error, not a connection error");
    conn.open_channel().await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirm_select_with_no_wait() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    within(
        "confirm.select no-wait",
        ch.confirm_select(NoWait { no_wait: true }),
    )
    .await
    .unwrap();
    let c = ch
        .basic_publish(
            "",
            &q,
            Default::default(),
            &BasicProperties::default(),
            b"x",
        )
        .await
        .unwrap();
    assert_eq!(within("confirm", c.wait()).await.unwrap(), Confirm::Ack);
    // The next request on the channel is answered normally.
    temp_queue(&ch).await;
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_consumer_cancels_it() {
    let conn = connect().await;
    let ch = conn.open_channel().await.unwrap();
    let q = temp_queue(&ch).await;
    let consumer = ch
        .basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    assert_eq!(
        ch.queue_declare(&q, passive, FieldTable::new())
            .await
            .unwrap()
            .consumer_count,
        1
    );
    drop(consumer);
    // The no-wait cancel goes out on `ch` before this declare, and the
    // broker handles a channel's methods in order: it sees no consumer now.
    assert_eq!(
        ch.queue_declare(&q, passive, FieldTable::new())
            .await
            .unwrap()
            .consumer_count,
        0
    );
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_channels_are_closed_and_their_ids_reused() {
    // channel_max 8: without closing dropped channels, the 9th open fails.
    let mut opts = ConnectionOptions::from_url(&broker_url()).unwrap();
    opts.channel_max = 8;
    let conn = within("connect", Connection::connect_with(opts))
        .await
        .unwrap();
    for _ in 0..50 {
        let ch = within("open", conn.open_channel()).await.unwrap();
        temp_queue(&ch).await;
        drop(ch);
    }
    // A clone keeps the channel open.
    let ch = conn.open_channel().await.unwrap();
    let clone = ch.clone();
    drop(ch);
    temp_queue(&clone).await;
    conn.close().await.unwrap();
}
