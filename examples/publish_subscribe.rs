//! RabbitMQ tutorial 3, "Publish/Subscribe": log lines go to the fanout
//! exchange `logs`; every subscriber binds its own exclusive, server-named
//! queue and gets every line.
//!
//! ```sh
//! cargo run --example publish_subscribe
//! ```

use amqp091::{
    BasicConsumeOptions, BasicProperties, Connection, Error, FieldTable, QueueDeclareOptions,
};

/// Two subscribers each receive the three log lines; returns what each got.
pub async fn run(url: &str) -> Result<Vec<Vec<String>>, Error> {
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    ch.exchange_declare("logs", "fanout", Default::default(), FieldTable::new())
        .await?;

    let mut consumers = Vec::new();
    for _ in 0..2 {
        let exclusive = QueueDeclareOptions {
            exclusive: true,
            ..Default::default()
        };
        let q = ch.queue_declare("", exclusive, FieldTable::new()).await?;
        ch.queue_bind(&q.name, "logs", "", Default::default(), FieldTable::new())
            .await?;
        let no_ack = BasicConsumeOptions {
            no_ack: true,
            ..Default::default()
        };
        consumers.push(ch.basic_consume(&q.name, no_ack, FieldTable::new()).await?);
    }

    let lines = [
        "info: Hello World!",
        "warning: disk 80% full",
        "error: disk full",
    ];
    for line in lines {
        ch.basic_publish(
            "logs",
            "",
            Default::default(),
            &BasicProperties::default(),
            line.as_bytes(),
        )
        .await?;
        println!(" [x] Sent {line}");
    }
    let mut got = Vec::new();
    for (i, consumer) in consumers.iter_mut().enumerate() {
        let mut lines_seen = Vec::new();
        for _ in 0..lines.len() {
            if let Some(d) = consumer.recv().await {
                lines_seen.push(String::from_utf8_lossy(&d.body).into_owned());
            }
        }
        println!(" [subscriber {i}] {lines_seen:?}");
        got.push(lines_seen);
    }
    conn.close().await?;
    Ok(got)
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
