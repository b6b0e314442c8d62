//! Consumers as streams: two queues merged into one stream of deliveries,
//! taken with `StreamExt`, each acknowledged on its own channel with
//! `delivery.ack()`, and published with confirms awaited as futures.
//!
//! ```sh
//! cargo run --example streams   # AMQP_URL, default amqp://guest:guest@localhost:5672/%2f
//! ```

use amqp091::{
    BasicAckOptions, BasicProperties, Confirm, Connection, Error, FieldTable, QueueDeclareOptions,
};
use tokio_stream::StreamExt;

/// Publishes `per_queue` messages to each of two queues, consumes both as
/// one stream, acks each; returns the bodies in the order they came.
pub async fn run(url: &str, per_queue: usize) -> Result<Vec<String>, Error> {
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let urgent = ch
        .queue_declare("", exclusive, FieldTable::new())
        .await?
        .name;
    let later = ch
        .queue_declare("", exclusive, FieldTable::new())
        .await?
        .name;

    ch.confirm_select(Default::default()).await?;
    let props = BasicProperties::default().persistent();
    for i in 0..per_queue {
        for (queue, kind) in [(&urgent, "urgent"), (&later, "later")] {
            let body = format!("{kind} {i}");
            // A PublishConfirm is a future.
            let confirm = ch
                .basic_publish("", queue, Default::default(), &props, body.as_str())
                .await?;
            if confirm.await? != Confirm::Ack {
                return Err(Error::InvalidArgument(format!("{body} was not confirmed")));
            }
        }
    }

    ch.basic_qos(10, Default::default()).await?;
    let a = ch
        .basic_consume(&urgent, Default::default(), FieldTable::new())
        .await?;
    let b = ch
        .basic_consume(&later, Default::default(), FieldTable::new())
        .await?;
    // Each consumer yields Ok(delivery)…, then Err(why) if it ended badly.
    let mut both = a.merge(b).take(2 * per_queue);
    let mut got = Vec::new();
    while let Some(delivery) = both.next().await {
        let delivery = delivery?;
        got.push(String::from_utf8_lossy(&delivery.body).into_owned());
        delivery.ack(BasicAckOptions::default()).await?;
    }
    println!(" [x] Received {got:?}");
    conn.close().await?;
    Ok(got)
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url, 3).await.map(|_| ())
}
