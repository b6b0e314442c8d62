//! One publisher, N subscribers, 16-byte messages: Redis `PUBLISH` /
//! `SUBSCRIBE` against amqp091 on RabbitMQ (a fanout exchange, one
//! exclusive auto-delete server-named queue per subscriber, no-ack
//! consumers: Redis pub/sub's at-most-once). Each message carries its
//! sequence number and send time; a window bounds the messages not yet
//! received by every subscriber (1: the latency of one message alone; 100: a
//! busy pipeline). Every subscriber is its own connection, the publisher
//! too. Rounds are interleaved (Redis, AMQP, Redis, …) and the medians
//! printed at the end. Run by `scripts/redis-vs-amqp.sh`.
//!
//! ```sh
//! cargo bench --manifest-path benches/redis-vs-amqp/Cargo.toml --bench pubsub -- \
//!     REDIS_URL AMQP_URL [ROUNDS]
//! ```

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use amqp091::{
    BasicConsumeOptions, BasicProperties, Connection, ExchangeDeclareOptions, FieldTable,
    QueueDeclareOptions,
};
use tokio::sync::Semaphore;
use tokio_stream::StreamExt;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const CHANNEL: &str = "bench";

/// What subscribers share: the origin of the stamps, per message how many
/// subscribers have it, the window.
struct Shared {
    origin: Instant,
    subs: u16,
    done: Vec<AtomicU16>,
    window: Semaphore,
}

impl Shared {
    fn new(subs: usize, msgs: usize, window: usize) -> Arc<Shared> {
        Arc::new(Shared {
            origin: Instant::now(),
            subs: subs as u16,
            done: (0..msgs).map(|_| AtomicU16::new(0)).collect(),
            window: Semaphore::new(window),
        })
    }

    fn stamp(&self, seq: u64) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&seq.to_be_bytes());
        b[8..].copy_from_slice(&(self.origin.elapsed().as_nanos() as u64).to_be_bytes());
        b
    }

    /// Counts one delivery; its latency in ns.
    fn received(&self, body: &[u8]) -> Res<u64> {
        let now = self.origin.elapsed().as_nanos() as u64;
        if body.len() != 16 {
            return Err(format!("a message of {} bytes", body.len()).into());
        }
        let seq = u64::from_be_bytes(body[..8].try_into()?) as usize;
        let sent = u64::from_be_bytes(body[8..].try_into()?);
        let slot = self.done.get(seq).ok_or("a sequence number out of range")?;
        if slot.fetch_add(1, Ordering::Relaxed) + 1 == self.subs {
            self.window.add_permits(1);
        }
        Ok(now.saturating_sub(sent))
    }

    async fn slot(&self) -> Res<()> {
        self.window.acquire().await?.forget(); // given back by the last subscriber
        Ok(())
    }
}

struct Run {
    secs: f64,
    latencies: Vec<u64>,
}

async fn redis_run(url: &str, subs: usize, msgs: usize, window: usize) -> Res<Run> {
    let client = redis::Client::open(url)?;
    let shared = Shared::new(subs, msgs, window);
    let mut tasks = Vec::new();
    for _ in 0..subs {
        let mut pubsub = client.get_async_pubsub().await?;
        pubsub.subscribe(CHANNEL).await?; // the reply came: subscribed
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let mut stream = pubsub.on_message();
            let mut lat = Vec::with_capacity(msgs);
            while lat.len() < msgs {
                let m = stream.next().await.ok_or("subscription ended")?;
                lat.push(shared.received(m.get_payload_bytes())?);
            }
            Res::Ok(lat)
        }));
    }
    let mut publisher = client.get_multiplexed_async_connection().await?;
    let start = Instant::now();
    for seq in 0..msgs as u64 {
        shared.slot().await?;
        let body = shared.stamp(seq);
        let _receivers: i64 = redis::cmd("PUBLISH")
            .arg(CHANNEL)
            .arg(&body[..])
            .query_async(&mut publisher)
            .await?;
    }
    finish(start, tasks).await
}

async fn amqp_run(url: &str, subs: usize, msgs: usize, window: usize) -> Res<Run> {
    let shared = Shared::new(subs, msgs, window);
    let exchange = format!("bench.fanout.{}", std::process::id());
    let mut tasks = Vec::new();
    let mut conns = Vec::new();
    for _ in 0..subs {
        let conn = Connection::connect(url).await?;
        let ch = conn.open_channel().await?;
        let fanout = ExchangeDeclareOptions {
            auto_delete: true,
            ..Default::default()
        };
        ch.exchange_declare(&exchange, "fanout", fanout, FieldTable::new())
            .await?;
        let exclusive = QueueDeclareOptions {
            exclusive: true,
            auto_delete: true,
            ..Default::default()
        };
        let q = ch
            .queue_declare("", exclusive, FieldTable::new())
            .await?
            .name;
        ch.queue_bind(&q, &exchange, "", Default::default(), FieldTable::new())
            .await?;
        let no_ack = BasicConsumeOptions {
            no_ack: true,
            ..Default::default()
        };
        let mut consumer = ch.basic_consume(&q, no_ack, FieldTable::new()).await?;
        let shared = shared.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(msgs);
            while lat.len() < msgs {
                let d = consumer.recv().await.ok_or("consumer ended")?;
                lat.push(shared.received(&d.body)?);
            }
            drop(ch);
            Res::Ok(lat)
        }));
        conns.push(conn);
    }
    let publisher = Connection::connect(url).await?;
    let ch = publisher.open_channel().await?;
    let props = BasicProperties::default();
    let start = Instant::now();
    for seq in 0..msgs as u64 {
        shared.slot().await?;
        let body = shared.stamp(seq);
        ch.basic_publish(&exchange, "", Default::default(), &props, &body[..])
            .await?;
    }
    let run = finish(start, tasks).await;
    publisher.close().await?;
    for c in conns {
        c.close().await?;
    }
    run
}

async fn finish(start: Instant, tasks: Vec<tokio::task::JoinHandle<Res<Vec<u64>>>>) -> Res<Run> {
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    latencies.sort_unstable();
    Ok(Run {
        secs: start.elapsed().as_secs_f64(),
        latencies,
    })
}

fn pct(sorted: &[u64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q) as usize).min(sorted.len() - 1);
    sorted[i] as f64 / 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let redis_url = args
        .first()
        .cloned()
        .unwrap_or("redis://127.0.0.1:6390/".into());
    let amqp_url = args
        .get(1)
        .cloned()
        .unwrap_or("amqp://guest:guest@localhost:5672/%2f".into());
    let rounds: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    // (subscribers, window, messages)
    let cases = [
        (1, 1, 5_000),
        (10, 1, 2_000),
        (1, 100, 50_000),
        (10, 100, 20_000),
    ];
    let mut results: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); cases.len() * 2];
    println!(
        "{:<6} {:>4} {:>6} {:>7} {:>10} {:>12} {:>9} {:>9}",
        "side", "subs", "window", "msgs", "msgs/s", "deliveries/s", "p50 µs", "p99 µs"
    );
    let line = |side: &str, (subs, window, msgs): (usize, usize, usize), r: &Run| {
        let rate = msgs as f64 / r.secs;
        let (p50, p99) = (pct(&r.latencies, 0.5), pct(&r.latencies, 0.99));
        println!(
            "{side:<6} {subs:>4} {window:>6} {msgs:>7} {rate:>10.0} {:>12.0} {p50:>9.0} {p99:>9.0}",
            rate * subs as f64
        );
        (rate, p50, p99)
    };
    for round in 0..rounds {
        println!("# round {}", round + 1);
        for (i, &case) in cases.iter().enumerate() {
            let (subs, window, msgs) = case;
            let limit = Duration::from_secs(120);
            let r =
                tokio::time::timeout(limit, redis_run(&redis_url, subs, msgs, window)).await??;
            results[2 * i].push(line("redis", case, &r));
            let r = tokio::time::timeout(limit, amqp_run(&amqp_url, subs, msgs, window)).await??;
            results[2 * i + 1].push(line("amqp", case, &r));
        }
    }
    println!("# medians of {rounds} interleaved rounds");
    for (i, &(subs, window, msgs)) in cases.iter().enumerate() {
        for (j, side) in ["redis", "amqp"].iter().enumerate() {
            let rs = &results[2 * i + j];
            let rate = median(rs.iter().map(|r| r.0).collect());
            println!(
                "{side:<6} {subs:>4} {window:>6} {msgs:>7} {rate:>10.0} {:>12.0} {:>9.0} {:>9.0}",
                rate * subs as f64,
                median(rs.iter().map(|r| r.1).collect()),
                median(rs.iter().map(|r| r.2).collect())
            );
        }
    }
    Ok(())
}
