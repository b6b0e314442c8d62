//! Runs catalogue entries against a broker and turns verdicts into
//! outcomes: documented deviations, capabilities the broker lacks, a broker
//! that stopped answering (and its restart, when a command is given), and
//! the cleanup of every scenario's resources.

use std::time::{Duration, Instant};

use amqp091_codec::method::{
    ChannelCloseOk, ConnectionClose, ExchangeDelete, QueueDeclare, QueueDelete,
};
use amqp091_codec::Method;

use crate::catalogue::{Entry, Kind, Needs};
use crate::deviations::{self, Deviations};
use crate::exec::{run_steps, Timing, Verdict};
use crate::scenario::{short, Env, Script};
use crate::session::{Direction, HandshakeOptions, ServerInfo, Session, SessionError};
use crate::target::Target;

/// What a run needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The broker.
    pub target: Target,
    /// Waits.
    pub timing: Timing,
    /// Run by `sh -c` when the broker stops answering; the run then waits
    /// for it and goes on.
    pub restart_cmd: Option<String>,
    /// Prefix of every resource name.
    pub run_id: String,
    /// Documented deviations, by product.
    pub deviations: Vec<Deviations>,
    /// Longest time one scenario may take.
    pub scenario_limit: Duration,
}

/// The outcome of one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The broker did what the rule requires.
    Pass,
    /// It did not.
    Fail,
    /// It did not, as its authors document.
    Deviation,
    /// Not checked (not observable, or a capability the broker lacks).
    NotApplicable,
    /// The runner could not run it.
    Error,
    /// The broker did not answer in time.
    Timeout,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Deviation,
        Outcome::NotApplicable,
        Outcome::Error,
        Outcome::Timeout,
    ];

    /// The outcome's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Deviation => "deviation",
            Outcome::NotApplicable => "not applicable",
            Outcome::Error => "error",
            Outcome::Timeout => "timeout",
        }
    }
}

/// The result of one entry.
#[derive(Debug, Clone)]
pub struct RuleResult {
    /// The entry's key.
    pub key: String,
    /// Its class (file).
    pub class: String,
    /// What it checks.
    pub summary: String,
    /// The outcome.
    pub outcome: Outcome,
    /// What the rule requires (failures, deviations, timeouts).
    pub expected: Option<String>,
    /// What the broker did.
    pub observed: Option<String>,
    /// The reason (not applicable, error) or the deviation's note and source.
    pub note: Option<String>,
    /// The frames exchanged (`c0 >> ...` sent, `c0 << ...` received).
    pub frames: Vec<String>,
    /// How long it took.
    pub duration_ms: u64,
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Report {
    /// The broker (no password).
    pub target: String,
    /// Its `product` server property.
    pub product: String,
    /// Its `version` server property.
    pub version: String,
    /// Its `platform` server property.
    pub platform: String,
    /// The run id (the prefix of resource names).
    pub run_id: String,
    /// One per entry run.
    pub results: Vec<RuleResult>,
    /// Wall time.
    pub elapsed_ms: u64,
}

impl Report {
    /// How many results have `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.results.iter().filter(|r| r.outcome == outcome).count()
    }

    /// 0 when nothing failed; 1 on a failure, timeout or error (`strict`:
    /// deviations too).
    pub fn exit_code(&self, strict: bool) -> u8 {
        let bad = self.results.iter().any(|r| {
            matches!(r.outcome, Outcome::Fail | Outcome::Timeout | Outcome::Error)
                || (strict && r.outcome == Outcome::Deviation)
        });
        u8::from(bad)
    }
}

/// Connects, completes the handshake, declares an exclusive queue (a broker
/// that accepts connections but no longer answers methods has stopped
/// answering too) and closes: what the broker announces.
pub async fn probe(target: &Target, timeout: Duration) -> Result<ServerInfo, SessionError> {
    let mut s = Session::open(target, timeout, &HandshakeOptions::default()).await?;
    s.open_channel(1, timeout).await?;
    let declare = QueueDeclare {
        queue: short(&format!("{}.probe", new_run_id())),
        exclusive: true,
        ..Default::default()
    };
    s.send_method(1, &declare.into()).await?;
    match s.next_method(timeout).await? {
        Method::QueueDeclareOk(_) => {}
        other => {
            return Err(SessionError::Handshake(format!(
                "the probe's queue.declare got {}",
                other.name()
            )))
        }
    }
    let _ = s
        .send_method(
            0,
            &ConnectionClose {
                reply_code: 200,
                ..Default::default()
            }
            .into(),
        )
        .await;
    let _ = s.next(timeout).await;
    s.shutdown().await;
    Ok(s.server.clone())
}

/// A run id from the clock: `conform-<base36 seconds><base36 pid>`.
pub fn new_run_id() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "conform-{}{}",
        base36(secs),
        base36(u64::from(std::process::id()))
    )
}

fn base36(mut n: u64) -> String {
    let digits = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut s = Vec::new();
    loop {
        s.push(digits[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Runs `entries`. Fails only when the broker cannot be reached at all
/// before the first entry (a connection error).
pub async fn run(config: &Config, entries: &[Entry]) -> Result<Report, SessionError> {
    let started = Instant::now();
    let server = probe(&config.target, config.timing.reply).await?;
    let product = server.property("product").unwrap_or_default();
    let version = server.property("version").unwrap_or_default();
    let mut report = Report {
        target: config.target.display(),
        product: product.clone(),
        version: version.clone(),
        platform: server.property("platform").unwrap_or_default(),
        run_id: config.run_id.clone(),
        results: Vec::new(),
        elapsed_ms: 0,
    };
    let mut stopped_at: Option<String> = None;
    for entry in entries {
        let t = Instant::now();
        let mut r = RuleResult {
            key: entry.key.into(),
            class: entry.class.into(),
            summary: entry.summary.into(),
            outcome: Outcome::Pass,
            expected: None,
            observed: None,
            note: None,
            frames: Vec::new(),
            duration_ms: 0,
        };
        match applicable(entry, &server, &product, config.restart_cmd.is_some()) {
            Err(reason) => {
                r.outcome = Outcome::NotApplicable;
                r.note = Some(reason);
            }
            Ok(build) => {
                if let Some(at) = &stopped_at {
                    r.outcome = Outcome::Error;
                    r.note = Some(format!("not run: the broker stopped answering during {at}"));
                } else {
                    run_one(config, &server, &product, &version, entry, build, &mut r).await;
                    if matches!(
                        r.outcome,
                        Outcome::Fail | Outcome::Timeout | Outcome::Error | Outcome::Deviation
                    ) && probe(&config.target, config.timing.reply).await.is_err()
                    {
                        r.outcome = Outcome::Fail;
                        r.observed = Some(format!(
                            "broker stopped answering ({})",
                            r.observed
                                .take()
                                .unwrap_or_else(|| "after this scenario".into())
                        ));
                        if !restart(config).await {
                            stopped_at = Some(entry.key.to_string());
                        }
                    }
                }
            }
        }
        r.duration_ms = t.elapsed().as_millis() as u64;
        report.results.push(r);
    }
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// The scenario builder, or why the entry is not applicable.
fn applicable(
    entry: &Entry,
    server: &ServerInfo,
    product: &str,
    can_restart: bool,
) -> Result<fn(&mut Script), String> {
    match entry.kind {
        Kind::NotObservable(reason) => Err(format!("not observable: {}", reason.text())),
        Kind::Scenario {
            needs: Needs::Capability(c),
            ..
        } if !server.capability(c) => {
            Err(format!("the broker does not advertise capabilities.{c}"))
        }
        Kind::Scenario {
            needs: Needs::Product(p),
            ..
        } if !product.eq_ignore_ascii_case(p) => {
            Err(format!("only for {p} (this broker is {product:?})"))
        }
        Kind::Scenario {
            needs: Needs::Restart,
            ..
        } if !can_restart => Err("it restarts the broker: give --restart-cmd".into()),
        Kind::Scenario { build, .. } => Ok(build),
    }
}

async fn run_one(
    config: &Config,
    server: &ServerInfo,
    product: &str,
    version: &str,
    entry: &Entry,
    build: fn(&mut Script),
    r: &mut RuleResult,
) {
    let env = Env {
        run_id: config.run_id.clone(),
        slug: entry.key.replace([' ', '/'], "-"),
        server: server.clone(),
        x_expires: product.eq_ignore_ascii_case("RabbitMQ"),
        vhost: config.target.vhost.clone(),
    };
    let mut script = Script::new(env);
    build(&mut script);
    let run = tokio::time::timeout(
        config.scenario_limit,
        run_steps(
            &config.target,
            &script.steps,
            config.timing,
            config.restart_cmd.as_deref(),
        ),
    )
    .await;
    match run {
        Err(_) => {
            r.outcome = Outcome::Timeout;
            r.expected = Some("the scenario to finish".into());
            r.observed = Some(format!(
                "not finished within {} s",
                config.scenario_limit.as_secs()
            ));
        }
        Ok(run) => {
            r.frames = run
                .frames
                .iter()
                .map(|(conn, l)| {
                    let arrow = if l.direction == Direction::Sent {
                        ">>"
                    } else {
                        "<<"
                    };
                    format!("c{conn} {arrow} {}", l.text)
                })
                .collect();
            match run.verdict {
                Verdict::Pass => r.outcome = Outcome::Pass,
                Verdict::Fail { expected, observed } => {
                    r.outcome = Outcome::Fail;
                    r.expected = Some(expected);
                    r.observed = Some(observed);
                }
                Verdict::Timeout {
                    expected,
                    waited_ms,
                } => {
                    r.outcome = Outcome::Timeout;
                    r.expected = Some(expected);
                    r.observed = Some(format!("nothing within {waited_ms} ms"));
                }
                Verdict::Error(e) => {
                    r.outcome = Outcome::Error;
                    r.note = Some(e);
                }
            }
        }
    }
    if matches!(r.outcome, Outcome::Fail | Outcome::Timeout) {
        if let Some(d) = deviations::find(&config.deviations, product, version, entry.key) {
            r.outcome = Outcome::Deviation;
            r.note = Some(format!("{} (source: {})", d.note, d.source));
        }
    }
    cleanup(config, &script).await;
}

/// Deletes the scenario's queues and exchanges on a fresh connection
/// (errors ignored: most are already gone).
async fn cleanup(config: &Config, script: &Script) {
    if script.queues.is_empty() && script.exchanges.is_empty() {
        return;
    }
    let timeout = config.timing.reply;
    let work = async {
        let mut s = Session::open(&config.target, timeout, &HandshakeOptions::default()).await?;
        s.open_channel(1, timeout).await?;
        let mut methods: Vec<Method> = Vec::new();
        for q in &script.queues {
            methods.push(
                QueueDelete {
                    queue: short(q),
                    ..Default::default()
                }
                .into(),
            );
        }
        for x in &script.exchanges {
            methods.push(
                ExchangeDelete {
                    exchange: short(x),
                    ..Default::default()
                }
                .into(),
            );
        }
        for m in methods {
            s.send_method(1, &m).await?;
            if let Ok(Method::ChannelClose(_)) = s.next_method(timeout).await {
                s.send_method(1, &ChannelCloseOk::default().into()).await?;
                s.open_channel(1, timeout).await?;
            }
        }
        s.shutdown().await;
        Ok::<(), SessionError>(())
    };
    let _ = tokio::time::timeout(timeout * 4, work).await;
}

/// Runs the restart command and waits for the broker; false without one or
/// when the broker does not come back within a minute.
async fn restart(config: &Config) -> bool {
    let Some(cmd) = &config.restart_cmd else {
        return false;
    };
    tracing::warn!(command = %cmd, "the broker stopped answering; restarting it");
    restart_broker(cmd, &config.target, config.timing.reply).await
}

/// Runs `cmd` (`sh -c`) and waits until the broker at `target` answers a
/// probe again; false when the command cannot run or the broker does not
/// come back within a minute.
pub(crate) async fn restart_broker(cmd: &str, target: &Target, reply: Duration) -> bool {
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .status()
        .await;
    if status.is_err() {
        return false;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if probe(target, reply).await.is_ok() {
            return true;
        }
        // A pause between probes of a broker that is still starting.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    false
}
