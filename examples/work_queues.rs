//! RabbitMQ tutorial 2, "Work Queues": tasks (a dot = a second of work, here
//! scaled down to milliseconds) go to the durable queue `task_queue` as
//! persistent messages; two workers with prefetch 1 share them fairly and
//! acknowledge each task when done.
//!
//! ```sh
//! cargo run --example work_queues
//! ```

use std::time::Duration;

use amqp091::{
    BasicConsumeOptions, BasicProperties, Connection, Error, FieldTable, QueueDeclareOptions,
};

const TASKS: &[&str] = &[
    "First message.",
    "Second message..",
    "Third message...",
    "Fourth message....",
    "Fifth message.....",
];

/// Runs a producer and two workers; returns how many tasks each worker did.
pub async fn run(url: &str) -> Result<Vec<usize>, Error> {
    let conn = Connection::connect(url).await?;
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    let setup = conn.open_channel().await?;
    setup
        .queue_declare("task_queue", durable, FieldTable::new())
        .await?;
    setup.queue_purge("task_queue", Default::default()).await?;

    let mut workers = Vec::new();
    for id in 0..2 {
        let ch = conn.open_channel().await?;
        ch.basic_qos(1, Default::default()).await?;
        let mut consumer = ch
            .basic_consume(
                "task_queue",
                BasicConsumeOptions::default(),
                FieldTable::new(),
            )
            .await?;
        workers.push(tokio::spawn(async move {
            let mut done = 0;
            while let Ok(Some(task)) =
                tokio::time::timeout(Duration::from_millis(500), consumer.recv()).await
            {
                let text = String::from_utf8_lossy(&task.body).into_owned();
                println!(" [{id}] Received {text}");
                let dots = text.matches('.').count() as u64;
                tokio::time::sleep(Duration::from_millis(10 * dots)).await; // the "work"
                ch.basic_ack(task.delivery_tag, false).await?;
                done += 1;
            }
            Ok::<usize, Error>(done)
        }));
    }

    let persistent = BasicProperties::default().with_delivery_mode(2);
    for task in TASKS {
        setup
            .basic_publish(
                "",
                "task_queue",
                Default::default(),
                &persistent,
                task.as_bytes(),
            )
            .await?;
        println!(" [x] Sent {task}");
    }
    let mut counts = Vec::new();
    for w in workers {
        counts.push(
            w.await
                .map_err(|e| Error::InvalidArgument(e.to_string()))??,
        );
    }
    println!(" [x] tasks per worker: {counts:?}");
    conn.close().await?;
    Ok(counts)
}

#[allow(dead_code)] // tests include this file for `run`
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).await.map(|_| ())
}
