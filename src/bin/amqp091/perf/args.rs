//! `perf` arguments, named after RabbitMQ's PerfTest where it has the option
//! (`-x` producers, `-y` consumers, `-s` size, `-r` rate, `-c` confirms,
//! `-q` prefetch, `-a` autoack, `-A` multi-ack, `-z` time, `-C` count, `-u`
//! queue, `-e` exchange, `-t` type, `-k` routing key, `-f persistent`).

use std::time::Duration;

use clap::Args;

use crate::args::parse_duration;

/// The run's time bound when only `--count` is given.
pub const COUNT_TIME_LIMIT: Duration = Duration::from_secs(600);
/// The run's length when neither `--count` nor `--duration` is given.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(10);

/// What `perf` prints, for its help.
pub const PERF_HELP: &str = "Each producer publishes on its own connection and each consumer \
consumes on its own, from one queue (by default a server-named one, deleted at the end). \
Every body starts with a 16-byte stamp (run, producer, sequence number, send time); the \
consumers check every message's size and that each producer's messages arrive in order, \
once, all of them, and nothing else. A failed check prints the summary, then `error: check \
failed: ...` and exits with 1.\n\
On a terminal, stderr shows a progress line every --interval: sent and received messages per \
second, confirm latency and end-to-end latency (p50/p99, µs). With --json, stdout has one \
{\"type\":\"progress\",...} line per interval and a final {\"type\":\"summary\",...} line.\n\
The run ends when every producer sent --count messages or after --duration (10 s when neither \
is given; with --count alone at most 10 min), then the consumers get at most --drain to \
receive what was sent.";

/// `perf` arguments.
#[derive(Debug, Args)]
#[command(after_help = PERF_HELP)]
pub struct PerfArgs {
    /// Producers, each on its own connection.
    #[arg(short = 'x', long, default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub producers: u16,
    /// Consumers, each on its own connection (0: only publish).
    #[arg(short = 'y', long, default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(0..=1000))]
    pub consumers: u16,
    /// Body size in bytes (at least 16, the stamp).
    #[arg(short = 's', long, default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(16..=134_217_728))]
    pub size: u32,
    /// Messages per second per producer (default: as fast as possible).
    #[arg(short = 'r', long, value_name = "MSGS_PER_S")]
    pub rate: Option<f64>,
    /// Publisher confirms, with at most WINDOW unconfirmed publishes per producer.
    #[arg(short = 'c', long = "confirm", value_name = "WINDOW",
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub confirm: Option<u32>,
    /// Unacknowledged deliveries per consumer (basic.qos; ignored with --autoack).
    #[arg(short = 'q', long, default_value_t = 1000,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub prefetch: u16,
    /// Consume in no-ack mode.
    #[arg(short = 'a', long)]
    pub autoack: bool,
    /// Acknowledge every N deliveries with multiple=true (1: each one alone; at most --prefetch).
    #[arg(short = 'A', long = "multi-ack-every", value_name = "N", default_value_t = 1,
          conflicts_with = "autoack", value_parser = clap::value_parser!(u32).range(1..))]
    pub ack_every: u32,
    /// Messages per producer, then stop.
    #[arg(short = 'C', long, value_parser = clap::value_parser!(u64).range(1..=u32::MAX as u64))]
    pub count: Option<u64>,
    /// Stop publishing after this long (seconds, or 500ms, 10s, 2m).
    #[arg(short = 'z', long, value_name = "DUR", value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// How long consumers may take, once publishing stopped, to receive the rest.
    #[arg(long, value_name = "DUR", default_value = "10s", value_parser = parse_duration)]
    pub drain: Duration,
    /// Progress interval.
    #[arg(short = 'i', long, value_name = "DUR", default_value = "1s", value_parser = parse_duration)]
    pub interval: Duration,
    /// Queue to use, declared unless --predeclared and kept at the end (default: a server-named one, deleted).
    #[arg(short = 'u', long)]
    pub queue: Option<String>,
    /// Declare --queue durable.
    #[arg(long, requires = "queue")]
    pub durable: bool,
    /// Exchange to publish to, declared unless --predeclared, the queue bound to it with
    /// --routing-key (default: the default exchange, the queue's name as routing key).
    #[arg(short = 'e', long)]
    pub exchange: Option<String>,
    /// Type of --exchange.
    #[arg(
        short = 't',
        long = "type",
        default_value = "direct",
        requires = "exchange"
    )]
    pub exchange_type: String,
    /// Routing key of the publishes and of the binding (with --exchange).
    #[arg(short = 'k', long, default_value = "perf", requires = "exchange")]
    pub routing_key: String,
    /// The queue and exchange exist: only check that they do (passive declares, no binding).
    #[arg(long, requires = "queue")]
    pub predeclared: bool,
    /// Persistent messages (delivery mode 2).
    #[arg(long)]
    pub persistent: bool,
}

impl PerfArgs {
    /// The time publishing may last.
    pub fn duration(&self) -> Duration {
        match (self.duration, self.count) {
            (Some(d), _) => d,
            (None, Some(_)) => COUNT_TIME_LIMIT,
            (None, None) => DEFAULT_DURATION,
        }
    }

    /// What is wrong with the combination, in words.
    pub fn problem(&self) -> Option<String> {
        if let Some(r) = self.rate {
            if !(r.is_finite() && r > 0.0) {
                return Some(format!(
                    "--rate {r}: a positive number of messages per second"
                ));
            }
        }
        if !self.autoack && self.ack_every > u32::from(self.prefetch) {
            return Some(format!(
                "--multi-ack-every {} is above --prefetch {}: the consumers would wait for \
                 deliveries the broker never sends",
                self.ack_every, self.prefetch
            ));
        }
        if self.interval.is_zero() {
            return Some("--interval must be above 0".into());
        }
        None
    }
}
