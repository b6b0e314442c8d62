//! The protocol core against an arbitrary server: `amqp091::proto::fuzzing::client_session`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| amqp091::proto::fuzzing::client_session(data));
