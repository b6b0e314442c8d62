//! `perf.rs`'s load generator for the blocking client (same scenarios, same
//! counts, same checks and the same report), against the broker at
//! `AMQP_URL`: messages per second and client CPU time per message (user +
//! system of the whole process, from `/proc/self/stat`: the application
//! thread and the connection's reader, writer and timer threads).
//!
//! ```sh
//! scripts/broker.sh start
//! cargo run --release --features blocking --example blocking_perf                       # every scenario, 16 B and 4 KiB
//! cargo run --release --features blocking --example blocking_perf -- consume 16 200000  # one scenario, size, count
//! ```
//!
//! Scenarios (as in `perf.rs`, bench-c's policy): `publish` (no confirms;
//! ends when a passive queue.declare, polled every 50 ms, counts every
//! message), `confirm` (confirms, 1000 in flight), `consume` (prefetch 1000,
//! manual ack with multiple=true every 100 and on the last), `get`
//! (basic.get then basic.ack, one at a time), `roundtrip` (publish one, wait
//! for its delivery, ack it).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use amqp091::blocking::{
    BasicConsumeOptions, BasicGetOptions, BasicProperties, Channel, Confirm, Connection, Error,
    FieldTable, QueueDeclareOptions,
};

#[path = "common/cpu.rs"]
mod cpu;
use cpu::cpu_time;

struct Report {
    scenario: &'static str,
    size: usize,
    count: usize,
    elapsed: Duration,
    cpu: Duration,
    latencies: Vec<Duration>,
}

impl Report {
    fn print(&mut self) {
        self.latencies.sort();
        let pct = |p: f64| -> String {
            if self.latencies.is_empty() {
                return "-".into();
            }
            let i = ((self.latencies.len() as f64 * p) as usize).min(self.latencies.len() - 1);
            format!("{:.0}", self.latencies[i].as_secs_f64() * 1e6)
        };
        println!(
            "{:<10} {:>6} {:>8} {:>12.0} {:>12.2} {:>9} {:>9}",
            self.scenario,
            self.size,
            self.count,
            self.count as f64 / self.elapsed.as_secs_f64(),
            self.cpu.as_secs_f64() * 1e6 / self.count as f64,
            pct(0.5),
            pct(0.99),
        );
    }
}

fn fresh_queue(ch: &Channel) -> Result<String, Error> {
    let opts = QueueDeclareOptions {
        exclusive: true,
        ..Default::default()
    };
    Ok(ch.queue_declare("", opts, FieldTable::new())?.name)
}

/// Drains `queue` and checks that `count` messages of `size` bytes are there.
fn verify(ch: &Channel, queue: &str, size: usize, count: usize) -> Result<(), Error> {
    ch.basic_qos(1000, Default::default())?;
    let opts = BasicConsumeOptions {
        no_ack: true,
        ..Default::default()
    };
    let mut consumer = ch.basic_consume(queue, opts, FieldTable::new())?;
    for i in 0..count {
        let d = consumer
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .ok_or_else(|| {
                Error::InvalidArgument(format!("only {i} of {count} messages arrived"))
            })?;
        if d.body.len() != size {
            return Err(Error::InvalidArgument(format!(
                "message {i} has {} bytes, not {size}",
                d.body.len()
            )));
        }
    }
    consumer.cancel()
}

/// Polls a passive queue.declare every 50 ms until the queue holds `count`.
fn wait_count(ch: &Channel, queue: &str, count: usize) -> Result<(), Error> {
    let opts = QueueDeclareOptions {
        passive: true,
        ..Default::default()
    };
    let start = Instant::now();
    loop {
        let n = ch
            .queue_declare(queue, opts, FieldTable::new())?
            .message_count as usize;
        if n == count {
            return Ok(());
        }
        if n > count || start.elapsed() > Duration::from_secs(60) {
            return Err(Error::InvalidArgument(format!(
                "queue holds {n}, not {count}"
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn fill(ch: &Channel, queue: &str, body: &[u8], count: usize) -> Result<(), Error> {
    ch.confirm_select(Default::default())?;
    let mut last = None;
    for _ in 0..count {
        last = Some(ch.basic_publish(
            "",
            queue,
            Default::default(),
            &BasicProperties::default(),
            body,
        )?);
    }
    if let Some(c) = last {
        c.wait()?; // multiple acks: the last one settles them all
    }
    Ok(())
}

fn publish(conn: &Connection, size: usize, count: usize, confirms: bool) -> Result<Report, Error> {
    let ch = conn.open_channel()?;
    let q = fresh_queue(&ch)?;
    let body = vec![b'x'; size];
    let props = BasicProperties::default();
    if confirms {
        ch.confirm_select(Default::default())?;
    }
    let mut in_flight = VecDeque::with_capacity(1000);
    let (t0, c0) = (Instant::now(), cpu_time());
    for _ in 0..count {
        let confirm = ch.basic_publish("", &q, Default::default(), &props, &body)?;
        if confirms {
            if in_flight.len() == 1000 {
                if let Some(oldest) = in_flight.pop_front() {
                    expect_ack(oldest)?;
                }
            }
            in_flight.push_back(confirm);
        }
    }
    for c in in_flight {
        expect_ack(c)?;
    }
    if !confirms {
        wait_count(&ch, &q, count)?;
    }
    let (elapsed, cpu) = (t0.elapsed(), cpu_time() - c0);
    verify(&ch, &q, size, count)?;
    ch.close()?;
    Ok(Report {
        scenario: if confirms { "confirm" } else { "publish" },
        size,
        count,
        elapsed,
        cpu,
        latencies: Vec::new(),
    })
}

fn expect_ack(c: amqp091::blocking::PublishConfirm) -> Result<(), Error> {
    match c.wait()? {
        Confirm::Ack => Ok(()),
        other => Err(Error::InvalidArgument(format!(
            "publish not acked: {other:?}"
        ))),
    }
}

fn consume(conn: &Connection, size: usize, count: usize) -> Result<Report, Error> {
    let ch = conn.open_channel()?;
    let q = fresh_queue(&ch)?;
    fill(&ch, &q, &vec![b'x'; size], count)?;
    let consumer_ch = conn.open_channel()?;
    consumer_ch.basic_qos(1000, Default::default())?;
    let (t0, c0) = (Instant::now(), cpu_time());
    let mut consumer =
        consumer_ch.basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())?;
    for i in 0..count {
        let d = consumer
            .recv()
            .ok_or_else(|| Error::InvalidArgument(format!("consumer ended after {i}")))?;
        if d.body.len() != size {
            return Err(Error::InvalidArgument(format!(
                "message {i}: {} bytes",
                d.body.len()
            )));
        }
        if i % 100 == 99 || i == count - 1 {
            consumer_ch.basic_ack(d.delivery_tag, true)?;
        }
    }
    let (elapsed, cpu) = (t0.elapsed(), cpu_time() - c0);
    consumer_ch.close()?;
    ch.close()?;
    Ok(Report {
        scenario: "consume",
        size,
        count,
        elapsed,
        cpu,
        latencies: Vec::new(),
    })
}

fn get(conn: &Connection, size: usize, count: usize) -> Result<Report, Error> {
    let ch = conn.open_channel()?;
    let q = fresh_queue(&ch)?;
    fill(&ch, &q, &vec![b'x'; size], count)?;
    let mut latencies = Vec::with_capacity(count);
    let (t0, c0) = (Instant::now(), cpu_time());
    for i in 0..count {
        let start = Instant::now();
        let msg = ch
            .basic_get(&q, BasicGetOptions { no_ack: false })?
            .ok_or_else(|| Error::InvalidArgument(format!("queue empty after {i}")))?;
        latencies.push(start.elapsed());
        if msg.body.len() != size {
            return Err(Error::InvalidArgument(format!(
                "message {i}: {} bytes",
                msg.body.len()
            )));
        }
        ch.basic_ack(msg.delivery_tag, false)?;
    }
    wait_count(&ch, &q, 0)?; // the broker has handled every ack
    let (elapsed, cpu) = (t0.elapsed(), cpu_time() - c0);
    ch.close()?;
    Ok(Report {
        scenario: "get",
        size,
        count,
        elapsed,
        cpu,
        latencies,
    })
}

fn roundtrip(conn: &Connection, size: usize, count: usize) -> Result<Report, Error> {
    let ch = conn.open_channel()?;
    let q = fresh_queue(&ch)?;
    ch.basic_qos(1000, Default::default())?;
    let mut consumer = ch.basic_consume(&q, BasicConsumeOptions::default(), FieldTable::new())?;
    let body = vec![b'x'; size];
    let props = BasicProperties::default();
    let mut latencies = Vec::with_capacity(count);
    let (t0, c0) = (Instant::now(), cpu_time());
    for i in 0..count {
        let start = Instant::now();
        ch.basic_publish("", &q, Default::default(), &props, &body)?;
        let d = consumer
            .recv()
            .ok_or_else(|| Error::InvalidArgument(format!("consumer ended after {i}")))?;
        latencies.push(start.elapsed());
        if d.body.len() != size {
            return Err(Error::InvalidArgument(format!(
                "message {i}: {} bytes",
                d.body.len()
            )));
        }
        ch.basic_ack(d.delivery_tag, false)?;
    }
    wait_count(&ch, &q, 0)?;
    let (elapsed, cpu) = (t0.elapsed(), cpu_time() - c0);
    consumer.cancel()?;
    ch.close()?;
    Ok(Report {
        scenario: "roundtrip",
        size,
        count,
        elapsed,
        cpu,
        latencies,
    })
}

fn main() -> Result<(), Error> {
    let url = std::env::var("AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@localhost:5672/%2f".into());
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args.first().cloned();
    let sizes: Vec<usize> = match args.get(1) {
        Some(s) => vec![s
            .parse()
            .map_err(|_| Error::InvalidArgument(format!("size {s}")))?],
        None => vec![16, 4096],
    };
    let count_arg: Option<usize> = args.get(2).and_then(|c| c.parse().ok());
    let conn = Connection::connect(&url)?;
    println!(
        "{:<10} {:>6} {:>8} {:>12} {:>12} {:>9} {:>9}",
        "scenario", "bytes", "msgs", "msgs/s", "cpu µs/msg", "p50 µs", "p99 µs"
    );
    for scenario in ["publish", "confirm", "consume", "get", "roundtrip"] {
        if only.as_deref().is_some_and(|o| o != scenario) {
            continue;
        }
        for &size in &sizes {
            let default = match (scenario, size) {
                ("get" | "roundtrip", _) => 20_000,
                (_, s) if s >= 4096 => 50_000,
                _ => 200_000,
            };
            let count = count_arg.unwrap_or(default);
            let mut report = match scenario {
                "publish" => publish(&conn, size, count, false)?,
                "confirm" => publish(&conn, size, count, true)?,
                "consume" => consume(&conn, size, count)?,
                "get" => get(&conn, size, count)?,
                _ => roundtrip(&conn, size, count)?,
            };
            report.print();
        }
    }
    conn.close()
}
