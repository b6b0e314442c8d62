//! RabbitMQ tutorial 1, "Hello World", with the blocking client: a producer
//! sends one message to the queue `hello`, a consumer receives it. No
//! runtime: the same calls as `hello_world.rs` without `.await`.
//!
//! ```sh
//! cargo run --example blocking_hello_world --features blocking
//! ```

use amqp091::blocking::{BasicConsumeOptions, BasicProperties, Connection, Error, FieldTable};

/// Sends "Hello World!" and receives it back; returns what was received.
pub fn run(url: &str) -> Result<String, Error> {
    let conn = Connection::connect(url)?;
    let ch = conn.open_channel()?;
    ch.queue_declare("hello", Default::default(), FieldTable::new())?;
    ch.basic_publish(
        "",
        "hello",
        Default::default(),
        &BasicProperties::default(),
        b"Hello World!",
    )?;
    println!(" [x] Sent 'Hello World!'");

    let options = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut consumer = ch.basic_consume("hello", options, FieldTable::new())?;
    let received = match consumer.recv() {
        Some(d) => String::from_utf8_lossy(&d.body).into_owned(),
        None => String::new(),
    };
    println!(" [x] Received '{received}'");
    conn.close()?;
    Ok(received)
}

#[allow(dead_code)] // tests include this file for `run`
fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).map(|_| ())
}
