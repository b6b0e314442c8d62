//! The fuzzer against a scripted broker with planted defects, one per
//! oracle: within 20,000 executions it finds each and minimises it to the
//! planted trigger, and stops there. The seed is 7; `PLANTED_SEED` picks
//! another (seeds 1 to 16 all pass: the hang after qos and purge took 16 to
//! 4,093 executions). (The defects are not mirrored in the generator: they
//! are reached through its general machinery.)

mod scripted;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use amqp091_conform::target::Target;
use amqp091_fuzzbroker::campaign::{self, Config};
use amqp091_fuzzbroker::finding::Finding;
use amqp091_fuzzbroker::model::Stage;
use amqp091_fuzzbroker::oracle::Oracle;
use scripted::Defect;

/// A campaign of at most `max_execs` executions (and 90 s) that stops
/// after `max_findings`.
async fn campaign(
    defect: Defect,
    seed: u64,
    max_execs: u64,
    max_findings: usize,
) -> (Vec<Finding>, std::path::PathBuf) {
    let port = scripted::start(defect);
    let url = format!("amqp://guest:guest@127.0.0.1:{port}/%2f");
    let mut c = Config::new(Target::parse(&url).unwrap());
    c.seed = seed;
    c.max_execs = max_execs;
    c.max_findings = max_findings;
    c.duration = Duration::from_secs(90);
    c.rate = 100_000;
    c.quiet = true;
    c.waits.quiet = Duration::from_millis(5);
    c.waits.hang = Duration::from_millis(300);
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "fuzzbroker-{defect:?}-{}-{run}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    c.out = Some(dir.clone());
    let sum = campaign::run(&c).await.expect("campaign");
    eprintln!(
        "{defect:?}: {} execs in {:.1} s, {} states, {} flaky, found at {:?}",
        sum.execs,
        sum.seconds,
        sum.states.len(),
        sum.flaky,
        sum.findings
            .iter()
            .map(|f| f.found_after)
            .collect::<Vec<_>>()
    );
    (sum.findings, dir)
}

fn only(findings: &[Finding], oracle: Oracle) -> &Finding {
    let f: Vec<_> = findings
        .iter()
        .filter(|f| f.verdict.oracle == oracle)
        .collect();
    assert!(!f.is_empty(), "no {oracle:?} finding: {findings:#?}");
    f[0]
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_and_minimises_a_crash_on_a_long_method_frame() {
    let (findings, dir) = campaign(Defect::Crash, seed(), 20_000, 1).await;
    let f = only(&findings, Oracle::Crash);
    let last = f.input.steps.last().unwrap();
    assert_eq!(f.input.steps.len(), 1, "{:#?}", f.input);
    assert_eq!(last.bytes[0], 1, "a method frame");
    assert!(last.bytes.len() > 1000 + 7, "longer than 1000 octets");
    assert!(dir.join("finding-1/repro.bin").exists());
    assert!(dir.join("finding-1/README.md").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_and_minimises_a_crash_on_another_protocol_version_before_the_handshake() {
    let (findings, dir) = campaign(Defect::HeaderCrash, seed(), 20_000, 1).await;
    let f = only(&findings, Oracle::Crash);
    assert_eq!(f.input.stage, Stage::Tcp, "{:#?}", f.input);
    // Eight octets naming another version: one header step, or (as the
    // minimiser may leave it) a header cut short and the next step's first
    // octets.
    let bytes = f.input.bytes();
    assert!(f.input.steps.len() <= 2, "{:#?}", f.input);
    assert_eq!(bytes.len(), 8, "{bytes:?}");
    assert!(bytes.starts_with(b"AMQP"), "{bytes:?}");
    assert_ne!(
        &bytes[..],
        &amqp091_codec::ProtocolHeader::AMQP_0_9_1.to_bytes()[..]
    );
    let readme = std::fs::read_to_string(dir.join("finding-1/README.md")).expect("README");
    assert!(readme.contains("no handshake (stage tcp)"), "{readme}");
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_and_minimises_a_hang_after_qos_then_purge() {
    let (findings, _) = campaign(Defect::Hang, seed(), 20_000, 1).await;
    let f = only(&findings, Oracle::Hang);
    let kinds: Vec<_> = f.input.steps.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(f.input.last_kind(), "queue.purge", "{kinds:?}");
    assert!(kinds.iter().any(|k| k.ends_with("basic.qos")), "{kinds:?}");
    assert!(f.input.steps.len() <= 3, "{kinds:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_and_minimises_a_wrong_close_code() {
    let (findings, _) = campaign(Defect::WrongCode, seed(), 20_000, 1).await;
    let f = only(&findings, Oracle::WrongCode);
    assert!(f.verdict.observed.contains("530"), "{:?}", f.verdict);
    assert!(f.verdict.expected.contains("504"), "{:?}", f.verdict);
    // One method, no channel.open before it: on a channel never opened.
    assert_eq!(f.input.steps.len(), 1, "{:#?}", f.input);
    assert_eq!(f.input.steps[0].bytes[0], 1, "a method frame");
    assert_ne!(f.input.last_kind(), "channel.open", "{:#?}", f.input);
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_and_minimises_interference_with_another_connection() {
    let (findings, _) = campaign(Defect::Interference, seed(), 20_000, 1).await;
    let f = only(&findings, Oracle::Interference);
    let kinds: Vec<_> = f.input.steps.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(f.input.last_kind(), "basic.consume", "{kinds:?}");
    assert!(f.input.steps.len() <= 2, "{kinds:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broker_without_basic_qos_is_probed_with_channels_and_shows_no_crash() {
    // Sound but for basic.qos, which ends the connection: with a qos probe
    // every execution was a crash (MetalMQ's six false findings).
    let port = scripted::start(Defect::NoQos);
    let url = format!("amqp://guest:guest@127.0.0.1:{port}/%2f");
    let target = Target::parse(&url).unwrap();
    let waits = amqp091_fuzzbroker::exec::Waits {
        hang: Duration::from_millis(300),
        ..Default::default()
    };
    let canary = amqp091_fuzzbroker::exec::Canary::open(&target, &waits)
        .await
        .expect("a canary");
    assert!(canary.probes_with_channels());
    drop(canary);
    let (findings, _) = campaign(Defect::NoQos, seed(), 300, usize::MAX).await;
    let crashes: Vec<_> = findings
        .iter()
        .filter(|f| f.verdict.oracle == Oracle::Crash)
        .collect();
    assert!(crashes.is_empty(), "{crashes:#?}");
}

/// `amqp091 fuzz-broker ARGS` in a thread of its own (it runs its own
/// runtime); its exit status.
async fn cli(args: &[&str]) -> u8 {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || amqp091_fuzzbroker::cli::main(&args))
        .await
        .expect("the command ran")
}

#[tokio::test(flavor = "multi_thread")]
async fn replay_and_minimize_reproduce_a_written_finding_and_not_on_a_sound_broker() {
    let (findings, dir) = campaign(Defect::WrongCode, seed(), 20_000, 1).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let found = dir.join("finding-1");
    let found = found.to_str().expect("a UTF-8 path");
    let faulty = format!(
        "amqp://guest:guest@127.0.0.1:{}/%2f",
        scripted::start(Defect::WrongCode)
    );
    let sound = format!(
        "amqp://guest:guest@127.0.0.1:{}/%2f",
        scripted::start(Defect::Sound)
    );
    assert_eq!(
        cli(&["replay", found, &faulty]).await,
        1,
        "reproduced: exit 1"
    );
    assert_eq!(
        cli(&["replay", found, &sound]).await,
        0,
        "not reproduced: exit 0"
    );
    // Minimising again rewrites the finding, still one step, still 504.
    let before = std::fs::read_to_string(dir.join("finding-1/repro.json")).expect("repro.json");
    std::fs::write(dir.join("finding-1/repro.json"), "{}").expect("clobbered");
    assert_eq!(
        cli(&["minimize", found, &faulty]).await,
        2,
        "repro.json without steps: usage"
    );
    std::fs::write(dir.join("finding-1/repro.json"), &before).expect("restored");
    assert_eq!(cli(&["minimize", found, &faulty]).await, 0);
    let input = amqp091_fuzzbroker::finding::read(&dir.join("finding-1")).expect("rewritten");
    assert_eq!(input.steps.len(), 1, "{input:#?}");
    let readme = std::fs::read_to_string(dir.join("finding-1/README.md")).expect("README");
    assert!(readme.contains("504"), "{readme}");
    assert_eq!(
        cli(&["minimize", found, &sound]).await,
        1,
        "nothing to minimise: exit 1"
    );
}

/// The seed: 7, or `PLANTED_SEED` (to check that the findings do not hang on
/// one seed's luck).
fn seed() -> u64 {
    std::env::var("PLANTED_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7)
}
