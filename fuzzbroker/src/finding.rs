//! Findings: re-verified against the live broker, minimised by delta
//! debugging (steps first, then bytes), verified again, and written as
//! `DIR/finding-N/` with `repro.bin`, `repro.json` and a README.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::campaign::Config;
use crate::diff::{self, Watch};
use crate::model::{Input, Stage, Step};
use crate::oracle::{Oracle, Verdict};

/// A finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Its number in the campaign (1, 2, ...).
    pub number: usize,
    /// The (minimised) input.
    pub input: Input,
    /// The oracle's verdict on it.
    pub verdict: Verdict,
    /// Time from the start of the campaign to the first sighting.
    pub found_after: Duration,
    /// Steps before minimisation.
    pub original_steps: usize,
    /// The campaign's seed.
    pub seed: u64,
}

impl Finding {
    /// A finding not minimised.
    pub fn new(input: Input, verdict: Verdict, found_after: Duration, seed: u64) -> Finding {
        Finding {
            number: 0,
            original_steps: input.steps.len(),
            input,
            verdict,
            found_after,
            seed,
        }
    }

    /// The finding as a JSON event.
    pub fn to_json(&self) -> Value {
        json!({
            "event": "finding", "number": self.number, "oracle": self.verdict.oracle.name(),
            "expected": self.verdict.expected, "observed": self.verdict.observed,
            "state": self.verdict.state, "last_kind": self.input.last_kind(),
            "found_after_s": self.found_after.as_secs_f64(), "seed": self.seed,
            "steps": self.input.steps.len(), "original_steps": self.original_steps,
            "bytes": self.input.bytes().len(),
        })
    }
}

/// Runs `input` once more; the verdict, the canaries (opened again if lost).
pub async fn reproduce(
    config: &Config,
    input: &Input,
    mut watch: Watch,
) -> Result<(Watch, Option<Verdict>), String> {
    let j = diff::judge(config, input, &mut watch).await;
    watch.restore(config, &j).await?;
    Ok((watch, j.verdict))
}

struct Minimiser<'a> {
    config: &'a Config,
    oracle: Oracle,
    observed: String,
    watch: Option<Watch>,
    tests: usize,
    deadline: Instant,
}

impl Minimiser<'_> {
    fn budget_left(&self) -> bool {
        self.tests < 300 && Instant::now() < self.deadline
    }

    async fn fires(&mut self, input: &Input) -> Result<bool, String> {
        self.tests += 1;
        let watch = self.watch.take().expect("the canaries");
        let (w, v) = reproduce(self.config, input, watch).await?;
        self.watch = Some(w);
        Ok(v.is_some_and(|v| {
            v.oracle == self.oracle && (v.oracle == Oracle::Crash || v.observed == self.observed)
        }))
    }

    /// ddmin over the steps.
    async fn steps(&mut self, mut input: Input) -> Result<Input, String> {
        let mut n = 2usize;
        while input.steps.len() >= 2 && self.budget_left() {
            let len = input.steps.len();
            let chunk = len.div_ceil(n);
            let mut reduced = false;
            let parts = n;
            for i in 0..parts {
                let (a, b) = (i * chunk, ((i + 1) * chunk).min(len));
                if a >= b || !self.budget_left() {
                    continue;
                }
                let mut cand = input.clone();
                cand.steps.drain(a..b);
                if !cand.steps.is_empty() && self.fires(&cand).await? {
                    input = cand;
                    n = (n - 1).max(2);
                    reduced = true;
                    break;
                }
            }
            if !reduced {
                if n >= len {
                    break;
                }
                n = (n * 2).min(len);
            }
        }
        Ok(input)
    }

    /// Removes byte ranges inside each step, halving the range size.
    async fn bytes(&mut self, mut input: Input) -> Result<Input, String> {
        for i in 0..input.steps.len() {
            let mut size = input.steps[i].bytes.len() / 2;
            while size >= 1 && self.budget_left() {
                let mut at = 0;
                while at + size <= input.steps[i].bytes.len() && self.budget_left() {
                    let mut cand = input.clone();
                    let s: &mut Step = &mut cand.steps[i];
                    s.bytes.drain(at..at + size);
                    // No longer the frame whose close code the spec gives.
                    s.expect_code = None;
                    s.defective = true;
                    s.wants_reply = false;
                    s.split = s.split.filter(|&p| p < s.bytes.len());
                    if !s.bytes.is_empty() && self.fires(&cand).await? {
                        input = cand;
                    } else {
                        at += size;
                    }
                }
                size /= 2;
            }
        }
        Ok(input)
    }
}

/// Re-verifies `input`, minimises it, verifies the result; `None` when the
/// first re-verification does not fire again (flaky).
pub async fn confirm(
    config: &Config,
    input: &Input,
    verdict: &Verdict,
    watch: Watch,
    found_after: Duration,
) -> Result<(Watch, Option<Finding>), String> {
    let (watch, again) = reproduce(config, input, watch).await?;
    if again.is_none_or(|v| v.oracle != verdict.oracle) {
        return Ok((watch, None));
    }
    let mut m = Minimiser {
        config,
        oracle: verdict.oracle,
        observed: verdict.observed.clone(),
        watch: Some(watch),
        tests: 0,
        deadline: Instant::now() + config.minimise_time,
    };
    let small = m.steps(input.clone()).await?;
    let small = m.bytes(small).await?;
    let watch = m.watch.take().expect("the canaries");
    let (watch, last) = reproduce(config, &small, watch).await?;
    let original_steps = input.steps.len();
    let (input, verdict) = match last {
        Some(v) if v.oracle == verdict.oracle => (small, v),
        _ => (input.clone(), verdict.clone()),
    };
    let mut f = Finding::new(input, verdict, found_after, config.seed);
    f.original_steps = original_steps;
    Ok((watch, Some(f)))
}

/// Writes `DIR/finding-N/`.
pub fn write(dir: &Path, f: &Finding, config: &Config) -> std::io::Result<()> {
    let d = dir.join(format!("finding-{}", f.number));
    std::fs::create_dir_all(&d)?;
    std::fs::write(d.join("repro.bin"), f.input.bytes())?;
    let mut j = f.input.to_json();
    j["finding"] = f.to_json();
    std::fs::write(
        d.join("repro.json"),
        serde_json::to_string_pretty(&j)? + "\n",
    )?;
    let frames: Vec<String> = f
        .input
        .steps
        .iter()
        .map(|s| {
            format!(
                "- {} ({} bytes): {}",
                s.kind,
                s.bytes.len(),
                crate::model::decode_all(&s.bytes).join("; ")
            )
        })
        .collect();
    let (compared, replay_compare) = match &config.compare {
        Some(c) => (
            format!("- Compared with: {} (differential mode)\n", c.display()),
            format!(" --compare {}", c.display()),
        ),
        None => (String::new(), String::new()),
    };
    let who = if f.verdict.oracle == Oracle::Divergence {
        let lines: Vec<String> = f
            .verdict
            .observed
            .split("; ")
            .map(|l| format!("- {l}"))
            .collect();
        format!("## Which broker did what\n\n{}\n\n", lines.join("\n"))
    } else {
        String::new()
    };
    let readme = format!(
        "# Finding {n}: {oracle}\n\n\
         - Broker: {target}\n{compared}- Oracle: {oracle}\n- Expected: {exp}\n- Observed: {obs}\n\
         - Response state: {state}\n- Found after: {t:.1} s (seed {seed})\n\
         - Reproducer: {k} step(s), {b} bytes after {upto} (minimised from {o} steps)\n\n\
         {who}## Steps\n\n{frames}\n\n## Replay\n\n    amqp091 fuzz-broker replay {dir} {url}{replay_compare}\n",
        n = f.number,
        upto = match f.input.stage {
            Stage::Open => "the handshake".to_string(),
            Stage::Tcp => "the TCP connect, no handshake (stage tcp)".to_string(),
            stage => format!("the handshake up to {} (stage {0})", stage.name()),
        },
        oracle = f.verdict.oracle.name(),
        target = config.target.display(),
        exp = f.verdict.expected,
        obs = f.verdict.observed,
        state = f.verdict.state,
        t = f.found_after.as_secs_f64(),
        seed = f.seed,
        k = f.input.steps.len(),
        b = f.input.bytes().len(),
        o = f.original_steps,
        frames = frames.join("\n"),
        dir = d.display(),
        url = config.target.display(),
    );
    std::fs::write(d.join("README.md"), readme)
}

/// Reads `DIR/repro.json`.
pub fn read(dir: &Path) -> Result<Input, String> {
    let text = std::fs::read_to_string(dir.join("repro.json"))
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Input::from_json(&v).ok_or_else(|| "repro.json has no steps".into())
}

/// Minimises a written finding again (its oracle from repro.json).
pub async fn minimise_dir(config: &Config, dir: &Path) -> Result<Option<Finding>, String> {
    let input = read(dir)?;
    let watch = Watch::open(config).await?;
    let (watch, v) = reproduce(config, &input, watch).await?;
    let Some(v) = v else { return Ok(None) };
    let (_, f) = confirm(config, &input, &v, watch, Duration::ZERO).await?;
    Ok(f)
}
