//! The `amqp091` binary run as a user would, against the test broker.

use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::broker_url;

const BIN: &str = env!("CARGO_BIN_EXE_amqp091");

/// Runs the binary with `AMQP_URL` set to the test broker and no input;
/// kills it (by its pid) and fails when it outlives a minute.
pub fn amqp(args: &[&str]) -> Output {
    amqp_within(args, Duration::from_secs(60))
}

/// As [`amqp`], for a run that may take up to `limit`.
pub fn amqp_within(args: &[&str], limit: Duration) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .env("AMQP_URL", broker_url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the amqp091 binary");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.expect("run amqp091"),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("amqp091 {args:?} still running after {limit:?}");
        }
    }
}

/// Output as text (the binary writes UTF-8).
pub fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}
