//! The producer and consumer loops. Each ends when told to stop (a watch
//! flag the run sets at its deadline) or, for a producer, at its count;
//! every wait inside one also ends at that stop.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use amqp091::{
    BasicConsumeOptions, BasicProperties, Confirm, Connection, Error, FieldTable, PublishConfirm,
};
use tokio::sync::{mpsc, watch, Notify, OwnedSemaphorePermit, Semaphore};

use super::check::{Checker, Stamp};
use super::report::Stats;

/// Where and how a producer publishes.
pub struct Publish {
    /// Exchange name (empty: the default exchange).
    pub exchange: String,
    /// Routing key.
    pub routing_key: String,
    /// Body size.
    pub size: usize,
    /// Messages to send (`None`: until stopped).
    pub count: Option<u64>,
    /// Messages per second (`None`: unlimited).
    pub rate: Option<f64>,
    /// Confirm window (`None`: no confirms).
    pub confirm: Option<u32>,
    /// Delivery mode 2.
    pub persistent: bool,
    /// This run's id.
    pub run: u16,
}

/// Waits until `stop` is set (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Publishes as `p` says, as producer `index`; returns how many it sent.
/// With confirms, it returns once every publish is settled, or when told
/// to stop with confirms outstanding (`drained`: settled by then).
pub async fn produce(
    conn: Connection,
    index: u16,
    p: Arc<Publish>,
    stats: Arc<Stats>,
    mut stop: watch::Receiver<bool>,
    mut drained: watch::Receiver<bool>,
) -> Result<u64, Error> {
    let ch = conn.open_channel().await?;
    let props = if p.persistent {
        BasicProperties::default().persistent()
    } else {
        BasicProperties::default()
    };
    let (window, confirms) = match p.confirm {
        Some(w) => {
            ch.confirm_select(Default::default()).await?;
            let window = Arc::new(Semaphore::new(w as usize));
            let (tx, rx) = mpsc::unbounded_channel();
            let settle = tokio::spawn(settle(rx, stats.clone()));
            (Some(window), Some((tx, settle)))
        }
        None => (None, None),
    };
    let mut body = vec![b'x'; p.size];
    let start = Instant::now();
    let mut seq: u64 = 0;
    while p.count.is_none_or(|c| seq < c) && seq <= u64::from(u32::MAX) && !*stop.borrow() {
        if let Some(rate) = p.rate {
            let due = start + Duration::from_secs_f64(seq as f64 / rate);
            tokio::select! {
                biased;
                _ = stopped(&mut stop) => break,
                _ = tokio::time::sleep_until(due.into()) => {}
            }
        }
        let permit = match &window {
            Some(w) => tokio::select! {
                biased;
                _ = stopped(&mut stop) => break,
                permit = w.clone().acquire_owned() => permit.ok(),
            },
            None => None,
        };
        Stamp {
            run: p.run,
            producer: index,
            seq: seq as u32,
            sent: stats.now_nanos(),
        }
        .write(&mut body);
        let published = tokio::select! {
            biased;
            _ = stopped(&mut stop) => break,
            r = ch.basic_publish(&p.exchange, &p.routing_key, Default::default(), &props, &body) => r?,
        };
        let at = Instant::now();
        seq += 1;
        stats.sent.fetch_add(1, Relaxed);
        if let (Some((tx, _)), Some(permit)) = (&confirms, permit) {
            // The settling task only ends when this sender is dropped.
            let _ = tx.send((at, published, permit));
        }
    }
    if let Some((tx, settle)) = confirms {
        drop(tx);
        tokio::select! {
            r = settle => r.map_err(|e| Error::InvalidArgument(format!("confirm task: {e}")))??,
            _ = stopped(&mut drained) => {}
        }
    }
    // A round trip, so that a channel error the broker raised (a 404 for a
    // missing exchange) is reported, and everything published was read.
    tokio::select! {
        r = ch.close() => r?,
        _ = stopped(&mut drained) => {}
    }
    Ok(seq)
}

type Pending = (Instant, PublishConfirm, OwnedSemaphorePermit);

/// Awaits each producer's confirms in order, counting them and their latency.
async fn settle(mut rx: mpsc::UnboundedReceiver<Pending>, stats: Arc<Stats>) -> Result<(), Error> {
    while let Some((at, confirm, permit)) = rx.recv().await {
        let outcome = confirm.await?;
        stats.confirm_latency(at.elapsed());
        match outcome {
            Confirm::Ack => stats.confirmed.fetch_add(1, Relaxed),
            _ => stats.nacked.fetch_add(1, Relaxed),
        };
        drop(permit);
    }
    Ok(())
}

/// How a consumer consumes.
pub struct Consume {
    /// The queue.
    pub queue: String,
    /// basic.qos prefetch count.
    pub prefetch: u16,
    /// No-ack mode.
    pub autoack: bool,
    /// Acknowledge every this many deliveries (multiple when above 1).
    pub ack_every: u32,
    /// Expected body size.
    pub size: usize,
    /// Producers of this run.
    pub producers: usize,
    /// This run's id.
    pub run: u16,
}

/// A consumer, started: [`Consumer::run`] receives until stopped.
pub struct Consumer {
    consumer: amqp091::Consumer,
    conn: Connection,
    c: Arc<Consume>,
}

impl Consumer {
    /// Opens a channel on `conn` and starts consuming (before any producer starts).
    pub async fn start(conn: Connection, c: Arc<Consume>) -> Result<Consumer, Error> {
        let ch = conn.open_channel().await?;
        ch.basic_qos(c.prefetch, Default::default()).await?;
        let options = BasicConsumeOptions {
            no_ack: c.autoack,
            ..Default::default()
        };
        let consumer = ch
            .basic_consume(&c.queue, options, FieldTable::new())
            .await?;
        Ok(Consumer { consumer, conn, c })
    }

    /// Receives and checks until `stop` is set; `arrived` is notified after
    /// each delivery. Returns what it saw, and its connection.
    pub async fn run(
        mut self,
        stats: Arc<Stats>,
        arrived: Arc<Notify>,
        mut stop: watch::Receiver<bool>,
    ) -> Result<(Checker, Connection), Error> {
        let c = self.c.clone();
        let mut checker = Checker::new(c.run, c.producers, c.size);
        let (mut unacked, mut last_tag) = (0u32, 0u64);
        let ch = self.consumer.channel().clone();
        loop {
            let delivery = tokio::select! {
                biased;
                _ = stopped(&mut stop) => break,
                d = self.consumer.next_delivery() => d.map_err(|end| Error::InvalidArgument(
                    format!("the consumer ended: {end:?}")))?,
            };
            if let Some(stamp) = checker.message(&delivery.body) {
                stats.delivery_latency(stamp.sent);
                stats.received_ours.fetch_add(1, Relaxed);
            }
            stats.received.fetch_add(1, Relaxed);
            arrived.notify_one();
            if !c.autoack {
                unacked += 1;
                last_tag = delivery.delivery_tag;
                if unacked >= c.ack_every {
                    ch.basic_ack(last_tag, c.ack_every > 1).await?;
                    unacked = 0;
                }
            }
        }
        if unacked > 0 {
            ch.basic_ack(last_tag, true).await?;
        }
        Ok((checker, self.conn))
    }
}
