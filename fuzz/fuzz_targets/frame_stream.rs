//! Streaming frame decode of arbitrary bytes: `amqp091_codec::fuzzing::frame_stream`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| amqp091_codec::fuzzing::frame_stream(data));
