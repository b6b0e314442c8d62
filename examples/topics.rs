//! RabbitMQ tutorial 5, "Topics": messages go to the topic exchange
//! `topic_logs` with keys `<facility>.<severity>`; one subscriber binds
//! `*.critical`, another `kern.*`.
//!
//! ```sh
//! cargo run --example topics
//! ```

use std::time::Duration;

use amqp091::{
    BasicConsumeOptions, BasicProperties, Connection, Consumer, Error, FieldTable,
    QueueDeclareOptions,
};

async fn subscribe(ch: &amqp091::Channel, pattern: &str) -> Result<Consumer, Error> {
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let q = ch.queue_declare("", exclusive, FieldTable::new()).await?;
    ch.queue_bind(
        &q.name,
        "topic_logs",
        pattern,
        Default::default(),
        FieldTable::new(),
    )
    .await?;
    let no_ack = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    ch.basic_consume(&q.name, no_ack, FieldTable::new()).await
}

async fn keys(consumer: &mut Consumer) -> Vec<String> {
    let mut got = Vec::new();
    while let Ok(Some(d)) = tokio::time::timeout(Duration::from_millis(300), consumer.recv()).await
    {
        got.push(d.routing_key.to_string());
    }
    got
}

/// Returns the routing keys the `*.critical` and the `kern.*` subscribers got.
pub async fn run(url: &str) -> Result<(Vec<String>, Vec<String>), Error> {
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    ch.exchange_declare("topic_logs", "topic", Default::default(), FieldTable::new())
        .await?;
    let mut critical = subscribe(&ch, "*.critical").await?;
    let mut kern = subscribe(&ch, "kern.*").await?;
    for key in ["kern.critical", "kern.info", "cron.critical", "cron.info"] {
        ch.basic_publish(
            "topic_logs",
            key,
            Default::default(),
            &BasicProperties::default(),
            b"A critical kernel error",
        )
        .await?;
        println!(" [x] Sent {key}");
    }
    let (c, k) = (keys(&mut critical).await, keys(&mut kern).await);
    println!(" [*.critical] {c:?}\n [kern.*] {k:?}");
    conn.close().await?;
    Ok((c, k))
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
