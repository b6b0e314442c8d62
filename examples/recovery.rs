//! A publisher and a consumer that survive a lost connection: recovery on,
//! several brokers in `AMQP_URL` (comma-separated) if you have them, the
//! connection's state printed as it changes. Cut the connection while it
//! runs (`rabbitmqctl close_all_connections x`, or restart the broker) and
//! watch it come back with the same channel and consumer.
//!
//! Its queue is exclusive and server-named, as a pub/sub subscriber's: it
//! goes with the connection, and so do the messages it held (a new one
//! takes its place on recovery). For nothing to be lost, use a durable
//! queue and persistent messages (tests/recovery_faults.rs counts them).
//!
//! ```sh
//! cargo run --example recovery                 # 20 messages, one every 250 ms
//! AMQP_URL=amqp://guest:guest@localhost:5672/%2f,amqp://localhost:5673 cargo run --example recovery
//! ```

use std::time::Duration;

use amqp091::proto::Config;
use amqp091::{
    BasicConsumeOptions, BasicProperties, Confirm, Connection, ConnectionOptions, ConnectionState,
    Error, ExchangeDeclareOptions, FieldTable, NoWait, QueueDeclareOptions, Recovery,
};

/// What a run saw.
#[derive(Debug, Default)]
pub struct Report {
    /// Publishes the broker acked.
    pub acked: u32,
    /// Publishes not acked (in flight when the connection dropped).
    pub unconfirmed: u32,
    /// Messages the consumer received.
    pub received: u32,
    /// Recoveries the connection went through.
    pub recoveries: u32,
}

/// Publishes `messages` messages, one every `every`, to a fanout exchange
/// with a server-named queue and a consumer behind it, across whatever
/// failures recovery handles; `after_each(i)` runs after publish `i`.
pub async fn run(
    urls: &str,
    messages: u32,
    every: Duration,
    mut after_each: impl FnMut(u32),
) -> Result<Report, Error> {
    let options = ConnectionOptions::from_urls(urls)?;
    let conn =
        Connection::connect_with(Config::from(options).with_recovery(Recovery::default())).await?;
    let mut state = conn.watch_state();
    tokio::spawn(async move {
        while state.changed().await.is_ok() {
            let now = state.borrow().clone();
            match now {
                ConnectionState::Recovering { attempt, error } => {
                    println!("recovering (attempt {attempt}): {error}")
                }
                ConnectionState::Recovered { recoveries } => println!("recovered ({recoveries})"),
                other => println!("{other:?}"),
            }
        }
    });
    let ch = conn.open_channel().await?;
    ch.exchange_declare(
        "amqp091.example.recovery",
        "fanout",
        ExchangeDeclareOptions::default(),
        FieldTable::new(),
    )
    .await?;
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let queue = ch
        .queue_declare("", exclusive, FieldTable::new())
        .await?
        .name;
    ch.queue_bind(
        &queue,
        "amqp091.example.recovery",
        "",
        NoWait::default(),
        FieldTable::new(),
    )
    .await?;
    let no_ack = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut consumer = ch.basic_consume(&queue, no_ack, FieldTable::new()).await?;
    // The consumer counts what it gets, across recoveries: the same handle.
    let (count_tx, mut count) = tokio::sync::watch::channel(0u32);
    tokio::spawn(async move {
        while let Some(d) = consumer.recv().await {
            println!("received {}", String::from_utf8_lossy(&d.body));
            count_tx.send_modify(|n| *n += 1);
        }
    });
    ch.confirm_select(NoWait::default()).await?;
    let mut report = Report::default();
    let props = BasicProperties::default();
    for i in 0..messages {
        let body = format!("message {i}");
        let confirm = ch
            .basic_publish(
                "amqp091.example.recovery",
                "",
                Default::default(),
                &props,
                body.as_str(),
            )
            .await?;
        match confirm.await {
            Ok(Confirm::Ack) => report.acked += 1,
            // The connection dropped before the broker confirmed it.
            _ => report.unconfirmed += 1,
        }
        after_each(i);
        tokio::time::sleep(every).await;
    }
    // What is still on its way (at most 5 s more).
    let acked = report.acked;
    let _ = tokio::time::timeout(Duration::from_secs(5), count.wait_for(|n| *n >= acked)).await;
    report.received = *count.borrow();
    if let ConnectionState::Recovered { recoveries } = conn.state() {
        report.recoveries = recoveries;
    }
    conn.close().await?;
    Ok(report)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".to_string());
    let report = run(&url, 20, Duration::from_millis(250), |_| {}).await?;
    println!("{report:?}");
    Ok(())
}
