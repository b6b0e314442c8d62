//! The counters producers and consumers share, the progress line (or JSON
//! line) every interval, and the final summary.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::check::Verdict;
use super::histogram::Histogram;

/// Latencies of one kind: since the last interval, and of the whole run.
#[derive(Default)]
struct Pair {
    interval: Histogram,
    total: Histogram,
}

impl Pair {
    fn record(&mut self, micros: u64) {
        self.interval.record(micros);
        self.total.record(micros);
    }
}

/// What the workers count as they go.
pub struct Stats {
    /// The run's time origin (message stamps count from it).
    pub origin: Instant,
    /// Messages published.
    pub sent: AtomicU64,
    /// Publishes the broker acknowledged.
    pub confirmed: AtomicU64,
    /// Publishes the broker nacked or returned.
    pub nacked: AtomicU64,
    /// Messages delivered to the consumers.
    pub received: AtomicU64,
    /// Of those, messages of this run (the drain waits for these: a
    /// foreign message left in the queue must not stand in for one of ours).
    pub received_ours: AtomicU64,
    /// When publishing started, in nanoseconds since the origin.
    pub started: AtomicU64,
    /// When the last delivery arrived, in nanoseconds since the origin.
    pub last_received: AtomicU64,
    confirm: Mutex<Pair>,
    latency: Mutex<Pair>,
}

impl Stats {
    /// Zero counters, the origin now.
    pub fn new() -> Self {
        Stats {
            origin: Instant::now(),
            sent: AtomicU64::new(0),
            confirmed: AtomicU64::new(0),
            nacked: AtomicU64::new(0),
            received: AtomicU64::new(0),
            received_ours: AtomicU64::new(0),
            started: AtomicU64::new(0),
            last_received: AtomicU64::new(0),
            confirm: Mutex::new(Pair::default()),
            latency: Mutex::new(Pair::default()),
        }
    }

    /// Nanoseconds since the origin, for a stamp.
    pub fn now_nanos(&self) -> u64 {
        self.origin.elapsed().as_nanos() as u64
    }

    /// One confirm that took `took`.
    pub fn confirm_latency(&self, took: Duration) {
        if let Ok(mut p) = self.confirm.lock() {
            p.record(took.as_micros() as u64);
        }
    }

    /// One delivery stamped at `sent` (nanoseconds since the origin).
    pub fn delivery_latency(&self, sent: u64) {
        let now = self.now_nanos();
        self.last_received.fetch_max(now, Relaxed);
        let micros = now.saturating_sub(sent) / 1000;
        if let Ok(mut p) = self.latency.lock() {
            p.record(micros);
        }
    }

    fn take_interval(&self) -> (Histogram, Histogram) {
        let take = |m: &Mutex<Pair>| {
            m.lock()
                .map(|mut p| {
                    let h = p.interval.clone();
                    p.interval.clear();
                    h
                })
                .unwrap_or_default()
        };
        (take(&self.confirm), take(&self.latency))
    }

    fn totals(&self) -> (Histogram, Histogram) {
        let get = |m: &Mutex<Pair>| m.lock().map(|p| p.total.clone()).unwrap_or_default();
        (get(&self.confirm), get(&self.latency))
    }
}

fn pcts(h: &Histogram) -> Value {
    match h.len() {
        0 => Value::Null,
        _ => json!({
            "count": h.len(),
            "p50": h.quantile(0.5), "p95": h.quantile(0.95), "p99": h.quantile(0.99),
            "max": h.max(),
        }),
    }
}

fn p50_99(h: &Histogram) -> String {
    match (h.quantile(0.5), h.quantile(0.99)) {
        (Some(a), Some(b)) => format!("{a}/{b}"),
        _ => "-".into(),
    }
}

/// Prints progress every interval: a JSON line on stdout with `--json`,
/// else a line on stderr when stderr is a terminal, else nothing.
pub struct Progress {
    json: bool,
    terminal: bool,
    last: Instant,
    sent: u64,
    received: u64,
}

impl Progress {
    /// A printer for this mode.
    pub fn new(json: bool) -> Self {
        use std::io::IsTerminal;
        Progress {
            json,
            terminal: std::io::stderr().is_terminal(),
            last: Instant::now(),
            sent: 0,
            received: 0,
        }
    }

    /// One interval's line (`None`: nothing to print in this mode).
    pub fn tick(&mut self, stats: &Stats) -> Option<String> {
        let (confirm, latency) = stats.take_interval();
        let (sent, received) = (stats.sent.load(Relaxed), stats.received.load(Relaxed));
        let secs = self.last.elapsed().as_secs_f64().max(1e-9);
        let sent_rate = (sent - self.sent) as f64 / secs;
        let received_rate = (received - self.received) as f64 / secs;
        (self.last, self.sent, self.received) = (Instant::now(), sent, received);
        let elapsed = stats.origin.elapsed().as_secs_f64();
        if self.json {
            let line = json!({
                "type": "progress", "elapsed_s": round3(elapsed),
                "sent_per_s": sent_rate.round(), "received_per_s": received_rate.round(),
                "sent": sent, "received": received,
                "confirm_latency_us": pcts(&confirm), "latency_us": pcts(&latency),
            });
            Some(line.to_string())
        } else if self.terminal {
            Some(format!(
                "time {elapsed:.1} s, sent {sent_rate:.0} msg/s, received {received_rate:.0} msg/s, \
                 confirm p50/p99 {} µs, latency p50/p99 {} µs",
                p50_99(&confirm),
                p50_99(&latency)
            ))
        } else {
            None
        }
    }

    /// Prints a tick's line where it goes.
    pub fn print(&self, line: &str, out: &mut crate::output::Out) -> Result<(), crate::Failure> {
        if self.json {
            out.json_line(&serde_json::from_str(line).unwrap_or(Value::Null))?;
            out.flush()
        } else {
            let mut err = std::io::stderr().lock();
            // Overwrites the previous progress line.
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
            Ok(())
        }
    }

    /// Ends the progress line on a terminal before the summary.
    pub fn finish(&self) {
        if !self.json && self.terminal {
            eprintln!();
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The run's settings, for the summary.
pub struct Setup {
    /// `1 producer, 2 consumers, 16 B, confirms (window 100), prefetch 1000, ack every 1`.
    pub text: String,
    /// The same as JSON fields.
    pub json: Value,
    /// Whether consumers received (and checked) the messages.
    pub consumers: bool,
}

/// The final summary: text, or one JSON line.
pub fn summary(
    setup: &Setup,
    stats: &Stats,
    publishing: Duration,
    verdict: &Verdict,
    json: bool,
) -> String {
    let (confirm, latency) = stats.totals();
    let sent = stats.sent.load(Relaxed);
    let confirmed = stats.confirmed.load(Relaxed);
    let nacked = stats.nacked.load(Relaxed);
    let received = stats.received.load(Relaxed);
    let secs = publishing.as_secs_f64().max(1e-9);
    // From the first publish to the last delivery.
    let receiving = stats
        .last_received
        .load(Relaxed)
        .saturating_sub(stats.started.load(Relaxed));
    let total = (receiving as f64 / 1e9).max(1e-9);
    if json {
        let mut v = json!({
            "type": "summary",
            "sent": sent, "confirmed": confirmed, "nacked": nacked, "received": received,
            "publish_s": round3(secs), "receive_s": round3(total),
            "sent_per_s": (sent as f64 / secs).round(),
            "received_per_s": (received as f64 / total).round(),
            "confirm_latency_us": pcts(&confirm), "latency_us": pcts(&latency),
            "check": {
                "ok": verdict.ok(), "received": verdict.received, "missing": verdict.missing,
                "problems": verdict.problems, "details": verdict.details,
            },
        });
        if let (Some(m), Some(s)) = (v.as_object_mut(), setup.json.as_object()) {
            m.insert("settings".into(), Value::Object(s.clone()));
        }
        return v.to_string() + "\n";
    }
    let lat = |h: &Histogram| match h.len() {
        0 => "-".to_string(),
        _ => format!(
            "p50 {} p95 {} p99 {} max {}",
            h.quantile(0.5).unwrap_or(0),
            h.quantile(0.95).unwrap_or(0),
            h.quantile(0.99).unwrap_or(0),
            h.max()
        ),
    };
    let mut s = format!("perf: {}\n", setup.text);
    s += &format!(
        "sent {sent} msg in {secs:.2} s ({:.0} msg/s), confirmed {confirmed}, nacked {nacked}, \
         received {received} in {total:.2} s ({:.0} msg/s)\n",
        sent as f64 / secs,
        received as f64 / total
    );
    s += &format!("confirm latency µs: {}\n", lat(&confirm));
    s += &format!("end-to-end latency µs: {}\n", lat(&latency));
    if verdict.ok() && !setup.consumers {
        s += &format!("check: ok (no consumers: {confirmed} of {sent} publishes confirmed)\n");
    } else if verdict.ok() {
        s += &format!(
            "check: ok ({} of {sent} messages, once each, in order per producer)\n",
            verdict.received
        );
    } else {
        s += &format!(
            "check: FAILED ({} problems, {} missing): {}\n",
            verdict.problems,
            verdict.missing,
            verdict.details.join("; ")
        );
    }
    s
}
