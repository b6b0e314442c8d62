//! RabbitMQ tutorial 1, "Hello World": a producer sends one message to the
//! queue `hello`, a consumer receives it.
//!
//! ```sh
//! cargo run --example hello_world   # AMQP_URL, default amqp://guest:guest@localhost:5672/%2f
//! ```

use amqp091::{BasicConsumeOptions, BasicProperties, Connection, Error, FieldTable};

/// Sends "Hello World!" and receives it back; returns what was received.
pub async fn run(url: &str) -> Result<String, Error> {
    let conn = Connection::connect(url).await?;
    let ch = conn.open_channel().await?;
    ch.queue_declare("hello", Default::default(), FieldTable::new())
        .await?;
    ch.basic_publish(
        "",
        "hello",
        Default::default(),
        &BasicProperties::default(),
        b"Hello World!",
    )
    .await?;
    println!(" [x] Sent 'Hello World!'");

    let options = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut consumer = ch
        .basic_consume("hello", options, FieldTable::new())
        .await?;
    let received = match consumer.recv().await {
        Some(d) => String::from_utf8_lossy(&d.body).into_owned(),
        None => String::new(),
    };
    println!(" [x] Received '{received}'");
    conn.close().await?;
    Ok(received)
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
