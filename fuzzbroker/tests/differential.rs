//! Differential mode against two scripted brokers that differ on one input
//! shape (one closes the connection with 540 on channel.flow, the other
//! answers it): at a fixed seed and budget the fuzzer finds the divergence,
//! minimises it to the flow request on an open channel and says which
//! broker did what. (The generator knows nothing of the difference.)

mod scripted;

use std::time::Duration;

use amqp091_conform::target::Target;
use amqp091_fuzzbroker::campaign::{self, Config};
use amqp091_fuzzbroker::oracle::Oracle;
use scripted::Defect;

fn url(port: u16) -> String {
    format!("amqp://guest:guest@127.0.0.1:{port}/%2f")
}

#[tokio::test(flavor = "multi_thread")]
async fn finds_and_minimises_a_divergence_on_channel_flow() {
    let (a, b) = (
        scripted::start(Defect::FlowNotImplemented),
        scripted::start(Defect::Sound),
    );
    let mut c = Config::new(Target::parse(&url(a)).unwrap());
    c.compare = Some(Target::parse(&url(b)).unwrap());
    c.seed = 7;
    c.max_execs = 3000;
    c.duration = Duration::from_secs(90);
    c.rate = 100_000;
    c.quiet = true;
    c.waits.quiet = Duration::from_millis(20);
    c.compare_quiet = Duration::from_millis(20);
    c.waits.hang = Duration::from_millis(300);
    let dir = std::env::temp_dir().join(format!("fuzzbroker-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    c.out = Some(dir.clone());
    let sum = campaign::run(&c).await.expect("campaign");
    eprintln!(
        "{} execs in {:.1} s, divergences found at {:?}",
        sum.execs,
        sum.seconds,
        sum.findings
            .iter()
            .map(|f| f.found_after)
            .collect::<Vec<_>>()
    );
    let divergences: Vec<_> = sum
        .findings
        .iter()
        .filter(|f| f.verdict.oracle == Oracle::Divergence)
        .collect();
    // The brokers differ on channel.flow only: no divergence without it.
    for f in &divergences {
        let flow = f
            .input
            .steps
            .iter()
            .any(|s| s.kind.ends_with("channel.flow"));
        assert!(flow, "a divergence without channel.flow: {f:#?}");
    }
    let f = divergences
        .iter()
        .find(|f| f.verdict.state == "connection.close 540 | no close")
        .unwrap_or_else(|| panic!("no flow divergence: {divergences:#?}"));
    let kinds: Vec<_> = f.input.steps.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(f.input.last_kind(), "channel.flow", "{kinds:?}");
    assert!(f.input.steps.len() <= 2, "{kinds:?}");
    let readme = std::fs::read_to_string(dir.join(format!("finding-{}/README.md", f.number)))
        .expect("the finding's README");
    assert!(
        readme.contains(&format!("127.0.0.1:{a}/%2f: connection.close 540")),
        "{readme}"
    );
    assert!(
        readme.contains(&format!("127.0.0.1:{b}/%2f: no close")),
        "{readme}"
    );
    assert!(readme.contains("--compare"), "{readme}");
}
