//! `amqp091`, the command line of the amqp091 client (cargo feature `cli`).
//!
//! * `publish`, `get`, `consume`: messages, as text or JSON lines (`--json`);
//! * `declare`, `delete`, `bind`, `unbind`, `purge`: exchanges and queues;
//! * `frames`: a dissector of raw AMQP bytes, no broker needed;
//! * `perf`: a load generator that checks every message it receives.
//!
//! The broker is `--url`, else `$AMQP_URL`, else
//! `amqp://guest:guest@localhost:5672/%2f`. A failure is one line on
//! stderr (`error: ...`, the library's error text) and exit code 1; a usage
//! error exits with 2. `amqp091 help COMMAND` describes each command and
//! its JSON output.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod frames;
mod perf;
mod stdout;

use amqp091::cli::output;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::output::{Failure, Out};

/// Parses the command line, runs the command, and turns a failure into one stderr line and exit code 1.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = Out::new(cli.json);
    let result = match &cli.command {
        Command::Frames(a) => frames::run(a, &mut out),
        Command::Conform { args } => return ExitCode::from(amqp091_conform::cli::main(args)),
        Command::Perf(_) => perf::main(cli, &mut out),
        Command::FuzzBroker { args } => return ExitCode::from(amqp091_fuzzbroker::cli::main(args)),
        _ => broker(cli, &mut out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Stopped by SIGINT or SIGTERM: the shell's code for that signal.
        Err(Failure::Interrupted(signal)) => {
            let _ = out.flush();
            ExitCode::from(signal.exit_code())
        }
        Err(e) => {
            // Whatever was printed before the failure goes out first.
            let _ = out.flush();
            // Broker text (a close reason) reaches the terminal escaped.
            eprintln!("error: {}", output::escape_controls(&e.to_string(), false));
            ExitCode::FAILURE
        }
    }
}

/// Runs a command that talks to a broker on a tokio runtime.
fn broker(cli: Cli, out: &mut Out) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::msg(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(commands::run(cli, out))
}
