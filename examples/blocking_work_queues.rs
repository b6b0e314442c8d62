//! RabbitMQ tutorial 2, "Work Queues", with the blocking client: tasks (a
//! dot = a second of work, here scaled down to milliseconds) go to the
//! durable queue `task_queue` as persistent messages; two worker threads
//! with prefetch 1 share them fairly and acknowledge each task when done.
//!
//! ```sh
//! cargo run --example blocking_work_queues --features blocking
//! ```

use std::time::Duration;

use amqp091::blocking::{
    BasicAckOptions, BasicConsumeOptions, BasicProperties, Connection, Error, FieldTable,
    QueueDeclareOptions,
};

const TASKS: &[&str] = &[
    "First message.",
    "Second message..",
    "Third message...",
    "Fourth message....",
    "Fifth message.....",
];

/// Runs a producer and two worker threads; returns how many tasks each worker did.
pub fn run(url: &str) -> Result<Vec<usize>, Error> {
    let conn = Connection::connect(url)?;
    let durable = QueueDeclareOptions {
        durable: true,
        ..Default::default()
    };
    let setup = conn.open_channel()?;
    setup.queue_declare("task_queue", durable, FieldTable::new())?;
    setup.queue_purge("task_queue", Default::default())?;

    let mut workers = Vec::new();
    for id in 0..2 {
        let ch = conn.open_channel()?;
        ch.basic_qos(1, Default::default())?;
        let mut consumer = ch.basic_consume(
            "task_queue",
            BasicConsumeOptions::default(),
            FieldTable::new(),
        )?;
        workers.push(std::thread::spawn(move || {
            let mut done = 0;
            // Done once no task came for half a second.
            while let Ok(task) = consumer.recv_timeout(Duration::from_millis(500)) {
                let text = String::from_utf8_lossy(&task.body).into_owned();
                println!(" [{id}] Received {text}");
                let dots = text.matches('.').count() as u64;
                std::thread::sleep(Duration::from_millis(10 * dots)); // the "work"
                task.ack(BasicAckOptions::default())?;
                done += 1;
            }
            Ok::<usize, Error>(done)
        }));
    }

    let persistent = BasicProperties::default().persistent();
    for task in TASKS {
        setup.basic_publish(
            "",
            "task_queue",
            Default::default(),
            &persistent,
            task.as_bytes(),
        )?;
        println!(" [x] Sent {task}");
    }
    let mut counts = Vec::new();
    for w in workers {
        let done = w
            .join()
            .map_err(|_| Error::InvalidArgument("a worker panicked".into()))??;
        counts.push(done);
    }
    println!(" [x] tasks per worker: {counts:?}");
    conn.close()?;
    Ok(counts)
}

#[allow(dead_code)] // tests include this file for `run`
fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    run(&url).map(|_| ())
}
