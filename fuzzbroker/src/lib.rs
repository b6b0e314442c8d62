//! # amqp091-fuzzbroker
//!
//! `amqp091 fuzz-broker URL`: a stateful, structure-aware fuzzer for an
//! AMQP 0-9-1 broker's frame handling, black box.
//!
//! * [`model`]: inputs (steps of raw frames) and the session model;
//!   [`values`] writes method arguments from the spec, plausible or at the
//!   boundaries, or [`drawn`] from the codec's proptest strategies; [`gen`]
//!   generates and mutates at four levels (frames, methods, content,
//!   sequences); [`handshake`] fuzzes what a broker reads before
//!   connection.open-ok; [`rng`]: SplitMix64, so a seed decides.
//! * [`exec`]: one input on a fresh connection (the conformance runner's raw
//!   session), the answers abstracted to states; the canary.
//! * [`oracle`]: crash, hang, wrong code, interference, resource growth
//!   (and [`diff`]'s divergence); [`rules`]: the spec's rules whose reply
//!   code the wrong-code oracle expects.
//! * [`campaign`]: the loop, progress and JSON events; [`corpus`]: the
//!   inputs kept by state and transition coverage, mutated rarest first; [`finding`]: re-verification, delta
//!   debugging, `DIR/finding-N/`; [`diff`]: differential mode (`--compare`,
//!   a second broker, outcome classes, divergences); [`cli`]: the command
//!   line.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod campaign;
pub mod cli;
pub mod corpus;
pub mod diff;
pub mod drawn;
pub mod exec;
pub mod finding;
pub mod gen;
pub mod handshake;
pub mod model;
pub mod oracle;
pub mod rng;
pub mod rules;
pub mod values;
