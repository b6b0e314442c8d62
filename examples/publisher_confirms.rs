//! RabbitMQ's publisher confirms tutorial: three strategies on a confirm
//! channel: wait for each publish, wait per batch of 100, and publish
//! everything then collect the confirms as they come.
//!
//! ```sh
//! cargo run --example publisher_confirms
//! ```

use std::time::Instant;

use amqp091::{BasicProperties, Confirm, Connection, Error, FieldTable, QueueDeclareOptions};

const MESSAGES: usize = 1000;

/// Runs the three strategies; returns how many publishes were acked in each.
pub async fn run(url: &str) -> Result<[usize; 3], Error> {
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let q = ch
        .queue_declare("", exclusive, FieldTable::new())
        .await?
        .name;
    ch.confirm_select(Default::default()).await?;
    let props = BasicProperties::default();
    let mut acked = [0usize; 3];

    // 1. One at a time.
    let start = Instant::now();
    for i in 0..MESSAGES {
        let confirm = ch
            .basic_publish("", &q, Default::default(), &props, i.to_string().as_bytes())
            .await?;
        if confirm.wait().await? == Confirm::Ack {
            acked[0] += 1;
        }
    }
    println!("individually: {} acked in {:?}", acked[0], start.elapsed());

    // 2. In batches of 100.
    let start = Instant::now();
    let mut batch = Vec::with_capacity(100);
    for i in 0..MESSAGES {
        batch.push(
            ch.basic_publish("", &q, Default::default(), &props, i.to_string().as_bytes())
                .await?,
        );
        if batch.len() == 100 || i == MESSAGES - 1 {
            for confirm in batch.drain(..) {
                if confirm.wait().await? == Confirm::Ack {
                    acked[1] += 1;
                }
            }
        }
    }
    println!("in batches: {} acked in {:?}", acked[1], start.elapsed());

    // 3. Everything, then the confirms as they resolve.
    let start = Instant::now();
    let mut all = Vec::with_capacity(MESSAGES);
    for i in 0..MESSAGES {
        all.push(
            ch.basic_publish("", &q, Default::default(), &props, i.to_string().as_bytes())
                .await?,
        );
    }
    for confirm in all {
        if confirm.wait().await? == Confirm::Ack {
            acked[2] += 1;
        }
    }
    println!(
        "asynchronously: {} acked in {:?}",
        acked[2],
        start.elapsed()
    );
    conn.close().await?;
    Ok(acked)
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
