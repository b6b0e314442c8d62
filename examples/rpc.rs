//! RabbitMQ tutorial 6, "RPC": a server consumes `rpc_queue` and answers
//! fib(n) to each request's `reply_to` queue with its `correlation_id`; the
//! client sends requests from an exclusive callback queue and matches the
//! answers by correlation id.
//!
//! ```sh
//! cargo run --example rpc
//! ```

use amqp091::{
    BasicConsumeOptions, BasicProperties, Connection, Error, FieldTable, QueueDeclareOptions,
    ShortStr,
};

fn fib(n: u64) -> u64 {
    (0..n)
        .fold((0u64, 1u64), |(a, b), _| (b, a.wrapping_add(b)))
        .0
}

/// Starts the server, then asks for fib(0..=10); returns the answers.
pub async fn run(url: &str) -> Result<Vec<u64>, Error> {
    let conn = Connection::connect(url).await?;

    // Server.
    let server = conn.open_channel().await?;
    server
        .queue_declare("rpc_queue", Default::default(), FieldTable::new())
        .await?;
    server.queue_purge("rpc_queue", Default::default()).await?;
    server.basic_qos(1, Default::default()).await?;
    let mut requests = server
        .basic_consume(
            "rpc_queue",
            BasicConsumeOptions::default(),
            FieldTable::new(),
        )
        .await?;
    let server_task = tokio::spawn(async move {
        while let Some(req) = requests.recv().await {
            let n: u64 = String::from_utf8_lossy(&req.body).parse().unwrap_or(0);
            let props = BasicProperties {
                correlation_id: req.properties.correlation_id.clone(),
                ..Default::default()
            };
            if let Some(reply_to) = &req.properties.reply_to {
                let reply_to = reply_to.to_string();
                server
                    .basic_publish(
                        "",
                        &reply_to,
                        Default::default(),
                        &props,
                        fib(n).to_string().as_bytes(),
                    )
                    .await?;
            }
            server.basic_ack(req.delivery_tag, false).await?;
        }
        Ok::<(), Error>(())
    });

    // Client.
    let client = conn.open_channel().await?;
    let exclusive = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    let callback = client
        .queue_declare("", exclusive, FieldTable::new())
        .await?
        .name;
    let no_ack = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut replies = client
        .basic_consume(&callback, no_ack, FieldTable::new())
        .await?;
    let reply_to =
        ShortStr::copy_from_str(&callback).map_err(|e| Error::InvalidArgument(e.to_string()))?;
    let mut answers = Vec::new();
    for n in 0..=10u64 {
        let correlation = ShortStr::copy_from_str(&format!("req-{n}"))
            .map_err(|e| Error::InvalidArgument(e.to_string()))?;
        let props = BasicProperties::default()
            .with_reply_to(reply_to.clone())
            .with_correlation_id(correlation.clone());
        println!(" [x] Requesting fib({n})");
        client
            .basic_publish(
                "",
                "rpc_queue",
                Default::default(),
                &props,
                n.to_string().as_bytes(),
            )
            .await?;
        // Answers to other requests would be skipped here; there are none.
        while let Some(reply) = replies.recv().await {
            if reply.properties.correlation_id.as_ref() == Some(&correlation) {
                let value = String::from_utf8_lossy(&reply.body)
                    .parse()
                    .unwrap_or(u64::MAX);
                println!(" [.] Got {value}");
                answers.push(value);
                break;
            }
        }
    }
    conn.close().await?;
    let _ = server_task.await;
    Ok(answers)
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
