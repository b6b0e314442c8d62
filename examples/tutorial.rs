//! The project's original tutorial (written for the Go client streadway/amqp),
//! step for step: declare exchange `e1` and queue `q1`, bind them with
//! `q1Key`, publish five persistent text messages with mandatory=true, pull
//! one with basic.get, then consume the rest in push mode with manual acks.
//!
//! ```sh
//! scripts/broker.sh start      # if no broker answers at AMQP_URL
//! cargo run --example tutorial # AMQP_URL, default amqp://guest:guest@localhost:5672/%2f
//! ```
//!
//! (The Go tutorial's URL ends in `/`; by RabbitMQ's URI spec that is the
//! empty vhost, so the default here spells the vhost `/` as `%2f`.)

use amqp091::ShortStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use amqp091::{
    BasicConsumeOptions, BasicGetOptions, BasicProperties, BasicPublishOptions, Connection, Error,
    ExchangeDeclareOptions, FieldTable, NoWait, QueueDeclareOptions,
};

const BODY: &str = "Hello Golang and AMQP(Rabbitmq)!";
const MESSAGES: u64 = 5;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".to_string());
    run(&url).await
}

/// Runs the flow against `url` (tests call this too).
pub async fn run(url: &str) -> Result<(), Error> {
    // Producer.
    let conn = Connection::connect(url).await?;
    let t = conn.tuning();
    println!(
        "connect({url}) -> {:?} {:?}, channel_max {} frame_max {} heartbeat {}s",
        conn.server_properties().get("product"),
        conn.server_properties().get("version"),
        t.channel_max,
        t.frame_max,
        t.heartbeat
    );
    let ch = conn.open_channel().await?;
    println!("open_channel() -> channel {}", ch.id());

    let durable_nowait = ExchangeDeclareOptions {
        durable: true,
        no_wait: true,
        ..Default::default()
    };
    ch.exchange_declare("e1", "direct", durable_nowait, FieldTable::new())
        .await?;
    println!("exchange_declare(e1, direct, durable, no_wait) -> ok (no reply awaited)");

    let q = ch
        .queue_declare(
            "q1",
            QueueDeclareOptions {
                durable: true,
                ..Default::default()
            },
            FieldTable::new(),
        )
        .await?;
    println!("queue_declare(q1, durable) -> {q:?}");

    ch.queue_bind("q1", "e1", "q1Key", NoWait::default(), FieldTable::new())
        .await?;
    println!("queue_bind(q1, e1, q1Key) -> ok");

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let properties = BasicProperties::default()
        .with_content_type(ShortStr::from_static("text/plain"))
        .with_delivery_mode(2)
        .with_timestamp(now);
    let mandatory = BasicPublishOptions {
        mandatory: true,
        ..Default::default()
    };
    for _ in 0..MESSAGES {
        ch.basic_publish("e1", "q1Key", mandatory, &properties, BODY.as_bytes())
            .await?;
    }
    println!("basic_publish(e1, q1Key, mandatory, persistent, text/plain) x{MESSAGES} -> ok");
    ch.close().await?;
    conn.close().await?;
    println!("producer: channel and connection closed");

    // Consumer.
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    match ch.basic_get("q1", BasicGetOptions::default()).await? {
        Some(msg) => {
            println!(
                "basic_get(q1) -> delivery_tag {} ({} more in the queue) {:?} body {:?}",
                msg.delivery_tag,
                msg.message_count,
                msg.properties.content_type,
                String::from_utf8_lossy(&msg.body)
            );
            ch.basic_ack(msg.delivery_tag, false).await?;
        }
        None => println!("basic_get(q1) -> queue empty"),
    }

    ch.basic_qos(1, Default::default()).await?;
    println!("basic_qos(prefetch 1) -> ok");
    let options = BasicConsumeOptions {
        consumer_tag: "any".into(),
        no_wait: true,
        ..Default::default()
    };
    let mut consumer = ch.basic_consume("q1", options, FieldTable::new()).await?;
    println!("basic_consume(q1, tag any, manual ack, no_wait) -> consuming");
    let mut left = q.message_count as u64 + MESSAGES - 1;
    while left > 0 {
        let next = tokio::time::timeout(Duration::from_secs(5), consumer.recv()).await;
        let Ok(Some(d)) = next else {
            println!("no more deliveries ({left} expected)");
            break;
        };
        println!(
            "delivery: tag {} consumer {} redelivered {} routing key {} body {:?}",
            d.delivery_tag,
            d.consumer_tag,
            d.redelivered,
            d.routing_key,
            String::from_utf8_lossy(&d.body)
        );
        ch.basic_ack(d.delivery_tag, false).await?;
        left -= 1;
    }
    consumer.cancel().await?;
    ch.close().await?;
    conn.close().await?;
    println!("consumer: cancelled, channel and connection closed");
    Ok(())
}
