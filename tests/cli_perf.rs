//! `amqp091 perf` run as a user would, against the test broker: small
//! counts end to end, the summary and the check it prints, its JSON lines,
//! and a failing check on a queue that holds a message of another kind.
#![cfg(feature = "cli")]

mod common;

use common::bin::{amqp, text};
use common::unique;
use serde_json::Value;

#[test]
fn perf_sends_confirms_receives_and_checks_every_message() {
    let out = amqp(&[
        "perf", "-x", "2", "-y", "2", "-C", "300", "-c", "20", "-q", "50", "-A", "10",
    ]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stderr, "", "no progress line when stderr is not a terminal");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(
        lines[0],
        "perf: 2 producers, 2 consumers, 16 B, confirms (window 20), prefetch 50, ack every 10"
    );
    assert!(lines[1].starts_with("sent 600 msg in "), "{stdout}");
    assert!(
        lines[1].contains(", confirmed 600, nacked 0, received 600 in "),
        "{stdout}"
    );
    assert!(lines[2].starts_with("confirm latency µs: p50 "), "{stdout}");
    assert!(
        lines[3].starts_with("end-to-end latency µs: p50 "),
        "{stdout}"
    );
    assert_eq!(
        lines[4],
        "check: ok (600 of 600 messages, once each, in order per producer)"
    );
}

#[test]
fn perf_json_lines_are_progress_then_one_summary_with_the_check() {
    let out = amqp(&[
        "--json", "perf", "-C", "2000", "-r", "4000", "-i", "100ms", "-s", "100", "-c", "50",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    let (summary, progress) = lines.split_last().expect("a summary line");
    // 2000 messages at 4000/s take 0.5 s: a progress line every 100 ms.
    assert!(progress.len() >= 3, "{stdout}");
    for p in progress {
        assert_eq!(p["type"], "progress", "{p}");
        assert!(
            p["sent_per_s"].is_number() && p["received_per_s"].is_number(),
            "{p}"
        );
    }
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["sent"], 2000);
    assert_eq!(summary["confirmed"], 2000);
    assert_eq!(summary["received"], 2000);
    assert_eq!(summary["settings"]["size"], 100);
    assert_eq!(summary["latency_us"]["count"], 2000);
    assert_eq!(summary["confirm_latency_us"]["count"], 2000);
    let p50 = summary["latency_us"]["p50"].as_u64().expect("p50");
    let p99 = summary["latency_us"]["p99"].as_u64().expect("p99");
    assert!(p50 <= p99, "{summary}");
    assert_eq!(summary["check"]["ok"], true, "{summary}");
    assert_eq!(summary["check"]["received"], 2000);
    assert_eq!(summary["check"]["missing"], 0);
}

#[test]
fn perf_through_a_topic_exchange_with_autoack_and_no_confirms_checks_the_count() {
    let exchange = unique("perf.topic");
    let out = amqp(&[
        "perf", "-y", "3", "-C", "500", "-a", "-e", &exchange, "-t", "topic", "-k", "a.b",
    ]);
    let stdout = text(&out.stdout);
    let _ = amqp(&["delete", "exchange", &exchange]);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("3 consumers, 16 B, no confirms, autoack"),
        "{stdout}"
    );
    assert!(stdout.contains("confirm latency µs: -\n"), "{stdout}");
    assert!(
        stdout.ends_with("check: ok (500 of 500 messages, once each, in order per producer)\n"),
        "{stdout}"
    );
}

#[test]
fn perf_fails_the_check_when_the_queue_holds_a_message_of_another_run() {
    let queue = unique("perf-foreign");
    assert!(amqp(&["declare", "queue", &queue]).status.success());
    assert!(amqp(&["publish", "", &queue, "--body", "hello"])
        .status
        .success());
    let out = amqp(&["perf", "-u", &queue, "-C", "10"]);
    let _ = amqp(&["delete", "queue", &queue]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("received 11 in "), "{stdout}");
    assert!(
        stdout.contains("check: FAILED (2 problems, 0 missing): a message of 5 bytes, not 16; a message that is not from this run"),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "error: check failed: 2 problems: a message of 5 bytes, not 16; a message that is not from this run\n"
    );
}

#[test]
fn perf_refuses_an_ack_batch_larger_than_the_prefetch() {
    let out = amqp(&["perf", "-C", "10", "-q", "2", "-A", "5"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: --multi-ack-every 5 is above --prefetch 2"));
    assert!(out.stdout.is_empty());
}
