//! `amqp091 fuzz-broker` run as a broker author's CI would, against the test
//! RabbitMQ: a short campaign with `--json` prints one JSON event per line
//! (start, coverage, progress, end) whose counts agree, stops by itself
//! within its budget and exits 0 (no crash or hang). (The refusal of a
//! host off this machine is `fuzzbroker::cli`'s unit test, which sends
//! nothing.)
#![cfg(feature = "cli")]

mod common;

use std::time::Duration;

use common::bin::{amqp_within, text};
use common::broker_url;

#[test]
fn a_json_campaign_prints_its_events_and_stops_within_its_budget() {
    let url = broker_url();
    let args = [
        "fuzz-broker",
        url.as_str(),
        "--duration",
        "3s",
        "--execs",
        "200",
        "--seed",
        "5",
        "--minimise-time",
        "5s",
        "--json",
    ];
    let out = amqp_within(&args, Duration::from_secs(60));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let kind = |e: &serde_json::Value| e["event"].as_str().unwrap_or("").to_string();
    assert_eq!(kind(&events[0]), "start", "{stdout}");
    assert_eq!(events[0]["seed"], 5);
    let end = events.last().expect("events");
    assert_eq!(kind(end), "end", "{stdout}");
    let execs = end["execs"].as_u64().expect("execs");
    assert!((1..=200 + 4).contains(&execs), "{execs} executions");
    assert!(end["seconds"].as_f64().expect("seconds") < 60.0);
    // Every new_coverage event's counts are at most the end's, and grow.
    let covered: Vec<u64> = events
        .iter()
        .filter(|e| kind(e) == "new_coverage")
        .map(|e| e["transitions"].as_u64().expect("transitions"))
        .collect();
    assert!(!covered.is_empty(), "no new_coverage event: {stdout}");
    assert!(covered.windows(2).all(|w| w[0] <= w[1]), "{covered:?}");
    assert!(covered.last() <= end["transitions"].as_u64().as_ref());
    assert_eq!(
        end["corpus"].as_u64(),
        Some(covered.len() as u64),
        "one new_coverage event per corpus entry"
    );
}
