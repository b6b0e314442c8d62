//! RabbitMQ tutorial 4, "Routing": log lines go to the direct exchange
//! `direct_logs` with their severity as routing key; one subscriber binds
//! `error` only (say, to write errors to disk), another binds every severity.
//!
//! ```sh
//! cargo run --example routing
//! ```

use std::time::Duration;

use amqp091::{
    BasicConsumeOptions, BasicProperties, Connection, Consumer, Error, FieldTable,
    QueueDeclareOptions,
};

async fn subscribe(
    ch: &amqp091::Channel,
    exchange: &str,
    keys: &[&str],
) -> Result<Consumer, Error> {
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let q = ch.queue_declare("", exclusive, FieldTable::new()).await?;
    for key in keys {
        ch.queue_bind(
            &q.name,
            exchange,
            key,
            Default::default(),
            FieldTable::new(),
        )
        .await?;
    }
    let no_ack = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    ch.basic_consume(&q.name, no_ack, FieldTable::new()).await
}

/// Drains what a consumer got within a short quiet period.
async fn drain(consumer: &mut Consumer) -> Vec<String> {
    let mut got = Vec::new();
    while let Ok(Some(d)) = tokio::time::timeout(Duration::from_millis(300), consumer.recv()).await
    {
        got.push(format!(
            "{}:{}",
            d.routing_key,
            String::from_utf8_lossy(&d.body)
        ));
    }
    got
}

/// Returns what the `error`-only and the all-severities subscribers got.
pub async fn run(url: &str) -> Result<(Vec<String>, Vec<String>), Error> {
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    ch.exchange_declare(
        "direct_logs",
        "direct",
        Default::default(),
        FieldTable::new(),
    )
    .await?;
    let mut errors = subscribe(&ch, "direct_logs", &["error"]).await?;
    let mut all = subscribe(&ch, "direct_logs", &["info", "warning", "error"]).await?;
    for (severity, text) in [
        ("info", "starting"),
        ("warning", "slow disk"),
        ("error", "disk failed"),
    ] {
        ch.basic_publish(
            "direct_logs",
            severity,
            Default::default(),
            &BasicProperties::default(),
            text.as_bytes(),
        )
        .await?;
        println!(" [x] Sent {severity}:{text}");
    }
    let (e, a) = (drain(&mut errors).await, drain(&mut all).await);
    println!(" [errors only] {e:?}\n [all] {a:?}");
    conn.close().await?;
    Ok((e, a))
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
