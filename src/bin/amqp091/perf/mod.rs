//! `amqp091 perf`: a PerfTest-style load generator. Producers and consumers
//! on their own connections, one queue, progress every interval, a summary,
//! and a check of every message received (see [`check`]).

pub mod args;
mod check;
mod histogram;
mod report;
mod workers;

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Instant;

use amqp091::{
    Connection, ConnectionOptions, ExchangeDeclareOptions, FieldTable, QueueDeclareOptions,
};
use serde_json::json;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

use crate::args::{Cli, Command};
use crate::commands::{connection_options, Signals};
use crate::output::{Failure, Out};
use args::PerfArgs;
use check::{verdict, Checker, Verdict};
use report::{Progress, Setup, Stats};
use workers::{Consume, Consumer, Publish};

/// Runs `perf` on its own runtime (two worker threads, as the other commands).
pub fn main(cli: Cli, out: &mut Out) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::msg(format!("cannot start the async runtime: {e}")))?;
    let options = connection_options(&cli)?;
    let Command::Perf(a) = cli.command else {
        return Err(Failure::msg("not a perf command"));
    };
    if let Some(problem) = a.problem() {
        return Err(Failure::msg(problem));
    }
    let mut signals = runtime.block_on(async { Signals::new() })?;
    runtime.block_on(async {
        tokio::select! {
            r = run(options, &a, out) => r,
            s = signals.recv() => Err(Failure::Interrupted(s)),
        }
    })
}

/// This run's id in every stamp: from the clock and the process id.
fn run_id() -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    ((nanos ^ std::process::id().rotate_left(16)) % 65_536) as u16
}

fn setup_text(a: &PerfArgs) -> Setup {
    let plural = |n: u16, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let confirms = match a.confirm {
        Some(w) => format!("confirms (window {w})"),
        None => "no confirms".into(),
    };
    let acks = if a.autoack {
        "autoack".to_string()
    } else {
        format!("prefetch {}, ack every {}", a.prefetch, a.ack_every)
    };
    let rate = a
        .rate
        .map(|r| format!(", {r} msg/s each"))
        .unwrap_or_default();
    Setup {
        text: format!(
            "{}, {}, {} B, {confirms}, {acks}{rate}",
            plural(a.producers, "producer"),
            plural(a.consumers, "consumer"),
            a.size
        ),
        json: json!({
            "producers": a.producers, "consumers": a.consumers, "size": a.size,
            "confirm_window": a.confirm, "prefetch": a.prefetch, "autoack": a.autoack,
            "ack_every": a.ack_every, "rate": a.rate, "count": a.count,
            "duration_s": a.duration().as_secs_f64(),
        }),
        consumers: a.consumers > 0,
    }
}

/// Declares what the run needs; returns the queue's name and whether to delete it at the end.
async fn declare(ch: &amqp091::Channel, a: &PerfArgs) -> Result<(String, bool), Failure> {
    let queue = match &a.queue {
        Some(name) => {
            let options = QueueDeclareOptions {
                passive: a.predeclared,
                durable: a.durable,
                ..Default::default()
            };
            ch.queue_declare(name, options, FieldTable::new())
                .await?
                .name
        }
        None => {
            // Not exclusive: the consumers are on other connections. Auto-delete
            // cleans up after a killed run that had consumers.
            let options = QueueDeclareOptions {
                auto_delete: true,
                ..Default::default()
            };
            ch.queue_declare("", options, FieldTable::new()).await?.name
        }
    };
    if let Some(exchange) = &a.exchange {
        let options = ExchangeDeclareOptions {
            passive: a.predeclared,
            ..Default::default()
        };
        ch.exchange_declare(exchange, &a.exchange_type, options, FieldTable::new())
            .await?;
        if !a.predeclared {
            ch.queue_bind(
                &queue,
                exchange,
                &a.routing_key,
                Default::default(),
                FieldTable::new(),
            )
            .await?;
        }
    }
    Ok((queue, a.queue.is_none()))
}

async fn connect_all(options: &ConnectionOptions, n: u16) -> Result<Vec<Connection>, Failure> {
    let mut conns = Vec::with_capacity(n.into());
    for _ in 0..n {
        conns.push(Connection::connect_with(options.clone()).await?);
    }
    Ok(conns)
}

async fn run(options: ConnectionOptions, a: &PerfArgs, out: &mut Out) -> Result<(), Failure> {
    let control = Connection::connect_with(options.clone()).await?;
    let ch = control.open_channel().await?;
    let (queue, delete) = declare(&ch, a).await?;
    let run = run_id();
    let stats = Arc::new(Stats::new());
    let size = a.size as usize;

    let consume = Arc::new(Consume {
        queue: queue.clone(),
        prefetch: a.prefetch,
        autoack: a.autoack,
        ack_every: a.ack_every,
        size,
        producers: a.producers.into(),
        run,
    });
    let (stop_consumers, stop_c) = watch::channel(false);
    let arrived = Arc::new(Notify::new());
    let mut consumers = JoinSet::new();
    for conn in connect_all(&options, a.consumers).await? {
        let consumer = Consumer::start(conn, consume.clone()).await?;
        consumers.spawn(consumer.run(stats.clone(), arrived.clone(), stop_c.clone()));
    }

    let publish = Arc::new(Publish {
        exchange: a.exchange.clone().unwrap_or_default(),
        routing_key: match &a.exchange {
            Some(_) => a.routing_key.clone(),
            None => queue.clone(),
        },
        size,
        count: a.count,
        rate: a.rate,
        confirm: a.confirm,
        persistent: a.persistent,
        run,
    });
    let (stop_producers, stop_p) = watch::channel(false);
    let (drained_tx, drained) = watch::channel(false);
    let mut producers = JoinSet::new();
    let producer_conns = connect_all(&options, a.producers).await?;
    let started = Instant::now();
    stats.started.store(stats.now_nanos(), Relaxed);
    for (i, conn) in producer_conns.into_iter().enumerate() {
        let work = workers::produce(
            conn.clone(),
            i as u16,
            publish.clone(),
            stats.clone(),
            stop_p.clone(),
            drained.clone(),
        );
        producers.spawn(async move { (i, work.await, conn) });
    }

    // Publishing: until every producer is done, the deadline, or a failure.
    let mut progress = Progress::new(out.json);
    let mut ticks = tokio::time::interval_at((started + a.interval).into(), a.interval);
    let deadline = tokio::time::sleep(a.duration());
    tokio::pin!(deadline);
    let mut sent = vec![0u64; a.producers.into()];
    let mut failure: Option<Failure> = None;
    let mut producer_conns = Vec::new();
    let mut publishing = None;
    let drain_until = |from: Instant| tokio::time::Instant::from(from + a.drain);
    // Armed when publishing stops: then producers may wait for confirms for --drain.
    let confirms_due = tokio::time::sleep(a.duration() + a.drain);
    tokio::pin!(confirms_due);
    while !producers.is_empty() {
        tokio::select! {
            done = producers.join_next() => match done {
                Some(Ok((i, Ok(n), conn))) => { sent[i] = n; producer_conns.push(conn); }
                Some(Ok((_, Err(e), _))) => {
                    failure.get_or_insert(e.into());
                    let _ = stop_producers.send(true);
                    let _ = drained_tx.send(true);
                }
                Some(Err(e)) => { failure.get_or_insert(Failure::msg(format!("producer: {e}"))); }
                None => {}
            },
            _ = &mut deadline, if publishing.is_none() => {
                publishing = Some(started.elapsed());
                let _ = stop_producers.send(true);
                confirms_due.as_mut().reset(drain_until(Instant::now()));
            },
            _ = &mut confirms_due, if !*drained_tx.borrow() => { let _ = drained_tx.send(true); }
            _ = ticks.tick() => if let Some(line) = progress.tick(&stats) { progress.print(&line, out)?; },
        }
    }
    let publishing = publishing.unwrap_or_else(|| started.elapsed());
    let _ = stop_producers.send(true);

    // Draining: until the consumers received everything sent, or --drain passed.
    let total: u64 = sent.iter().sum();
    let until = drain_until(Instant::now());
    while a.consumers > 0 && failure.is_none() && stats.received_ours.load(Relaxed) < total {
        tokio::select! {
            _ = arrived.notified() => {}
            _ = tokio::time::sleep_until(until) => break,
            _ = ticks.tick() => if let Some(line) = progress.tick(&stats) { progress.print(&line, out)?; },
            Some(done) = consumers.join_next() => {
                let e = match done { Ok(Err(e)) => e.into(), Ok(Ok(_)) => Failure::msg("a consumer stopped early"),
                                     Err(e) => Failure::msg(format!("consumer: {e}")) };
                failure.get_or_insert(e);
            }
        }
    }
    let _ = stop_consumers.send(true);
    let _ = drained_tx.send(true);
    let mut checkers: Vec<Checker> = Vec::new();
    while let Some(done) = consumers.join_next().await {
        match done {
            Ok(Ok((checker, conn))) => {
                checkers.push(checker);
                let _ = conn.close().await;
            }
            Ok(Err(e)) => drop(failure.get_or_insert(e.into())),
            Err(e) => drop(failure.get_or_insert(Failure::msg(format!("consumer: {e}")))),
        }
    }
    progress.finish();
    for conn in producer_conns {
        let _ = conn.close().await;
    }
    if delete {
        let _ = ch.queue_delete(&queue, Default::default()).await;
    }
    let _ = control.close().await;
    if let Some(f) = failure {
        return Err(f);
    }

    let mut v = if a.consumers > 0 {
        verdict(&checkers, &sent)
    } else {
        Verdict {
            received: 0,
            missing: 0,
            problems: 0,
            details: Vec::new(),
        }
    };
    let nacked = stats.nacked.load(Relaxed);
    let unconfirmed = match a.confirm {
        Some(_) => total - stats.confirmed.load(Relaxed) - nacked,
        None => 0,
    };
    if nacked > 0 || unconfirmed > 0 {
        v.problems += nacked + unconfirmed;
        v.details.insert(
            0,
            format!("{nacked} publishes nacked or returned, {unconfirmed} never confirmed"),
        );
    }
    let setup = setup_text(a);
    out.text(&report::summary(&setup, &stats, publishing, &v, out.json))?;
    out.flush()?;
    if v.ok() {
        Ok(())
    } else {
        Err(Failure::msg(format!(
            "check failed: {} problems: {}",
            v.problems,
            v.details.join("; ")
        )))
    }
}
