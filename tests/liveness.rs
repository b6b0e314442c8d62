//! Bounded memory must not cost liveness (against RabbitMQ): a consumer the
//! application reads slowly, or not at all, never stops replies, confirms
//! and other channels on the same connection, because the client's
//! consumer capacity and the broker's prefetch agree.

mod common;

use amqp091::{
    BasicConsumeOptions, BasicProperties, BasicQosOptions, Channel, Confirm, Connection,
    FieldTable, NoWait, QueueDeclareOptions,
};
use common::{broker_url, temp_queue, within};

/// Publishes `n` messages to `queue` and waits until the broker confirmed them all.
async fn fill(ch: &Channel, queue: &str, n: u32, size: usize) {
    ch.confirm_select(NoWait::default()).await.unwrap();
    let mut confirms = Vec::new();
    for i in 0..n {
        let mut body = vec![0u8; size.max(4)];
        body[..4].copy_from_slice(&i.to_be_bytes());
        let c = ch
            .basic_publish(
                "",
                queue,
                Default::default(),
                &BasicProperties::default(),
                &body,
            )
            .await
            .unwrap();
        confirms.push(c);
    }
    for c in confirms {
        assert_eq!(c.wait().await.unwrap(), Confirm::Ack);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_with_confirms_before_each_ack_completes_for_3000_messages() {
    // The new user's pipeline: a consumer on a channel without basic.qos, a
    // queue holding more than its capacity, and for each delivery a publish
    // with confirm on the same connection before the ack. Without a prefetch
    // matching the capacity, the broker fills the consumer, the reader stops,
    // and the first confirm sits unread behind the deliveries.
    let conn = within("connect", Connection::connect(&broker_url()))
        .await
        .unwrap();
    let setup = conn.open_channel().await.unwrap();
    let input = temp_queue(&setup).await;
    let output = temp_queue(&setup).await;
    within("fill", fill(&setup, &input, 3000, 16)).await;

    let consume_ch = conn.open_channel().await.unwrap();
    let mut consumer = consume_ch
        .basic_consume(&input, BasicConsumeOptions::default(), FieldTable::new())
        .await
        .unwrap();
    assert_eq!(consumer.capacity(), 1000, "the default capacity");
    let publish_ch = conn.open_channel().await.unwrap();
    publish_ch.confirm_select(NoWait::default()).await.unwrap();
    within("pipeline", async {
        for i in 0..3000u32 {
            let d = consumer.recv().await.expect("a delivery");
            assert_eq!(&d.body[..4], &i.to_be_bytes(), "in order");
            let confirm = publish_ch
                .basic_publish("", &output, Default::default(), &d.properties, &d.body)
                .await
                .unwrap();
            assert_eq!(confirm.wait().await.unwrap(), Confirm::Ack, "message {i}");
            consume_ch.basic_ack(d.delivery_tag, false).await.unwrap();
        }
    })
    .await;
    let passive = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let out = setup
        .queue_declare(&output, passive, FieldTable::new())
        .await
        .unwrap();
    assert_eq!(out.message_count, 3000);
    within("close", conn.close()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_consumer_does_not_stop_replies_on_other_channels() {
    // Capacity 10 asked for on a channel with prefetch 100: the capacity is
    // raised to 100, so the broker can never send more than the consumer
    // holds, and the reader never has to stop for it.
    let conn = within("connect", Connection::connect(&broker_url()))
        .await
        .unwrap();
    let setup = conn.open_channel().await.unwrap();
    let q = temp_queue(&setup).await;
    within("fill", fill(&setup, &q, 500, 16)).await;
    let ch = conn.open_channel().await.unwrap();
    ch.basic_qos(100, BasicQosOptions::default()).await.unwrap();
    let consumer = ch
        .basic_consume(
            &q,
            BasicConsumeOptions {
                capacity: Some(10),
                ..Default::default()
            },
            FieldTable::new(),
        )
        .await
        .unwrap();
    assert_eq!(consumer.capacity(), 100, "raised to the prefetch");
    // Nobody reads the consumer. The rest of the connection goes on: its
    // queue fills to the prefetch (100 unacked), which it can hold.
    within("other channels", async {
        for _ in 0..20 {
            let other = conn.open_channel().await.unwrap();
            let info = other
                .queue_declare(
                    &q,
                    QueueDeclareOptions {
                        passive: true,
                        ..Default::default()
                    },
                    FieldTable::new(),
                )
                .await
                .unwrap();
            assert_eq!(info.consumer_count, 1);
            other.close().await.unwrap();
        }
    })
    .await;
    assert!(consumer.len() <= consumer.capacity());
    within("close", conn.close()).await.unwrap();
}
