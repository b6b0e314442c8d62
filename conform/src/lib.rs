//! # amqp091-conform
//!
//! A conformance runner for AMQP 0-9-1 brokers (`amqp091 conform URL`):
//! every `<rule>` of the spec's XML is in the [`catalogue`], either as a
//! scenario or with the reason it cannot be observed from a client, plus
//! the framing checks of section 4.2 and RabbitMQ's extensions.
//!
//! * [`session`]: a raw client connection over the codec: its own
//!   handshake, then it only sends what a scenario says and records every
//!   frame, reacting to nothing.
//! * [`scenario`]: scenarios as data (send these frames, expect this reply
//!   or close code); [`exec`] runs them with bounded waits.
//! * [`runner`]: outcomes (pass, fail, deviation, not applicable, error,
//!   timeout), documented [`deviations`] per product, cleanup, a broker
//!   that stops answering; [`report`]: text, JSON, JUnit, Markdown;
//!   [`cli`]: the command line.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod catalogue;
pub mod cli;
pub mod describe;
pub mod deviations;
pub mod exec;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod session;
pub mod target;
