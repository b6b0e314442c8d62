//! Replays the `uri` fuzz corpus (`fuzz/corpus/uri/`) through the function
//! the fuzz target calls, on stable Rust: no part of a password reaches any
//! field or error but the password.

#[test]
fn uri_corpus_never_lets_a_password_reach_another_field_or_an_error() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/uri");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("corpus directory") {
        let path = entry.expect("corpus entry").path();
        let data = std::fs::read(&path).expect("corpus file");
        let result = std::panic::catch_unwind(|| amqp091::uri::fuzzing::uri_parse(&data));
        assert!(result.is_ok(), "{} fails the oracle", path.display());
        count += 1;
    }
    assert!(count >= 10, "the uri corpus has only {count} inputs");
}
