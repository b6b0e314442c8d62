//! `amqp091 fuzz-broker`: the command line (the `amqp091` binary hands its
//! arguments over).

use std::path::PathBuf;
use std::time::Duration;

use amqp091_conform::cli::parse_duration;
use amqp091_conform::target::Target;

use crate::campaign::{self, Config};
use crate::finding;

/// The help text.
pub const HELP: &str = "\
amqp091 fuzz-broker URL [options]: fuzz a broker's frame handling (stateful, black box)
amqp091 fuzz-broker replay DIR URL: send a finding's reproducer again and judge it
amqp091 fuzz-broker minimize DIR URL: minimise a finding again (rewrites DIR)

--duration DUR      run this long (60s; also 500ms, 10m)
--execs N           stop after N executions
--findings N        stop after N findings
--seed N            PRNG seed (1): the same seed, the same inputs
--connections K     K fuzz sessions at once (1)
--out DIR           write findings to DIR/finding-N/
--restart-cmd CMD   after a crash run CMD (sh -c) and wait for the broker
--broker-pid PID    watch /proc/PID/status VmRSS (resource growth)
--rss-growth-mb N   growth past the first reading that is a finding (512)
--rate N            at most N executions a second (500)
--hang DUR          time a synchronous request has to be answered (1500ms)
--compare URL       differential: run every judged input against this broker
                    too; differing outcome classes are a divergence finding
--compare-restart-cmd CMD  after the compare broker crashed run CMD, wait for it
--compare-quiet DUR quiet period ending an execution in differential mode (200ms)
--minimise-time DUR at most this long minimising one finding (120s)
--json              JSON events on stdout
--allow-remote      allow a broker not on this machine (broken frames are sent)

Exit status: 0 no crash or hang finding, 1 a crash or hang finding, 2 usage or
connection error.";

fn usage(msg: &str) -> u8 {
    eprintln!("amqp091 fuzz-broker: {msg}\n\n{HELP}");
    2
}

/// Parses `args` into the sub-command, the positional arguments and a config.
fn parse(args: &[String]) -> Result<(Vec<String>, Config, bool), String> {
    let mut pos = Vec::new();
    let mut allow_remote = false;
    let mut opts: Vec<(String, String)> = Vec::new();
    let mut json = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--allow-remote" => allow_remote = true,
            "-h" | "--help" => return Err(String::new()),
            o if o.starts_with("--") => {
                let v = it.next().ok_or(format!("{o} needs a value"))?;
                opts.push((o.to_string(), v.clone()));
            }
            p => pos.push(p.to_string()),
        }
    }
    let url = pos
        .iter()
        .find(|p| p.starts_with("amqp"))
        .cloned()
        .or_else(|| std::env::var("AMQP_URL").ok())
        .unwrap_or_else(|| "amqp://guest:guest@localhost:5672/%2f".into());
    let target = Target::parse(&url).map_err(|e| e.to_string())?;
    let mut c = Config::new(target);
    c.json = json;
    let num = |v: &str| v.parse::<u64>().map_err(|_| format!("bad number {v:?}"));
    for (o, v) in opts {
        match o.as_str() {
            "--duration" => c.duration = duration(&v)?,
            "--execs" => c.max_execs = num(&v)?,
            "--findings" => c.max_findings = num(&v)?.max(1) as usize,
            "--seed" => c.seed = num(&v)?,
            "--connections" => c.connections = num(&v)?.clamp(1, 64) as usize,
            "--out" => c.out = Some(PathBuf::from(v)),
            "--restart-cmd" => c.restart_cmd = Some(v),
            "--broker-pid" => c.broker_pid = Some(num(&v)? as u32),
            "--rss-growth-mb" => c.rss_growth_kib = num(&v)? * 1024,
            "--rate" => c.rate = num(&v)?.clamp(1, 100_000) as u32,
            "--hang" => c.waits.hang = duration(&v)?,
            "--compare" => c.compare = Some(Target::parse(&v).map_err(|e| e.to_string())?),
            "--compare-restart-cmd" => c.compare_restart_cmd = Some(v),
            "--compare-quiet" => c.compare_quiet = duration(&v)?,
            "--minimise-time" | "--minimize-time" => c.minimise_time = duration(&v)?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    pos.retain(|p| !p.starts_with("amqp"));
    Ok((pos, c, allow_remote))
}

/// Runs the command line; the exit status.
pub fn main(args: &[String]) -> u8 {
    let (pos, config, allow_remote) = match parse(args) {
        Ok(p) => p,
        Err(e) if e.is_empty() => {
            println!("{HELP}");
            return 0;
        }
        Err(e) => return usage(&e),
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return usage(&e.to_string()),
    };
    rt.block_on(async move {
        for t in std::iter::once(&config.target).chain(config.compare.iter()) {
            if !allow_remote && !t.is_loopback().await {
                eprintln!(
                    "amqp091 fuzz-broker: {} is not a loopback address; fuzzing another machine's broker needs --allow-remote",
                    t.host
                );
                return 2;
            }
        }
        match pos.first().map(String::as_str) {
            None => run_campaign(&config).await,
            Some("replay") | Some("minimize") | Some("minimise") if pos.len() == 2 => {
                let dir = PathBuf::from(&pos[1]);
                if pos[0] == "replay" {
                    replay(&config, &dir).await
                } else {
                    minimise(&config, &dir).await
                }
            }
            Some(other) => usage(&format!("unexpected argument {other:?}")),
        }
    })
}

async fn run_campaign(config: &Config) -> u8 {
    match campaign::run(config).await {
        Ok(sum) => {
            if config.json {
                println!("{}", sum.to_json());
            } else {
                println!(
                    "{} executions in {:.1} s ({:.0}/s), {} states, {} transitions, corpus {}, {} finding(s), {} flaky",
                    sum.execs, sum.seconds, sum.execs as f64 / sum.seconds.max(1e-9),
                    sum.states.len(), sum.transitions.len(), sum.corpus, sum.findings.len(), sum.flaky
                );
                for f in &sum.findings {
                    println!(
                        "  finding {}: {} after {:.1} s: {} (expected {}), {} step(s), {} bytes",
                        f.number,
                        f.verdict.oracle.name(),
                        f.found_after.as_secs_f64(),
                        f.verdict.observed,
                        f.verdict.expected,
                        f.input.steps.len(),
                        f.input.bytes().len()
                    );
                }
            }
            let bad = sum.findings.iter().any(|f| {
                matches!(
                    f.verdict.oracle,
                    crate::oracle::Oracle::Crash | crate::oracle::Oracle::Hang
                )
            });
            u8::from(bad)
        }
        Err(e) => {
            eprintln!("amqp091 fuzz-broker: {e}");
            2
        }
    }
}

async fn replay(config: &Config, dir: &std::path::Path) -> u8 {
    let input = match finding::read(dir) {
        Ok(i) => i,
        Err(e) => return usage(&e),
    };
    let mut watch = match crate::diff::Watch::open(config).await {
        Ok(w) => w,
        Err(e) => return usage(&e),
    };
    let j = crate::diff::judge(config, &input, &mut watch).await;
    if config.restart_cmd.is_some() || config.compare_restart_cmd.is_some() {
        let _ = watch.restore(config, &j).await;
    }
    match j.verdict {
        Some(v) => {
            let (o, obs, exp) = (v.oracle.name(), v.observed, v.expected);
            println!("reproduced: {o}: {obs} (expected {exp})");
            1
        }
        None => {
            println!("not reproduced: no oracle fired");
            0
        }
    }
}

async fn minimise(config: &Config, dir: &std::path::Path) -> u8 {
    match finding::minimise_dir(config, dir).await {
        Ok(Some(mut f)) => {
            f.number = 0;
            let parent = dir.parent().unwrap_or(std::path::Path::new("."));
            let name = dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("finding-0");
            f.number = name.trim_start_matches("finding-").parse().unwrap_or(0);
            if let Err(e) = finding::write(parent, &f, config) {
                return usage(&e.to_string());
            }
            println!(
                "minimised to {} step(s), {} bytes",
                f.input.steps.len(),
                f.input.bytes().len()
            );
            0
        }
        Ok(None) => {
            println!("not reproduced: nothing to minimise");
            1
        }
        Err(e) => usage(&e),
    }
}

/// A duration from text: `500ms`, `60s`, `60` (seconds) or `10m` (minutes).
pub fn duration(s: &str) -> Result<Duration, String> {
    match s.strip_suffix('m').filter(|n| !n.ends_with('m')) {
        Some(n) => {
            let d = parse_duration(n).map_err(|_| format!("bad duration {s:?}"))?;
            d.checked_mul(60).ok_or(format!("bad duration {s:?}"))
        }
        None => parse_duration(s),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_remote_broker_is_refused_without_allow_remote() {
        let args = vec!["amqp://guest:guest@192.0.2.1:5672/%2f".to_string()];
        assert_eq!(super::main(&args), 2);
    }

    #[test]
    fn durations_take_minutes_seconds_and_milliseconds() {
        use std::time::Duration;
        assert_eq!(super::duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(super::duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(super::duration("500ms"), Ok(Duration::from_millis(500)));
        assert!(super::duration("m").is_err() && super::duration("-1m").is_err());
    }

    #[test]
    fn a_remote_compare_broker_is_refused_without_allow_remote() {
        let args: Vec<String> = [
            "amqp://guest:guest@127.0.0.1:1/%2f",
            "--compare",
            "amqp://guest:guest@192.0.2.1:5672/%2f",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(super::main(&args), 2);
    }

    #[test]
    fn the_compare_options_parse() {
        let args: Vec<String> = [
            "amqp://h:5672/%2f",
            "--compare",
            "amqp://h:5674/%2f",
            "--compare-restart-cmd",
            "true",
            "--minimise-time",
            "30s",
            "--compare-quiet",
            "500ms",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (_, c, _) = super::parse(&args).unwrap();
        assert_eq!(c.compare.map(|t| t.port), Some(5674));
        assert_eq!(c.compare_restart_cmd.as_deref(), Some("true"));
        assert_eq!(c.minimise_time, std::time::Duration::from_secs(30));
        assert_eq!(c.compare_quiet, std::time::Duration::from_millis(500));
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = [
            "amqp://h:5674/%2f",
            "--seed",
            "9",
            "--connections",
            "3",
            "--findings",
            "1",
            "--json",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (pos, c, remote) = super::parse(&args).unwrap();
        assert!(pos.is_empty() && !remote && c.json);
        assert_eq!((c.seed, c.connections, c.target.port), (9, 3, 5674));
        assert_eq!(c.max_findings, 1);
    }
}
