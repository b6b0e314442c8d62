//! Decode → encode → decode equality: `amqp091_codec::fuzzing::round_trip`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| amqp091_codec::fuzzing::round_trip(data));
