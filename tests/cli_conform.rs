//! `amqp091 conform`'s exit status, run as a broker author's CI would, against
//! the test RabbitMQ: 0 when nothing failed, 1 on a failure (and on a
//! deviation with `--strict`), 2 on a usage or connection error. The rules
//! used are ones whose outcome on RabbitMQ 3.10 `docs/conformance/` records.
#![cfg(feature = "cli")]

mod common;

use common::bin::{amqp, text};
use common::broker_url;

/// Runs `conform` on the test broker for one rule; the exit code and stdout.
fn conform(rule: &str, extra: &[&str]) -> (Option<i32>, String) {
    let url = broker_url();
    let mut args = vec!["conform", url.as_str(), "--rule", rule];
    args.extend_from_slice(extra);
    let out = amqp(&args);
    (out.status.code(), text(&out.stdout))
}

#[test]
fn a_passing_rule_exits_0() {
    let (code, out) = conform("connection/start/locales/required-support", &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(": 1 pass, 0 fail,"), "{out}");
}

#[test]
fn a_documented_deviation_exits_0_and_1_with_strict() {
    let rule = "exchange/delete/exchange/exists";
    let (code, out) = conform(rule, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 deviation"), "{out}");
    let (code, out) = conform(rule, &["--strict"]);
    assert_eq!(code, Some(1), "--strict counts deviations: {out}");
}

#[test]
fn a_failing_rule_exits_1() {
    // RabbitMQ answers a redeclare with another type with a channel error
    // 406, where the rule asks for the connection error 530.
    let (code, out) = conform("exchange/declare/type/typed", &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("0 pass, 1 fail,"), "{out}");
}

#[test]
fn usage_and_connection_errors_exit_2() {
    for args in [
        &["conform", "--rule", "no/such/rule"][..],
        &["conform", "--bogus"][..],
        &[
            "conform",
            "amqp://guest:guest@127.0.0.1:1/%2f",
            "--class",
            "queue",
        ][..],
        &[
            "conform",
            "amqp://guest:guest@192.0.2.1/%2f",
            "--class",
            "queue",
        ][..],
    ] {
        let out = amqp(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}
