//! `amqp091 conform URL [options]`: the command line of the runner (the
//! `amqp091` binary hands its arguments over; parsed here, so the runner
//! needs no argument-parsing dependency).

use std::time::Duration;

use crate::catalogue::{self, Entry, Kind};
use crate::deviations::Deviations;
use crate::exec::Timing;
use crate::report;
use crate::runner::{self, Config};
use crate::target::Target;

/// The help text.
pub const HELP: &str = "\
amqp091 conform [URL] [options]: check a broker against every rule of the AMQP 0-9-1 spec

URL                 amqp://user:password@host:port/vhost (default $AMQP_URL, else
                    amqp://guest:guest@localhost:5672/%2f)
--class NAME        only this class: connection channel exchange queue basic tx
                    confirm semantics framing extensions
--rule NAME         only this rule (its key, or a key prefix such as queue/declare);
                    repeat it for several
--json              print the report as JSON instead of text
--junit FILE        also write JUnit XML to FILE
--markdown FILE     also write a Markdown report to FILE (deterministic)
--strict            deviations count as failures for the exit status
--timeout DUR       wait for each reply this long (2s; also 500ms or 3)
--silence DUR       window in which nothing must arrive (300ms)
--restart-cmd CMD   how to restart the broker (sh -c): run for the three rules about
                    what survives a restart, and when the broker stops answering
--allow-remote      allow a broker that is not on this machine (broken frames are sent)
--list              list the catalogue and exit (no broker needed)

Exit status: 0 nothing failed, 1 a failure (or a deviation with --strict), 2 usage or
connection error.";

/// Parsed options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Broker URL.
    pub url: Option<String>,
    /// `--class`.
    pub class: Option<String>,
    /// `--rule`, each time it is given.
    pub rules: Vec<String>,
    /// `--json`.
    pub json: bool,
    /// `--junit`.
    pub junit: Option<String>,
    /// `--markdown`.
    pub markdown: Option<String>,
    /// `--strict`.
    pub strict: bool,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--silence`.
    pub silence: Option<Duration>,
    /// `--restart-cmd`.
    pub restart_cmd: Option<String>,
    /// `--allow-remote`.
    pub allow_remote: bool,
    /// `--list`.
    pub list: bool,
    /// `--help`.
    pub help: bool,
}

/// Parses a duration: `2s`, `500ms`, `1.5` (seconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let (num, scale) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num.parse().map_err(|_| format!("bad duration {s:?}"))?;
    if !(v.is_finite() && v > 0.0) {
        return Err(format!("bad duration {s:?}"));
    }
    Ok(Duration::from_secs_f64(v * scale))
}

/// Parses the arguments after `conform`.
pub fn parse<I: IntoIterator<Item = S>, S: AsRef<str>>(args: I) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.into_iter().map(|a| a.as_ref().to_string());
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--class" => o.class = Some(value("--class")?),
            "--rule" => o.rules.push(value("--rule")?),
            "--json" => o.json = true,
            "--junit" => o.junit = Some(value("--junit")?),
            "--markdown" => o.markdown = Some(value("--markdown")?),
            "--strict" => o.strict = true,
            "--timeout" => o.timeout = Some(parse_duration(&value("--timeout")?)?),
            "--silence" => o.silence = Some(parse_duration(&value("--silence")?)?),
            "--restart-cmd" => o.restart_cmd = Some(value("--restart-cmd")?),
            "--allow-remote" => o.allow_remote = true,
            "--list" => o.list = true,
            "-h" | "--help" => o.help = true,
            "--url" => o.url = Some(value("--url")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            url if o.url.is_none() => o.url = Some(url.to_string()),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    Ok(o)
}

/// The entries the options select.
pub fn select(o: &Options) -> Result<Vec<Entry>, String> {
    let all = catalogue::all();
    let chosen: Vec<Entry> = all
        .into_iter()
        .filter(|e| o.class.as_deref().is_none_or(|c| e.class == c))
        .filter(|e| {
            o.rules.is_empty()
                || o.rules
                    .iter()
                    .any(|r| e.key == r || e.key.starts_with(&format!("{r}/")))
        })
        .collect();
    if chosen.is_empty() {
        return Err("no catalogue entry matches --class / --rule (see --list)".into());
    }
    Ok(chosen)
}

/// Runs the command; returns the exit status.
pub fn main<I: IntoIterator<Item = S>, S: AsRef<str>>(args: I) -> u8 {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return 2;
        }
    };
    if o.help {
        println!("{HELP}");
        return 0;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(run(o))
}

/// [`main`] on a running tokio runtime.
pub async fn run(o: Options) -> u8 {
    let entries = match select(&o) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if o.list {
        for e in &entries {
            let how = match e.kind {
                Kind::Scenario { .. } => "scenario".to_string(),
                Kind::NotObservable(r) => format!("not observable ({})", r.name()),
            };
            println!("{:<60} {:<11} {how}", e.key, e.class);
        }
        return 0;
    }
    let url = o
        .url
        .clone()
        .or_else(|| std::env::var("AMQP_URL").ok())
        .unwrap_or_else(|| "amqp://guest:guest@localhost:5672/%2f".into());
    let target = match Target::parse(&url) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if !o.allow_remote && !target.is_loopback().await {
        eprintln!(
            "error: {} is not on this machine; the runner sends deliberately broken frames, \
             so it talks only to loopback brokers unless --allow-remote is given",
            target.host
        );
        return 2;
    }
    let config = Config {
        target,
        timing: Timing {
            reply: o.timeout.unwrap_or(Duration::from_secs(2)),
            silence: o.silence.unwrap_or(Duration::from_millis(300)),
        },
        restart_cmd: o.restart_cmd.clone(),
        run_id: runner::new_run_id(),
        deviations: Deviations::builtin(),
        scenario_limit: Duration::from_secs(30),
    };
    let report = match runner::run(&config, &entries).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if o.json {
        println!("{}", report::json(&report));
    } else {
        print!("{}", report::text(&report));
    }
    for (path, content) in [
        (&o.junit, report::junit(&report)),
        (&o.markdown, report::markdown(&report)),
    ] {
        if let Some(path) = path {
            if let Err(e) = std::fs::write(path, content) {
                eprintln!("error: cannot write {path}: {e}");
                return 2;
            }
        }
    }
    report.exit_code(o.strict)
}
