//! The `frames` dissector (text and JSON, whole and streamed alike):
//! `amqp091::cli::fuzzing::frames`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| amqp091::cli::fuzzing::frames(data));
