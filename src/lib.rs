//! # amqp091
//!
//! An AMQP 0-9-1 client for RabbitMQ and other brokers.
//!
//! This crate is at its start: today it re-exports the wire codec
//! ([`amqp091_codec`], as [`codec`]). The sans-IO protocol core and the tokio
//! client come next, built on that codec.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use amqp091_codec as codec;
