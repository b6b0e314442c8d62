//! The URI parser, with a secrecy oracle: `amqp091::uri::fuzzing::uri_parse`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| amqp091::uri::fuzzing::uri_parse(data));
