//! The campaign loop: generate or mutate, execute, abstract the answers to
//! states and transitions, keep what reaches something new, apply the
//! oracles, and turn a new signature into a minimised, re-verified finding.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use amqp091_conform::target::Target;
use serde_json::{json, Value};

use crate::corpus::Corpus;
use crate::diff::{self, Watch};
use crate::exec::{Canary, Waits};
use crate::finding::{self, Finding};
use crate::gen;
use crate::model::Input;
use crate::oracle::{self, Oracle, Verdict};
use crate::rng::Rng;

/// A campaign's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The broker.
    pub target: Target,
    /// Differential mode: a second broker that runs every judged input too.
    pub compare: Option<Target>,
    /// Run after the compare broker crashed (sh -c), then wait for it.
    pub compare_restart_cmd: Option<String>,
    /// Differential mode: the quiet period that ends an execution on either
    /// broker (longer than `waits.quiet`, so that a slow broker's late close
    /// is not classed `no close`).
    pub compare_quiet: Duration,
    /// At most this long minimising one finding.
    pub minimise_time: Duration,
    /// Stop after this long.
    pub duration: Duration,
    /// Stop after this many executions (a fixed budget).
    pub max_execs: u64,
    /// Stop after this many findings (libFuzzer stops at its first).
    pub max_findings: usize,
    /// The PRNG seed.
    pub seed: u64,
    /// Sessions at once.
    pub connections: usize,
    /// Where findings go (none: not written).
    pub out: Option<PathBuf>,
    /// Run after a crash (sh -c), then wait for the broker.
    pub restart_cmd: Option<String>,
    /// The broker's process, for the resource-growth oracle.
    pub broker_pid: Option<u32>,
    /// Growth of VmRSS (KiB) past the first reading that is a finding.
    pub rss_growth_kib: u64,
    /// At most this many executions a second.
    pub rate: u32,
    /// JSON events on stdout instead of text.
    pub json: bool,
    /// No progress line (tests).
    pub quiet: bool,
    /// Timeouts.
    pub waits: Waits,
}

impl Config {
    /// Defaults for `target`.
    pub fn new(target: Target) -> Config {
        Config {
            target,
            compare: None,
            compare_restart_cmd: None,
            compare_quiet: Duration::from_millis(200),
            minimise_time: Duration::from_secs(120),
            duration: Duration::from_secs(60),
            max_execs: u64::MAX,
            max_findings: usize::MAX,
            seed: 1,
            connections: 1,
            out: None,
            restart_cmd: None,
            broker_pid: None,
            rss_growth_kib: 512 * 1024,
            rate: 500,
            json: false,
            quiet: false,
            waits: Waits::default(),
        }
    }
}

/// What a campaign found and covered.
#[derive(Debug, Default)]
pub struct Summary {
    /// Executions.
    pub execs: u64,
    /// Seconds run.
    pub seconds: f64,
    /// Response states seen.
    pub states: BTreeSet<String>,
    /// Transitions (consecutive states) seen.
    pub transitions: BTreeSet<(String, String)>,
    /// Corpus size.
    pub corpus: usize,
    /// Findings, minimised and re-verified.
    pub findings: Vec<Finding>,
    /// Signatures that fired but did not reproduce.
    pub flaky: usize,
    /// Findings whose minimised signature was one found already.
    pub duplicates: usize,
}

impl Summary {
    /// The summary as a JSON event.
    pub fn to_json(&self) -> Value {
        json!({
            "event": "end", "execs": self.execs, "seconds": self.seconds,
            "execs_per_s": self.execs as f64 / self.seconds.max(1e-9),
            "states": self.states.len(), "transitions": self.transitions.len(),
            "corpus": self.corpus, "flaky": self.flaky, "duplicates": self.duplicates,
            "findings": self.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
        })
    }
}

fn emit(config: &Config, v: Value) {
    if config.json {
        println!("{v}");
    }
}

/// The round's verdict (the judged session's) and the inputs that may have
/// caused it, in the order to try them alone: a crash or an interference
/// may be any session's (the canary sees the broker, not who hurt it).
/// The other sessions' own outcomes feed the coverage but are not judged:
/// run at the same time they are noisy (against RabbitMQ, 24 wrong-code
/// verdicts of other sessions in 60 s, none of which reproduced alone).
fn round_verdict(judged: &oracle::Judged, inputs: &[Input]) -> (Option<Verdict>, Vec<usize>) {
    match &judged.verdict {
        Some(v) if matches!(v.oracle, Oracle::Crash | Oracle::Interference) => {
            (Some(v.clone()), (0..inputs.len()).collect())
        }
        v => (v.clone(), vec![0]),
    }
}

/// Runs a campaign to its end (duration or budget).
pub async fn run(config: &Config) -> Result<Summary, String> {
    let (channel_max, frame_max) = limits(config).await?;
    let with_tune;
    let config = if config.compare.is_some() {
        // Both brokers negotiate the same limits, so that a frame the size
        // of frame-max means the same to both.
        let mut c = config.clone();
        c.waits.tune = Some((channel_max, frame_max));
        with_tune = c;
        &with_tune
    } else {
        config
    };
    let waits = config.waits;
    let target = &config.target;
    let mut watch = Watch::open(config).await?;
    let mut rng = Rng::new(config.seed);
    let mut sum = Summary::default();
    let mut corpus = Corpus::new();
    let mut signatures = BTreeSet::new();
    let mut minimised = BTreeSet::new();
    let started = Instant::now();
    let rss0 = config.broker_pid.and_then(oracle::rss_kib);
    let tty = !config.quiet && !config.json && std::io::stderr().is_terminal();
    let mut last_report = Instant::now();
    emit(
        config,
        json!({"event": "start", "seed": config.seed, "target": target.display()}),
    );
    while sum.execs < config.max_execs
        && sum.findings.len() < config.max_findings
        && started.elapsed() < config.duration
    {
        let round = config.connections.max(1);
        let mut inputs = Vec::new();
        for _ in 0..round {
            // A quarter fresh; the rest mutations of the corpus's rarest.
            let parents = match rng.one_in(4) {
                true => None,
                false => corpus.pick(&mut rng).zip(corpus.pick(&mut rng)),
            };
            inputs.push(match parents {
                Some((a, b)) => gen::mutate(a, b, &mut rng, channel_max, frame_max),
                None => gen::generate(&mut rng, channel_max, frame_max),
            });
        }
        // Other connections at once (their outcomes feed the coverage too).
        let mut others = tokio::task::JoinSet::new();
        for input in &inputs[1..] {
            let (t, input) = (target.clone(), input.clone());
            others.spawn(async move { crate::exec::run(&t, &input, &waits).await.ok() });
        }
        let judged = diff::judge(config, &inputs[0], &mut watch).await;
        let mut outcomes: Vec<_> = vec![judged.outcome.clone()];
        while let Some(r) = others.join_next().await {
            outcomes.push(r.ok().flatten());
        }
        sum.execs += round as u64;
        for (input, outcome) in inputs.iter().zip(outcomes.iter()) {
            let Some(o) = outcome else { continue };
            let mut prev = "start".to_string();
            for st in &o.states {
                sum.states.insert(st.clone());
                sum.transitions.insert((prev.clone(), st.clone()));
                prev = st.clone();
            }
            if corpus.observe(input, &o.states) {
                emit(
                    config,
                    json!({"event": "new_coverage", "execs": sum.execs,
                    "states": sum.states.len(), "transitions": sum.transitions.len(),
                    "last": o.last()}),
                );
            }
        }
        let (mut verdict, suspects) = round_verdict(&judged, &inputs);
        if verdict.is_none() && sum.execs % 50 < round as u64 {
            if let (Some(pid), Some(base)) = (config.broker_pid, rss0) {
                match oracle::rss_kib(pid) {
                    Some(now) if now > base + config.rss_growth_kib => {
                        verdict = Some(Verdict {
                            oracle: Oracle::ResourceGrowth,
                            expected: format!("VmRSS below {} KiB", base + config.rss_growth_kib),
                            observed: format!("VmRSS {now} KiB"),
                            state: "rss".into(),
                        });
                    }
                    _ => {}
                }
            }
        }
        watch.restore(config, &judged).await?;
        if let Some(v) = verdict {
            // Memory growth is the broker's, not one input's: one finding.
            let kind = match v.oracle {
                Oracle::ResourceGrowth => String::new(),
                _ => inputs[suspects[0]].last_kind(),
            };
            let sig = (v.oracle, kind, v.state.clone());
            let fresh = signatures.insert(sig);
            if v.oracle != Oracle::ResourceGrowth && fresh {
                let found_at = started.elapsed();
                // The first suspect that reproduces alone is the finding.
                let mut f = None;
                for &i in &suspects {
                    let (w, found) =
                        finding::confirm(config, &inputs[i], &v, watch, found_at).await?;
                    watch = w;
                    if found.is_some() {
                        f = found;
                        break;
                    }
                }
                // The minimised input's signature may be one seen already.
                let dup = f.as_ref().is_some_and(|f| {
                    let key = (
                        f.verdict.oracle,
                        f.input.last_kind(),
                        f.verdict.state.clone(),
                    );
                    !minimised.insert(key)
                });
                match f {
                    Some(_) if dup => sum.duplicates += 1,
                    Some(mut f) => {
                        f.number = sum.findings.len() + 1;
                        if let Some(dir) = &config.out {
                            finding::write(dir, &f, config).map_err(|e| e.to_string())?;
                        }
                        emit(config, f.to_json());
                        if !config.json && !config.quiet {
                            eprintln!(
                                "\nfinding {}: {} after {}",
                                f.number,
                                f.verdict.oracle.name(),
                                f.input.last_kind()
                            );
                        }
                        sum.findings.push(f);
                    }
                    None => sum.flaky += 1,
                }
            } else if v.oracle == Oracle::ResourceGrowth && fresh {
                let found_at = started.elapsed();
                sum.findings
                    .push(Finding::new(inputs[0].clone(), v, found_at, config.seed));
            }
        }
        if last_report.elapsed() >= Duration::from_secs(1) {
            last_report = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            let line = format!(
                "execs {} ({:.0}/s), states {}, transitions {}, corpus {}, findings {}",
                sum.execs,
                sum.execs as f64 / secs,
                sum.states.len(),
                sum.transitions.len(),
                corpus.len(),
                sum.findings.len()
            );
            if tty {
                eprint!("\r{line}   ");
                let _ = std::io::stderr().flush();
            }
            emit(
                config,
                json!({"event": "progress", "seconds": secs, "execs": sum.execs,
                "states": sum.states.len(), "transitions": sum.transitions.len(),
                "findings": sum.findings.len()}),
            );
        }
        // Rate limit.
        let due = Duration::from_secs_f64(sum.execs as f64 / config.rate.max(1) as f64);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    if tty {
        eprintln!();
    }
    sum.seconds = started.elapsed().as_secs_f64();
    sum.corpus = corpus.len();
    Ok(sum)
}

/// The channel-max and frame-max to generate for: the broker's, or in
/// differential mode the lower of both brokers' (0, no limit, as the most).
async fn limits(config: &Config) -> Result<(u16, u32), String> {
    let mut limits = (u16::MAX, u32::MAX);
    for t in std::iter::once(&config.target).chain(config.compare.iter()) {
        let probe = crate::exec::connect(t, &config.waits)
            .await
            .map_err(|e| format!("{}: {e}", t.display()))?;
        let cm = Some(probe.server.channel_max).filter(|&c| c != 0);
        limits.0 = limits.0.min(cm.unwrap_or(u16::MAX));
        limits.1 = limits.1.min(probe.frame_max);
    }
    Ok(limits)
}

/// After the canary was lost: restart the broker if told how, and wait.
pub async fn recover_or_fail(config: &Config, waits: &Waits) -> Result<Canary, String> {
    let fresh = oracle::recover(&config.target, None, waits, Duration::from_secs(2)).await;
    if let Some(c) = fresh {
        return Ok(c);
    }
    oracle::recover(
        &config.target,
        config.restart_cmd.as_deref(),
        waits,
        Duration::from_secs(90),
    )
    .await
    .ok_or_else(|| "the broker did not come back".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Step;

    fn input(kind: &str) -> Input {
        Input {
            steps: vec![Step::valid(vec![1], kind, true)],
            ..Default::default()
        }
    }

    fn judged(verdict: Option<Oracle>) -> oracle::Judged {
        oracle::Judged {
            outcome: None,
            verdict: verdict.map(|oracle| Verdict {
                oracle,
                expected: String::new(),
                observed: String::new(),
                state: String::new(),
            }),
            canary_lost: verdict == Some(Oracle::Crash),
            compare_lost: false,
        }
    }

    #[test]
    fn a_crash_or_interference_suspects_every_session_of_the_round_judged_first() {
        let inputs = [input("a"), input("b"), input("c")];
        for oracle in [Oracle::Crash, Oracle::Interference] {
            let (v, suspects) = round_verdict(&judged(Some(oracle)), &inputs);
            assert_eq!(v.map(|v| v.oracle), Some(oracle));
            assert_eq!(suspects, vec![0, 1, 2]);
        }
    }

    #[test]
    fn a_hang_or_wrong_code_is_the_judged_sessions_own() {
        let inputs = [input("a"), input("b")];
        for oracle in [Oracle::Hang, Oracle::WrongCode] {
            let (v, suspects) = round_verdict(&judged(Some(oracle)), &inputs);
            assert_eq!(v.map(|v| v.oracle), Some(oracle));
            assert_eq!(suspects, vec![0]);
        }
        let (v, suspects) = round_verdict(&judged(None), &inputs);
        assert!(v.is_none());
        assert_eq!(suspects, vec![0]);
    }
}
